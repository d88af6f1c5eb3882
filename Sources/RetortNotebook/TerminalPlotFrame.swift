// The text grid and axes shared by terminal line and scatter charts: a plot area of cells,
// y tick labels on the left, an x axis with ticks below, axis titles.

import RetortLanguage

// MARK: - Plot grid

/// A rectangle of one-column text cells, each with an optional series colour.
///
/// A cell holding `""` is the right half of a wide character in the cell before it.
struct PlotGrid {
  /// Number of cells across.
  let columns: Int
  /// Number of cells down.
  let rows: Int
  private var glyphs: [String]
  private var owners: [Int?]

  /// An empty grid.
  init(columns: Int, rows: Int) {
    self.columns = max(1, columns)
    self.rows = max(1, rows)
    glyphs = Array(repeating: " ", count: self.columns * self.rows)
    owners = Array(repeating: nil, count: self.columns * self.rows)
  }

  /// Whether (column, row) is inside the grid.
  func contains(column: Int, row: Int) -> Bool {
    column >= 0 && column < columns && row >= 0 && row < rows
  }

  /// Whether (column, row) is inside the grid and blank.
  func isFree(column: Int, row: Int) -> Bool {
    contains(column: column, row: row) && glyphs[row * columns + column] == " "
  }

  /// Puts `glyph` at (column, row) in the colour of `series`; ignored outside the grid.
  mutating func set(column: Int, row: Int, glyph: String, series: Int?) {
    guard contains(column: column, row: row) else { return }
    glyphs[row * columns + column] = glyph
    owners[row * columns + column] = series
  }

  /// Writes `text` from (column, row) rightwards, a wide character taking two cells.
  mutating func write(_ text: String, column: Int, row: Int) {
    var position = column
    for character in text {
      let glyph = String(character)
      let cells = max(1, DisplayWidth.of(glyph))
      set(column: position, row: row, glyph: glyph, series: nil)
      if cells == 2 { set(column: position + 1, row: row, glyph: "", series: nil) }
      position += cells
    }
  }

  /// Row `row` as text, colouring runs of cells with `colourize(text, series)`.
  func text(row: Int, colourize: (String, Int) -> String) -> String {
    var line = ""
    var run = ""
    var runOwner: Int?
    for column in 0..<columns {
      let owner = owners[row * columns + column]
      if owner != runOwner {
        line += runOwner.map { colourize(run, $0) } ?? run
        run = ""
        runOwner = owner
      }
      run += glyphs[row * columns + column]
    }
    line += runOwner.map { colourize(run, $0) } ?? run
    return line
  }
}

// MARK: - Axes

extension TerminalChartRenderer {
  /// Labels for the y axis keyed by plot row (0 at the top): the range's ends plus the nice
  /// ticks between them that do not crowd a neighbouring label.
  func yAxisLabels(for range: ValueRange, rows: Int) -> [Int: String] {
    var labels = [0: ChartNumber.compact(range.upper), rows - 1: ChartNumber.compact(range.lower)]
    let step = NiceScale.step(for: range.span, targetTicks: max(2, rows / 3))
    let decimals = NiceScale.decimals(forStep: step)
    for tick in NiceScale.ticks(in: range, step: step) {
      let row = Int(((range.upper - tick) / range.span * Double(rows - 1)).rounded())
      let crowded = (row - 1...row + 1).contains { labels[$0] != nil }
      if !crowded { labels[row] = ChartNumber.fixed(tick, decimals: decimals) }
    }
    return labels
  }

  /// The width of the widest y label, which fixes how many columns the plot can use.
  func yLabelWidth(_ labels: [Int: String]) -> Int {
    labels.values.map(DisplayWidth.of).max() ?? 0
  }

  /// The plot rows framed by the y axis, followed by the x axis, its labels and the axis
  /// titles. `grid` must be `plotColumns(labelWidth:)` wide.
  func framedPlot(
    _ grid: PlotGrid, x: ValueRange, yLabels: [Int: String], labelWidth: Int, chart: Chart
  ) -> [String] {
    var lines: [String] = []
    if !chart.yLabel.isEmpty { lines.append(truncated(chart.yLabel, to: width)) }
    for row in 0..<grid.rows {
      let label = yLabels[row] ?? ""
      let axis = label.isEmpty ? (isASCII ? "|" : "│") : (isASCII ? "+" : "┤")
      let cells = grid.text(row: row) { text, series in coloured(text, series: series) }
      lines.append(DisplayWidth.pad(label, to: labelWidth, alignRight: true) + " " + axis + cells)
    }
    let indent = String(repeating: " ", count: labelWidth + 1)
    let (axis, labels) = xAxis(for: x, columns: grid.columns)
    lines.append(indent + (isASCII ? "+" : "└") + axis)
    lines.append(indent + " " + labels)
    if !chart.xLabel.isEmpty {
      let title = truncated(chart.xLabel, to: grid.columns)
      lines.append(indent + " " + title.centred(in: grid.columns))
    }
    return lines
  }

  /// The columns left for the plot once the y labels and the axis line are placed.
  func plotColumns(labelWidth: Int) -> Int {
    max(8, width - labelWidth - 2)
  }

  /// The x axis line with tick marks, and the line of tick labels beneath it.
  ///
  /// The range's ends are labelled at the first and last column; nice ticks in between are
  /// labelled, centred on their column, wherever they leave a space to their neighbours.
  private func xAxis(for range: ValueRange, columns: Int) -> (axis: String, labels: String) {
    var axis = Array(repeating: isASCII ? "-" : "─", count: columns)
    var labels = Array(repeating: " ", count: columns)
    var taken = Array(repeating: false, count: columns)
    func place(_ text: String, start: Int, tick: Int) -> Bool {
      let characters = Array(text)
      let end = start + characters.count
      guard start >= 0, end <= columns else { return false }
      // Keep one blank column on either side of every label.
      let guardStart = max(0, start - 1)
      let guardEnd = min(columns, end + 1)
      guard !taken[guardStart..<guardEnd].contains(true) else { return false }
      for (offset, character) in characters.enumerated() {
        labels[start + offset] = String(character)
        taken[start + offset] = true
      }
      axis[tick] = isASCII ? "+" : "┬"
      return true
    }
    let lowerText = ChartNumber.compact(range.lower)
    let upperText = ChartNumber.compact(range.upper)
    _ = place(lowerText, start: 0, tick: 0)
    _ = place(upperText, start: columns - upperText.count, tick: columns - 1)
    let step = NiceScale.step(for: range.span, targetTicks: max(2, columns / 8))
    let decimals = NiceScale.decimals(forStep: step)
    for tick in NiceScale.ticks(in: range, step: step) {
      let column = Int((range.fraction(of: tick) * Double(columns - 1)).rounded())
      let text = ChartNumber.fixed(tick, decimals: decimals)
      _ = place(text, start: column - text.count / 2, tick: column)
    }
    return (axis.joined(), labels.joined())
  }
}
