import Foundation
import RetortLanguage
import Testing

@testable import RetortNotebook

@Suite("SVG chart renderer")
struct SVGChartRendererTests {
  let renderer = SVGChartRenderer(width: 320, height: 200)

  static func sampleCharts() throws -> [(String, Chart)] {
    [
      ("line", ChartSamples.lossCurves()), ("bars", try ChartSamples.softmaxBars()),
      ("heatmap", try ChartSamples.sweepHeatmap()), ("scatter", ChartSamples.studentsScatter()),
    ]
  }

  // MARK: - Golden files

  @Test("Each kind matches its committed golden SVG byte for byte")
  func goldenFiles() throws {
    for (name, chart) in try Self.sampleCharts() {
      let url = TestSupport.fixtures.appendingPathComponent("svg/\(name).svg")
      let expected = try String(contentsOf: url, encoding: .utf8)
      #expect(renderer.render(chart) == expected, "\(name).svg differs")
    }
  }

  @Test("Output is well-formed XML with the SVG namespace")
  func wellFormed() throws {
    for (name, chart) in try Self.sampleCharts() {
      let svg = renderer.render(chart)
      #expect(TestSupport.isWellFormedXML(svg), "\(name) is not well-formed")
      #expect(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\""))
      #expect(svg.hasSuffix("</svg>\n"))
    }
  }

  @Test("Rendering twice gives identical bytes")
  func deterministic() throws {
    for (_, chart) in try Self.sampleCharts() {
      #expect(renderer.render(chart) == renderer.render(chart))
    }
  }

  @Test("The well-formedness check itself rejects broken XML")
  func checkerRejectsBrokenXML() {
    #expect(!TestSupport.isWellFormedXML("<svg><g></svg>"))
    #expect(!TestSupport.isWellFormedXML("<a>&</a>"))
  }

  // MARK: - Escaping

  @Test("Titles, labels and names with XML specials and control characters stay well-formed")
  func escaping() throws {
    let chart = Chart.line(
      title: "Loss <T=4> & \"α\" 'β'", xLabel: "epoch\u{1}", yLabel: "KL(p‖q)",
      series: [ChartSeries(name: "a<b>&c", values: [1, 2])])
    let svg = renderer.render(chart)
    #expect(TestSupport.isWellFormedXML(svg))
    #expect(svg.contains("Loss &lt;T=4&gt; &amp; &quot;α&quot; &apos;β&apos;"))
    #expect(svg.contains("a&lt;b&gt;&amp;c"))
    #expect(svg.contains("epoch\u{FFFD}"))
  }

  @Test("Empty charts draw a note instead of axes")
  func emptyChart() {
    let svg = renderer.render(Chart.line(series: []))
    #expect(svg.contains(">no data to plot</text>"))
    #expect(TestSupport.isWellFormedXML(svg))
  }

  @Test("Heatmap colour scale runs from viridis purple to yellow")
  func heatScale() {
    #expect(SVGPalette.heat(0) == "#440154")
    #expect(SVGPalette.heat(0.5) == "#21918c")
    #expect(SVGPalette.heat(1) == "#fde725")
    #expect(SVGPalette.heat(.nan) == "#440154")
  }

  // MARK: - Ticks and numbers

  @Test(
    "Tick steps are 1, 2 or 5 times a power of ten",
    arguments: [
      (1.6, 5, 0.5), (10.0, 5, 2.0), (0.03, 6, 0.005), (7.0, 6, 2.0), (100.0, 4, 50.0),
      (1.0, 10, 0.1),
    ])
  func niceSteps(span: Double, ticks: Int, step: Double) {
    #expect(abs(NiceScale.step(for: span, targetTicks: ticks) - step) < 1e-12 * step)
  }

  @Test("Niced ranges start and end on ticks and cover the data")
  func nicedRange() {
    let (range, step) = ValueRange(lower: 0.37, upper: 2.04).niced(targetTicks: 5)
    #expect(step == 0.5)
    #expect(range == ValueRange(lower: 0, upper: 2.5))
    let ticks = NiceScale.ticks(in: range, step: step)
    #expect(ticks.count == 6)
    #expect(abs(ticks[3] - 1.5) < 1e-12)
  }

  @Test("Number formatting is fixed and never prints -0")
  func numberFormatting() {
    #expect(ChartNumber.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(ChartNumber.compact(0.95833) == "0.9583")
    #expect(ChartNumber.compact(1234.6) == "1235")
    #expect(ChartNumber.compact(2e-5) == "2.00e-05")
    #expect(ChartNumber.compact(.nan) == "nan")
    #expect(ChartNumber.coordinate(12.5) == "12.5")
    #expect(ChartNumber.coordinate(-0.001) == "0")
    #expect(NiceScale.decimals(forStep: 1) == 0)
    #expect(NiceScale.decimals(forStep: 0.5) == 1)
    #expect(NiceScale.decimals(forStep: 0.02) == 2)
  }
}
