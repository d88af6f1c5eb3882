import Foundation
import RetortTensor

// Running statements: assignment, control flow, function definitions, commands.

extension Interpreter {
  // MARK: - Statements

  /// Runs one statement. Top-level expression and command statements show their value
  /// (notebook-style) unless the statement ends with `;` or the value is `none`.
  func execute(_ statement: Statement, topLevel: Bool = false) throws -> Completion {
    try tick(statement.range)
    if let label = statement.label {
      report(
        warning: Diagnostic(
          .warning, "label '\(label.name)' has no effect here", at: label.range,
          hint: "labels name layers inside a model { } block"))
    }
    switch statement.kind {
    case .expression(let expression):
      let value = try evaluate(expression)
      checkLoss(value, at: expression.range)
      if topLevel && !statement.hidesValue && !value.isNone { show(value) }
    case .command(let command):
      let value = try runCommand(command)
      checkLoss(value, at: command.range)
      let quiet = commandRegistry[command.verb.name]?.showsResult == false
      if topLevel && !statement.hidesValue && !value.isNone && !quiet { show(value) }
    case .assignment(let targets, let valueExpression):
      let value = try evaluate(valueExpression)
      checkLoss(value, at: valueExpression.range)
      try assign(value, to: targets, valueRange: valueExpression.range)
    case .conditional(let branches, let elseBlock):
      for branch in branches
      where try truthy(evaluate(branch.condition), at: branch.condition.range) {
        return try execute(branch.body)
      }
      if let elseBlock { return try execute(elseBlock) }
    case .forLoop(let variable, let sequenceExpression, let body):
      let sequence = try evaluate(sequenceExpression)
      let items = try iterationItems(sequence, at: sequenceExpression.range)
      try checkAssignable(variable.name, at: variable.range)
      for item in items {
        try tick(body.range)
        scope.variables[variable.name] = item
        switch try execute(body) {
        case .breakLoop: return .normal
        case .returned(let value): return .returned(value)
        case .normal, .continueLoop: continue
        }
      }
    case .whileLoop(let condition, let body):
      while try truthy(evaluate(condition), at: condition.range) {
        try tick(body.range)
        switch try execute(body) {
        case .breakLoop: return .normal
        case .returned(let value): return .returned(value)
        case .normal, .continueLoop: continue
        }
      }
    case .function(let definition):
      try checkAssignable(definition.name.name, at: definition.name.range)
      scope.variables[definition.name.name] = .function(
        UserFunction(definition: definition, closure: scope))
    case .returnValue(let expression):
      return .returned(try expression.map { try evaluate($0) } ?? .none)
    case .breakLoop:
      return .breakLoop
    case .continueLoop:
      return .continueLoop
    case .error:
      throw RuntimeError("this statement could not be parsed", at: statement.range)
    }
    return .normal
  }

  /// Runs a block's statements in the current scope (blocks do not open scopes).
  func execute(_ block: Block) throws -> Completion {
    for statement in block.statements {
      let completion = try execute(statement)
      if case .normal = completion { continue }
      return completion
    }
    return .normal
  }

  /// The items a `for` loop visits: list elements, tensor rows (first axis), or characters.
  func iterationItems(_ sequence: Value, at range: SourceRange) throws -> [Value] {
    switch sequence {
    case .list(let items):
      return items
    case .string(let text):
      return text.map { .string(String($0)) }
    case .tensor(let tensor):
      guard tensor.rank > 0 else {
        throw RuntimeError(
          "cannot loop over a scalar tensor", at: range,
          hint: "loop over a list, e.g. for i in [1, 2, 3] { }")
      }
      return try (0..<tensor.shape[0]).map { index in
        .tensor(
          try wrapTensor(at: range) {
            try tensor.indexSelect(alongAxis: 0, indices: [index])
              .squeezed(axes: [0])
          })
      }
    case .number(let n) where isWhole(n) && n >= 0:
      throw RuntimeError(
        "cannot loop over the number \(Value.format(number: n))", at: range,
        hint: "to count, loop over a list like [0, 1, 2] or range(\(Value.format(number: n)))")
    default:
      throw RuntimeError(
        "cannot loop over \(describe(sequence))", at: range,
        hint: "a for loop visits the elements of a list or the rows of a tensor")
    }
  }

  // MARK: - Assignment

  /// Assigns to one target, or destructures a list over several.
  func assign(_ value: Value, to targets: [Expression], valueRange: SourceRange) throws {
    if targets.count == 1, let target = targets.first {
      try assign(value, to: target)
      return
    }
    let items: [Value]
    switch value {
    case .list(let list): items = list
    case .tensor(let tensor) where tensor.rank > 0:
      items = try iterationItems(value, at: valueRange)
      _ = tensor
    default:
      throw RuntimeError(
        "cannot unpack \(describe(value)) into \(targets.count) names", at: valueRange,
        hint: "the right side must be a list of \(targets.count) values")
    }
    guard items.count == targets.count else {
      throw RuntimeError(
        "cannot unpack a list of \(items.count) into \(targets.count) names", at: valueRange,
        hint: "give as many names on the left as there are values on the right")
    }
    for (target, item) in zip(targets, items) { try assign(item, to: target) }
  }

  /// Assigns to a name, a list element or a tensor element.
  func assign(_ value: Value, to target: Expression) throws {
    switch target.kind {
    case .name(let name):
      try checkAssignable(name, at: target.range)
      try checkSize(value, at: target.range)
      scope.variables[name] = value
    case .subscripted(let baseExpression, let items):
      let base = try evaluate(baseExpression)
      let updated = try storeElement(value, into: base, items: items, at: target.range)
      if let updated { try assign(updated, to: baseExpression) }
    case .attribute(let baseExpression, let name):
      let base = try evaluate(baseExpression)
      throw RuntimeError(
        "cannot set attribute '\(name.name)' of \(base.typeName)", at: target.range,
        hint: "attributes are read-only; assign to a new variable instead")
    default:
      throw RuntimeError("cannot assign to this expression", at: target.range)
    }
  }

  /// Throws when `name` is a command word: commands cannot be shadowed by variables.
  func checkAssignable(_ name: String, at range: SourceRange) throws {
    guard commandRegistry[name] != nil else { return }
    // Prefer an existing variable with the word in it (`train_set` for `train`).
    let variables = scope.visibleNames.sorted()
    let suggestion =
      variables.first { $0.split(separator: "_").contains(Substring(name)) }
      ?? didYouMean(name, in: variables)
      ?? (["train", "test", "valid", "validation", "data"].contains(name)
        ? "\(name)_set" : "my_\(name)")
    throw RuntimeError(
      "'\(name)' is a command and cannot be used as a variable name", at: range,
      hint: "did you mean '\(suggestion)'?")
  }

  /// Reports the warnings of a finished loss formula (weights summing far above 1, a
  /// temperature below 1, negative weights).
  func checkLoss(_ value: Value, at range: SourceRange) {
    guard case .loss(let loss) = value else { return }
    for warning in loss.warnings {
      report(warning: Diagnostic(.warning, warning, at: range))
    }
  }

  /// Lists larger than the element limit are refused (they usually mean a runaway loop).
  private func checkSize(_ value: Value, at range: SourceRange) throws {
    if case .list(let items) = value { try checkSize(items.count, what: "a list", at: range) }
    if case .string(let text) = value {
      try checkSize(text.utf8.count, what: "a string", at: range)
    }
  }
}
