import Foundation
import RetortTensor

/// An array read from a NumPy `.npy` file: its shape, its dtype and the raw element bytes.
public struct NPYArray {
  /// The array's shape (`[]` for a 0-d array).
  public var shape: [Int]
  /// The NumPy type string, e.g. `<f4`.
  public var descr: String
  /// The element bytes, little-endian, C order.
  var payload: [UInt8]

  /// The number of elements.
  public var count: Int { shape.elementCount }

  /// The elements converted to `Float` (integers and doubles are rounded to float32).
  public func floats() -> [Float] {
    let n = count
    return payload.withUnsafeBytes { raw -> [Float] in
      // One loop per dtype so the type test is not repeated for every element.
      switch descr {
      case "<f4":
        return (0..<n).map {
          Float(
            bitPattern: UInt32(
              littleEndian: raw.loadUnaligned(
                fromByteOffset: $0 * 4, as: UInt32.self)))
        }
      case "<f8":
        return (0..<n).map {
          Float(
            Double(
              bitPattern: UInt64(
                littleEndian: raw.loadUnaligned(
                  fromByteOffset: $0 * 8, as: UInt64.self))))
        }
      case "<i8":
        return (0..<n).map {
          Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)))
        }
      case "<i4":
        return (0..<n).map {
          Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)))
        }
      default:
        return (0..<n).map { Float(raw[$0]) }
      }
    }
  }

  /// The elements as class labels: whole, non-negative numbers, or an error naming the
  /// first one that is not.
  public func labels(source: String) throws -> [Int] {
    try Dataset.wholeLabels(floats(), source: source)
  }
}

/// Reads and writes NumPy `.npy` files (format versions 1, 2 and 3).
///
/// Supported dtypes: `<f4`, `<f8`, `<i8`, `<i4`, `|u1`, `<u1`; C order only. Big-endian,
/// Fortran-ordered, structured and object arrays are rejected with an error saying so.
public enum NPYFile {
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
  static let supported = ["<f4": 4, "<f8": 8, "<i8": 8, "<i4": 4, "|u1": 1, "<u1": 1]

  /// Reads an `.npy` file.
  public static func read(_ url: URL) throws -> NPYArray {
    try parse(readFileData(url), source: url.path)
  }

  /// Parses the bytes of an `.npy` file; `source` names it in errors.
  public static func parse(_ data: Data, source: String) throws -> NPYArray {
    let bytes = [UInt8](data)
    guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
      let found = bytes.prefix(6).map { String(format: "%02x", $0) }.joined(separator: " ")
      throw DataError(
        file: source, found: found,
        "expected the NPY magic \\x93NUMPY, found "
          + (found.isEmpty ? "an empty file" : "bytes \(found)"),
        hint: "save the array with numpy.save; .npz archives and pickles are not supported")
    }
    let major = bytes[6]
    let headerLength: Int
    let headerStart: Int
    switch major {
    case 1:
      headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
      headerStart = 10
    case 2, 3:
      guard bytes.count >= 12 else {
        throw DataError(file: source, "expected a header length, found the file ends")
      }
      headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
      headerStart = 12
    default:
      throw DataError(
        file: source, found: "\(major)",
        "expected NPY format version 1, 2 or 3, found version \(major)")
    }
    guard bytes.count >= headerStart + headerLength else {
      throw DataError(
        file: source,
        "expected a \(headerLength)-byte header, found the file ends after "
          + "\(bytes.count) bytes",
        hint: "the file is truncated")
    }
    let header = String(
      decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
    let (descr, fortranOrder, shape) = try parseHeader(header, source: source)
    guard let elementSize = supported[descr] else {
      throw DataError(
        file: source, found: descr,
        "expected dtype <f4, <f8, <i8, <i4 or |u1, found \(quoted(descr))",
        hint: descr.hasPrefix(">")
          ? "the array is big-endian; save array.astype('<f4') instead"
          : "convert with array.astype(numpy.float32) before saving")
    }
    guard !fortranOrder else {
      throw DataError(
        file: source, found: "fortran_order: True",
        "expected a C-ordered array, found fortran_order True",
        hint: "save numpy.ascontiguousarray(array) instead")
    }
    let (total, overflow) = shape.reduce((1, false)) {
      let (product, flag) = $0.0.multipliedReportingOverflow(by: $1)
      return (product, $0.1 || flag)
    }
    let dataStart = headerStart + headerLength
    guard !overflow, shape.allSatisfy({ $0 >= 0 }),
      bytes.count - dataStart >= total * elementSize
    else {
      throw DataError(
        file: source,
        "expected \(total) elements of \(elementSize) bytes for shape \(formatShape(shape)), "
          + "found \(bytes.count - dataStart) data bytes",
        hint: "the file is truncated")
    }
    return NPYArray(
      shape: shape, descr: descr == "<u1" ? "|u1" : descr,
      payload: Array(bytes[dataStart..<dataStart + total * elementSize]))
  }

