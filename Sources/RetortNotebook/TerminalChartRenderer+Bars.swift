// Terminal bar charts: one horizontal bar per value, grouped by category, drawn with block
// characters (eighth-cell precision for the first series) and followed by the value.

import RetortLanguage

extension TerminalChartRenderer {
  // MARK: - Bar charts

  /// Horizontal bars, one row per (category, series), the category named on the first row of
  /// its group. All bars share one scale; when some values are negative, a zero axis splits
  /// the bar area and negative bars grow to its left.
  func renderBars(_ groups: BarGroups, chart: Chart) -> [String] {
    let values = groups.series.flatMap(\.values)
    guard !groups.categories.isEmpty, !groups.series.isEmpty,
      values.contains(where: \.isFinite)
    else { return noData }
    let finite = values.filter(\.isFinite)
    let largest = max(0, finite.max() ?? 0)
    let smallest = min(0, finite.min() ?? 0)
    let labelWidth = min(width / 4, groups.categories.map(DisplayWidth.of).max() ?? 0)
    let valueTexts = groups.series.map { $0.values.map(ChartNumber.compact) }
    let valueWidth = valueTexts.flatMap { $0 }.map(\.count).max() ?? 0
    // label, space, axis, bars, space, value
    let area = max(4, width - labelWidth - valueWidth - 3)
    let span = largest - smallest
    let negativeColumns = span > 0 ? Int((Double(area) * -smallest / span).rounded()) : 0
    let positiveColumns = area - negativeColumns
    let columnsPerUnit = span > 0 ? Double(area) / span : 0
    var lines: [String] = []
    if !chart.yLabel.isEmpty { lines.append(truncated(chart.yLabel, to: width)) }
    let multiSeries = groups.series.count > 1
    for (category, name) in groups.categories.enumerated() {
      if multiSeries && category > 0 { lines.append("") }
      for (index, series) in groups.series.enumerated() {
        let value = series.values[category]
        let label = index == 0 ? truncated(name, to: labelWidth) : ""
        var line = DisplayWidth.pad(label, to: labelWidth) + " "
        let bar = value.isFinite ? value * columnsPerUnit : 0
        let negativeBar = bar < 0 ? bar : 0
        let negativeLength = min(-negativeBar, Double(negativeColumns))
        let negative = barText(negativeLength, series: index, partial: false)
        line += String(repeating: " ", count: max(0, negativeColumns - negative.count))
        line += coloured(negative.joined(), series: index)
        line += isASCII ? "|" : "│"
        let positiveLength = min(max(0, bar), Double(positiveColumns))
        let positive = barText(positiveLength, series: index, partial: index == 0)
        line += coloured(positive.joined(), series: index)
        line += String(repeating: " ", count: max(0, positiveColumns - positive.count))
        line += " " + valueTexts[index][category]
        lines.append(line)
      }
    }
    if !chart.xLabel.isEmpty {
      lines.append(String(repeating: " ", count: labelWidth + 2) + chart.xLabel.centred(in: area))
    }
    if multiSeries {
      lines += legend(
        groups.series.enumerated().map { index, series in
          (barGlyph(series: index), series.name)
        })
    }
    return lines
  }

  /// The full-cell glyph of series `index`: solid in colour (the colour tells series
  /// apart), otherwise a different fill per series.
  private func barGlyph(series index: Int) -> String {
    if isASCII { return ["#", "=", "*", "+", "%", "@", "o"][index % 7] }
    if colour { return "█" }
    return ["█", "▓", "▒", "░"][index % 4]
  }

  /// The cells of a bar `length` cells long. With `partial`, the last cell uses the eighth
  /// blocks ▏▎▍▌▋▊▉ so lengths are shown to 1/8 of a cell; otherwise lengths are rounded.
  private func barText(_ length: Double, series: Int, partial: Bool) -> [String] {
    let glyph = barGlyph(series: series)
    guard length > 0 else { return [] }
    let usesEighths = partial && !isASCII && (colour || glyph == "█")
    guard usesEighths else {
      return Array(repeating: glyph, count: Int(length.rounded()))
    }
    let eighths = Int((length * 8).rounded())
    var cells = Array(repeating: "█", count: eighths / 8)
    let remainder = eighths % 8
    if remainder > 0 { cells.append(["▏", "▎", "▍", "▌", "▋", "▊", "▉"][remainder - 1]) }
    return cells
  }
}
