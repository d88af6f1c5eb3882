// Terminal heatmaps: a table of values where each cell also shows its size, as a shade
// block or (with colour on) as an ANSI 256-colour background, and the best cell is starred.

import RetortLanguage

extension TerminalChartRenderer {
  // MARK: - Heatmaps

  /// Dark-to-bright 256-colour palette indices approximating the viridis colour map
  /// (purple, blue, teal, green, yellow), so brightness grows with the value.
  static let heatmapPalette = [53, 54, 61, 67, 31, 37, 36, 71, 77, 113, 149, 184, 220]

  /// The matrix with row labels on the left and column labels on top. A cell reads
  /// `<shade> <value><mark>`: the shade (░▒▓█, or .:+# in ASCII) is the value's quartile
  /// within the matrix's range, and the mark is `*` on the best cell.
  ///
  /// A matrix wider than the terminal is cut into blocks of whole columns, stacked with a
  /// blank line between them; every block repeats the row labels, and shades and the best
  /// mark are those of the whole matrix.
  func renderHeatmap(_ heatmap: Heatmap, chart: Chart) -> [String] {
    let values = heatmap.values.flatMap { $0 }
    guard heatmap.rowCount > 0, heatmap.columnCount > 0 else { return noData }
    let range = ValueRange(covering: values)
    let decimals = ChartNumber.sharedDecimals(for: values)
    let valueWidth = values.map { ChartNumber.fixed($0, decimals: decimals).count }.max() ?? 1
    let cellWidth = valueWidth + 3
    let columnWidth = heatmap.columnLabels.reduce(cellWidth) { max($0, DisplayWidth.of($1)) }
    let corner = truncated(cornerTitle(chart), to: width / 3)
    let rowLabelWidth = heatmap.rowLabels.reduce(DisplayWidth.of(corner)) {
      max($0, DisplayWidth.of($1))
    }
    let perBlock = max(1, (width - rowLabelWidth) / (columnWidth + 2))
    var lines: [String] = []
    for blockStart in stride(from: 0, to: heatmap.columnCount, by: perBlock) {
      let columns = blockStart..<min(blockStart + perBlock, heatmap.columnCount)
      if blockStart > 0 { lines.append("") }
      var header = DisplayWidth.pad(corner, to: rowLabelWidth)
      for label in heatmap.columnLabels[columns] {
        header += "  " + DisplayWidth.pad(label, to: columnWidth, alignRight: true)
      }
      lines.append(header)
      for (row, rowValues) in heatmap.values.enumerated() {
        var line = DisplayWidth.pad(heatmap.rowLabels[row], to: rowLabelWidth)
        for column in columns {
          let value = rowValues[column]
          let fraction = range.map { $0.fraction(of: value) } ?? 1
          let isBest = heatmap.best == Heatmap.Cell(row: row, column: column)
          let number = DisplayWidth.pad(
            ChartNumber.fixed(value, decimals: decimals), to: valueWidth, alignRight: true)
          let mark = isBest ? "*" : " "
          let cell: String
          if colour && value.isFinite {
            cell = colouredCell(" " + " " + number + mark, fraction: fraction)
          } else {
            cell = shade(fraction, isFinite: value.isFinite) + " " + number + mark
          }
          line += "  " + String(repeating: " ", count: columnWidth - cellWidth) + cell
        }
        lines.append(line)
      }
    }
    lines += heatmapFooter(heatmap, chart: chart, decimals: decimals)
    return lines
  }

  /// The top-left header cell: "rows \ columns" from the axis labels.
  private func cornerTitle(_ chart: Chart) -> String {
    switch (chart.yLabel.isEmpty, chart.xLabel.isEmpty) {
    case (false, false): return "\(chart.yLabel) \\ \(chart.xLabel)"
    case (false, true): return chart.yLabel
    case (true, false): return chart.xLabel
    case (true, true): return ""
    }
  }

  /// The shade glyph for a value at `fraction` of the matrix's range.
  private func shade(_ fraction: Double, isFinite: Bool) -> String {
    guard isFinite else { return " " }
    let shades = isASCII ? [".", ":", "+", "#"] : ["░", "▒", "▓", "█"]
    let level = Int(min(3, max(0, (fraction * 4).rounded(.down))))
    return shades[level]
  }

  /// `text` on a background from the palette, in white on dark and black on light colours.
  private func colouredCell(_ text: String, fraction: Double) -> String {
    let palette = Self.heatmapPalette
    let clamped = min(1, max(0, fraction.isFinite ? fraction : 0))
    let index = Int((clamped * Double(palette.count - 1)).rounded())
    let foreground = clamped < 0.6 ? 15 : 16
    return "\u{1B}[48;5;\(palette[index])m\u{1B}[38;5;\(foreground)m\(text)\u{1B}[0m"
  }

  /// The best cell spelled out, and the key of shades to values.
  private func heatmapFooter(
    _ heatmap: Heatmap, chart: Chart, decimals: Int
  ) -> [String] {
    var lines: [String] = []
    if let best = heatmap.best,
      let value = heatmap.values[safe: best.row]?[safe: best.column],
      let rowLabel = heatmap.rowLabels[safe: best.row],
      let columnLabel = heatmap.columnLabels[safe: best.column]
    {
      let rowName = chart.yLabel.isEmpty ? "row" : chart.yLabel
      let columnName = chart.xLabel.isEmpty ? "column" : chart.xLabel
      lines.append(
        "  * best: \(rowName) = \(rowLabel), \(columnName) = \(columnLabel) "
          + "(\(ChartNumber.fixed(value, decimals: decimals)))")
    }
    let finite = heatmap.values.flatMap { $0 }.filter(\.isFinite)
    if let lowest = finite.min(), let highest = finite.max(), !colour {
      let low = ChartNumber.fixed(lowest, decimals: decimals)
      let high = ChartNumber.fixed(highest, decimals: decimals)
      let shades = isASCII ? ". : + #" : "░ ▒ ▓ █"
      lines.append("  shades \(shades): low (\(low)) to high (\(high))")
    }
    return lines
  }
}

extension Array {
  /// The element at `index`, or `nil` when the index is out of range.
  subscript(safe index: Int) -> Element? {
    indices.contains(index) ? self[index] : nil
  }
}
