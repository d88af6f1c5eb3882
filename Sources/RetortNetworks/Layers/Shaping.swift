import RetortTensor

// MARK: - Flatten

/// Flattens each example to a vector, `[N, C, H, W]` → `[N, C·H·W]` (PyTorch's `nn.Flatten`).
public final class Flatten: Layer {
  /// A flatten layer.
  public init() {}

  /// `flatten`.
  public var kind: String { "flatten" }
  /// `flatten`.
  public var description: String { "flatten" }
  /// None.
  public var parameters: [NamedTensor] { [] }

  /// Keeps the batch axis and joins the rest.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    guard x.rank >= 1 else {
      throw ModelError(layer: description, "expects a batch [N, ...] but got a scalar")
    }
    return x.rank == 2 ? x : try x.flattened(fromAxis: 1)
  }

  /// `[C, H, W]` → `[C·H·W]`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] { [inputShape.elementCount] }

  /// A new flatten layer.
  public func deepCopy() -> Layer { Flatten() }
}

// MARK: - Identity

/// Passes its input through unchanged (a placeholder, or a tap point with a name).
public final class Identity: Layer {
  /// An identity layer.
  public init() {}

  /// `identity`.
  public var kind: String { "identity" }
  /// `identity`.
  public var description: String { "identity" }
  /// None.
  public var parameters: [NamedTensor] { [] }

  /// Returns `x`.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor { x }

  /// The input shape.
  public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

  /// A new identity layer.
  public func deepCopy() -> Layer { Identity() }
}

// MARK: - Dropout

/// Zeros each element with probability `p` in training mode and scales the survivors by
/// 1/(1 − p) ("inverted" dropout), so evaluation needs no rescaling and is the identity.
public final class Dropout: Layer {
  /// The probability of dropping an element.
  public let probability: Float

  /// A dropout layer; `probability` must lie in [0, 1).
  public init(_ probability: Float) throws {
    guard probability >= 0, probability < 1 else {
      throw ModelError(
        layer: "dropout", "probability must be in [0, 1), got \(probability)",
        hint: "0.1 to 0.5 are usual values")
    }
    self.probability = probability
  }

  /// `dropout`.
  public var kind: String { "dropout" }
  /// `dropout p=0.2`.
  public var description: String { "dropout p=\(probability)" }
  /// None.
  public var parameters: [NamedTensor] { [] }

  /// Multiplies by a mask of 0 and 1/(1 − p) drawn from the context's generator.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    guard context.isTraining, probability > 0 else { return x }
    return try x.dropout(probability: probability, generator: &context.generator)
  }

  /// The input shape.
  public func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

  /// A dropout layer with the same probability.
  public func deepCopy() -> Layer {
    // The probability was validated when this layer was made.
    (try? Dropout(probability)) ?? self
  }
}
