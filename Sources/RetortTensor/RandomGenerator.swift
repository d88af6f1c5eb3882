import Foundation

/// A seeded generator of our own (xoshiro256**, seeded through SplitMix64), so that the same
/// seed gives the same numbers on every machine and every Swift release.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  // Visible to inlinable code so that `next()` inlines into loops of other modules (a
  // dropout mask draws one number per element; a call per draw cost more than the draw).
  @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)
  /// A normal deviate left over from the last Box-Muller pair.
  private var spareNormal: Double?

  public init(seed: UInt64) {
    var mixer = seed
    func splitMix() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitMix(), splitMix(), splitMix(), splitMix())
  }

  /// The next 64 random bits (xoshiro256**).
  @inlinable
  public mutating func next() -> UInt64 {
    let result = rotate(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotate(state.3, 45)
    return result
  }

  @inlinable
  func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform double in [0, 1) from the top 53 bits.
  @inlinable
  public mutating func nextUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal deviate (Box-Muller; the second value of each pair is kept).
  public mutating func nextNormal() -> Double {
    if let spare = spareNormal {
      spareNormal = nil
      return spare
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    let u1 = 1 - nextUniform()
    let u2 = nextUniform()
    let radius = (-2 * Foundation.log(u1)).squareRoot()
    let angle = 2 * Double.pi * u2
    spareNormal = radius * Foundation.sin(angle)
    return radius * Foundation.cos(angle)
  }

  /// A uniform integer in 0..<upperBound without modulo bias (0 when the bound is 1 or less).
  ///
  /// Lemire's multiply-shift: the high word of `next() · bound` is uniform once the few low
  /// words below `2^64 mod bound` are rejected. Written out here rather than taken from the
  /// standard library's `next(upperBound:)`, whose algorithm is free to change, so a seed
  /// keeps giving the same shuffles on every Swift release.
  public mutating func nextInt(below upperBound: Int) -> Int {
    guard upperBound > 1 else { return 0 }
    let bound = UInt64(upperBound)
    var (high, low) = next().multipliedFullWidth(by: bound)
    if low < bound {
      let threshold = (0 &- bound) % bound
      while low < threshold { (high, low) = next().multipliedFullWidth(by: bound) }
    }
    return Int(high)
  }

  /// Shuffles `values` in place (Fisher-Yates, our own so the order never changes).
  public mutating func shuffle<T>(_ values: inout [T]) {
    guard values.count > 1 else { return }
    for i in stride(from: values.count - 1, to: 0, by: -1) {
      let j = nextInt(below: i + 1)
      if i != j { values.swapAt(i, j) }
    }
  }
}

/// The process-wide generator the `seed` command resets; used when no generator is passed.
/// Guarded by `sharedGeneratorLock`: parallel tests or a background task may draw from it.
nonisolated(unsafe) private var sharedGenerator = SeededGenerator(seed: 0)
private let sharedGeneratorLock = NSLock()

extension SeededGenerator {
  /// Resets the process-wide generator.
  public static func seedGlobal(_ seed: UInt64) {
    sharedGeneratorLock.withLock { sharedGenerator = SeededGenerator(seed: seed) }
  }

  /// Runs `body` with the process-wide generator.
  public static func withGlobal<R>(_ body: (inout SeededGenerator) throws -> R) rethrows -> R {
    sharedGeneratorLock.lock()
    defer { sharedGeneratorLock.unlock() }
    return try body(&sharedGenerator)
  }

  /// Draws a fresh seed from the process-wide generator (for a child generator).
  public static func nextGlobalSeed() -> UInt64 {
    sharedGeneratorLock.withLock { sharedGenerator.next() }
  }
}
