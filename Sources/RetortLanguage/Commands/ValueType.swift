import Foundation
import RetortTensor

// The types command parameters declare. A type both checks and converts: a parameter of type
// `tensor` also accepts a number or a nested list of numbers, and `integer` accepts 3.0 but
// not 3.5. New kinds of value (models, datasets, losses) add their own static members.

/// A parameter type: a name for help text, a phrase for error messages, and a conversion.
public struct ValueType: Sendable, CustomStringConvertible {
  /// A short name for usage lines and option tables: `integer`, `tensor`, `shape`.
  public var name: String
  /// What an error message says is expected: "a whole number", "a tensor".
  public var expectation: String
  /// Converts an argument to the form the command reads, or returns nil when it does not fit.
  let convert: @Sendable (Value) -> Value?

  /// Creates a type.
  public init(
    name: String, expectation: String, convert: @escaping @Sendable (Value) -> Value?
  ) {
    self.name = name
    self.expectation = expectation
    self.convert = convert
  }

  /// The type's name.
  public var description: String { name }

  /// `value` converted to this type, or nil.
  public func coerce(_ value: Value) -> Value? { convert(value) }
}

// MARK: - Standard types

extension ValueType {
  /// Anything.
  public static let any = ValueType(name: "any", expectation: "a value") { $0 }

  /// Any number.
  public static let number = ValueType(name: "number", expectation: "a number") {
    if case .number = $0 { return $0 }
    if case .tensor(let t) = $0, t.count == 1, let x = t.scalars.first {
      return .number(Double(x))
    }
    return nil
  }

  /// A whole number (3 or 3.0).
  public static let integer = ValueType(name: "integer", expectation: "a whole number") {
    guard let x = ValueType.number.convert($0)?.numberValue, isWhole(x) else { return nil }
    return .number(x)
  }

  /// A whole number of at least 1.
  public static let positiveInteger = ValueType(
    name: "positive integer", expectation: "a whole number of at least 1"
  ) {
    guard let x = ValueType.integer.convert($0)?.numberValue, x >= 1 else { return nil }
    return .number(x)
  }

  /// A whole number of at least 0.
  public static let count = ValueType(
    name: "count", expectation: "a whole number of at least 0"
  ) {
    guard let x = ValueType.integer.convert($0)?.numberValue, x >= 0 else { return nil }
    return .number(x)
  }

  /// A number greater than 0.
  public static let positiveNumber = ValueType(
    name: "positive number", expectation: "a number greater than 0"
  ) {
    guard let x = ValueType.number.convert($0)?.numberValue, x > 0 else { return nil }
    return .number(x)
  }

  /// A number from 0 to 1.
  public static let probability = ValueType(
    name: "probability", expectation: "a number from 0 to 1"
  ) {
    guard let x = ValueType.number.convert($0)?.numberValue, x >= 0, x <= 1 else { return nil }
    return .number(x)
  }

  /// Text.
  public static let string = ValueType(name: "string", expectation: "a string") {
    if case .string = $0 { return $0 }
    return nil
  }

  /// `true` or `false`.
  public static let bool = ValueType(name: "bool", expectation: "true or false") {
    if case .bool = $0 { return $0 }
    return nil
  }

  /// A shape: a list of whole numbers of at least 0 (`[4, 64]`), or one number (`10`).
  public static let shape = ValueType(
    name: "shape", expectation: "a shape like [4, 64]"
  ) {
    switch $0 {
    case .number(let x) where isWhole(x) && x >= 0: return .list([.number(x)])
    case .list(let items):
      guard
        items.allSatisfy({ item in
          if case .number(let x) = item { return isWhole(x) && x >= 0 }
          return false
        })
      else { return nil }
      return $0
    default: return nil
    }
  }

  /// A list of whole numbers, negatives allowed (axes, class labels).
  public static let integers = ValueType(
    name: "list of integers", expectation: "a list of whole numbers like [0, 2]"
  ) {
    switch $0 {
    case .number(let x) where isWhole(x): return .list([.number(x)])
    case .list(let items):
      guard
        items.allSatisfy({ item in
          if case .number(let x) = item { return isWhole(x) }
          return false
        })
      else { return nil }
      return $0
    case .tensor(let t) where t.rank <= 1 && t.scalars.allSatisfy({ isWhole(Double($0)) }):
      return .list(t.scalars.map { .number(Double($0)) })
    default: return nil
    }
  }

  /// A list of numbers (a single number counts as a list of one).
  public static let numbers = ValueType(
    name: "list of numbers", expectation: "a list of numbers like [0.1, 0.5]"
  ) {
    switch $0 {
    case .number: return .list([$0])
    case .list(let items):
      return items.allSatisfy({ $0.numberValue != nil }) ? $0 : nil
    default: return nil
    }
  }

  /// A tensor; a number or a (nested) list of numbers is converted to one.
  public static let tensor = ValueType(name: "tensor", expectation: "a tensor") {
    tensorFrom($0).map(Value.tensor)
  }

  /// A list of tensors (each element converted as for `tensor`).
  public static let tensors = ValueType(
    name: "list of tensors", expectation: "a list of tensors"
  ) {
    guard case .list(let items) = $0 else { return nil }
    var result: [Value] = []
    for item in items {
      guard let tensor = tensorFrom(item) else { return nil }
      result.append(.tensor(tensor))
    }
    return .list(result)
  }

  /// A list of any values.
  public static let list = ValueType(name: "list", expectation: "a list") {
    if case .list = $0 { return $0 }
    return nil
  }

  /// Something that can be called: a function or a command.
  public static let callable = ValueType(
    name: "function", expectation: "a function or command"
  ) {
    switch $0 {
    case .function, .command: return $0
    default: return nil
    }
  }
}

// MARK: - Helpers

/// True when `x` is finite and has no fractional part, and fits in an `Int` comfortably.
func isWhole(_ x: Double) -> Bool {
  x.isFinite && x == x.rounded() && Swift.abs(x) < 9e15
}

/// A tensor from a tensor, a number, or a rectangular nested list of numbers.
func tensorFrom(_ value: Value) -> Tensor? {
  switch value {
  case .tensor(let tensor): return tensor
  case .number(let x): return Tensor(Float(x))
  case .bool(let flag): return Tensor(flag ? 1 : 0)
  case .list:
    guard let nested = nestedNumbers(value) else { return nil }
    return try? Tensor.fromNested(nested)
  default: return nil
  }
}

/// A list as nested `[Any]` of `Double` for `Tensor.fromNested`, or nil if a leaf is not a
/// number (tensors inside lists are flattened in as nested lists).
private func nestedNumbers(_ value: Value) -> Any? {
  switch value {
  case .number(let x): return x
  case .bool(let flag): return flag ? 1.0 : 0.0
  case .list(let items):
    var result: [Any] = []
    for item in items {
      guard let converted = nestedNumbers(item) else { return nil }
      result.append(converted)
    }
    return result
  case .tensor(let tensor):
    return nestedArray(tensor.scalars[...], shape: tensor.shape[...])
  default: return nil
  }
}

private func nestedArray(_ scalars: ArraySlice<Float>, shape: ArraySlice<Int>) -> Any {
  guard let first = shape.first else { return Double(scalars.first ?? 0) }
  let inner = shape.dropFirst().reduce(1, *)
  return (0..<first).map { index -> Any in
    let start = scalars.startIndex + index * inner
    return nestedArray(scalars[start..<(start + inner)], shape: shape.dropFirst())
  }
}
