/// The kind of a lexical token.
public enum TokenKind: String, Sendable, Hashable, CaseIterable {
  // MARK: - Atoms
  case identifier
  case integer
  case float
  case string
  // MARK: - Keywords
  case kwFor = "for", kwIn = "in", kwIf = "if", kwElse = "else", kwWhile = "while"
  case kwDef = "def", kwReturn = "return", kwBreak = "break", kwContinue = "continue"
  case kwTrue = "true", kwFalse = "false", kwNone = "none"
  case kwAnd = "and", kwOr = "or", kwNot = "not"
  // MARK: - Punctuation
  case leftParen = "(", rightParen = ")", leftBracket = "[", rightBracket = "]"
  case leftBrace = "{", rightBrace = "}"
  case comma = ",", colon = ":", semicolon = ";", dot = ".", assign = "="
  // MARK: - Operators
  case plus = "+", minus = "-", star = "*", slash = "/", percent = "%", power = "**"
  case at = "@"
  case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">"
  case greaterEqual = ">="
  // MARK: - Layout
  case newline
  /// A `\` that is the last character of the input (a line continuation with nothing after).
  case continuation
  case endOfFile
  /// A character or sequence the lexer could not read; a diagnostic describes it.
  case invalid

  /// The keywords, by spelling.
  static let keywords: [String: TokenKind] = {
    let all: [TokenKind] = [
      .kwFor, .kwIn, .kwIf, .kwElse, .kwWhile, .kwDef, .kwReturn, .kwBreak, .kwContinue,
      .kwTrue, .kwFalse, .kwNone, .kwAnd, .kwOr, .kwNot,
    ]
    return Dictionary(uniqueKeysWithValues: all.map { ($0.rawValue, $0) })
  }()

  /// True for operators that need a right operand, so a line ending in one continues.
  public var isBinaryOperator: Bool {
    switch self {
    case .plus, .minus, .star, .slash, .percent, .power, .at, .equal, .notEqual, .less,
      .lessEqual, .greater, .greaterEqual, .kwAnd, .kwOr:
      return true
    default:
      return false
    }
  }

  /// A short human description for "expected X, found Y" messages.
  public var displayName: String {
    switch self {
    case .identifier: return "a name"
    case .integer, .float: return "a number"
    case .string: return "a string"
    case .newline: return "end of line"
    case .continuation: return "'\\'"
    case .endOfFile: return "end of input"
    case .invalid: return "an invalid character"
    default: return "'\(rawValue)'"
    }
  }
}

/// One piece of a string literal: literal text or an interpolated `{expression}`.
public enum StringSegment: Sendable, Hashable {
  /// Literal text with escapes already resolved; the range covers the raw source.
  case text(String, SourceRange)
  /// The tokens between `{` and `}`; the range covers the braces.
  case interpolation([Token], SourceRange)
}

/// The decoded value a literal token carries.
public enum TokenValue: Sendable, Hashable {
  case none
  case integer(Int)
  case float(Double)
  case string([StringSegment])
}

/// A lexical token with its exact source text and position.
public struct Token: Sendable, Hashable, CustomStringConvertible {
  /// What the token is.
  public var kind: TokenKind
  /// The raw source text of the token.
  public var text: String
  /// Where the token is.
  public var range: SourceRange
  /// True when whitespace, a comment, a line break or the start of input precedes the token.
  /// Commands use it to tell `mlp [64, 10]` (an argument) from `x[0]` (an index).
  public var spaceBefore: Bool
  /// The decoded literal value, if any.
  public var value: TokenValue

  /// Creates a token.
  public init(
    kind: TokenKind, text: String, range: SourceRange, spaceBefore: Bool,
    value: TokenValue = .none
  ) {
    self.kind = kind
    self.text = text
    self.range = range
    self.spaceBefore = spaceBefore
    self.value = value
  }

  /// `kind 'text' @line:column`, for debugging.
  public var description: String { "\(kind) '\(text)' @\(range.start)" }
}
