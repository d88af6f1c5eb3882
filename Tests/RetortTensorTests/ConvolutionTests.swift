import Testing

@testable import RetortTensor

@Suite struct ConvolutionTests {
  static let ops: Set<String> = ["conv2d", "maxpool", "avgpool"]

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func matchesPyTorch(_ fixture: FixtureCase) throws {
    try fixture.expectMatchesPyTorch()
  }

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func gradientsMatchFiniteDifferences(_ fixture: FixtureCase) throws {
    try fixture.expectGradientsMatchFiniteDifferences()
  }

  @Test(arguments: [(1, 0, 6), (1, 1, 8), (2, 0, 3), (2, 1, 4), (3, 2, 4)])
  func outputSizeFollowsTheFormula(_ stride: Int, _ padding: Int, _ expected: Int) throws {
    // H' = (H + 2p − k) / s + 1 with H = 8, k = 3.
    let x = try Tensor.zeros([1, 2, 8, 8])
    let w = try Tensor.zeros([5, 2, 3, 3])
    let y = try x.conv2d(weight: w, stride: stride, padding: padding)
    #expect(y.shape == [1, 5, expected, expected])
  }

  @Test func aOneByOneKernelMixesChannels() throws {
    let x = try Tensor(shape: [1, 2, 1, 2], scalars: [1, 2, 10, 20])
    let w = try Tensor(shape: [1, 2, 1, 1], scalars: [1, -1])
    let y = try x.conv2d(weight: w, bias: Tensor([0.5]))
    #expect(y.scalars == [-8.5, -17.5])
  }

  @Test func poolingDefaultsTheStrideToTheKernel() throws {
    let x = try Tensor.arange(0, 16).reshaped(to: [1, 1, 4, 4])
    #expect(try x.maxPool2d(kernel: 2).scalars == [5, 7, 13, 15])
    #expect(try x.avgPool2d(kernel: 2).scalars == [2.5, 4.5, 10.5, 12.5])
  }

  @Test func averagePoolingCountsPaddedCells() throws {
    // PyTorch's count_include_pad=True: the corner window holds 4 real cells of 9.
    let x = try Tensor.ones([1, 1, 2, 2])
    let y = try x.avgPool2d(kernel: 3, stride: 1, padding: 1)
    #expect(y.scalars.allSatisfy { Swift.abs($0 - 4.0 / 9) < 1e-6 })
  }
}
