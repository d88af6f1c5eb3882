import Foundation
import RetortNetworks
import RetortTensor

// Seeing what was gained: compare (one table of quality, size and speed), sweep (α and T
// on a validation split) and plot (charts of histories, tensors and reports).

/// Writes a chart to a file (SVG); the notebook layer provides one to the interpreter.
public protocol ChartFileWriter: AnyObject {
  /// Writes `chart` to `url` in the format its extension names.
  func write(_ chart: Chart, to url: URL) throws
}

extension CommandRegistry {
  static func reportCommands() -> [CommandSpec] { [compare, sweep, plot, confusion] }

  // MARK: - compare

  static var compare: CommandSpec {
    CommandSpec(
      name: "compare", summary: "Accuracy, agreement, size and speed of models side by side",
      category: .training,
      parameters: [
        .variadic("models", modelType, "the models; the first is the reference (the teacher)"),
        .role("on", "data", datasetType, "the test data"),
        .option(
          "baseline", .string, default: nil,
          "the student trained without the teacher (found from the histories when left out)"),
        .option("runs", .positiveInteger, default: .number(200), "batch-1 timings per model"),
      ],
      examples: [
        """
        digits = load "digits"
        teacher = mlp [64, 128, 10]
        student = mlp [64, 16, 10]
        compare teacher student on digits runs=20
        """
      ],
      longHelp: """
        Columns: accuracy, agreement with the first model, expected calibration error (15 \
        bins), parameters, bytes in memory, FLOPs per example, batch-1 latency (median and \
        95th percentile), throughput at batch 256, and speed-up and \
        compression against the first model. When a baseline student (trained on labels \
        alone) is in the list, a last line gives the share of the teacher-baseline gap that \
        distillation recovered. plot of the result draws accuracy against latency.
        """,
      showsResult: false
    ) { invocation in
      let values = try invocation.list("models")
      guard !values.isEmpty else {
        throw invocation.error(
          "compare needs at least one model", hint: "compare teacher student on test_set")
      }
      var models: [(name: String, model: Sequential)] = []
      for (index, value) in values.enumerated() {
        guard case .model(let model) = value else { continue }
        var name = writtenName(invocation, positional: index) ?? "model\(index + 1)"
        if models.contains(where: { $0.name == name }) { name += "#\(index + 1)" }
        models.append((name, model))
      }
      let data = try dataset(invocation)
      let baseline = invocation.value("baseline").stringValue ?? detectBaseline(models)
      let comparison = try ModelComparison.measure(
        models, on: data, baseline: baseline, latencyRuns: try invocation.integer("runs"))
      let report = try compareReport(comparison)
      invocation.interpreter.write(table: report.table)
      return .report(report)
    }
  }

  /// A model trained only by `train` while another (not the first) was distilled.
  static func detectBaseline(_ models: [(name: String, model: Sequential)]) -> String? {
    let candidates = models.dropFirst()
    let distilled = candidates.contains {
      $0.model.history.runs.contains { $0.label.hasPrefix("distill") }
    }
    guard distilled else { return nil }
    return candidates.first { entry in
      !entry.model.history.runs.isEmpty
        && entry.model.history.runs.allSatisfy { $0.label == "train" }
    }?.name
  }

  static func compareReport(_ comparison: ModelComparison) throws -> Report {
    func bytes(_ count: Int) -> String {
      count >= 1 << 20
        ? String(format: "%.1f MB", Double(count) / 1_048_576)
        : String(format: "%.1f KB", Double(count) / 1024)
    }
    func flops(_ count: Int) -> String {
      count >= 1_000_000
        ? String(format: "%.2fM", Double(count) / 1e6)
        : String(format: "%.1fK", Double(count) / 1e3)
    }
    let headers = [
      "model", "accuracy", "agree", "ECE", "params", "size", "FLOPs/ex", "p50 µs", "p95 µs",
      "ex/s @256", "speed-up", "smaller",
    ]
    let rows = comparison.rows.map { row in
      [
        row.name, String(format: "%.2f%%", row.accuracy * 100),
        String(format: "%.1f%%", row.agreement * 100),
        String(format: "%.3f", row.expectedCalibrationError), String(row.parameters),
        bytes(row.bytes), flops(row.flopsPerExample),
        String(format: "%.1f", row.latencyMedian * 1e6),
        String(format: "%.1f", row.latencyP95 * 1e6), String(format: "%.0f", row.throughput),
        String(format: "%.1fx", row.speedup), String(format: "%.1fx", row.compression),
      ]
    }
    var footer: [String] = []
    if let gap = comparison.gapRecovered {
      footer.append(
        String(
          format: "distillation recovered %.0f%% of the accuracy gap between %@ and the "
            + "teacher (%@ against %@)", gap.share * 100, gap.baseline, gap.student, gap.baseline))
    }
    let table = try Table(
      title: "compare on \(comparison.dataset)", headers: headers,
      rightAligned: Set(1..<headers.count), rows: rows, footer: footer)
    let chart = Chart.scatter(
      title: "accuracy against batch-1 latency", xLabel: "latency (µs)",
      yLabel: "accuracy (%)",
      points: comparison.rows.map {
        ScatterPoint(label: $0.name, x: $0.latencyMedian * 1e6, y: $0.accuracy * 100)
      })
    var fields: [(String, String, Value)] = comparison.rows.map { row in
      (row.name, "accuracy of \(row.name)", .number(row.accuracy))
    }
    if let gap = comparison.gapRecovered {
      fields.append(("gap_recovered", "share of the gap recovered", .number(gap.share)))
    }
    return Report(kind: "compare", table: table, chart: chart, fields: fields)
  }

