// Charts drawn with text for the REPL: braille line plots, block-character bars, shaded
// heatmaps and labelled scatter plots, with a plain-ASCII fallback for terminals that cannot
// show Unicode.

import RetortLanguage

// MARK: - Renderer

/// Draws a `Chart` as lines of text for a terminal.
///
/// `width` is the width of every line in columns; `height` is the number of text rows of the
/// plot area of line and scatter charts (bars take one row per bar, heatmaps one per matrix
/// row). With `colour` on, series are told apart by ANSI colours; without it, by different
/// glyphs, which the legend shows. `charset: .ascii` draws with 7-bit characters only.
public struct TerminalChartRenderer: Sendable {
  /// Which characters the renderer may use.
  public enum Charset: Sendable, Equatable {
    /// Braille, block elements and box drawing.
    case unicode
    /// Printable ASCII only, for terminals that are not UTF-8.
    case ascii
  }

  /// The width of the chart in terminal columns.
  public var width: Int
  /// The number of rows of the plot area (line and scatter charts).
  public var height: Int
  /// Whether to emit ANSI colour escapes.
  public var colour: Bool
  /// The character repertoire.
  public var charset: Charset

  /// A renderer; sizes below a usable minimum (24 × 4) are raised to it.
  public init(width: Int = 72, height: Int = 18, colour: Bool = false, charset: Charset = .unicode)
  {
    self.width = max(24, width)
    self.height = max(4, height)
    self.colour = colour
    self.charset = charset
  }

  /// The chart as text, lines separated by `\n`, without a trailing newline.
  public func render(_ chart: Chart) -> String {
    var lines: [String] = []
    if !chart.title.isEmpty { lines.append(truncated(chart.title, to: width)) }
    switch chart.content {
    case .line(let series): lines += renderLines(series, chart: chart)
    case .bar(let groups): lines += renderBars(groups, chart: chart)
    case .heatmap(let heatmap): lines += renderHeatmap(heatmap, chart: chart)
    case .scatter(let points): lines += renderScatter(points, chart: chart)
    }
    return lines.map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
  }

  // MARK: - Glyphs and colours

  var isASCII: Bool { charset == .ascii }

  /// ANSI foreground colours for series 0, 1, 2 ...: blue, red, green, yellow, magenta, cyan.
  static let seriesColours = [34, 31, 32, 33, 35, 36]

  /// Wraps `text` in the ANSI foreground colour of series `index` when colour is on.
  func coloured(_ text: String, series index: Int) -> String {
    guard colour, !text.isEmpty else { return text }
    let code = Self.seriesColours[index % Self.seriesColours.count]
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }

  /// The glyph that marks series `index` on a plot when colour cannot tell series apart.
  func marker(series index: Int) -> String {
    let glyphs =
      isASCII ? ["*", "+", "o", "x", "#", "@", "%", "="] : ["•", "×", "○", "◆", "+", "▪"]
    return glyphs[max(0, index) % glyphs.count]
  }

  /// A legend line: one entry per series, each a sample glyph and the name.
  func legend(_ entries: [(glyph: String, name: String)]) -> [String] {
    guard !entries.isEmpty else { return [] }
    var lines: [String] = []
    var current = ""
    for (index, entry) in entries.enumerated() {
      let item = coloured(entry.glyph, series: index) + " " + entry.name
      let candidate = current.isEmpty ? "  " + item : current + "   " + item
      if DisplayWidth.of(candidate) > width, !current.isEmpty {
        lines.append(current)
        current = "  " + item
      } else {
        current = candidate
      }
    }
    lines.append(current)
    return lines
  }

  /// `text` cut to `columns`, ending in `…` (or `~` in ASCII) when shortened.
  func truncated(_ text: String, to columns: Int) -> String {
    DisplayWidth.truncate(text, to: columns, ellipsis: isASCII ? "~" : "…")
  }

  /// A message shown in place of a plot that has nothing to draw.
  var noData: [String] { ["  (no data to plot)"] }
}

// MARK: - Text helpers

extension String {
  /// The string without spaces at its end.
  func trimmingTrailingSpaces() -> String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }

  /// The string centred in `width` columns (left-biased), padded with spaces on the left.
  func centred(in width: Int) -> String {
    let free = width - DisplayWidth.of(self)
    guard free > 0 else { return self }
    return String(repeating: " ", count: free / 2) + self
  }
}
