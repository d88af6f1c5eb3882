import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("NPY and IDX loading")
struct BinaryLoaderTests {
  // MARK: - NPY

  @Test(arguments: ["features_f4.npy", "features_f8.npy", "features_v2.npy"])
  func readsFloatArraysWrittenByNumpy(file: String) throws {
    let array = try NPYFile.read(DataFixtures.url(file))
    #expect(array.shape == [3, 4])
    #expect(array.floats() == (try DataFixtures.floats(DataFixtures.expected()["npy_base"])))
  }

  @Test(arguments: ["ints_i8.npy", "ints_i4.npy"])
  func readsIntegerArrays(file: String) throws {
    let array = try NPYFile.read(DataFixtures.url(file))
    #expect(array.shape == [2, 3])
    #expect(array.floats() == (try DataFixtures.floats(DataFixtures.expected()["npy_ints"])))
  }

  @Test func readsBytes() throws {
    let array = try NPYFile.read(DataFixtures.url("bytes_u1.npy"))
    #expect(array.descr == "|u1")
    #expect(array.floats() == [0, 7, 255, 1, 2, 3])
  }

  @Test func loadsADatasetOfImages() throws {
    let dataset = try Dataset.loadNPY(
      features: DataFixtures.url("images_f4.npy"), labels: DataFixtures.url("labels_i8.npy"))
    #expect(dataset.exampleShape == [1, 2, 2])
    #expect(dataset.labels == [2, 0, 1])
    #expect(dataset.classNames == ["0", "1", "2"])
    #expect(dataset.name == "images_f4")
    let expected = try DataFixtures.floats(DataFixtures.expected()["npy_images"])
    #expect(dataset.features.scalars == expected)
  }

  @Test func roundTripsThroughTheWriter() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("retort-npy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let tensor = try Tensor(shape: [2, 3, 1], scalars: [1.5, -2, 0, 3.25, 1e-3, 7])
    let url = folder.appendingPathComponent("t.npy")
    try NPYFile.write(tensor, to: url)
    let array = try NPYFile.read(url)
    #expect(array.shape == [2, 3, 1])
    #expect(array.floats() == tensor.scalars)
    // The header is padded so the data starts on a 64-byte boundary (here 128), as numpy does.
    #expect(try Data(contentsOf: url).count == 128 + 6 * 4)
  }