  // MARK: - sweep

  static var sweep: CommandSpec {
    CommandSpec(
      name: "sweep", summary: "Distil one fresh student per (alpha, T) and pick the best",
      category: .training,
      parameters: [],
      examples: [
        """
        digits = load "digits"
        teacher = mlp [64, 64, 10]
        train teacher on digits epochs=2 quiet=true
        student = mlp [64, 16, 10]
        best = sweep distill student from teacher on digits alpha=[0.1, 0.9] T=[2, 4] epochs=2
        """
      ],
      longHelp: """
        Written in front of a distill command whose alpha and T are lists. Each point trains \
        a copy of the student with the loss alpha*ce + (1-alpha)*kd(T) on 80% of the data \
        and scores it on the other 20% (the validation split, never the test split). Prints \
        a line per point, a table sorted by validation accuracy with the best marked, and a \
        heatmap; returns a report whose fields are best (the trained student), alpha, T and \
        accuracy. Ctrl-C keeps the points done so far.
        """,
      takesNestedCommand: true, showsResult: false
    ) { invocation in
      guard let nested = invocation.syntax?.nestedCommand, nested.verb.name == "distill" else {
        throw invocation.error(
          "sweep expects a distill command after it",
          hint: "sweep distill student from teacher on train_set alpha=[0.1, 0.5] T=[2, 4]")
      }
      let interpreter = invocation.interpreter
      let (inner, grid) = try interpreter.bindNested(nested, withholding: ["alpha", "T"])
      if !inner.value("loss").isNone {
        inner.warn(
          "sweep builds the loss from alpha and T; the given loss is ignored", at: "loss")
      }
      func axis(_ name: String, _ fallback: Double) throws -> [Double] {
        guard let (value, range) = grid[name] else { return [fallback] }
        let items: [Value]
        if case .list(let list) = value { items = list } else { items = [value] }
        let numbers = items.compactMap(\.numberValue)
        guard numbers.count == items.count, !numbers.isEmpty else {
          throw RuntimeError(
            "sweep expects \(name) to be a number or a list of numbers, got "
              + Interpreter.describe(value), at: range, hint: "\(name)=[0.1, 0.5, 0.9]")
        }
        return numbers
      }
      guard case .model(let student) = inner.value("student") else { return .none }
      let teachers = try teachers(inner)
      let data = try dataset(inner)
      var options = try trainingOptions(inner)
      options.cacheTeacher = try inner.bool("cache")
      let sweep = Sweep(
        student: student, teachers: teachers, alphas: try axis("alpha", 0.5),
        temperatures: try axis("T", 4), options: options, cache: interpreter.teacherCache)
      let observer = CommandTrainingObserver(
        interpreter, title: "sweep", quiet: true, showPlan: false)
      let result = try sweep.run(on: data, observer: observer) { point, done, total in
        interpreter.write(
          String(
            format: "point %d/%d: alpha=%@ T=%@  val_acc %.2f%%  val_loss %.4f  (%.1f s)",
            done, total, Value.format(number: point.alpha),
            Value.format(number: point.temperature), point.validationAccuracy * 100,
            point.validationLoss, point.seconds))
      }
      if result.interrupted {
        // The points done so far are the result; the program goes on with them.
        interpreter.interruptRequested = false
        interpreter.write("sweep interrupted: \(result.points.count) points kept")
      }
      let report = try sweepReport(result)
      interpreter.write(table: report.table)
      if let chart = report.chart { interpreter.write(chart: chart) }
      return .report(report)
    }
  }

