import RetortLanguage
import Testing

@testable import RetortNotebook

/// Golden renderings of the sample charts at 40 × 6. Any change to the drawing rules shows
/// up here as a diff of the picture.
@Suite("Terminal chart renderer")
struct TerminalChartRendererTests {
  let unicode = TerminalChartRenderer(width: 40, height: 6)
  let ascii = TerminalChartRenderer(width: 40, height: 6, charset: .ascii)
  let colour = TerminalChartRenderer(width: 40, height: 6, colour: true)

  // MARK: - Line charts

  @Test("Line chart: braille for the first series, markers for the next, legend")
  func lineUnicode() {
    #expect(unicode.render(ChartSamples.lossCurves()) == Golden.line)
  }

  @Test("Line chart in plain ASCII uses one marker per series")
  func lineASCII() {
    let text = ascii.render(ChartSamples.lossCurves())
    #expect(text == Golden.lineASCII)
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test("Line chart in colour draws every series in braille with its own ANSI colour")
  func lineColour() {
    #expect(colour.render(ChartSamples.lossCurves()) == Golden.lineColour)
  }

  @Test("Braille dots follow the Unicode bit layout")
  func brailleBits() {
    var canvas = BrailleCanvas(columns: 1, rows: 1)
    canvas.plot(x: 0, y: 0, series: 0)
    canvas.plot(x: 1, y: 3, series: 0)
    // Dot 1 (0x01) and dot 8 (0x80): U+2881.
    #expect(canvas.glyph(column: 0, row: 0)?.glyph == "\u{2881}")
  }

  // MARK: - Bars

  @Test("Grouped bars: eighth blocks for the first series, shaded fill for the second")
  func barsUnicode() throws {
    #expect(unicode.render(try ChartSamples.softmaxBars()) == Golden.bars)
  }

  @Test("Grouped bars in plain ASCII")
  func barsASCII() throws {
    let text = ascii.render(try ChartSamples.softmaxBars())
    #expect(text == Golden.barsASCII)
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test("Grouped bars in colour")
  func barsColour() throws {
    #expect(colour.render(try ChartSamples.softmaxBars()) == Golden.barsColour)
  }

  @Test("Negative bars grow left of a zero axis")
  func negativeBars() throws {
    let chart = Chart.bar(groups: try BarGroups(categories: ["a", "b"], values: [-1, 3]))
    let text = TerminalChartRenderer(width: 30).render(chart)
    #expect(
      text == """
        a ██████│                   -1
        b       │██████████████████ 3
        """)
  }

  // MARK: - Heatmaps

  @Test("Heatmap: shades, values and the starred best cell")
  func heatmapUnicode() throws {
    #expect(unicode.render(try ChartSamples.sweepHeatmap()) == Golden.heatmap)
  }

  @Test("Heatmap in plain ASCII")
  func heatmapASCII() throws {
    let text = ascii.render(try ChartSamples.sweepHeatmap())
    #expect(text == Golden.heatmapASCII)
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test("Heatmap in colour uses 256-colour backgrounds")
  func heatmapColour() throws {
    #expect(colour.render(try ChartSamples.sweepHeatmap()) == Golden.heatmapColour)
  }

  @Test("A heatmap wider than the terminal is cut into stacked blocks of whole columns")
  func heatmapWrapsColumns() throws {
    let narrow = TerminalChartRenderer(width: 30, height: 6)
    let text = narrow.render(try ChartSamples.sweepHeatmap())
    #expect(text == Golden.heatmapNarrow)
    let matrixLines = text.split(separator: "\n").filter { !$0.hasPrefix("  ") }
    #expect(matrixLines.allSatisfy { DisplayWidth.of(String($0)) <= 30 })
    // Even a terminal too narrow for one column shows every column, one per block.
    let tiny = TerminalChartRenderer(width: 12, height: 6).render(try ChartSamples.sweepHeatmap())
    #expect(tiny.components(separatedBy: "\n\n").count == 3)
    #expect(["0.912", "0.931", "0.940", "0.925", "0.958*", "0.949"].allSatisfy(tiny.contains))
  }

  // MARK: - Scatter

  @Test("Scatter: labels beside their points")
  func scatterUnicode() {
    #expect(unicode.render(ChartSamples.studentsScatter()) == Golden.scatter)
  }

  @Test("Scatter in plain ASCII")
  func scatterASCII() {
    let text = ascii.render(ChartSamples.studentsScatter())
    #expect(text == Golden.scatterASCII)
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test("Labels that fit nowhere are listed under the plot")
  func crowdedScatterLabels() {
    let chart = Chart.scatter(points: [
      ScatterPoint(label: "left", x: 0, y: 0), ScatterPoint(label: "same place", x: 0, y: 0),
      ScatterPoint(label: "right", x: 1, y: 1),
    ])
    let text = TerminalChartRenderer(width: 30, height: 4).render(chart)
    #expect(text.hasSuffix("  ● same place (0, 0)"))
    #expect(text.contains("● left"))
    #expect(text.contains("right ●"))
  }

  // MARK: - Sizes and edge cases

  @Test("Every line fits the requested width", arguments: [30, 40, 72, 100])
  func linesFitWidth(width: Int) throws {
    let renderer = TerminalChartRenderer(width: width, height: 8)
    let charts = [
      ChartSamples.lossCurves(), try ChartSamples.softmaxBars(), ChartSamples.studentsScatter(),
    ]
    for chart in charts {
      for line in renderer.render(chart).split(separator: "\n") {
        #expect(DisplayWidth.of(String(line)) <= width, "\(line)")
      }
    }
  }

  @Test("Plot rows match the requested height")
  func plotHeight() {
    let text = TerminalChartRenderer(width: 50, height: 11).render(ChartSamples.lossCurves())
    let plotRows = text.split(separator: "\n").filter { $0.contains("┤") || $0.contains("│") }
    #expect(plotRows.count == 11)
  }

  @Test("Charts without finite data say so instead of drawing")
  func emptyCharts() throws {
    let empty = Chart.line(series: [ChartSeries(name: "loss", values: [.nan, .infinity])])
    #expect(unicode.render(empty) == "  (no data to plot)")
    #expect(unicode.render(Chart.scatter(points: [])) == "  (no data to plot)")
  }

  @Test("A gap (NaN) in a series breaks the line instead of drawing through it")
  func gapInSeries() {
    let chart = Chart.line(series: [ChartSeries(name: "", values: [0, .nan, 0, 1])])
    let text = TerminalChartRenderer(width: 30, height: 4, charset: .ascii).render(chart)
    #expect(text.contains("*"))
  }
}

/// Expected renderings, produced once and checked by eye.
enum Golden {
  static let line =
    #"""
    Loss
    loss
      2 ┤••⡀
        │  ••••
        │    ⠈⠒•••••
      1 ┤       ⠉⠒⠢⢄•••••••••••••
        │            ⠉⠑⠒⠢⠤⢄⣀⡀    •••••••••••
    0.4 ┤                   ⠈⠉⠉⠑⠒⠒⠒⠤⠤⠤⠤⠤⣀⣀⣀⣀
        └┬──────┬────────────┬─────────────┬
         1      2            4             6
                        epoch
      ⣿ teacher   • student
    """#

  static let lineASCII =
    #"""
    Loss
    loss
      2 +++
        |  ++++
        |    **+++++
      1 +      *****+++++++++++++
        |           *************+++++++++++
    0.4 +                        ***********
        ++------+------------+-------------+
         1      2            4             6
                        epoch
      * teacher   + student
    """#

  static let lineColour =
    "Loss\n" + "loss\n" + "  2 ┤\u{1B}[31m⠑⢦⣄⡀\u{1B}[0m\n"
    + "    │  \u{1B}[34m⠈\u{1B}[0m\u{1B}[31m⠪⡑⠢⢄⣀\u{1B}[0m\n"
    + "    │    \u{1B}[34m⠈⠒⢄\u{1B}[0m \u{1B}[31m⠉⠒⠤⢄⡀\u{1B}[0m\n"
    + "  1 ┤       \u{1B}[34m⠉⠒⠢⢄⣀\u{1B}[0m\u{1B}[31m⠈⠑⠒⠢⠤⢄⣀⡀\u{1B}[0m\n"
    + "    │            \u{1B}[34m⠉⠑⠒⠢⠤⢄⣀\u{1B}[0m\u{1B}[31m⡈⠉⠉⠉⠉⠒⠒⠒⠒⠒⠢⠤⠤⠤⣀⣀\u{1B}[0m\n"
    + "0.4 ┤                   \u{1B}[34m⠈⠉⠉⠑⠒⠒⠒⠤⠤⠤⠤⠤⣀⣀⣀⣀\u{1B}[0m\n"
    + "    └┬──────┬────────────┬─────────────┬\n" + "     1      2            4             6\n"
    + "                    epoch\n"
    + "  \u{1B}[34m⣿\u{1B}[0m teacher   \u{1B}[31m⣿\u{1B}[0m student"

  static let bars =
    #"""
    Soft targets
    cat │██████████████████████████████ 0.7
        │▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓              0.4

    dog │████████▋                      0.2
        │▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓                0.35

    fox │████▎                          0.1
        │▓▓▓▓▓▓▓▓▓▓▓                    0.25
                  probability
      █ T = 1   ▓ T = 4
    """#

  static let barsASCII =
    #"""
    Soft targets
    cat |############################## 0.7
        |=================              0.4

    dog |#########                      0.2
        |===============                0.35

    fox |####                           0.1
        |===========                    0.25
                  probability
      # T = 1   = T = 4
    """#

  static let barsColour =
    "Soft targets\n" + "cat │\u{1B}[34m██████████████████████████████\u{1B}[0m 0.7\n"
    + "    │\u{1B}[31m█████████████████\u{1B}[0m              0.4\n" + "\n"
    + "dog │\u{1B}[34m████████▋\u{1B}[0m                      0.2\n"
    + "    │\u{1B}[31m███████████████\u{1B}[0m                0.35\n" + "\n"
    + "fox │\u{1B}[34m████▎\u{1B}[0m                          0.1\n"
    + "    │\u{1B}[31m███████████\u{1B}[0m                    0.25\n"
    + "              probability\n" + "  \u{1B}[34m█\u{1B}[0m T = 1   \u{1B}[31m█\u{1B}[0m T = 4"

  static let heatmap =
    #"""
    Sweep
    T \ alpha       0.1       0.5       0.9
    1          ░ 0.912   ▒ 0.931   ▓ 0.940
    4          ▒ 0.925   █ 0.958*  █ 0.949
      * best: T = 4, alpha = 0.5 (0.958)
      shades ░ ▒ ▓ █: low (0.912) to high (0.958)
    """#

  static let heatmapNarrow =
    #"""
    Sweep
    T \ alpha       0.1       0.5
    1          ░ 0.912   ▒ 0.931
    4          ▒ 0.925   █ 0.958*

    T \ alpha       0.9
    1          ▓ 0.940
    4          █ 0.949
      * best: T = 4, alpha = 0.5 (0.958)
      shades ░ ▒ ▓ █: low (0.912) to high (0.958)
    """#

  static let heatmapASCII =
    #"""
    Sweep
    T \ alpha       0.1       0.5       0.9
    1          . 0.912   : 0.931   + 0.940
    4          : 0.925   # 0.958*  # 0.949
      * best: T = 4, alpha = 0.5 (0.958)
      shades . : + #: low (0.912) to high (0.958)
    """#

  static let heatmapColour =
    "Sweep\n" + "T \\ alpha       0.1       0.5       0.9\n"
    + "1          \u{1B}[48;5;53m\u{1B}[38;5;15m  0.912 \u{1B}[0m"
    + "  \u{1B}[48;5;37m\u{1B}[38;5;15m  0.931 \u{1B}[0m"
    + "  \u{1B}[48;5;71m\u{1B}[38;5;16m  0.940 \u{1B}[0m" + "\n"
    + "4          \u{1B}[48;5;67m\u{1B}[38;5;15m  0.925 \u{1B}[0m"
    + "  \u{1B}[48;5;220m\u{1B}[38;5;16m  0.958*\u{1B}[0m"
    + "  \u{1B}[48;5;149m\u{1B}[38;5;16m  0.949 \u{1B}[0m" + "\n"
    + "  * best: T = 4, alpha = 0.5 (0.958)"

  static let scatter =
    #"""
    Accuracy vs latency
    accuracy
    0.98 ┤                         teacher ●
         │
    0.95 ┤      ● small
         │
         │
     0.9 ┤● tiny
         └┬───────────┬──────────────┬─────┬
          1           5             10    12
                          ms
    """#

  static let scatterASCII =
    #"""
    Accuracy vs latency
    accuracy
    0.98 +                         teacher o
         |
    0.95 +      o small
         |
         |
     0.9 +o tiny
         ++-----------+--------------+-----+
          1           5             10    12
                          ms
    """#
}
