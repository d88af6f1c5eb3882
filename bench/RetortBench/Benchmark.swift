import Foundation

/// The timing of one benchmarked body: nanoseconds per call over many samples.
struct Measurement {
  /// Nanoseconds per call, one entry per sample, sorted.
  let samples: [Double]

  /// The middle sample: robust against the other engineers' jobs on a shared machine.
  var median: Double { percentile(0.5) }
  /// The 95th percentile: how bad a slow call gets.
  var p95: Double { percentile(0.95) }
  /// The fastest sample.
  var best: Double { samples.first ?? 0 }

  /// The sample below which `fraction` of the samples fall (nearest rank).
  func percentile(_ fraction: Double) -> Double {
    guard !samples.isEmpty else { return 0 }
    let rank = Int((fraction * Double(samples.count)).rounded(.up)) - 1
    return samples[Swift.min(Swift.max(rank, 0), samples.count - 1)]
  }
}

/// Warm-up, repetitions, median and p95 for a body of code.
enum Benchmark {
  /// Nanoseconds on a monotonic clock.
  static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

  /// Runs `body` `warmup` times unmeasured, then `repetitions` samples of `callsPerSample`
  /// calls each; a sample's time is divided by its calls, so that a body far shorter than
  /// the clock's own cost (a sub-microsecond op) is still timed fairly.
  static func measure(
    warmup: Int = 3, repetitions: Int = 20, callsPerSample: Int = 1,
    _ body: () throws -> Void
  ) rethrows -> Measurement {
    for _ in 0..<warmup { try body() }
    var samples: [Double] = []
    samples.reserveCapacity(repetitions)
    for _ in 0..<repetitions {
      let start = now()
      for _ in 0..<callsPerSample { try body() }
      samples.append(Double(now() - start) / Double(callsPerSample))
    }
    return Measurement(samples: samples.sorted())
  }
}

extension Benchmark {
  /// Times two bodies in alternation, one call of each per repetition, so that both see the
  /// same background load; their ratio is then far steadier on a shared machine than two
  /// separate runs would give.
  static func measureInterleaved(
    warmup: Int = 3, repetitions: Int = 20, _ first: () throws -> Void,
    _ second: () throws -> Void
  ) rethrows -> (Measurement, Measurement) {
    for _ in 0..<warmup {
      try first()
      try second()
    }
    var a: [Double] = []
    var b: [Double] = []
    for _ in 0..<repetitions {
      var start = now()
      try first()
      a.append(Double(now() - start))
      start = now()
      try second()
      b.append(Double(now() - start))
    }
    return (Measurement(samples: a.sorted()), Measurement(samples: b.sorted()))
  }
}

/// Keeps the optimiser from deleting work whose result is otherwise unused.
@inline(never)
func blackHole<T>(_ value: T) { _ = value }
