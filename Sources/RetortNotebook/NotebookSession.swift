import Foundation
import RetortLanguage

/// A notebook kernel in process: runs cells through one interpreter, so variables carry
/// from cell to cell, and records each cell's source, outputs and execution count.
public final class NotebookSession {
  /// One executed cell.
  public struct RecordedCell {
    public var source: String
    public var outputs: [Output]
    public var executionCount: Int
    public var succeeded: Bool
    /// The last value the cell showed, if any (the REPL's `_`).
    public var lastValue: Value?
  }

  /// The interpreter holding the session's variables.
  public let interpreter: Interpreter
  /// Every cell run so far, in order.
  public private(set) var cells: [RecordedCell] = []
  private let collector = EventCollector()
  /// Also told about every output as it happens (the REPL's terminal, say).
  public var echo: OutputSink? {
    get { collector.echo }
    set { collector.echo = newValue }
  }

  public init(interpreter: Interpreter? = nil) {
    self.interpreter = interpreter ?? Interpreter()
    self.interpreter.output = collector
    if self.interpreter.chartWriter == nil { self.interpreter.chartWriter = SVGChartFileWriter() }
  }

  /// The next execution count (`In[n]`).
  public var nextExecutionCount: Int { cells.count + 1 }

  /// Runs one cell of `fileName` starting at `origin`; returns its outputs.
  @discardableResult
  public func run(
    _ source: String, fileName: String, origin: SourceLocation = .start
  ) -> RecordedCell {
    collector.begin(fileName: fileName, source: source, firstLine: origin.line)
    let result = interpreter.run(source: source, fileName: fileName, origin: origin)
    let cell = RecordedCell(
      source: source, outputs: collector.finish(), executionCount: nextExecutionCount,
      succeeded: result.succeeded, lastValue: result.values.last)
    cells.append(cell)
    return cell
  }

  // MARK: - Documents

  /// Executes every code cell of `document` in order; markdown cells are kept as they are.
  /// Stops after the first failing cell unless `keepGoing`; later cells keep no outputs.
  public func execute(
    _ document: NotebookDocument, fileName: String, keepGoing: Bool = false
  ) throws -> (document: NotebookDocument, succeeded: Bool) {
    if let language = document.language, language.lowercased() != "retort" {
      throw NotebookError(
        kind: .wrongLanguage, file: fileName,
        message: "the notebook's language is \(language), not retort",
        hint: "open it in the kernel it was written for, or change its kernelspec")
    }
    var result = document
    var succeeded = true
    let converter = NotebookOutputConverter()
    for (index, cell) in document.cells.enumerated() where cell.kind == .code {
      guard succeeded || keepGoing else {
        result.cells[index].outputs = []
        result.cells[index].executionCount = nil
        continue
      }
      let recorded = run(cell.source, fileName: "\(fileName) [cell \(index + 1)]")
      result.cells[index].outputs = converter.convert(recorded.outputs)
      result.cells[index].executionCount = recorded.executionCount
      succeeded = succeeded && recorded.succeeded
    }
    result.assignMissingIDs()
    return (result, succeeded)
  }

  /// Executes the ```retort fences of a lesson; returns each fence's outputs.
  public func execute(
    _ lesson: MarkdownLesson, fileName: String, keepGoing: Bool = false
  ) -> (outputs: [[Output]], succeeded: Bool) {
    var outputs: [[Output]] = []
    var succeeded = true
    for block in lesson.codeBlocks {
      guard succeeded || keepGoing else {
        outputs.append([])
        continue
      }
      let recorded = run(
        block.source, fileName: fileName,
        origin: SourceLocation(line: block.line + 1, column: 1, offset: 0))
      outputs.append(recorded.outputs)
      succeeded = succeeded && recorded.succeeded
    }
    return (outputs, succeeded)
  }

  /// The recorded cells as a notebook.
  public func document() -> NotebookDocument {
    let converter = NotebookOutputConverter()
    var document = NotebookDocument(
      cells: cells.map { cell in
        var notebookCell = NotebookCell.code(cell.source)
        notebookCell.executionCount = cell.executionCount
        notebookCell.outputs = converter.convert(cell.outputs)
        return notebookCell
      })
    document.assignMissingIDs()
    return document
  }

  /// Saves the recorded cells by the file's extension: `.ipynb`, `.md` or `.rt`.
  public func save(to url: URL) throws {
    switch url.pathExtension.lowercased() {
    case "ipynb":
      try document().write(to: url)
    case "md", "markdown":
      let text = cells.map { "```retort\n\($0.source)\n```\n" }.joined(separator: "\n")
      let lesson = MarkdownLesson(text: text)
      try lesson.write(outputs: cells.map(\.outputs), to: url)
    case "rt":
      let text = cells.map { "# %%\n\($0.source)\n" }.joined(separator: "\n")
      try AtomicFileWriter.write(text, to: url)
    default:
      throw NotebookError(
        kind: .invalidValue, file: url.path,
        message: "cannot save a session as .\(url.pathExtension)",
        hint: "use a name ending in .ipynb, .md or .rt")
    }
  }
}

/// Turns the interpreter's events into notebook outputs, quoting diagnostics with the
/// cell's source and a caret.
final class EventCollector: OutputSink {
  var echo: OutputSink?
  private var outputs: [Output] = []
  private var formatter = DiagnosticFormatter(fileName: "<cell>", source: "")

  func begin(fileName: String, source: String, firstLine: Int) {
    outputs = []
    formatter = DiagnosticFormatter(fileName: fileName, source: source, firstLine: firstLine)
  }

  func finish() -> [Output] { outputs }

  func emit(text: String) {
    outputs.append(.text(text))
    echo?.emit(text: text)
  }

  func emit(value: Value, display: String) {
    outputs.append(NotebookSession.output(for: value, display: display))
    echo?.emit(value: value, display: display)
  }

  func emit(table: Table) {
    outputs.append(.table(table))
    echo?.emit(table: table)
  }

  func emit(chart: Chart) {
    outputs.append(.chart(chart))
    echo?.emit(chart: chart)
  }

  func emit(progress: String) { echo?.emit(progress: progress) }

  func emit(warning: Diagnostic) {
    outputs.append(.warning(formatter.format(warning)))
    echo?.emit(warning: warning)
  }

  func emit(diagnostic: Diagnostic) {
    outputs.append(.error(formatter.format(diagnostic)))
    echo?.emit(diagnostic: diagnostic)
  }
}

extension NotebookSession {
  /// A shown value as notebook output: reports keep their table.
  static func output(for value: Value, display: String) -> Output {
    if case .report(let report) = value { return .table(report.table) }
    return .text(display)
  }
}

/// Writes charts as SVG files, atomically: what `plot ... to "f.svg"` uses.
public final class SVGChartFileWriter: ChartFileWriter {
  public let renderer: SVGChartRenderer

  public init(renderer: SVGChartRenderer = SVGChartRenderer()) { self.renderer = renderer }

  public func write(_ chart: Chart, to url: URL) throws {
    guard url.pathExtension.lowercased() == "svg" else {
      throw NotebookError(
        kind: .invalidValue, file: url.path,
        message: "charts are written as SVG, but the file ends in .\(url.pathExtension)",
        hint: "name the file with .svg")
    }
    try AtomicFileWriter.write(renderer.render(chart), to: url)
  }
}
