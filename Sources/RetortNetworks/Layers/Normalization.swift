import RetortTensor

// MARK: - Batch normalisation

/// Batch normalisation over the channel axis 1, as PyTorch's `nn.BatchNorm1d/2d`.
///
/// Training: x̂ = (x − μ_B) / √(σ²_B + ε) with the batch mean and the biased batch variance,
/// then y = γ·x̂ + β; the running statistics move by
/// `running = (1 − momentum)·running + momentum·batch`, using the unbiased variance
/// σ²_B·n/(n − 1) for `running_var`, and `num_batches_tracked` counts the steps.
/// Evaluation: the running statistics replace the batch ones.
public class BatchNorm: Layer {
  /// The number of channels (axis 1).
  public let features: Int
  /// Added to the variance before the square root.
  public let eps: Float
  /// The weight of the newest batch in the running statistics.
  public let momentum: Float
  /// γ, `[C]`, when the layer is affine.
  public let weight: Tensor?
  /// β, `[C]`, when the layer is affine.
  public let bias: Tensor?
  /// The running mean, `[C]`, initially 0.
  public let runningMean: Tensor
  /// The running (unbiased) variance, `[C]`, initially 1.
  public let runningVar: Tensor
  /// The number of training batches seen (a scalar; an int64 in PyTorch checkpoints).
  public let numBatchesTracked: Tensor
  /// The per-example ranks this layer accepts (`[C]` or `[C, L]` for 1-D, `[C, H, W]` for 2-D).
  let exampleRanks: [Int]
  /// `batchnorm1d` or `batchnorm2d`, for messages.
  let variant: String

  init(
    features: Int, eps: Float, momentum: Float, affine: Bool, exampleRanks: [Int],
    variant: String
  ) throws {
    guard features > 0, eps > 0, momentum >= 0, momentum <= 1 else {
      throw ModelError(
        layer: variant, "features \(features), eps \(eps), momentum \(momentum) is invalid",
        hint: "features and eps must be positive and momentum in [0, 1]")
    }
    (self.features, self.eps, self.momentum) = (features, eps, momentum)
    weight = affine ? try constantParameter([features], 1) : nil
    bias = affine ? try constantParameter([features], 0) : nil
    runningMean = try Tensor.zeros([features])
    runningVar = try Tensor.ones([features])
    numBatchesTracked = Tensor(0)
    (self.exampleRanks, self.variant) = (exampleRanks, variant)
  }

  /// Copies every tensor of `other` (used by `deepCopy`).
  init(copying other: BatchNorm) {
    (features, eps, momentum) = (other.features, other.eps, other.momentum)
    weight = other.weight?.copy()
    bias = other.bias?.copy()
    runningMean = other.runningMean.copy()
    runningVar = other.runningVar.copy()
    numBatchesTracked = other.numBatchesTracked.copy()
    (exampleRanks, variant) = (other.exampleRanks, other.variant)
  }

  /// `batchnorm` (both variants, so derived names read `batchnorm1`, `batchnorm2`).
  public var kind: String { "batchnorm" }
  /// `batchnorm2d 16`.
  public var description: String { "\(variant) \(features)" + (weight == nil ? " no affine" : "") }
  /// `weight`, `bias` (when affine).
  public var parameters: [NamedTensor] {
    guard let weight, let bias else { return [] }
    return [NamedTensor("weight", weight), NamedTensor("bias", bias)]
  }
  /// `running_mean`, `running_var`, `num_batches_tracked`.
  public var buffers: [NamedTensor] {
    [
      NamedTensor("running_mean", runningMean), NamedTensor("running_var", runningVar),
      NamedTensor("num_batches_tracked", numBatchesTracked),
    ]
  }

  /// Normalises per channel with batch statistics (training) or running ones (evaluation).
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    guard exampleRanks.contains(x.rank - 1), x.shape[1] == features else {
      throw ModelError(
        layer: description,
        "expects a batch \(expectedText(batched: true)) but got \(formatShape(x.shape))")
    }
    // Statistics are per channel: reduce over the batch and every axis after the channels.
    let axes = [0] + Array(2..<x.rank)
    var broadcastShape = [Int](repeating: 1, count: x.rank)
    broadcastShape[1] = features
    let normalized: Tensor
    if context.isTraining {
      let n = axes.reduce(1) { $0 * x.shape[$1] }
      guard n > 1 else {
        throw ModelError(
          layer: description,
          "expected more than 1 value per channel when training, got \(formatShape(x.shape))",
          hint: "use a batch of 2 or more, or switch the model to eval mode")
      }
      let mean = try x.mean(alongAxes: axes, keepingDims: true)
      let centered = try x - mean
      let variance = try (centered * centered).mean(alongAxes: axes, keepingDims: true)
      normalized = try centered / (variance + eps).sqrt()
      try updateRunningStatistics(mean: mean, biasedVariance: variance, count: n)
    } else {
      let mean = try runningMean.reshaped(to: broadcastShape)
      let std = try (runningVar + eps).sqrt().reshaped(to: broadcastShape)
      normalized = try (x - mean) / std
    }
    guard let weight, let bias else { return normalized }
    return try normalized * weight.reshaped(to: broadcastShape)
      + bias.reshaped(to: broadcastShape)
  }

  /// running ← (1 − m)·running + m·batch, with the unbiased variance for `running_var`.
  private func updateRunningStatistics(
    mean: Tensor, biasedVariance: Tensor, count n: Int
  ) throws {
    let m = momentum
    let correction = Float(n) / Float(n - 1)
    let batchMean = mean.scalars
    let batchVar = biasedVariance.scalars
    runningMean.updateInPlace { running in
      for c in 0..<features { running[c] = (1 - m) * running[c] + m * batchMean[c] }
    }
    runningVar.updateInPlace { running in
      for c in 0..<features {
        running[c] = (1 - m) * running[c] + m * batchVar[c] * correction
      }
    }
    numBatchesTracked.updateInPlace { $0[0] += 1 }
  }

  private func expectedText(batched: Bool) -> String {
    let lead = batched ? "N, " : ""
    let forms = exampleRanks.map { rank -> String in
      let rest = ["L", "H, W"].first { $0.split(separator: ",").count == rank - 1 } ?? ""
      return "[\(lead)\(features)\(rank > 1 ? ", " + rest : "")]"
    }
    return forms.joined(separator: " or ")
  }

  /// The input shape, once its channels are checked.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    guard exampleRanks.contains(inputShape.count), inputShape.first == features else {
      throw ModelError(
        layer: description,
        "expects input \(expectedText(batched: false)) per example but got "
          + formatShape(inputShape),
        hint: inputShape.first.map { "set features to \($0)" })
    }
    return inputShape
  }

  /// An independent copy, statistics included.
  public func deepCopy() -> Layer { BatchNorm(copying: self) }
}

