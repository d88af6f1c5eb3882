import Foundation
import RetortTensor

/// One model's row of a comparison: quality, size and measured speed.
public struct ModelMeasurement: Sendable {
  public var name: String
  public var accuracy: Double
  /// Share of examples on which this model and the first (the teacher) predict alike.
  public var agreement: Double
  public var expectedCalibrationError: Double
  public var parameters: Int
  public var bytes: Int
  public var flopsPerExample: Int
  /// Batch-1 latency in seconds: median and 95th percentile.
  public var latencyMedian: Double
  public var latencyP95: Double
  /// Examples per second at batch 256.
  public var throughput: Double
  /// Against the first model: how much faster (median batch-1 latency) and smaller.
  public var speedup: Double
  public var compression: Double
}

/// What `compare a b c on test_set` reports.
public struct ModelComparison: Sendable {
  public var dataset: String
  public var rows: [ModelMeasurement]
  /// When a baseline student (trained without the teacher) is named: the share of the
  /// teacher-baseline accuracy gap that the distilled student closed.
  public var gapRecovered: (student: String, baseline: String, share: Double)?

  /// Measures every model on `data`; the first model is the reference (the teacher).
  ///
  /// Latency is timed on single examples after a warm-up, `latencyRuns` times, without
  /// gradients and in eval mode; throughput on batches of 256.
  public static func measure(
    _ models: [(name: String, model: Sequential)], on data: Dataset,
    baseline: String? = nil, latencyRuns: Int = 200
  ) throws -> ModelComparison {
    guard let reference = models.first else {
      throw TrainingError("compare needs at least one model")
    }
    let referencePredictions = try Metrics.predictions(Trainer.predict(reference.model, on: data))
    var rows: [ModelMeasurement] = []
    for (name, model) in models {
      let logits = try Trainer.predict(model, on: data)
      let predictions = try Metrics.predictions(logits)
      let agreement = zip(predictions, referencePredictions).filter { $0 == $1 }.count
      let (median, p95) = try latency(of: model, on: data, runs: latencyRuns)
      rows.append(
        ModelMeasurement(
          name: name, accuracy: try Metrics.accuracy(logits, labels: data.labels),
          agreement: Double(agreement) / Double(max(predictions.count, 1)),
          expectedCalibrationError: try Metrics.expectedCalibrationError(
            logits: logits, labels: data.labels),
          parameters: model.parameterCount, bytes: (model.parameterCount + model.bufferCount) * 4,
          flopsPerExample: model.flopsPerExample, latencyMedian: median, latencyP95: p95,
          throughput: try throughput(of: model, on: data), speedup: 1, compression: 1))
    }
    let first = rows[0]
    for i in rows.indices {
      rows[i].speedup = first.latencyMedian / max(rows[i].latencyMedian, 1e-12)
      rows[i].compression = Double(first.bytes) / Double(max(rows[i].bytes, 1))
    }
    var gap: (String, String, Double)?
    if let baseline, let base = rows.first(where: { $0.name == baseline }),
      let student = rows.last(where: { $0.name != baseline && $0.name != first.name })
    {
      // (student − baseline) / (teacher − baseline): 1 means distillation closed the gap.
      let width = first.accuracy - base.accuracy
      if Swift.abs(width) > 1e-9 {
        gap = (student.name, base.name, (student.accuracy - base.accuracy) / width)
      }
    }
    return ModelComparison(dataset: data.name, rows: rows, gapRecovered: gap)
  }

  /// Median and 95th percentile of single-example forward passes, in seconds.
  static func latency(
    of model: Sequential, on data: Dataset, runs: Int
  ) throws -> (Double, Double) {
    guard data.count > 0 else { return (0, 0) }
    var notes: [String] = []
    let conformed = try Trainer.conform(data, to: model, role: "model", notes: &notes)
    let wasTraining = model.isTraining
    model.eval()
    defer { model.isTraining = wasTraining }
    let examples = try (0..<min(16, conformed.count)).map {
      try conformed.features.sliced([SliceRange(start: $0, end: $0 + 1)])
    }
    var samples: [Double] = []
    try Tensor.withoutGradients {
      for i in 0..<(runs + 20) {
        let example = examples[i % examples.count]
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try model.forward(example)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        if i >= 20 { samples.append(elapsed) }
      }
    }
    samples.sort()
    let median = samples[samples.count / 2]
    let p95 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.95))]
    return (median, p95)
  }

  /// Examples per second through batches of 256.
  static func throughput(of model: Sequential, on data: Dataset) throws -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    var processed = 0
    // At least a few passes so the figure is not one cold batch.
    while processed < 2048 && data.count > 0 {
      _ = try Trainer.predict(model, on: data)
      processed += data.count
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    return Double(processed) / max(elapsed, 1e-9)
  }
}
