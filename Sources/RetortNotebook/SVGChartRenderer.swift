// Charts as standalone SVG 1.1 documents for notebooks and markdown lessons: nice 1-2-5
// ticks, gridlines, a legend, and fixed number formatting so the bytes never change.

import RetortLanguage

// MARK: - Renderer

/// Draws a `Chart` as a standalone SVG 1.1 document.
///
/// Line and scatter axes are widened to whole multiples of a 1-2-5 tick step, with
/// gridlines at every tick. Coordinates are written with at most two decimals so the
/// output is identical on every machine.
public struct SVGChartRenderer: Sendable {
  /// The document width in pixels.
  public var width: Int
  /// The document height in pixels.
  public var height: Int

  /// A renderer producing documents of the given size (at least 240 × 160).
  public init(width: Int = 640, height: Int = 400) {
    self.width = max(240, width)
    self.height = max(160, height)
  }

  /// The chart as an SVG document ending in a newline.
  public func render(_ chart: Chart) -> String {
    var markup = SVGMarkup()
    markup.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    markup.raw(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(width)\" "
        + "height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" "
        + "font-family=\"sans-serif\" font-size=\"12\">")
    markup.element("rect", [("width", "\(width)"), ("height", "\(height)"), ("fill", "#ffffff")])
    if !chart.title.isEmpty {
      markup.element(
        "text",
        [
          ("x", number(Double(width) / 2)), ("y", "24"), ("text-anchor", "middle"),
          ("font-size", "16"), ("font-weight", "bold"),
        ],
        content: chart.title)
    }
    switch chart.content {
    case .line(let series): drawLines(series, chart: chart, into: &markup)
    case .bar(let groups): drawBars(groups, chart: chart, into: &markup)
    case .heatmap(let heatmap): drawHeatmap(heatmap, chart: chart, into: &markup)
    case .scatter(let points): drawScatter(points, chart: chart, into: &markup)
    }
    markup.raw("</svg>")
    return markup.lines.joined(separator: "\n") + "\n"
  }

  // MARK: - Layout

  /// The rectangle the data is drawn in, in SVG pixels (y grows downwards).
  struct PlotArea {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double

    var width: Double { right - left }
    var height: Double { bottom - top }

    /// The pixel column of `value` on an x axis spanning `range`.
    func x(_ value: Double, _ range: ValueRange) -> Double {
      left + range.fraction(of: value) * width
    }

    /// The pixel row of `value` on a y axis spanning `range`.
    func y(_ value: Double, _ range: ValueRange) -> Double {
      bottom - range.fraction(of: value) * height
    }
  }

  /// The plot area once the title, a legend of `legendRows` rows and the axis labels have
  /// their room; `extraRight` reserves space for a colour bar.
  func plotArea(chart: Chart, legendRows: Int, extraRight: Double = 0) -> PlotArea {
    let titleSpace: Double = chart.title.isEmpty ? 16 : 40
    let legendSpace = Double(legendRows) * 18
    let bottomSpace: Double = chart.xLabel.isEmpty ? 32 : 52
    return PlotArea(
      left: chart.yLabel.isEmpty ? 56 : 72, top: titleSpace + legendSpace + 8,
      right: Double(width) - 24 - extraRight, bottom: Double(height) - bottomSpace)
  }

  /// A coordinate or length as text.
  func number(_ value: Double) -> String { ChartNumber.coordinate(value) }

  // MARK: - Legend

  /// Legend entries laid out in rows under the title; returns how many rows they need.
  func legendRows(_ names: [String]) -> [[(index: Int, name: String, x: Double)]] {
    var rows: [[(index: Int, name: String, x: Double)]] = [[]]
    var x: Double = 56
    for (index, name) in names.enumerated() {
      // Width estimate: swatch, gap, ~7 px per character at font-size 12, spacing.
      let entryWidth = 12 + 6 + Double(DisplayWidth.of(name)) * 7 + 20
      if x + entryWidth > Double(width) - 16, !(rows.last?.isEmpty ?? true) {
        rows.append([])
        x = 56
      }
      rows[rows.count - 1].append((index, name, x))
      x += entryWidth
    }
    return rows.filter { !$0.isEmpty }
  }

