import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Feature-level distillation (hints, attention transfer, relational KD) against PyTorch
/// and the reference implementations (features.json).
@Suite("Feature distillation losses")
struct FeatureDistillationTests {
  static let tolerance: Float = 1e-5

  @Test(
    "hint through a regressor matches mse(linear / conv1x1(student), teacher)",
    arguments: ["hint_linear", "hint_conv"])
  func hint(caseName: String) throws {
    let fixture = try LossFixtures.object(LossFixtures.load("features.json"), caseName)
    let student = try LossFixtures.tensor(fixture, "student", requiresGrad: true)
    let teacher = try LossFixtures.tensor(fixture, "teacher", requiresGrad: true)
    let regressor = try HintRegressor(
      kind: caseName == "hint_linear" ? .linear : .conv1x1,
      weight: try LossFixtures.tensor(fixture, "weight"),
      bias: try LossFixtures.tensor(fixture, "bias"))
    let loss = try Losses.hint(
      studentFeatures: student, teacherFeatures: teacher, regressor: regressor)
    try loss.backward()
    expectClose(
      try loss.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.tolerance, "value")
    expectClose(
      student.grad?.scalars ?? [],
      try LossFixtures.tensor(fixture, "gradStudent").scalars, tolerance: Self.tolerance,
      "grad student")
    expectClose(
      regressor.weight.grad?.scalars ?? [],
      try LossFixtures.tensor(fixture, "gradWeight").scalars, tolerance: Self.tolerance,
      "grad weight")
    expectClose(
      regressor.bias.grad?.scalars ?? [],
      try LossFixtures.tensor(fixture, "gradBias").scalars, tolerance: Self.tolerance,
      "grad bias")
    #expect(teacher.grad == nil)
  }

  @Test("regressors are chosen from the shapes and initialised within ±1/√fanIn")
  func regressorConstruction() throws {
    var generator = SeededGenerator(seed: 7)
    let linear = try HintRegressor(
      studentShape: [8, 16], teacherShape: [8, 32], generator: &generator)
    #expect(linear.kind == .linear)
    #expect(linear.weight.shape == [32, 16])
    #expect(linear.bias.shape == [32])
    let bound = 1 / Float(16).squareRoot()
    #expect(linear.weight.scalars.allSatisfy { Swift.abs($0) <= bound })
    #expect(linear.parameters.allSatisfy { $0.requiresGrad })
    let conv = try HintRegressor(
      studentShape: [2, 3, 4, 4], teacherShape: [2, 6, 4, 4], generator: &generator)
    #expect(conv.kind == .conv1x1)
    #expect(conv.weight.shape == [6, 3, 1, 1])
    #expect {
      _ = try HintRegressor(
        studentShape: [2, 3, 4, 4], teacherShape: [2, 6, 8, 8], generator: &generator)
    } throws: { error in
      let message = (error as? TensorError)?.message ?? ""
      return message.contains("[2, 3, 4, 4]") && message.contains("[2, 6, 8, 8]")
    }
    #expect(throws: TensorError.self) {
      _ = try HintRegressor(
        studentShape: [2, 3], teacherShape: [2, 6, 4, 4], generator: &generator)
    }
  }

  @Test("attention transfer matches at_loss of the reference")
  func attention() throws {
    let fixture = try LossFixtures.object(LossFixtures.load("features.json"), "at")
    let student = try LossFixtures.tensor(fixture, "student", requiresGrad: true)
    let teacher = try LossFixtures.tensor(fixture, "teacher", requiresGrad: true)
    let loss = try Losses.attentionTransfer(studentFeatures: student, teacherFeatures: teacher)
    try loss.backward()
    expectClose(
      try loss.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.tolerance, "value")
    expectClose(
      student.grad?.scalars ?? [], try LossFixtures.tensor(fixture, "grad").scalars,
      tolerance: Self.tolerance, "grad")
    #expect(teacher.grad == nil)
  }

  @Test("attention transfer names both shapes when resolutions differ")
  func attentionMismatch() throws {
    let student = try Tensor.zeros([2, 3, 4, 4])
    let teacher = try Tensor.zeros([2, 3, 8, 8])
    #expect {
      _ = try Losses.attentionTransfer(studentFeatures: student, teacherFeatures: teacher)
    } throws: { error in
      guard let error = error as? TensorError else { return false }
      return error.message.contains("[2, 3, 4, 4]") && error.message.contains("[2, 3, 8, 8]")
        && error.hint?.contains("matching resolution") == true
    }
  }

  @Test("relational KD matches mdistiller's rkd_loss (distance, angle, weighted total)")
  func relational() throws {
    let fixture = try LossFixtures.object(LossFixtures.load("features.json"), "rkd")
    let studentValues = try LossFixtures.tensor(fixture, "student")
    let teacher = try LossFixtures.tensor(fixture, "teacher")
    let parts = try Losses.relationalKD(
      studentFeatures: studentValues, teacherFeatures: teacher)
    expectClose(
      try parts.distance.item(), try LossFixtures.number(fixture, "distance"),
      tolerance: Self.tolerance, "distance")
    expectClose(
      try parts.angle.item(), try LossFixtures.number(fixture, "angle"),
      tolerance: Self.tolerance, "angle")
    expectClose(
      try parts.total.item(), try LossFixtures.number(fixture, "total"),
      tolerance: Self.tolerance, "total")
    let cases: [(String, (Losses.RelationalKD) -> Tensor)] = [
      ("gradDistance", \.distance), ("gradAngle", \.angle), ("gradTotal", \.total),
    ]
    for (key, pick) in cases {
      let grad = try gradient(
        of: { x in
          pick(try Losses.relationalKD(studentFeatures: x, teacherFeatures: teacher))
        }, at: studentValues)
      expectClose(grad, try LossFixtures.tensor(fixture, key).scalars, tolerance: 1e-4, key)
    }
  }

  @Test("relational KD of coinciding embeddings stays finite, as in the reference")
  func relationalDegenerate() throws {
    // Distances are clamped at √1e-12 before normalising, so equal embeddings give 1e-6
    // distances rather than 0/0; angles of zero difference vectors are 0.
    let student = try Tensor.ones([3, 2])
    student.requiresGrad = true
    let teacher = try Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 5, 4])
    let parts = try Losses.relationalKD(studentFeatures: student, teacherFeatures: teacher)
    try parts.total.backward()
    #expect(try parts.total.item().isFinite)
    #expect(student.grad?.scalars.allSatisfy { $0.isFinite } == true)
    #expect(throws: TensorError.self) {
      _ = try Losses.relationalKD(
        studentFeatures: try Tensor.ones([1, 2]), teacherFeatures: teacher)
    }
  }
}
