import Testing

@testable import RetortTensor

@Suite struct ShapeTests {
  static let ops: Set<String> = [
    "reshape", "expand", "transpose", "permute", "slice", "concatenate", "stack",
    "index_select", "gather_rows",
  ]

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func matchesPyTorch(_ fixture: FixtureCase) throws {
    try fixture.expectMatchesPyTorch()
  }

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func gradientsMatchFiniteDifferences(_ fixture: FixtureCase) throws {
    try fixture.expectGradientsMatchFiniteDifferences()
  }

  // MARK: - Reshaping

  @Test func reshapeInfersOneExtent() throws {
    let x = try Tensor.arange(0, 24)
    #expect(try x.reshaped(to: [2, -1, 4]).shape == [2, 3, 4])
    #expect(try x.reshaped(to: [-1]).shape == [24])
    #expect(throws: TensorError.self) { try x.reshaped(to: [-1, -1]) }
    #expect(throws: TensorError.self) { try x.reshaped(to: [5, -1]) }
    #expect(throws: TensorError.self) { try x.reshaped(to: [0, -1]) }
  }

  @Test func flattenSqueezeUnsqueeze() throws {
    let x = try Tensor.zeros([2, 1, 3, 4])
    #expect(try x.flattened().shape == [2, 12])
    #expect(try x.flattened(fromAxis: 2).shape == [2, 1, 12])
    #expect(try x.squeezed().shape == [2, 3, 4])
    #expect(try x.squeezed(axes: [1]).shape == [2, 3, 4])
    #expect(try x.unsqueezed(at: 0).shape == [1, 2, 1, 3, 4])
    #expect(try x.unsqueezed(at: -1).shape == [2, 1, 3, 4, 1])
    #expect(throws: TensorError.self) { try x.squeezed(axes: [0]) }
    #expect(throws: TensorError.self) { try x.unsqueezed(at: 6) }
  }

  @Test func transposeOfAMatrix() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let t = try x.transposed()
    #expect(t.shape == [3, 2])
    #expect(t.scalars == [1, 4, 2, 5, 3, 6])
    #expect(try t.transposed().scalars == x.scalars)
  }

  // MARK: - Slicing and indexing

  @Test func pythonStyleSliceBounds() throws {
    #expect(
      try SliceRange.resolving(start: -2, end: nil, step: nil, extent: 5)
        == SliceRange(start: 3, end: 5))
    #expect(
      try SliceRange.resolving(start: nil, end: -1, step: 2, extent: 5)
        == SliceRange(start: 0, end: 4, step: 2))
    #expect(try SliceRange.resolving(start: 7, end: 9, step: 1, extent: 5).length == 0)
    #expect(throws: TensorError.self) {
      try SliceRange.resolving(start: 0, end: 3, step: 0, extent: 5)
    }
    #expect(SliceRange(start: 1, end: 8, step: 3).length == 3)
  }

  @Test func sliceWithStepPicksTheRightElements() throws {
    let x = try Tensor.arange(0, 10)
    #expect(try x.sliced([SliceRange(start: 1, end: 10, step: 3)]).scalars == [1, 4, 7])
    let empty = try x.sliced([SliceRange(start: 4, end: 4)])
    #expect(empty.shape == [0])
    #expect(throws: TensorError.self) { try x.sliced([SliceRange(start: 0, end: 11)]) }
  }

  @Test func indexSelectAccumulatesRepeatedIndices() throws {
    let x = try Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
    let picked = try x.indexSelect(alongAxis: 0, indices: [2, 2, 0])
    #expect(picked.scalars == [3, 3, 1])
    try picked.sum().backward()
    #expect(x.grad?.scalars == [1, 0, 2])
  }

  @Test func gatherRowsPicksOneClassPerRow() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(try x.gatherRows([2, 0]).scalars == [3, 4])
  }

  @Test func oneHotRows() throws {
    let encoded = try Tensor.oneHot([2, 0], classes: 3)
    #expect(encoded.shape == [2, 3])
    #expect(encoded.scalars == [0, 0, 1, 1, 0, 0])
  }

  // MARK: - Joining

  @Test func concatenateThenSliceRoundTrips() throws {
    let a = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    let b = try Tensor(shape: [2, 1], scalars: [9, 8])
    let joined = try Tensor.concatenate([a, b], alongAxis: 1)
    #expect(joined.scalars == [1, 2, 9, 3, 4, 8])
    let back = try joined.sliced([SliceRange(start: 0, end: 2), SliceRange(start: 2, end: 3)])
    #expect(back.scalars == b.scalars)
  }

  @Test func stackAddsAnAxis() throws {
    let a = Tensor([1, 2])
    let b = Tensor([3, 4])
    #expect(try Tensor.stack([a, b]).scalars == [1, 2, 3, 4])
    let last = try Tensor.stack([a, b], alongAxis: -1)
    #expect(last.shape == [2, 2])
    #expect(last.scalars == [1, 3, 2, 4])
  }

  @Test func concatenatingATensorWithItselfSumsItsGradients() throws {
    let a = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    try Tensor.concatenate([a, a]).sum().backward()
    #expect(a.grad?.scalars == [2, 2])
  }
}
