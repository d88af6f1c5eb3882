import Foundation
import RetortTensor

// One description per command drives everything about it: the parser's command words,
// argument validation, `help`, REPL completion and docs/commands.md.

// MARK: - Parameters

/// One parameter of a command.
public struct ParameterSpec {
  /// How an argument reaches the parameter.
  public enum Kind: Equatable {
    /// Written bare, in order: `split digits 0.8`.
    case positional
    /// After a role word: `on test_set`.
    case role(String)
    /// `key=value`.
    case option
  }

  /// The parameter's name (also its keyword in calls: `softmax(x, axis=0)`).
  public var name: String
  /// How it is passed.
  public var kind: Kind
  /// What it accepts.
  public var type: ValueType
  /// One line for help.
  public var doc: String
  /// The value used when the argument is left out (`none` when nil and not required).
  public var defaultValue: Value?
  /// Whether leaving it out is an error.
  public var isRequired: Bool
  /// A last positional that collects all remaining positional arguments into a list.
  public var isVariadic: Bool

  /// A required positional parameter.
  public static func positional(_ name: String, _ type: ValueType, _ doc: String) -> Self {
    ParameterSpec(
      name: name, kind: .positional, type: type, doc: doc, defaultValue: nil, isRequired: true,
      isVariadic: false)
  }

  /// A positional parameter that may be left out.
  public static func optionalPositional(
    _ name: String, _ type: ValueType, default value: Value? = nil, _ doc: String
  ) -> Self {
    ParameterSpec(
      name: name, kind: .positional, type: type, doc: doc, defaultValue: value,
      isRequired: false, isVariadic: false)
  }

  /// A last positional parameter that takes any number of arguments as a list.
  public static func variadic(_ name: String, _ type: ValueType, _ doc: String) -> Self {
    ParameterSpec(
      name: name, kind: .positional, type: type, doc: doc, defaultValue: .list([]),
      isRequired: false, isVariadic: true)
  }

  /// A parameter introduced by a role word: `on test_set`.
  public static func role(
    _ word: String, _ name: String, _ type: ValueType, required: Bool = true, _ doc: String
  ) -> Self {
    ParameterSpec(
      name: name, kind: .role(word), type: type, doc: doc, defaultValue: nil,
      isRequired: required, isVariadic: false)
  }

  /// A `key=value` option with a default (nil: absent means `none`).
  public static func option(
    _ name: String, _ type: ValueType, default value: Value?, _ doc: String
  ) -> Self {
    ParameterSpec(
      name: name, kind: .option, type: type, doc: doc, defaultValue: value, isRequired: false,
      isVariadic: false)
  }

  /// How the parameter appears in a usage line: `<x>`, `[axis=-1]`, `on <data>`.
  var usage: String {
    switch kind {
    case .positional:
      if isVariadic { return "[<\(name)>...]" }
      return isRequired ? "<\(name)>" : "[<\(name)>]"
    case .role(let word):
      return isRequired ? "\(word) <\(name)>" : "[\(word) <\(name)>]"
    case .option:
      return "[\(name)=\(defaultValue.map(\.display) ?? "none")]"
    }
  }

  /// How the parameter is named in error messages.
  var phrase: String {
    switch kind {
    case .positional: return "argument '\(name)'"
    case .role(let word): return "argument '\(word) \(name)'"
    case .option: return "option '\(name)'"
    }
  }
}

// MARK: - Categories

/// The groups `help` lists commands in, in this order.
public enum CommandCategory: String, CaseIterable, Sendable {
  case basics = "Basics"
  case tensors = "Creating tensors"
  case tensorMath = "Tensor math"
  case data = "Data"
  case models = "Models"
  case layers = "Layers (inside model { })"
  case losses = "Losses"
  case training = "Training"
}

// MARK: - Command spec

/// Everything about one command.
public struct CommandSpec {
  /// The command word.
  public var name: String
  /// One line saying what it does.
  public var summary: String
  /// Where `help` lists it.
  public var category: CommandCategory
  /// Positional, role and option parameters, positionals in order.
  public var parameters: [ParameterSpec]
  /// Whether a trailing `{ ... }` block is allowed.
  public var acceptsBlock: Bool
  /// Runnable examples, shown by `help` and in docs/commands.md.
  public var examples: [String]
  /// Paragraphs of explanation after the summary.
  public var longHelp: String
  /// When true, the bare name as a value runs the command with no arguments
  /// (`0.3*ce` uses the loss `ce`); otherwise it is a reference to the command.
  public var bareNameInvokes: Bool
  /// When true, a nested command written first (`sweep distill ...`) is not run; the command
  /// reads it from `CommandInvocation.syntax?.nestedCommand` instead.
  public var takesNestedCommand: Bool
  /// When false, positional arguments written as bare names are passed as strings without
  /// being evaluated (`help train` asks about the word `train`).
  public var evaluatesNames: Bool
  /// False for commands that display their own result (a table, epoch lines) and return a
  /// value only for use in expressions: a bare command statement then shows nothing more.
  public var showsResult: Bool
  /// Does the work with validated arguments.
  public var run: (CommandInvocation) throws -> Value

  /// Creates a command description.
  public init(
    name: String, summary: String, category: CommandCategory,
    parameters: [ParameterSpec] = [], acceptsBlock: Bool = false, examples: [String] = [],
    longHelp: String = "", bareNameInvokes: Bool = false, takesNestedCommand: Bool = false,
    evaluatesNames: Bool = true, showsResult: Bool = true,
    run: @escaping (CommandInvocation) throws -> Value
  ) {
    self.showsResult = showsResult
    self.name = name
    self.summary = summary
    self.category = category
    self.parameters = parameters
    self.acceptsBlock = acceptsBlock
    self.examples = examples
    self.longHelp = longHelp
    self.bareNameInvokes = bareNameInvokes
    self.takesNestedCommand = takesNestedCommand
    self.evaluatesNames = evaluatesNames
    self.run = run
  }

