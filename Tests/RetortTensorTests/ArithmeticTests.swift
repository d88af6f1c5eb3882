import Testing

@testable import RetortTensor

@Suite struct ArithmeticTests {
  static let ops: Set<String> = [
    "add", "subtract", "multiply", "divide", "add_float", "subtract_float", "rsubtract_float",
    "multiply_float", "divide_float", "rdivide_float", "negate", "pow_tensor", "pow_float",
  ]

  // MARK: - Against PyTorch and finite differences

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func matchesPyTorch(_ fixture: FixtureCase) throws {
    try fixture.expectMatchesPyTorch()
  }

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func gradientsMatchFiniteDifferences(_ fixture: FixtureCase) throws {
    try fixture.expectGradientsMatchFiniteDifferences()
  }

  // MARK: - Broadcasting rules

  @Test(arguments: [
    ([3, 4], [4], [3, 4]),
    ([4], [3, 4], [3, 4]),
    ([2, 1, 4], [3, 1], [2, 3, 4]),
    ([5, 1], [1, 6], [5, 6]),
    ([], [2, 3], [2, 3]),
    ([1], [], [1]),
    ([0, 3], [1, 3], [0, 3]),
    ([1, 0], [4, 1], [4, 0]),
  ])
  func broadcastShape(_ lhs: [Int], _ rhs: [Int], _ expected: [Int]) throws {
    #expect(try Broadcast.shape(lhs, rhs, op: "add") == expected)
    let a = try Tensor.ones(lhs)
    let b = try Tensor.ones(rhs)
    let sum = try a + b
    #expect(sum.shape == expected)
    #expect(sum.scalars.allSatisfy { $0 == 2 })
  }

  @Test(arguments: [([3, 4], [3]), ([2, 3], [3, 2]), ([0], [2]), ([2, 3, 4], [3, 3, 4])])
  func incompatibleShapesDoNotBroadcast(_ lhs: [Int], _ rhs: [Int]) {
    #expect(throws: TensorError.self) { try Broadcast.shape(lhs, rhs, op: "add") }
  }

  @Test func columnPlusRowIsAnOuterSum() throws {
    let column = try Tensor(shape: [3, 1], scalars: [0, 10, 20])
    let row = Tensor([1, 2, 3, 4])
    let sum = try column + row
    #expect(sum.shape == [3, 4])
    #expect(sum.scalars == [1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24])
  }

  @Test func broadcastGradientsSumOverStretchedAxes() throws {
    let column = try Tensor(shape: [3, 1], scalars: [1, 2, 3], requiresGrad: true)
    let row = try Tensor(shape: [4], scalars: [1, 1, 1, 1], requiresGrad: true)
    try (column * row).sum().backward()
    // d/dcolumn Σ_j c_i r_j = Σ_j r_j = 4; d/drow = Σ_i c_i = 6.
    #expect(column.grad?.scalars == [4, 4, 4])
    #expect(column.grad?.shape == [3, 1])
    #expect(row.grad?.scalars == [6, 6, 6, 6])
  }

  @Test func rank3BroadcastMatchesExplicitExpansion() throws {
    var generator = SeededGenerator(seed: 3)
    let a = try Tensor.randomNormal([2, 1, 4], generator: &generator)
    let b = try Tensor.randomNormal([3, 1], generator: &generator)
    let direct = try a * b
    let expanded = try a.expanded(to: [2, 3, 4]) * b.expanded(to: [2, 3, 4])
    #expect(direct.shape == [2, 3, 4])
    #expect(direct.scalars == expanded.scalars)
  }

  // MARK: - Scalar operands, comparisons, selection

  @Test func floatOperandsDoNotThrowAndKeepTheShape() {
    let x = Tensor([1, 2, 4])
    #expect((x + 1).scalars == [2, 3, 5])
    #expect((1 - x).scalars == [0, -1, -3])
    #expect((x * 0.5).scalars == [0.5, 1, 2])
    #expect((8 / x).scalars == [8, 4, 2])
    #expect((x / 2).scalars == [0.5, 1, 2])
    #expect((-x).scalars == [-1, -2, -4])
    #expect(x.pow(2).scalars == [1, 4, 16])
  }

  @Test func comparisonsGiveZeroOrOne() throws {
    let a = Tensor([1, 2, 3])
    let b = Tensor([2, 2, 2])
    #expect(try a.less(b).scalars == [1, 0, 0])
    #expect(try a.lessOrEqual(b).scalars == [1, 1, 0])
    #expect(try a.greater(b).scalars == [0, 0, 1])
    #expect(try a.greaterOrEqual(b).scalars == [0, 1, 1])
    #expect(try a.equal(b).scalars == [0, 1, 0])
    #expect(try a.notEqual(b).scalars == [1, 0, 1])
    #expect(try a.greater(Tensor(1.5)).scalars == [0, 1, 1])
  }

  @Test func selectPicksAndRoutesGradients() throws {
    let condition = Tensor([1, 0, 1, 0])
    let onTrue = try Tensor(shape: [4], scalars: [1, 2, 3, 4], requiresGrad: true)
    let onFalse = try Tensor(shape: [], scalars: [-1], requiresGrad: true)
    let picked = try Tensor.select(condition, onTrue, onFalse)
    #expect(picked.scalars == [1, -1, 3, -1])
    try picked.sum().backward()
    #expect(onTrue.grad?.scalars == [1, 0, 1, 0])
    #expect(onFalse.grad?.scalars == [2])
    #expect(onFalse.grad?.shape == [])
  }

  @Test func selectGradientMatchesFiniteDifferences() throws {
    var generator = SeededGenerator(seed: 11)
    let condition = try Tensor(shape: [3, 1], scalars: [1, 0, 1])
    let a = try Tensor.randomNormal([3, 4], generator: &generator)
    let b = try Tensor.randomNormal([4], generator: &generator)
    let mismatches = try gradientCheck([a, b], seed: 1) {
      try Tensor.select(condition, $0[0], $0[1])
    }
    #expect(mismatches.isEmpty, "\(mismatches)")
  }

  @Test func powOfZeroHasFiniteGradients() throws {
    let base = try Tensor(shape: [2], scalars: [0, 2], requiresGrad: true)
    let exponent = try Tensor(shape: [2], scalars: [2, 3], requiresGrad: true)
    try base.pow(exponent).sum().backward()
    #expect(base.grad?.scalars == [0, 12])
    // d(a^b)/db = a^b ln a, taken as 0 where a^b = 0; 2^3 ln 2 = 5.545177.
    let grad = exponent.grad?.scalars ?? []
    #expect(grad.count == 2)
    #expect(grad.first == 0)
    #expect(Swift.abs((grad.last ?? 0) - 5.545177) < 1e-5)
  }
}
