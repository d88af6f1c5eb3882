import Foundation

/// What the benchmark ran on, and the floating-point peak it could reach.
struct Machine {
  let cores: Int
  let megahertz: Double
  let model: String

  /// Single-precision FLOP per cycle and core with AVX2 FMA: two 256-bit FMA units, each
  /// 8 lanes × 2 FLOP (multiply and add) = 32.
  static let flopsPerCycle = 32.0

  /// cores × clock × 32, in GFLOP/s.
  var peakGflops: Double { Double(cores) * megahertz / 1000 * Machine.flopsPerCycle }

  /// Reads the core count and clock ("cpu MHz") from /proc/cpuinfo; falls back to the
  /// process's view of the cores and 0 MHz (no peak) where that file is missing.
  static func current() -> Machine {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else {
      return Machine(cores: cores, megahertz: 0, model: "unknown")
    }
    var megahertz = 0.0
    var model = "unknown"
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: ":", maxSplits: 1)
      guard parts.count == 2 else { continue }
      let key = parts[0].trimmingCharacters(in: .whitespaces)
      let value = parts[1].trimmingCharacters(in: .whitespaces)
      if key == "cpu MHz", megahertz == 0 { megahertz = Double(value) ?? 0 }
      if key == "model name", model == "unknown" { model = value }
    }
    return Machine(cores: cores, megahertz: megahertz, model: model)
  }
}
