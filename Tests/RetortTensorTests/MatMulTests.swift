import Testing

@testable import RetortTensor

@Suite struct MatMulTests {
  static let ops: Set<String> = ["matmul", "linear"]

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func matchesPyTorch(_ fixture: FixtureCase) throws {
    try fixture.expectMatchesPyTorch()
  }

  @Test(arguments: TensorFixtures.cases(ops: ops))
  func gradientsMatchFiniteDifferences(_ fixture: FixtureCase) throws {
    try fixture.expectGradientsMatchFiniteDifferences()
  }

  /// The textbook triple loop, in Double, as an independent reference.
  private func naiveProduct(_ a: Tensor, _ b: Tensor) -> [Float] {
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    var out = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var total = 0.0
        for p in 0..<k { total += Double(a.scalars[i * k + p]) * Double(b.scalars[p * n + j]) }
        out[i * n + j] = Float(total)
      }
    }
    return out
  }

  @Test(arguments: [(1, 1, 1), (17, 33, 9), (64, 5, 70)])
  func oddSizesMatchTheTripleLoop(_ m: Int, _ k: Int, _ n: Int) throws {
    var generator = SeededGenerator(seed: UInt64(m * 1000 + k * 10 + n))
    let a = try Tensor.randomNormal([m, k], generator: &generator)
    let b = try Tensor.randomNormal([k, n], generator: &generator)
    let product = try a.matmul(b)
    #expect(product.shape == [m, n])
    expectClose(
      product.scalars, shape: product.shape, naiveProduct(a, b), shape: [m, n], "\(m)x\(k)x\(n)")
  }

  @Test func batchedProductIsAProductPerBatch() throws {
    var generator = SeededGenerator(seed: 21)
    let a = try Tensor.randomNormal([3, 4, 5], generator: &generator)
    let b = try Tensor.randomNormal([3, 5, 2], generator: &generator)
    let product = try a.matmul(b)
    #expect(product.shape == [3, 4, 2])
    for i in 0..<3 {
      let ai = try a.sliced([SliceRange(start: i, end: i + 1)]).reshaped(to: [4, 5])
      let bi = try b.sliced([SliceRange(start: i, end: i + 1)]).reshaped(to: [5, 2])
      let pi = try product.sliced([SliceRange(start: i, end: i + 1)])
      expectClose(pi.scalars, shape: [8], naiveProduct(ai, bi), shape: [8], "batch \(i)")
    }
  }

  @Test func emptyInnerDimensionGivesZeros() throws {
    let a = try Tensor.zeros([3, 0])
    let b = try Tensor.zeros([0, 2])
    let product = try a.matmul(b)
    #expect(product.shape == [3, 2])
    #expect(product.scalars == [0, 0, 0, 0, 0, 0])
    let batched = try Tensor.zeros([2, 3, 0]).matmul(b)
    #expect(batched.shape == [2, 3, 2])
    #expect(batched.count == 12)
  }

  @Test func linearEqualsMatmulWithTransposedWeight() throws {
    var generator = SeededGenerator(seed: 8)
    let x = try Tensor.randomNormal([6, 4], generator: &generator)
    let w = try Tensor.randomNormal([3, 4], generator: &generator)
    let b = try Tensor.randomNormal([3], generator: &generator)
    let fused = try x.linear(weight: w, bias: b)
    let composed = try x.matmul(w.transposed()) + b
    expectClose(fused.scalars, shape: fused.shape, composed.scalars, shape: composed.shape, "")
  }

  /// C from `sgemm` over row-major buffers with the given thread count.
  private func product(
    _ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
    threads: Int
  ) -> [Float] {
    var c = [Float](repeating: 0.5, count: m * n)
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        c.withUnsafeMutableBufferPointer { pc in
          guard let a0 = pa.baseAddress, let b0 = pb.baseAddress, let c0 = pc.baseAddress else {
            return
          }
          sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            a0, lda: transposeA ? m : k, b0, ldb: transposeB ? k : n, c0, ldc: n, beta: 1,
            threads: threads)
        }
      }
    }
    return c
  }

  @Test(
    "a product split into blocks across threads matches one thread and repeats bit for bit",
    arguments: [(64, 1200, 784), (1200, 784, 64), (300, 40, 250), (97, 515, 301)])
  func splitProducts(_ m: Int, _ n: Int, _ k: Int) throws {
    // Large enough to split: the threshold is in multiply-adds.
    #expect(m * n * k >= BLAS.parallelThreshold)
    var generator = SeededGenerator(seed: UInt64(m + n + k))
    let a = try Tensor.randomNormal([m * k], generator: &generator).scalars
    let b = try Tensor.randomNormal([k * n], generator: &generator).scalars
    for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
      let label = "\(m)x\(n)x\(k), transposed \(transposeA)/\(transposeB)"
      let one = product(
        a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, threads: 1)
      for threads in [2, 3] {
        let split = product(
          a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
          threads: threads)
        let again = product(
          a, b, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
          threads: threads)
        let worst = zip(split, one).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-4 * Float(k).squareRoot(), "\(label), \(threads) threads")
        #expect(
          split.map(\.bitPattern) == again.map(\.bitPattern),
          "\(label), \(threads) threads: two runs differ")
      }
      // And the product itself is right: one entry against a sum in Double.
      let (i, j) = (m - 1, n / 2)
      var total = 0.5
      for p in 0..<k {
        let x = transposeA ? a[p * m + i] : a[i * k + p]
        let y = transposeB ? b[j * k + p] : b[p * n + j]
        total += Double(x) * Double(y)
      }
      #expect(abs(Double(one[i * n + j]) - total) < 1e-3 * Double(k).squareRoot(), "\(label)")
    }
  }

  @Test("after any product OpenBLAS runs single-threaded, inside the pool's blocks")
  func openBLASIsSingleThreaded() {
    let c = product(
      [1, 2], [3, 4], m: 1, n: 1, k: 2, transposeA: false, transposeB: false, threads: 2)
    #expect(c == [11.5])
    #expect(BLAS.openBLASThreads == 1)
  }

  @Test("the thread count is at least one and can be set")
  func threadCount() {
    let before = BLAS.threads
    #expect(before >= 1)
    BLAS.setThreads(0)
    #expect(BLAS.threads == 1)
    BLAS.setThreads(before)
    #expect(BLAS.threads == before)
  }
}
