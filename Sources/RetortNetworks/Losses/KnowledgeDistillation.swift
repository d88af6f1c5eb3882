import Foundation
import RetortTensor

/// How a KL divergence summed over `[N, C]` entries is reduced to one number.
public enum KLReduction: String, Sendable, CaseIterable {
  /// Divide by the batch size N: the true mean KL per example (torch's `'batchmean'`).
  case batchMean
  /// Divide by N·C, the number of entries (torch's `'mean'`): the KL shrinks by a factor
  /// of C, which silently rescales the soft term whenever the number of classes changes.
  case mean
  /// No division.
  case sum

  /// The divisor for `rows` examples of `classes` classes.
  func divisor(rows: Int, classes: Int) -> Float {
    switch self {
    case .batchMean: return Float(rows)
    case .mean: return Float(rows * classes)
    case .sum: return 1
    }
  }
}

// MARK: - Hinton knowledge distillation

extension Losses {
  /// Hinton et al.'s distillation loss: `KL(softmax(t/T) ‖ softmax(s/T)) · T²`, averaged
  /// over the batch.
  ///
  /// Torch equivalent:
  /// `F.kl_div(F.log_softmax(s/T, 1), F.softmax(t/T, 1), reduction='batchmean') * T * T`.
  ///
  /// Why the defaults:
  /// - **T²**: the gradient of the soft term with respect to a logit is
  ///   `(p_s − p_t) / T`, and for large T the differences `p_s − p_t` themselves shrink
  ///   like `1/T`, so the gradient falls as `1/T²`. Multiplying by T² keeps the soft term's
  ///   push comparable to the hard-label term whatever T is, so the mixing weight means the
  ///   same thing at T = 2 and T = 8.
  /// - **batch mean**: KL is a sum over classes, averaged over examples. Torch's
  ///   `reduction='mean'` averages over all N·C entries, dividing by C as well; many
  ///   published implementations use it and end up with a soft term C times too small
  ///   (100× on CIFAR-100), which their tuned weights then silently compensate.
  ///
  /// Set `scaleByTemperatureSquared: false` or `reduction: .mean` to reproduce those
  /// variants for comparison. The teacher is a constant: no gradient reaches it.
  public static func kd(
    studentLogits: Tensor, teacherLogits: Tensor, temperature: Float,
    scaleByTemperatureSquared: Bool = true, reduction: KLReduction = .batchMean
  ) throws -> Tensor {
    try checkTemperature(temperature, op: "kd")
    try checkSameShape(studentLogits, teacherLogits, op: "kd")
    let softTargets = try softTargets(teacherLogits, temperature: temperature, op: "kd")
    return try softKL(
      "kd", studentLogits: studentLogits, softTargets: softTargets, temperature: temperature,
      scaleByTemperatureSquared: scaleByTemperatureSquared, reduction: reduction)
  }

  /// Distillation from several teachers at once: the soft targets are the weighted average
  /// of the teachers' tempered softmaxes, `q = Σᵢ wᵢ·softmax(tᵢ/T)` with `Σ wᵢ = 1`, and the
  /// loss is `KL(q ‖ softmax(s/T)) · T²`, batch mean.
  ///
  /// `weights` (one per teacher, not negative) are normalised to sum to 1; nil means equal
  /// weights. Averaging probabilities rather than logits keeps each teacher's confidence.
  public static func multiTeacherKD(
    studentLogits: Tensor, teacherLogits: [Tensor], temperature: Float,
    weights: [Float]? = nil, scaleByTemperatureSquared: Bool = true,
    reduction: KLReduction = .batchMean
  ) throws -> Tensor {
    let op = "multi_teacher_kd"
    try checkTemperature(temperature, op: op)
    guard !teacherLogits.isEmpty else {
      throw TensorError(op: op, "needs at least one teacher's logits, got none")
    }
    let raw = weights ?? [Float](repeating: 1, count: teacherLogits.count)
    guard raw.count == teacherLogits.count else {
      throw TensorError(
        op: op, "expected one weight per teacher (\(teacherLogits.count)), got \(raw.count)")
    }
    let totalWeight = raw.reduce(0, +)
    guard raw.allSatisfy({ $0 >= 0 && $0.isFinite }), totalWeight > 0 else {
      throw TensorError(
        op: op, "teacher weights must be non-negative with a positive sum, got \(raw)",
        hint: "weights are relative: [1, 2] trusts the second teacher twice as much")
    }
    var softTargets = [Float](repeating: 0, count: studentLogits.count)
    for (teacher, weight) in zip(teacherLogits, raw) {
      try checkSameShape(studentLogits, teacher, op: op)
      let probabilities = try self.softTargets(teacher, temperature: temperature, op: op)
      let share = weight / totalWeight
      for i in 0..<softTargets.count { softTargets[i] += share * probabilities[i] }
    }
    return try softKL(
      op, studentLogits: studentLogits, softTargets: softTargets, temperature: temperature,
      scaleByTemperatureSquared: scaleByTemperatureSquared, reduction: reduction)
  }

