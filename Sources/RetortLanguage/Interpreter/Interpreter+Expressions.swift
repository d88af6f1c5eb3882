import Foundation
import RetortTensor

// Evaluating expressions: literals, names, lists, strings, calls and commands.

extension Interpreter {
  // MARK: - Expressions

  /// The value of an expression.
  func evaluate(_ expression: Expression) throws -> Value {
    switch expression.kind {
    case .integer(let value):
      return .number(Double(value))
    case .float(let value):
      return .number(value)
    case .string(let parts):
      var text = ""
      for part in parts {
        switch part {
        case .text(let literal): text += literal
        case .interpolation(let inner): text += try evaluate(inner).interpolated
        }
      }
      return .string(text)
    case .boolean(let flag):
      return .bool(flag)
    case .none:
      return .none
    case .name(let name):
      return try lookup(name, at: expression.range)
    case .list(let elements):
      try checkSize(elements.count, what: "a list", at: expression.range)
      return .list(try elements.map { try evaluate($0) })
    case .attribute(let baseExpression, let name):
      let base = try evaluate(baseExpression)
      return try attribute(name, of: base, at: expression.range)
    case .subscripted(let baseExpression, let items):
      let base = try evaluate(baseExpression)
      if case .command(let spec) = base {
        return try commandWithList(spec, items, at: expression.range)
      }
      return try element(of: base, items: items, at: expression.range)
    case .call(let callee, let arguments):
      return try call(callee, arguments, at: expression.range)
    case .unary(let op, let operandExpression):
      let operand = try evaluate(operandExpression)
      return try unary(op, operand, at: expression.range)
    case .binary(let op, let lhs, let rhs):
      return try binary(op, lhs, rhs, at: expression.range)
    case .command(let command):
      return try runCommand(command)
    case .error:
      throw RuntimeError("this expression could not be parsed", at: expression.range)
    }
  }

  /// A variable, or else a command (run when it is a bare-name value like `ce`).
  func lookup(_ name: String, at range: SourceRange) throws -> Value {
    if let value = scope.lookup(name) { return value }
    if let spec = commandRegistry[name] {
      if spec.bareNameInvokes {
        return try invoke(
          spec, positional: [], roles: [], keywords: [], at: range, block: nil, syntax: nil)
      }
      return .command(spec)
    }
    let candidates = scope.visibleNames.sorted() + commandRegistry.names
    let suggestion = didYouMean(name, in: candidates)
    var hint = suggestion.map { "did you mean '\($0)'?" }
    if hint == nil && scope.visibleNames.isEmpty {
      hint = "assign it first, e.g. \(name) = tensor [1, 2, 3]"
    }
    throw RuntimeError("unknown name '\(name)'", at: range, hint: hint)
  }

  /// Inside an expression `tensor [1, 2]` parses as indexing the command `tensor`; it means
  /// the command applied to the list, so `x * tensor [1, 0]` and `zeros [2, 3] + 1` work.
  private func commandWithList(
    _ spec: CommandSpec, _ items: [SubscriptItem], at range: SourceRange
  ) throws -> Value {
    var values: [Value] = []
    for item in items {
      guard case .index(let expression) = item else {
        throw RuntimeError(
          "the command '\(spec.name)' cannot be sliced", at: item.range,
          hint: "call it first: \(spec.name)(...)[a:b]")
      }
      values.append(try evaluate(expression))
    }
    let listRange = (items.first?.range ?? range).union(items.last?.range ?? range)
    return try invoke(
      spec, positional: [(.list(values), listRange)], roles: [], keywords: [], at: range,
      block: nil, syntax: nil, callForm: true)
  }

  // MARK: - Calls

  /// `callee(args)`: a user function, a command, or a callable value.
  func call(_ calleeExpression: Expression, _ arguments: [CallArgument], at range: SourceRange)
    throws -> Value
  {
    let callee: Value
    if case .name(let name) = calleeExpression.kind, scope.lookup(name) == nil,
      let spec = commandRegistry[name]
    {
      // `kd(T=4)` calls the command even when a bare `kd` would run it.
      callee = .command(spec)
    } else {
      callee = try evaluate(calleeExpression)
    }
    var positional: [(Value, SourceRange)] = []
    var keywords: [(Identifier, Value, SourceRange)] = []
    for argument in arguments {
      let value = try evaluate(argument.value)
      if let label = argument.label {
        keywords.append((label, value, argument.range))
      } else {
        positional.append((value, argument.range))
      }
    }
    return try call(callee, positional: positional, keywords: keywords, at: range)
  }

