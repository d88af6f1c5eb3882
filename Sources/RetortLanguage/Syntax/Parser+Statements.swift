// Statements: sequences, assignments, control flow, functions and blocks.

extension Parser {
  // MARK: - Sequences

  /// Parses statements up to the end of input, or up to (not including) the `}` that closes
  /// the current block when `inBlock` is true.
  mutating func parseStatements(inBlock: Bool) -> [Statement] {
    var statements: [Statement] = []
    while true {
      let token = peek
      switch token.kind {
      case .endOfFile:
        return statements
      case .newline, .semicolon:
        advance()
        continue
      case .rightBrace where inBlock:
        return statements
      case .rightBrace, .rightParen, .rightBracket:
        error(.unmatchedCloser(token))
        advance()
        panicking = false
        continue
      default:
        break
      }
      let start = position
      var statement = parseStatement()
      finishStatement(&statement)
      statements.append(statement)
      if position == start { advance() }  // Belt and braces: always make progress.
    }
  }

  /// Checks what follows a statement: `;` (which hides its value), a line break, `}` or the
  /// end. Anything else is an error, after which the parser skips to the next boundary.
  mutating func finishStatement(_ statement: inout Statement) {
    if !panicking {
      switch peek.kind {
      case .semicolon:
        advance()
        statement.hidesValue = true
      case .newline, .endOfFile, .rightBrace:
        break
      case .rightParen, .rightBracket:
        error(.unmatchedCloser(peek))
      default:
        var suggestion: String?
        if case .expression(let expression) = statement.kind,
          case .name(let name) = expression.kind
        {
          suggestion = didYouMean(name, in: commandSuggestions)
        }
        error(.expectedStatementEnd(found: peek, suggestion: suggestion))
      }
    }
    if panicking {
      synchronize()
      panicking = false
      if check(.semicolon) {
        advance()
        statement.hidesValue = true
      }
    }
  }

  // MARK: - Statements

  mutating func parseStatement() -> Statement {
    var label: Identifier?
    if check(.identifier) && peek(1).kind == .colon {
      let name = advance()
      advance()
      label = Identifier(name.text, range: name.range)
    }
    var statement = parseUnlabeledStatement()
    statement.label = label
    return statement
  }

  mutating func parseUnlabeledStatement() -> Statement {
    let start = peek.range.start
    switch peek.kind {
    case .kwIf: return parseIf()
    case .kwFor: return parseFor()
    case .kwWhile: return parseWhile()
    case .kwDef: return parseFunction()
    case .kwReturn:
      let keyword = advance()
      if functionDepth == 0 { note(.outside("return", "a function", at: keyword.range)) }
      let value: Expression? = isStatementEnd(peek) ? nil : parseValue()
      return Statement(kind: .returnValue(value), range: range(from: start))
    case .kwBreak, .kwContinue:
      let keyword = advance()
      if loopDepth == 0 { note(.outside(keyword.text, "a loop", at: keyword.range)) }
      let kind: Statement.Kind = keyword.kind == .kwBreak ? .breakLoop : .continueLoop
      return Statement(kind: kind, range: keyword.range)
    case .kwElse:
      error(.elseWithoutIf(at: peek.range))
      return Statement(kind: .error, range: peek.range)
    default:
      break
    }
    if startsCommand() {
      let command = parseCommand()
      return Statement(kind: .command(command), range: command.range)
    }
    return parseExpressionOrAssignment()
  }

  /// `expr`, `target = value` or `a, b = value`.
  mutating func parseExpressionOrAssignment() -> Statement {
    let start = peek.range.start
    let first = parseExpression()
    guard check(.assign) || check(.comma) else {
      return Statement(kind: .expression(first), range: first.range)
    }
    var targets = [first]
    while consume(.comma) != nil, !panicking {
      targets.append(parseExpression())
    }
    guard !panicking else { return Statement(kind: .error, range: range(from: start)) }
    guard consume(.assign) != nil else {
      error(.expected("'='", "after the assignment targets", found: peek))
      return Statement(kind: .error, range: range(from: start))
    }
    for target in targets where !target.isAssignable {
      note(.invalidAssignmentTarget(at: target.range))
    }
    let value = parseValue()
    return Statement(kind: .assignment(targets: targets, value: value), range: range(from: start))
  }

  /// The right side of `=` or `return`: a command or an expression.
  mutating func parseValue() -> Expression {
    if startsCommand() {
      let command = parseCommand()
      return Expression(.command(command), range: command.range)
    }
    return parseExpression()
  }

  func isStatementEnd(_ token: Token) -> Bool {
    switch token.kind {
    case .newline, .semicolon, .endOfFile, .rightBrace: return true
    default: return false
    }
  }

  // MARK: - Control flow

