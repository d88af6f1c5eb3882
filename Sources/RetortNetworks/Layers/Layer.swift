import RetortTensor

// MARK: - Named tensors

/// A parameter or buffer together with its name inside a layer (`weight`, `bn1.bias`).
public struct NamedTensor {
  /// The name in PyTorch's `state_dict` convention, relative to the layer that owns it.
  public var name: String
  /// The tensor itself (shared, not copied: writing into it changes the layer).
  public var tensor: Tensor

  /// Pairs a name with a tensor.
  public init(_ name: String, _ tensor: Tensor) {
    self.name = name
    self.tensor = tensor
  }

  /// The same tensor with `prefix.` in front of its name (for nested layers).
  public func prefixed(_ prefix: String) -> NamedTensor {
    NamedTensor(prefix.isEmpty ? name : "\(prefix).\(name)", tensor)
  }
}

// MARK: - Errors

/// An error in building or running a model: which layer, what was expected and found.
public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The layer at fault (its name in the model, or its kind), when there is one.
  public var layer: String?
  /// A sentence saying what was expected and what was found.
  public var message: String
  /// A suggestion for the likely fix, when there is one.
  public var hint: String?

  /// Creates an error about `layer`.
  public init(layer: String? = nil, _ message: String, hint: String? = nil) {
    self.layer = layer
    self.message = message
    self.hint = hint
  }

  /// `layer conv2: message (hint: ...)`.
  public var description: String {
    var text = layer.map { "layer \($0): \(message)" } ?? message
    if let hint { text += " (hint: \(hint))" }
    return text
  }
}

// MARK: - Forward context

/// What a forward pass needs besides the input: the mode, the dropout generator, and which
/// intermediate outputs to keep (taps, e.g. a teacher's hidden features for hint losses).
public struct ForwardContext {
  /// Training mode: dropout is active and batch norm uses (and updates) batch statistics.
  public var isTraining: Bool
  /// The generator dropout masks are drawn from.
  public var generator: SeededGenerator
  /// Qualified layer names whose outputs are recorded (`block2`, `block2.conv1`).
  public var tapNames: Set<String>
  /// The recorded outputs, keyed by qualified layer name.
  public var tapped: [String: Tensor] = [:]
  /// The qualified name of the container currently running (empty at the top level).
  public private(set) var scope: String = ""

  /// A context for one forward pass.
  public init(isTraining: Bool, generator: SeededGenerator, tapNames: Set<String> = []) {
    self.isTraining = isTraining
    self.generator = generator
    self.tapNames = tapNames
  }

  /// The qualified name of the child `name` in the current scope.
  public func qualified(_ name: String) -> String {
    scope.isEmpty ? name : "\(scope).\(name)"
  }

  /// Keeps `output` when the child `name` of the current scope was asked for.
  public mutating func record(_ name: String, _ output: Tensor) {
    guard !tapNames.isEmpty else { return }
    let key = qualified(name)
    if tapNames.contains(key) { tapped[key] = output }
  }

  /// Runs `body` with `name` pushed onto the scope, so nested layers tap as `name.child`.
  public mutating func within<R>(_ name: String, _ body: (inout ForwardContext) throws -> R)
    rethrows -> R
  {
    let saved = scope
    scope = qualified(name)
    defer { scope = saved }
    return try body(&self)
  }
}

// MARK: - The layer protocol

/// One stage of a network. Layers are reference types: a model holds its layers, and an
/// optimizer holds the very parameter tensors the layers compute with.
///
/// Shapes given to `outputShape(for:)` and `flops(for:)` are per example, without the batch
/// axis (`[64]`, `[1, 8, 8]`); `forward` takes and returns batches `[N, ...]`.
public protocol Layer: AnyObject {
  /// A short lower-case word for the layer type (`linear`, `conv`, `relu`), also the stem
  /// of derived names (`linear1`, `conv2`).
  var kind: String { get }
  /// A one-line summary (`linear 64→32`, `conv 1→16 3x3 p1`).
  var description: String { get }
  /// The trainable tensors (requiresGrad = true) in PyTorch `named_parameters` order.
  var parameters: [NamedTensor] { get }
  /// The non-trainable state (batch norm running statistics) in PyTorch order.
  var buffers: [NamedTensor] { get }
  /// Parameters and buffers interleaved in PyTorch `state_dict` order.
  var stateEntries: [NamedTensor] { get }
  /// Applies the layer to a batch.
  func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor
  /// The per-example output shape for a per-example input shape; throws naming both.
  func outputShape(for inputShape: [Int]) throws -> [Int]
  /// Floating-point operations per example (2 per multiply-add of linear and conv layers).
  func flops(for inputShape: [Int]) -> Int
  /// Names of inner outputs that can be tapped, relative to this layer (`conv1`).
  var tapPoints: [String] { get }
  /// An independent copy with equal values.
  func deepCopy() -> Layer
}

extension Layer {
  /// No buffers unless the layer says otherwise.
  public var buffers: [NamedTensor] { [] }
  /// A leaf layer's parameters followed by its buffers, as `state_dict` lists them.
  public var stateEntries: [NamedTensor] { parameters + buffers }
  /// A leaf layer has no inner outputs to tap.
  public var tapPoints: [String] { [] }
  /// Only multiply-adds are counted, so shape-only and element-wise layers cost nothing.
  public func flops(for inputShape: [Int]) -> Int { 0 }
  /// The number of trainable scalars.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.tensor.count } }
  /// Applies the layer outside of any model (evaluation mode, a fixed generator).
  public func callAsFunction(_ x: Tensor, training: Bool = false) throws -> Tensor {
    var context = ForwardContext(isTraining: training, generator: SeededGenerator(seed: 0))
    return try forward(x, context: &context)
  }
}

// MARK: - Shared helpers

/// Throws unless `shape` has `rank` axes, naming the layer and what it expects.
func requireExampleRank(
  _ shape: [Int], _ rank: Int, layer: String, expected: String, hint: String? = nil
) throws {
  guard shape.count == rank else {
    throw ModelError(
      layer: layer,
      "expects input \(expected) per example but got \(formatShape(shape))", hint: hint)
  }
}

/// Default initialisation of PyTorch's Linear and Conv2d: kaiming_uniform_(a = √5) on the
/// weight gives U(−1/√fan_in, 1/√fan_in), since gain = √(2/(1+a²)) = √(1/3) and the bound
/// is gain·√(3/fan_in); the bias uses the same bound.
func fanInUniformParameter(
  _ shape: [Int], fanIn: Int, generator: inout SeededGenerator
) throws -> Tensor {
  let bound = fanIn > 0 ? 1 / Float(fanIn).squareRoot() : 0
  let tensor = try Tensor.randomUniform(shape, low: -bound, high: bound, generator: &generator)
  tensor.requiresGrad = true
  return tensor
}

/// A trainable tensor filled with `value` (batch norm and layer norm affine terms).
func constantParameter(_ shape: [Int], _ value: Float) throws -> Tensor {
  let tensor = try Tensor.full(shape, value: value)
  tensor.requiresGrad = true
  return tensor
}
