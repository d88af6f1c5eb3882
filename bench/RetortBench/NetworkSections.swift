import Foundation
import RetortNetworks
import RetortTensor

// The network workloads that bench/torch_baseline.py runs in PyTorch: the same models,
// optimiser, batch size and data. Each section writes its headline figures into `figures`
// under the keys of the PyTorch JSON, for the side-by-side table.

// MARK: - Shared recipe

/// The models and data of the digits workloads.
enum DigitsRecipe {
  static let teacherWidths = [64, 512, 512, 10]
  static let studentWidths = [64, 32, 10]
  static let teacherDropout: Float = 0.2
  /// The distillation loss of the quick start: 0.3·CE + 0.7·KD at T = 4.
  static var loss: DistillationLoss { 0.3 * .ce() + 0.7 * .kd(temperature: 4) }
  /// Epochs timed per workload, after one unmeasured warm-up epoch (as in PyTorch's script).
  static let timedEpochs = 8

  /// The stratified 80/20 split of the bundled digits (1437 training examples).
  static func split() throws -> (train: Dataset, test: Dataset) {
    let parts = try Dataset.digits().split(fractions: [0.8, 0.2], stratified: true, seed: 42)
    return (parts[0], parts[1])
  }

  static func teacher(seed: UInt64) throws -> Sequential {
    var generator = SeededGenerator(seed: seed)
    return try Sequential.mlp(
      widths: teacherWidths, dropout: teacherDropout, generator: &generator)
  }

  static func student(seed: UInt64) throws -> Sequential {
    var generator = SeededGenerator(seed: seed)
    return try Sequential.mlp(widths: studentWidths, generator: &generator)
  }
}

/// Seconds per epoch over a run of `1 + timed` epochs, the first (warm-up, and the teacher
/// cache's build) left out: the fastest, the median, and every epoch. The fastest is the
/// headline, as in torch_baseline.py: other jobs on a shared machine only slow epochs down.
func secondsPerEpoch(
  student: Sequential, teachers: [Sequential] = [], loss: DistillationLoss = .ce(),
  options base: TrainingOptions = TrainingOptions(), cache: TeacherCache = TeacherCache(),
  on data: Dataset, timed: Int = DigitsRecipe.timedEpochs
) throws -> EpochTimes {
  var options = base
  options.epochs = 1 + timed
  let history = History()
  _ = try Trainer(student: student, teachers: teachers, loss: loss, options: options, cache: cache)
    .run(on: data, history: history, label: "bench")
  let seconds = history.epochs.map(\.seconds)
  let measured = seconds.count > 1 ? Array(seconds.dropFirst()) : seconds
  return EpochTimes(best: measured.min() ?? 0, median: median(measured), epochs: seconds)
}

/// The timings of one training run's epochs.
struct EpochTimes {
  var best: Double
  var median: Double
  var epochs: [Double]
}

func median(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return 0 }
  let sorted = values.sorted()
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

// MARK: - Digits epochs

/// Seconds per epoch on the digits: teacher, student, and distillation with the teacher run
/// on every batch (as PyTorch does) and with its outputs cached once for the whole run.
func digitsEpochSection(figures: Figures) throws -> Section {
  let (train, _) = try DigitsRecipe.split()
  let teacher = try DigitsRecipe.teacher(seed: 1)
  let teacherTime = try secondsPerEpoch(student: teacher, on: train)
  let student = try DigitsRecipe.student(seed: 2)
  let studentTime = try secondsPerEpoch(student: student, on: train)

  var uncachedOptions = TrainingOptions()
  uncachedOptions.cacheTeacher = false
  let distilledPerBatch = try DigitsRecipe.student(seed: 3)
  let perBatch = try secondsPerEpoch(
    student: distilledPerBatch, teachers: [teacher], loss: DigitsRecipe.loss,
    options: uncachedOptions, on: train)
  // Epoch 1 builds the cache (one eval pass of the teacher over the transfer set); the
  // timed epochs 2...n reuse it, as a REPL session does across `distill` commands.
  let distilledCached = try DigitsRecipe.student(seed: 3)
  let cached = try secondsPerEpoch(
    student: distilledCached, teachers: [teacher], loss: DigitsRecipe.loss, on: train)

  let times = [
    ("teacher", teacherTime), ("student", studentTime), ("distill", perBatch),
    ("distill_cached", cached),
  ]
  for (name, time) in times {
    figures["digits_\(name)_epoch_s"] = time.best
    figures["digits_\(name)_epoch_median_s"] = time.median
  }
  let steps = (train.count + 63) / 64
  func row(_ name: String, _ time: EpochTimes) -> ResultRow {
    ResultRow(
      name: name, value: time.best * 1000, unit: "ms/epoch",
      note: String(
        format: "%.0f µs/step; median %.1f ms; epoch 1 %.1f ms",
        time.best / Double(steps) * 1e6, time.median * 1000, (time.epochs.first ?? 0) * 1000))
  }
  return Section(
    title: "Digits epochs (\(train.count) examples, batch 64, Adam 1e-3, fastest of "
      + "\(DigitsRecipe.timedEpochs))",
    rows: [
      row("teacher 64-512-512-10", teacherTime),
      row("student 64-32-10", studentTime),
      row("distill, teacher per batch", perBatch),
      row("distill, teacher cache", cached),
    ])
}

