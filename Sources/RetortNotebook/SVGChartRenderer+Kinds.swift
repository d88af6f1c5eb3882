// The four kinds of SVG chart: polylines, grouped bars, heatmap cells, labelled points.

import RetortLanguage

extension SVGChartRenderer {
  // MARK: - Line charts

  /// One polyline per run of finite points of each series; single points become dots.
  func drawLines(_ series: [ChartSeries], chart: Chart, into markup: inout SVGMarkup) {
    let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    guard let xData = ValueRange(covering: points.map(\.x)),
      let yData = ValueRange(covering: points.map(\.y))
    else { return drawNoData(into: &markup) }
    let named = series.count > 1 || series.contains { !$0.name.isEmpty }
    let legend = named ? legendRows(series.map(\.name)) : []
    let area = plotArea(chart: chart, legendRows: legend.count)
    let x = xData.niced(targetTicks: 6)
    let y = yData.niced(targetTicks: 5)
    drawAxes(area: area, x: x, y: y, chart: chart, into: &markup)
    for (index, entry) in series.enumerated() {
      let colour = SVGPalette.colour(series: index)
      var run: [ChartPoint] = []
      func flush() {
        if run.count == 1, let point = run.first {
          markup.element(
            "circle",
            [
              ("cx", number(area.x(point.x, x.range))), ("cy", number(area.y(point.y, y.range))),
              ("r", "2.5"), ("fill", colour),
            ])
        } else if run.count > 1 {
          let coordinates = run.map {
            "\(number(area.x($0.x, x.range))),\(number(area.y($0.y, y.range)))"
          }
          markup.element(
            "polyline",
            [
              ("points", coordinates.joined(separator: " ")), ("fill", "none"),
              ("stroke", colour), ("stroke-width", "2"), ("stroke-linejoin", "round"),
            ])
        }
        run = []
      }
      for point in entry.points {
        if point.x.isFinite && point.y.isFinite { run.append(point) } else { flush() }
      }
      flush()
    }
    drawLegend(legend, chart: chart, into: &markup)
  }

  // MARK: - Scatter plots

  /// A dot per point with its label up and to the right.
  func drawScatter(_ points: [ScatterPoint], chart: Chart, into markup: inout SVGMarkup) {
    let visible = points.filter { $0.x.isFinite && $0.y.isFinite }
    guard let xData = ValueRange(covering: visible.map(\.x)),
      let yData = ValueRange(covering: visible.map(\.y))
    else { return drawNoData(into: &markup) }
    let area = plotArea(chart: chart, legendRows: 0)
    let x = xData.niced(targetTicks: 6)
    let y = yData.niced(targetTicks: 5)
    drawAxes(area: area, x: x, y: y, chart: chart, into: &markup)
    for point in visible {
      let cx = area.x(point.x, x.range)
      let cy = area.y(point.y, y.range)
      markup.element(
        "circle",
        [
          ("cx", number(cx)), ("cy", number(cy)), ("r", "4"),
          ("fill", SVGPalette.colour(series: 0)),
        ])
      if !point.label.isEmpty {
        // Labels near the right edge go to the left of their dot so they stay visible.
        let estimatedWidth = Double(DisplayWidth.of(point.label)) * 6.5
        let leftwards = cx + 6 + estimatedWidth > Double(width)
        markup.element(
          "text",
          [
            ("x", number(leftwards ? cx - 6 : cx + 6)), ("y", number(cy - 6)),
            ("font-size", "11"), ("text-anchor", leftwards ? "end" : "start"),
          ],
          content: point.label)
      }
    }
  }

  // MARK: - Bar charts

  /// Vertical bars: one band per category, one bar per series inside it, all measured
  /// from zero on a shared axis that always includes zero.
  func drawBars(_ groups: BarGroups, chart: Chart, into markup: inout SVGMarkup) {
    let values = groups.series.flatMap(\.values).filter(\.isFinite)
    guard !groups.categories.isEmpty, !groups.series.isEmpty,
      let yData = ValueRange(covering: values + [0])
    else { return drawNoData(into: &markup) }
    let named = groups.series.count > 1 || groups.series.contains { !$0.name.isEmpty }
    let legend = named ? legendRows(groups.series.map(\.name)) : []
    let area = plotArea(chart: chart, legendRows: legend.count)
    let y = yData.niced(targetTicks: 5)
    drawAxes(area: area, x: nil, y: y, chart: chart, into: &markup)
    let band = area.width / Double(groups.categories.count)
    // 80% of each band holds the bars; the rest separates neighbouring groups.
    let barWidth = band * 0.8 / Double(groups.series.count)
    let zero = area.y(0, y.range)
    for (category, name) in groups.categories.enumerated() {
      let bandLeft = area.left + Double(category) * band
      for (index, series) in groups.series.enumerated() {
        let value = series.values[category]
        guard value.isFinite else { continue }
        let top = area.y(value, y.range)
        let barLeft = bandLeft + band * 0.1 + Double(index) * barWidth
        markup.element(
          "rect",
          [
            ("x", number(barLeft)), ("y", number(min(top, zero))), ("width", number(barWidth)),
            ("height", number(abs(zero - top))), ("fill", SVGPalette.colour(series: index)),
          ])
        if barWidth >= 18 {
          markup.element(
            "text",
            [
              ("x", number(barLeft + barWidth / 2)),
              ("y", number(value >= 0 ? top - 4 : top + 12)), ("text-anchor", "middle"),
              ("font-size", "10"), ("fill", "#333333"),
            ],
            content: ChartNumber.compact(value))
        }
      }
      markup.element(
        "text",
        [
          ("x", number(bandLeft + band / 2)), ("y", number(area.bottom + 16)),
          ("text-anchor", "middle"), ("font-size", "11"),
        ],
        content: name)
    }
    drawLegend(legend, chart: chart, into: &markup)
  }

