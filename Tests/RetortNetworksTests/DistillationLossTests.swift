import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Logit-level distillation losses (KD, multi-teacher KD, DKD) against PyTorch and the
/// reference DKD implementation (distillation.json).
@Suite("Logit distillation losses")
struct DistillationLossTests {
  static let tolerance: Float = 1e-5

  struct Batch {
    var student: Tensor
    var teacher: Tensor
    var labels: [Int]
    var fixture: [String: Any]
  }

  static func batch() throws -> Batch {
    let fixture = try LossFixtures.load("distillation.json")
    return Batch(
      student: try LossFixtures.tensor(fixture, "student", requiresGrad: true),
      teacher: try LossFixtures.tensor(fixture, "teacher", requiresGrad: true),
      labels: try LossFixtures.integers(fixture, "labels"), fixture: fixture)
  }

  static let kdCases = [
    "T=1.0,square=True,batchmean", "T=1.0,square=True,mean",
    "T=4.0,square=True,batchmean", "T=4.0,square=True,mean",
    "T=4.0,square=False,batchmean", "T=4.0,square=False,mean",
  ]

  @Test(
    "kd matches kl_div(log_softmax(s/T), softmax(t/T)) with its T² and reduction options",
    arguments: kdCases)
  func kd(caseName: String) throws {
    let batch = try Self.batch()
    let fixture = try LossFixtures.object(LossFixtures.object(batch.fixture, "kd"), caseName)
    let loss = try Losses.kd(
      studentLogits: batch.student, teacherLogits: batch.teacher,
      temperature: try LossFixtures.number(fixture, "temperature"),
      scaleByTemperatureSquared: fixture["square"] as? Bool ?? true,
      reduction: fixture["reduction"] as? String == "mean" ? .mean : .batchMean)
    try loss.backward()
    expectClose(
      try loss.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.tolerance, "value")
    expectClose(
      batch.student.grad?.scalars ?? [],
      try LossFixtures.tensor(fixture, "grad").scalars, tolerance: Self.tolerance, "grad")
    #expect(batch.teacher.grad == nil, "no gradient may reach the teacher")
  }

  @Test("the fused kd gradient agrees with finite differences")
  func kdFiniteDifferences() throws {
    let batch = try Self.batch()
    let teacher = batch.teacher.detached()
    let loss = { (x: Tensor) in
      try Losses.kd(studentLogits: x, teacherLogits: teacher, temperature: 2)
    }
    expectClose(
      try gradient(of: loss, at: batch.student),
      try finiteDifferenceGradient(of: loss, at: batch.student), tolerance: 2e-3, "d kd / d s")
  }

  @Test("kd of a student equal to its teacher is zero")
  func kdOfIdenticalLogits() throws {
    let batch = try Self.batch()
    let loss = try Losses.kd(
      studentLogits: batch.teacher.detached(), teacherLogits: batch.teacher, temperature: 3)
    #expect(Swift.abs(try loss.item()) < 1e-6)
  }

  @Test(
    "multi-teacher kd averages soft targets with normalised weights",
    arguments: ["1.0,1.0,1.0", "1.0,2.0,1.0"])
  func multiTeacher(caseName: String) throws {
    let batch = try Self.batch()
    let fixture = try LossFixtures.object(LossFixtures.object(batch.fixture, "multi"), caseName)
    let teachers = try (batch.fixture["teachers"] as? [Any] ?? []).map {
      try LossFixtures.tensor($0)
    }
    let weights = (fixture["weights"] as? [Double] ?? []).map(Float.init)
    let loss = try Losses.multiTeacherKD(
      studentLogits: batch.student, teacherLogits: teachers,
      temperature: try LossFixtures.number(fixture, "temperature"),
      weights: caseName == "1.0,1.0,1.0" ? nil : weights)
    try loss.backward()
    expectClose(
      try loss.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.tolerance, "value")
    expectClose(
      batch.student.grad?.scalars ?? [],
      try LossFixtures.tensor(fixture, "grad").scalars, tolerance: Self.tolerance, "grad")
  }

