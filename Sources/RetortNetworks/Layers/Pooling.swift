import RetortTensor

// MARK: - Window pooling

/// The window of a pooling layer: a square kernel, its stride and padding.
public struct PoolWindow: Sendable, Equatable {
  /// The side of the square window.
  public let kernelSize: Int
  /// The step between windows (defaults to the window size).
  public let stride: Int
  /// Padding on every side.
  public let padding: Int

  /// Validates the window; `kind` names the layer in the error.
  init(kind: String, kernelSize: Int, stride: Int?, padding: Int) throws {
    let step = stride ?? kernelSize
    guard kernelSize > 0, step > 0, padding >= 0, padding * 2 <= kernelSize else {
      throw ModelError(
        layer: kind, "kernel \(kernelSize), stride \(step), padding \(padding) is invalid",
        hint: "kernel and stride must be positive, padding at most half the kernel")
    }
    (self.kernelSize, self.stride, self.padding) = (kernelSize, step, padding)
  }

  /// `maxpool 2x2` (stride and padding shown when not the defaults).
  func describe(_ kind: String) -> String {
    var text = "\(kind) \(kernelSize)x\(kernelSize)"
    if stride != kernelSize { text += " s\(stride)" }
    if padding != 0 { text += " p\(padding)" }
    return text
  }

  /// `[C, H, W]` → `[C, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1]`.
  func outputShape(for inputShape: [Int], layer: String) throws -> [Int] {
    try requireExampleRank(inputShape, 3, layer: layer, expected: "[C, H, W]")
    let (height, width) = (inputShape[1] + 2 * padding, inputShape[2] + 2 * padding)
    guard height >= kernelSize, width >= kernelSize else {
      throw ModelError(
        layer: layer,
        "a \(kernelSize)x\(kernelSize) window does not fit input \(formatShape(inputShape))",
        hint: "the image is too small here; remove a pooling layer or use a larger input")
    }
    return [
      inputShape[0], (height - kernelSize) / stride + 1, (width - kernelSize) / stride + 1,
    ]
  }
}

/// Max pooling over square windows (PyTorch's `nn.MaxPool2d`).
public final class MaxPool2d: Layer {
  /// The window geometry.
  public let window: PoolWindow

  /// A max pool; the stride defaults to the kernel size.
  public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws {
    window = try PoolWindow(
      kind: "maxpool", kernelSize: kernelSize, stride: stride, padding: padding)
  }
  private init(window: PoolWindow) { self.window = window }

  /// `maxpool`.
  public var kind: String { "maxpool" }
  /// `maxpool 2x2`.
  public var description: String { window.describe(kind) }
  /// None.
  public var parameters: [NamedTensor] { [] }

  /// The largest value of each window of `[N, C, H, W]`.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    try x.maxPool2d(kernel: window.kernelSize, stride: window.stride, padding: window.padding)
  }

  /// `[C, H, W]` → `[C, H', W']`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    try window.outputShape(for: inputShape, layer: description)
  }

  /// A pool with the same window.
  public func deepCopy() -> Layer { MaxPool2d(window: window) }
}

/// Average pooling over square windows, padded cells counted as zeros (PyTorch's
/// `nn.AvgPool2d` default).
public final class AvgPool2d: Layer {
  /// The window geometry.
  public let window: PoolWindow

  /// An average pool; the stride defaults to the kernel size.
  public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) throws {
    window = try PoolWindow(
      kind: "avgpool", kernelSize: kernelSize, stride: stride, padding: padding)
  }
  private init(window: PoolWindow) { self.window = window }

  /// `avgpool`.
  public var kind: String { "avgpool" }
  /// `avgpool 2x2`.
  public var description: String { window.describe(kind) }
  /// None.
  public var parameters: [NamedTensor] { [] }

  /// The mean of each window of `[N, C, H, W]`.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    try x.avgPool2d(kernel: window.kernelSize, stride: window.stride, padding: window.padding)
  }

  /// `[C, H, W]` → `[C, H', W']`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    try window.outputShape(for: inputShape, layer: description)
  }

  /// A pool with the same window.
  public func deepCopy() -> Layer { AvgPool2d(window: window) }
}

// MARK: - Global average pooling

/// Averages each channel over its whole plane, `[N, C, H, W]` → `[N, C]` (PyTorch's
/// `nn.AdaptiveAvgPool2d(1)` followed by `nn.Flatten()`, as one module), so a network
/// accepts any image size.
public final class GlobalAvgPool: Layer {
  /// A global average pool.
  public init() {}

  /// `globalpool`.
  public var kind: String { "globalpool" }
  /// `global avg pool`.
  public var description: String { "global avg pool" }
  /// None.
  public var parameters: [NamedTensor] { [] }

  /// The mean over the two spatial axes.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    guard x.rank == 4 else {
      throw ModelError(
        layer: description, "expects a batch [N, C, H, W] but got \(formatShape(x.shape))")
    }
    return try x.mean(alongAxes: [2, 3])
  }

  /// `[C, H, W]` → `[C]`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    try requireExampleRank(inputShape, 3, layer: description, expected: "[C, H, W]")
    return [inputShape[0]]
  }

  /// A new pool (it holds no state).
  public func deepCopy() -> Layer { GlobalAvgPool() }
}