  // MARK: - Heatmaps

  /// One cell per value coloured on the viridis scale with its value written inside, the
  /// best cell outlined in red, and a colour bar on the right giving the scale.
  func drawHeatmap(_ heatmap: Heatmap, chart: Chart, into markup: inout SVGMarkup) {
    let values = heatmap.values.flatMap { $0 }
    guard heatmap.rowCount > 0, heatmap.columnCount > 0 else {
      return drawNoData(into: &markup)
    }
    let range = ValueRange(covering: values)
    let decimals = ChartNumber.sharedDecimals(for: values)
    let area = plotArea(chart: chart, legendRows: 0, extraRight: 64)
    let cellWidth = area.width / Double(heatmap.columnCount)
    let cellHeight = area.height / Double(heatmap.rowCount)
    for (row, rowValues) in heatmap.values.enumerated() {
      let top = area.top + Double(row) * cellHeight
      for (column, value) in rowValues.enumerated() {
        let left = area.left + Double(column) * cellWidth
        let fraction = range.map { $0.fraction(of: value) } ?? 0
        markup.element(
          "rect",
          [
            ("x", number(left)), ("y", number(top)), ("width", number(cellWidth)),
            ("height", number(cellHeight)),
            ("fill", value.isFinite ? SVGPalette.heat(fraction) : "#cccccc"),
          ])
        markup.element(
          "text",
          [
            ("x", number(left + cellWidth / 2)), ("y", number(top + cellHeight / 2 + 4)),
            ("text-anchor", "middle"), ("font-size", "11"),
            ("fill", SVGPalette.needsDarkText(fraction) ? "#000000" : "#ffffff"),
          ],
          content: ChartNumber.fixed(value, decimals: decimals))
      }
      markup.element(
        "text",
        [
          ("x", number(area.left - 6)), ("y", number(top + cellHeight / 2 + 4)),
          ("text-anchor", "end"), ("font-size", "11"),
        ],
        content: heatmap.rowLabels[row])
    }
    for (column, label) in heatmap.columnLabels.enumerated() {
      markup.element(
        "text",
        [
          ("x", number(area.left + (Double(column) + 0.5) * cellWidth)),
          ("y", number(area.bottom + 16)), ("text-anchor", "middle"), ("font-size", "11"),
        ],
        content: label)
    }
    if let best = heatmap.best {
      markup.element(
        "rect",
        [
          ("x", number(area.left + Double(best.column) * cellWidth + 1.5)),
          ("y", number(area.top + Double(best.row) * cellHeight + 1.5)),
          ("width", number(max(0, cellWidth - 3))), ("height", number(max(0, cellHeight - 3))),
          ("fill", "none"), ("stroke", "#d62728"), ("stroke-width", "3"),
        ])
    }
    if !chart.xLabel.isEmpty || !chart.yLabel.isEmpty {
      drawAxisTitles(area: area, chart: chart, into: &markup)
    }
    if let range { drawColourBar(range: range, decimals: decimals, area: area, into: &markup) }
  }

  /// The x and y titles of a heatmap (it has no axis lines of its own).
  private func drawAxisTitles(area: PlotArea, chart: Chart, into markup: inout SVGMarkup) {
    var titlesOnly = chart
    titlesOnly.title = ""
    var scratch = SVGMarkup()
    drawFrame(area: area, chart: titlesOnly, into: &scratch)
    // The frame's first element is the axis polyline, which a heatmap does not want.
    for line in scratch.lines.dropFirst() { markup.raw(line) }
  }

  /// A vertical gradient from the lowest (bottom) to the highest (top) value, labelled.
  private func drawColourBar(
    range: ValueRange, decimals: Int, area: PlotArea, into markup: inout SVGMarkup
  ) {
    markup.raw("<defs>")
    markup.raw("<linearGradient id=\"heat-scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">")
    for stop in 0..<SVGPalette.viridis.count {
      let fraction = Double(stop) / Double(SVGPalette.viridis.count - 1)
      markup.element(
        "stop", [("offset", number(fraction)), ("stop-color", SVGPalette.heat(fraction))])
    }
    markup.raw("</linearGradient>")
    markup.raw("</defs>")
    let left = area.right + 20
    markup.element(
      "rect",
      [
        ("x", number(left)), ("y", number(area.top)), ("width", "14"),
        ("height", number(area.height)), ("fill", "url(#heat-scale)"),
      ])
    markup.element(
      "text", [("x", number(left + 18)), ("y", number(area.top + 10)), ("font-size", "10")],
      content: ChartNumber.fixed(range.upper, decimals: decimals))
    markup.element(
      "text", [("x", number(left + 18)), ("y", number(area.bottom)), ("font-size", "10")],
      content: ChartNumber.fixed(range.lower, decimals: decimals))
  }
}
