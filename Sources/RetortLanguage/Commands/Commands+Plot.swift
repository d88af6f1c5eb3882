import Foundation
import RetortNetworks
import RetortTensor

// plot: one chart description from whatever a person wants to look at; the front end
// (terminal, notebook, SVG file) decides how to draw it.

extension CommandRegistry {
  static var plot: CommandSpec {
    CommandSpec(
      name: "plot", summary: "Draw a history, tensors, or a report as a chart",
      category: .training,
      parameters: [
        .positional(
          "what", .any,
          "a model or history (line chart), a list of them, a tensor (bars; 2-D: heatmap), "
            + "a list of tensors (grouped bars), or a compare/sweep report"),
        .role("to", "file", .string, required: false, "also write the chart to an .svg file"),
        .option("series", .string, default: .string("loss"), "the history series to draw"),
        .option("labels", .list, default: nil, "names for the plotted items"),
        .option("title", .string, default: nil, "the chart's title"),
      ],
      examples: [
        "logits = tensor [5.0, 2.0, 1.0]\n"
          + "plot [softmax(logits), softmax(logits / 4)] labels=[\"T=1\", \"T=4\"]",
        "m = tensor [[1, 2], [3, 4]]\nplot m title=\"a matrix\"",
      ],
      longHelp: """
        On a terminal charts are drawn with Unicode braille and block characters; in \
        notebooks as SVG. `plot student.history series="accuracy"` picks a series: loss, \
        accuracy, val_loss, val_accuracy, lr, or a loss term such as kd(T=4).
        """
    ) { invocation in
      var chart = try chart(for: invocation)
      if let title = invocation.value("title").stringValue { chart.title = title }
      invocation.interpreter.write(chart: chart)
      if let path = invocation.value("file").stringValue {
        guard let writer = invocation.interpreter.chartWriter else {
          throw invocation.error(
            "this interpreter has no chart file writer", at: "file",
            hint: "run in retort, or set Interpreter.chartWriter when embedding")
        }
        do {
          try writer.write(chart, to: URL(fileURLWithPath: path))
        } catch {
          throw invocation.error("could not write \(path): \(error)", at: "file")
        }
        invocation.interpreter.write("wrote \(path)")
      }
      return .none
    }
  }

  static func chart(for invocation: CommandInvocation) throws -> Chart {
    let what = invocation.value("what")
    let labels = (try? invocation.list("labels"))?.map(\.interpolated)
    let series = try invocation.string("series")
    switch what {
    case .report(let report):
      guard let chart = report.chart else {
        throw invocation.error("this \(report.kind) report has no chart", at: "what")
      }
      return chart
    case .model, .history:
      return try historyChart(
        [(writtenName(invocation, positional: 0) ?? "model", what)],
        series: series, invocation)
    case .tensor(let tensor):
      return try tensorChart([tensor], labels: labels ?? [""], invocation)
    case .list(let items):
      if items.allSatisfy({ $0.tensorValue != nil }) {
        let tensors = items.compactMap(\.tensorValue)
        return try tensorChart(
          tensors, labels: labels ?? tensors.indices.map { "#\($0 + 1)" }, invocation)
      }
      let names = labels ?? listNames(invocation, count: items.count)
      return try historyChart(Array(zip(names, items)), series: series, invocation)
    default:
      throw invocation.error(
        "plot cannot draw " + Interpreter.describe(what), at: "what",
        hint: "plot a model's history, a tensor, a list of tensors, or a compare/sweep result")
    }
  }

  /// The names written in a list literal (`plot [teacher, student]`), else model1, model2.
  static func listNames(_ invocation: CommandInvocation, count: Int) -> [String] {
    if let first = invocation.syntax?.positional.first, case .list(let elements) = first.kind {
      return elements.enumerated().map { index, element in
        if case .name(let name) = element.kind { return name }
        return "model\(index + 1)"
      }
    }
    return (1...max(count, 1)).map { "model\($0)" }
  }

  static func historyChart(
    _ items: [(String, Value)], series: String, _ invocation: CommandInvocation
  ) throws -> Chart {
    var lines: [ChartSeries] = []
    for (name, value) in items {
      let history: History
      switch value {
      case .model(let model): history = model.history
      case .history(let h): history = h
      default:
        throw invocation.error(
          "plot expects models or histories in the list, got " + Interpreter.describe(value),
          at: "what")
      }
      guard let values = history.series(named: series) else {
        throw invocation.error(
          "\(name) has no series '\(series)'", at: "series",
          hint: "its series are: " + history.seriesNames.joined(separator: ", "))
      }
      guard !values.isEmpty else {
        throw invocation.error(
          "\(name) has not been trained yet, so its history is empty", at: "what",
          hint: "train \(name) on train_set epochs=5")
      }
      lines.append(ChartSeries(name: name, values: values, firstX: 1))
    }
    return Chart.line(title: "\(series) per epoch", xLabel: "epoch", series: lines)
  }

  static func tensorChart(
    _ tensors: [Tensor], labels: [String], _ invocation: CommandInvocation
  ) throws -> Chart {
    if tensors.count == 1, tensors[0].rank == 2 {
      let t = tensors[0]
      let (rows, columns) = (t.shape[0], t.shape[1])
      guard rows * columns <= 10_000 else {
        throw invocation.error("a heatmap of \(rows)x\(columns) is too large to draw", at: "what")
      }
      let values = (0..<rows).map { r in (0..<columns).map { Double(t.scalars[r * columns + $0]) } }
      let heatmap = try Heatmap(
        values: values, rowLabels: (0..<rows).map(String.init),
        columnLabels: (0..<columns).map(String.init))
      return Chart.heatmap(xLabel: "column", yLabel: "row", heatmap: heatmap)
    }
    guard let first = tensors.first, tensors.allSatisfy({ $0.count == first.count }),
      first.count > 0, first.count <= 200
    else {
      throw invocation.error(
        "bar charts need tensors of equal size, at most 200 values each",
        at: "what", hint: "plot a 1-D tensor such as softmax(logits)")
    }
    guard labels.count == tensors.count else {
      throw invocation.error(
        "\(labels.count) labels for \(tensors.count) tensors", at: "labels",
        hint: "give one label per tensor")
    }
    let groups = try BarGroups(
      categories: (0..<first.count).map(String.init),
      series: zip(labels, tensors).map { BarSeries(name: $0, values: $1.scalars.map(Double.init)) })
    return Chart.bar(xLabel: "class", yLabel: "value", groups: groups)
  }
}
