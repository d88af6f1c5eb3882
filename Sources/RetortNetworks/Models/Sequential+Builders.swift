import RetortTensor

extension Sequential {
  // MARK: - Multilayer perceptron

  /// A multilayer perceptron: `linear → activation (→ dropout)` for each hidden width, then
  /// a final linear layer giving logits. `widths[0]` is the input size and `widths.last` the
  /// number of classes. When `inputShape` is an image whose size is `widths[0]`, a flatten
  /// layer comes first.
  public static func mlp(
    widths: [Int], activation: String = "relu", dropout: Float = 0, inputShape: [Int]? = nil,
    generator: inout SeededGenerator
  ) throws -> Sequential {
    guard widths.count >= 2, widths.allSatisfy({ $0 > 0 }) else {
      throw ModelError(
        "an MLP needs at least an input and an output width, all positive; got \(widths)",
        hint: "for example widths: [64, 128, 10]")
    }
    let shape = inputShape ?? [widths[0]]
    guard shape.elementCount == widths[0] else {
      throw ModelError(
        "the input \(formatShape(shape)) has \(shape.elementCount) values per example but the "
          + "first width is \(widths[0])", hint: "set widths[0] to \(shape.elementCount)")
    }
    let function = try Activation.Function(name: activation)
    var layers: [Layer] = shape.count > 1 ? [Flatten()] : []
    for index in 0..<(widths.count - 1) {
      layers.append(try Linear(widths[index], widths[index + 1], generator: &generator))
      guard index < widths.count - 2 else { break }
      layers.append(try Activation(function))
      if dropout > 0 { layers.append(try Dropout(dropout)) }
    }
    return try Sequential(inputShape: shape, layers: layers, seed: generator.next())
  }

  // MARK: - Small convolutional network

  /// A small CNN: for each entry of `channels` a `conv 3x3 (padding 1) → relu → maxpool 2x2`
  /// block, then `flatten → linear` to `classes` logits.
  public static func smallCNN(
    inputShape: [Int] = [1, 8, 8], channels: [Int] = [16, 32], classes: Int = 10,
    kernelSize: Int = 3, generator: inout SeededGenerator
  ) throws -> Sequential {
    guard inputShape.count == 3 else {
      throw ModelError(
        "a CNN needs an image input shape [C, H, W], got \(formatShape(inputShape))",
        hint: "for 8x8 grey digits use [1, 8, 8]")
    }
    guard !channels.isEmpty, classes > 0 else {
      throw ModelError(
        "a CNN needs at least one block and one class, got channels \(channels) and "
          + "\(classes) classes")
    }
    var layers: [Layer] = []
    var shape = inputShape
    for width in channels {
      let block: [Layer] = [
        try Conv2d(
          shape[0], width, kernelSize: kernelSize, padding: kernelSize / 2,
          generator: &generator),
        try Activation(.relu), try MaxPool2d(kernelSize: 2),
      ]
      for layer in block {
        do {
          shape = try layer.outputShape(for: shape)
        } catch let error as ModelError {
          throw ModelError(
            layer: error.layer,
            "\(error.message); \(channels.count) pooling blocks shrink "
              + "\(formatShape(inputShape)) too far", hint: "use fewer channel entries")
        }
      }
      layers += block
    }
    layers.append(Flatten())
    layers.append(try Linear(shape.elementCount, classes, generator: &generator))
    return try Sequential(inputShape: inputShape, layers: layers, seed: generator.next())
  }

  // MARK: - CIFAR-style ResNet

  /// The depths `resnet` builds: 6n + 2 layers with n blocks per stage.
  public static let resnetDepths = [8, 14, 20]

  /// A CIFAR-style ResNet (He et al. 2016, §4.2): a 3×3 stem convolution with batch norm
  /// and ReLU, three stages of n residual blocks with 16, 32, 64 channels (times
  /// `widthMultiplier`; the second and third stages start with stride 2), global average
  /// pooling and a linear classifier. Depth 6n + 2 counts the convolutions and the classifier.
  public static func resnet(
    depth: Int, inputShape: [Int], classes: Int, widthMultiplier: Double = 1.0,
    generator: inout SeededGenerator
  ) throws -> Sequential {
    guard resnetDepths.contains(depth) else {
      throw ModelError(
        "resnet depth \(depth) is not supported",
        hint: "valid depths are " + resnetDepths.map(String.init).joined(separator: ", "))
    }
    guard inputShape.count == 3 else {
      throw ModelError(
        "a resnet needs an image input shape [C, H, W], got \(formatShape(inputShape))",
        hint: "for 8x8 grey digits use [1, 8, 8]")
    }
    guard widthMultiplier > 0, classes > 0 else {
      throw ModelError(
        "width multiplier \(widthMultiplier) and \(classes) classes must both be positive")
    }
    let blocksPerStage = (depth - 2) / 6
    let widths = [16, 32, 64].map { Swift.max(1, Int((Double($0) * widthMultiplier).rounded())) }
    var layers: [Layer] = [
      try Conv2d(
        inputShape[0], widths[0], kernelSize: 3, padding: 1, bias: false,
        generator: &generator),
      try BatchNorm2d(widths[0]), try Activation(.relu),
    ]
    var channels = widths[0]
    for (stage, width) in widths.enumerated() {
      for block in 0..<blocksPerStage {
        let stride = stage > 0 && block == 0 ? 2 : 1
        layers.append(try ResidualBlock(channels, width, stride: stride, generator: &generator))
        channels = width
      }
    }
    layers.append(GlobalAvgPool())
    layers.append(try Linear(channels, classes, generator: &generator))
    return try Sequential(inputShape: inputShape, layers: layers, seed: generator.next())
  }
}
