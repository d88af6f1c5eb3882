import Foundation
import RetortNetworks
import RetortTensor

// The public face of the interpreter: run source text, read and write variables, interrupt.

// MARK: - Results and limits

/// What one `run` produced.
public struct RunResult {
  /// The values of top-level expressions and commands that were shown, in order.
  public var values: [Value] = []
  /// Everything the run emitted, in order (also sent to the interpreter's sink).
  public var outputs: [OutputEvent] = []
  /// Parse and runtime diagnostics, warnings included, in the order they were reported.
  public var diagnostics: [Diagnostic] = []
  /// True when no error was reported.
  public var succeeded: Bool { !diagnostics.containsErrors }
}

/// Bounds that keep a runaway program from hanging or exhausting memory.
public struct InterpreterLimits: Sendable {
  /// Deepest chain of user-function calls.
  public var maxCallDepth = 120
  /// Statements and loop iterations one `run` may take; nil for no limit.
  public var stepLimit: Int? = nil
  /// Largest tensor (elements) or list a program may create.
  public var maxElements = 50_000_000

  /// The defaults.
  public init() {}
}

// MARK: - Interpreter

/// Runs Retort programs. Variables persist across `run` calls, like a notebook kernel.
///
/// ```swift
/// let interpreter = Interpreter(output: CapturingOutputSink())
/// let result = interpreter.run(source: "x = randn [2, 3]\nx.shape")
/// ```
public final class Interpreter {
  /// Where output goes as it happens (in addition to `RunResult.outputs`).
  public var output: OutputSink?
  /// When true a script continues with the next top-level statement after an error; when
  /// false (the default) it stops at the first error, and does not start when it fails to
  /// parse.
  public var keepGoing = false
  /// Runaway protection.
  public var limits = InterpreterLimits()
  /// The commands this interpreter knows.
  public var commandRegistry: CommandRegistry
  /// Writes `plot ... to "file.svg"`; set by the notebook layer (or an embedder).
  public var chartWriter: ChartFileWriter?
  /// Teacher outputs kept between distillation runs (dropped when weights or data change).
  public let teacherCache = TeacherCache()
  /// The random generator of this interpreter's draws (randn, rand, weight initialisation,
  /// splits); `seed` resets it. Owning it keeps interpreters that run side by side (tests,
  /// several notebooks) from disturbing each other's sequences.
  public var generator: SeededGenerator

  let globals = Scope()
  var scope: Scope
  var callDepth = 0
  var steps = 0
  /// The text being run, to locate operators inside binary expressions.
  var sourceBytes: [UInt8] = []
  /// The file offset at which `sourceBytes` starts (non-zero for notebook cells).
  var sourceBaseOffset = 0
  private var current = RunResult()
  private let interruptLock = NSLock()
  private var interruptFlag = false

  /// Creates an interpreter with the standard commands; output also goes to `output`.
  public init(output: OutputSink? = nil) {
    self.output = output
    self.commandRegistry = CommandRegistry.standard()
    self.scope = globals
    self.generator = SeededGenerator(seed: SeededGenerator.nextGlobalSeed())
  }

  // MARK: Interrupts

  /// Set from any thread (a Ctrl-C handler) to stop the running program at the next
  /// statement or loop iteration; cleared when the interruption is reported.
  public var interruptRequested: Bool {
    get { interruptLock.withLock { interruptFlag } }
    set { interruptLock.withLock { interruptFlag = newValue } }
  }

  // MARK: Variables

  /// Reads or writes a global variable.
  public subscript(variable name: String) -> Value? {
    get { globals.variables[name] }
    set { globals.variables[name] = newValue }
  }

  /// The names of the global variables, sorted.
  public var variableNames: [String] { globals.variables.keys.sorted() }

  // MARK: Running

