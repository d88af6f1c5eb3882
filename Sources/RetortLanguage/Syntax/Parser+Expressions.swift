// Expressions: precedence climbing over Python's operator table, postfix forms, literals.

extension Parser {
  // MARK: - Operators

  /// Parses a full expression.
  mutating func parseExpression() -> Expression {
    parseBinary(minimumPrecedence: 1)
  }

  /// Precedence climbing. `**` is right-associative; comparisons do not chain.
  mutating func parseBinary(minimumPrecedence: Int) -> Expression {
    guard enterNesting() else { return Expression(.error, range: peek.range) }
    defer { depth -= 1 }
    var left = parsePrefix()
    while !panicking {
      let token = peek
      guard let op = BinaryOperator(token: token.kind), op.precedence >= minimumPrecedence
      else { break }
      // In a command, `f x -1` passes -1 as a new argument: a minus with space before and
      // none after starts a negative argument instead of subtracting.
      if commandMode && op == .subtract && token.spaceBefore && !peek(1).spaceBefore { break }
      advance()
      let right =
        op == .power
        ? parseBinary(minimumPrecedence: op.precedence)
        : parseBinary(minimumPrecedence: op.precedence + 1)
      if op.isComparison && isBareComparison(left) {
        // Report a chain once, at its second operator.
        if case .binary(_, let first, _) = left.kind, !isBareComparison(first) {
          note(.chainedComparison(at: token.range))
        }
      }
      left = Expression(.binary(op, left, right), range: left.range.union(right.range))
    }
    return left
  }

  /// True for a comparison not written in parentheses.
  func isBareComparison(_ expression: Expression) -> Bool {
    guard case .binary(let op, _, _) = expression.kind else { return false }
    return op.isComparison && !isParenthesized(expression)
  }

  /// True when `expression` was written in parentheses (the AST keeps no node for them).
  func isParenthesized(_ expression: Expression) -> Bool {
    parenthesizedOffsets.contains(expression.range.start.offset)
  }

  /// `-x` binds tighter than `*` but looser than `**`; `not x` looser than comparisons.
  mutating func parsePrefix() -> Expression {
    let token = peek
    switch token.kind {
    case .minus:
      advance()
      let operand = parseBinary(minimumPrecedence: 7)
      return Expression(.unary(.negate, operand), range: token.range.union(operand.range))
    case .kwNot:
      advance()
      let operand = parseBinary(minimumPrecedence: 4)
      return Expression(.unary(.not, operand), range: token.range.union(operand.range))
    default:
      return parsePostfix()
    }
  }

  // MARK: - Postfix

  /// Attribute access, calls and subscripts. In command arguments a `(` or `[` preceded by a
  /// space starts the next argument instead (`mlp [64, 10]` versus `x[0]`).
  mutating func parsePostfix() -> Expression {
    var expression = parsePrimary()
    while !panicking {
      let token = peek
      let attached = !(commandMode && token.spaceBefore)
      switch token.kind {
      case .dot:
        advance()
        let member = peek
        guard member.kind == .identifier else {
          error(.expected("a member name", "after '.'", found: member))
          return expression
        }
        advance()
        let name = Identifier(member.text, range: member.range)
        expression = Expression(
          .attribute(expression, name), range: expression.range.union(member.range))
      case .leftParen where attached:
        advance()
        let arguments = parseCallArguments(open: token)
        expression = Expression(
          .call(expression, arguments), range: range(from: expression.range.start))
      case .leftBracket where attached:
        advance()
        let items = parseSubscript(open: token)
        expression = Expression(
          .subscripted(expression, items), range: range(from: expression.range.start))
      default:
        return expression
      }
    }
    return expression
  }

  mutating func parseCallArguments(open: Token) -> [CallArgument] {
    var seen: Set<String> = []
    var sawKeyword = false
    return parseDelimited(closer: .rightParen, construct: "call", open: open) { parser in
      var label: Identifier?
      if parser.check(.identifier) && parser.peek(1).kind == .assign {
        let name = parser.advance()
        parser.advance()
        label = Identifier(name.text, range: name.range)
        if !seen.insert(name.text).inserted {
          parser.note(.duplicateKeyword(name.text, at: name.range))
        }
        sawKeyword = true
      }
      let value = parser.parseExpression()
      if label == nil && sawKeyword && !parser.panicking {
        parser.note(.positionalAfterKeyword(at: value.range))
      }
      return CallArgument(label: label, value: value)
    }
  }

  mutating func parseSubscript(open: Token) -> [SubscriptItem] {
    let items = parseDelimited(closer: .rightBracket, construct: "index", open: open) {
      parser in parser.parseSubscriptItem()
    }
    if items.isEmpty && !panicking {
      note(.expected("an index", "inside '[ ]'", found: previous))
    }
    return items
  }

