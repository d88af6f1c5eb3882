// Commands: `verb positional... role value... key=value... { block }`.
//
// Disambiguation rules (see docs/language.md, "Commands"):
// - A statement (or the right side of `=`, or a `return` value) is a command when it starts
//   with a command word that is not followed by `=`, `.`, `,`, `:`, a binary operator, or a
//   `(`/`[` written without a space (those make it a variable, a call or an index).
// - Arguments are full expressions, but juxtaposition separates them: `split digits 0.8` is
//   two arguments, while `evaluate a - b` is one. A `(` or `[` after a space, and a `-` with
//   a space before and none after (`shift x -1`), start a new argument.
// - `key=value` (spaces around `=` allowed) is an option whose value is a full expression
//   running to the next argument, e.g. `loss = 0.3*ce + 0.7*kd(T=4) epochs=3`.
// - A role word (`on`, `from`, `to`, `with`, `as`) takes the argument after it.
// - A command word right after the verb starts a nested command that takes the rest of the
//   statement: `sweep distill s from t alpha=[0.1, 0.5]`.
// - A `{` ends the arguments and opens the command's trailing block.

extension Parser {
  /// True when the next tokens begin a command rather than an expression.
  func startsCommand() -> Bool {
    let verb = peek
    guard verb.kind == .identifier, isCommand(verb.text) else { return false }
    let next = peek(1)
    switch next.kind {
    case .assign, .dot, .comma, .colon:
      return false
    case .leftParen, .leftBracket:
      return next.spaceBefore
    case .minus:
      return next.spaceBefore && !peek(2).spaceBefore
    default:
      return !next.kind.isBinaryOperator
    }
  }

  /// Parses a command; the caller has checked `startsCommand()`.
  mutating func parseCommand() -> Command {
    let verbToken = advance()
    let verb = Identifier(verbToken.text, range: verbToken.range)
    let saved = commandMode
    commandMode = true
    defer { commandMode = saved }
    var arguments: [CommandArgument] = []
    var optionRanges: [String: SourceRange] = [:]

    if startsNestedCommand() {
      guard enterNesting() else {
        return Command(verb: verb, arguments: [], block: nil, range: verbToken.range)
      }
      let inner = parseCommand()
      depth -= 1
      let argument = Expression(.command(inner), range: inner.range)
      arguments.append(CommandArgument(kind: .positional(argument), range: inner.range))
    }

    while !panicking {
      let token = peek
      if isStatementEnd(token) || token.kind == .leftBrace { break }
      let start = token.range.start
      if token.kind == .identifier && peek(1).kind == .assign {
        advance()
        advance()
        let key = Identifier(token.text, range: token.range)
        let value = parseExpression()
        if let first = optionRanges[key.name] {
          note(.duplicateOption(key.name, first: first, at: key.range))
        }
        optionRanges[key.name] = key.range
        arguments.append(CommandArgument(kind: .option(key, value), range: range(from: start)))
      } else if token.kind == .identifier && Parser.roleWords.contains(token.text) {
        advance()
        let role = Identifier(token.text, range: token.range)
        let value = parseExpression()
        arguments.append(CommandArgument(kind: .role(role, value), range: range(from: start)))
      } else if token.kind == .comma {
        error(.expectedStatementEnd(found: token, suggestion: nil))
      } else {
        let value = parseExpression()
        arguments.append(CommandArgument(kind: .positional(value), range: value.range))
      }
    }

    var block: Block?
    if !panicking && check(.leftBrace) {
      block = parseBlock(after: "the command")
    }
    return Command(
      verb: verb, arguments: arguments, block: block, range: range(from: verb.range.start))
  }

  /// A command word directly after the verb, itself followed by an argument, starts a nested
  /// command (`sweep distill ...`). Alone (`plot relu`) it is an ordinary name.
  func startsNestedCommand() -> Bool {
    guard startsCommand(), !Parser.roleWords.contains(peek.text) else { return false }
    let next = peek(1)
    return !isStatementEnd(next) && next.kind != .leftBrace
  }
}
