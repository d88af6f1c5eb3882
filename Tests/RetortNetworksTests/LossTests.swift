import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Supervised losses against PyTorch (classification.json) and finite differences.
@Suite("Supervised losses")
struct LossTests {
  static let valueTolerance: Float = 1e-5
  static let gradTolerance: Float = 1e-5

  @Test("cross-entropy matches F.cross_entropy", arguments: ["ce_0.0", "ce_0.1", "ce_0.3"])
  func crossEntropy(caseName: String) throws {
    let fixture = try LossFixtures.object(LossFixtures.load("classification.json"), caseName)
    let logits = try LossFixtures.tensor(fixture, "logits", requiresGrad: true)
    let labels = try LossFixtures.integers(fixture, "labels")
    let smoothing = try LossFixtures.number(fixture, "labelSmoothing")
    let loss = try Losses.crossEntropy(logits: logits, labels: labels, labelSmoothing: smoothing)
    try loss.backward()
    expectClose(
      try loss.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.valueTolerance, "value")
    expectClose(
      logits.grad?.scalars ?? [], try LossFixtures.tensor(fixture, "grad").scalars,
      tolerance: Self.gradTolerance, "grad")
  }

  @Test("the fused cross-entropy gradient agrees with finite differences")
  func crossEntropyFiniteDifferences() throws {
    let fixture = try LossFixtures.object(LossFixtures.load("classification.json"), "ce_0.1")
    let logits = try LossFixtures.tensor(fixture, "logits")
    let labels = try LossFixtures.integers(fixture, "labels")
    let loss = { (x: Tensor) in
      try Losses.crossEntropy(logits: x, labels: labels, labelSmoothing: 0.1)
    }
    expectClose(
      try gradient(of: loss, at: logits),
      try finiteDifferenceGradient(of: loss, at: logits), tolerance: 2e-3, "d loss / d logits")
  }

  @Test("NLL of log-probabilities matches F.nll_loss")
  func nll() throws {
    let fixture = try LossFixtures.object(LossFixtures.load("classification.json"), "nll")
    let logProbs = try LossFixtures.tensor(fixture, "logProbs", requiresGrad: true)
    let loss = try Losses.nll(
      logProbabilities: logProbs, labels: try LossFixtures.integers(fixture, "labels"))
    try loss.backward()
    expectClose(
      try loss.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.valueTolerance, "value")
    expectClose(
      logProbs.grad?.scalars ?? [], try LossFixtures.tensor(fixture, "grad").scalars,
      tolerance: Self.gradTolerance, "grad")
  }

  @Test(
    "pairwise losses match torch (value and both gradients)",
    arguments: ["mse", "l1", "smooth_l1", "cosine", "cosine_4d"])
  func pairwise(caseName: String) throws {
    let fixture = try LossFixtures.object(LossFixtures.load("classification.json"), caseName)
    let a = try LossFixtures.tensor(fixture, "a", requiresGrad: true)
    let b = try LossFixtures.tensor(fixture, "b", requiresGrad: true)
    let loss: Tensor
    switch caseName {
    case "mse": loss = try Losses.mse(a, b)
    case "l1": loss = try Losses.l1(a, b)
    case "smooth_l1": loss = try Losses.smoothL1(a, b, beta: 1)
    default: loss = try Losses.cosine(a, b)
    }
    try loss.backward()
    expectClose(
      try loss.item(), try LossFixtures.number(fixture, "value"),
      tolerance: Self.valueTolerance, "value")
    expectClose(
      a.grad?.scalars ?? [], try LossFixtures.tensor(fixture, "gradA").scalars,
      tolerance: Self.gradTolerance, "grad a")
    expectClose(
      b.grad?.scalars ?? [], try LossFixtures.tensor(fixture, "gradB").scalars,
      tolerance: Self.gradTolerance, "grad b")
  }

  @Test("labels outside the classes are reported with the class count")
  func badLabels() throws {
    let logits = try Tensor.zeros([2, 3])
    #expect {
      _ = try Losses.crossEntropy(logits: logits, labels: [0, 3])
    } throws: { error in
      (error as? TensorError)?.message.contains("label 3 is outside the 3 classes") == true
    }
    #expect(throws: TensorError.self) {
      _ = try Losses.crossEntropy(logits: logits, labels: [0])
    }
    #expect(throws: TensorError.self) {
      _ = try Losses.crossEntropy(logits: logits, labels: [0, 1], labelSmoothing: 1.5)
    }
  }

  @Test("pairwise losses name both shapes when they differ")
  func shapeMismatch() throws {
    let a = try Tensor.zeros([2, 3])
    let b = try Tensor.zeros([2, 4])
    #expect {
      _ = try Losses.mse(a, b)
    } throws: { error in
      let message = (error as? TensorError)?.message ?? ""
      return message.contains("[2, 3]") && message.contains("[2, 4]")
    }
  }

  @Test("cosine of a zero vector stays finite (no NaN gradient)")
  func cosineZeroVector() throws {
    let a = try Tensor(shape: [1, 2], scalars: [0, 0], requiresGrad: true)
    let b = try Tensor(shape: [1, 2], scalars: [1, 2])
    let loss = try Losses.cosine(a, b)
    try loss.backward()
    #expect(try loss.item() == 1)
    #expect(a.grad?.scalars.allSatisfy(\.isFinite) == true)
  }
}
