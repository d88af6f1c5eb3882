import Foundation
import RetortTensor

/// Namespace for the loss functions: plain supervised losses and the distillation losses.
///
/// Every loss takes tensors and returns a scalar tensor on the autograd tape. Teacher inputs
/// (teacher logits and teacher features) are always treated as constants: no gradient ever
/// flows back into a teacher.
public enum Losses {}

// MARK: - Fused soft-target cross-entropy

extension Losses {
  /// `scale · Σₙ Σ_c [q·log q − q·log softmax(s/T)]` with its closed-form gradient.
  ///
  /// Cross-entropy with hard or smoothed labels, Hinton's KD and multi-teacher KD are all
  /// this one expression for different target distributions `q` (rows of `targets`, which
  /// are constants). With `includeTargetEntropy` the `q·log q` term turns the cross-entropy
  /// into KL(q ‖ p); it does not depend on the student, so only the value changes. Fusing
  /// pays: one pass over `[N, C]` instead of five recorded ops, and the gradient is simply
  ///   ∂L/∂s = scale · (p · Σ_c q − q) / T,   p = softmax(s/T).
  static func softTargetLoss(
    _ name: String, logits: Tensor, targets: [Float], temperature: Float, scale: Float,
    includeTargetEntropy: Bool
  ) throws -> Tensor {
    guard logits.rank == 2 else {
      throw TensorError(
        op: name, "expected student logits [N, C], got \(formatShape(logits.shape))",
        hint: "flatten the model output to one row of class scores per example")
    }
    guard targets.count == logits.count else {
      throw TensorError(
        op: name,
        "expected \(logits.count) target probabilities for logits "
          + "\(formatShape(logits.shape)), got \(targets.count)")
    }
    try checkTemperature(temperature, op: name)
    let (rows, classes) = (logits.shape[0], logits.shape[1])
    var probabilities = [Float](repeating: 0, count: logits.count)
    var total: Double = 0
    logits.scalars.withUnsafeBufferPointer { s in
      probabilities.withUnsafeMutableBufferPointer { p in
        for row in 0..<rows {
          let base = row * classes
          // log softmax(z) = z − max − log Σ exp(z − max), z = s / T
          var peak = -Float.infinity
          for c in 0..<classes { peak = Swift.max(peak, s[base + c] / temperature) }
          if !peak.isFinite { peak = 0 }
          var sum: Float = 0
          for c in 0..<classes {
            let e = Foundation.expf(s[base + c] / temperature - peak)
            p[base + c] = e
            sum += e
          }
          let logSum = Foundation.logf(sum)
          var rowLoss: Double = 0
          for c in 0..<classes {
            p[base + c] /= sum
            let q = targets[base + c]
            guard q != 0 else { continue }  // xlogy: 0·log 0 = 0, as torch's kl_div
            let logP = s[base + c] / temperature - peak - logSum
            rowLoss -= Double(q) * Double(logP)
            if includeTargetEntropy { rowLoss += Double(q) * Double(Foundation.logf(q)) }
          }
          total += rowLoss
        }
      }
    }
    let value = Float(total) * scale
    return try Tensor.customOp(name, inputs: [logits], shape: [], scalars: [value]) { g in
      let factor = g.scalars[0] * scale / temperature
      var dx = [Float](repeating: 0, count: probabilities.count)
      for row in 0..<rows {
        let base = row * classes
        var mass: Float = 0
        for c in 0..<classes { mass += targets[base + c] }
        for c in 0..<classes {
          dx[base + c] = factor * (probabilities[base + c] * mass - targets[base + c])
        }
      }
      return [try Tensor(shape: logits.shape, scalars: dx)]
    }
  }

  /// softmax(x / T) of constant (teacher) logits as plain numbers, row by row.
  static func softTargets(_ logits: Tensor, temperature: Float, op: String) throws -> [Float] {
    guard logits.rank == 2 else {
      throw TensorError(
        op: op, "expected teacher logits [N, C], got \(formatShape(logits.shape))")
    }
    return try Tensor.withoutGradients {
      try logits.detached().softmax(alongAxis: 1, temperature: temperature).scalars
    }
  }

  /// Throws unless `temperature` is a finite positive number.
  static func checkTemperature(_ temperature: Float, op: String) throws {
    guard temperature > 0, temperature.isFinite else {
      throw TensorError(
        op: op, "temperature must be a positive number, got \(temperature)",
        hint: "T = 1 is the plain softmax; distillation usually uses T between 2 and 8")
    }
  }

  /// Throws unless `student` and `teacher` have the same shape.
  static func checkSameShape(
    _ student: Tensor, _ teacher: Tensor, op: String, what: String = "logits"
  ) throws {
    guard student.shape == teacher.shape else {
      throw TensorError(
        op: op,
        "student \(what) \(formatShape(student.shape)) and teacher \(what) "
          + "\(formatShape(teacher.shape)) differ",
        hint: what == "logits"
          ? "teacher and student must predict the same classes for the same batch"
          : "pick layers of the same shape, or use a hint regressor")
    }
  }

  /// Throws unless there is one label per row of `logits`, each a valid class index.
  static func checkLabels(_ labels: [Int], for logits: Tensor, op: String) throws {
    guard logits.rank == 2, labels.count == logits.shape[0] else {
      throw TensorError(
        op: op,
        "expected one label per row of logits \(formatShape(logits.shape)), got "
          + "\(labels.count) labels")
    }
    let classes = logits.shape[1]
    for label in labels where label < 0 || label >= classes {
      throw TensorError(
        op: op, "label \(label) is outside the \(classes) classes 0..<\(classes)",
        hint: "the model's output width must exceed the largest label")
    }
  }
}
