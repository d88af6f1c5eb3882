import RetortTensor

/// A network of named layers applied in order, with a declared per-example input shape.
///
/// Shapes are inferred when the model is made, so a layer that does not fit is reported at
/// once with its name. Tensor names in checkpoints follow PyTorch's `nn.Sequential`
/// (`0.weight`, `3.running_var`), so weights trained there load here.
public final class Sequential {
  /// The shape of one example, e.g. `[64]` or `[1, 8, 8]`.
  public let inputShape: [Int]
  /// The layers in order.
  public let layers: [Layer]
  /// The unique name of each layer (`linear1`, `relu1`, or given).
  public let layerNames: [String]
  /// The per-example output shape of each layer.
  public let outputShapes: [[Int]]
  /// Training mode (dropout active, batch norm on batch statistics), as PyTorch starts.
  public var isTraining = true
  /// The generator dropout masks are drawn from.
  public var generator: SeededGenerator
  /// Every epoch this model was trained for, across `train` and `distill` runs.
  public var history = History()

  /// A model of `layers`; `names[i]` (when given and not nil) names layer `i`, the others
  /// are named after their kind and position (`linear1`, `relu1`, `linear2`).
  /// Dropout draws from a generator seeded by `seed`, or from the global one.
  public init(
    inputShape: [Int], layers: [Layer], names: [String?]? = nil, seed: UInt64? = nil
  ) throws {
    guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
      throw ModelError(
        "the input shape per example must have positive extents, got "
          + formatShape(inputShape), hint: "for example [64] or [1, 8, 8]")
    }
    guard !layers.isEmpty else {
      throw ModelError("a model needs at least one layer")
    }
    if let names, names.count != layers.count {
      throw ModelError(
        "\(names.count) names were given for \(layers.count) layers",
        hint: "give one name per layer, or nil to derive it")
    }
    self.inputShape = inputShape
    self.layers = layers
    layerNames = try ModelNaming.resolve(
      given: names ?? Array(repeating: nil, count: layers.count), kinds: layers.map(\.kind))
    var shapes: [[Int]] = []
    var shape = inputShape
    for (name, layer) in zip(layerNames, layers) {
      do {
        shape = try layer.outputShape(for: shape)
      } catch let error as ModelError {
        throw ModelError(
          layer: "\(name) (\(layer.description))", error.message, hint: error.hint)
      }
      shapes.append(shape)
    }
    outputShapes = shapes
    generator = SeededGenerator(seed: seed ?? SeededGenerator.nextGlobalSeed())
    nameTensors()
  }

  /// A model of `(name, layer)` pairs.
  public convenience init(
    inputShape: [Int], namedLayers: [(String, Layer)], seed: UInt64? = nil
  ) throws {
    try self.init(
      inputShape: inputShape, layers: namedLayers.map(\.1), names: namedLayers.map(\.0),
      seed: seed)
  }

  /// Gives every parameter and buffer its qualified name, for error messages.
  private func nameTensors() {
    for (name, layer) in zip(layerNames, layers) {
      for entry in layer.stateEntries { entry.tensor.name = "\(name).\(entry.name)" }
    }
  }

  /// The per-example shape of the output, e.g. `[10]`.
  public var outputShape: [Int] { outputShapes.last ?? inputShape }

  // MARK: - Modes

  /// Switches to training mode.
  public func train() { isTraining = true }
  /// Switches to evaluation mode (dropout off, batch norm on running statistics).
  public func eval() { isTraining = false }

  // MARK: - Forward

  /// Applies the model to a batch `[N, ...inputShape]`.
  public func forward(_ x: Tensor) throws -> Tensor {
    try forward(x, tapping: []).output
  }

  /// Applies the model to a batch `[N, ...inputShape]`.
  public func callAsFunction(_ x: Tensor) throws -> Tensor { try forward(x) }

  /// Applies the model and keeps the outputs of the layers named in `tapping` (top-level
  /// names like `block2`, or inner ones like `block2.conv1`).
  public func forward(
    _ x: Tensor, tapping: [String]
  ) throws -> (output: Tensor, taps: [String: Tensor]) {
    let known = Set(tapNames)
    for name in tapping where !known.contains(name) {
      throw ModelError(
        "there is no layer named '\(name)' to tap",
        hint: ModelNaming.hint(for: name, among: tapNames))
    }
    var context = ForwardContext(
      isTraining: isTraining, generator: generator, tapNames: Set(tapping))
    let output = try forward(x, context: &context)
    generator = context.generator
    return (output, context.tapped)
  }

  /// Applies the model with an explicit context (mode, generator and taps).
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    try checkInput(x)
    var current = x
    for (name, layer) in zip(layerNames, layers) {
      do {
        current = try context.within(name) { try layer.forward(current, context: &$0) }
      } catch let error as TensorError {
        throw ModelError(
          layer: "\(name) (\(layer.description))", "\(error.op): \(error.message)",
          hint: error.hint)
      } catch let error as ModelError where error.layer == layer.description {
        // Say which layer of this model failed, not only what kind of layer it is.
        throw ModelError(
          layer: "\(name) (\(layer.description))", error.message, hint: error.hint)
      }
      context.record(name, current)
    }
    return current
  }

  /// Throws unless `x` is a batch of examples of the declared input shape.
  private func checkInput(_ x: Tensor) throws {
    guard x.rank != inputShape.count + 1 || Array(x.shape.dropFirst()) != inputShape else {
      return
    }
    let expected = formatParts(["N"] + inputShape.map(String.init))
    let got = formatParts(x.rank > 0 ? ["N"] + x.shape.dropFirst().map(String.init) : [])
    let hint: String
    if x.shape == inputShape {
      hint = "add a batch axis: reshape to \(formatShape([1] + inputShape))"
    } else if x.rank >= 1, Array(x.shape.dropFirst()).elementCount == inputShape.elementCount {
      hint =
        inputShape.count == 1
        ? "flatten each example: reshape to [N, \(inputShape[0])]"
        : "reshape each example to \(formatShape(inputShape))"
    } else {
      hint = "the data and the model disagree; check the dataset's feature shape"
    }
    throw ModelError(
      "model expects \(expected) but got \(got) (shape \(formatShape(x.shape)))", hint: hint)
  }

  private func formatParts(_ parts: [String]) -> String {
    "[" + parts.joined(separator: ", ") + "]"
  }

  // MARK: - Lookup

  /// Every name `forward(_:tapping:)` accepts: layer names and inner tap points.
  public var tapNames: [String] {
    zip(layerNames, layers).flatMap { name, layer in
      [name] + layer.tapPoints.map { "\(name).\($0)" }
    }
  }

  /// The position of the layer called `name`.
  public func index(of name: String) -> Int? { layerNames.firstIndex(of: name) }

  /// The layer called `name`; throws suggesting close names when there is none.
  public func layer(named name: String) throws -> Layer {
    guard let index = index(of: name) else {
      throw ModelError(
        "there is no layer named '\(name)'",
        hint: ModelNaming.hint(for: name, among: layerNames))
    }
    return layers[index]
  }

  // MARK: - Parameters and sizes

  /// Every parameter with its qualified name (`linear1.weight`, `block2.bn1.bias`).
  public var namedParameters: [NamedTensor] {
    zip(layerNames, layers).flatMap { name, layer in layer.parameters.map { $0.prefixed(name) } }
  }

  /// The parameter tensors, for an optimizer.
  public var parameters: [Tensor] { namedParameters.map(\.tensor) }

  /// Every buffer with its qualified name (`batchnorm1.running_mean`).
  public var namedBuffers: [NamedTensor] {
    zip(layerNames, layers).flatMap { name, layer in layer.buffers.map { $0.prefixed(name) } }
  }

  /// Parameters and buffers named as PyTorch's `nn.Sequential.state_dict()` names them:
  /// by layer index (`0.weight`, `2.running_mean`, `3.conv1.weight`).
  public func stateDict() -> [NamedTensor] {
    layers.enumerated().flatMap { index, layer in
      layer.stateEntries.map { $0.prefixed(String(index)) }
    }
  }

  /// The number of parameter scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// The number of parameter scalars that will be trained (requiresGrad).
  public var trainableParameterCount: Int {
    parameters.filter(\.requiresGrad).reduce(0) { $0 + $1.count }
  }

  /// The number of buffer scalars (batch norm statistics).
  public var bufferCount: Int { namedBuffers.reduce(0) { $0 + $1.tensor.count } }

  /// The bytes the parameters take as float32.
  public var parameterBytes: Int { parameterCount * MemoryLayout<Float>.size }

  /// Floating-point operations for one example: two per multiply-add of every linear and
  /// convolution layer (element-wise work is not counted).
  public var flopsPerExample: Int {
    var shape = inputShape
    var total = 0
    for (layer, output) in zip(layers, outputShapes) {
      total += layer.flops(for: shape)
      shape = output
    }
    return total
  }

  // MARK: - Copies

  /// An independent model with equal weights, statistics, mode and generator state.
  public func deepCopy() -> Sequential {
    Sequential(copying: self)
  }

  private init(copying other: Sequential) {
    inputShape = other.inputShape
    layers = other.layers.map { $0.deepCopy() }
    layerNames = other.layerNames
    outputShapes = other.outputShapes
    isTraining = other.isTraining
    generator = other.generator
    history = other.history.copy()
    nameTensors()
  }
}