  /// KL(q ‖ softmax(s/T)), optionally × T², reduced as asked; shared by KD and multi-KD.
  private static func softKL(
    _ op: String, studentLogits: Tensor, softTargets: [Float], temperature: Float,
    scaleByTemperatureSquared: Bool, reduction: KLReduction
  ) throws -> Tensor {
    guard studentLogits.rank == 2 else {
      throw TensorError(
        op: op, "expected student logits [N, C], got \(formatShape(studentLogits.shape))")
    }
    try checkNonEmpty(studentLogits.shape[0], op: op)
    let divisor = reduction.divisor(rows: studentLogits.shape[0], classes: studentLogits.shape[1])
    let factor = scaleByTemperatureSquared ? temperature * temperature : 1
    return try softTargetLoss(
      op, logits: studentLogits, targets: softTargets, temperature: temperature,
      scale: factor / divisor, includeTargetEntropy: true)
  }
}

// MARK: - Decoupled knowledge distillation

extension Losses {
  /// The two parts of decoupled KD, each already × T² and averaged over the batch.
  public struct DecoupledKD {
    /// Target-class KD: KL between the binary distributions `[p_target, 1 − p_target]`.
    public var targetClass: Tensor
    /// Non-target-class KD: KL between the distributions over the non-target classes.
    public var nonTargetClass: Tensor
    /// `α·TCKD + β·NCKD`.
    public var total: Tensor
  }

  /// Decoupled knowledge distillation (Zhao et al., CVPR 2022): `α·TCKD + β·NCKD`.
  ///
  /// Follows `dkd_loss` of the reference implementation (mdistiller) step for step:
  /// - TCKD: `p = softmax(s/T)` is folded into `[p_y, Σ_{c≠y} p_c]` for student and teacher
  ///   and compared with a summed KL.
  /// - NCKD: the target class is pushed out of the softmax by subtracting 1000 from its
  ///   tempered logit, `softmax(s/T − 1000·onehot(y))`, which is the softmax over the
  ///   other classes up to e^-1000 = 0 in float32.
  /// Each part is × T² and divided by the batch size. Gradients go to the student only.
  /// The reference trainer also warms β up over the first epochs and adds a CE term; those
  /// belong to the training loop and the composite loss, not here.
  public static func decoupledKD(
    studentLogits: Tensor, teacherLogits: Tensor, labels: [Int], alpha: Float = 1,
    beta: Float = 8, temperature: Float = 4
  ) throws -> DecoupledKD {
    let op = "dkd"
    try checkTemperature(temperature, op: op)
    try checkSameShape(studentLogits, teacherLogits, op: op)
    try checkLabels(labels, for: studentLogits, op: op)
    let (rows, classes) = (studentLogits.shape[0], studentLogits.shape[1])
    try checkNonEmpty(rows, op: op)
    guard classes >= 2 else {
      throw TensorError(op: op, "needs at least 2 classes, got \(classes)")
    }
    let targetMask = try Tensor.oneHot(labels, classes: classes)
    let otherMask = 1 - targetMask
    let scale = temperature * temperature / Float(rows)

    // TCKD on the binary [target, rest] split.
    let teacher = teacherLogits.detached()
    let teacherProbabilities = try teacher.softmax(alongAxis: 1, temperature: temperature)
    let teacherBinary = try binarySplit(teacherProbabilities, targetMask, otherMask)
    let studentProbabilities = try studentLogits.softmax(alongAxis: 1, temperature: temperature)
    let studentBinary = try binarySplit(studentProbabilities, targetMask, otherMask)
    let tckd = try summedKL(target: teacherBinary, logInput: studentBinary.log()) * scale

    // NCKD on the classes other than the target.
    let maskedTeacher = try (teacher / temperature) - targetMask * 1000
    let maskedStudent = try (studentLogits / temperature) - targetMask * 1000
    let teacherRest = try maskedTeacher.softmax(alongAxis: 1)
    let studentRestLog = try maskedStudent.logSoftmax(alongAxis: 1)
    let nckd = try summedKL(target: teacherRest, logInput: studentRestLog) * scale

    let total = try tckd * alpha + nckd * beta
    return DecoupledKD(targetClass: tckd, nonTargetClass: nckd, total: total)
  }

  /// `[Σ p·mask, Σ p·other]` per row: `[N, C]` → `[N, 2]`.
  private static func binarySplit(
    _ probabilities: Tensor, _ targetMask: Tensor, _ otherMask: Tensor
  ) throws -> Tensor {
    let target = try (probabilities * targetMask).sum(alongAxis: 1, keepingDims: true)
    let rest = try (probabilities * otherMask).sum(alongAxis: 1, keepingDims: true)
    return try Tensor.concatenate([target, rest], alongAxis: 1)
  }

  /// `Σ q·(log q − logInput)` over all entries, with `0·log 0 = 0` (torch's kl_div, 'sum').
  /// `target` is a constant.
  private static func summedKL(target: Tensor, logInput: Tensor) throws -> Tensor {
    let q = target.detached()
    let entropyTerm = q.scalars.reduce(Float(0)) { $0 + ($1 > 0 ? $1 * Foundation.logf($1) : 0) }
    return entropyTerm - (try (q * logInput).sum())
  }
}
