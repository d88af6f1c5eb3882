import Foundation
import RetortNetworks
import RetortTensor

// Unary and binary operators. Numbers follow IEEE arithmetic except that dividing by the
// number 0 is an error; tensors combine with numbers, numeric lists and other tensors by
// NumPy broadcasting; comparisons of tensors give 0/1 tensors.

extension Interpreter {
  // MARK: - Unary

  func unary(_ op: UnaryOperator, _ operand: Value, at range: SourceRange) throws -> Value {
    switch (op, operand) {
    case (.negate, .number(let x)):
      return .number(-x)
    case (.negate, .tensor(let tensor)):
      return .tensor(-tensor)
    case (.not, _):
      return .bool(!(try truthy(operand, at: range)))
    default:
      throw RuntimeError(
        "cannot negate \(describe(operand))", at: range, hint: "'-' applies to numbers and tensors")
    }
  }

  // MARK: - Binary

  func binary(_ op: BinaryOperator, _ lhs: Expression, _ rhs: Expression, at range: SourceRange)
    throws -> Value
  {
    // `and` / `or` short-circuit and give a bool.
    if op == .and || op == .or {
      let left = try truthy(evaluate(lhs), at: lhs.range)
      if op == .and && !left { return .bool(false) }
      if op == .or && left { return .bool(true) }
      return .bool(try truthy(evaluate(rhs), at: rhs.range))
    }
    let left = try evaluate(lhs)
    let right = try evaluate(rhs)
    let opRange = operatorRange(op, between: lhs.range, and: rhs.range) ?? range
    return try apply(op, left, right, at: opRange)
  }

  /// Applies a binary operator to two values; `range` is the operator's position.
  func apply(_ op: BinaryOperator, _ left: Value, _ right: Value, at range: SourceRange)
    throws -> Value
  {
    switch (left, right) {
    case (.number(let a), .number(let b)):
      return try numeric(op, a, b, at: range)
    case (.tensor, _), (_, .tensor):
      return try tensorOperation(op, left, right, at: range)
    case (.loss, _), (_, .loss):
      if let loss = lossOperation(op, left, right) { return .loss(loss) }
    case (.string(let a), .string(let b)):
      switch op {
      case .add:
        try checkSize(a.utf8.count + b.utf8.count, what: "a string", at: range)
        return .string(a + b)
      case .less: return .bool(a < b)
      case .lessEqual: return .bool(a <= b)
      case .greater: return .bool(a > b)
      case .greaterEqual: return .bool(a >= b)
      default: break
      }
    case (.list(let a), .list(let b)) where op == .add:
      try checkSize(a.count + b.count, what: "a list", at: range)
      return .list(a + b)
    case (.list, .number), (.number, .list):
      if op != .equal && op != .notEqual {
        // `[1, 2] * 2` in the numeric sense: treat numeric lists as tensors.
        if tensorFrom(left) != nil && tensorFrom(right) != nil {
          return try tensorOperation(op, left, right, at: range)
        }
      }
    default:
      break
    }
    if op == .equal { return .bool(left.isEqual(to: right)) }
    if op == .notEqual { return .bool(!left.isEqual(to: right)) }
    var hint: String?
    if case .string = left { hint = "insert values into text with interpolation: \"x={x}\"" }
    if case .string = right { hint = "insert values into text with interpolation: \"x={x}\"" }
    throw RuntimeError(
      "cannot apply '\(op.rawValue)' to \(describe(left)) and \(describe(right))", at: range,
      hint: hint)
  }

  /// The loss algebra: `a + b`, `a - b`, `w * a`, `a * w`, `a / w`.
  private func lossOperation(_ op: BinaryOperator, _ left: Value, _ right: Value)
    -> DistillationLoss?
  {
    switch (op, left, right) {
    case (.add, .loss(let a), .loss(let b)): return a + b
    case (.subtract, .loss(let a), .loss(let b)): return a - b
    case (.multiply, .number(let w), .loss(let a)), (.multiply, .loss(let a), .number(let w)):
      return Float(w) * a
    case (.divide, .loss(let a), .number(let w)) where w != 0: return Float(1 / w) * a
    default: return nil
    }
  }

