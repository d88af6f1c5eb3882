import RetortTensor

/// A 64-512-512-10 perceptron built straight from tensors, for one training step.
struct PerceptronStep {
  static let batch = 64
  static let widths = [64, 512, 512, 10]

  let input: Tensor
  let labels: [Int]
  let weights: [Tensor]
  let biases: [Tensor]

  init(seed: UInt64) throws {
    var generator = SeededGenerator(seed: seed)
    let widths = PerceptronStep.widths
    input = try Tensor.randomNormal([PerceptronStep.batch, widths[0]], generator: &generator)
    labels = (0..<PerceptronStep.batch).map { _ in generator.nextInt(below: widths[3]) }
    var weights: [Tensor] = []
    var biases: [Tensor] = []
    for layer in 0..<3 {
      let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
      // He initialisation keeps the activations of relu layers at unit scale.
      let w = try Tensor.randomNormal(
        [fanOut, fanIn], std: (2 / Float(fanIn)).squareRoot(), generator: &generator)
      let b = try Tensor.zeros([fanOut])
      w.requiresGrad = true
      b.requiresGrad = true
      weights.append(w)
      biases.append(b)
    }
    self.weights = weights
    self.biases = biases
  }

  /// Forward, softmax cross-entropy (log-softmax, then the label's entry), backward.
  func run() throws -> Float {
    for parameter in weights + biases { parameter.zeroGrad() }
    var hidden = input
    for layer in 0..<3 {
      hidden = try hidden.linear(weight: weights[layer], bias: biases[layer])
      if layer < 2 { hidden = hidden.relu() }
    }
    let logProbabilities = try hidden.logSoftmax(alongAxis: 1)
    let loss = -(try logProbabilities.gatherRows(labels).mean())
    try loss.backward()
    return try loss.item()
  }

  /// The same step's matrix products alone: 3 forward (x·Wᵀ) and 6 backward (g·W for the
  /// input gradient and gᵀ·x for the weight gradient of each layer), on plain tensors.
  func productsOnly() throws -> () throws -> Void {
    let widths = PerceptronStep.widths
    let batch = PerceptronStep.batch
    var generator = SeededGenerator(seed: 99)
    func random(_ shape: [Int]) throws -> Tensor {
      try Tensor.randomNormal(shape, generator: &generator)
    }
    var forward: [(Tensor, Tensor)] = []
    var backward: [(Tensor, Tensor)] = []
    for layer in 0..<3 {
      let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
      forward.append((try random([batch, fanIn]), try random([fanIn, fanOut])))
      backward.append((try random([batch, fanOut]), try random([fanOut, fanIn])))
      backward.append((try random([fanOut, batch]), try random([batch, fanIn])))
    }
    return {
      try Tensor.withoutGradients {
        for (a, b) in forward + backward { blackHole(try a.matmul(b)) }
      }
    }
  }
}

/// One MLP training step against the time of its matrix products alone.
/// Target: the step within 1.5x of its products.
func perceptronSection() throws -> Section {
  let step = try PerceptronStep(seed: 3)
  let products = try step.productsOnly()
  let (full, matmulOnly) = try Benchmark.measureInterleaved(
    warmup: 5, repetitions: 100, { blackHole(try step.run()) }, { try products() })
  let ratio = full.median / matmulOnly.median
  return Section(
    title: "MLP 64-512-512-10, batch 64: forward + backward",
    rows: [
      ResultRow(
        name: "training step", value: full.median / 1e6, unit: "ms",
        medianNanoseconds: full.median, p95Nanoseconds: full.p95),
      ResultRow(
        name: "its 9 matrix products alone", value: matmulOnly.median / 1e6, unit: "ms",
        medianNanoseconds: matmulOnly.median, p95Nanoseconds: matmulOnly.p95),
      ResultRow(
        name: "step / products", value: ratio, unit: "x",
        note: ratio <= 1.5 ? "target <= 1.5x: met" : "target <= 1.5x: MISSED"),
    ])
}
