import Foundation

// retort-bench: the tensor engine's speed, as an aligned table (and JSON with --json FILE).
// Build it optimised: `make bench`, or
// swift build -c release $(scripts/swift-flags) --product retort-bench.

/// Command-line options.
struct Options {
  var jsonPath: String?
  var quick = false

  static let usage = """
    usage: retort-bench [--json FILE] [--quick]
      --json FILE  also write the results as JSON to FILE
      --quick      skip the 2048 matrix product
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
  // Each section is a function returning its rows; later ones (network epochs, a PyTorch
  // comparison) append here.
  let sections: [() throws -> Section] = [
    { try matmulSection(machine: machine, sizes: sizes) },
    { try smallOpSection() },
    { try perceptronSection() },
  ]
  var results: [Section] = []
  for section in sections { results.append(try section()) }
  print(Report.text(results, machine: machine))
  if let path = options.jsonPath {
    try Report.json(results, machine: machine).write(to: URL(fileURLWithPath: path))
    print("\nwrote \(path)")
  }
}

switch Options.parse(Array(CommandLine.arguments.dropFirst())) {
case .failure(let error):
  if !error.message.isEmpty { FileHandle.standardError.write(Data((error.message + "\n").utf8)) }
  FileHandle.standardError.write(Data((Options.usage + "\n").utf8))
  exit(error.message.isEmpty ? 0 : 2)
case .success(let options):
  do {
    try runBenchmarks(options)
  } catch {
    FileHandle.standardError.write(Data("retort-bench: \(error)\n".utf8))
    exit(1)
  }
}
