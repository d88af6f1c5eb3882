/// Parses Retort source into a `Program`, collecting every problem as a `Diagnostic`.
///
/// The parser never throws and never gives up: after an error it skips to the next statement
/// boundary (line break, `;` or the `}` of the enclosing block) and carries on. Every loop
/// consumes a token or exits, and nesting deeper than `maxDepth` is reported instead of
/// recursing further, so any input terminates without exhausting the stack.
///
/// Which identifiers start a command is not fixed by the grammar: the interpreter's command
/// registry supplies the words (`commandWords`, or an `isCommand` predicate).
public struct Parser {
  /// Words that introduce a role argument inside a command: `train t on data`.
  public static let roleWords: Set<String> = ["on", "from", "to", "with", "as"]
  /// Deepest allowed nesting of brackets, blocks and operators.
  public static let maxDepth = 200

  var tokens: [Token]
  var position = 0
  /// Index of the last consumed token, for "expected X after Y" positions.
  var previousIndex = 0
  let isCommand: @Sendable (String) -> Bool
  let commandSuggestions: [String]
  var diagnostics: [Diagnostic] = []
  /// Set after an error until the next statement boundary; later errors in the same
  /// statement are usually consequences of the first, so they are not reported.
  var panicking = false
  var depth = 0
  var reportedDepth = false
  /// Inside `( )` and `[ ]` line breaks are insignificant.
  var bracketDepth = 0
  /// True while parsing command arguments, where juxtaposition separates arguments.
  var commandMode = false
  var loopDepth = 0
  /// Start offsets of parenthesized expressions, to tell `(a < b) < c` from `a < b < c`.
  var parenthesizedOffsets: Set<Int> = []
  var functionDepth = 0

  init(
    tokens: [Token], isCommand: @escaping @Sendable (String) -> Bool, suggestions: [String],
    depth: Int = 0
  ) {
    // The token stream must end with `.endOfFile`; interpolation streams get one here.
    var stream = tokens
    if stream.last?.kind != .endOfFile {
      let end = stream.last?.range.end ?? .start
      stream.append(
        Token(kind: .endOfFile, text: "", range: SourceRange(at: end), spaceBefore: true))
    }
    self.tokens = stream
    self.isCommand = isCommand
    self.commandSuggestions = suggestions
    self.depth = depth
  }

  // MARK: - Entry points

  /// Parses a whole source text. `commandWords` are the verbs the interpreter knows;
  /// `origin` is where `source` starts in its file (for notebook cells). Diagnostics from
  /// lexing and parsing come back together, in source order.
  public static func parse(
    source: String, fileName: String = "<input>", commandWords: Set<String>,
    origin: SourceLocation = .start
  ) -> (Program, [Diagnostic]) {
    parse(
      source: source, fileName: fileName, isCommand: { commandWords.contains($0) },
      suggestions: commandWords.sorted(), origin: origin)
  }

  /// Parses a whole source text, asking `isCommand` whether a word is a command verb.
  /// `suggestions` feeds "did you mean" hints for misspelt commands.
  public static func parse(
    source: String, fileName: String = "<input>",
    isCommand: @escaping @Sendable (String) -> Bool, suggestions: [String] = [],
    origin: SourceLocation = .start
  ) -> (Program, [Diagnostic]) {
    var lexer = Lexer(source: source, origin: origin)
    let tokens = lexer.tokenize()
    var parser = Parser(tokens: tokens, isCommand: isCommand, suggestions: suggestions)
    let statements = parser.parseStatements(inBlock: false)
    let end = tokens.last?.range.end ?? origin
    let program = Program(
      statements: statements, range: SourceRange(start: origin, end: end), fileName: fileName)
    return (program, sortedDiagnostics(lexer.diagnostics + parser.diagnostics))
  }

  /// Parses a single expression (no commands), e.g. for a debugger's watch window.
  public static func parseExpression(_ source: String) -> (Expression, [Diagnostic]) {
    var lexer = Lexer(source: source)
    let tokens = lexer.tokenize().filter { $0.kind != .newline }
    var parser = Parser(tokens: tokens, isCommand: { _ in false }, suggestions: [])
    let expression = parser.parseExpression()
    if !parser.check(.endOfFile) {
      parser.error(.expected("the end of the expression", "here", found: parser.peek))
    }
    return (expression, sortedDiagnostics(lexer.diagnostics + parser.diagnostics))
  }

