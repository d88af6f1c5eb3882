import Foundation
import RetortTensor

/// How well a model's confidence matches its accuracy, from equal-width confidence bins.
///
/// Confidence is the largest softmax probability of a row. Bin b of B covers
/// (b/B, (b+1)/B]. The expected calibration error (Guo et al., 2017) is
/// ECE = Σ_b |B_b|/N · |acc(B_b) − conf(B_b)|, the gap between accuracy and mean
/// confidence in each bin, weighted by the share of examples in it. Distillation with a
/// temperature often changes ECE more than accuracy, which is why it is reported.
public struct CalibrationReport: Sendable, Equatable {
  /// One confidence bin.
  public struct Bin: Sendable, Equatable {
    /// The exclusive lower edge of the bin.
    public var lower: Double
    /// The inclusive upper edge of the bin.
    public var upper: Double
    /// How many examples have their confidence in the bin.
    public var count: Int
    /// Their accuracy (0 when the bin is empty).
    public var accuracy: Double
    /// Their mean confidence (0 when the bin is empty).
    public var confidence: Double
  }

  /// The bins, lowest confidence first.
  public let bins: [Bin]
  /// The expected calibration error, in [0, 1].
  public let expectedCalibrationError: Double
  /// The largest gap |acc − conf| over non-empty bins (the maximum calibration error).
  public let maximumCalibrationError: Double

  /// Bins the rows of `probabilities` `[N, C]` by confidence.
  public init(probabilities: Tensor, labels: [Int], binCount: Int = 15) throws {
    let (rows, classes) = try Metrics.checkedShape(probabilities, labels: labels, metric: "ece")
    try Metrics.checkProbabilities(probabilities, metric: "ece")
    guard binCount >= 1 else {
      throw TensorError(op: "ece", "expected at least one bin, found \(binCount)")
    }
    var counts = [Int](repeating: 0, count: binCount)
    var correct = [Int](repeating: 0, count: binCount)
    var confidenceSums = [Double](repeating: 0, count: binCount)
    let predicted = try Metrics.predictions(probabilities)
    for row in 0..<rows {
      let confidence = Double(probabilities.scalars[row * classes + predicted[row]])
      // The bin with lower < confidence ≤ upper, edges b/B as in the usual numpy code.
      var bin = Int((confidence * Double(binCount)).rounded(.up)) - 1
      bin = min(max(bin, 0), binCount - 1)
      if bin + 1 < binCount, confidence > Double(bin + 1) / Double(binCount) { bin += 1 }
      if bin > 0, confidence <= Double(bin) / Double(binCount) { bin -= 1 }
      counts[bin] += 1
      confidenceSums[bin] += confidence
      if predicted[row] == labels[row] { correct[bin] += 1 }
    }
    var ece = 0.0
    var mce = 0.0
    var bins: [Bin] = []
    for b in 0..<binCount {
      let n = counts[b]
      let accuracy = n == 0 ? 0 : Double(correct[b]) / Double(n)
      let confidence = n == 0 ? 0 : confidenceSums[b] / Double(n)
      if n > 0 {
        let gap = abs(accuracy - confidence)
        ece += Double(n) / Double(rows) * gap
        mce = max(mce, gap)
      }
      bins.append(
        Bin(
          lower: Double(b) / Double(binCount), upper: Double(b + 1) / Double(binCount),
          count: n, accuracy: accuracy, confidence: confidence))
    }
    self.bins = bins
    self.expectedCalibrationError = ece
    self.maximumCalibrationError = mce
  }

  /// Bins softmax(`logits`) by confidence.
  public init(logits: Tensor, labels: [Int], binCount: Int = 15) throws {
    _ = try Metrics.checkedShape(logits, labels: labels, metric: "ece")
    try self.init(
      probabilities: Tensor.withoutGradients { try logits.softmax(alongAxis: 1) },
      labels: labels, binCount: binCount)
  }

  /// A reliability table: per bin its range, count, accuracy, confidence and gap.
  public func table() -> String {
    var lines = ["bin            count  accuracy  confidence     gap"]
    for bin in bins where bin.count > 0 {
      lines.append(
        String(
          format: "(%.3f, %.3f]  %5d  %8.4f  %10.4f  %6.4f", bin.lower, bin.upper, bin.count,
          bin.accuracy, bin.confidence, abs(bin.accuracy - bin.confidence)))
    }
    lines.append(
      String(
        format: "ECE %.4f  MCE %.4f", expectedCalibrationError, maximumCalibrationError))
    return lines.joined(separator: "\n")
  }
}

extension Metrics {
  /// The expected calibration error of class `probabilities` `[N, C]` (see
  /// `CalibrationReport`), with 15 equal-width bins by default.
  public static func expectedCalibrationError(
    probabilities: Tensor, labels: [Int], bins: Int = 15
  ) throws -> Double {
    try CalibrationReport(probabilities: probabilities, labels: labels, binCount: bins)
      .expectedCalibrationError
  }

  /// The expected calibration error of softmax(`logits`).
  public static func expectedCalibrationError(logits: Tensor, labels: [Int], bins: Int = 15)
    throws -> Double
  {
    try CalibrationReport(logits: logits, labels: labels, binCount: bins)
      .expectedCalibrationError
  }
}
