// A JSON tree that keeps notebook metadata we do not interpret (widgets, extensions), and a
// serializer that writes it the way Jupyter does: sorted keys, one-space indent, no ASCII
// escaping, so files we save diff cleanly against files Jupyter saved.

import Foundation

// MARK: - JSON value

/// A JSON value as a Swift enum; integers and floating-point numbers are kept apart.
public enum JSONValue: Sendable, Equatable, Hashable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number without fraction or exponent.
  case int(Int)
  /// Any other number.
  case double(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object; key order is not significant (keys are sorted when written).
  case object([String: JSONValue])

  /// The string, if this is a string.
  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  /// The elements, if this is an array.
  public var arrayValue: [JSONValue]? {
    if case .array(let elements) = self { return elements }
    return nil
  }

  /// The members, if this is an object.
  public var objectValue: [String: JSONValue]? {
    if case .object(let members) = self { return members }
    return nil
  }

  /// The integer, if this is an integer (or a double with an integral value).
  public var intValue: Int? {
    switch self {
    case .int(let value): return value
    case .double(let value) where value == value.rounded() && abs(value) < 9e15:
      return Int(value)
    default: return nil
    }
  }

  /// A string, or an array of strings joined together (how Jupyter stores multiline text).
  public var joinedText: String? {
    switch self {
    case .string(let text): return text
    case .array(let parts):
      var text = ""
      for part in parts {
        guard case .string(let line) = part else { return nil }
        text += line
      }
      return text
    default: return nil
    }
  }

  /// The member `key`, if this is an object that has it.
  public subscript(key: String) -> JSONValue? {
    objectValue?[key]
  }

  // MARK: - Conversion from Foundation

  /// Converts the output of `JSONSerialization`; returns `nil` for anything that is not
  /// one of its JSON types.
  public init?(foundation value: Any) {
    switch value {
    case is NSNull:
      self = .null
    case let number as NSNumber:
      self = JSONValue.number(number)
    case let text as String:
      self = .string(text)
    case let elements as [Any]:
      var converted: [JSONValue] = []
      for element in elements {
        guard let value = JSONValue(foundation: element) else { return nil }
        converted.append(value)
      }
      self = .array(converted)
    case let members as [String: Any]:
      var converted: [String: JSONValue] = [:]
      for (key, member) in members {
        guard let value = JSONValue(foundation: member) else { return nil }
        converted[key] = value
      }
      self = .object(converted)
    default:
      return nil
    }
  }

  private static func number(_ number: NSNumber) -> JSONValue {
    // JSONSerialization returns booleans as the shared CFBoolean instances, whose class
    // differs from other NSNumbers; objCType "c" (char) is how they present on Linux.
    if type(of: number) == type(of: NSNumber(value: true)) { return .bool(number.boolValue) }
    let kind = String(cString: number.objCType)
    switch kind {
    case "c", "B": return .bool(number.boolValue)
    case "d", "f": return .double(number.doubleValue)
    case "Q" where number.uint64Value > UInt64(Int.max): return .double(number.doubleValue)
    default: return .int(number.intValue)
    }
  }

  // MARK: - Serialization

  /// The value as JSON text in Jupyter's layout: `json.dumps(value, sort_keys=True,
  /// indent=1, ensure_ascii=False)`. Non-finite doubles, which JSON cannot hold, become
  /// `null`.
  public func serialized(indent: Int = 1) -> String {
    var output = ""
    write(to: &output, depth: 0, indent: indent)
    return output
  }

  /// The value on one line as Python's `json.dumps(value, sort_keys=True,
  /// ensure_ascii=False)` writes it: `[1, 2]`, `{"a": true}`.
  public func compactText() -> String {
    switch self {
    case .array(let elements):
      return "[" + elements.map { $0.compactText() }.joined(separator: ", ") + "]"
    case .object(let members):
      let keys = members.keys.sorted {
        $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
      }
      let pairs = keys.map { key in
        JSONValue.string(key).compactText() + ": " + (members[key] ?? .null).compactText()
      }
      return "{" + pairs.joined(separator: ", ") + "}"
    default:
      return serialized()
    }
  }

  private func write(to output: inout String, depth: Int, indent: Int) {
    switch self {
    case .null: output += "null"
    case .bool(let value): output += value ? "true" : "false"
    case .int(let value): output += String(value)
    case .double(let value): output += value.isFinite ? JSONValue.format(value) : "null"
    case .string(let text): JSONValue.writeString(text, to: &output)
    case .array(let elements):
      guard !elements.isEmpty else { return output += "[]" }
      output += "["
      for (index, element) in elements.enumerated() {
        output += (index == 0 ? "\n" : ",\n") + padding(depth + 1, indent)
        element.write(to: &output, depth: depth + 1, indent: indent)
      }
      output += "\n" + padding(depth, indent) + "]"
    case .object(let members):
      guard !members.isEmpty else { return output += "{}" }
      output += "{"
      // Python sorts keys by code point; Swift's String `<` does not always agree.
      let keys = members.keys.sorted {
        $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
      }
      for (index, key) in keys.enumerated() {
        output += (index == 0 ? "\n" : ",\n") + padding(depth + 1, indent)
        JSONValue.writeString(key, to: &output)
        output += ": "
        members[key]?.write(to: &output, depth: depth + 1, indent: indent)
      }
      output += "\n" + padding(depth, indent) + "}"
    }
  }

  private func padding(_ depth: Int, _ indent: Int) -> String {
    String(repeating: " ", count: depth * indent)
  }

  /// Swift's description is the shortest form that reads back to the same double and, like
  /// Python's `repr`, keeps `.0` on integral values and writes exponents as `1e-05`.
  private static func format(_ value: Double) -> String {
    "\(value)"
  }

  private static func writeString(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case "\u{08}": output += "\\b"
      case "\u{0C}": output += "\\f"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
    output += "\""
  }
}
