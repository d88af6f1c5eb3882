import RetortTensor

/// An element-wise activation (or a softmax over classes) as a layer of its own.
public final class Activation: Layer {
  /// The activation functions the engine provides.
  public enum Function: Equatable, Sendable {
    /// max(0, x).
    case relu
    /// x for x > 0, slope·x otherwise (PyTorch's default slope is 0.01).
    case leakyRelu(slope: Float)
    /// x·Φ(x), the exact form.
    case gelu
    /// The hyperbolic tangent.
    case tanh
    /// 1 / (1 + e^(−x)).
    case sigmoid
    /// softmax(x / T) along axis 1 (classes), T the temperature.
    case softmax(temperature: Float)

    /// The name a user writes (`relu`, `leaky_relu`, `softmax`).
    public var name: String {
      switch self {
      case .relu: "relu"
      case .leakyRelu: "leaky_relu"
      case .gelu: "gelu"
      case .tanh: "tanh"
      case .sigmoid: "sigmoid"
      case .softmax: "softmax"
      }
    }

    /// Every activation name `init(name:)` accepts.
    public static let names = ["relu", "leaky_relu", "gelu", "tanh", "sigmoid", "softmax"]

    /// Looks an activation up by the name a user writes, with PyTorch's defaults
    /// (slope 0.01, temperature 1); throws listing the valid names.
    public init(name: String) throws {
      switch name.lowercased() {
      case "relu": self = .relu
      case "leaky_relu", "leakyrelu": self = .leakyRelu(slope: 0.01)
      case "gelu": self = .gelu
      case "tanh": self = .tanh
      case "sigmoid": self = .sigmoid
      case "softmax": self = .softmax(temperature: 1)
      default:
        throw ModelError(
          layer: name, "is not an activation",
          hint: "use one of " + Function.names.joined(separator: ", "))
      }
    }
  }

  /// The function applied.
  public let function: Function

  /// A layer applying `function`; throws on a non-positive softmax temperature.
  public init(_ function: Function) throws {
    if case .softmax(let temperature) = function, !(temperature > 0) {
      throw ModelError(
        layer: "softmax", "temperature must be positive, got \(temperature)",
        hint: "T = 1 is the plain softmax; T > 1 gives softer probabilities")
    }
    self.function = function
  }

  /// A layer for the activation a user named (`relu`, `gelu`, ...).
  public convenience init(named name: String) throws {
    try self.init(Function(name: name))
  }

  /// The function's name, e.g. `relu`.
  public var kind: String { function.name }
  /// `relu`, `leaky_relu 0.01`, `softmax T=2.0`.
  public var description: String {
    switch function {
    case .leakyRelu(let slope): "leaky_relu \(slope)"
    case .softmax(let temperature): temperature == 1 ? "softmax" : "softmax T=\(temperature)"
    default: function.name
    }
  }
  /// None.
  public var parameters: [NamedTensor] { [] }

  /// Applies the function element-wise (softmax along axis 1).
  public func forward(_ x: Tensor, context: inout ForwardContext) throws -> Tensor {
    switch function {
    case .relu: return x.relu()
    case .leakyRelu(let slope): return x.leakyRelu(slope: slope)
    case .gelu: return x.gelu()
    case .tanh: return x.tanh()
    case .sigmoid: return x.sigmoid()
    case .softmax(let temperature):
      guard x.rank >= 2 else {
        throw ModelError(
          layer: description, "expects a batch [N, classes, ...] but got \(formatShape(x.shape))")
      }
      return try x.softmax(alongAxis: 1, temperature: temperature)
    }
  }

  /// The input shape.
  public func outputShape(for inputShape: [Int]) throws -> [Int] {
    if case .softmax = function, inputShape.isEmpty {
      throw ModelError(
        layer: description, "needs a class axis but the input per example is a scalar")
    }
    return inputShape
  }

  /// A layer with the same function.
  public func deepCopy() -> Layer {
    // The function was validated when this layer was made.
    (try? Activation(function)) ?? self
  }
}
