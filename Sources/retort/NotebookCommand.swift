import Foundation
import RetortLanguage
import RetortNotebook

/// `retort run` on notebooks: executes `.ipynb` code cells, the ```retort fences of a
/// Markdown lesson, or a `# %%` script, and writes the result with its outputs.
enum NotebookCommand {
  static func run(path: String, text: String, options: RunOptions) -> Int32 {
    let session = NotebookSession()
    let echo = TerminalSink()
    echo.fileName = path
    session.echo = echo
    session.interpreter.keepGoing = false
    let forwarder = InterruptForwarder(session.interpreter)
    defer { forwarder.cancel() }
    do {
      let overrides = try options.parameters.map {
        try ParameterOverride(name: $0.name, value: $0.value)
      }
      switch URL(fileURLWithPath: path).pathExtension.lowercased() {
      case "md", "markdown":
        guard overrides.isEmpty else {
          throw RunOptions.Problem(
            description: "--param needs a cell tagged parameters: use a .ipynb or .rt file")
        }
        let lesson = MarkdownLesson(text: text)
        let (outputs, succeeded) = session.execute(
          lesson, fileName: path, keepGoing: options.keepGoing)
        if let output = options.outputPath {
          try lesson.write(outputs: outputs, to: URL(fileURLWithPath: output))
          note("wrote \(output)")
        }
        return succeeded ? 0 : 1
      case "ipynb":
        let document = try NotebookDocument(data: Data(text.utf8), fileName: path)
        return try execute(
          document, path: path, overrides: overrides, session: session,
          options: options, destination: options.outputPath)
      default:
        let document = PercentScript.document(from: text)
        return try execute(
          document, path: path, overrides: overrides, session: session,
          options: options, destination: options.notebookPath ?? options.outputPath)
      }
    } catch {
      FileHandle.standardError.write(Data("retort: \(error)\n".utf8))
      return 2
    }
  }

  private static func execute(
    _ document: NotebookDocument, path: String, overrides: [ParameterOverride],
    session: NotebookSession, options: RunOptions, destination: String?
  ) throws -> Int32 {
    let injected = ParameterInjection.inject(overrides, into: document)
    if let warning = injected.warning { note("warning: \(warning)") }
    let (result, succeeded) = try session.execute(
      injected.document, fileName: path, keepGoing: options.keepGoing)
    if let destination {
      let url = URL(fileURLWithPath: destination)
      switch url.pathExtension.lowercased() {
      case "md", "markdown":
        let codeCells = result.cells.filter { $0.kind == .code }.count
        var outputs = session.cells.map(\.outputs)
        while outputs.count < codeCells { outputs.append([]) }
        try lessonText(of: result).write(outputs: outputs, to: url)
      case "rt":
        try PercentScript.write(result, to: url)
      default:
        try result.write(to: url)
      }
      note("wrote \(destination)")
    }
    return succeeded ? 0 : 1
  }

  /// A notebook as a Markdown lesson: markdown cells as prose, code cells as fences.
  private static func lessonText(of document: NotebookDocument) -> MarkdownLesson {
    let text = document.cells.map { cell -> String in
      switch cell.kind {
      case .code: return "```retort\n\(cell.source)\n```\n"
      default: return cell.source + "\n"
      }
    }.joined(separator: "\n")
    return MarkdownLesson(text: text)
  }

  private static func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
