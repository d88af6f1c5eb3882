// Terminal line charts (braille, 2 × 4 dots per cell) and scatter plots (labelled markers).

import RetortLanguage

// MARK: - Braille canvas

/// A dot canvas where every text cell holds a 2 × 4 braille pattern.
///
/// Braille cell dots map to bits as the Unicode block U+2800 defines them:
/// left column top to bottom 0x01 0x02 0x04 0x40, right column 0x08 0x10 0x20 0x80.
struct BrailleCanvas {
  private static let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  let columns: Int
  let rows: Int
  private(set) var bits: [UInt8]
  private(set) var owners: [Int?]

  init(columns: Int, rows: Int) {
    self.columns = columns
    self.rows = rows
    bits = Array(repeating: 0, count: columns * rows)
    owners = Array(repeating: nil, count: columns * rows)
  }

  /// Dots across and down.
  var dotColumns: Int { columns * 2 }
  var dotRows: Int { rows * 4 }

  /// Sets the dot at (x, y), counted from the top left, for `series`.
  mutating func plot(x: Int, y: Int, series: Int) {
    guard x >= 0, x < dotColumns, y >= 0, y < dotRows else { return }
    let cell = (y / 4) * columns + x / 2
    bits[cell] |= Self.dotBits[x % 2][y % 4]
    owners[cell] = series
  }

  /// The braille character of a cell, or `nil` when it has no dots.
  func glyph(column: Int, row: Int) -> (glyph: String, series: Int?)? {
    let cell = row * columns + column
    guard bits[cell] != 0, let scalar = Unicode.Scalar(0x2800 + UInt32(bits[cell])) else {
      return nil
    }
    return (String(Character(scalar)), owners[cell])
  }
}

/// The cells on the straight segment between two cells (Bresenham's algorithm).
func rasterSegment(from start: (Int, Int), to end: (Int, Int)) -> [(Int, Int)] {
  var (x, y) = start
  let dx = abs(end.0 - x)
  let dy = -abs(end.1 - y)
  let stepX = x < end.0 ? 1 : -1
  let stepY = y < end.1 ? 1 : -1
  var error = dx + dy
  var cells: [(Int, Int)] = []
  while true {
    cells.append((x, y))
    if x == end.0 && y == end.1 { break }
    let doubled = 2 * error
    if doubled >= dy {
      error += dy
      x += stepX
    }
    if doubled <= dx {
      error += dx
      y += stepY
    }
  }
  return cells
}

// MARK: - Line charts

extension TerminalChartRenderer {
  /// A line chart. With Unicode and colour (or a single series) every series is braille in
  /// its colour; without colour, series after the first are drawn with their own marker
  /// glyph so they stay apart; in ASCII every series uses a marker.
  func renderLines(_ series: [ChartSeries], chart: Chart) -> [String] {
    let points = series.flatMap(\.points)
    guard let xRange = ValueRange(covering: points.filter(\.y.isFinite).map(\.x)),
      let yRange = ValueRange(covering: points.filter(\.x.isFinite).map(\.y))
    else { return noData }
    let rows = height
    let yLabels = yAxisLabels(for: yRange, rows: rows)
    let labelWidth = yLabelWidth(yLabels)
    let columns = plotColumns(labelWidth: labelWidth)
    var canvas = BrailleCanvas(columns: columns, rows: rows)
    var grid = PlotGrid(columns: columns, rows: rows)
    var legendEntries: [(glyph: String, name: String)] = []
    for (index, entry) in series.enumerated() {
      let usesBraille = !isASCII && (colour || series.count == 1 || index == 0)
      let glyph = isASCII ? marker(series: index) : marker(series: index - 1)
      legendEntries.append((usesBraille ? "⣿" : glyph, entry.name))
      for segment in segments(of: entry) {
        if usesBraille {
          let dots = segment.map { point in
            (
              scaled(point.x, xRange, canvas.dotColumns),
              canvas.dotRows - 1 - scaled(point.y, yRange, canvas.dotRows)
            )
          }
          for cell in pathCells(dots) { canvas.plot(x: cell.0, y: cell.1, series: index) }
        } else {
          let cells = segment.map { point in
            (scaled(point.x, xRange, columns), rows - 1 - scaled(point.y, yRange, rows))
          }
          for cell in pathCells(cells) {
            grid.set(column: cell.0, row: cell.1, glyph: glyph, series: index)
          }
        }
      }
    }
    // Markers drawn on the grid win over braille dots in the same cell.
    for row in 0..<rows {
      for column in 0..<columns where grid.isFree(column: column, row: row) {
        if let dots = canvas.glyph(column: column, row: row) {
          grid.set(column: column, row: row, glyph: dots.glyph, series: dots.series)
        }
      }
    }
    var lines = framedPlot(
      grid, x: xRange, yLabels: yLabels, labelWidth: labelWidth, chart: chart)
    let named = series.count > 1 || series.contains { !$0.name.isEmpty }
    if named { lines += legend(legendEntries) }
    return lines
  }

