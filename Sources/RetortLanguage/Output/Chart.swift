// A chart as a description: what to draw, not how. The interpreter builds these values
// (loss curves, softmax at several temperatures, a temperature × alpha sweep, accuracy
// against latency) and the notebook layer renders them for a terminal or as SVG.

// MARK: - Chart

/// A titled chart with axis labels and one of four kinds of content.
public struct Chart: Sendable, Equatable {
  /// The four kinds of chart Retort draws.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// Series of (x, y) points joined by lines, e.g. loss per epoch.
    case line
    /// Grouped bars: categories along one axis, one bar per series in each group.
    case bar
    /// A matrix of values coloured by size, e.g. accuracy over temperature × alpha.
    case heatmap
    /// Labelled points, e.g. accuracy against latency for several students.
    case scatter
  }

  /// What the chart shows; each case carries data that has already been checked.
  public enum Content: Sendable, Equatable {
    /// Line series.
    case line([ChartSeries])
    /// Grouped bars.
    case bar(BarGroups)
    /// A heatmap matrix.
    case heatmap(Heatmap)
    /// Labelled scatter points.
    case scatter([ScatterPoint])
  }

  /// The title shown above the chart ("" for none).
  public var title: String
  /// The label of the horizontal axis ("" for none).
  public var xLabel: String
  /// The label of the vertical axis ("" for none).
  public var yLabel: String
  /// The data to draw.
  public var content: Content

  /// A chart with the given content and labels.
  public init(title: String = "", xLabel: String = "", yLabel: String = "", content: Content) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.content = content
  }

  /// Which kind of chart this is, derived from its content.
  public var kind: Kind {
    switch content {
    case .line: return .line
    case .bar: return .bar
    case .heatmap: return .heatmap
    case .scatter: return .scatter
    }
  }

  /// A line chart of the given series.
  public static func line(
    title: String = "", xLabel: String = "", yLabel: String = "", series: [ChartSeries]
  ) -> Chart {
    Chart(title: title, xLabel: xLabel, yLabel: yLabel, content: .line(series))
  }

  /// A grouped bar chart.
  public static func bar(
    title: String = "", xLabel: String = "", yLabel: String = "", groups: BarGroups
  ) -> Chart {
    Chart(title: title, xLabel: xLabel, yLabel: yLabel, content: .bar(groups))
  }

  /// A heatmap; `xLabel` names the columns and `yLabel` the rows.
  public static func heatmap(
    title: String = "", xLabel: String = "", yLabel: String = "", heatmap: Heatmap
  ) -> Chart {
    Chart(title: title, xLabel: xLabel, yLabel: yLabel, content: .heatmap(heatmap))
  }

  /// A scatter plot of labelled points.
  public static func scatter(
    title: String = "", xLabel: String = "", yLabel: String = "", points: [ScatterPoint]
  ) -> Chart {
    Chart(title: title, xLabel: xLabel, yLabel: yLabel, content: .scatter(points))
  }
}

// MARK: - Line series

/// One point of a line series.
public struct ChartPoint: Sendable, Equatable {
  /// Horizontal position.
  public var x: Double
  /// Vertical position; non-finite values leave a gap in the line.
  public var y: Double

  /// A point at (x, y).
  public init(x: Double, y: Double) {
    self.x = x
    self.y = y
  }
}

/// A named line: the points are drawn in order, joined by straight segments.
public struct ChartSeries: Sendable, Equatable {
  /// The name shown in the legend.
  public var name: String
  /// The points, in drawing order.
  public var points: [ChartPoint]

  /// A series from explicit points.
  public init(name: String, points: [ChartPoint]) {
    self.name = name
    self.points = points
  }

  /// A series whose x values count up from `firstX` (e.g. epochs 1, 2, 3 ...).
  public init(name: String, values: [Double], firstX: Double = 0) {
    self.name = name
    self.points = values.enumerated().map { ChartPoint(x: firstX + Double($0), y: $1) }
  }
}

// MARK: - Bars

/// One series of a grouped bar chart: a value for every category.
public struct BarSeries: Sendable, Equatable {
  /// The name shown in the legend (e.g. "T = 4").
  public var name: String
  /// One value per category, in category order.
  public var values: [Double]

  /// A bar series.
  public init(name: String, values: [Double]) {
    self.name = name
    self.values = values
  }
}

