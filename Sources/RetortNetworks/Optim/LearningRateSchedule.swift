import Foundation
import RetortTensor

/// How the learning rate changes over steps or epochs; a value giving the rate at k.
///
/// Each case matches a `torch.optim.lr_scheduler` class when that scheduler is stepped once
/// per k (k = 0 is the rate before the first `scheduler.step()`):
/// `step` is `StepLR`, `cosine` is `CosineAnnealingLR`, `warmup` is `LinearLR` followed by
/// the next schedule through `SequentialLR(milestones: [steps])`.
public indirect enum LearningRateSchedule: Equatable, Sendable, CustomStringConvertible {
  /// The base rate throughout.
  case constant
  /// `base · γ^⌊k / stepSize⌋`.
  case step(stepSize: Int, gamma: Float)
  /// `ηmin + (base − ηmin)·(1 + cos(π·k / tMax)) / 2`. Like PyTorch's, it does not stop at
  /// tMax but rises again (a cosine period of 2·tMax); choose tMax = the run's length.
  case cosine(tMax: Int, etaMin: Float)
  /// A linear ramp from `startFactor · base` up to `base` over `steps`, then `then` started
  /// afresh at k = 0. Warm-up keeps early updates small while Adam's moment estimates and
  /// the batch-norm statistics are still poor.
  case warmup(steps: Int, startFactor: Float, then: LearningRateSchedule)

  /// The learning rate at step or epoch `k` (negative k counts as 0).
  public func rate(at k: Int, base: Float) -> Float {
    let k = Swift.max(k, 0)
    switch self {
    case .constant:
      return base
    case .step(let stepSize, let gamma):
      let drops = k / Swift.max(stepSize, 1)
      return Float(Double(base) * Foundation.pow(Double(gamma), Double(drops)))
    case .cosine(let tMax, let etaMin):
      let phase = Double.pi * Double(k) / Double(Swift.max(tMax, 1))
      let span = Double(base) - Double(etaMin)
      return Float(Double(etaMin) + span * (1 + Foundation.cos(phase)) / 2)
    case .warmup(let steps, let startFactor, let next):
      guard k < steps else { return next.rate(at: k - steps, base: base) }
      let fraction = Double(k) / Double(steps)
      let factor = Double(startFactor) + (1 - Double(startFactor)) * fraction
      return Float(Double(base) * factor)
    }
  }

  /// Throws when a parameter makes the schedule meaningless.
  public func validate() throws {
    switch self {
    case .constant:
      return
    case .step(let stepSize, let gamma):
      guard stepSize > 0, gamma > 0, gamma.isFinite else {
        throw TensorError(
          op: "schedule", "step(\(stepSize), \(gamma)) needs stepSize > 0 and gamma > 0",
          hint: "for example step(stepSize: 30, gamma: 0.1)")
      }
    case .cosine(let tMax, let etaMin):
      guard tMax > 0, etaMin >= 0, etaMin.isFinite else {
        throw TensorError(
          op: "schedule", "cosine(\(tMax), \(etaMin)) needs tMax > 0 and etaMin ≥ 0",
          hint: "tMax is usually the number of epochs of the run")
      }
    case .warmup(let steps, let startFactor, let next):
      guard steps >= 0, startFactor > 0, startFactor <= 1 else {
        throw TensorError(
          op: "schedule",
          "warmup(\(steps), \(startFactor)) needs steps ≥ 0 and a start "
            + "factor in (0, 1]", hint: "for example warmup over 5 epochs from 0.1")
      }
      try next.validate()
    }
  }

  /// The schedule as written: `warmup(5, from 0.1) then cosine(T=50, min=0)`.
  public var description: String {
    switch self {
    case .constant:
      return "constant"
    case .step(let stepSize, let gamma):
      return "step(every \(stepSize), gamma=\(formatNumber(gamma)))"
    case .cosine(let tMax, let etaMin):
      return "cosine(T=\(tMax), min=\(formatNumber(etaMin)))"
    case .warmup(let steps, let startFactor, let next):
      return "warmup(\(steps), from \(formatNumber(startFactor))) then \(next)"
    }
  }
}