  /// The positional parameters in order.
  public var positionals: [ParameterSpec] { parameters.filter { $0.kind == .positional } }
  /// The role parameters.
  public var roles: [ParameterSpec] {
    parameters.filter { if case .role = $0.kind { true } else { false } }
  }
  /// The options.
  public var options: [ParameterSpec] { parameters.filter { $0.kind == .option } }

  /// `softmax <x> [axis=-1] [T=1]`.
  public var usage: String {
    var parts = [name]
    parts += positionals.map(\.usage)
    parts += roles.map(\.usage)
    parts += options.map(\.usage)
    if acceptsBlock { parts.append("{ ... }") }
    return parts.joined(separator: " ")
  }

  /// The parameter with this name, or taking this role word.
  func parameter(named name: String) -> ParameterSpec? {
    parameters.first { $0.name == name }
      ?? parameters.first { $0.kind == .role(name) }
  }
}

// MARK: - Invocation

/// A command about to run: its validated arguments and where each was written.
public final class CommandInvocation {
  /// The command.
  public let spec: CommandSpec
  /// The interpreter running it.
  public let interpreter: Interpreter
  /// Arguments by parameter name, converted to the parameter types; defaults filled in.
  public let arguments: [String: Value]
  /// Where each given argument was written.
  public let argumentRanges: [String: SourceRange]
  /// The whole command or call.
  public let range: SourceRange
  /// The trailing block, if any.
  public let block: Block?
  /// The command as written, when it was written as a command (not a call).
  public let syntax: Command?

  init(
    spec: CommandSpec, interpreter: Interpreter, arguments: [String: Value],
    argumentRanges: [String: SourceRange], range: SourceRange, block: Block?, syntax: Command?
  ) {
    self.syntax = syntax
    self.spec = spec
    self.interpreter = interpreter
    self.arguments = arguments
    self.argumentRanges = argumentRanges
    self.range = range
    self.block = block
  }

  /// Where argument `name` was written, or the whole command when it was left out.
  public func range(of name: String) -> SourceRange { argumentRanges[name] ?? range }

  /// Whether the argument was given (rather than defaulted).
  public func isGiven(_ name: String) -> Bool { argumentRanges[name] != nil }

  // MARK: Typed access

  /// The argument's value (`none` when absent).
  public func value(_ name: String) -> Value { arguments[name] ?? .none }

  /// A tensor argument.
  public func tensor(_ name: String) throws -> Tensor {
    guard case .tensor(let tensor) = value(name) else { throw missing(name, "a tensor") }
    return tensor
  }

  /// A tensor argument that may be absent.
  public func optionalTensor(_ name: String) -> Tensor? { value(name).tensorValue }

  /// A number argument.
  public func number(_ name: String) throws -> Double {
    guard case .number(let x) = value(name) else { throw missing(name, "a number") }
    return x
  }

  /// A number argument that may be absent.
  public func optionalNumber(_ name: String) -> Double? { value(name).numberValue }

  /// A whole-number argument.
  public func integer(_ name: String) throws -> Int {
    let x = try number(name)
    guard isWhole(x) else { throw missing(name, "a whole number") }
    return Int(x)
  }

  /// A whole-number argument that may be absent.
  public func optionalInteger(_ name: String) -> Int? {
    guard let x = optionalNumber(name), isWhole(x) else { return nil }
    return Int(x)
  }

  /// A string argument.
  public func string(_ name: String) throws -> String {
    guard case .string(let text) = value(name) else { throw missing(name, "a string") }
    return text
  }

  /// A bool argument.
  public func bool(_ name: String) throws -> Bool {
    guard case .bool(let flag) = value(name) else { throw missing(name, "true or false") }
    return flag
  }

  /// A list argument.
  public func list(_ name: String) throws -> [Value] {
    guard case .list(let items) = value(name) else { throw missing(name, "a list") }
    return items
  }

  /// A list-of-integers argument (`shape`, `integers`).
  public func integers(_ name: String) throws -> [Int] {
    try list(name).map { item in
      guard let x = item.numberValue, isWhole(x) else { throw missing(name, "whole numbers") }
      return Int(x)
    }
  }

  // MARK: Errors and warnings

  /// An error pointing at argument `name` (or the command when it was not given).
  public func error(_ message: String, at name: String? = nil, hint: String? = nil)
    -> RuntimeError
  {
    RuntimeError(message, at: name.map(range(of:)) ?? range, hint: hint)
  }

  /// Reports a warning pointing at argument `name`; the command goes on.
  public func warn(_ message: String, at name: String? = nil, hint: String? = nil) {
    interpreter.report(
      warning: Diagnostic(.warning, message, at: name.map(range(of:)) ?? range, hint: hint))
  }

  /// Runs tensor code, turning a `TensorError` into a diagnostic at the command.
  public func tensorOp<R>(_ body: () throws -> R) throws -> R {
    do {
      return try body()
    } catch let error as TensorError {
      throw RuntimeError.tensor(error, at: range)
    }
  }

  private func missing(_ name: String, _ what: String) -> RuntimeError {
    error("'\(spec.name)' expected \(what) for '\(name)', got \(value(name).typeName)", at: name)
  }
}
