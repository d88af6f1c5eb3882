import Foundation
import RetortNetworks
import RetortTensor

// The quick start as a whole: its recipe's accuracy over seeds, its peak memory (measured
// in a child process so the other sections' buffers do not count), and the start-up time
// of the `retort` binary.

// MARK: - The recipe

/// Teacher from labels, then a student distilled from it with the teacher cache, as the
/// quick start does and as the training tests check (15 and 30 epochs).
enum QuickstartRecipe {
  static let teacherEpochs = 15
  static let studentEpochs = 30
  static let studentLearningRate: Float = 5e-3

  /// Test accuracies of the trained teacher and of the distilled student.
  static func run(seed: UInt64, train: Dataset, test: Dataset) throws -> (Double, Double) {
    let teacher = try DigitsRecipe.teacher(seed: seed &* 2 &+ 1)
    var options = TrainingOptions()
    options.epochs = teacherEpochs
    options.seed = seed
    _ = try Trainer(student: teacher, options: options).run(
      on: train, history: History(), label: "train teacher")
    let student = try DigitsRecipe.student(seed: seed &* 2 &+ 2)
    options.epochs = studentEpochs
    options.learningRate = studentLearningRate
    _ = try Trainer(
      student: student, teachers: [teacher], loss: DigitsRecipe.loss, options: options
    ).run(on: train, history: History(), label: "distill student")
    return (
      try Trainer.score(teacher, on: test).1, try Trainer.score(student, on: test).1
    )
  }

  static var description: String {
    "teacher \(teacherEpochs) epochs at 1e-3; student distilled \(studentEpochs) epochs at "
      + "\(studentLearningRate), 0.3 ce + 0.7 kd(T=4)"
  }
}

// MARK: - Accuracy over seeds

/// Mean and sample standard deviation of the recipe's test accuracies over three seeds.
func accuracySection(figures: Figures) throws -> Section {
  let (train, test) = try DigitsRecipe.split()
  var teacherScores: [Double] = []
  var studentScores: [Double] = []
  for seed: UInt64 in [1, 2, 3] {
    let (teacher, student) = try QuickstartRecipe.run(seed: seed, train: train, test: test)
    teacherScores.append(teacher)
    studentScores.append(student)
  }
  var rows: [ResultRow] = []
  for (role, scores) in [("teacher", teacherScores), ("student", studentScores)] {
    let (mean, std) = meanAndDeviation(scores)
    figures["\(role)_accuracy.mean"] = mean
    figures["\(role)_accuracy.std"] = std
    rows.append(
      ResultRow(
        name: "\(role) test accuracy", value: mean * 100, unit: "%",
        note: String(format: "± %.2f over seeds 1-3: ", std * 100)
          + scores.map { String(format: "%.2f", $0 * 100) }.joined(separator: ", ")))
  }
  return Section(
    title: "Digits accuracy after the quick-start recipe (\(QuickstartRecipe.description))",
    rows: rows)
}

/// The mean and the sample (n - 1) standard deviation, as Python's statistics.stdev.
func meanAndDeviation(_ values: [Double]) -> (Double, Double) {
  guard !values.isEmpty else { return (0, 0) }
  let mean = values.reduce(0, +) / Double(values.count)
  guard values.count > 1 else { return (mean, 0) }
  let squares = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
  return (mean, (squares / Double(values.count - 1)).squareRoot())
}

// MARK: - Peak memory

/// This process's peak resident set (VmHWM) in MB, from /proc/self/status.
func peakResidentMegabytes() -> Double? {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else {
    return nil
  }
  for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    if fields.count >= 2, let kilobytes = Double(fields[1]) { return kilobytes / 1024 }
  }
  return nil
}

/// The hidden `--quickstart-memory` mode: one run of the recipe, then the peak memory.
func quickstartMemoryMode() throws {
  let (train, test) = try DigitsRecipe.split()
  _ = try QuickstartRecipe.run(seed: 0, train: train, test: test)
  guard let peak = peakResidentMegabytes() else {
    throw BenchError("cannot read VmHWM from /proc/self/status")
  }
  print(peak)
}

/// Runs this binary with `arguments` and returns its standard output.
func runChild(_ executable: URL, _ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = executable
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  try process.run()
  let output = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  guard process.terminationStatus == 0 else {
    throw BenchError(
      "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) exited with "
        + "status \(process.terminationStatus)")
  }
  return String(decoding: output, as: UTF8.self)
}

/// Peak memory of a quick-start-like run in a fresh child process of this binary.
func memorySection(figures: Figures) throws -> Section {
  guard let executable = Bundle.main.executableURL else {
    throw BenchError("cannot find this executable to run it as a child process")
  }
  let output = try runChild(executable, ["--quickstart-memory"])
  guard let peak = Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
    throw BenchError("the --quickstart-memory child printed \(output.debugDescription)")
  }
  figures["quickstart_peak_mb"] = peak
  return Section(
    title: "Peak memory of a quick-start-like run (child process, VmHWM)",
    rows: [
      ResultRow(
        name: "train teacher, distil student", value: peak, unit: "MB",
        note: peak < 100 ? "target < 100 MB: met" : "target < 100 MB: MISSED")
    ])
}

// MARK: - Start-up

/// The median wall time of `retort -e '1'` over 20 runs (after 2 warm-ups), when the
/// `retort` binary sits next to this one and prints the 1.
func startupSection(figures: Figures) throws -> Section {
  let title = "Start-up: retort -e '1' to exit (median of 20 runs)"
  let folder = Bundle.main.executableURL?.deletingLastPathComponent()
  guard let retort = folder?.appendingPathComponent("retort"),
    FileManager.default.isExecutableFile(atPath: retort.path)
  else {
    return Section(
      title: title, rows: [ResultRow(name: "n/a (retort not built)", value: 0, unit: "")])
  }
  // A binary that does not evaluate `1` (an early stub) would time nothing worth reporting.
  let probe = (try? runChild(retort, ["-e", "1"])) ?? ""
  guard probe.split(whereSeparator: \.isWhitespace).contains("1") else {
    return Section(
      title: title,
      rows: [
        ResultRow(
          name: "n/a (retort -e '1' did not print 1)", value: 0, unit: "",
          note: "output: \(probe.prefix(40).debugDescription)")
      ])
  }
  let timing = try Benchmark.measure(warmup: 2, repetitions: 20) {
    _ = try runChild(retort, ["-e", "1"])
  }
  figures["startup_s"] = timing.median / 1e9
  return Section(
    title: title,
    rows: [
      ResultRow(
        name: "retort -e '1'", value: timing.median / 1e6, unit: "ms",
        medianNanoseconds: timing.median, p95Nanoseconds: timing.p95,
        note: timing.median < 1e8 ? "target < 100 ms: met" : "target < 100 ms: MISSED")
    ])
}
