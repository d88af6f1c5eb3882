import Foundation
import RetortTensor

// MARK: - Terms

/// A teacher layer and the student layer it is compared with, by tap name.
public struct LayerPair: Hashable, Sendable {
  /// The teacher's tapped layer.
  public var teacher: String
  /// The student's tapped layer.
  public var student: String

  /// Pairs a teacher tap with a student tap.
  public init(teacher: String, student: String) {
    self.teacher = teacher
    self.student = student
  }
}

/// One named, unweighted loss of a composite distillation objective.
public enum LossTerm: Hashable, Sendable {
  /// Cross-entropy with the hard labels (optionally label-smoothed).
  case crossEntropy(labelSmoothing: Float)
  /// Hinton KD against the one teacher: `KL(p_t^T ‖ p_s^T)·T²`, batch mean.
  case kd(temperature: Float)
  /// Decoupled KD: `α·TCKD + β·NCKD`.
  case dkd(alpha: Float, beta: Float, temperature: Float)
  /// KD against the (weighted) average soft targets of several teachers.
  case multiTeacherKD(temperature: Float, weights: [Float]?)
  /// FitNets hint: MSE between a teacher layer and a regressed student layer.
  case hint(LayerPair)
  /// Attention transfer between two feature maps of the same resolution.
  case attention(LayerPair)
  /// Relational KD on a layer pair (nil: on the logits).
  case rkd(distanceWeight: Float, angleWeight: Float, layers: LayerPair?)
  /// MSE between student and teacher (logits when `layers` is nil).
  case mse(LayerPair?)
  /// L1 between student and teacher (logits when `layers` is nil).
  case l1(LayerPair?)
  /// `1 − cos` between student and teacher along axis 1 (logits when `layers` is nil).
  case cosine(LayerPair?)

  /// The term as written in a formula: `kd(T=4)`, `hint(layer3, block2)`.
  public var name: String { render(ascii: false) }
  /// The same in plain ASCII: `dkd(alpha=1, beta=8, T=4)`.
  public var asciiName: String { render(ascii: true) }

  private func render(ascii: Bool) -> String {
    func pair(_ name: String, _ layers: LayerPair?) -> String {
      guard let layers else { return name }
      return "\(name)(\(layers.teacher), \(layers.student))"
    }
    switch self {
    case .crossEntropy(let smoothing):
      return smoothing == 0 ? "ce" : "ce(ls=\(formatNumber(smoothing)))"
    case .kd(let t):
      return "kd(T=\(formatNumber(t)))"
    case .dkd(let alpha, let beta, let t):
      let (a, b) = ascii ? ("alpha", "beta") : ("α", "β")
      return "dkd(\(a)=\(formatNumber(alpha)), \(b)=\(formatNumber(beta)), T=\(formatNumber(t)))"
    case .multiTeacherKD(let t, let weights):
      guard let weights else { return "mkd(T=\(formatNumber(t)))" }
      let list = weights.map(formatNumber).joined(separator: ", ")
      return "mkd(T=\(formatNumber(t)), w=[\(list)])"
    case .hint(let layers):
      return pair("hint", layers)
    case .attention(let layers):
      return pair("at", layers)
    case .rkd(let distance, let angle, let layers):
      var arguments: [String] = []
      if let layers { arguments += [layers.teacher, layers.student] }
      if distance != 25 || angle != 50 {
        arguments += ["distance=\(formatNumber(distance))", "angle=\(formatNumber(angle))"]
      }
      return arguments.isEmpty ? "rkd" : "rkd(\(arguments.joined(separator: ", ")))"
    case .mse(let layers): return pair("mse", layers)
    case .l1(let layers): return pair("l1", layers)
    case .cosine(let layers): return pair("cosine", layers)
    }
  }

  /// The layer pair the term compares, if it works on tapped features.
  public var layers: LayerPair? {
    switch self {
    case .hint(let layers), .attention(let layers): return layers
    case .rkd(_, _, let layers), .mse(let layers), .l1(let layers), .cosine(let layers):
      return layers
    case .crossEntropy, .kd, .dkd, .multiTeacherKD: return nil
    }
  }

  /// The temperature, for the terms that soften with one.
  public var temperature: Float? {
    switch self {
    case .kd(let t), .dkd(_, _, let t), .multiTeacherKD(let t, _): return t
    default: return nil
    }
  }

  /// Whether the term reads the hard labels.
  public var needsLabels: Bool {
    switch self {
    case .crossEntropy, .dkd: return true
    default: return false
    }
  }

  /// Whether the term reads teacher logits.
  public var needsTeacherLogits: Bool {
    switch self {
    case .kd, .dkd, .multiTeacherKD: return true
    case .rkd, .mse, .l1, .cosine: return layers == nil
    case .crossEntropy, .hint, .attention: return false
    }
  }

  /// Whether the term compares features whose natural scale is unrelated to the logits'
  /// (their weights are often far from 1 in the literature: AT uses 1000).
  var isFeatureTerm: Bool { layers != nil }
}

/// Formats a weight or hyper-parameter the way people write it, to six significant digits
/// so float noise does not show: `0.3`, `4`, `0.35` (not `0.35000002`), `1e-05`.
func formatNumber(_ value: Float) -> String {
  String(format: "%g", Double(value))
}

// MARK: - The composite loss

