import Foundation
import RetortTensor

// MARK: - Hint regressor (FitNets)

/// The small trainable map FitNets puts between a student layer and a teacher layer of a
/// different width: a linear layer for `[N, D]` features, a 1×1 convolution for
/// `[N, C, H, W]` feature maps of the same spatial size.
///
/// Its parameters train together with the student (hand `parameters` to the optimizer)
/// and are discarded after distillation.
public final class HintRegressor {
  /// Which form the regressor takes.
  public enum Kind: String, Sendable {
    /// `x @ weightᵀ + bias`, weight `[teacherWidth, studentWidth]`.
    case linear
    /// A 1×1 convolution, weight `[teacherChannels, studentChannels, 1, 1]`.
    case conv1x1
  }

  /// Linear or 1×1 convolution.
  public let kind: Kind
  /// The weight, in PyTorch layout.
  public let weight: Tensor
  /// The bias, one per teacher channel.
  public let bias: Tensor

  /// The trainable tensors, for the optimizer.
  public var parameters: [Tensor] { [weight, bias] }

  /// A regressor with the given weight and bias (loaded, or set by a test).
  public init(kind: Kind, weight: Tensor, bias: Tensor) throws {
    let expectedRank = kind == .linear ? 2 : 4
    guard weight.rank == expectedRank, bias.shape == [weight.shape.first ?? 0],
      kind == .linear || (weight.shape[2] == 1 && weight.shape[3] == 1)
    else {
      throw TensorError(
        op: "hint_regressor",
        "a \(kind.rawValue) regressor needs weight "
          + (kind == .linear ? "[out, in]" : "[out, in, 1, 1]") + " and bias [out], got "
          + "\(formatShape(weight.shape)) and \(formatShape(bias.shape))")
    }
    self.kind = kind
    self.weight = weight
    self.bias = bias
    weight.requiresGrad = true
    bias.requiresGrad = true
  }

  /// A freshly initialised regressor mapping student features of shape `studentShape` to
  /// teacher features of shape `teacherShape`.
  ///
  /// PyTorch's default init for `nn.Linear` / `nn.Conv2d`: weight and bias uniform in
  /// `±1/√fanIn` (kaiming-uniform with a = √5 works out to exactly this bound).
  public convenience init(
    studentShape: [Int], teacherShape: [Int], generator: inout SeededGenerator
  ) throws {
    let kind = try HintRegressor.kind(studentShape: studentShape, teacherShape: teacherShape)
    let (fanIn, fanOut) = (studentShape[1], teacherShape[1])
    let bound = 1 / Float(fanIn).squareRoot()
    let weightShape = kind == .linear ? [fanOut, fanIn] : [fanOut, fanIn, 1, 1]
    let weight = try Tensor.randomUniform(
      weightShape, low: -bound, high: bound, generator: &generator)
    let bias = try Tensor.randomUniform([fanOut], low: -bound, high: bound, generator: &generator)
    try self.init(kind: kind, weight: weight, bias: bias)
  }

  /// Which regressor maps `studentShape` to `teacherShape`, or a thrown explanation.
  public static func kind(studentShape: [Int], teacherShape: [Int]) throws -> Kind {
    let shapes = "student \(formatShape(studentShape)), teacher \(formatShape(teacherShape))"
    guard studentShape.count == teacherShape.count, studentShape.first == teacherShape.first
    else {
      throw TensorError(
        op: "hint", "cannot build a regressor between features of \(shapes)",
        hint: "both taps need the same batch size and rank ([N, D] or [N, C, H, W])")
    }
    switch studentShape.count {
    case 2:
      return .linear
    case 4 where studentShape[2...] == teacherShape[2...]:
      return .conv1x1
    case 4:
      throw TensorError(
        op: "hint", "a 1x1 conv regressor needs matching spatial sizes, got \(shapes)",
        hint: "pick a student layer with the teacher layer's resolution, or pool first")
    default:
      throw TensorError(
        op: "hint", "hint regressors handle [N, D] or [N, C, H, W] features, got \(shapes)")
    }
  }

  /// Maps student features into the teacher's feature space.
  public func callAsFunction(_ studentFeatures: Tensor) throws -> Tensor {
    switch kind {
    case .linear: return try studentFeatures.linear(weight: weight, bias: bias)
    case .conv1x1: return try studentFeatures.conv2d(weight: weight, bias: bias)
    }
  }
}

// MARK: - Hint loss and attention transfer

extension Losses {
  /// FitNets hint loss: `mse(regressor(student), teacher)` over all elements.
  ///
  /// Without a regressor the shapes must match and the features are compared directly.
  public static func hint(
    studentFeatures: Tensor, teacherFeatures: Tensor, regressor: HintRegressor? = nil
  ) throws -> Tensor {
    let mapped = try regressor.map { try $0(studentFeatures) } ?? studentFeatures
    guard mapped.shape == teacherFeatures.shape else {
      throw TensorError(
        op: "hint",
        "student features \(formatShape(studentFeatures.shape))"
          + (regressor == nil ? "" : " (after the regressor: \(formatShape(mapped.shape)))")
          + " do not match teacher features \(formatShape(teacherFeatures.shape))",
        hint: "use a HintRegressor built for these two shapes")
    }
    return try mse(mapped, teacherFeatures.detached())
  }

  /// The attention map of Zagoruyko & Komodakis: the channel mean of `|f|^p`, flattened to
  /// `[N, H·W]` and L2-normalised per example (`F.normalize(f.pow(p).mean(1).view(N, -1))`).
  public static func attentionMap(_ features: Tensor, p: Float = 2) throws -> Tensor {
    guard features.rank == 4 else {
      throw TensorError(
        op: "attention_transfer",
        "expected feature maps [N, C, H, W], got "
          + "\(formatShape(features.shape))", hint: "tap a convolutional layer")
    }
    // p = 2 is the paper's choice; f·f keeps the exact gradient 2f, also at f = 0.
    let powered = p == 2 ? try features * features : features.abs().pow(p)
    let map = try powered.mean(alongAxis: 1).flattened(fromAxis: 1)
    return try normalized(map, alongAxis: 1)
  }

  /// Attention transfer: `(at(student) − at(teacher))².mean()`, the reference `at_loss`.
  ///
  /// Channel counts may differ (the map averages them away) but the spatial sizes must
  /// agree.
  public static func attentionTransfer(
    studentFeatures: Tensor, teacherFeatures: Tensor, p: Float = 2
  ) throws -> Tensor {
    guard studentFeatures.rank == 4, teacherFeatures.rank == 4,
      studentFeatures.shape[0] == teacherFeatures.shape[0],
      studentFeatures.shape[2...] == teacherFeatures.shape[2...]
    else {
      throw TensorError(
        op: "attention_transfer",
        "student features \(formatShape(studentFeatures.shape)) "
          + "and teacher features \(formatShape(teacherFeatures.shape)) need the same batch "
          + "size and spatial size [N, *, H, W]",
        hint: "pick a student and a teacher layer of matching resolution")
    }
    let student = try attentionMap(studentFeatures, p: p)
    let teacher = try Tensor.withoutGradients {
      try attentionMap(teacherFeatures.detached(), p: p)
    }
    let difference = try student - teacher
    return try (difference * difference).mean()
  }
}
