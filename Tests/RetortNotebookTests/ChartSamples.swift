import RetortLanguage

/// Small deterministic charts shared by the renderer tests.
enum ChartSamples {
  /// Teacher and student loss over six epochs.
  static func lossCurves() -> Chart {
    Chart.line(
      title: "Loss", xLabel: "epoch", yLabel: "loss",
      series: [
        ChartSeries(name: "teacher", values: [2.0, 1.2, 0.8, 0.6, 0.5, 0.4], firstX: 1),
        ChartSeries(name: "student", values: [2.0, 1.5, 1.1, 0.9, 0.8, 0.7], firstX: 1),
      ])
  }

  /// A softmax over three classes at two temperatures.
  static func softmaxBars() throws -> Chart {
    Chart.bar(
      title: "Soft targets", xLabel: "probability",
      groups: try BarGroups(
        categories: ["cat", "dog", "fox"],
        series: [
          BarSeries(name: "T = 1", values: [0.7, 0.2, 0.1]),
          BarSeries(name: "T = 4", values: [0.4, 0.35, 0.25]),
        ]))
  }

  /// Accuracy over temperature × alpha, best cell marked.
  static func sweepHeatmap() throws -> Chart {
    Chart.heatmap(
      title: "Sweep", xLabel: "alpha", yLabel: "T",
      heatmap: try Heatmap(
        values: [[0.912, 0.931, 0.94], [0.925, 0.958, 0.949]], rowLabels: ["1", "4"],
        columnLabels: ["0.1", "0.5", "0.9"]
      ).markingExtreme())
  }

  /// Students by latency and accuracy.
  static func studentsScatter() -> Chart {
    Chart.scatter(
      title: "Accuracy vs latency", xLabel: "ms", yLabel: "accuracy",
      points: [
        ScatterPoint(label: "teacher", x: 12, y: 0.98),
        ScatterPoint(label: "small", x: 3, y: 0.95),
        ScatterPoint(label: "tiny", x: 1, y: 0.9),
      ])
  }
}
