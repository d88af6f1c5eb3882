// Expression nodes of the abstract syntax tree.

/// An expression with its source range.
public struct Expression: Sendable, Hashable {
  /// What the expression is.
  public var kind: Kind
  /// Where it is written.
  public var range: SourceRange

  /// Creates an expression.
  public init(_ kind: Kind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// The kinds of expression.
  public indirect enum Kind: Sendable, Hashable {
    /// `42`.
    case integer(Int)
    /// `0.8`, `1e-3`.
    case float(Double)
    /// `"T={T}"`: literal text and interpolated expressions in order.
    case string([StringPart])
    /// `true` / `false`.
    case boolean(Bool)
    /// `none`.
    case none
    /// A name: a variable, function, model or command word.
    case name(String)
    /// `[a, b, c]`.
    case list([Expression])
    /// `base.member`.
    case attribute(Expression, Identifier)
    /// `base[i, a:b, ::2]`.
    case subscripted(Expression, [SubscriptItem])
    /// `callee(a, b, key=value)`. Commands called like functions parse as calls too.
    case call(Expression, [CallArgument])
    /// `-x`, `not x`.
    case unary(UnaryOperator, Expression)
    /// `a + b` and the other binary operators, including `and` / `or`.
    case binary(BinaryOperator, Expression, Expression)
    /// A command used for its value: `digits = load "digits"`, or the inner command of
    /// `sweep distill ...`.
    case command(Command)
    /// Stands in for an expression that failed to parse (a diagnostic was reported).
    case error
  }
}

/// One piece of a string literal.
public enum StringPart: Sendable, Hashable {
  /// Literal text, escapes resolved.
  case text(String)
  /// An interpolated `{expression}`.
  case interpolation(Expression)
}

/// One comma-separated item inside `[ ]` after an expression.
public enum SubscriptItem: Sendable, Hashable {
  /// A single index.
  case index(Expression)
  /// `start:stop:step`, each part optional (`:` alone takes everything).
  case slice(start: Expression?, stop: Expression?, step: Expression?, range: SourceRange)

  /// Where the item is written.
  public var range: SourceRange {
    switch self {
    case .index(let expression): return expression.range
    case .slice(_, _, _, let range): return range
    }
  }
}

/// One argument of a call: positional (`label == nil`) or keyword (`T=4`).
public struct CallArgument: Sendable, Hashable {
  /// The keyword, if any.
  public var label: Identifier?
  /// The argument value.
  public var value: Expression

  /// Creates an argument.
  public init(label: Identifier?, value: Expression) {
    self.label = label
    self.value = value
  }

  /// From the keyword (if any) to the end of the value.
  public var range: SourceRange { label.map { $0.range.union(value.range) } ?? value.range }
}

/// Prefix operators.
public enum UnaryOperator: String, Sendable, Hashable {
  case negate = "-"
  case not = "not"
}

/// Infix operators, spelled as in source.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
  case power = "**", matrixMultiply = "@"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<="
  case greater = ">", greaterEqual = ">="
  case and = "and", or = "or"

  /// Binding strength as in Python: higher binds tighter.
  public var precedence: Int {
    switch self {
    case .or: return 1
    case .and: return 2
    // 3 is `not`.
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 4
    case .add, .subtract: return 5
    case .multiply, .divide, .remainder, .matrixMultiply: return 6
    // 7 is unary minus.
    case .power: return 8
    }
  }

  /// True for the comparison operators, which do not chain.
  public var isComparison: Bool { precedence == 4 }

  /// The operator a token stands for, if it is a binary operator.
  init?(token kind: TokenKind) {
    switch kind {
    case .plus: self = .add
    case .minus: self = .subtract
    case .star: self = .multiply
    case .slash: self = .divide
    case .percent: self = .remainder
    case .power: self = .power
    case .at: self = .matrixMultiply
    case .equal: self = .equal
    case .notEqual: self = .notEqual
    case .less: self = .less
    case .lessEqual: self = .lessEqual
    case .greater: self = .greater
    case .greaterEqual: self = .greaterEqual
    case .kwAnd: self = .and
    case .kwOr: self = .or
    default: return nil
    }
  }
}
