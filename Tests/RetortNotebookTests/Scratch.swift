import Testing
import RetortLanguage
@testable import RetortNotebook

@Test func scratchPrint() throws {
  let t = try Table(title: "Students", headers: ["model", "accuracy", "latency"], rightAligned: [1, 2],
    rows: [["teacher", "98.1%", "12 ms"], ["stüdent ünïcode", "96.4%", "3 ms"], ["学生", "95.0%", "2 ms"]],
    footer: ["T = 4"], markedRow: 1)
  print(t.render())
  let line = Chart.line(title: "Loss", xLabel: "epoch", yLabel: "loss", series: [
    ChartSeries(name: "teacher", values: [2.3, 1.2, 0.8, 0.6, 0.5, 0.45, 0.42, 0.4], firstX: 1),
    ChartSeries(name: "student", values: [2.3, 1.6, 1.1, 0.9, 0.8, 0.7, 0.66, 0.6], firstX: 1)])
  for r in [TerminalChartRenderer(width: 50, height: 8), TerminalChartRenderer(width: 50, height: 8, charset: .ascii), TerminalChartRenderer(width: 50, height: 8, colour: true)] {
    print(r.render(line))
  }
  let bars = Chart.bar(title: "softmax", xLabel: "p", groups: try BarGroups(categories: ["cat", "dog", "bird"], series: [
    BarSeries(name: "T = 1", values: [0.7, 0.2, 0.1]), BarSeries(name: "T = 4", values: [0.4, 0.33, 0.27])]))
  print(TerminalChartRenderer(width: 40).render(bars))
  print(TerminalChartRenderer(width: 40, charset: .ascii).render(bars))
  let neg = Chart.bar(groups: try BarGroups(categories: ["a", "b"], values: [-1, 3]))
  print(TerminalChartRenderer(width: 30).render(neg))
  let hm = Chart.heatmap(title: "sweep", xLabel: "alpha", yLabel: "T", heatmap: try Heatmap(values: [[0.912, 0.931, 0.94], [0.925, 0.958, 0.949]], rowLabels: ["1", "4"], columnLabels: ["0.1", "0.5", "0.9"]).markingExtreme())
  print(TerminalChartRenderer().render(hm))
  print(TerminalChartRenderer(colour: true).render(hm))
  let sc = Chart.scatter(title: "acc vs latency", xLabel: "latency (ms)", yLabel: "accuracy", points: [
    ScatterPoint(label: "teacher", x: 12, y: 0.98), ScatterPoint(label: "student-s", x: 3, y: 0.95), ScatterPoint(label: "student-m", x: 5, y: 0.965), ScatterPoint(label: "tiny", x: 1, y: 0.9)])
  print(TerminalChartRenderer(width: 50, height: 8).render(sc))
}
