import Foundation
import RetortTensor

/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight
/// decay, step for step like `torch.optim.SGD`:
///
///     g ← ∇ + λ·θ                        (weight decay, added to the gradient)
///     b ← g on the first step, else μ·b + (1 − τ)·g     (momentum buffer, dampening τ)
///     g ← g + μ·b if Nesterov, else b
///     θ ← θ − η·g
public final class SGD: Optimizer {
  /// The tensors updated.
  public private(set) var parameters: [Tensor]
  /// The step size η.
  public var learningRate: Float
  /// The momentum μ (0: plain SGD).
  public let momentum: Float
  /// The dampening τ of the momentum update (PyTorch's default 0).
  public let dampening: Float
  /// Whether to use Nesterov's look-ahead form of momentum.
  public let nesterov: Bool
  /// The L2 penalty λ added to the gradient.
  public let weightDecay: Float
  /// One momentum buffer per parameter, created at its first step.
  private var momentumBuffers: [Tensor?]

  /// An optimizer over `parameters`; throws on negative hyper-parameters, or on Nesterov
  /// without momentum (which PyTorch rejects too).
  public init(
    parameters: [Tensor], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
    nesterov: Bool = false, weightDecay: Float = 0
  ) throws {
    try checkHyperparameter(learningRate, "the learning rate", optimizer: "sgd")
    try checkHyperparameter(momentum, "momentum", optimizer: "sgd")
    try checkHyperparameter(dampening, "dampening", optimizer: "sgd")
    try checkHyperparameter(weightDecay, "weight decay", optimizer: "sgd")
    guard !nesterov || (momentum > 0 && dampening == 0) else {
      throw TensorError(
        op: "sgd",
        "Nesterov momentum needs momentum > 0 and dampening 0, got momentum "
          + "\(momentum) and dampening \(dampening)", hint: "momentum 0.9 is a common choice")
    }
    self.parameters = parameters
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.nesterov = nesterov
    self.weightDecay = weightDecay
    self.momentumBuffers = Array(repeating: nil, count: parameters.count)
  }

  /// The momentum buffers created so far.
  public var stateTensors: [Tensor] { momentumBuffers.compactMap { $0 } }

  /// Adds parameters; they get their state at their first step.
  public func addParameters(_ newParameters: [Tensor]) throws {
    parameters += newParameters
    momentumBuffers += Array(repeating: nil, count: newParameters.count)
  }

  /// One update of every parameter with a gradient.
  public func step() throws {
    let (lr, mu, decay, keep) = (learningRate, momentum, weightDecay, 1 - dampening)
    for (index, parameter) in parameters.enumerated() {
      guard let grad = parameter.grad else { continue }
      try checkGradient(grad, of: parameter, index: index, optimizer: "sgd")
      if mu == 0 {
        grad.scalars.withUnsafeBufferPointer { g in
          parameter.updateInPlace { p in
            for i in 0..<p.count { p[i] -= lr * (g[i] + decay * p[i]) }
          }
        }
        continue
      }
      let isFirstStep = momentumBuffers[index] == nil
      let buffer = try momentumBuffers[index] ?? Tensor.zeros(parameter.shape)
      momentumBuffers[index] = buffer
      let nesterov = self.nesterov
      grad.scalars.withUnsafeBufferPointer { g in
        parameter.updateInPlace { p in
          buffer.updateInPlace { b in
            for i in 0..<p.count {
              let d = g[i] + decay * p[i]
              b[i] = isFirstStep ? d : mu * b[i] + keep * d
              p[i] -= lr * (nesterov ? d + mu * b[i] : b[i])
            }
          }
        }
      }
    }
  }

  /// A copy sharing the parameters, with its own momentum buffers.
  public func copy() -> SGD { SGD(copying: self, parameters: parameters) }

  /// A copy over `parameters` continuing from this optimizer's momentum.
  public func copy(parameters newParameters: [Tensor]) throws -> SGD {
    try checkRebinding(newParameters, to: parameters, optimizer: "sgd")
    return SGD(copying: self, parameters: newParameters)
  }

  /// The same hyper-parameters and a deep copy of the state, over `parameters`.
  private init(copying other: SGD, parameters: [Tensor]) {
    self.parameters = parameters
    learningRate = other.learningRate
    momentum = other.momentum
    dampening = other.dampening
    nesterov = other.nesterov
    weightDecay = other.weightDecay
    momentumBuffers = other.momentumBuffers.map { $0?.copy() }
  }
}
