import Testing

@testable import RetortTensor

@Suite struct SoftmaxTests {
  static let ops: Set<String> = ["softmax", "log_softmax", "logsumexp"]

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func matchesPyTorch(_ fixture: FixtureCase) throws {
    try fixture.expectMatchesPyTorch()
  }

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func gradientsMatchFiniteDifferences(_ fixture: FixtureCase) throws {
    try fixture.expectGradientsMatchFiniteDifferences()
  }

  @Test(arguments: [Float(1), 4, 20])
  func rowsSumToOneAtEveryTemperature(_ temperature: Float) throws {
    var generator = SeededGenerator(seed: 5)
    let logits = try Tensor.randomNormal([4, 7], std: 5, generator: &generator)
    let p = try logits.softmax(alongAxis: -1, temperature: temperature)
    let totals = try p.sum(alongAxis: -1)
    #expect(totals.scalars.allSatisfy { Swift.abs($0 - 1) < 1e-5 })
  }

  @Test func higherTemperatureIsSofter() throws {
    let logits = Tensor([4, 1, 0])
    let sharp = try logits.softmax(temperature: 1).scalars
    let soft = try logits.softmax(temperature: 4).scalars
    #expect(soft[0] < sharp[0])
    #expect(soft[2] > sharp[2])
  }

  @Test func largeLogitsDoNotOverflow() throws {
    let logits = Tensor([1000, 999, -1000])
    let p = try logits.softmax().scalars
    #expect(p.allSatisfy { $0.isFinite })
    #expect(Swift.abs(p[0] - 0.731_058_6) < 1e-6)
    let logP = try logits.logSoftmax().scalars
    #expect(Swift.abs(logP[2] - -2000.313_3) < 1e-2)
    let lse = try logits.logSumExp().item()
    #expect(Swift.abs(lse - 1000.313_3) < 1e-3)
  }

  @Test func logSoftmaxIsLogOfSoftmax() throws {
    var generator = SeededGenerator(seed: 9)
    let logits = try Tensor.randomNormal([3, 5], generator: &generator)
    let direct = try logits.logSoftmax(alongAxis: 0, temperature: 2).scalars
    let composed = try logits.softmax(alongAxis: 0, temperature: 2).log().scalars
    for (a, b) in zip(direct, composed) { #expect(Swift.abs(a - b) < 1e-5) }
  }

  @Test(arguments: [Float(0), -1, .infinity, .nan])
  func temperatureMustBePositiveAndFinite(_ temperature: Float) {
    let logits = Tensor([1, 2])
    #expect(throws: TensorError.self) { try logits.softmax(temperature: temperature) }
    #expect(throws: TensorError.self) { try logits.logSoftmax(temperature: temperature) }
  }
}
