import RetortNetworks

/// The result of a command that measures something (`compare`, `sweep`): a table to show,
/// a chart that `plot` draws from it, and named fields to read (`result.best`).
public final class Report {
  /// What produced it (`compare`, `sweep`), for messages.
  public let kind: String
  /// What the report shows.
  public let table: Table
  /// What `plot report` draws.
  public let chart: Chart?
  /// Fields readable as attributes, in order.
  public let fields: [(name: String, doc: String, value: Value)]

  public init(
    kind: String, table: Table, chart: Chart?, fields: [(name: String, doc: String, value: Value)]
  ) {
    self.kind = kind
    self.table = table
    self.chart = chart
    self.fields = fields
  }
}
