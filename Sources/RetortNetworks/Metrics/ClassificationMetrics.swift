import Foundation
import RetortTensor

/// Classification metrics on model outputs `[N, C]` (logits or probabilities: the argmax
/// is the same) against integer labels.
///
/// Every function checks that there is one label per row and that labels are in `0..<C`,
/// throwing a `TensorError` named after the metric otherwise. Results are `Double`.
public enum Metrics {
  // MARK: - Checks

  /// The row count N and class count C of `scores`, after checking them against `labels`.
  static func checkedShape(
    _ scores: Tensor, labels: [Int], metric: String
  ) throws -> (rows: Int, classes: Int) {
    guard scores.rank == 2 else {
      throw TensorError(
        op: metric, "expected scores shaped [N, C], found \(formatShape(scores.shape))",
        hint: "flatten the model output to one row of class scores per example")
    }
    let (rows, classes) = (scores.shape[0], scores.shape[1])
    guard rows == labels.count else {
      throw TensorError(
        op: metric,
        "expected one label per row: scores \(formatShape(scores.shape)) have \(rows) rows "
          + "but \(labels.count) labels were given",
        hint: "evaluate the model on the same examples the labels come from")
    }
    guard rows > 0, classes > 0 else {
      throw TensorError(
        op: metric,
        "expected at least one example and one class, found scores "
          + formatShape(scores.shape))
    }
    for (row, label) in labels.enumerated() where label < 0 || label >= classes {
      throw TensorError(
        op: metric, "label \(label) of example \(row) is outside 0..<\(classes)",
        hint: "the model has \(classes) outputs; the labels must index them")
    }
    return (rows, classes)
  }

  // MARK: - Predictions and accuracy

  /// The predicted class of each row: the index of the largest score (the first on ties).
  public static func predictions(_ scores: Tensor) throws -> [Int] {
    guard scores.rank == 2, scores.shape[1] > 0 else {
      throw TensorError(
        op: "predictions",
        "expected scores shaped [N, C] with C ≥ 1, found "
          + formatShape(scores.shape))
    }
    let classes = scores.shape[1]
    return scores.scalars.withUnsafeBufferPointer { values in
      (0..<scores.shape[0]).map { row in
        let base = row * classes
        var best = 0
        for c in 1..<max(classes, 1) where values[base + c] > values[base + best] { best = c }
        return best
      }
    }
  }

  /// The fraction of rows whose largest score is at the label.
  public static func accuracy(_ scores: Tensor, labels: [Int]) throws -> Double {
    let (rows, _) = try checkedShape(scores, labels: labels, metric: "accuracy")
    let predicted = try predictions(scores)
    let correct = zip(predicted, labels).filter { $0 == $1 }.count
    return Double(correct) / Double(rows)
  }

  /// The fraction of rows whose label is among the `k` highest scores.
  ///
  /// Ties are counted in the model's favour: the label is in the top k when fewer than k
  /// classes score strictly higher than it.
  public static func topKAccuracy(_ scores: Tensor, labels: [Int], k: Int) throws -> Double {
    let (rows, classes) = try checkedShape(scores, labels: labels, metric: "top-k accuracy")
    guard k >= 1, k <= classes else {
      throw TensorError(
        op: "top-k accuracy", "expected k in 1...\(classes), found \(k)",
        hint: "k counts how many of the best-scoring classes may hold the label")
    }
    var correct = 0
    scores.scalars.withUnsafeBufferPointer { values in
      for row in 0..<rows {
        let target = values[row * classes + labels[row]]
        var higher = 0
        for c in 0..<classes where values[row * classes + c] > target { higher += 1 }
        if higher < k { correct += 1 }
      }
    }
    return Double(correct) / Double(rows)
  }

  /// The accuracy within each true class (its recall), or nil for a class with no examples.
  public static func perClassAccuracy(_ scores: Tensor, labels: [Int]) throws -> [Double?] {
    let (_, classes) = try checkedShape(scores, labels: labels, metric: "per-class accuracy")
    var correct = [Int](repeating: 0, count: classes)
    var total = [Int](repeating: 0, count: classes)
    for (predicted, label) in zip(try predictions(scores), labels) {
      total[label] += 1
      if predicted == label { correct[label] += 1 }
    }
    return (0..<classes).map { total[$0] == 0 ? nil : Double(correct[$0]) / Double(total[$0]) }
  }

  /// The fraction of examples on which two models predict the same class (e.g. how
  /// faithfully a student mimics its teacher, independently of the labels).
  public static func agreement(_ first: Tensor, _ second: Tensor) throws -> Double {
    guard first.rank == 2, first.shape == second.shape, first.shape[0] > 0 else {
      throw TensorError(
        op: "agreement",
        "expected two non-empty score tensors of the same shape [N, C], found "
          + "\(formatShape(first.shape)) and \(formatShape(second.shape))",
        hint: "evaluate both models on the same examples")
    }
    let same = zip(try predictions(first), try predictions(second)).filter { $0 == $1 }.count
    return Double(same) / Double(first.shape[0])
  }

  // MARK: - Likelihood

  /// The mean negative log-likelihood of the labels under softmax(logits), in nats.
  ///
  /// −log softmax(z)_y = logsumexp(z) − z_y, computed in double precision with the maximum
  /// subtracted first so large logits do not overflow.
  public static func negativeLogLikelihood(logits: Tensor, labels: [Int]) throws -> Double {
    let (rows, classes) = try checkedShape(logits, labels: labels, metric: "nll")
    var total = 0.0
    logits.scalars.withUnsafeBufferPointer { values in
      for row in 0..<rows {
        let slice = (0..<classes).map { Double(values[row * classes + $0]) }
        let largest = slice.max() ?? 0
        let logSumExp = largest + Foundation.log(slice.reduce(0) { $0 + exp($1 - largest) })
        total += logSumExp - slice[labels[row]]
      }
    }
    return total / Double(rows)
  }

  /// The mean negative log-likelihood of the labels given class probabilities; each
  /// probability is floored at 1e-12 so a confident mistake costs about 27.6 nats, not ∞.
  public static func negativeLogLikelihood(probabilities: Tensor, labels: [Int]) throws
    -> Double
  {
    let (rows, classes) = try checkedShape(probabilities, labels: labels, metric: "nll")
    try checkProbabilities(probabilities, metric: "nll")
    var total = 0.0
    for row in 0..<rows {
      let p = Double(probabilities.scalars[row * classes + labels[row]])
      total -= Foundation.log(max(p, 1e-12))
    }
    return total / Double(rows)
  }

  /// Throws when rows are not probability distributions (entries in [0, 1], sums near 1).
  static func checkProbabilities(_ probabilities: Tensor, metric: String) throws {
    let classes = probabilities.shape[1]
    for row in 0..<probabilities.shape[0] {
      let slice = probabilities.scalars[row * classes..<(row + 1) * classes]
      let sum = slice.reduce(0, +)
      guard slice.allSatisfy({ $0 >= 0 && $0 <= 1 }), abs(sum - 1) < 1e-3 else {
        throw TensorError(
          op: metric,
          "expected probabilities (entries in [0, 1] summing to 1), found row \(row) "
            + "summing to \(sum)",
          hint: "pass logits to the logits: variant, or apply softmax first")
      }
    }
  }
}