  /// `i`, or a slice `start:stop:step` with every part optional.
  mutating func parseSubscriptItem() -> SubscriptItem {
    let start = peek.range.start
    let isBoundary = { (parser: Parser) in
      [.colon, .comma, .rightBracket].contains(parser.peek.kind)
    }
    let lower = check(.colon) ? nil : parseExpression()
    guard check(.colon), !panicking else {
      return .index(lower ?? Expression(.error, range: peek.range))
    }
    advance()
    let upper = isBoundary(self) ? nil : parseExpression()
    var step: Expression?
    if !panicking, consume(.colon) != nil {
      step = isBoundary(self) ? nil : parseExpression()
    }
    return .slice(start: lower, stop: upper, step: step, range: range(from: start))
  }

  // MARK: - Delimited lists

  /// Parses comma-separated items up to `closer` (the opener is already consumed). A
  /// trailing comma is allowed. Inside, line breaks are insignificant and command rules off.
  mutating func parseDelimited<Item>(
    closer: TokenKind, construct: String, open: Token,
    item parseItem: (inout Parser) -> Item?
  ) -> [Item] {
    var items: [Item] = []
    guard enterNesting() else { return items }
    let saved = (bracketDepth, commandMode)
    bracketDepth += 1
    commandMode = false
    defer {
      (bracketDepth, commandMode) = saved
      depth -= 1
    }
    while !panicking {
      if consume(closer) != nil { return items }
      if let item = parseItem(&self) { items.append(item) }
      if panicking { break }
      if consume(.comma) != nil { continue }
      if consume(closer) != nil { return items }
      missingCloser(
        closer, construct: construct, open: open, orExpected: "',' or '\(closer.rawValue)'")
    }
    return items
  }

  // MARK: - Primary expressions

  mutating func parsePrimary() -> Expression {
    let token = peek
    switch token.kind {
    case .integer:
      advance()
      if case .integer(let value) = token.value {
        return Expression(.integer(value), range: token.range)
      }
      return Expression(.error, range: token.range)
    case .float:
      advance()
      if case .float(let value) = token.value {
        return Expression(.float(value), range: token.range)
      }
      return Expression(.error, range: token.range)
    case .string:
      advance()
      return parseString(token)
    case .kwTrue, .kwFalse:
      advance()
      return Expression(.boolean(token.kind == .kwTrue), range: token.range)
    case .kwNone:
      advance()
      return Expression(.none, range: token.range)
    case .identifier:
      advance()
      return Expression(.name(token.text), range: token.range)
    case .leftBracket:
      advance()
      let elements = parseDelimited(closer: .rightBracket, construct: "list", open: token) {
        parser in parser.parseExpression()
      }
      return Expression(.list(elements), range: range(from: token.range.start))
    case .leftParen:
      advance()
      return parseParenthesized(open: token)
    case .continuation:
      error(.danglingContinuation(at: token.range))
      return Expression(.error, range: token.range)
    default:
      error(.expectedExpression(found: token))
      return Expression(.error, range: SourceRange(at: token.range.start))
    }
  }

  /// `( expression )`; the result keeps the range of the parentheses.
  mutating func parseParenthesized(open: Token) -> Expression {
    guard enterNesting() else { return Expression(.error, range: open.range) }
    let saved = (bracketDepth, commandMode)
    bracketDepth += 1
    commandMode = false
    defer {
      (bracketDepth, commandMode) = saved
      depth -= 1
    }
    var inner = parseExpression()
    if !panicking && consume(.rightParen) == nil {
      missingCloser(.rightParen, construct: "parenthesis", open: open, orExpected: "')'")
    }
    inner.range = range(from: open.range.start)
    parenthesizedOffsets.insert(open.range.start.offset)
    return inner
  }

  /// Turns a string token into literal parts and parsed interpolations. Each interpolation
  /// is parsed by a nested parser over the tokens the lexer produced for it, so positions
  /// are those of the real source.
  mutating func parseString(_ token: Token) -> Expression {
    guard case .string(let segments) = token.value else {
      return Expression(.string([]), range: token.range)
    }
    var parts: [StringPart] = []
    for segment in segments {
      switch segment {
      case .text(let text, _):
        parts.append(.text(text))
      case .interpolation(let inner, let braces):
        var parser = Parser(
          tokens: inner, isCommand: isCommand, suggestions: commandSuggestions, depth: depth)
        if inner.isEmpty {
          let end = SourceLocation(
            line: braces.start.line, column: braces.start.column + 1,
            offset: braces.start.offset + 1)
          parser.tokens = [
            Token(kind: .endOfFile, text: "", range: SourceRange(at: end), spaceBefore: false)
          ]
        }
        let expression = parser.parseExpression()
        if !parser.panicking && !parser.check(.endOfFile) {
          parser.error(.expected("'}'", "after the interpolated expression", found: parser.peek))
        }
        diagnostics += parser.diagnostics
        parts.append(.interpolation(expression))
      }
    }
    return Expression(.string(parts), range: token.range)
  }
}