  /// Parses and runs `source`; `origin` is where it starts in `fileName` (for notebook cells).
  public func run(
    source: String, fileName: String = "<input>", origin: SourceLocation = .start
  ) -> RunResult {
    let (program, parseDiagnostics) = Parser.parse(
      source: source, fileName: fileName, commandWords: commandRegistry.commandWords,
      origin: origin)
    current = RunResult()
    steps = 0
    sourceBytes = Array(source.utf8)
    sourceBaseOffset = origin.offset
    defer { scope = globals; callDepth = 0 }
    for diagnostic in parseDiagnostics {
      if diagnostic.severity == .error {
        report(error: diagnostic)
      } else {
        report(warning: diagnostic)
      }
    }
    if parseDiagnostics.containsErrors && !keepGoing { return current }
    // With keepGoing, statements that failed to parse are skipped (their errors are reported).
    let errorStarts = parseDiagnostics.filter { $0.severity == .error }.map(\.range.start)
    for statement in program.statements {
      if case .error = statement.kind { continue }
      if errorStarts.contains(where: {
        statement.range.start <= $0 && $0 <= statement.range.end
      }) {
        continue
      }
      do {
        let completion = try execute(statement, topLevel: true)
        if case .returned = completion { break }
      } catch let error as RuntimeError {
        report(error: error.diagnostic)
        if !keepGoing { break }
      } catch let interruption as Interrupted {
        interruptRequested = false
        report(
          error: Diagnostic(
            .error, "interrupted", at: interruption.range,
            hint: "variables keep the values they had; run again to continue"))
        break
      } catch {
        report(error: Diagnostic(.error, "\(error)", at: statement.range))
        if !keepGoing { break }
      }
    }
    return current
  }

  /// Evaluates one expression (no commands at the top) against the global variables.
  public func evaluateExpression(_ source: String) throws -> Value {
    let (expression, diagnostics) = Parser.parseExpression(source)
    if let first = diagnostics.first(where: { $0.severity == .error }) {
      throw RuntimeError(first)
    }
    defer { scope = globals; callDepth = 0 }
    sourceBytes = Array(source.utf8)
    sourceBaseOffset = 0
    return try evaluate(expression)
  }

  // MARK: Output

  /// Reports a warning to the sink and the current result.
  func report(warning: Diagnostic) {
    current.diagnostics.append(warning)
    emit(.warning(warning))
  }

  /// Reports an error to the sink and the current result.
  func report(error: Diagnostic) {
    current.diagnostics.append(error)
    emit(.diagnostic(error))
  }

  /// Records a shown value.
  func show(_ value: Value) {
    current.values.append(value)
    emit(.value(value, value.display))
  }

  /// Sends an event to the sink and records it.
  func emit(_ event: OutputEvent) {
    current.outputs.append(event)
    output?.emit(event)
  }

  /// Writes text (what `print` does).
  public func write(_ text: String) { emit(.text(text)) }

  /// Writes a table whose columns are left-aligned text and right-aligned numbers.
  public func writeTable(headers: [String], rows: [[String]], title: String? = nil) {
    let numeric = Set(
      headers.indices.filter { column in
        !rows.isEmpty
          && rows.allSatisfy { row in
            column < row.count && row[column].first.map { $0.isNumber || $0 == "-" } == true
          }
      })
    if let table = try? Table(title: title, headers: headers, rightAligned: numeric, rows: rows) {
      emit(.table(table))
    } else {
      emit(.text(([headers] + rows).map { $0.joined(separator: "  ") }.joined(separator: "\n")))
    }
  }

  /// Writes a table.
  public func write(table: Table) { emit(.table(table)) }

  /// Writes a chart.
  public func write(chart: Chart) { emit(.chart(chart)) }

  /// Replaces the transient status line (a progress bar); not recorded in the result.
  public func writeProgress(_ line: String) { output?.emit(progress: line) }

  /// Runs `body` with a generator split off this interpreter's, so `seed` fixes the
  /// initial weights of models built in it.
  public func withGenerator<R>(_ body: (inout SeededGenerator) throws -> R) rethrows -> R {
    var split = SeededGenerator(seed: generator.next())
    return try body(&split)
  }

  // MARK: Budget

  /// Counts one step and honours interrupts and the step limit.
  func tick(_ range: SourceRange) throws {
    steps += 1
    if interruptRequested { throw Interrupted(range: range) }
    if let limit = limits.stepLimit, steps > limit {
      throw RuntimeError(
        "the program ran more than \(limit) steps", at: range,
        hint: "a loop may not terminate; check its condition")
    }
  }

  /// Throws when a tensor or list of `count` elements would exceed the size limit.
  func checkSize(_ count: Int, what: String, at range: SourceRange) throws {
    guard count <= limits.maxElements else {
      throw RuntimeError(
        "\(what) would hold \(count) elements; the limit is \(limits.maxElements)", at: range,
        hint: "work with smaller tensors or batches")
    }
  }
}