  /// The runs of consecutive finite points; a non-finite point breaks the line.
  private func segments(of series: ChartSeries) -> [[ChartPoint]] {
    var runs: [[ChartPoint]] = [[]]
    for point in series.points {
      if point.x.isFinite && point.y.isFinite {
        runs[runs.count - 1].append(point)
      } else if !(runs.last?.isEmpty ?? true) {
        runs.append([])
      }
    }
    return runs.filter { !$0.isEmpty }
  }

  /// The cells along a polyline through `vertices`.
  private func pathCells(_ vertices: [(Int, Int)]) -> [(Int, Int)] {
    guard let first = vertices.first else { return [] }
    guard vertices.count > 1 else { return [first] }
    return zip(vertices, vertices.dropFirst()).flatMap { rasterSegment(from: $0, to: $1) }
  }

  /// `value`'s position among `count` slots spanning `range` (0 ... count-1).
  func scaled(_ value: Double, _ range: ValueRange, _ count: Int) -> Int {
    let position = (range.fraction(of: value) * Double(count - 1)).rounded()
    return Int(min(Double(count - 1), max(0, position)))
  }

  // MARK: - Scatter plots

  /// A scatter plot: a marker per point with its label beside it (right if there is room,
  /// else left); labels that fit nowhere are listed under the plot with their values.
  func renderScatter(_ points: [ScatterPoint], chart: Chart) -> [String] {
    let visible = points.filter { $0.x.isFinite && $0.y.isFinite }
    guard let xRange = ValueRange(covering: visible.map(\.x)),
      let yRange = ValueRange(covering: visible.map(\.y))
    else { return noData }
    let rows = height
    let yLabels = yAxisLabels(for: yRange, rows: rows)
    let labelWidth = yLabelWidth(yLabels)
    let columns = plotColumns(labelWidth: labelWidth)
    var grid = PlotGrid(columns: columns, rows: rows)
    let glyph = isASCII ? "o" : "●"
    let cells = visible.map { point in
      (scaled(point.x, xRange, columns), rows - 1 - scaled(point.y, yRange, rows))
    }
    for cell in cells { grid.set(column: cell.0, row: cell.1, glyph: glyph, series: 0) }
    var unplaced: [ScatterPoint] = []
    for (point, cell) in zip(visible, cells) {
      let label = truncated(point.label, to: 20)
      let labelWidth = DisplayWidth.of(label)
      guard labelWidth > 0 else { continue }
      // The label needs its own cells plus a blank one between it and the marker.
      let right = cell.0 + 1
      let left = cell.0 - 1 - labelWidth
      if (right...right + labelWidth).allSatisfy({ grid.isFree(column: $0, row: cell.1) }) {
        grid.write(label, column: right + 1, row: cell.1)
      } else if left >= 0,
        (left...cell.0 - 1).allSatisfy({ grid.isFree(column: $0, row: cell.1) })
      {
        grid.write(label, column: left, row: cell.1)
      } else {
        unplaced.append(point)
      }
    }
    var lines = framedPlot(
      grid, x: xRange, yLabels: yLabels, labelWidth: labelWidth, chart: chart)
    for point in unplaced {
      let position = "(\(ChartNumber.compact(point.x)), \(ChartNumber.compact(point.y)))"
      lines.append("  " + coloured(glyph, series: 0) + " \(point.label) \(position)")
    }
    let hidden = points.count - visible.count
    if hidden > 0 { lines.append("  (\(hidden) point(s) with non-finite values not shown)") }
    return lines
  }
}
