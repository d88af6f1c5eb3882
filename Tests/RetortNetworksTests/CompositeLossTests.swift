import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// The composite `DistillationLoss`: printing, algebra, taps, checks and evaluation.
@Suite("Composite distillation loss")
struct CompositeLossTests {
  typealias Loss = DistillationLoss

  // MARK: Printing and algebra

  @Test("prints as its formula, with middle dots or in ASCII")
  func printing() {
    let loss = 0.3 * Loss.ce() + 0.7 * Loss.kd(temperature: 4)
    #expect(loss.description == "0.3·ce + 0.7·kd(T=4)")
    #expect(loss.asciiDescription == "0.3*ce + 0.7*kd(T=4)")
    #expect(Loss.dkd().description == "dkd(α=1, β=8, T=4)")
    #expect(Loss.dkd().asciiDescription == "dkd(alpha=1, beta=8, T=4)")
    #expect(Loss.ce(labelSmoothing: 0.1).asciiDescription == "ce(ls=0.1)")
    let features =
      1000 * Loss.attention(teacherLayer: "layer3", studentLayer: "block2")
      + Loss.hint(teacherLayer: "layer2", studentLayer: "block1")
    #expect(features.asciiDescription == "1000*at(layer3, block2) + hint(layer2, block1)")
    #expect(Loss.rkd().asciiDescription == "rkd")
    #expect(
      Loss.rkd(distanceWeight: 1, angleWeight: 2, teacherLayer: "fc", studentLayer: "fc")
        .asciiDescription == "rkd(fc, fc, distance=1, angle=2)")
    #expect(
      Loss.multiTeacherKD(temperature: 3, weights: [1, 2]).asciiDescription
        == "mkd(T=3, w=[1, 2])")
    #expect(Loss.mse().asciiDescription == "mse")
    #expect(Loss.cosine(teacherLayer: "f", studentLayer: "g").asciiDescription == "cosine(f, g)")
    #expect(Loss().asciiDescription == "0")
  }

  @Test("scalar multiplication distributes and equal terms merge")
  func algebra() {
    let ce = Loss.ce()
    let kd = Loss.kd(temperature: 4)
    #expect((0.5 * (ce + kd)).asciiDescription == "0.5*ce + 0.5*kd(T=4)")
    #expect((0.5 * (ce + kd)) == 0.5 * ce + 0.5 * kd)
    #expect(((ce + kd) * 2).asciiDescription == "2*ce + 2*kd(T=4)")
    #expect((ce + ce).asciiDescription == "2*ce")
    #expect((0.3 * ce + 0.7 * kd + 0.2 * ce).asciiDescription == "0.5*ce + 0.7*kd(T=4)")
    #expect((ce - 0.25 * kd).asciiDescription == "ce - 0.25*kd(T=4)")
    #expect((kd + Loss.kd(temperature: 2)).terms.count == 2, "different T are different terms")
  }

  @Test("reports the taps, labels and teacher outputs it needs")
  func requirements() {
    let loss =
      Loss.ce() + 1000 * Loss.attention(teacherLayer: "layer3", studentLayer: "block2")
      + Loss.hint(teacherLayer: "layer2", studentLayer: "block1")
      + Loss.attention(teacherLayer: "layer2", studentLayer: "block1")
    let needs = loss.requirements
    #expect(needs.teacherLayers == ["layer3", "layer2"])
    #expect(needs.studentLayers == ["block2", "block1"])
    #expect(needs.needsLabels)
    #expect(!needs.needsTeacherLogits)
    #expect(!needs.needsSeveralTeachers)
    let logitsOnly = (Loss.kd() + Loss.mse() + Loss.multiTeacherKD()).requirements
    #expect(logitsOnly.teacherLayers.isEmpty)
    #expect(!logitsOnly.needsLabels)
    #expect(logitsOnly.needsTeacherLogits)
    #expect(logitsOnly.needsSeveralTeachers)
  }

  // MARK: Checks

  @Test("temperature ≤ 0 is an error; odd weights are warnings")
  func checks() throws {
    #expect(throws: TensorError.self) { try Loss.kd(temperature: 0).validate() }
    #expect(throws: TensorError.self) { try (Loss.ce() + Loss.dkd(temperature: -2)).validate() }
    #expect(throws: TensorError.self) { try Loss().validate() }
    #expect(throws: TensorError.self) { try Loss.ce(labelSmoothing: 2).validate() }
    #expect(throws: TensorError.self) {
      try Loss.multiTeacherKD(weights: [0, 0]).validate()
    }
    try (0.3 * Loss.ce() + 0.7 * Loss.kd()).validate()
    #expect((0.3 * Loss.ce() + 0.7 * Loss.kd()).warnings.isEmpty)
    let heavy = (Loss.ce() + Loss.kd()).warnings
    #expect(heavy.count == 1)
    #expect(heavy.first?.contains("sum to 2") == true)
    #expect((Loss.ce() - 0.5 * Loss.kd()).warnings.contains { $0.contains("negative weight") })
    #expect((Loss.ce() + 0 * Loss.kd()).warnings.contains { $0.contains("weight 0") })
    #expect(Loss.kd(temperature: 0.5).warnings.contains { $0.contains("below 1") })
    let features = Loss.ce() + 1000 * Loss.attention(teacherLayer: "a", studentLayer: "b")
    #expect(features.warnings.first?.contains("feature terms") == true)
  }

  // MARK: Evaluation

  static func batch() throws -> (student: Tensor, teacher: Tensor, labels: [Int]) {
    let fixture = try LossFixtures.load("distillation.json")
    return (
      try LossFixtures.tensor(fixture, "student", requiresGrad: true),
      try LossFixtures.tensor(fixture, "teacher", requiresGrad: true),
      try LossFixtures.integers(fixture, "labels")
    )
  }

  @Test("evaluates to the weighted sum of its terms, with each term reported")
  func evaluation() throws {
    let (student, teacher, labels) = try Self.batch()
    let loss = 0.3 * Loss.ce() + 0.7 * Loss.kd(temperature: 4)
    let result = try loss.evaluate(
      LossInputs(studentLogits: student, teacherLogits: [teacher], labels: labels))
    let fixture = try LossFixtures.load("distillation.json")
    let kdFixture = try LossFixtures.object(
      LossFixtures.object(fixture, "kd"), "T=4.0,square=True,batchmean")
    let kdValue = try LossFixtures.number(kdFixture, "value")
    let ceValue = try Losses.crossEntropy(logits: student.detached(), labels: labels).item()
    #expect(result.terms.map(\.name) == ["ce", "kd(T=4)"])
    expectClose(result.terms[1].rawValue, kdValue, tolerance: 1e-5, "kd raw")
    expectClose(result.terms[1].weightedValue, 0.7 * kdValue, tolerance: 1e-5, "kd weighted")
    expectClose(result.terms[0].rawValue, ceValue, tolerance: 1e-6, "ce raw")
    expectClose(try result.total.item(), 0.3 * ceValue + 0.7 * kdValue, tolerance: 1e-5, "total")
    #expect(result.warnings.isEmpty)

    // The gradient is the weighted sum of the parts' gradients; the teacher gets none.
    try result.total.backward()
    let ceGrad = try gradient(
      of: { try Losses.crossEntropy(logits: $0, labels: labels) },
      at: student)
    let kdGrad = try LossFixtures.tensor(kdFixture, "grad").scalars
    let expected = zip(ceGrad, kdGrad).map { 0.3 * $0 + 0.7 * $1 }
    expectClose(student.grad?.scalars ?? [], expected, tolerance: 1e-5, "d total / d s")
    #expect(teacher.grad == nil)
  }

  @Test("a hint regressor is created on first use, kept, and its parameters handed out once")
  func lazyRegressor() throws {
    var generator = SeededGenerator(seed: 3)
    let student = try Tensor.randomNormal([3, 4], generator: &generator)
    student.requiresGrad = true
    let teacher = try Tensor.randomNormal([3, 6], generator: &generator)
    let logits = try Tensor.zeros([3, 2])
    let store = HintRegressors(seed: 11)
    let loss = Loss.hint(teacherLayer: "t", studentLayer: "s")
    let inputs = LossInputs(
      studentLogits: logits, teacherFeatures: ["t": teacher], studentFeatures: ["s": student],
      regressors: store)
    let first = try loss.evaluate(inputs)
    #expect(first.newParameters.count == 2)
    #expect(store.parameters.count == 2)
    let regressor = try #require(store.regressor(for: LayerPair(teacher: "t", student: "s")))
    #expect(regressor.weight.shape == [6, 4])
    let expected = try Losses.hint(
      studentFeatures: student, teacherFeatures: teacher, regressor: regressor)
    expectClose(try first.total.item(), try expected.item(), tolerance: 1e-6, "hint value")
    try first.total.backward()
    #expect(regressor.weight.grad != nil, "the regressor trains with the student")
    #expect(student.grad != nil)

    let second = try loss.evaluate(inputs)
    #expect(second.newParameters.isEmpty)
    #expect(store.regressor(for: LayerPair(teacher: "t", student: "s")) === regressor)

    var withoutStore = inputs
    withoutStore.regressors = nil
    #expect {
      _ = try loss.evaluate(withoutStore)
    } throws: { error in
      (error as? TensorError)?.hint?.contains("HintRegressors") == true
    }
  }

  @Test("missing inputs are explained: taps, labels, teachers")
  func missingInputs() throws {
    let (student, teacher, labels) = try Self.batch()
    let features = try Tensor.zeros([4, 3, 2, 2])
    let at = Loss.attention(teacherLayer: "layer3", studentLayer: "block2")
    #expect {
      _ = try at.evaluate(
        LossInputs(
          studentLogits: student, teacherFeatures: ["layer3": features],
          studentFeatures: ["block1": features, "block9": features]))
    } throws: { error in
      (error as? TensorError)?.message.contains("tapped: block1, block9") == true
    }
    #expect(throws: TensorError.self) {
      _ = try Loss.ce().evaluate(LossInputs(studentLogits: student))
    }
    #expect {
      _ = try Loss.kd().evaluate(
        LossInputs(
          studentLogits: student, teacherLogits: [teacher, teacher], labels: labels))
    } throws: { error in
      (error as? TensorError)?.hint?.contains("mkd") == true
    }
    let several = try Loss.multiTeacherKD().evaluate(
      LossInputs(
        studentLogits: student, teacherLogits: [teacher, teacher]))
    let single = try Losses.kd(studentLogits: student, teacherLogits: teacher, temperature: 4)
    expectClose(try several.total.item(), try single.item(), tolerance: 1e-5, "mkd of twins")
  }

  @Test("feature terms on logits and layers evaluate the plain losses")
  func logitMatchingTerms() throws {
    let (student, teacher, labels) = try Self.batch()
    let loss =
      Loss.mse() + Loss.l1() + Loss.cosine() + Loss.rkd()
      + Loss.dkd(alpha: 1, beta: 8, temperature: 4)
    let result = try loss.evaluate(
      LossInputs(studentLogits: student, teacherLogits: [teacher], labels: labels))
    let expected: [Float] = [
      try Losses.mse(student, teacher).item(), try Losses.l1(student, teacher).item(),
      try Losses.cosine(student, teacher).item(),
      try Losses.relationalKD(studentFeatures: student, teacherFeatures: teacher).total.item(),
      try Losses.decoupledKD(
        studentLogits: student, teacherLogits: teacher, labels: labels
      ).total.item(),
    ]
    expectClose(result.terms.map(\.rawValue), expected, tolerance: 1e-6, "raw values")
    try result.total.backward()
    #expect(teacher.grad == nil)
  }
}