/// Categories × series: each category is a group holding one bar per series.
public struct BarGroups: Sendable, Equatable {
  /// The category names (e.g. class labels "0" ... "9").
  public private(set) var categories: [String]
  /// The series; each has exactly one value per category.
  public private(set) var series: [BarSeries]

  /// Groups of bars; every series must have one value per category.
  public init(categories: [String], series: [BarSeries]) throws {
    for entry in series where entry.values.count != categories.count {
      throw ChartError(
        message: "bar series \"\(entry.name)\" has \(entry.values.count) values, "
          + "but there are \(categories.count) categories",
        hint: "give each series one value per category, in category order")
    }
    self.categories = categories
    self.series = series
  }

  /// A single series of bars, one per category.
  public init(categories: [String], values: [Double], name: String = "") throws {
    try self.init(categories: categories, series: [BarSeries(name: name, values: values)])
  }
}

// MARK: - Heatmap

/// A matrix of values with row and column labels and an optional highlighted cell.
public struct Heatmap: Sendable, Equatable {
  /// A (row, column) position in the matrix, both 0-based.
  public struct Cell: Sendable, Equatable, Hashable {
    /// The row index.
    public var row: Int
    /// The column index.
    public var column: Int

    /// The cell at (row, column).
    public init(row: Int, column: Int) {
      self.row = row
      self.column = column
    }
  }

  /// The values, one array per row, all of the same length.
  public private(set) var values: [[Double]]
  /// One label per row (e.g. temperatures).
  public private(set) var rowLabels: [String]
  /// One label per column (e.g. alphas).
  public private(set) var columnLabels: [String]
  /// The cell to highlight as the best one, if any.
  public private(set) var best: Cell?

  /// A heatmap; the matrix must be rectangular and match the labels.
  public init(
    values: [[Double]], rowLabels: [String], columnLabels: [String], best: Cell? = nil
  ) throws {
    guard values.count == rowLabels.count else {
      throw ChartError(
        message: "the heatmap has \(values.count) rows but \(rowLabels.count) row labels",
        hint: "give one label per row")
    }
    for (index, row) in values.enumerated() where row.count != columnLabels.count {
      throw ChartError(
        message: "heatmap row \(index) has \(row.count) values, "
          + "but there are \(columnLabels.count) column labels",
        hint: "every row needs one value per column")
    }
    if let best,
      !(values.indices.contains(best.row)
        && columnLabels.indices.contains(best.column))
    {
      throw ChartError(
        message: "the best cell (\(best.row), \(best.column)) is outside the "
          + "\(values.count) × \(columnLabels.count) matrix",
        hint: "row and column indices start at 0")
    }
    self.values = values
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.best = best
  }

  /// The number of rows.
  public var rowCount: Int { values.count }
  /// The number of columns.
  public var columnCount: Int { columnLabels.count }

  /// The cell holding the largest finite value (or the smallest when `highest` is false).
  public func extremeCell(highest: Bool = true) -> Cell? {
    var found: (cell: Cell, value: Double)?
    for (row, rowValues) in values.enumerated() {
      for (column, value) in rowValues.enumerated() where value.isFinite {
        let better = found.map { highest ? value > $0.value : value < $0.value } ?? true
        if better { found = (Cell(row: row, column: column), value) }
      }
    }
    return found?.cell
  }

  /// A copy with `best` set to the largest (or smallest) finite value's cell.
  public func markingExtreme(highest: Bool = true) -> Heatmap {
    var copy = self
    copy.best = extremeCell(highest: highest)
    return copy
  }
}

// MARK: - Scatter

/// A labelled point of a scatter plot (e.g. a student at its latency and accuracy).
public struct ScatterPoint: Sendable, Equatable {
  /// The text written next to the point.
  public var label: String
  /// Horizontal position.
  public var x: Double
  /// Vertical position.
  public var y: Double

  /// A point at (x, y) with a label.
  public init(label: String, x: Double, y: Double) {
    self.label = label
    self.x = x
    self.y = y
  }
}

// MARK: - Errors

/// Chart data whose parts do not fit together (counts that differ, cells out of range).
public struct ChartError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was expected and what was found.
  public var message: String
  /// How to fix it.
  public var hint: String

  /// An error with a message and a hint.
  public init(message: String, hint: String) {
    self.message = message
    self.hint = hint
  }

  /// The message followed by the hint.
  public var description: String { "\(message) (hint: \(hint))" }
}