  mutating func parseIf() -> Statement {
    let start = advance().range.start
    var branches: [ConditionalBranch] = []
    var elseBlock: Block?
    while true {
      let condition = parseExpression()
      let body = parseBlock(after: "the condition")
      branches.append(ConditionalBranch(condition: condition, body: body))
      guard !panicking, skippingLineBreaks(toReach: .kwElse) else { break }
      advance()
      if consume(.kwIf) != nil { continue }
      elseBlock = parseBlock(after: "'else'")
      break
    }
    return Statement(
      kind: .conditional(branches: branches, elseBlock: elseBlock), range: range(from: start))
  }

  /// True when only line breaks stand between here and a token of `kind`; consumes those
  /// line breaks in that case (so `}` and `else` may sit on different lines).
  mutating func skippingLineBreaks(toReach kind: TokenKind) -> Bool {
    var index = position
    while index < tokens.count - 1, tokens[index].kind == .newline { index += 1 }
    guard tokens[index].kind == kind else { return false }
    position = index
    return true
  }

  mutating func parseFor() -> Statement {
    let start = advance().range.start
    let variable = parseName(after: "'for'")
    if !panicking && consume(.kwIn) == nil {
      error(.expected("'in'", "after the loop variable", found: peek))
    }
    let sequence = panicking ? Expression(.error, range: peek.range) : parseExpression()
    loopDepth += 1
    let body = parseBlock(after: "the loop sequence")
    loopDepth -= 1
    return Statement(
      kind: .forLoop(variable: variable, sequence: sequence, body: body), range: range(from: start))
  }

  mutating func parseWhile() -> Statement {
    let start = advance().range.start
    let condition = parseExpression()
    loopDepth += 1
    let body = parseBlock(after: "the condition")
    loopDepth -= 1
    return Statement(
      kind: .whileLoop(condition: condition, body: body), range: range(from: start))
  }

  mutating func parseFunction() -> Statement {
    let start = advance().range.start
    let name = parseName(after: "'def'")
    var parameters: [Parameter] = []
    if !panicking {
      if let open = consume(.leftParen) {
        parameters = parseParameters(open: open)
      } else {
        error(.expected("'('", "after the function name", found: peek))
      }
    }
    let savedLoops = loopDepth
    loopDepth = 0
    functionDepth += 1
    let body = parseBlock(after: "the parameter list")
    functionDepth -= 1
    loopDepth = savedLoops
    let definition = FunctionDefinition(name: name, parameters: parameters, body: body)
    return Statement(kind: .function(definition), range: range(from: start))
  }

  mutating func parseParameters(open: Token) -> [Parameter] {
    var seen: Set<String> = []
    var sawDefault = false
    return parseDelimited(closer: .rightParen, construct: "parameter list", open: open) {
      parser in
      let name = parser.parseName(after: "'(' or ','")
      guard !parser.panicking else { return nil }
      if !seen.insert(name.name).inserted {
        parser.note(.duplicateParameter(name.name, at: name.range))
      }
      var defaultValue: Expression?
      if parser.consume(.assign) != nil {
        defaultValue = parser.parseExpression()
        sawDefault = true
      } else if sawDefault {
        parser.note(.parameterWithoutDefault(name.name, at: name.range))
      }
      return Parameter(name: name, defaultValue: defaultValue)
    }
  }

  /// Parses an identifier where a new name is required.
  mutating func parseName(after context: String) -> Identifier {
    let token = peek
    if token.kind == .identifier {
      advance()
      return Identifier(token.text, range: token.range)
    }
    if TokenKind.keywords[token.text] != nil {
      error(.keywordAsName(token))
    } else {
      error(.expected("a name", "after \(context)", found: token))
    }
    return Identifier("", range: SourceRange(at: token.range.start))
  }

  // MARK: - Blocks

  /// Parses `{ statements }`. Inside a block line breaks separate statements again, even if
  /// the block sits inside brackets, and commands start afresh.
  mutating func parseBlock(after context: String) -> Block {
    guard !panicking else { return Block(statements: [], range: peek.range) }
    guard let open = consume(.leftBrace) else {
      error(.expected("'{'", "after \(context)", found: peek))
      return Block(statements: [], range: SourceRange(at: previous.range.end))
    }
    guard enterNesting() else { return Block(statements: [], range: open.range) }
    defer { depth -= 1 }
    let saved = (bracketDepth, commandMode)
    bracketDepth = 0
    commandMode = false
    let statements = parseStatements(inBlock: true)
    (bracketDepth, commandMode) = saved
    if consume(.rightBrace) == nil {
      error(
        .unclosed(
          .rightBrace, construct: "block", openedAt: open.range,
          at: previous.range.endPoint))
    }
    return Block(statements: statements, range: range(from: open.range.start))
  }
}

extension Expression {
  /// Whether the expression can stand left of `=`.
  var isAssignable: Bool {
    switch kind {
    case .name, .attribute, .subscripted: return true
    default: return false
    }
  }
}