// MARK: - Fashion-MNIST

/// Fashion-MNIST epochs timed; the fastest is compared, as bench/torch_baseline.py does. On a
/// shared machine other work only ever slows an epoch down.
let fashionEpochs = 3

/// Epochs of a 784-1200-1200-10 MLP (dropout 0.2, Adam, batch 64) on the 60 000
/// Fashion-MNIST training images; a note instead when the dataset is not installed.
func fashionEpochSection(figures: Figures) throws -> Section {
  let title = "Fashion-MNIST MLP 784-1200-1200-10, batch 64: fastest of \(fashionEpochs) epochs"
  let loadStart = Benchmark.now()
  let data: Dataset
  do {
    // Flat 784-vectors, as the PyTorch script feeds them (no flatten layer in the model).
    data = try Dataset.fashionMNIST(split: .train).reshaped(exampleShape: [784])
  } catch {
    return Section(
      title: title,
      rows: [ResultRow(name: "skipped", value: 0, unit: "", note: "\(error)")])
  }
  let loadSeconds = Double(Benchmark.now() - loadStart) / 1e9
  var generator = SeededGenerator(seed: 4)
  let model = try Sequential.mlp(
    widths: [784, 1200, 1200, 10], dropout: 0.2, generator: &generator)
  var options = TrainingOptions()
  options.epochs = fashionEpochs
  let history = History()
  _ = try Trainer(student: model, options: options).run(on: data, history: history, label: "")
  let times = history.epochs.map(\.seconds).sorted()
  let seconds = times.first ?? 0
  figures["fashion_teacher_epoch_s"] = seconds
  let steps = (data.count + 63) / 64
  return Section(
    title: title,
    rows: [
      ResultRow(
        name: "fastest epoch", value: seconds, unit: "s",
        note: String(
          format: "%.2f ms/step over %d steps", seconds / Double(steps) * 1000,
          steps)),
      ResultRow(
        name: "median epoch", value: times.isEmpty ? 0 : times[times.count / 2], unit: "s"),
      ResultRow(name: "loading the gz IDX files", value: loadSeconds, unit: "s"),
    ])
}

// MARK: - Batch-1 latency

/// One forward pass of a single example in eval mode without gradients: the latency a
/// REPL user sees for `predict`. Its products are far under `BLAS.parallelThreshold`, so
/// they run on the calling thread whatever the thread count.
func latencySection(figures: Figures) throws -> Section {
  let (train, _) = try DigitsRecipe.split()
  let example = try train.features.sliced([SliceRange(start: 0, end: 1)])
  let models = [
    ("teacher", try DigitsRecipe.teacher(seed: 1)), ("student", try DigitsRecipe.student(seed: 2)),
  ]
  var rows: [ResultRow] = []
  for (role, model) in models {
    model.eval()
    let timing = try Tensor.withoutGradients {
      try Benchmark.measure(warmup: 200, repetitions: 2000) {
        blackHole(try model.forward(example))
      }
    }
    rows.append(
      ResultRow(
        name: role, value: timing.median / 1000, unit: "µs", medianNanoseconds: timing.median,
        p95Nanoseconds: timing.p95, note: String(format: "p95 %.1f µs", timing.p95 / 1000)))
    figures["\(role)_latency.median_us"] = timing.median / 1000
    figures["\(role)_latency.p95_us"] = timing.p95 / 1000
  }
  return Section(title: "Batch-1 inference latency (2000 calls, eval, no gradients)", rows: rows)
}

// MARK: - Optimizer step

/// One Adam step on a 1200×1200 weight (the middle layer of the Fashion-MNIST MLP): four
/// buffers of 5.8 MB streamed through memory, the largest cost of a step besides sgemm.
func adamSection() throws -> Section {
  var generator = SeededGenerator(seed: 6)
  let weight = try Tensor.randomNormal([1200, 1200], std: 0.03, generator: &generator)
  weight.requiresGrad = true
  weight.grad = try Tensor.randomNormal([1200, 1200], std: 0.01, generator: &generator)
  let optimizer = try Adam(parameters: [weight])
  let timing = try Benchmark.measure(warmup: 5, repetitions: 50) { try optimizer.step() }
  let gigabytes = Double(weight.count * 4 * 7) / timing.median
  return Section(
    title: "Adam step on a 1200x1200 weight",
    rows: [
      ResultRow(
        name: "step", value: timing.median / 1e6, unit: "ms",
        medianNanoseconds: timing.median, p95Nanoseconds: timing.p95,
        note: String(format: "%.1f GB/s (4 buffers read, 3 written)", gigabytes))
    ])
}

