import Foundation
import RetortTensor

/// An array read from an IDX file (the MNIST format), values widened to `Float`.
public struct IDXArray {
  /// The dimensions stored in the header, outermost first.
  public var shape: [Int]
  /// The elements in row-major order.
  public var values: [Float]
}

/// Reads IDX files: a 4-byte magic (0, 0, element type, rank), `rank` big-endian UInt32
/// dimensions, then the elements big-endian in row-major order.
public enum IDXFile {
  /// Reads an IDX file, decompressing it first when it is gzip (by content, not by name).
  public static func read(_ url: URL) throws -> IDXArray {
    var data = try readFileData(url)
    if Gzip.isCompressed(data) { data = try Gzip.decompress(data, source: url.path) }
    return try parse(data, source: url.path)
  }

  /// Parses the bytes of an (uncompressed) IDX file; `source` names it in errors.
  public static func parse(_ data: Data, source: String) throws -> IDXArray {
    let bytes = [UInt8](data)
    guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
      let found = bytes.prefix(4).map { String(format: "%02x", $0) }.joined(separator: " ")
      throw DataError(
        file: source, found: found,
        "expected the IDX magic 00 00 <type> <rank>, found \(found.isEmpty ? "no bytes" : found)",
        hint: "IDX files are the MNIST format; if the file is compressed it must be gzip")
    }
    let typeCode = bytes[2]
    let rank = Int(bytes[3])
    let elementSize: Int
    switch typeCode {
    case 0x08, 0x09: elementSize = 1
    case 0x0B: elementSize = 2
    case 0x0C, 0x0D: elementSize = 4
    case 0x0E: elementSize = 8
    default:
      throw DataError(
        file: source, found: String(format: "0x%02x", typeCode),
        "expected an IDX element type (0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, "
          + "0x0d float, 0x0e double), found " + String(format: "0x%02x", typeCode))
    }
    let headerSize = 4 + 4 * rank
    guard bytes.count >= headerSize else {
      throw DataError(
        file: source,
        "expected \(rank) dimensions in the header, found the file ends after "
          + "\(bytes.count) bytes",
        hint: "the file is truncated")
    }
    var shape: [Int] = []
    var total = 1
    for axis in 0..<rank {
      let extent = Int(readBigEndian(bytes, at: 4 + 4 * axis, size: 4))
      shape.append(extent)
      // Guard the product so a garbage header cannot overflow.
      let (product, overflow) = total.multipliedReportingOverflow(by: extent)
      guard !overflow, product <= 1 << 34 else {
        throw DataError(
          file: source, "expected sensible dimensions, found \(formatShape(shape))",
          hint: "the header is damaged")
      }
      total = product
    }
    let expected = headerSize + total * elementSize
    guard bytes.count >= expected else {
      throw DataError(
        file: source,
        "expected \(total) elements of \(elementSize) bytes for shape \(formatShape(shape)) "
          + "(\(expected) bytes), found \(bytes.count) bytes",
        hint: "the file is truncated")
    }
    var values = [Float](repeating: 0, count: total)
    if typeCode == 0x08 {
      // Unsigned bytes (all of MNIST): a tight loop, this is 47 million values for training.
      values.withUnsafeMutableBufferPointer { destination in
        bytes.withUnsafeBufferPointer { source in
          for i in 0..<total { destination[i] = Float(source[headerSize + i]) }
        }
      }
      return IDXArray(shape: shape, values: values)
    }
    for i in 0..<total {
      let offset = headerSize + i * elementSize
      switch typeCode {
      case 0x08: values[i] = Float(bytes[offset])
      case 0x09: values[i] = Float(Int8(bitPattern: bytes[offset]))
      case 0x0B:
        values[i] = Float(Int16(bitPattern: UInt16(readBigEndian(bytes, at: offset, size: 2))))
      case 0x0C:
        values[i] = Float(Int32(bitPattern: UInt32(readBigEndian(bytes, at: offset, size: 4))))
      case 0x0D:
        values[i] = Float(bitPattern: UInt32(readBigEndian(bytes, at: offset, size: 4)))
      default:
        values[i] = Float(Double(bitPattern: readBigEndian(bytes, at: offset, size: 8)))
      }
    }
    return IDXArray(shape: shape, values: values)
  }

  /// An unsigned big-endian integer of `size` bytes (the caller checked the bounds).
  private static func readBigEndian(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in 0..<size { value = value << 8 | UInt64(bytes[offset + i]) }
    return value
  }
}

// MARK: - Datasets from IDX

extension Dataset {
  /// Loads an images file and a labels file in IDX format (plain or gzip).
  ///
  /// Images `[N, H, W]` become features `[N, 1, H, W]` divided by `scale` (255 maps bytes to
  /// [0, 1]); labels `[N]` must be whole numbers in `0..<classNames.count` (when no names
  /// are given they are "0"..."max").
  public static func loadIDX(
    images imagesURL: URL, labels labelsURL: URL, classNames: [String]? = nil,
    scale: Float = 255, name: String = "idx"
  ) throws -> Dataset {
    let images = try IDXFile.read(imagesURL)
    let labelArray = try IDXFile.read(labelsURL)
    guard labelArray.shape.count == 1 else {
      throw DataError(
        file: labelsURL.path,
        "expected a 1-D labels array, found shape \(formatShape(labelArray.shape))")
    }
    guard let first = images.shape.first, first == labelArray.shape[0] else {
      throw DataError(
        file: imagesURL.path,
        "expected \(labelArray.shape[0]) images to match the labels file, found shape "
          + formatShape(images.shape),
        hint: "pair the images and labels files of the same split")
    }
    let labels = try wholeLabels(labelArray.values, source: labelsURL.path)
    let names = classNames ?? (0...(labels.max() ?? 0)).map(String.init)
    var exampleShape = Array(images.shape.dropFirst())
    if exampleShape.count == 2 { exampleShape.insert(1, at: 0) }
    let scaled = scale == 1 ? images.values : images.values.map { $0 / scale }
    let features = try Tensor(shape: [first] + exampleShape, scalars: scaled)
    return try Dataset(name: name, features: features, labels: labels, classNames: names)
  }

  /// Labels read as floats, checked to be whole and non-negative.
  static func wholeLabels(_ values: [Float], source: String) throws -> [Int] {
    var labels: [Int] = []
    labels.reserveCapacity(values.count)
    for (index, value) in values.enumerated() {
      guard value >= 0, value < 1e6, value == value.rounded() else {
        throw DataError(
          file: source, found: "\(value)",
          "expected whole non-negative class labels, found \(value) at index \(index)")
      }
      labels.append(Int(value))
    }
    return labels
  }
}
