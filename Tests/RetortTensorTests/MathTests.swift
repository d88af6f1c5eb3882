import Testing

@testable import RetortTensor

/// Elementwise maths and activations.
@Suite struct MathTests {
  static let ops: Set<String> = [
    "exp", "log", "sqrt", "abs", "clamp", "relu", "leaky_relu", "gelu", "tanh", "sigmoid",
  ]

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func matchesPyTorch(_ fixture: FixtureCase) throws {
    try fixture.expectMatchesPyTorch()
  }

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func gradientsMatchFiniteDifferences(_ fixture: FixtureCase) throws {
    try fixture.expectGradientsMatchFiniteDifferences()
  }

  @Test func sigmoidStaysFiniteForLargeInputs() {
    let y = Tensor([-200, -50, 0, 50, 200]).sigmoid()
    #expect(y.scalars.allSatisfy { $0.isFinite })
    #expect(y.scalars == [0, y.scalars[1], 0.5, 1, 1])
    #expect(y.scalars[1] < 1e-20)
  }

  @Test func kinksFollowPyTorchConventions() throws {
    // relu'(0) = 0, |x|'(0) = 0, clamp passes the gradient at its bounds.
    let x = try Tensor(shape: [3], scalars: [0, -1, 1], requiresGrad: true)
    try x.relu().sum().backward()
    #expect(x.grad?.scalars == [0, 0, 1])
    x.zeroGrad()
    try x.abs().sum().backward()
    #expect(x.grad?.scalars == [0, -1, 1])
    x.zeroGrad()
    try x.clamped(min: -1, max: 0.5).sum().backward()
    #expect(x.grad?.scalars == [1, 1, 0])
  }

  @Test func geluIsExactNotTanhApproximation() {
    // Exact GELU(1) = Φ(1) = 0.841344746; the tanh form gives 0.841192.
    let y = Tensor([1]).gelu().scalars[0]
    #expect(Swift.abs(y - 0.841_344_7) < 1e-6)
  }
}
