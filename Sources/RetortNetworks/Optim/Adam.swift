import Foundation
import RetortTensor

// MARK: - The shared Adam update

/// Hyper-parameters and per-parameter state of Adam and AdamW, which differ only in how
/// weight decay enters.
struct AdamCore {
  var beta1: Float
  var beta2: Float
  var epsilon: Float
  var weightDecay: Float
  /// true: AdamW's θ ← θ·(1 − η·λ) before the step; false: Adam's g ← g + λ·θ.
  var decoupled: Bool
  /// First and second moment estimates per parameter, created at its first step.
  var firstMoments: [Tensor?] = []
  var secondMoments: [Tensor?] = []
  /// Steps taken per parameter (a parameter without a gradient does not advance).
  var stepCounts: [Int] = []

  init(
    count: Int, betas: (Float, Float), epsilon: Float, weightDecay: Float, decoupled: Bool,
    op: String
  ) throws {
    try checkHyperparameter(epsilon, "epsilon", optimizer: op)
    try checkHyperparameter(weightDecay, "weight decay", optimizer: op)
    guard betas.0 >= 0, betas.0 < 1, betas.1 >= 0, betas.1 < 1 else {
      throw TensorError(
        op: op, "betas must lie in [0, 1), got (\(betas.0), \(betas.1))",
        hint: "the defaults are (0.9, 0.999)")
    }
    (beta1, beta2, self.epsilon, self.weightDecay) = (betas.0, betas.1, epsilon, weightDecay)
    self.decoupled = decoupled
    grow(by: count)
  }

  mutating func grow(by count: Int) {
    firstMoments += Array(repeating: nil, count: count)
    secondMoments += Array(repeating: nil, count: count)
    stepCounts += Array(repeating: 0, count: count)
  }

  var stateTensors: [Tensor] {
    zip(firstMoments, secondMoments).flatMap { [$0, $1].compactMap { $0 } }
  }

  func deepCopy() -> AdamCore {
    var copy = self
    copy.firstMoments = firstMoments.map { $0?.copy() }
    copy.secondMoments = secondMoments.map { $0?.copy() }
    return copy
  }

  /// One update, the order of operations of torch's single-tensor Adam:
  ///
  ///     m ← m + (1 − β₁)(g − m),  v ← β₂·v + (1 − β₂)·g²
  ///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
  mutating func step(_ parameters: [Tensor], learningRate lr: Float, op: String) throws {
    for (index, parameter) in parameters.enumerated() {
      guard let grad = parameter.grad else { continue }
      try checkGradient(grad, of: parameter, index: index, optimizer: op)
      let m = try firstMoments[index] ?? Tensor.zeros(parameter.shape)
      let v = try secondMoments[index] ?? Tensor.zeros(parameter.shape)
      (firstMoments[index], secondMoments[index]) = (m, v)
      stepCounts[index] += 1
      let t = Double(stepCounts[index])
      // Bias corrections in double precision, as torch computes them in Python floats.
      let stepSize = Float(Double(lr) / (1 - Foundation.pow(Double(beta1), t)))
      let correction2 = Float((1 - Foundation.pow(Double(beta2), t)).squareRoot())
      let shrink = decoupled ? 1 - lr * weightDecay : 1
      let constants = AdamConstants(
        beta1: beta1, beta2: beta2, epsilon: epsilon, stepSize: stepSize,
        correction2: correction2, shrink: shrink, l2: decoupled ? 0 : weightDecay)
      grad.scalars.withUnsafeBufferPointer { g in
        parameter.updateInPlace { p in
          m.updateInPlace { m in
            v.updateInPlace { v in
              guard let gp = g.baseAddress, let pp = p.baseAddress, let mp = m.baseAddress,
                let vp = v.baseAddress
              else { return }
              AdamCore.updateInParallel(pp, mp, vp, gp, count: p.count, constants)
            }
          }
        }
      }
    }
  }

