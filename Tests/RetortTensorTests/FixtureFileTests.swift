import Testing

@testable import RetortTensor

/// The reference file itself: it loads, and every op in it is checked by some suite below.
@Suite struct FixtureFileTests {
  /// The ops each area suite replays; a new op in the script must be claimed by one of them.
  static let claimedOps: Set<String> =
    ArithmeticTests.ops.union(MathTests.ops).union(SoftmaxTests.ops)
    .union(ReductionTests.ops).union(ShapeTests.ops).union(MatMulTests.ops)
    .union(ConvolutionTests.ops)

  @Test func referenceFileLoads() throws {
    let cases = try TensorFixtures.loaded.get()
    #expect(cases.count >= 80)
    #expect(Set(cases.map(\.name)).count == cases.count, "case names must be unique")
  }

  @Test func everyReferenceOpIsReplayed() throws {
    let ops = Set(try TensorFixtures.loaded.get().map(\.op))
    #expect(ops.subtracting(Self.claimedOps).isEmpty)
    #expect(Self.claimedOps.subtracting(ops).isEmpty)
  }

  @Test func everyCaseHasOneGradientPerInput() throws {
    for c in try TensorFixtures.loaded.get() {
      #expect(c.grads.count == c.inputs.count, "\(c.name)")
      #expect(c.upstream.shape == c.output.shape, "\(c.name)")
    }
  }
}