  /// Draws legend rows computed by `legendRows(_:)`.
  func drawLegend(
    _ rows: [[(index: Int, name: String, x: Double)]], chart: Chart,
    into markup: inout SVGMarkup
  ) {
    let top: Double = chart.title.isEmpty ? 12 : 36
    for (rowIndex, row) in rows.enumerated() {
      let y = top + Double(rowIndex) * 18
      for entry in row {
        markup.element(
          "rect",
          [
            ("x", number(entry.x)), ("y", number(y)), ("width", "12"), ("height", "12"),
            ("fill", SVGPalette.colour(series: entry.index)),
          ])
        markup.element(
          "text", [("x", number(entry.x + 18)), ("y", number(y + 10))], content: entry.name)
      }
    }
  }

  // MARK: - Axes

  /// Gridlines and labels at every tick, the two axis lines, and the axis titles.
  func drawAxes(
    area: PlotArea, x: (range: ValueRange, step: Double)?, y: (range: ValueRange, step: Double),
    chart: Chart, into markup: inout SVGMarkup
  ) {
    markup.raw("<g stroke=\"#e0e0e0\" stroke-width=\"1\">")
    let yTicks = NiceScale.ticks(in: y.range, step: y.step)
    for tick in yTicks {
      let row = number(area.y(tick, y.range))
      markup.element(
        "line",
        [("x1", number(area.left)), ("y1", row), ("x2", number(area.right)), ("y2", row)])
    }
    let xTicks = x.map { NiceScale.ticks(in: $0.range, step: $0.step) } ?? []
    if let x {
      for tick in xTicks {
        let column = number(area.x(tick, x.range))
        markup.element(
          "line",
          [("x1", column), ("y1", number(area.top)), ("x2", column), ("y2", number(area.bottom))])
      }
    }
    markup.raw("</g>")
    markup.raw("<g font-size=\"11\" fill=\"#333333\">")
    let yDecimals = NiceScale.decimals(forStep: y.step)
    for tick in yTicks {
      markup.element(
        "text",
        [
          ("x", number(area.left - 6)), ("y", number(area.y(tick, y.range) + 4)),
          ("text-anchor", "end"),
        ],
        content: ChartNumber.fixed(tick, decimals: yDecimals))
    }
    if let x {
      let xDecimals = NiceScale.decimals(forStep: x.step)
      for tick in xTicks {
        markup.element(
          "text",
          [
            ("x", number(area.x(tick, x.range))), ("y", number(area.bottom + 16)),
            ("text-anchor", "middle"),
          ],
          content: ChartNumber.fixed(tick, decimals: xDecimals))
      }
    }
    markup.raw("</g>")
    drawFrame(area: area, chart: chart, into: &markup)
  }

  /// The left and bottom axis lines and the axis titles.
  func drawFrame(area: PlotArea, chart: Chart, into markup: inout SVGMarkup) {
    markup.element(
      "polyline",
      [
        (
          "points",
          "\(number(area.left)),\(number(area.top)) \(number(area.left)),"
            + "\(number(area.bottom)) \(number(area.right)),\(number(area.bottom))"
        ),
        ("fill", "none"), ("stroke", "#333333"), ("stroke-width", "1"),
      ])
    if !chart.xLabel.isEmpty {
      markup.element(
        "text",
        [
          ("x", number(area.left + area.width / 2)), ("y", number(Double(height) - 12)),
          ("text-anchor", "middle"),
        ],
        content: chart.xLabel)
    }
    if !chart.yLabel.isEmpty {
      let x = number(16)
      let y = number(area.top + area.height / 2)
      markup.element(
        "text",
        [("x", x), ("y", y), ("text-anchor", "middle"), ("transform", "rotate(-90 \(x) \(y))")],
        content: chart.yLabel)
    }
  }

  /// A note drawn in the middle of an empty chart.
  func drawNoData(into markup: inout SVGMarkup) {
    markup.element(
      "text",
      [
        ("x", number(Double(width) / 2)), ("y", number(Double(height) / 2)),
        ("text-anchor", "middle"), ("fill", "#777777"),
      ],
      content: "no data to plot")
  }
}