  /// The constants of one parameter's update.
  struct AdamConstants {
    var beta1, beta2, epsilon, stepSize, correction2, shrink, l2: Float
  }

  /// Below this many elements one thread does the update: waking a second costs more
  /// than the few microseconds it would save.
  static let parallelThreshold = 1 << 16

  /// The update split into contiguous chunks, one per core, for large parameters. Each
  /// element's update reads and writes only its own index, so the chunks are independent
  /// and the result is the same bit for bit whatever the split. The update streams four
  /// buffers through memory once (a 1200×1200 weight moves 23 MB per step) and one core
  /// cannot draw all of the memory bandwidth, which is why a second one helps.
  static func updateInParallel(
    _ p: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
    _ v: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int,
    _ c: AdamConstants
  ) {
    let cores = WorkerPool.shared.threads
    guard count >= parallelThreshold, cores > 1 else {
      update(p, m, v, g, count: count, c)
      return
    }
    let chunks = Swift.min(cores, count / (parallelThreshold / 2))
    // Chunk edges on multiples of 16 floats (64 bytes) keep each chunk's vector loop whole.
    let chunkSize = (count + chunks - 1) / chunks + 15 & ~15
    WorkerPool.shared.run(iterations: chunks) { chunk in
      let start = chunk * chunkSize
      let end = Swift.min(start + chunkSize, count)
      guard start < end else { return }
      update(p + start, m + start, v + start, g + start, count: end - start, c)
    }
  }

  /// The update over raw buffers, one branch-free loop that LLVM vectorises (eight lanes
  /// with AVX2, behind its own checks that the buffers do not overlap). Without weight
  /// decay `shrink` is 1 and `l2` is 0, so θ·1 and g + 0·θ are exact no-ops.
  ///
  /// `v` is never negative (β₂·v + (1 − β₂)·d²), so √|v| = √v; the `magnitude` tells LLVM
  /// the root cannot fail. Without it, Swift on Linux lowers the root to glibc's `sqrtf`,
  /// which may set errno, and guards every lane with a compare and a possible call: no
  /// vector square roots, and an update several times slower.
  @inline(__always)
  static func update(
    _ p: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
    _ v: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int,
    _ c: AdamConstants
  ) {
    let (oneMinusB1, oneMinusB2) = (1 - c.beta1, 1 - c.beta2)
    let (beta2, shrink, l2, stepSize) = (c.beta2, c.shrink, c.l2, c.stepSize)
    let (correction2, epsilon) = (c.correction2, c.epsilon)
    let smallest = Float.leastNormalMagnitude
    for i in 0..<count {
      let theta = p[i] * shrink
      let d = g[i] + l2 * theta
      var first = m[i] + oneMinusB1 * (d - m[i])
      var second = beta2 * v[i] + oneMinusB2 * d * d
      // Moments below the smallest normal float are stored as zero. A weight whose gradient
      // has stopped (a pixel that is 0 in every image of a batch, a dead unit) has its first
      // moment shrink by β₁ a step into the subnormal range within a thousand steps, and
      // arithmetic on subnormals is slow on x86: this loop took 2.4x as long over an
      // all-subnormal first moment, and flushing cut the update's share of a Fashion-MNIST
      // epoch by a sixth. θ moves by less than 1e-38 / ε = 1e-30 for it.
      first = first.magnitude < smallest ? 0 : first
      second = second < smallest ? 0 : second
      m[i] = first
      v[i] = second
      p[i] = theta - stepSize * first / (second.magnitude.squareRoot() / correction2 + epsilon)
    }
  }
}

// MARK: - Adam and AdamW

/// How a member of the Adam family applies weight decay, with its name and default.
public protocol AdamWeightDecay {
  /// The optimizer's name in messages: `adam` or `adamw`.
  static var name: String { get }
  /// The decay λ used when none is given, as in PyTorch.
  static var defaultWeightDecay: Float { get }
  /// true: θ ← θ·(1 − η·λ) before the step (decoupled); false: g ← g + λ·θ (L2).
  static var isDecoupled: Bool { get }
}

