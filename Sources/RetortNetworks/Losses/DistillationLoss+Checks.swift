import Foundation
import RetortTensor

// MARK: - What a loss needs

/// What evaluating a `DistillationLoss` requires from the training loop.
public struct LossRequirements: Equatable, Sendable {
  /// Teacher layers whose outputs must be tapped, in first-use order.
  public var teacherLayers: [String]
  /// Student layers whose outputs must be tapped, in first-use order.
  public var studentLayers: [String]
  /// Whether hard labels are read.
  public var needsLabels: Bool
  /// Whether teacher logits are read (a teacher forward pass is needed).
  public var needsTeacherLogits: Bool
  /// Whether the logits of several teachers are read (a multi-teacher term).
  public var needsSeveralTeachers: Bool
}

extension DistillationLoss {
  /// The taps, labels and teacher outputs this loss reads.
  public var requirements: LossRequirements {
    var result = LossRequirements(
      teacherLayers: [], studentLayers: [], needsLabels: false, needsTeacherLogits: false,
      needsSeveralTeachers: false)
    for weighted in terms {
      let term = weighted.term
      if let layers = term.layers {
        if !result.teacherLayers.contains(layers.teacher) {
          result.teacherLayers.append(layers.teacher)
        }
        if !result.studentLayers.contains(layers.student) {
          result.studentLayers.append(layers.student)
        }
      }
      result.needsLabels = result.needsLabels || term.needsLabels
      result.needsTeacherLogits = result.needsTeacherLogits || term.needsTeacherLogits
      if case .multiTeacherKD = term { result.needsSeveralTeachers = true }
    }
    return result
  }

  // MARK: Validation

  /// Throws when the loss cannot be evaluated at all: no terms, a weight that is not a
  /// finite number, a temperature ≤ 0, label smoothing outside [0, 1] or bad teacher weights.
  public func validate() throws {
    guard !terms.isEmpty else {
      throw TensorError(
        op: "loss", "the loss has no terms", hint: "for example 0.3*ce + 0.7*kd(T=4)")
    }
    for weighted in terms {
      let term = weighted.term
      guard weighted.weight.isFinite else {
        throw TensorError(op: "loss", "the weight of \(term.name) is \(weighted.weight)")
      }
      if let t = term.temperature, !(t > 0 && t.isFinite) {
        throw TensorError(
          op: "loss", "\(term.name): the temperature must be positive, got \(formatNumber(t))",
          hint: "T = 1 is the plain softmax; distillation usually uses T between 2 and 8")
      }
      switch term {
      case .crossEntropy(let smoothing) where !(smoothing >= 0 && smoothing <= 1):
        throw TensorError(
          op: "loss", "\(term.name): label smoothing must lie in [0, 1]",
          hint: "0.1 is a common choice")
      case .dkd(let alpha, let beta, _) where !(alpha.isFinite && beta.isFinite):
        throw TensorError(op: "loss", "\(term.name): alpha and beta must be finite numbers")
      case .multiTeacherKD(_, let weights?)
      where weights.isEmpty || weights.contains(where: { !($0 >= 0 && $0.isFinite) })
        || weights.reduce(0, +) <= 0:
        throw TensorError(
          op: "loss", "\(term.name): teacher weights must be non-negative with a positive sum",
          hint: "weights are relative: [1, 2] trusts the second teacher twice as much")
      default:
        break
      }
    }
  }

  /// Things that are legal but probably not meant, as sentences for the user.
  public var warnings: [String] {
    var notes: [String] = []
    for weighted in terms {
      let name = weighted.term.name
      if weighted.weight == 0 {
        notes.append("\(name) has weight 0 and does not affect training")
      } else if weighted.weight < 0 {
        notes.append(
          "\(name) has a negative weight (\(formatNumber(weighted.weight))): training will "
            + "push that loss up, not down")
      }
      if let t = weighted.term.temperature, t > 0, t < 1 {
        notes.append(
          "\(name): a temperature below 1 sharpens the teacher's distribution; "
            + "distillation usually softens it with T between 2 and 8")
      }
    }
    let total = terms.reduce(Float(0)) { $0 + $1.weight }
    if total > 1.5 {
      var note =
        "the weights sum to \(formatNumber(total)), far more than 1: the effective learning "
        + "rate grows with it; a convex mix such as 0.3*ce + 0.7*kd(T=4) keeps it comparable"
      if terms.contains(where: { $0.term.isFeatureTerm }) {
        note +=
          " (feature terms such as hint or at often need large weights, so this may "
          + "be intended)"
      }
      notes.append(note)
    }
    return notes
  }
}
