import Foundation
import RetortTensor

// MARK: - Inputs

/// Everything one batch offers a `DistillationLoss`: outputs, labels and tapped features.
public struct LossInputs {
  /// The student's `[N, C]` logits (on the tape).
  public var studentLogits: Tensor
  /// One `[N, C]` logits tensor per teacher; treated as constants.
  public var teacherLogits: [Tensor]
  /// The hard labels, when the loss reads them.
  public var labels: [Int]?
  /// Tapped teacher layer outputs by layer name; treated as constants.
  public var teacherFeatures: [String: Tensor]
  /// Tapped student layer outputs by layer name (on the tape).
  public var studentFeatures: [String: Tensor]
  /// Where hint regressors are created and kept between batches (needed by hint terms
  /// whose student and teacher shapes differ).
  public var regressors: HintRegressors?

  /// Bundles one batch's inputs.
  public init(
    studentLogits: Tensor, teacherLogits: [Tensor] = [], labels: [Int]? = nil,
    teacherFeatures: [String: Tensor] = [:], studentFeatures: [String: Tensor] = [:],
    regressors: HintRegressors? = nil
  ) {
    self.studentLogits = studentLogits
    self.teacherLogits = teacherLogits
    self.labels = labels
    self.teacherFeatures = teacherFeatures
    self.studentFeatures = studentFeatures
    self.regressors = regressors
  }
}

// MARK: - Regressor store

/// The hint regressors of a distillation run, created lazily the first time a hint term
/// meets features of different shapes and kept, keyed by layer pair, so they keep training.
public final class HintRegressors {
  /// The regressors by layer pair, in creation order.
  public private(set) var regressors: [(layers: LayerPair, regressor: HintRegressor)] = []
  private var generator: SeededGenerator

  /// An empty store whose regressors are initialised from `seed`.
  public init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

  /// All regressor parameters, for the optimizer.
  public var parameters: [Tensor] { regressors.flatMap { $0.regressor.parameters } }

  /// The regressor for `layers`, if one exists.
  public func regressor(for layers: LayerPair) -> HintRegressor? {
    regressors.first(where: { $0.layers == layers })?.regressor
  }

  /// Stores `regressor` for `layers` (a loaded one, say), replacing any earlier one.
  public func set(_ regressor: HintRegressor, for layers: LayerPair) {
    regressors.removeAll { $0.layers == layers }
    regressors.append((layers, regressor))
  }

  /// The regressor mapping `studentShape` to `teacherShape` for `layers`: nil when the
  /// shapes already agree, the stored one when it exists, else a new one.
  /// `created` is set when this call made it (its parameters must join the optimizer).
  func regressor(
    for layers: LayerPair, studentShape: [Int], teacherShape: [Int], created: inout Bool
  ) throws -> HintRegressor? {
    created = false
    if studentShape == teacherShape, regressor(for: layers) == nil { return nil }
    if let existing = regressor(for: layers) { return existing }
    let made = try HintRegressor(
      studentShape: studentShape, teacherShape: teacherShape, generator: &generator)
    regressors.append((layers, made))
    created = true
    return made
  }
}

// MARK: - Evaluation

/// The result of evaluating a `DistillationLoss` on one batch.
public struct LossEvaluation {
  /// One term's contribution.
  public struct Term: Sendable, Equatable {
    /// The term as written (`kd(T=4)`).
    public var name: String
    /// Its weight.
    public var weight: Float
    /// `weight · rawValue`, its share of the total.
    public var weightedValue: Float
    /// The unweighted loss.
    public var rawValue: Float
  }

  /// The weighted sum, a scalar on the tape: call `backward()` on it.
  public var total: Tensor
  /// Each term's value, in the loss's order.
  public var terms: [Term]
  /// The loss's warnings (see `DistillationLoss.warnings`).
  public var warnings: [String]
  /// Parameters of hint regressors created during this evaluation; add them to the
  /// optimizer (`Optimizer.addParameters`) so they train with the student.
  public var newParameters: [Tensor]
}

extension DistillationLoss {
  /// Evaluates every term on `inputs` and sums them with their weights.
  public func evaluate(_ inputs: LossInputs) throws -> LossEvaluation {
    try validate()
    var total: Tensor?
    var reports: [LossEvaluation.Term] = []
    var newParameters: [Tensor] = []
    for weighted in terms {
      let (raw, created) = try value(of: weighted.term, inputs)
      newParameters += created
      let contribution = raw * weighted.weight
      total = try total.map { try $0 + contribution } ?? contribution
      let rawValue = try raw.item()
      reports.append(
        LossEvaluation.Term(
          name: weighted.term.name, weight: weighted.weight,
          weightedValue: weighted.weight * rawValue, rawValue: rawValue))
    }
    guard let total else { throw TensorError(op: "loss", "the loss has no terms") }
    return LossEvaluation(
      total: total, terms: reports, warnings: warnings, newParameters: newParameters)
  }