  private func numeric(_ op: BinaryOperator, _ a: Double, _ b: Double, at range: SourceRange)
    throws -> Value
  {
    switch op {
    case .add: return .number(a + b)
    case .subtract: return .number(a - b)
    case .multiply: return .number(a * b)
    case .divide, .remainder:
      guard b != 0 else {
        throw RuntimeError("division by zero", at: range, hint: "the right operand is 0")
      }
      if op == .divide { return .number(a / b) }
      // Python's sign convention: the result takes the sign of the divisor.
      let r = fmod(a, b)
      return .number(r != 0 && (r < 0) != (b < 0) ? r + b : r)
    case .power: return .number(Foundation.pow(a, b))
    case .matrixMultiply:
      throw RuntimeError(
        "'@' multiplies matrices, not numbers", at: range, hint: "use '*' for numbers")
    case .equal: return .bool(a == b)
    case .notEqual: return .bool(a != b)
    case .less: return .bool(a < b)
    case .lessEqual: return .bool(a <= b)
    case .greater: return .bool(a > b)
    case .greaterEqual: return .bool(a >= b)
    case .and, .or: return .bool(false)  // handled by `binary`
    }
  }

  // MARK: - Tensors

  private func tensorOperation(
    _ op: BinaryOperator, _ left: Value, _ right: Value, at range: SourceRange
  ) throws -> Value {
    guard let a = tensorFrom(left), let b = tensorFrom(right) else {
      if op == .equal { return .bool(false) }
      if op == .notEqual { return .bool(true) }
      throw RuntimeError(
        "cannot apply '\(op.rawValue)' to \(describe(left)) and \(describe(right))", at: range,
        hint: "tensors combine with numbers, lists of numbers and other tensors")
    }
    do {
      if op == .matrixMultiply {
        guard a.rank >= 1, b.rank >= 1 else {
          throw RuntimeError(
            "'@' needs tensors of rank 1 or more, got \(describe(left)) and \(describe(right))",
            at: range, hint: "use '*' to scale by a number")
        }
        return .tensor(try a.matmul(b))
      }
      let shape = try Broadcast.shape(a.shape, b.shape, op: op.rawValue)
      try checkSize(shape.elementCount, what: "the result of '\(op.rawValue)'", at: range)
      switch op {
      case .add: return .tensor(try a + b)
      case .subtract: return .tensor(try a - b)
      case .multiply: return .tensor(try a * b)
      case .divide: return .tensor(try a / b)
      case .remainder:
        // a - b * floor(a / b), the same convention as for numbers.
        let quotient = try (a / b).detached()
        let floored = quotient.scalars.map { $0.rounded(.down) }
        let f = try Tensor(shape: quotient.shape, scalars: floored)
        return .tensor(try a - b * f)
      case .power:
        if let exponent = right.numberValue { return .tensor(a.pow(Float(exponent))) }
        return .tensor(try a.pow(b))
      case .equal: return .tensor(try a.equal(b))
      case .notEqual: return .tensor(try a.notEqual(b))
      case .less: return .tensor(try a.less(b))
      case .lessEqual: return .tensor(try a.lessOrEqual(b))
      case .greater: return .tensor(try a.greater(b))
      case .greaterEqual: return .tensor(try a.greaterOrEqual(b))
      case .matrixMultiply, .and, .or: return .none
      }
    } catch let error as TensorError {
      throw RuntimeError(
        "cannot compute \(describe(left)) \(op.rawValue) \(describe(right)): \(error.message)",
        at: range, hint: error.hint)
    }
  }

  // MARK: - Operator position

  /// The range of the operator token between two operands, found in the current source by
  /// skipping spaces and closing parentheses after the left operand; nil when the source at
  /// that place does not spell the operator (e.g. code from an earlier run).
  func operatorRange(_ op: BinaryOperator, between lhs: SourceRange, and rhs: SourceRange)
    -> SourceRange?
  {
    guard lhs.end.line == rhs.start.line else { return nil }
    let bytes = sourceBytes
    var offset = lhs.end.offset - sourceBaseOffset
    var column = lhs.end.column
    while offset >= 0, offset < rhs.start.offset - sourceBaseOffset, offset < bytes.count,
      bytes[offset] == UInt8(ascii: " ") || bytes[offset] == UInt8(ascii: ")")
        || bytes[offset] == UInt8(ascii: "\t")
    {
      offset += 1
      column += 1
    }
    let spelling = Array(op.rawValue.utf8)
    guard offset >= 0, offset + spelling.count <= bytes.count,
      Array(bytes[offset..<(offset + spelling.count)]) == spelling
    else { return nil }
    let fileOffset = offset + sourceBaseOffset
    let start = SourceLocation(line: lhs.end.line, column: column, offset: fileOffset)
    let end = SourceLocation(
      line: lhs.end.line, column: column + spelling.count, offset: fileOffset + spelling.count)
    return SourceRange(start: start, end: end)
  }
}
