import RetortTensor

/// A fully connected layer, `y = x·Wᵀ + b`, with PyTorch's layout (`weight` is `[out, in]`).
public final class Linear: Layer {
  /// Input features per example.
  public let inFeatures: Int
  /// Output features per example.
  public let outFeatures: Int
  /// The `[out, in]` weight matrix.
  public let weight: Tensor
  /// The `[out]` bias, when the layer has one.
  public let bias: Tensor?

  /// A layer initialised as PyTorch's `nn.Linear` does: weight and bias drawn from
  /// U(−1/√in, 1/√in), here from `generator` so the same seed gives the same weights.
  public init(
    _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: inout SeededGenerator
  ) throws {
    guard inFeatures > 0, outFeatures > 0 else {
      throw ModelError(
        layer: "linear",
        "features must be positive, got \(inFeatures) in and \(outFeatures) out")
    }
    self.inFeatures = inFeatures
    self.outFeatures = outFeatures
    weight = try fanInUniformParameter(
      [outFeatures, inFeatures], fanIn: inFeatures, generator: &generator)
    self.bias =
      bias
      ? try fanInUniformParameter([outFeatures], fanIn: inFeatures, generator: &generator) : nil
  }

  /// A layer holding copies of the given weight `[out, in]` and bias `[out]`.
  public init(weight: Tensor, bias: Tensor?) throws {
    guard weight.rank == 2 else {
      throw ModelError(
        layer: "linear", "expects a weight [out, in], got \(formatShape(weight.shape))")
    }
    (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1])
    if let bias, bias.shape != [outFeatures] {
      throw ModelError(
        layer: "linear",
        "bias \(formatShape(bias.shape)) does not match weight \(formatShape(weight.shape))",
        hint: "the bias needs one value per output, [\(outFeatures)]")
    }
    self.weight = weight.detached()
    self.weight.requiresGrad = true
    self.bias = bias?.detached()
    self.bias?.requiresGrad = true
  }

  private init(copying other: Linear) {
    (inFeatures, outFeatures) = (other.inFeatures, other.outFeatures)
    weight = other.weight.copy()
    bias = other.bias?.copy()
  }

  /// `linear`.
  public var kind: String { "linear" }
  /// `linear 64→32`.
  public var description: String {
    "linear \(inFeatures)→\(outFeatures)" + (bias == nil ? " no bias" : "")
  }
  /// `weight`, then `bias`.
  public var parameters: [NamedTensor] {
    [NamedTensor("weight", weight)] + (bias.map { [NamedTensor("bias", $0)] } ?? [])
  }

  /// Applies the affine map to `[N, in]`.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    try x.linear(weight: weight, bias: bias)
  }

  /// `[in]` → `[out]`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    guard inputShape == [inFeatures] else {
      let flat = inputShape.elementCount
      throw ModelError(
        layer: description,
        "expects input [\(inFeatures)] per example but got \(formatShape(inputShape))",
        hint: inputShape.count > 1 && flat == inFeatures
          ? "insert a flatten layer before it"
          : "set in-features to \(inputShape.count == 1 ? inputShape[0] : flat)")
    }
    return [outFeatures]
  }

  /// Two operations per multiply-add: 2·in·out.
  public func flops(for inputShape: [Int]) -> Int { 2 * inFeatures * outFeatures }

  /// An independent copy.
  public func deepCopy() -> Layer { Linear(copying: self) }
}