  static func sweepReport(_ result: SweepResult) throws -> Report {
    let order = result.points.indices.sorted {
      let a = result.points[$0]
      let b = result.points[$1]
      return a.validationAccuracy != b.validationAccuracy
        ? a.validationAccuracy > b.validationAccuracy : a.validationLoss < b.validationLoss
    }
    let rows = order.map { index -> [String] in
      let point = result.points[index]
      return [
        Value.format(number: point.alpha), Value.format(number: point.temperature),
        String(format: "%.2f%%", point.validationAccuracy * 100),
        String(format: "%.4f", point.validationLoss), String(format: "%.1f", point.seconds),
        index == result.bestIndex ? "best" : "",
      ]
    }
    let table = try Table(
      title: "sweep: alpha*ce + (1-alpha)*kd(T), scored on the validation split",
      headers: ["alpha", "T", "val_acc", "val_loss", "seconds", ""],
      rightAligned: [0, 1, 2, 3, 4], rows: rows, markedRow: rows.isEmpty ? nil : 0)
    var values = [[Double]](
      repeating: [Double](repeating: .nan, count: result.temperatures.count),
      count: result.alphas.count)
    var bestCell: Heatmap.Cell?
    for (index, point) in result.points.enumerated() {
      guard let row = result.alphas.firstIndex(of: point.alpha),
        let column = result.temperatures.firstIndex(of: point.temperature)
      else { continue }
      values[row][column] = point.validationAccuracy * 100
      if index == result.bestIndex { bestCell = Heatmap.Cell(row: row, column: column) }
    }
    let heatmap = try Heatmap(
      values: values, rowLabels: result.alphas.map { "α=\(Value.format(number: $0))" },
      columnLabels: result.temperatures.map { "T=\(Value.format(number: $0))" }, best: bestCell)
    let chart = Chart.heatmap(
      title: "validation accuracy (%)", xLabel: "temperature", yLabel: "alpha", heatmap: heatmap)
    var fields: [(String, String, Value)] = []
    if let best = result.bestIndex, let model = result.bestStudent {
      let point = result.points[best]
      fields = [
        ("best", "the student trained at the best point", .model(model)),
        ("alpha", "alpha of the best point", .number(point.alpha)),
        ("T", "temperature of the best point", .number(point.temperature)),
        ("accuracy", "validation accuracy of the best point", .number(point.validationAccuracy)),
      ]
    }
    fields.append(
      (
        "points", "every point as [alpha, T, val_acc]",
        .list(
          result.points.map {
            .list([.number($0.alpha), .number($0.temperature), .number($0.validationAccuracy)])
          })
      ))
    return Report(kind: "sweep", table: table, chart: chart, fields: fields)
  }
}

// MARK: - confusion

extension CommandRegistry {
  static var confusion: CommandSpec {
    CommandSpec(
      name: "confusion", summary: "The confusion matrix of a model on a dataset",
      category: .training,
      parameters: [
        .positional("model", modelType, "the model"),
        .role("on", "data", datasetType, "the labelled data"),
      ],
      examples: ["digits = load \"digits\"\nm = mlp [64, 10]\nc = confusion m on digits\nplot c"],
      longHelp: """
        Rows are the true classes, columns the predicted ones. Returns a report whose \
        fields are accuracy and counts (a tensor); plot draws it as a heatmap.
        """,
      showsResult: false
    ) { invocation in
      guard case .model(let model) = invocation.value("model") else { return .none }
      let data = try dataset(invocation)
      let logits = try Trainer.predict(model, on: data)
      let matrix = try ConfusionMatrix(
        scores: logits, labels: data.labels, classNames: data.classNames)
      let names = matrix.classNames
      let rows = zip(names, matrix.counts).map { name, counts in [name] + counts.map(String.init) }
      let table = try Table(
        title: "confusion on \(data.name) (rows: true class, columns: predicted)",
        headers: ["true \\ predicted"] + names, rightAligned: Set(1...max(names.count, 1)),
        rows: rows,
        footer: [String(format: "accuracy %.2f%%", matrix.accuracy * 100)])
      let heatmap = try Heatmap(
        values: matrix.counts.map { $0.map(Double.init) }, rowLabels: names,
        columnLabels: names)
      let chart = Chart.heatmap(
        title: "confusion matrix", xLabel: "predicted", yLabel: "true", heatmap: heatmap)
      let counts = try Tensor(
        shape: [names.count, names.count], scalars: matrix.counts.flatMap { $0.map(Float.init) })
      let report = Report(
        kind: "confusion", table: table, chart: chart,
        fields: [
          ("accuracy", "share of examples on the diagonal", .number(matrix.accuracy)),
          ("counts", "the matrix as a tensor", .tensor(counts)),
        ])
      invocation.interpreter.write(table: table)
      return .report(report)
    }
  }
}