  /// Calls a value with evaluated arguments.
  func call(
    _ callee: Value, positional: [(Value, SourceRange)],
    keywords: [(Identifier, Value, SourceRange)], at range: SourceRange
  ) throws -> Value {
    switch callee {
    case .function(let function):
      return try callFunction(function, positional: positional, keywords: keywords, at: range)
    case .command(let spec):
      return try invoke(
        spec, positional: positional, roles: [], keywords: keywords, at: range, block: nil,
        syntax: nil, callForm: true)
    case .model, .layer:
      return try applyModel(callee, positional: positional, keywords: keywords, at: range)
    default:
      throw RuntimeError(
        "\(describe(callee)) cannot be called", at: range,
        hint: "only functions, commands and models can be called with ( )")
    }
  }

  /// Runs a user function in a new scope whose parent is the scope of its `def`.
  ///
  /// Arguments bind positionally then by keyword; defaults are evaluated at call time in the
  /// new scope, so a default may refer to earlier parameters (`def f(a, b=a*2)`).
  func callFunction(
    _ function: UserFunction, positional: [(Value, SourceRange)],
    keywords: [(Identifier, Value, SourceRange)], at range: SourceRange
  ) throws -> Value {
    let parameters = function.definition.parameters
    guard callDepth < limits.maxCallDepth else {
      throw RuntimeError(
        "too many nested calls (more than \(limits.maxCallDepth)) in '\(function.name)'",
        at: range, hint: "a recursive function needs a case that returns without calling itself")
    }
    guard positional.count <= parameters.count else {
      throw RuntimeError(
        "'\(function.name)' takes \(parameters.count) argument"
          + "\(parameters.count == 1 ? "" : "s"), got \(positional.count)",
        at: positional[parameters.count].1, hint: "signature: \(function.signature)")
    }
    let local = Scope(parent: function.closure)
    for (parameter, argument) in zip(parameters, positional) {
      local.variables[parameter.name.name] = argument.0
    }
    for (label, value, argumentRange) in keywords {
      guard parameters.contains(where: { $0.name.name == label.name }) else {
        let names = parameters.map(\.name.name)
        throw RuntimeError(
          "'\(function.name)' has no parameter '\(label.name)'", at: label.range,
          hint: didYouMean(label.name, in: names).map { "did you mean '\($0)'?" }
            ?? "signature: \(function.signature)")
      }
      guard local.variables[label.name] == nil else {
        throw RuntimeError(
          "argument '\(label.name)' of '\(function.name)' is given twice", at: argumentRange)
      }
      local.variables[label.name] = value
    }
    let saved = scope
    scope = local
    callDepth += 1
    defer {
      scope = saved
      callDepth -= 1
    }
    for parameter in parameters where local.variables[parameter.name.name] == nil {
      guard let defaultValue = parameter.defaultValue else {
        throw RuntimeError(
          "'\(function.name)' needs argument '\(parameter.name.name)'", at: range,
          hint: "signature: \(function.signature)")
      }
      local.variables[parameter.name.name] = try evaluate(defaultValue)
    }
    if case .returned(let value) = try execute(function.definition.body) { return value }
    return .none
  }

  // MARK: - Commands

  /// Evaluates a command's arguments and runs it.
  func runCommand(_ command: Command) throws -> Value {
    guard let spec = commandRegistry[command.verb.name] else {
      throw RuntimeError(
        Diagnostic.unknown(
          "command", command.verb.name, candidates: commandRegistry.names,
          at: command.verb.range))
    }
    let (positional, roles, keywords) = try evaluateArguments(of: command, for: spec)
    return try invoke(
      spec, positional: positional, roles: roles, keywords: keywords, at: command.range,
      block: command.block, syntax: command)
  }

  /// The evaluated arguments of `command`, sorted by kind, as `spec` wants them.
  func evaluateArguments(of command: Command, for spec: CommandSpec) throws -> (
    positional: [(Value, SourceRange)], roles: [(Identifier, Value, SourceRange)],
    keywords: [(Identifier, Value, SourceRange)]
  ) {
    var positional: [(Value, SourceRange)] = []
    var roles: [(Identifier, Value, SourceRange)] = []
    var keywords: [(Identifier, Value, SourceRange)] = []
    for (index, argument) in command.arguments.enumerated() {
      switch argument.kind {
      case .positional(let expression):
        if index == 0, spec.takesNestedCommand, case .command = expression.kind { continue }
        if !spec.evaluatesNames, case .name(let name) = expression.kind {
          positional.append((.string(name), argument.range))
          continue
        }
        positional.append((try evaluate(expression), argument.range))
      case .role(let role, let expression):
        roles.append((role, try evaluate(expression), argument.range))
      case .option(let key, let expression):
        keywords.append((key, try evaluate(expression), argument.range))
      }
    }
    return (positional, roles, keywords)
  }