/// A weighted sum of named loss terms: the training objective of a distillation run,
/// written like `0.3·ce + 0.7·kd(T=4)`.
///
/// It is a value with an algebra: `+` adds terms (equal terms merge by adding weights) and
/// scalar `*` scales every weight, so `0.5 * (ce + kd)` is `0.5·ce + 0.5·kd`. It reports the
/// layer taps it needs (`requirements`), checks itself (`validate()`, `warnings`) and is
/// evaluated on a `LossInputs`, returning the total and every term's share.
public struct DistillationLoss: Equatable, Sendable, CustomStringConvertible {
  /// A term with its weight.
  public struct WeightedTerm: Equatable, Sendable {
    /// The factor the term is multiplied by.
    public var weight: Float
    /// The loss.
    public var term: LossTerm

    /// A term with its weight.
    public init(weight: Float, term: LossTerm) {
      self.weight = weight
      self.term = term
    }
  }

  /// The terms in the order they were first written.
  public private(set) var terms: [WeightedTerm]

  /// A sum of weighted terms; equal terms are merged.
  public init(_ terms: [WeightedTerm] = []) {
    self.terms = []
    for term in terms { add(term) }
  }

  /// One term with weight 1.
  public init(_ term: LossTerm) { self.init([WeightedTerm(weight: 1, term: term)]) }

  private mutating func add(_ weighted: WeightedTerm) {
    if let index = terms.firstIndex(where: { $0.term == weighted.term }) {
      terms[index].weight += weighted.weight
    } else {
      terms.append(weighted)
    }
  }

  // MARK: Building blocks

  /// Cross-entropy with the labels.
  public static func ce(labelSmoothing: Float = 0) -> Self {
    Self(.crossEntropy(labelSmoothing: labelSmoothing))
  }
  /// Hinton KD at temperature T (× T², batch mean).
  public static func kd(temperature: Float = 4) -> Self { Self(.kd(temperature: temperature)) }
  /// Decoupled KD with the paper's CIFAR defaults α = 1, β = 8, T = 4.
  public static func dkd(alpha: Float = 1, beta: Float = 8, temperature: Float = 4) -> Self {
    Self(.dkd(alpha: alpha, beta: beta, temperature: temperature))
  }
  /// KD against the averaged soft targets of all teachers (weights are normalised).
  public static func multiTeacherKD(temperature: Float = 4, weights: [Float]? = nil) -> Self {
    Self(.multiTeacherKD(temperature: temperature, weights: weights))
  }
  /// A FitNets hint between two tapped layers.
  public static func hint(teacherLayer: String, studentLayer: String) -> Self {
    Self(.hint(LayerPair(teacher: teacherLayer, student: studentLayer)))
  }
  /// Attention transfer between two tapped feature maps.
  public static func attention(teacherLayer: String, studentLayer: String) -> Self {
    Self(.attention(LayerPair(teacher: teacherLayer, student: studentLayer)))
  }
  /// Relational KD (on the logits unless both layers are given).
  public static func rkd(
    distanceWeight: Float = 25, angleWeight: Float = 50, teacherLayer: String? = nil,
    studentLayer: String? = nil
  ) -> Self {
    Self(
      .rkd(
        distanceWeight: distanceWeight, angleWeight: angleWeight,
        layers: pair(teacherLayer, studentLayer)))
  }
  /// MSE between student and teacher (logits unless both layers are given).
  public static func mse(teacherLayer: String? = nil, studentLayer: String? = nil) -> Self {
    Self(.mse(pair(teacherLayer, studentLayer)))
  }
  /// L1 between student and teacher (logits unless both layers are given).
  public static func l1(teacherLayer: String? = nil, studentLayer: String? = nil) -> Self {
    Self(.l1(pair(teacherLayer, studentLayer)))
  }
  /// Cosine distance between student and teacher (logits unless both layers are given).
  public static func cosine(teacherLayer: String? = nil, studentLayer: String? = nil) -> Self {
    Self(.cosine(pair(teacherLayer, studentLayer)))
  }

  private static func pair(_ teacher: String?, _ student: String?) -> LayerPair? {
    guard let teacher, let student else { return nil }
    return LayerPair(teacher: teacher, student: student)
  }

  // MARK: Algebra

  /// The sum of two objectives; equal terms merge (`ce + ce` is `2·ce`).
  public static func + (lhs: Self, rhs: Self) -> Self { Self(lhs.terms + rhs.terms) }

  /// Scales every weight: `0.5 * (ce + kd)` is `0.5·ce + 0.5·kd`.
  public static func * (scale: Float, loss: Self) -> Self {
    Self(loss.terms.map { WeightedTerm(weight: scale * $0.weight, term: $0.term) })
  }

  /// Scales every weight.
  public static func * (loss: Self, scale: Float) -> Self { scale * loss }

  /// The difference of two objectives.
  public static func - (lhs: Self, rhs: Self) -> Self { lhs + (-1) * rhs }

  // MARK: Printing

  /// The formula with middle dots: `0.3·ce + 0.7·kd(T=4)`.
  public var description: String { formula(times: "·", ascii: false) }

  /// The formula in plain ASCII: `0.3*ce + 0.7*kd(T=4)`.
  public var asciiDescription: String { formula(times: "*", ascii: true) }

  private func formula(times: String, ascii: Bool) -> String {
    guard !terms.isEmpty else { return "0" }
    var text = ""
    for (index, weighted) in terms.enumerated() {
      let name = ascii ? weighted.term.asciiName : weighted.term.name
      let magnitude = Swift.abs(weighted.weight)
      let body = magnitude == 1 ? name : "\(formatNumber(magnitude))\(times)\(name)"
      if index == 0 {
        text = weighted.weight < 0 ? "-" + body : body
      } else {
        text += (weighted.weight < 0 ? " - " : " + ") + body
      }
    }
    return text
  }
}
