import Foundation
import RetortTensor

// MARK: - Errors

/// A checkpoint that cannot be read, written or loaded: which file, which tensor, and why.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The file's name.
  public var file: String
  /// The tensor at fault, when there is one.
  public var tensor: String?
  /// A sentence saying what was expected and what was found.
  public var message: String
  /// A suggestion for the likely fix, when there is one.
  public var hint: String?

  /// Creates an error about `file` (and `tensor`).
  public init(file: String, tensor: String? = nil, _ message: String, hint: String? = nil) {
    (self.file, self.tensor, self.message, self.hint) = (file, tensor, message, hint)
  }

  /// `checkpoint teacher.safetensors, tensor 0.weight: message (hint: ...)`.
  public var description: String {
    var text = "checkpoint \(file)"
    if let tensor { text += ", tensor \(tensor)" }
    text += ": \(message)"
    if let hint { text += " (hint: \(hint))" }
    return text
  }
}

// MARK: - The safetensors format

/// A parsed safetensors file: an 8-byte little-endian header length, a JSON header mapping
/// each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative
/// to the data section) plus an optional `"__metadata__"` string map, then the raw
/// little-endian tensor bytes.
public struct SafeTensorsFile {
  /// One tensor's header entry.
  public struct Entry: Equatable, Sendable {
    /// The tensor's name (`0.weight`).
    public var name: String
    /// The element type as written in the header (`F32`, `I64`, `BF16`, ...).
    public var dtype: String
    /// The tensor's shape (`[]` for a scalar).
    public var shape: [Int]
    /// The byte range in the data section.
    public var byteRange: Range<Int>
  }

  /// The dtypes whose values `floats(for:)` converts, with their sizes in bytes.
  public static let readableSizes = ["F32": 4, "F64": 8, "F16": 2, "BF16": 2, "I64": 8]
  /// Sizes of every dtype safetensors defines, to check offsets of tensors we cannot read.
  static let dtypeSizes = readableSizes.merging(
    ["I32": 4, "I16": 2, "I8": 1, "U8": 1, "U16": 2, "U32": 4, "U64": 8, "BOOL": 1]
  ) { a, _ in a }

  /// The entries in the order their bytes lie in the file.
  public let entries: [Entry]
  /// The `"__metadata__"` strings.
  public let metadata: [String: String]
  /// The file name used in errors.
  public let fileName: String
  private let payload: Data