  /// Binds the arguments of `command` to `spec` without running it, leaving out the options
  /// in `withheld` (returned separately): `sweep` reads its grid from the nested command.
  public func bindNested(
    _ command: Command, withholding withheld: Set<String>
  ) throws -> (invocation: CommandInvocation, withheld: [String: (Value, SourceRange)]) {
    guard let spec = commandRegistry[command.verb.name] else {
      throw RuntimeError(
        Diagnostic.unknown(
          "command", command.verb.name, candidates: commandRegistry.names,
          at: command.verb.range))
    }
    var (positional, roles, keywords) = try evaluateArguments(of: command, for: spec)
    var taken: [String: (Value, SourceRange)] = [:]
    keywords.removeAll { key, value, range in
      guard withheld.contains(key.name) else { return false }
      taken[key.name] = (value, range)
      return true
    }
    let invocation = try commandRegistry.bind(
      spec, interpreter: self, positional: positional, roles: roles, keywords: keywords,
      at: command.range, block: command.block, syntax: command, callForm: false)
    return (invocation, taken)
  }

  /// Validates arguments against `spec` and runs it.
  func invoke(
    _ spec: CommandSpec, positional: [(Value, SourceRange)],
    roles: [(Identifier, Value, SourceRange)], keywords: [(Identifier, Value, SourceRange)],
    at range: SourceRange, block: Block?, syntax: Command?, callForm: Bool = false
  ) throws -> Value {
    let invocation = try commandRegistry.bind(
      spec, interpreter: self, positional: positional, roles: roles, keywords: keywords,
      at: range, block: block, syntax: syntax, callForm: callForm)
    do {
      return try spec.run(invocation)
    } catch let interruption as Interrupted {
      throw interruption
    } catch {
      throw RuntimeError.from(error, at: range)
    }
  }

  // MARK: - Helpers

  /// Describes a value for "got ..." in messages: `0.5`, `"abc"`, `a tensor [4, 64]`.
  func describe(_ value: Value) -> String {
    Interpreter.describe(value)
  }

  /// Describes a value for "got ..." in messages: `0.5`, `"abc"`, `a tensor [4, 64]`.
  static func describe(_ value: Value) -> String {
    switch value {
    case .number, .bool, .none: return value.interpolated
    case .string(let text): return text.count > 30 ? "a string" : "\"\(text)\""
    case .list(let items): return "a list of \(items.count)"
    case .tensor(let tensor): return "a tensor \(formatShape(tensor.shape))"
    case .function(let function): return "the function '\(function.name)'"
    case .command(let spec): return "the command '\(spec.name)'"
    case .model, .layer, .layerRecipe, .dataset, .loss, .history, .report:
      return "a \(value.typeName)"
    }
  }

  /// Runs tensor code, turning a `TensorError` into a diagnostic at `range`.
  func wrapTensor<R>(at range: SourceRange, _ body: () throws -> R) throws -> R {
    do {
      return try body()
    } catch let interruption as Interrupted {
      throw interruption
    } catch {
      throw RuntimeError.from(error, at: range)
    }
  }

  /// Whether a value counts as true in `if`, `while`, `and`, `or` and `not`.
  func truthy(_ value: Value, at range: SourceRange) throws -> Bool {
    switch value {
    case .bool(let flag): return flag
    case .number(let x): return x != 0
    case .none: return false
    case .string(let text): return !text.isEmpty
    case .list(let items): return !items.isEmpty
    case .tensor(let tensor):
      guard tensor.count == 1, let x = tensor.scalars.first else {
        throw RuntimeError(
          "the truth of a tensor \(formatShape(tensor.shape)) is ambiguous", at: range,
          hint: "test one element (x[0] > 0) or reduce first (max(x) > 0, sum(x) == 0)")
      }
      return x != 0
    case .function, .command, .model, .layer, .layerRecipe, .dataset, .loss, .history, .report:
      return true
    }
  }
}
