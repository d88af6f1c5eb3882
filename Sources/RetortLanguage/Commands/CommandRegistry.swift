import Foundation
import RetortTensor

// The set of commands an interpreter knows, and the central argument validation: arity,
// unknown options (with "did you mean"), and types (with conversion, e.g. 3.0 -> 3).

/// The commands by name.
public final class CommandRegistry {
  private var specs: [String: CommandSpec] = [:]

  /// An empty registry.
  public init() {}

  /// A registry with every standard command.
  public static func standard() -> CommandRegistry {
    let registry = CommandRegistry()
    for spec in CommandRegistry.basicCommands() { registry.register(spec) }
    for spec in CommandRegistry.tensorCreationCommands() { registry.register(spec) }
    for spec in CommandRegistry.tensorMathCommands() { registry.register(spec) }
    for spec in CommandRegistry.lossCommands() { registry.register(spec) }
    for spec in CommandRegistry.layerCommands() { registry.register(spec) }
    for spec in CommandRegistry.modelCommands() { registry.register(spec) }
    for spec in CommandRegistry.dataCommands() { registry.register(spec) }
    for spec in CommandRegistry.trainingCommands() { registry.register(spec) }
    for spec in CommandRegistry.reportCommands() { registry.register(spec) }
    return registry
  }

  /// Adds or replaces a command.
  public func register(_ spec: CommandSpec) { specs[spec.name] = spec }

  /// The command named `name`.
  public subscript(name: String) -> CommandSpec? { specs[name] }

  /// All command names, sorted.
  public var names: [String] { specs.keys.sorted() }

  /// The words the parser treats as command verbs.
  public var commandWords: Set<String> { Set(specs.keys) }

  /// All commands, sorted by category then name.
  public var allSpecs: [CommandSpec] {
    let order = Dictionary(
      uniqueKeysWithValues: CommandCategory.allCases.enumerated().map { ($1, $0) })
    return specs.values.sorted {
      (order[$0.category] ?? 0, $0.name) < (order[$1.category] ?? 0, $1.name)
    }
  }

  /// Command names starting with `prefix`, for completion.
  public func completions(prefix: String) -> [String] {
    names.filter { $0.hasPrefix(prefix) }
  }

  // MARK: - Binding arguments

  /// Matches arguments to `spec`'s parameters, converts them to the declared types and fills
  /// in defaults. In call form (`evaluate(student, test_set)`) positional arguments fill the
  /// positional parameters and then the role parameters, in order.
  func bind(
    _ spec: CommandSpec, interpreter: Interpreter, positional: [(Value, SourceRange)],
    roles: [(Identifier, Value, SourceRange)], keywords: [(Identifier, Value, SourceRange)],
    at range: SourceRange, block: Block?, syntax: Command?, callForm: Bool
  ) throws -> CommandInvocation {
    if let block, !spec.acceptsBlock {
      throw RuntimeError(
        "'\(spec.name)' does not take a { } block", at: block.range,
        hint: "usage: \(spec.usage)")
    }
    var given: [String: (Value, SourceRange)] = [:]
    var slots = spec.positionals
    if callForm { slots += spec.roles }
    var variadic: [(Value, SourceRange)] = []
    for (index, argument) in positional.enumerated() {
      if index < slots.count && !slots[index].isVariadic {
        given[slots[index].name] = argument
      } else if let last = slots.last, last.isVariadic, index >= slots.count - 1 {
        variadic.append(argument)
      } else {
        let count = slots.count
        throw RuntimeError(
          "'\(spec.name)' takes \(count == 0 ? "no" : "at most \(count)") positional "
            + "argument\(count == 1 ? "" : "s"), got \(positional.count)",
          at: argument.1, hint: "usage: \(spec.usage)")
      }
    }
    for (role, value, argumentRange) in roles {
      guard let parameter = spec.roles.first(where: { $0.kind == .role(role.name) }) else {
        let words = spec.roles.compactMap { if case .role(let w) = $0.kind { w } else { nil } }
        throw RuntimeError(
          "'\(spec.name)' does not take '\(role.name) ...'", at: role.range,
          hint: words.isEmpty
            ? "usage: \(spec.usage)" : "it takes: \(words.joined(separator: ", "))")
      }
      if given[parameter.name] != nil {
        throw RuntimeError(
          "\(parameter.phrase) of '\(spec.name)' is given twice", at: argumentRange)
      }
      given[parameter.name] = (value, argumentRange)
    }
    for (key, value, argumentRange) in keywords {
      guard let parameter = spec.parameter(named: key.name) else {
        throw unknownOption(key, spec: spec)
      }
      // A repeated option was already warned about by the parser: the last value wins.
      if given[parameter.name] != nil && parameter.kind != .option {
        throw RuntimeError(
          "\(parameter.phrase) of '\(spec.name)' is given twice", at: argumentRange)
      }
      given[parameter.name] = (value, argumentRange)
    }

    var arguments: [String: Value] = [:]
    var ranges: [String: SourceRange] = [:]
    for parameter in spec.parameters {
      if parameter.isVariadic {
        var items: [Value] = []
        for (value, argumentRange) in variadic {
          items.append(try convert(value, to: parameter, of: spec, at: argumentRange))
        }
        arguments[parameter.name] = .list(items)
        if let first = variadic.first, let last = variadic.last {
          ranges[parameter.name] = first.1.union(last.1)
        }
        continue
      }
      if let (value, argumentRange) = given[parameter.name] {
        arguments[parameter.name] = try convert(value, to: parameter, of: spec, at: argumentRange)
        ranges[parameter.name] = argumentRange
      } else if parameter.isRequired {
        throw RuntimeError(
          "'\(spec.name)' needs \(parameter.phrase) (\(parameter.type.expectation))", at: range,
          hint: "usage: \(spec.usage)")
      } else {
        arguments[parameter.name] = parameter.defaultValue ?? Value.none
      }
    }
    return CommandInvocation(
      spec: spec, interpreter: interpreter, arguments: arguments, argumentRanges: ranges,
      range: range, block: block, syntax: syntax)
  }

  /// Converts `value` to `parameter`'s type, or throws "option 'epochs' of 'train' expects a
  /// whole number, got 0.5". `none` passes for parameters that are not required.
  private func convert(
    _ value: Value, to parameter: ParameterSpec, of spec: CommandSpec, at range: SourceRange
  ) throws -> Value {
    if value.isNone && !parameter.isRequired && !parameter.isVariadic { return .none }
    if let converted = parameter.type.coerce(value) { return converted }
    throw RuntimeError(
      "\(parameter.phrase) of '\(spec.name)' expects \(parameter.type.expectation), "
        + "got \(Interpreter.describe(value))",
      at: range, hint: parameter.doc.isEmpty ? nil : "\(parameter.name): \(parameter.doc)")
  }

  private func unknownOption(_ key: Identifier, spec: CommandSpec) -> RuntimeError {
    let names = spec.parameters.map(\.name)
    let hint: String
    if let suggestion = didYouMean(key.name, in: names) {
      hint = "did you mean '\(suggestion)'?"
    } else if spec.options.isEmpty {
      hint = "'\(spec.name)' has no options; usage: \(spec.usage)"
    } else {
      hint = "options of '\(spec.name)': \(spec.options.map(\.name).joined(separator: ", "))"
    }
    return RuntimeError(
      "unknown option '\(key.name)' for '\(spec.name)'", at: key.range, hint: hint)
  }
}
