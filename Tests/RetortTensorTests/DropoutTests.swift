import Testing

@testable import RetortTensor

@Suite struct DropoutTests {
  @Test("lane 0 is the scalar generator's stream; the other lanes are streams of their own")
  func laneStreams() {
    var lanes = LaneGenerator(seed: 42)
    var scalar = SeededGenerator(seed: 42)
    var draws: [LaneGenerator.Lanes] = []
    for _ in 0..<8 { draws.append(lanes.next()) }
    // Lane 0 takes the first four SplitMix64 words, as SeededGenerator does.
    #expect(draws.map { $0[0] } == (0..<8).map { _ in scalar.next() })
    for lane in 1..<8 {
      #expect(draws.map { $0[lane] } != draws.map { $0[0] })
    }
    var again = LaneGenerator(seed: 42)
    #expect((0..<8).map { _ in again.next() } == draws)
  }

  @Test("the words of many draws are uniform: 16 bins hold 1/16 each")
  func wordsAreUniform() {
    var lanes = LaneGenerator(seed: 3)
    var bins = [Int](repeating: 0, count: 16)
    let draws = 4000
    for _ in 0..<draws {
      let (low, high) = lanes.nextWords()
      for i in 0..<8 {
        bins[Int(low[i] >> 28)] += 1
        bins[Int(high[i] >> 28)] += 1
      }
    }
    // χ² with 15 degrees of freedom: 37.7 is its 0.999 quantile.
    let expected = Double(draws * 16) / 16
    let chiSquare = bins.reduce(0) { $0 + squared(Double($1) - expected) / expected }
    #expect(chiSquare < 37.7)
  }

  @Test(
    "thresholds: p = 0 never succeeds, p = 1 almost always, p = 1/2 is half the range",
    arguments: [(0.0, UInt32(0)), (1.0, UInt32.max), (0.5, UInt32(1) << 31), (-0.1, UInt32(0))])
  func thresholds(probability: Double, expected: UInt32) {
    #expect(LaneGenerator.threshold(forProbability: probability) == expected)
  }

  @Test("dropout drops close to p, scales survivors by 1/(1 − p) and is seeded")
  func dropRate() throws {
    let x = try Tensor.ones([100_000])
    var generator = SeededGenerator(seed: 11)
    let y = try x.dropout(probability: 0.3, generator: &generator)
    let dropped = Double(y.scalars.filter { $0 == 0 }.count) / Double(y.count)
    #expect(Swift.abs(dropped - 0.3) < 0.01)
    #expect(y.scalars.allSatisfy { $0 == 0 || $0 == Float(1) / Float(0.7) })
    var replay = SeededGenerator(seed: 11)
    #expect(try x.dropout(probability: 0.3, generator: &replay).scalars == y.scalars)
    // The generator moved on: the next mask is another one, and not correlated with it.
    let z = try x.dropout(probability: 0.3, generator: &generator)
    let bothKept = zip(y.scalars, z.scalars).filter { $0 != 0 && $1 != 0 }.count
    #expect(Swift.abs(Double(bothKept) / Double(x.count) - 0.49) < 0.01)
  }

  @Test("element i's draw does not depend on the tensor's size (tails included)")
  func masksArePrefixes() throws {
    var a = SeededGenerator(seed: 5)
    var b = SeededGenerator(seed: 5)
    let short = try Tensor.ones([37]).dropout(probability: 0.5, generator: &a)
    let long = try Tensor.ones([64]).dropout(probability: 0.5, generator: &b)
    #expect(short.scalars == Array(long.scalars.prefix(37)))
    #expect(short.scalars.contains(0) && short.scalars.contains(2))
  }

  @Test("the gradient is the incoming gradient times the same mask")
  func gradientIsTheMask() throws {
    var generator = SeededGenerator(seed: 9)
    let x = try Tensor.randomNormal([3, 50], generator: &generator)
    x.requiresGrad = true
    let y = try x.dropout(probability: 0.25, generator: &generator)
    let weights = try Tensor.randomNormal([3, 50], generator: &generator)
    try (y * weights).sum().backward()
    let grad = try #require(x.grad)
    for i in 0..<x.count {
      let mask = y.scalars[i] == 0 ? Float(0) : Float(1) / Float(0.75)
      #expect(Swift.abs(grad.scalars[i] - weights.scalars[i] * mask) < 1e-6)
    }
  }

  @Test("p = 0 is the identity; p outside [0, 1) is an error naming the range")
  func probabilityRange() throws {
    var generator = SeededGenerator(seed: 1)
    let x = try Tensor.ones([4])
    #expect(try x.dropout(probability: 0, generator: &generator) === x)
    #expect(throws: TensorError.self) { try x.dropout(probability: 1, generator: &generator) }
    #expect(throws: TensorError.self) { try x.dropout(probability: -0.1, generator: &generator) }
  }
}

private func squared(_ x: Double) -> Double { x * x }
