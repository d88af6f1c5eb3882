// What running a piece of Retort produces, in order: printed text, tables, charts,
// diagnostics. The REPL, notebooks and markdown lessons each present these their own way.

// MARK: - Output

/// One item of output emitted by the interpreter while running a cell or a statement.
public enum Output: Sendable, Equatable {
  /// Printed text (from `print`, or the value of a cell's last expression).
  case text(String)
  /// A table value.
  case table(Table)
  /// A chart value.
  case chart(Chart)
  /// An error diagnostic, already formatted for people (message, location, hint).
  case error(String)
  /// A warning that did not stop the run.
  case warning(String)

  /// Whether this output reports an error.
  public var isError: Bool {
    if case .error = self { return true }
    return false
  }

  /// The output as plain text, or `nil` for a chart (charts need a renderer).
  ///
  /// Errors and warnings are prefixed with `error: ` and `warning: ` unless they already
  /// start with that word, so they read the same in every front end.
  public var plainText: String? {
    switch self {
    case .text(let text): return text
    case .table(let table): return table.render()
    case .chart: return nil
    case .error(let message): return Output.prefixed(message, with: "error")
    case .warning(let message): return Output.prefixed(message, with: "warning")
    }
  }

  private static func prefixed(_ message: String, with word: String) -> String {
    message.hasPrefix(word + ":") ? message : "\(word): \(message)"
  }
}
