import Foundation

// Where a running program's output goes. The interpreter only talks to this protocol, so a
// terminal, a notebook renderer or a test can each collect output their own way.
// TODO: re-point at the shared Output types (Chart, Table) once they are merged.

// MARK: - Output events

/// One piece of output a program produced, in the order it happened.
public enum OutputEvent {
  /// Text written by `print` (without a trailing line break).
  case text(String)
  /// The value of a bare expression, shown notebook-style, with its display text.
  case value(Value, String)
  /// A table: column headers and rows of cells.
  case table(headers: [String], rows: [[String]])
  /// A warning about something that ran but looks wrong.
  case warning(Diagnostic)
  /// An error that stopped a statement.
  case diagnostic(Diagnostic)
}

// MARK: - Sink protocol

/// Receives a program's output as it runs.
public protocol OutputSink: AnyObject {
  /// Text written by `print`.
  func emit(text: String)
  /// The shown value of a bare expression; `display` is its notebook rendering.
  func emit(value: Value, display: String)
  /// A table.
  func emit(table headers: [String], rows: [[String]])
  /// A warning (the program goes on).
  func emit(warning: Diagnostic)
  /// An error (parse or runtime).
  func emit(diagnostic: Diagnostic)
}

extension OutputSink {
  /// By default a shown value is written as text.
  public func emit(value: Value, display: String) { emit(text: display) }

  /// Sends one recorded event to the matching method.
  public func emit(_ event: OutputEvent) {
    switch event {
    case .text(let text): emit(text: text)
    case .value(let value, let display): emit(value: value, display: display)
    case .table(let headers, let rows): emit(table: headers, rows: rows)
    case .warning(let diagnostic): emit(warning: diagnostic)
    case .diagnostic(let diagnostic): emit(diagnostic: diagnostic)
    }
  }
}

// MARK: - Capturing sink

/// Records every output event, for tests and embedders that render output later.
public final class CapturingOutputSink: OutputSink {
  /// The events in order.
  public private(set) var events: [OutputEvent] = []

  /// Creates an empty sink.
  public init() {}

  public func emit(text: String) { events.append(.text(text)) }
  public func emit(value: Value, display: String) { events.append(.value(value, display)) }
  public func emit(table headers: [String], rows: [[String]]) {
    events.append(.table(headers: headers, rows: rows))
  }
  public func emit(warning: Diagnostic) { events.append(.warning(warning)) }
  public func emit(diagnostic: Diagnostic) { events.append(.diagnostic(diagnostic)) }

  /// Forgets the recorded events.
  public func clear() { events.removeAll() }

  /// Everything as text, one event after another; diagnostics are rendered by `formatter`
  /// (with source line and caret) when one is given.
  public func transcript(formatter: DiagnosticFormatter? = nil) -> String {
    events.map { CapturingOutputSink.render($0, formatter: formatter) + "\n" }.joined()
  }

  /// The text of one event.
  public static func render(_ event: OutputEvent, formatter: DiagnosticFormatter?) -> String {
    switch event {
    case .text(let text): return text
    case .value(_, let display): return display
    case .table(let headers, let rows): return renderTable(headers: headers, rows: rows)
    case .warning(let diagnostic), .diagnostic(let diagnostic):
      return formatter?.format(diagnostic) ?? diagnostic.description
    }
  }

  /// A plain-text table with columns padded to their widest cell.
  public static func renderTable(headers: [String], rows: [[String]]) -> String {
    let columns = max(headers.count, rows.map(\.count).max() ?? 0)
    var widths = [Int](repeating: 0, count: columns)
    for row in [headers] + rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      (0..<columns).map { index in
        let cell = index < cells.count ? cells[index] : ""
        return cell + String(repeating: " ", count: widths[index] - cell.count)
      }.joined(separator: "  ").replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression)
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
  }
}
