import Foundation

// Where a running program's output goes. The interpreter only talks to this protocol, so a
// terminal, a notebook renderer or a test can each collect output their own way. Tables and
// charts travel as the shared `Table` and `Chart` values; each front end renders them.

// MARK: - Output events

/// One piece of output a program produced, in the order it happened.
public enum OutputEvent {
  /// Text written by `print` (without a trailing line break).
  case text(String)
  /// The value of a bare expression, shown notebook-style, with its display text.
  case value(Value, String)
  /// A table (compare, summary, sweep, evaluate).
  case table(Table)
  /// A chart (plot).
  case chart(Chart)
  /// A transient status line (a training progress bar); not part of a notebook's outputs.
  case progress(String)
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
  func emit(table: Table)
  /// A chart.
  func emit(chart: Chart)
  /// A transient status line, replaced by the next one (empty: clear it).
  func emit(progress: String)
  /// A warning (the program goes on).
  func emit(warning: Diagnostic)
  /// An error (parse or runtime).
  func emit(diagnostic: Diagnostic)
}

extension OutputSink {
  /// By default a shown value is written as text.
  public func emit(value: Value, display: String) { emit(text: display) }

  /// By default a table is written as aligned text.
  public func emit(table: Table) { emit(text: table.render()) }

  /// By default a chart is described in a line of text.
  public func emit(chart: Chart) { emit(text: CapturingOutputSink.describe(chart)) }

  /// By default progress lines are dropped (files and notebooks get the epoch lines).
  public func emit(progress: String) {}

  /// Sends one recorded event to the matching method.
  public func emit(_ event: OutputEvent) {
    switch event {
    case .text(let text): emit(text: text)
    case .value(let value, let display): emit(value: value, display: display)
    case .table(let table): emit(table: table)
    case .chart(let chart): emit(chart: chart)
    case .progress(let line): emit(progress: line)
    case .warning(let diagnostic): emit(warning: diagnostic)
    case .diagnostic(let diagnostic): emit(diagnostic: diagnostic)
    }
  }
}

// MARK: - Capturing sink

/// Records every output event, for tests and embedders that render output later.
public final class CapturingOutputSink: OutputSink {
  /// The events in order (progress lines excluded).
  public private(set) var events: [OutputEvent] = []

  /// Creates an empty sink.
  public init() {}

  public func emit(text: String) { events.append(.text(text)) }
  public func emit(value: Value, display: String) { events.append(.value(value, display)) }
  public func emit(table: Table) { events.append(.table(table)) }
  public func emit(chart: Chart) { events.append(.chart(chart)) }
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
    case .table(let table): return table.render()
    case .chart(let chart): return describe(chart)
    case .progress(let line): return line
    case .warning(let diagnostic), .diagnostic(let diagnostic):
      return formatter?.format(diagnostic) ?? diagnostic.description
    }
  }

  /// A one-line description of a chart, for sinks that cannot draw.
  public static func describe(_ chart: Chart) -> String {
    let title = chart.title.isEmpty ? "" : " \"\(chart.title)\""
    switch chart.content {
    case .line(let series):
      return "[line chart\(title): \(series.map(\.name).joined(separator: ", "))]"
    case .bar(let groups):
      return "[bar chart\(title): \(groups.series.count) series over "
        + "\(groups.categories.count) categories]"
    case .heatmap(let map):
      return "[heatmap\(title): \(map.rowLabels.count) x \(map.columnLabels.count)]"
    case .scatter(let points):
      return "[scatter\(title): \(points.map(\.label).joined(separator: ", "))]"
    }
  }
}
