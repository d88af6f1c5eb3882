import RetortTensor

// MARK: - Matrix products

/// sgemm throughput through `Tensor.matmul` at square sizes, against the machine's peak.
func matmulSection(machine: Machine, sizes: [Int]) throws -> Section {
  var generator = SeededGenerator(seed: 1)
  var rows: [ResultRow] = []
  for n in sizes {
    let a = try Tensor.randomNormal([n, n], generator: &generator)
    let b = try Tensor.randomNormal([n, n], generator: &generator)
    // Fewer samples for the big sizes keep the section to a few seconds.
    let repetitions = n >= 2048 ? 5 : (n >= 1024 ? 10 : 30)
    let timing = try Tensor.withoutGradients {
      try Benchmark.measure(warmup: 2, repetitions: repetitions) { blackHole(try a.matmul(b)) }
    }
    let gflops = 2 * Double(n) * Double(n) * Double(n) / timing.median
    let share = machine.peakGflops > 0 ? gflops / machine.peakGflops * 100 : 0
    rows.append(
      ResultRow(
        name: "sgemm \(n)x\(n)x\(n)", value: gflops, unit: "GFLOP/s",
        medianNanoseconds: timing.median, p95Nanoseconds: timing.p95,
        note: String(format: "%.0f%% of peak", share)))
  }
  rows.append(
    ResultRow(
      name: "theoretical peak", value: machine.peakGflops, unit: "GFLOP/s",
      note: "\(machine.cores) cores x \(Int(machine.megahertz)) MHz x 32 FLOP/cycle (AVX2 FMA)"))
  rows.append(ResultRow(name: "threads for products", value: Double(BLAS.threads), unit: ""))
  return Section(title: "Matrix products (Tensor.matmul -> OpenBLAS sgemm)", rows: rows)
}

// MARK: - Per-op overhead

/// The cost of one small elementwise op while the tape records it: [64, 32] + [64, 32],
/// both operands requiring gradients. Target: under 2 µs.
func smallOpSection() throws -> Section {
  var generator = SeededGenerator(seed: 2)
  let a = try Tensor.randomNormal([64, 32], generator: &generator)
  let b = try Tensor.randomNormal([64, 32], generator: &generator)
  a.requiresGrad = true
  b.requiresGrad = true
  let recorded = try Benchmark.measure(warmup: 200, repetitions: 300, callsPerSample: 100) {
    blackHole(try a + b)
  }
  let plain = try Tensor.withoutGradients {
    try Benchmark.measure(warmup: 200, repetitions: 300, callsPerSample: 100) {
      blackHole(try a + b)
    }
  }
  let scalarOp = Benchmark.measure(warmup: 200, repetitions: 300, callsPerSample: 100) {
    blackHole(a * 2)
  }
  return Section(
    title: "Elementwise op overhead ([64, 32] tensors)",
    rows: [
      ResultRow(
        name: "add, recording grad", value: recorded.median, unit: "ns",
        medianNanoseconds: recorded.median, p95Nanoseconds: recorded.p95,
        note: recorded.median < 2000 ? "target < 2000 ns: met" : "target < 2000 ns: MISSED"),
      ResultRow(
        name: "add, no grad", value: plain.median, unit: "ns",
        medianNanoseconds: plain.median, p95Nanoseconds: plain.p95),
      ResultRow(
        name: "multiply by Float, recording", value: scalarOp.median, unit: "ns",
        medianNanoseconds: scalarOp.median, p95Nanoseconds: scalarOp.p95),
    ])
}