  /// One term's unweighted value, and the parameters of any regressor it created.
  private func value(of term: LossTerm, _ inputs: LossInputs) throws -> (Tensor, [Tensor]) {
    let student = inputs.studentLogits
    switch term {
    case .crossEntropy(let smoothing):
      let labels = try requireLabels(inputs, term)
      return (
        try Losses.crossEntropy(
          logits: student, labels: labels, labelSmoothing: smoothing), []
      )
    case .kd(let t):
      let teacher = try singleTeacher(inputs, term)
      return (try Losses.kd(studentLogits: student, teacherLogits: teacher, temperature: t), [])
    case .dkd(let alpha, let beta, let t):
      let teacher = try singleTeacher(inputs, term)
      let labels = try requireLabels(inputs, term)
      let parts = try Losses.decoupledKD(
        studentLogits: student, teacherLogits: teacher, labels: labels, alpha: alpha,
        beta: beta, temperature: t)
      return (parts.total, [])
    case .multiTeacherKD(let t, let weights):
      guard !inputs.teacherLogits.isEmpty else { throw missingTeacher(term) }
      return (
        try Losses.multiTeacherKD(
          studentLogits: student, teacherLogits: inputs.teacherLogits, temperature: t,
          weights: weights), []
      )
    case .hint(let layers):
      let (s, t) = try features(layers, inputs, term)
      var regressor: HintRegressor?
      var created = false
      if s.shape != t.shape || inputs.regressors?.regressor(for: layers) != nil {
        guard let store = inputs.regressors else {
          throw TensorError(
            op: "loss",
            "\(term.name): student \(formatShape(s.shape)) and teacher "
              + "\(formatShape(t.shape)) features differ, so a regressor is needed",
            hint: "pass a HintRegressors store in LossInputs.regressors so the regressor "
              + "is kept and trained across batches")
        }
        regressor = try store.regressor(
          for: layers, studentShape: s.shape, teacherShape: t.shape, created: &created)
      }
      let value = try Losses.hint(
        studentFeatures: s, teacherFeatures: t, regressor: regressor)
      return (value, created ? regressor?.parameters ?? [] : [])
    case .attention(let layers):
      let (s, t) = try features(layers, inputs, term)
      return (try Losses.attentionTransfer(studentFeatures: s, teacherFeatures: t), [])
    case .rkd(let distanceWeight, let angleWeight, let layers):
      let (s, t) = try pairOrLogits(layers, inputs, term)
      return (
        try Losses.relationalKD(
          studentFeatures: s, teacherFeatures: t, distanceWeight: distanceWeight,
          angleWeight: angleWeight
        ).total, []
      )
    case .mse(let layers):
      let (s, t) = try pairOrLogits(layers, inputs, term)
      return (try Losses.mse(s, t.detached()), [])
    case .l1(let layers):
      let (s, t) = try pairOrLogits(layers, inputs, term)
      return (try Losses.l1(s, t.detached()), [])
    case .cosine(let layers):
      let (s, t) = try pairOrLogits(layers, inputs, term)
      return (try Losses.cosine(s, t.detached()), [])
    }
  }

  // MARK: Looking up inputs

  private func requireLabels(_ inputs: LossInputs, _ term: LossTerm) throws -> [Int] {
    guard let labels = inputs.labels else {
      throw TensorError(
        op: "loss", "\(term.name) needs the batch's labels, but none were given",
        hint: "pass labels in LossInputs, or drop the term for unlabelled transfer sets")
    }
    return labels
  }

  private func missingTeacher(_ term: LossTerm) -> TensorError {
    TensorError(
      op: "loss", "\(term.name) needs teacher logits, but none were given",
      hint: "run the teacher on the batch and pass its logits in LossInputs")
  }

  private func singleTeacher(_ inputs: LossInputs, _ term: LossTerm) throws -> Tensor {
    guard let first = inputs.teacherLogits.first else { throw missingTeacher(term) }
    guard inputs.teacherLogits.count == 1 else {
      throw TensorError(
        op: "loss",
        "\(term.name) compares with one teacher, but "
          + "\(inputs.teacherLogits.count) teachers' logits were given",
        hint: "use mkd(T=...) to distil from the average of several teachers")
    }
    return first
  }

  private func features(
    _ layers: LayerPair, _ inputs: LossInputs, _ term: LossTerm
  ) throws -> (student: Tensor, teacher: Tensor) {
    guard let student = inputs.studentFeatures[layers.student] else {
      throw missingTap("student", layers.student, inputs.studentFeatures, term)
    }
    guard let teacher = inputs.teacherFeatures[layers.teacher] else {
      throw missingTap("teacher", layers.teacher, inputs.teacherFeatures, term)
    }
    return (student, teacher.detached())
  }

  private func pairOrLogits(
    _ layers: LayerPair?, _ inputs: LossInputs, _ term: LossTerm
  ) throws -> (student: Tensor, teacher: Tensor) {
    if let layers { return try features(layers, inputs, term) }
    return (inputs.studentLogits, try singleTeacher(inputs, term).detached())
  }

  private func missingTap(
    _ side: String, _ layer: String, _ available: [String: Tensor], _ term: LossTerm
  ) -> TensorError {
    let tapped = available.keys.sorted()
    return TensorError(
      op: "loss",
      "\(term.name) reads \(side) layer '\(layer)', which was not tapped "
        + "(tapped: \(tapped.isEmpty ? "none" : tapped.joined(separator: ", ")))",
      hint: "tap the layers listed in the loss's requirements before evaluating it")
  }
}