/// L2 weight decay added to the gradient, `torch.optim.Adam`'s (default λ = 0).
public enum L2WeightDecay: AdamWeightDecay {
  public static var name: String { "adam" }
  public static var defaultWeightDecay: Float { 0 }
  public static var isDecoupled: Bool { false }
}

/// Decoupled weight decay, `torch.optim.AdamW`'s (default λ = 0.01).
public enum DecoupledWeightDecay: AdamWeightDecay {
  public static var name: String { "adamw" }
  public static var defaultWeightDecay: Float { 0.01 }
  public static var isDecoupled: Bool { true }
}

/// Adam (Kingma & Ba) with L2 weight decay added to the gradient, like `torch.optim.Adam`.
///
/// With Adam the L2 term is divided by √v like the rest of the gradient, so parameters with
/// large gradients are barely regularised; prefer `AdamW` when weight decay matters.
public typealias Adam = AdamOptimizer<L2WeightDecay>

/// Adam with decoupled weight decay (Loshchilov & Hutter), like `torch.optim.AdamW`:
/// every step first shrinks the parameters, `θ ← θ·(1 − η·λ)`, then takes the Adam step on
/// the plain gradient, so the decay is the same for every parameter whatever its gradient.
public typealias AdamW = AdamOptimizer<DecoupledWeightDecay>

/// The Adam update with the weight decay of `Decay`: use it as `Adam` or `AdamW`.
public final class AdamOptimizer<Decay: AdamWeightDecay>: Optimizer {
  /// The tensors updated.
  public private(set) var parameters: [Tensor]
  /// The step size η.
  public var learningRate: Float
  var core: AdamCore

  /// An optimizer over `parameters` with PyTorch's defaults.
  public init(
    parameters: [Tensor], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
    epsilon: Float = 1e-8, weightDecay: Float = Decay.defaultWeightDecay
  ) throws {
    try checkHyperparameter(learningRate, "the learning rate", optimizer: Decay.name)
    core = try AdamCore(
      count: parameters.count, betas: betas, epsilon: epsilon, weightDecay: weightDecay,
      decoupled: Decay.isDecoupled, op: Decay.name)
    self.parameters = parameters
    self.learningRate = learningRate
  }

  private init(parameters: [Tensor], learningRate: Float, core: AdamCore) {
    (self.parameters, self.learningRate, self.core) = (parameters, learningRate, core)
  }

  /// (β₁, β₂), the decay rates of the moment estimates.
  public var betas: (Float, Float) { (core.beta1, core.beta2) }
  /// The weight decay λ (L2 for Adam, decoupled for AdamW).
  public var weightDecay: Float { core.weightDecay }
  /// The moment estimates created so far (two per parameter that has taken a step).
  public var stateTensors: [Tensor] { core.stateTensors }
  /// Steps taken by each parameter (the t of the bias corrections), for checkpoints.
  public var stepCounts: [Int] { core.stepCounts }

  /// Adds parameters; they get their state at their first step.
  public func addParameters(_ newParameters: [Tensor]) throws {
    parameters += newParameters
    core.grow(by: newParameters.count)
  }

  /// One update of every parameter with a gradient.
  public func step() throws {
    try core.step(parameters, learningRate: learningRate, op: Decay.name)
  }

  /// A copy sharing the parameters, with its own moment estimates.
  public func copy() -> AdamOptimizer {
    AdamOptimizer(parameters: parameters, learningRate: learningRate, core: core.deepCopy())
  }

  /// A copy over `parameters` continuing from this optimizer's moment estimates.
  public func copy(parameters newParameters: [Tensor]) throws -> AdamOptimizer {
    try checkRebinding(newParameters, to: parameters, optimizer: Decay.name)
    return AdamOptimizer(
      parameters: newParameters, learningRate: learningRate, core: core.deepCopy())
  }
}
