// Decides whether the REPL should run what was typed or show a continuation prompt.

/// What the REPL should do with the text typed so far.
public enum InputStatus: Sendable, Hashable {
  /// Run it.
  case complete
  /// Show a continuation prompt and read another line.
  case incomplete
  /// Run it anyway so its errors get reported: waiting for more text would not help (for
  /// example an unbalanced `)` or an unterminated one-line string).
  case invalid
}

/// Classifies `source` for the REPL. Input is incomplete while a bracket, brace or
/// parenthesis is open, a `"""` string is open, or the last line ends with a binary operator,
/// `=`, `,`, `.`, `:`, `not` or a `\` continuation. An unbalanced closer or a lexical error
/// makes it `.invalid`, so the error is shown instead of waiting forever.
public func inputStatus(_ source: String) -> InputStatus {
  var lexer = Lexer(source: source)
  let tokens = lexer.tokenize()
  if lexer.endedInsideMultilineString || lexer.endedAfterContinuation { return .incomplete }
  if !lexer.diagnostics.isEmpty { return .invalid }
  var open: [TokenKind] = []
  var last: Token?
  for token in tokens {
    switch token.kind {
    case .leftParen: open.append(.rightParen)
    case .leftBracket: open.append(.rightBracket)
    case .leftBrace: open.append(.rightBrace)
    case .rightParen, .rightBracket, .rightBrace:
      guard open.last == token.kind else { return .invalid }
      open.removeLast()
    default:
      break
    }
    if token.kind != .newline && token.kind != .endOfFile { last = token }
  }
  if !open.isEmpty { return .incomplete }
  guard let last else { return .complete }
  switch last.kind {
  case .continuation, .assign, .comma, .dot, .colon, .kwNot:
    return .incomplete
  default:
    return last.kind.isBinaryOperator ? .incomplete : .complete
  }
}

/// True unless the REPL should read another line before running `source`; see
/// `inputStatus(_:)`.
public func isInputComplete(_ source: String) -> Bool {
  inputStatus(source) != .incomplete
}
