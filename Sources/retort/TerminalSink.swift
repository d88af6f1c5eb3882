import Foundation
import RetortLanguage
import RetortNotebook

/// Writes a program's output to the terminal: results to standard output, warnings and
/// errors (with the offending line and a caret) to standard error, charts drawn with
/// braille and block characters, and a progress line that redraws in place on a terminal.
final class TerminalSink: OutputSink {
  /// The file (or `<stdin>`, `In[3]`) and the text being run, to quote in diagnostics.
  var fileName = "<input>"
  var source = ""
  /// The line the text starts at in its file (a notebook cell).
  var firstLine = 1
  let outputIsTerminal = isatty(STDOUT_FILENO) != 0
  let errorIsTerminal = isatty(STDERR_FILENO) != 0
  private var progressShown = false
  private lazy var chartRenderer: TerminalChartRenderer = {
    let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
    let unicode =
      (ProcessInfo.processInfo.environment["LANG"] ?? "").uppercased()
      .contains("UTF") || outputIsTerminal
    return TerminalChartRenderer(
      width: max(40, min(columns - 8, 72)), height: 14, colour: outputIsTerminal,
      charset: unicode ? .unicode : .ascii)
  }()

  func emit(text: String) { write(text) }

  func emit(value: Value, display: String) { write(display) }

  func emit(table: Table) { write(table.render()) }

  func emit(chart: Chart) { write(chartRenderer.render(chart)) }

  func emit(progress: String) {
    guard outputIsTerminal else { return }
    if progress.isEmpty {
      if progressShown { raw("\r\u{1B}[K") }
      progressShown = false
    } else {
      raw("\r\u{1B}[K" + progress)
      progressShown = true
    }
  }

  func emit(warning: Diagnostic) { writeError(format(warning)) }

  func emit(diagnostic: Diagnostic) { writeError(format(diagnostic)) }

  func format(_ diagnostic: Diagnostic) -> String {
    let formatter = DiagnosticFormatter(
      fileName: fileName, source: source, firstLine: firstLine, useColor: errorIsTerminal)
    return formatter.format(diagnostic)
  }

  private func write(_ text: String) {
    emit(progress: "")
    raw(text + "\n")
  }

  private func raw(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  private func writeError(_ text: String) {
    emit(progress: "")
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }
}