  /// The three header fields from the Python dict literal
  /// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
  static func parseHeader(
    _ header: String, source: String
  ) throws -> (descr: String, fortranOrder: Bool, shape: [Int]) {
    func value(of key: String) throws -> Substring {
      guard let keyRange = header.range(of: "'\(key)':") else {
        throw DataError(
          file: source, found: header.trimmingCharacters(in: .whitespacesAndNewlines),
          "expected the key '\(key)' in the NPY header, found \(quoted(header, limit: 80))",
          hint: "the header is damaged; save the array again with numpy.save")
      }
      return header[keyRange.upperBound...].drop { $0 == " " }
    }
    let descrValue = try value(of: "descr")
    guard descrValue.first == "'", let close = descrValue.dropFirst().firstIndex(of: "'") else {
      throw DataError(
        file: source,
        "expected a quoted dtype after 'descr', found \(quoted(String(descrValue.prefix(20))))")
    }
    let descr = String(descrValue[descrValue.index(after: descrValue.startIndex)..<close])
    let fortranValue = try value(of: "fortran_order")
    let fortranOrder = fortranValue.hasPrefix("True")
    guard fortranOrder || fortranValue.hasPrefix("False") else {
      throw DataError(
        file: source,
        "expected True or False for 'fortran_order', found "
          + quoted(String(fortranValue.prefix(10))))
    }
    let shapeValue = try value(of: "shape")
    guard shapeValue.first == "(", let closeParen = shapeValue.firstIndex(of: ")") else {
      throw DataError(
        file: source,
        "expected a tuple for 'shape', found \(quoted(String(shapeValue.prefix(20))))")
    }
    let inner = shapeValue[shapeValue.index(after: shapeValue.startIndex)..<closeParen]
    var shape: [Int] = []
    for part in inner.split(separator: ",") {
      let text = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
      if text.isEmpty { continue }
      guard let extent = Int(text), extent >= 0 else {
        throw DataError(
          file: source, found: text, "expected whole numbers in 'shape', found \(quoted(text))")
      }
      shape.append(extent)
    }
    return (descr, fortranOrder, shape)
  }

  /// Writes `tensor` as a version 1.0 `<f4` C-ordered `.npy` file.
  public static func write(_ tensor: Tensor, to url: URL) throws {
    let shapeText: String
    switch tensor.shape.count {
    case 0: shapeText = "()"
    case 1: shapeText = "(\(tensor.shape[0]),)"
    default: shapeText = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
    }
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
    // Pad with spaces so the data starts on a 64-byte boundary, ending in a newline.
    let unpadded = 10 + header.utf8.count + 1
    header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    let length = header.utf8.count
    var bytes = magic + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
    bytes += Array(header.utf8)
    for value in tensor.scalars {
      let bits = value.bitPattern.littleEndian
      bytes += [
        UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24),
      ]
    }
    do {
      try Data(bytes).write(to: url)
    } catch {
      throw DataError(file: url.path, "could not be written: \(error.localizedDescription)")
    }
  }
}

// MARK: - Datasets from NPY

extension Dataset {
  /// Loads features from one `.npy` file (`[N, ...]`, any supported dtype, converted to
  /// float32 unchanged) and whole-number labels from another (`[N]`).
  public static func loadNPY(
    features featuresURL: URL, labels labelsURL: URL, classNames: [String]? = nil,
    name: String? = nil
  ) throws -> Dataset {
    let featureArray = try NPYFile.read(featuresURL)
    let labelArray = try NPYFile.read(labelsURL)
    guard let examples = featureArray.shape.first else {
      throw DataError(
        file: featuresURL.path, "expected features shaped [N, ...], found a 0-d array")
    }
    guard labelArray.shape == [examples] else {
      throw DataError(
        file: labelsURL.path,
        "expected labels of shape [\(examples)] to match the features, found "
          + formatShape(labelArray.shape),
        hint: "labels are one whole number per example")
    }
    let labels = try labelArray.labels(source: labelsURL.path)
    let names = classNames ?? (0...(labels.max() ?? 0)).map(String.init)
    let features = try Tensor(shape: featureArray.shape, scalars: featureArray.floats())
    return try Dataset(
      name: name ?? featuresURL.deletingPathExtension().lastPathComponent,
      features: features, labels: labels, classNames: names)
  }
}
