/// Eight xoshiro256** streams advanced side by side in vector registers, for bulk draws
/// such as dropout masks.
///
/// One xoshiro step is a chain of dependent shifts and xors, so a single stream yields a
/// number every few cycles however wide the machine is. Eight independent streams step in
/// the lanes of one `SIMD8<UInt64>` (two AVX2 registers) for the price of one, and every
/// 64-bit draw serves two elements through its two 32-bit halves. The lanes are seeded
/// from one 64-bit seed through SplitMix64, the seeding the xoshiro authors recommend, so a
/// seed fixes every lane and a draw is the same on every machine.
public struct LaneGenerator {
  public typealias Lanes = SIMD8<UInt64>

  @usableFromInline var s0: Lanes
  @usableFromInline var s1: Lanes
  @usableFromInline var s2: Lanes
  @usableFromInline var s3: Lanes

  /// Eight streams whose 32 state words are consecutive SplitMix64 outputs from `seed`.
  public init(seed: UInt64) {
    var mixer = seed
    func splitMix() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    var words = [Lanes](repeating: .zero, count: 4)
    for lane in 0..<Lanes.scalarCount {
      for word in 0..<4 { words[word][lane] = splitMix() }
    }
    (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
  }

  /// Eight streams seeded by one draw from `generator` (which advances by one step).
  public init(drawingFrom generator: inout SeededGenerator) {
    self.init(seed: generator.next())
  }

  @inlinable @inline(__always)
  static func rotate(_ x: Lanes, _ k: UInt64) -> Lanes {
    (x &<< Lanes(repeating: k)) | (x &>> Lanes(repeating: 64 - k))
  }

  /// The next 64 random bits of each stream (xoshiro256**, lane by lane).
  @inlinable @inline(__always)
  public mutating func next() -> Lanes {
    let result = LaneGenerator.rotate(s1 &* 5, 7) &* 9
    let t = s1 &<< 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = LaneGenerator.rotate(s3, 45)
    return result
  }

  /// Sixteen uniform 32-bit words: the low halves of the eight draws, then the high ones.
  @inlinable @inline(__always)
  public mutating func nextWords() -> (SIMD8<UInt32>, SIMD8<UInt32>) {
    let draw = next()
    return (
      SIMD8<UInt32>(truncatingIfNeeded: draw), SIMD8<UInt32>(truncatingIfNeeded: draw &>> 32)
    )
  }

  /// The 32-bit threshold below which a uniform word counts as a success of probability
  /// `probability`: ⌈p·2³²⌉ clamped to the word's range, so p = 0 never succeeds and the
  /// rate is exact to within 2⁻³².
  public static func threshold(forProbability probability: Double) -> UInt32 {
    let scaled = (probability * 0x1p32).rounded(.up)
    guard scaled > 0 else { return 0 }
    return scaled >= 0x1p32 ? UInt32.max : UInt32(scaled)
  }
}