/// Writes the example indices of Retort's digits split (80/20, stratified, seed 42) as
/// `{"train": [...], "test": [...]}`, so the PyTorch baseline trains and tests on the very
/// same examples. The split depends only on the labels and the seed, so splitting a dataset
/// whose single feature is each row's index yields the indices themselves.
func writeDigitsSplit(to path: String) throws {
  let digits = try Dataset.digits()
  let indices = try Tensor(
    shape: [digits.count, 1], scalars: (0..<digits.count).map { Float($0) })
  let rows = try Dataset(
    name: "indices", features: indices, labels: digits.labels, classNames: digits.classNames)
  let parts = try rows.split(fractions: [0.8, 0.2], stratified: true, seed: 42)
  let object: [String: [Int]] = [
    "train": parts[0].features.scalars.map { Int($0) },
    "test": parts[1].features.scalars.map { Int($0) },
  ]
  let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  try data.write(to: URL(fileURLWithPath: path))
}

// MARK: - Fashion-MNIST step phases

/// Where one step of the Fashion-MNIST MLP (784-1200-1200-10, dropout 0.2, Adam, batch 64)
/// spends its time: forward with the loss, backward, the optimizer's update, against the
/// step's eight matrix products alone. Random inputs, so it runs without the dataset.
func fashionStepSection() throws -> Section {
  var generator = SeededGenerator(seed: 8)
  let model = try Sequential.mlp(
    widths: [784, 1200, 1200, 10], dropout: 0.2, generator: &generator)
  let input = try Tensor.randomNormal([64, 784], generator: &generator)
  let labels = (0..<64).map { _ in generator.nextInt(below: 10) }
  let optimizer = try Adam(parameters: model.parameters)
  var forward: [Double] = []
  var backward: [Double] = []
  var update: [Double] = []
  var whole: [Double] = []
  for repetition in 0..<260 {
    let t0 = Benchmark.now()
    let loss = try Losses.crossEntropy(logits: try model.forward(input), labels: labels)
    let t1 = Benchmark.now()
    optimizer.zeroGrad()
    try loss.backward()
    let t2 = Benchmark.now()
    try optimizer.step()
    let t3 = Benchmark.now()
    guard repetition >= 10 else { continue }
    forward.append(Double(t1 - t0))
    backward.append(Double(t2 - t1))
    update.append(Double(t3 - t2))
    whole.append(Double(t3 - t0))
  }
  let products = try fashionProductsOnly()
  let productTime = try Benchmark.measure(warmup: 5, repetitions: 100) { try products() }
  func row(_ name: String, _ samples: [Double], note: String = "") -> ResultRow {
    let m = Measurement(samples: samples.sorted())
    return ResultRow(
      name: name, value: m.median / 1e6, unit: "ms", medianNanoseconds: m.median,
      p95Nanoseconds: m.p95, note: note)
  }
  let step = Measurement(samples: whole.sorted()).median
  return Section(
    title: "Fashion-MNIST MLP step, batch 64 (median of 250; random data)",
    rows: [
      row("forward + loss", forward),
      row("backward", backward),
      row("Adam update (2.4M weights)", update),
      row("whole step", whole, note: String(format: "%.2f s per 938-step epoch", step * 938 / 1e9)),
      ResultRow(
        name: "its 8 matrix products alone", value: productTime.median / 1e6, unit: "ms",
        medianNanoseconds: productTime.median, p95Nanoseconds: productTime.p95),
    ])
}

/// The step's products on plain tensors: three forward, three weight gradients and the
/// input gradients of the second and third layer (the first layer's input needs none).
func fashionProductsOnly() throws -> () throws -> Void {
  var generator = SeededGenerator(seed: 9)
  func random(_ shape: [Int]) throws -> Tensor {
    try Tensor.randomNormal(shape, generator: &generator)
  }
  let widths = [784, 1200, 1200, 10]
  var pairs: [(Tensor, Tensor)] = []
  for layer in 0..<3 {
    let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
    pairs.append((try random([64, fanIn]), try random([fanIn, fanOut])))
    pairs.append((try random([fanOut, 64]), try random([64, fanIn])))
    if layer > 0 { pairs.append((try random([64, fanOut]), try random([fanOut, fanIn]))) }
  }
  return {
    try Tensor.withoutGradients {
      for (a, b) in pairs { blackHole(try a.matmul(b)) }
    }
  }
}
