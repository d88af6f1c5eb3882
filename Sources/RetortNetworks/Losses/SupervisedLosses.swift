import Foundation
import RetortTensor

// MARK: - Classification

extension Losses {
  /// Cross-entropy of `[N, C]` logits against integer labels, averaged over the batch.
  ///
  /// Label smoothing follows PyTorch's definition: the target is the mixture
  /// `(1 − ε)·onehot(y) + ε/C` (every class, the true one included, receives ε/C), so
  ///   L = (1 − ε)·(−log p_y) + ε·(−(1/C)·Σ_c log p_c).
  /// Computed by a fused kernel; the gradient is `(softmax(s) − q) / N`.
  public static func crossEntropy(
    logits: Tensor, labels: [Int], labelSmoothing: Float = 0
  ) throws -> Tensor {
    try checkLabels(labels, for: logits, op: "cross_entropy")
    guard labelSmoothing >= 0, labelSmoothing <= 1 else {
      throw TensorError(
        op: "cross_entropy", "label smoothing must lie in [0, 1], got \(labelSmoothing)",
        hint: "0.1 is a common choice; 0 turns smoothing off")
    }
    let (rows, classes) = (logits.shape[0], logits.shape[1])
    try checkNonEmpty(rows, op: "cross_entropy")
    let floor = labelSmoothing / Float(classes)
    var targets = [Float](repeating: floor, count: logits.count)
    for (row, label) in labels.enumerated() {
      targets[row * classes + label] += 1 - labelSmoothing
    }
    return try softTargetLoss(
      "cross_entropy", logits: logits, targets: targets, temperature: 1,
      scale: 1 / Float(rows), includeTargetEntropy: false)
  }

  /// Negative log-likelihood of `[N, C]` log-probabilities: `−mean_n logProbs[n, y_n]`.
  ///
  /// Pair it with `logSoftmax`; on raw logits use `crossEntropy`, which is the same thing
  /// fused and numerically safer.
  public static func nll(logProbabilities: Tensor, labels: [Int]) throws -> Tensor {
    try checkLabels(labels, for: logProbabilities, op: "nll")
    try checkNonEmpty(labels.count, op: "nll")
    return -(try logProbabilities.gatherRows(labels).mean())
  }

  /// Throws when a batch has no examples (a mean over nothing is undefined).
  static func checkNonEmpty(_ rows: Int, op: String) throws {
    guard rows > 0 else {
      throw TensorError(
        op: op, "the batch is empty", hint: "a loss needs at least one example")
    }
  }
}

// MARK: - Regression and similarity

extension Losses {
  /// Mean squared error over all elements, `mean((a − b)²)`, like `F.mse_loss`.
  public static func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
    try checkSameShape(prediction, target, op: "mse", what: "tensors")
    let difference = try prediction - target
    return try (difference * difference).mean()
  }

  /// Mean absolute error over all elements, `mean(|a − b|)`, like `F.l1_loss`.
  public static func l1(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
    try checkSameShape(prediction, target, op: "l1", what: "tensors")
    return try (prediction - target).abs().mean()
  }

  /// Huber / smooth-L1 loss averaged over all elements, like `F.smooth_l1_loss`:
  /// `0.5·x²/β` where `|x| < β`, else `|x| − 0.5·β`, with `x = a − b`.
  public static func smoothL1(
    _ prediction: Tensor, _ target: Tensor, beta: Float = 1
  ) throws -> Tensor {
    try checkSameShape(prediction, target, op: "smooth_l1", what: "tensors")
    guard beta > 0 else {
      throw TensorError(op: "smooth_l1", "beta must be positive, got \(beta)")
    }
    let difference = try prediction - target
    let magnitude = difference.abs()
    let quadratic = try (difference * difference) * (0.5 / beta)
    let linear = magnitude - 0.5 * beta
    let inside = try magnitude.less(Tensor(beta)).detached()
    return try Tensor.select(inside, quadratic, linear).mean()
  }

  /// `1 − cos(a, b)` along axis 1, averaged over the rest, like
  /// `(1 − F.cosine_similarity(a, b, dim=1)).mean()` (each norm is clamped below by 1e-8).
  public static func cosine(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
    try checkSameShape(prediction, target, op: "cosine", what: "tensors")
    guard prediction.rank >= 2 else {
      throw TensorError(
        op: "cosine",
        "expected [N, D] or [N, C, ...] tensors, got "
          + "\(formatShape(prediction.shape))", hint: "similarity is taken along axis 1")
    }
    let a = try normalized(prediction, alongAxis: 1, epsilon: 1e-8)
    let b = try normalized(target, alongAxis: 1, epsilon: 1e-8)
    let similarity = try (a * b).sum(alongAxis: 1)
    return (1 - similarity).mean()
  }

  /// `x / max(‖x‖₂, ε)` along `axis`, like `F.normalize`.
  ///
  /// The norm is taken as `sqrt(max(Σx², ε²))`: the same value, but a zero vector gets a
  /// zero gradient instead of the 0·∞ = NaN that `sqrt` would give at 0.
  static func normalized(_ x: Tensor, alongAxis axis: Int, epsilon: Float = 1e-12) throws
    -> Tensor
  {
    let squares = try (x * x).sum(alongAxis: axis, keepingDims: true)
    let norm = squares.clamped(min: epsilon * epsilon).sqrt()
    return try x / norm
  }
}