  static func sortedDiagnostics(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.enumerated().sorted {
      ($0.element.range.start.offset, $0.offset) < ($1.element.range.start.offset, $1.offset)
    }.map(\.element)
  }

  // MARK: - Token access

  /// Index of the next significant token: line breaks are skipped inside brackets.
  func significantIndex(from start: Int) -> Int {
    var index = min(start, tokens.count - 1)
    while bracketDepth > 0, tokens[index].kind == .newline, index < tokens.count - 1 {
      index += 1
    }
    return index
  }

  /// The next significant token.
  var peek: Token { tokens[significantIndex(from: position)] }

  /// The significant token `distance` tokens after `peek`.
  func peek(_ distance: Int) -> Token {
    var index = significantIndex(from: position)
    for _ in 0..<distance { index = significantIndex(from: index + 1) }
    return tokens[index]
  }

  /// The last consumed token.
  var previous: Token { tokens[min(previousIndex, tokens.count - 1)] }

  func check(_ kind: TokenKind) -> Bool { peek.kind == kind }

  /// Consumes and returns the next significant token (never moves past the end).
  @discardableResult
  mutating func advance() -> Token {
    let index = significantIndex(from: position)
    let token = tokens[index]
    if token.kind != .endOfFile {
      previousIndex = index
      position = index + 1
    }
    return token
  }

  /// Consumes the next token if it has `kind`.
  mutating func consume(_ kind: TokenKind) -> Token? {
    check(kind) ? advance() : nil
  }

  /// A range from `start` to the end of the last consumed token.
  func range(from start: SourceLocation) -> SourceRange {
    SourceRange(start: start, end: previous.range.end)
  }

  // MARK: - Errors and recovery

  /// Records an error unless one was already reported for this statement. Errors caused by
  /// an `.invalid` token are not repeated: the lexer already explained it.
  mutating func error(_ diagnostic: Diagnostic) {
    if !panicking && peek.kind != .invalid { diagnostics.append(diagnostic) }
    panicking = true
  }

  /// Records a diagnostic that does not disturb parsing (a warning, or an error after which
  /// the parse is still sound).
  mutating func note(_ diagnostic: Diagnostic) {
    diagnostics.append(diagnostic)
  }

  /// Skips to the next statement boundary: a line break or `;` outside any block opened while
  /// skipping, the `}` closing the current block, or the end.
  mutating func synchronize() {
    var braces = 0
    let savedBrackets = bracketDepth
    bracketDepth = 0
    defer { bracketDepth = savedBrackets }
    while true {
      let token = peek
      switch token.kind {
      case .endOfFile:
        return
      case .newline, .semicolon:
        if braces == 0 { return }
      case .leftBrace:
        braces += 1
      case .rightBrace:
        if braces == 0 { return }
        braces -= 1
      default:
        break
      }
      advance()
    }
  }

  /// Enters one nesting level; false (with a single diagnostic) when too deep.
  mutating func enterNesting() -> Bool {
    guard depth < Parser.maxDepth else {
      if !reportedDepth {
        reportedDepth = true
        diagnostics.append(.nestingTooDeep(limit: Parser.maxDepth, at: peek.range))
      }
      panicking = true
      return false
    }
    depth += 1
    return true
  }

  /// Handles a missing closing bracket. If a line break separates the last consumed token
  /// from the next one, the construct most likely just lacks its closer at the end of that
  /// line: report it there and resume at the line break, so the following lines still
  /// parse as statements of their own.
  mutating func missingCloser(
    _ closer: TokenKind, construct: String, open: Token, orExpected alternatives: String
  ) {
    let next = significantIndex(from: position)
    let lineBreak = (previousIndex + 1..<max(previousIndex + 1, next)).first {
      tokens[$0].kind == .newline
    }
    if lineBreak != nil || peek.kind == .endOfFile || peek.kind == .rightBrace
      || peek.kind == .semicolon
    {
      error(
        .unclosed(closer, construct: construct, openedAt: open.range, at: previous.range.endPoint))
      if let lineBreak { position = lineBreak }
    } else {
      error(
        .expected(alternatives, "in the \(construct) opened at \(open.range.start)", found: peek))
    }
  }
}
