import RetortTensor

/// The basic block of CIFAR ResNets (He et al. 2016):
/// `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))` with 3×3 convolutions without bias.
///
/// The shortcut is the identity when shapes agree, and a strided 1×1 convolution plus batch
/// norm when the block downsamples or changes the channel count ("option B"). Its tensors are
/// named as in the PyTorch module with attributes `conv1, bn1, conv2, bn2, shortcut`
/// (`shortcut` an `nn.Sequential`), e.g. `conv1.weight`, `bn2.running_var`,
/// `shortcut.0.weight`.
public final class ResidualBlock: Layer {
  /// Channels in.
  public let inChannels: Int
  /// Channels out.
  public let outChannels: Int
  /// The stride of the first convolution (2 halves the image).
  public let stride: Int
  /// The first 3×3 convolution (strided).
  public let conv1: Conv2d
  /// Normalises the first convolution.
  public let bn1: BatchNorm2d
  /// The second 3×3 convolution.
  public let conv2: Conv2d
  /// Normalises the second convolution.
  public let bn2: BatchNorm2d
  /// The projection shortcut, when shapes change.
  public let projection: (conv: Conv2d, bn: BatchNorm2d)?

  /// A block with PyTorch's default initialisation drawn from `generator`.
  public init(
    _ inChannels: Int, _ outChannels: Int, stride: Int = 1, generator: inout SeededGenerator
  ) throws {
    (self.inChannels, self.outChannels, self.stride) = (inChannels, outChannels, stride)
    conv1 = try Conv2d(
      inChannels, outChannels, kernelSize: 3, stride: stride, padding: 1, bias: false,
      generator: &generator)
    bn1 = try BatchNorm2d(outChannels)
    conv2 = try Conv2d(
      outChannels, outChannels, kernelSize: 3, padding: 1, bias: false, generator: &generator)
    bn2 = try BatchNorm2d(outChannels)
    if stride != 1 || inChannels != outChannels {
      projection = (
        try Conv2d(
          inChannels, outChannels, kernelSize: 1, stride: stride, bias: false,
          generator: &generator),
        try BatchNorm2d(outChannels)
      )
    } else {
      projection = nil
    }
  }

  private init(copying other: ResidualBlock) {
    (inChannels, outChannels, stride) = (other.inChannels, other.outChannels, other.stride)
    // The casts cannot fail: each layer's deepCopy returns its own class.
    conv1 = other.conv1.deepCopy() as? Conv2d ?? other.conv1
    bn1 = other.bn1.deepCopy() as? BatchNorm2d ?? other.bn1
    conv2 = other.conv2.deepCopy() as? Conv2d ?? other.conv2
    bn2 = other.bn2.deepCopy() as? BatchNorm2d ?? other.bn2
    projection = other.projection.map {
      ($0.conv.deepCopy() as? Conv2d ?? $0.conv, $0.bn.deepCopy() as? BatchNorm2d ?? $0.bn)
    }
  }

  /// The sub-layers with their PyTorch attribute names, in registration order.
  public var children: [(name: String, layer: Layer)] {
    var list: [(name: String, layer: Layer)] = [
      ("conv1", conv1), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2),
    ]
    if let projection {
      list += [("shortcut.0", projection.conv), ("shortcut.1", projection.bn)]
    }
    return list
  }

  /// `block`, so derived names read `block1`, `block2`.
  public var kind: String { "block" }
  /// `residual 16→32 s2`.
  public var description: String {
    "residual \(inChannels)→\(outChannels)" + (stride != 1 ? " s\(stride)" : "")
  }
  /// Every sub-layer's parameters with dotted names (`conv1.weight`, `bn1.bias`).
  public var parameters: [NamedTensor] {
    children.flatMap { child in child.layer.parameters.map { $0.prefixed(child.name) } }
  }
  /// Every batch norm's statistics with dotted names (`bn1.running_mean`).
  public var buffers: [NamedTensor] {
    children.flatMap { child in child.layer.buffers.map { $0.prefixed(child.name) } }
  }
  /// Sub-layer by sub-layer, as `state_dict` walks child modules.
  public var stateEntries: [NamedTensor] {
    children.flatMap { child in child.layer.stateEntries.map { $0.prefixed(child.name) } }
  }

  /// `conv1`, `bn1` (after its ReLU), `conv2`, `bn2`, `shortcut`.
  public var tapPoints: [String] { ["conv1", "bn1", "conv2", "bn2", "shortcut"] }

  /// Runs the two branches and adds them; sub-layer outputs can be tapped as
  /// `<block>.conv1`, `<block>.bn2`, `<block>.shortcut`.
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    var out = try conv1.forward(x, context: &context)
    context.record("conv1", out)
    out = try bn1.forward(out, context: &context).relu()
    context.record("bn1", out)
    out = try conv2.forward(out, context: &context)
    context.record("conv2", out)
    out = try bn2.forward(out, context: &context)
    context.record("bn2", out)
    var shortcut = x
    if let projection {
      shortcut = try projection.conv.forward(x, context: &context)
      shortcut = try projection.bn.forward(shortcut, context: &context)
    }
    context.record("shortcut", shortcut)
    return try (out + shortcut).relu()
  }

  /// `[in, H, W]` → `[out, ⌈H/s⌉, ⌈W/s⌉]`.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    do {
      let first = try conv1.outputShape(for: inputShape)
      return try conv2.outputShape(for: first)
    } catch let error as ModelError {
      throw ModelError(
        layer: description,
        "expects input [\(inChannels), H, W] per example but got \(formatShape(inputShape))",
        hint: error.hint)
    }
  }

  /// The three convolutions' multiply-adds.
  public func flops(for inputShape: [Int]) -> Int {
    let first = (try? conv1.outputShape(for: inputShape)) ?? []
    return conv1.flops(for: inputShape) + conv2.flops(for: first)
      + (projection?.conv.flops(for: inputShape) ?? 0)
  }

  /// An independent copy of every sub-layer.
  public func deepCopy() -> Layer { ResidualBlock(copying: self) }
}