  @Test func rejectsFortranOrder() throws {
    let url = try DataFixtures.url("fortran.npy")
    let error = try DataFixtures.dataError { _ = try NPYFile.read(url) }
    #expect(
      error.description
        == "\(url.path): expected a C-ordered array, found fortran_order True "
        + "(hint: save numpy.ascontiguousarray(array) instead)")
  }

  @Test func rejectsBigEndian() throws {
    let url = try DataFixtures.url("bigendian.npy")
    let error = try DataFixtures.dataError { _ = try NPYFile.read(url) }
    #expect(error.message == "expected dtype <f4, <f8, <i8, <i4 or |u1, found \">f4\"")
    #expect(error.hint == "the array is big-endian; save array.astype('<f4') instead")
  }

  @Test func rejectsABadMagic() throws {
    let url = try DataFixtures.url("bad_magic.npy")
    let error = try DataFixtures.dataError { _ = try NPYFile.read(url) }
    #expect(
      error.description
        == "\(url.path): expected the NPY magic \\x93NUMPY, found bytes 50 4b 03 04 20 74 "
        + "(hint: save the array with numpy.save; .npz archives and pickles are not supported)")
  }

  @Test func rejectsADamagedHeaderAndTruncatedData() throws {
    var bytes = try [UInt8](Data(contentsOf: DataFixtures.url("features_f4.npy")))
    let truncated = Data(bytes.dropLast(5))
    let short = try DataFixtures.dataError { _ = try NPYFile.parse(truncated, source: "t.npy") }
    #expect(
      short.message == "expected 12 elements of 4 bytes for shape [3, 4], found 43 data bytes")
    // Overwrite the 's' of 'shape' so the key is missing.
    let key = Array("shape".utf8)
    if let s = bytes.indices.dropLast(5).first(where: { Array(bytes[$0..<$0 + 5]) == key }) {
      bytes[s] = UInt8(ascii: "x")
    }
    let damaged = try DataFixtures.dataError { _ = try NPYFile.parse(Data(bytes), source: "d") }
    #expect(damaged.message.hasPrefix("expected the key 'shape' in the NPY header, found"))
  }

  @Test func rejectsFractionalLabels() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.loadNPY(
        features: DataFixtures.url("features_f4.npy"), labels: DataFixtures.url("labels_bad.npy"))
    }
    #expect(error.message == "expected whole non-negative class labels, found 1.5 at index 1")
  }

  // MARK: - IDX

  @Test(arguments: [
    ("images-idx3-ubyte", "labels-idx1-ubyte"),
    ("images-idx3-ubyte.gz", "labels-idx1-ubyte.gz"),
  ])
  func loadsIDXPlainAndGzip(images: String, labels: String) throws {
    let dataset = try Dataset.loadIDX(
      images: DataFixtures.url(images), labels: DataFixtures.url(labels))
    #expect(dataset.features.shape == [3, 1, 2, 2])
    #expect(dataset.labels == [7, 0, 9])
    #expect(dataset.classNames == (0...9).map(String.init))
    let pixels = try DataFixtures.floats(DataFixtures.expected()["idx_images"])
    for (value, pixel) in zip(dataset.features.scalars, pixels) {
      #expect(abs(value - pixel / 255) < 1e-7)
    }
  }

  @Test func readsFloatAndIntElements() throws {
    let floats = try IDXFile.read(DataFixtures.url("floats-idx2-float"))
    #expect(floats.shape == [2, 3])
    #expect(floats.values == [1.5, -2, 0.25, 3, 4, -0.5])
    let ints = try IDXFile.read(DataFixtures.url("ints-idx1-int"))
    #expect(ints.values == [-5, 70000, 3])
  }

  @Test func reportsTruncatedGzip() throws {
    let url = try DataFixtures.url("truncated-idx3-ubyte.gz")
    let error = try DataFixtures.dataError { _ = try IDXFile.read(url) }
    #expect(error.file == url.path)
    #expect(error.message.hasPrefix("expected a complete gzip stream, found it cut off after 21"))
    #expect(error.hint == "the file is truncated; download or copy it again")
  }

  @Test func inflatesConcatenatedGzipMembers() throws {
    let first = try Data(contentsOf: DataFixtures.url("images-idx3-ubyte.gz"))
    let second = try Data(contentsOf: DataFixtures.url("labels-idx1-ubyte.gz"))
    let plain =
      try Data(contentsOf: DataFixtures.url("images-idx3-ubyte"))
      + Data(contentsOf: DataFixtures.url("labels-idx1-ubyte"))
    #expect(try Gzip.decompress(first + second, source: "two.gz") == plain)
  }

  @Test func reportsCorruptGzip() throws {
    let bytes: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
    let error = try DataFixtures.dataError { _ = try Gzip.decompress(Data(bytes), source: "c.gz") }
    #expect(error.message.hasPrefix("expected gzip data, found a corrupt stream"))
  }

  @Test func reportsShortIDXAndBadMagic() throws {
    let short = try DataFixtures.dataError {
      _ = try IDXFile.read(DataFixtures.url("short-idx3-ubyte"))
    }
    #expect(
      short.message
        == "expected 12 elements of 1 bytes for shape [3, 2, 2] (28 bytes), found 25 bytes")
    let magic = try DataFixtures.dataError {
      _ = try IDXFile.read(DataFixtures.url("features_f4.npy"))
    }
    #expect(
      magic.message == "expected the IDX magic 00 00 <type> <rank>, found 93 4e 55 4d")
  }

  @Test func mismatchedImagesAndLabels() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.loadIDX(
        images: DataFixtures.url("floats-idx2-float"),
        labels: DataFixtures.url("labels-idx1-ubyte"))
    }
    #expect(error.message == "expected 3 images to match the labels file, found shape [2, 3]")
  }
}