  /// Parses and checks a whole file; throws a `CheckpointError` naming `fileName`.
  public init(data: Data, fileName: String) throws {
    self.fileName = fileName
    func fail(_ message: String, tensor: String? = nil, hint: String? = nil) -> CheckpointError {
      CheckpointError(file: fileName, tensor: tensor, message, hint: hint)
    }
    let bytes = [UInt8](data)
    guard bytes.count >= 8 else {
      throw fail(
        "the file is truncated: \(bytes.count) bytes, too short for the 8-byte header length",
        hint: "the file may be empty or cut off while copying")
    }
    let headerLength = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[$1]) << (8 * UInt64($1)) }
    guard headerLength <= UInt64(bytes.count - 8), headerLength <= 100_000_000 else {
      throw fail(
        "the header claims \(headerLength) bytes but only \(bytes.count - 8) follow",
        hint: "the file is truncated or not a safetensors file")
    }
    let headerEnd = 8 + Int(headerLength)
    let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
    guard let header = json as? [String: Any] else {
      throw fail(
        "the header is not a JSON object", hint: "the file is damaged or not safetensors")
    }
    payload = Data(bytes[headerEnd...])
    var metadata: [String: String] = [:]
    var entries: [Entry] = []
    for (name, value) in header {
      if name == "__metadata__" {
        guard let map = value as? [String: String] else {
          throw fail("__metadata__ must map strings to strings")
        }
        metadata = map
        continue
      }
      guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
        let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int],
        offsets.count == 2
      else {
        throw fail("the header entry needs dtype, shape and two data_offsets", tensor: name)
      }
      let (begin, end) = (offsets[0], offsets[1])
      guard shape.allSatisfy({ $0 >= 0 }), begin >= 0, begin <= end, end <= payload.count else {
        throw fail(
          "data offsets [\(begin), \(end)] lie outside the \(payload.count) data bytes",
          tensor: name, hint: "the file is truncated or damaged")
      }
      if let size = Self.dtypeSizes[dtype], end - begin != shape.elementCount * size {
        throw fail(
          "shape \(formatShape(shape)) of \(dtype) needs \(shape.elementCount * size) bytes but "
            + "its offsets span \(end - begin)", tensor: name)
      }
      entries.append(Entry(name: name, dtype: dtype, shape: shape, byteRange: begin..<end))
    }
    self.entries = entries.sorted {
      ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name)
    }
    self.metadata = metadata
  }

  /// Reads and parses the file at `url`.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw CheckpointError(
        file: url.lastPathComponent, "cannot be read (\(error.localizedDescription))",
        hint: "check the path \(url.path)")
    }
    try self.init(data: data, fileName: url.lastPathComponent)
  }

  /// The entry called `name`.
  public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

  /// The values of `entry` as float32 (F32, F64, F16, BF16 and I64 are converted).
  public func floats(for entry: Entry) throws -> [Float] {
    guard Self.readableSizes[entry.dtype] != nil else {
      throw CheckpointError(
        file: fileName, tensor: entry.name,
        "unsupported dtype \(entry.dtype)", hint: "convert the tensor to float32 before saving")
    }
    let raw = [UInt8](
      payload[
        payload.startIndex + entry.byteRange.lowerBound..<payload.startIndex
          + entry.byteRange.upperBound])
    // Every dtype is little-endian; assemble each element from its bytes.
    func word(_ index: Int, _ size: Int) -> UInt64 {
      (0..<size).reduce(UInt64(0)) { $0 | UInt64(raw[index * size + $1]) << (8 * UInt64($1)) }
    }
    let count = entry.shape.elementCount
    switch entry.dtype {
    case "F32": return (0..<count).map { Float(bitPattern: UInt32(word($0, 4))) }
    case "F64": return (0..<count).map { Float(Double(bitPattern: word($0, 8))) }
    case "F16": return (0..<count).map { Self.halfToFloat(UInt16(word($0, 2))) }
    case "BF16": return (0..<count).map { Float(bitPattern: UInt32(word($0, 2)) << 16) }
    default: return (0..<count).map { Float(Int64(bitPattern: word($0, 8))) }
    }
  }

  /// IEEE half → float: rebias the exponent (15 → 127) and widen the mantissa (10 → 23 bits).
  static func halfToFloat(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1F)
    let mantissa = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * mantissa * 0x1p-24  // subnormal: m · 2^-24
    case 31: return mantissa == 0 ? sign * .infinity : .nan
    default:
      let scale = Float(sign: .plus, exponent: exponent - 15, significand: 1)
      return sign * (1 + mantissa / 1024) * scale
    }
  }

  /// The whole file as tensors, in file order (for inspecting a checkpoint).
  public func tensors() throws -> [NamedTensor] {
    try entries.map { entry in
      NamedTensor(entry.name, try Tensor(shape: entry.shape, scalars: try floats(for: entry)))
    }
  }

  // MARK: - Writing

  /// A tensor to write: its name, shape, and values stored as F32 or (counters) I64.
  public struct Record {
    /// The name in the header.
    public var name: String
    /// The shape in the header.
    public var shape: [Int]
    /// The values.
    public var values: [Float]
    /// Write as int64 (batch norm's `num_batches_tracked`, as PyTorch stores it).
    public var asInt64: Bool

    /// A record for the header and data.
    public init(name: String, shape: [Int], values: [Float], asInt64: Bool = false) {
      (self.name, self.shape, self.values, self.asInt64) = (name, shape, values, asInt64)
    }
  }

  /// Encodes `records` in the given order, the header padded with spaces to a multiple of 8
  /// bytes (as the reference implementation does, so the data section stays aligned).
  public static func encode(_ records: [Record], metadata: [String: String] = [:]) -> Data {
    var parts: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.sorted { $0.key < $1.key }
        .map { "\(jsonString($0.key)):\(jsonString($0.value))" }
      parts.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var body: [UInt8] = []
    for record in records {
      let begin = body.count
      if record.asInt64 {
        for value in record.values {
          // A counter is a whole number; anything else (NaN, ±inf) is stored as 0.
          let count = value.isFinite && Swift.abs(value) < 9e18 ? Int64(value.rounded()) : 0
          appendLittleEndian(UInt64(bitPattern: count), 8, &body)
        }
      } else {
        for value in record.values { appendLittleEndian(UInt64(value.bitPattern), 4, &body) }
      }
      let shape = record.shape.map(String.init).joined(separator: ",")
      parts.append(
        "\(jsonString(record.name)):{\"dtype\":\"\(record.asInt64 ? "I64" : "F32")\","
          + "\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(body.count)]}")
    }
    var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
    while header.count % 8 != 0 { header.append(0x20) }
    var file: [UInt8] = []
    appendLittleEndian(UInt64(header.count), 8, &file)
    return Data(file + header + body)
  }

  private static func appendLittleEndian(_ value: UInt64, _ size: Int, _ bytes: inout [UInt8]) {
    for i in 0..<size { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
  }

  /// A JSON string literal with quotes, backslashes and control characters escaped.
  static func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }
}