/// Batch normalisation of `[N, C]` or `[N, C, L]` (PyTorch's `nn.BatchNorm1d`).
public final class BatchNorm1d: BatchNorm {
  /// A layer with γ = 1, β = 0, running mean 0 and running variance 1.
  public init(
    _ features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true
  ) throws {
    try super.init(
      features: features, eps: eps, momentum: momentum, affine: affine, exampleRanks: [1, 2],
      variant: "batchnorm1d")
  }
  private init(copying other: BatchNorm1d) { super.init(copying: other) }
  /// An independent copy, statistics included.
  public override func deepCopy() -> Layer { BatchNorm1d(copying: self) }
}

/// Batch normalisation of `[N, C, H, W]` (PyTorch's `nn.BatchNorm2d`).
public final class BatchNorm2d: BatchNorm {
  /// A layer with γ = 1, β = 0, running mean 0 and running variance 1.
  public init(
    _ features: Int, eps: Float = 1e-5, momentum: Float = 0.1, affine: Bool = true
  ) throws {
    try super.init(
      features: features, eps: eps, momentum: momentum, affine: affine, exampleRanks: [3],
      variant: "batchnorm2d")
  }
  private init(copying other: BatchNorm2d) { super.init(copying: other) }
  /// An independent copy, statistics included.
  public override func deepCopy() -> Layer { BatchNorm2d(copying: self) }
}

// MARK: - Layer normalisation

/// Normalises each example over its trailing axes (PyTorch's `nn.LayerNorm`): the mean and
/// biased variance are taken over the last `normalizedShape.count` axes, then
/// y = γ·(x − μ)/√(σ² + ε) + β with γ, β of shape `normalizedShape`.
public final class LayerNorm: Layer {
  /// The trailing shape normalised over, e.g. `[32]`.
  public let normalizedShape: [Int]
  /// Added to the variance before the square root.
  public let eps: Float
  /// γ, initially ones.
  public let weight: Tensor?
  /// β, initially zeros.
  public let bias: Tensor?

  /// A layer normalising over `normalizedShape`.
  public init(_ normalizedShape: [Int], eps: Float = 1e-5, elementwiseAffine: Bool = true) throws {
    guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }), eps > 0 else {
      throw ModelError(
        layer: "layernorm",
        "normalized shape \(formatShape(normalizedShape)) with eps \(eps) is invalid",
        hint: "give the trailing feature shape, e.g. [32]")
    }
    (self.normalizedShape, self.eps) = (normalizedShape, eps)
    weight = elementwiseAffine ? try constantParameter(normalizedShape, 1) : nil
    bias = elementwiseAffine ? try constantParameter(normalizedShape, 0) : nil
  }

  private init(copying other: LayerNorm) {
    (normalizedShape, eps) = (other.normalizedShape, other.eps)
    weight = other.weight?.copy()
    bias = other.bias?.copy()
  }

  /// `layernorm`.
  public var kind: String { "layernorm" }
  /// `layernorm [32]`.
  public var description: String { "layernorm \(formatShape(normalizedShape))" }
  /// `weight`, `bias` (when affine).
  public var parameters: [NamedTensor] {
    guard let weight, let bias else { return [] }
    return [NamedTensor("weight", weight), NamedTensor("bias", bias)]
  }

  /// Normalises over the trailing axes of each example.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    guard x.rank > normalizedShape.count,
      Array(x.shape.suffix(normalizedShape.count)) == normalizedShape
    else {
      throw ModelError(
        layer: description,
        "expects a batch ending in \(formatShape(normalizedShape)) but got "
          + formatShape(x.shape))
    }
    let axes = Array((x.rank - normalizedShape.count)..<x.rank)
    let mean = try x.mean(alongAxes: axes, keepingDims: true)
    let centered = try x - mean
    let variance = try (centered * centered).mean(alongAxes: axes, keepingDims: true)
    let normalized = try centered / (variance + eps).sqrt()
    guard let weight, let bias else { return normalized }
    return try normalized * weight + bias
  }

  /// The input shape, once its trailing axes are checked.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    guard Array(inputShape.suffix(normalizedShape.count)) == normalizedShape,
      inputShape.count >= normalizedShape.count
    else {
      throw ModelError(
        layer: description,
        "expects input ending in \(formatShape(normalizedShape)) per example but got "
          + formatShape(inputShape))
    }
    return inputShape
  }

  /// An independent copy.
  public func deepCopy() -> Layer { LayerNorm(copying: self) }
}