  @Test("multi-teacher kd: finite differences, and one teacher is plain kd")
  func multiTeacherChecks() throws {
    let batch = try Self.batch()
    let teachers = [batch.teacher.detached(), batch.teacher.detached() * 0.5]
    let loss = { (x: Tensor) in
      try Losses.multiTeacherKD(
        studentLogits: x, teacherLogits: teachers, temperature: 2, weights: [3, 1])
    }
    expectClose(
      try gradient(of: loss, at: batch.student),
      try finiteDifferenceGradient(of: loss, at: batch.student), tolerance: 2e-3, "d mkd / d s")
    let single = try Losses.multiTeacherKD(
      studentLogits: batch.student, teacherLogits: [batch.teacher], temperature: 4)
    let plain = try Losses.kd(
      studentLogits: batch.student, teacherLogits: batch.teacher, temperature: 4)
    expectClose(try single.item(), try plain.item(), tolerance: 1e-6, "one teacher")
    #expect(throws: TensorError.self) {
      _ = try Losses.multiTeacherKD(
        studentLogits: batch.student, teacherLogits: teachers, temperature: 4, weights: [1])
    }
  }

  @Test(
    "dkd matches mdistiller's dkd_loss",
    arguments: ["1.0,8.0,4.0", "1.0,0.0,4.0", "0.0,1.0,4.0", "2.0,1.0,1.0"])
  func decoupled(caseName: String) throws {
    let batch = try Self.batch()
    let fixture = try LossFixtures.object(LossFixtures.object(batch.fixture, "dkd"), caseName)
    let parts = try Losses.decoupledKD(
      studentLogits: batch.student, teacherLogits: batch.teacher, labels: batch.labels,
      alpha: try LossFixtures.number(fixture, "alpha"),
      beta: try LossFixtures.number(fixture, "beta"),
      temperature: try LossFixtures.number(fixture, "temperature"))
    try parts.total.backward()
    expectClose(
      try parts.total.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.tolerance, "value")
    expectClose(
      batch.student.grad?.scalars ?? [],
      try LossFixtures.tensor(fixture, "grad").scalars, tolerance: Self.tolerance, "grad")
    #expect(batch.teacher.grad == nil)
  }

  @Test("dkd's parts are TCKD (α=1, β=0) and NCKD (α=0, β=1) of the reference")
  func decoupledParts() throws {
    let batch = try Self.batch()
    let dkd = try LossFixtures.object(batch.fixture, "dkd")
    let parts = try Losses.decoupledKD(
      studentLogits: batch.student, teacherLogits: batch.teacher, labels: batch.labels,
      alpha: 1, beta: 8, temperature: 4)
    expectClose(
      try parts.targetClass.item(),
      try LossFixtures.number(LossFixtures.object(dkd, "1.0,0.0,4.0"), "value"),
      tolerance: Self.tolerance, "TCKD")
    expectClose(
      try parts.nonTargetClass.item(),
      try LossFixtures.number(LossFixtures.object(dkd, "0.0,1.0,4.0"), "value"),
      tolerance: Self.tolerance, "NCKD")
  }

  @Test("temperature ≤ 0 and mismatched logits are errors")
  func errors() throws {
    let batch = try Self.batch()
    for t: Float in [0, -1, .nan] {
      #expect(throws: TensorError.self) {
        _ = try Losses.kd(
          studentLogits: batch.student, teacherLogits: batch.teacher, temperature: t)
      }
    }
    let narrow = try Tensor.zeros([4, 5])
    #expect {
      _ = try Losses.kd(studentLogits: batch.student, teacherLogits: narrow, temperature: 4)
    } throws: { error in
      let message = (error as? TensorError)?.message ?? ""
      return message.contains("[4, 6]") && message.contains("[4, 5]")
    }
  }
}
