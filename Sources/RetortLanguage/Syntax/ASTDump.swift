// A compact S-expression rendering of the AST, for tests (golden-style expectations) and for
// debugging. The format is documented in docs/language.md ("Inspecting the tree").

extension Program {
  /// One S-expression per top-level statement, separated by line breaks.
  public var sExpression: String { statements.map(\.sExpression).joined(separator: "\n") }
}

extension Block {
  /// `(block s1 s2 ...)`.
  public var sExpression: String {
    (["block"] + statements.map(\.sExpression)).parenthesized
  }
}

extension Statement {
  /// E.g. `(= x 1)`; a label wraps it as `(label name ...)`, and a trailing `;` is appended
  /// when the statement hides its value.
  public var sExpression: String {
    var text: String
    switch kind {
    case .expression(let expression):
      text = expression.sExpression
    case .command(let command):
      text = command.sExpression
    case .assignment(let targets, let value):
      let target =
        targets.count == 1 ? targets[0].sExpression : targets.map(\.sExpression).parenthesized
      text = ["=", target, value.sExpression].parenthesized
    case .conditional(let branches, let elseBlock):
      var parts = ["if"]
      parts += branches.map { [$0.condition.sExpression, $0.body.sExpression].parenthesized }
      if let elseBlock { parts.append(["else", elseBlock.sExpression].parenthesized) }
      text = parts.parenthesized
    case .forLoop(let variable, let sequence, let body):
      text = ["for", variable.name, sequence.sExpression, body.sExpression].parenthesized
    case .whileLoop(let condition, let body):
      text = ["while", condition.sExpression, body.sExpression].parenthesized
    case .function(let definition):
      let parameters = definition.parameters.map { parameter in
        parameter.defaultValue.map { [parameter.name.name, $0.sExpression].parenthesized }
          ?? parameter.name.name
      }
      text =
        ["def", definition.name.name, parameters.parenthesized, definition.body.sExpression]
        .parenthesized
    case .returnValue(let value):
      text = (["return"] + (value.map { [$0.sExpression] } ?? [])).parenthesized
    case .breakLoop:
      text = "(break)"
    case .continueLoop:
      text = "(continue)"
    case .error:
      text = "(error)"
    }
    if let label { text = ["label", label.name, text].parenthesized }
    return hidesValue ? text + ";" : text
  }
}

extension Command {
  /// `(cmd verb positional (role: value) (key= value) (block ...))`.
  public var sExpression: String {
    var parts = ["cmd", verb.name]
    for argument in arguments {
      switch argument.kind {
      case .positional(let value): parts.append(value.sExpression)
      case .role(let role, let value):
        parts.append(["\(role.name):", value.sExpression].parenthesized)
      case .option(let key, let value):
        parts.append(["\(key.name)=", value.sExpression].parenthesized)
      }
    }
    if let block { parts.append(block.sExpression) }
    return parts.parenthesized
  }
}

extension Expression {
  /// E.g. `(+ 1 (* 2 x))`, `(call kd (kw T 4))`, `(index x 0 (slice 1 3 _))`.
  public var sExpression: String {
    switch kind {
    case .integer(let value): return String(value)
    case .float(let value): return String(value)
    case .string(let parts):
      if parts.isEmpty { return "\"\"" }
      if parts.count == 1, case .text(let text) = parts[0] { return quoted(text) }
      return
        (["str"]
        + parts.map { part -> String in
          switch part {
          case .text(let text): return quoted(text)
          case .interpolation(let expression): return expression.sExpression
          }
        }).parenthesized
    case .boolean(let value): return value ? "true" : "false"
    case .none: return "none"
    case .name(let name): return name
    case .list(let elements): return (["list"] + elements.map(\.sExpression)).parenthesized
    case .attribute(let base, let member):
      return [".", base.sExpression, member.name].parenthesized
    case .subscripted(let base, let items):
      return (["index", base.sExpression] + items.map(\.sExpression)).parenthesized
    case .call(let callee, let arguments):
      return (["call", callee.sExpression] + arguments.map(\.sExpression)).parenthesized
    case .unary(let op, let operand):
      return [op == .negate ? "neg" : "not", operand.sExpression].parenthesized
    case .binary(let op, let left, let right):
      return [op.rawValue, left.sExpression, right.sExpression].parenthesized
    case .command(let command): return command.sExpression
    case .error: return "(error)"
    }
  }
}

extension SubscriptItem {
  /// The index itself, or `(slice start stop step)` with `_` for omitted parts.
  public var sExpression: String {
    switch self {
    case .index(let expression): return expression.sExpression
    case .slice(let start, let stop, let step, _):
      return [
        "slice", start?.sExpression ?? "_", stop?.sExpression ?? "_", step?.sExpression ?? "_",
      ]
      .parenthesized
    }
  }
}

extension CallArgument {
  /// The value, or `(kw label value)`.
  public var sExpression: String {
    label.map { ["kw", $0.name, value.sExpression].parenthesized } ?? value.sExpression
  }
}

/// Quotes text with the language's own escapes.
private func quoted(_ text: String) -> String {
  var result = "\""
  for character in text {
    switch character {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\t": result += "\\t"
    case "{": result += "\\{"
    case "}": result += "\\}"
    default: result.append(character)
    }
  }
  return result + "\""
}

extension Array where Element == String {
  fileprivate var parenthesized: String { "(" + joined(separator: " ") + ")" }
}
