import Testing

@testable import RetortTensor

@Suite struct ReductionTests {
  static let ops: Set<String> = ["sum_all", "sum", "mean_all", "mean", "max", "min", "var"]

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func matchesPyTorch(_ fixture: FixtureCase) throws {
    try fixture.expectMatchesPyTorch()
  }

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func gradientsMatchFiniteDifferences(_ fixture: FixtureCase) throws {
    try fixture.expectGradientsMatchFiniteDifferences()
  }

  @Test func keepingDimsKeepsExtentOne() throws {
    let x = try Tensor.ones([2, 3, 4])
    #expect(try x.sum(alongAxes: [0, 2], keepingDims: true).shape == [1, 3, 1])
    #expect(try x.sum(alongAxes: [0, 2]).shape == [3])
    #expect(try x.mean(alongAxis: -1, keepingDims: true).shape == [2, 3, 1])
    #expect(try x.max(alongAxis: 1).shape == [2, 4])
    #expect(try x.variance(alongAxes: [1], keepingDims: true).shape == [2, 1, 4])
    #expect(x.sum().shape == [])
  }

  @Test func argmaxAndArgminPickTheFirstExtreme() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1, 5, 5, 7, -2, -2])
    #expect(try x.argmax(alongAxis: 1).scalars == [1, 0])
    #expect(try x.argmin(alongAxis: 1).scalars == [0, 1])
    #expect(try x.argmax(alongAxis: 0).scalars == [1, 0, 0])
  }

  @Test func maxGradientGoesToTheFirstMaximumOnly() throws {
    let x = try Tensor(shape: [4], scalars: [1, 3, 3, 0], requiresGrad: true)
    try x.max(alongAxis: 0).backward()
    #expect(x.grad?.scalars == [0, 1, 0, 0])
  }

  @Test func nanWinsMax() throws {
    let x = Tensor([1, .nan, 3])
    #expect(try x.max().item().isNaN)
    #expect(try x.min().item().isNaN)
  }

  @Test func wholeTensorMaxAndMin() throws {
    let x = try Tensor(shape: [2, 2], scalars: [3, -1, 7, 2])
    #expect(try x.max().item() == 7)
    #expect(try x.min().item() == -1)
    #expect(x.mean().scalars == [2.75])
  }

  @Test func varianceBiasedAndUnbiased() throws {
    let x = Tensor([1, 2, 3, 4])
    #expect(try x.variance(alongAxes: [0]).item() == 1.25)
    #expect(Swift.abs(try x.variance(alongAxes: [0], unbiased: true).item() - 5.0 / 3) < 1e-6)
  }

  @Test func summedToShapeUndoesBroadcasting() throws {
    let g = try Tensor.ones([2, 3, 4])
    #expect(try g.summed(toShape: [3, 1]).scalars == [8, 8, 8])
    #expect(try g.summed(toShape: [4]).scalars == [6, 6, 6, 6])
    #expect(try g.summed(toShape: []).scalars == [24])
    #expect(throws: TensorError.self) { try Tensor.ones([3]).summed(toShape: [2, 3]) }
  }

  @Test func reducingAScalarIsAnError() {
    let x = Tensor(2)
    #expect(throws: TensorError.self) { try x.sum(alongAxis: 0) }
    #expect(throws: TensorError.self) { try x.max(alongAxis: 0) }
    #expect(throws: TensorError.self) { try x.softmax(alongAxis: 0) }
    #expect(throws: TensorError.self) { try x.logSumExp(alongAxis: 0) }
  }
}
