// The abstract syntax tree. Every node carries the source range it was parsed from so later
// stages can point diagnostics at it. Nodes are plain values (`Sendable`, `Hashable`).

// MARK: - Program and blocks

/// A parsed source text: its top-level statements in order.
public struct Program: Sendable, Hashable {
  /// The top-level statements.
  public var statements: [Statement]
  /// The whole text.
  public var range: SourceRange
  /// The file name given to the parser, for diagnostics.
  public var fileName: String

  /// Creates a program.
  public init(statements: [Statement], range: SourceRange, fileName: String = "<input>") {
    self.statements = statements
    self.range = range
    self.fileName = fileName
  }
}

/// Statements in braces: a loop or function body, or a command's trailing block such as the
/// layers of `model input=[1, 8, 8] { ... }`.
public struct Block: Sendable, Hashable {
  /// The statements between the braces.
  public var statements: [Statement]
  /// From `{` to `}` inclusive.
  public var range: SourceRange

  /// Creates a block.
  public init(statements: [Statement], range: SourceRange) {
    self.statements = statements
    self.range = range
  }
}

/// A name as written in the source, with its position.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
  /// The spelling.
  public var name: String
  /// Where it is written.
  public var range: SourceRange

  /// Creates an identifier.
  public init(_ name: String, range: SourceRange) {
    self.name = name
    self.range = range
  }

  /// The spelling.
  public var description: String { name }
}

// MARK: - Statements

/// One statement, e.g. `x = 1`, `train teacher on data epochs=3` or `for ... { }`.
public struct Statement: Sendable, Hashable {
  /// What the statement does.
  public var kind: Kind
  /// The statement without its label and terminating `;`.
  public var range: SourceRange
  /// The `name:` prefix, e.g. `block2` in `block2: conv 32 3`; names a layer in a model body.
  public var label: Identifier?
  /// True when a `;` followed the statement: the notebook should not display its value.
  public var hidesValue: Bool

  /// Creates a statement.
  public init(kind: Kind, range: SourceRange, label: Identifier? = nil, hidesValue: Bool = false) {
    self.kind = kind
    self.range = range
    self.label = label
    self.hidesValue = hidesValue
  }

  /// The kinds of statement.
  public indirect enum Kind: Sendable, Hashable {
    /// An expression whose value the notebook displays (unless `hidesValue`).
    case expression(Expression)
    /// A command such as `train teacher on train_set epochs=30`.
    case command(Command)
    /// `a = v`, or with several targets `a, b = v` (destructuring). Targets are names,
    /// attributes or subscripts.
    case assignment(targets: [Expression], value: Expression)
    /// `if c { } else if d { } else { }`: branches in order, then the optional `else`.
    case conditional(branches: [ConditionalBranch], elseBlock: Block?)
    /// `for name in sequence { body }`.
    case forLoop(variable: Identifier, sequence: Expression, body: Block)
    /// `while condition { body }`.
    case whileLoop(condition: Expression, body: Block)
    /// `def name(params) { body }`.
    case function(FunctionDefinition)
    /// `return` with an optional value.
    case returnValue(Expression?)
    /// `break`.
    case breakLoop
    /// `continue`.
    case continueLoop
    /// Stands in for a statement that failed to parse (a diagnostic was reported).
    case error
  }
}

/// One `if` or `else if` arm.
public struct ConditionalBranch: Sendable, Hashable {
  /// The condition.
  public var condition: Expression
  /// The statements run when it holds.
  public var body: Block

  /// Creates a branch.
  public init(condition: Expression, body: Block) {
    self.condition = condition
    self.body = body
  }
}

/// `def name(a, b, c=1) { ... }`.
public struct FunctionDefinition: Sendable, Hashable {
  /// The function's name.
  public var name: Identifier
  /// The parameters in order; those with defaults come last.
  public var parameters: [Parameter]
  /// The body.
  public var body: Block

  /// Creates a function definition.
  public init(name: Identifier, parameters: [Parameter], body: Block) {
    self.name = name
    self.parameters = parameters
    self.body = body
  }
}

/// A function parameter, optionally with a default value.
public struct Parameter: Sendable, Hashable {
  /// The parameter's name.
  public var name: Identifier
  /// The default, evaluated when the function is called without this argument.
  public var defaultValue: Expression?

  /// Creates a parameter.
  public init(name: Identifier, defaultValue: Expression? = nil) {
    self.name = name
    self.defaultValue = defaultValue
  }
}

// MARK: - Commands

/// A command: a verb from the interpreter's registry followed by arguments, e.g.
/// `distill student from teacher on train_set epochs=30 loss = ce + kd(T=4)`.
///
/// Arguments keep their source order. A command prefixed by another command word
/// (`sweep distill ...`) is represented as the outer command whose first positional argument
/// is an `Expression` of kind `.command` holding the inner one, which took the rest of the
/// statement. A trailing `{ ... }` becomes `block`.
public struct Command: Sendable, Hashable {
  /// The command word.
  public var verb: Identifier
  /// Positional, role and option arguments in source order.
  public var arguments: [CommandArgument]
  /// The trailing `{ ... }` block, if any.
  public var block: Block?
  /// From the verb to the end of the last argument or block.
  public var range: SourceRange

  /// Creates a command.
  public init(verb: Identifier, arguments: [CommandArgument], block: Block?, range: SourceRange) {
    self.verb = verb
    self.arguments = arguments
    self.block = block
    self.range = range
  }

  /// The positional arguments in order.
  public var positional: [Expression] {
    arguments.compactMap {
      if case .positional(let value) = $0.kind { value } else { nil }
    }
  }

  /// The role arguments (`on x`, `from t`) in order.
  public var roles: [(role: Identifier, value: Expression)] {
    arguments.compactMap {
      if case .role(let role, let value) = $0.kind { (role, value) } else { nil }
    }
  }

  /// The `key=value` options in order.
  public var options: [(key: Identifier, value: Expression)] {
    arguments.compactMap {
      if case .option(let key, let value) = $0.kind { (key, value) } else { nil }
    }
  }

  /// The value following role word `role` (the last one if repeated).
  public func role(_ role: String) -> Expression? {
    roles.last { $0.role.name == role }?.value
  }

  /// The value of option `key` (the last one if repeated).
  public func option(_ key: String) -> Expression? {
    options.last { $0.key.name == key }?.value
  }

  /// The inner command of `outer inner ...`, if the first positional argument is one.
  public var nestedCommand: Command? {
    guard let first = positional.first, case .command(let inner) = first.kind else { return nil }
    return inner
  }
}

/// One argument of a command.
public struct CommandArgument: Sendable, Hashable {
  /// What kind of argument it is.
  public var kind: Kind
  /// The argument including its role word or `key=`.
  public var range: SourceRange

  /// Creates an argument.
  public init(kind: Kind, range: SourceRange) {
    self.kind = kind
    self.range = range
  }

  /// The kinds of command argument.
  public enum Kind: Sendable, Hashable {
    /// A bare argument: `teacher` in `evaluate teacher`.
    case positional(Expression)
    /// A role word and its argument: `on test_set`. Role words: `Parser.roleWords`.
    case role(Identifier, Expression)
    /// `key=value`; the value is a full expression.
    case option(Identifier, Expression)
  }
}
