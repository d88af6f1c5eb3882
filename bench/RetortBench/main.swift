import Foundation
import RetortTensor

// retort-bench: the tensor engine's speed, as an aligned table (and JSON with --json FILE).
// Build it optimised: `make bench`, or
// swift build -c release $(scripts/swift-flags) --product retort-bench.

/// Command-line options.
struct Options {
  var jsonPath: String?
  var torchPath: String?
  var quick = false
  var only: Set<String>?
  /// The hidden child mode that measures a quick-start-like run's peak memory.
  var quickstartMemory = false
  /// Writes the digits train/test indices Retort uses, so PyTorch trains on the same split.
  var digitsSplitPath: String?

  static let sectionNames = [
    "matmul", "ops", "mlp", "adam", "fashion-step", "digits", "fashion", "latency", "accuracy",
    "memory", "startup",
  ]

  static let usage = """
    usage: retort-bench [--json FILE] [--torch FILE] [--quick] [--only SECTIONS]
      --json FILE      also write the results as JSON to FILE
      --torch FILE     PyTorch's figures from bench/torch_baseline.py, for a side-by-side table
      --quick          skip the 2048 matrix product and the Fashion-MNIST epochs
      --only SECTIONS  run only these, comma-separated: \(sectionNames.joined(separator: ","))
      --write-digits-split FILE
                       write the digits train/test indices as JSON and exit
    """

  static func parse(_ arguments: [String]) -> Result<Options, OptionsError> {
    var options = Options()
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "--json":
        guard let path = rest.popFirst() else {
          return .failure(OptionsError("--json needs a file name"))
        }
        options.jsonPath = path
      case "--torch":
        guard let path = rest.popFirst() else {
          return .failure(OptionsError("--torch needs a file name"))
        }
        options.torchPath = path
      case "--only":
        guard let list = rest.popFirst() else {
          return .failure(OptionsError("--only needs a list of sections"))
        }
        let names = Set(list.split(separator: ",").map(String.init))
        if let unknown = names.first(where: { !sectionNames.contains($0) }) {
          return .failure(OptionsError("unknown section \(unknown)"))
        }
        options.only = names
      case "--quickstart-memory": options.quickstartMemory = true
      case "--write-digits-split":
        guard let path = rest.popFirst() else {
          return .failure(OptionsError("--write-digits-split needs a file name"))
        }
        options.digitsSplitPath = path
      case "--quick": options.quick = true
      case "-h", "--help": return .failure(OptionsError(""))
      default: return .failure(OptionsError("unknown argument \(argument)"))
      }
    }
    return .success(options)
  }
}

struct OptionsError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}

func runBenchmarks(_ options: Options) throws {
  let machine = Machine.current()
  let sizes = options.quick ? [256, 512, 1024] : [256, 512, 1024, 2048]
  let figures = Figures()
  // Each section is a function returning its rows; the network ones also fill `figures`
  // for the comparison with PyTorch.
  var sections: [(String, () throws -> Section)] = [
    ("matmul", { try matmulSection(machine: machine, sizes: sizes) }),
    ("ops", { try smallOpSection() }),
    ("mlp", { try perceptronSection() }),
    ("adam", { try adamSection() }),
    ("fashion-step", { try fashionStepSection() }),
    ("digits", { try digitsEpochSection(figures: figures) }),
    ("fashion", { try fashionEpochSection(figures: figures) }),
    ("latency", { try latencySection(figures: figures) }),
    ("accuracy", { try accuracySection(figures: figures) }),
    ("memory", { try memorySection(figures: figures) }),
    ("startup", { try startupSection(figures: figures) }),
  ]
  if options.quick {
    sections.removeAll { $0.0 == "fashion" }
  }
  if let only = options.only { sections.removeAll { !only.contains($0.0) } }
  var results: [Section] = []
  for (_, section) in sections { results.append(try section()) }
  print(Report.text(results, machine: machine))

  let torch: Figures
  let torchLabel: String
  var torchInfo: [String: Any] = [:]
  if let path = options.torchPath {
    (torch, torchInfo) = try Figures.load(torchJSON: path)
    torchLabel = "PyTorch \(torchInfo["torch_version"] as? String ?? "")"
  } else {
    torch = Figures.reference
    torchLabel = "PyTorch (ref.)"
  }
  let title = "Retort vs PyTorch (CPU, float32; ratio = PyTorch / Retort, above 1 = faster)"
  print("\n\(title)\n\(String(repeating: "=", count: title.count))")
  print("(digits epochs: the fastest of 8 after a warm-up epoch, on both sides)\n")
  print(Comparison.text(retort: figures, torch: torch, torchLabel: torchLabel))
  if options.torchPath == nil {
    print(
      """

      No --torch file: the PyTorch column holds figures measured earlier on this machine:
      digits teacher 0.14 s/epoch, student 0.026, distillation 0.06; Fashion-MNIST MLP
      teacher 18.7 s/epoch; teacher batch-1 latency 80-120 µs (compared against 80);
      import torch 3 s and 670 MB. `make bench` measures both side by side.
      """)
  }
  if let path = options.jsonPath {
    var report =
      try JSONSerialization.jsonObject(
        with: try Report.json(results, machine: machine)) as? [String: Any] ?? [:]
    report["comparison"] = Comparison.json(retort: figures, torch: torch)
    report["torch_source"] = options.torchPath ?? "reference figures"
    let data = try JSONSerialization.data(
      withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    try data.write(to: URL(fileURLWithPath: path))
    print("\nwrote \(path)")
  }
}

// The allocator settings of the `retort` program, so that the figures are what users get.
Allocator.configureForTraining()

switch Options.parse(Array(CommandLine.arguments.dropFirst())) {
case .failure(let error):
  if !error.message.isEmpty { FileHandle.standardError.write(Data((error.message + "\n").utf8)) }
  FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
  exit(error.message.isEmpty ? 0 : 2)
case .success(let options):
  do {
    if options.quickstartMemory {
      try quickstartMemoryMode()
    } else if let path = options.digitsSplitPath {
      try writeDigitsSplit(to: path)
    } else {
      try runBenchmarks(options)
    }
  } catch {
    FileHandle.standardError.write(Data("retort-bench: \(error)\n".utf8))
    exit(1)
  }
}
