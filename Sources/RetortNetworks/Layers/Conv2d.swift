import RetortTensor

/// A 2-D convolution over `[N, C, H, W]` images (PyTorch's `nn.Conv2d`, square kernels).
public final class Conv2d: Layer {
  /// Channels in.
  public let inChannels: Int
  /// Channels out.
  public let outChannels: Int
  /// The side of the square kernel.
  public let kernelSize: Int
  /// The step between windows.
  public let stride: Int
  /// Zero padding on every side.
  public let padding: Int
  /// The `[out, in, k, k]` weight.
  public let weight: Tensor
  /// The `[out]` bias, when the layer has one.
  public let bias: Tensor?

  /// A convolution initialised as PyTorch's: weight and bias from U(−1/√fan_in, 1/√fan_in)
  /// with fan_in = in·k·k, drawn from `generator`.
  public init(
    _ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
    bias: Bool = true, generator: inout SeededGenerator
  ) throws {
    guard inChannels > 0, outChannels > 0, kernelSize > 0, stride > 0, padding >= 0 else {
      throw ModelError(
        layer: "conv",
        "channels \(inChannels)→\(outChannels), kernel \(kernelSize), stride \(stride), "
          + "padding \(padding) is invalid",
        hint: "channels, kernel and stride must be positive and padding not negative")
    }
    (self.inChannels, self.outChannels) = (inChannels, outChannels)
    (self.kernelSize, self.stride, self.padding) = (kernelSize, stride, padding)
    let fanIn = inChannels * kernelSize * kernelSize
    weight = try fanInUniformParameter(
      [outChannels, inChannels, kernelSize, kernelSize], fanIn: fanIn, generator: &generator)
    self.bias =
      bias ? try fanInUniformParameter([outChannels], fanIn: fanIn, generator: &generator) : nil
  }

  private init(copying other: Conv2d) {
    (inChannels, outChannels) = (other.inChannels, other.outChannels)
    (kernelSize, stride, padding) = (other.kernelSize, other.stride, other.padding)
    weight = other.weight.copy()
    bias = other.bias?.copy()
  }

  /// `conv`.
  public var kind: String { "conv" }
  /// `conv 1→16 3x3 s2 p1` (stride and padding shown when not the defaults).
  public var description: String {
    var text = "conv \(inChannels)→\(outChannels) \(kernelSize)x\(kernelSize)"
    if stride != 1 { text += " s\(stride)" }
    if padding != 0 { text += " p\(padding)" }
    if bias == nil { text += " no bias" }
    return text
  }
  /// `weight`, then `bias`.
  public var parameters: [NamedTensor] {
    [NamedTensor("weight", weight)] + (bias.map { [NamedTensor("bias", $0)] } ?? [])
  }

  /// Convolves `[N, in, H, W]` into `[N, out, H', W']`.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    try x.conv2d(weight: weight, bias: bias, stride: stride, padding: padding)
  }

  /// `[in, H, W]` → `[out, (H + 2p − k)/s + 1, (W + 2p − k)/s + 1]`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    try requireExampleRank(
      inputShape, 3, layer: description, expected: "[\(inChannels), H, W]",
      hint: inputShape.count == 1 ? "reshape flat inputs to images, e.g. [1, 8, 8]" : nil)
    guard inputShape[0] == inChannels else {
      throw ModelError(
        layer: description,
        "expects \(inChannels) input channels but got \(formatShape(inputShape))",
        hint: "set in-channels to \(inputShape[0])")
    }
    let (height, width) = (inputShape[1] + 2 * padding, inputShape[2] + 2 * padding)
    guard height >= kernelSize, width >= kernelSize else {
      throw ModelError(
        layer: description,
        "a \(kernelSize)x\(kernelSize) kernel does not fit input \(formatShape(inputShape))",
        hint: "use a smaller kernel, more padding, or fewer downsampling layers before it")
    }
    return [
      outChannels, (height - kernelSize) / stride + 1, (width - kernelSize) / stride + 1,
    ]
  }

  /// 2·(in·k·k)·out per output position.
  public func flops(for inputShape: [Int]) -> Int {
    guard let out = try? outputShape(for: inputShape) else { return 0 }
    return 2 * inChannels * kernelSize * kernelSize * out.elementCount
  }

  /// An independent copy.
  public func deepCopy() -> Layer { Conv2d(copying: self) }
}
