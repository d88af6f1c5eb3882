import Foundation
import RetortTensor
import Testing

@testable import RetortLanguage

/// Feeds random and mutated programs through the interpreter: every run must end in values
/// or diagnostics, never a crash or a hang (steps and tensor sizes are capped).
@Suite("Interpreter fuzzing")
struct InterpreterFuzzTests {
  static func goldenSources() -> [String] {
    guard let folder = Bundle.module.url(forResource: "Golden", withExtension: nil),
      let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    // models.rt is left out: its mutations would load data and write weight files.
    return files.filter { $0.hasSuffix(".rt") && $0 != "models.rt" }.sorted().compactMap {
      try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
    }
  }

  static let fragments = [
    "x", "y", "=", "+", "-", "*", "/", "**", "@", "(", ")", "[", "]", "{", "}", ",", ":", ";",
    "\n", "0", "1", "-1", "2.5", "\"s{x}\"", "tensor", "randn", "zeros", "softmax", "kl", "for",
    "in", "if", "else", "while", "def", "return", "f", "range(3)", "true", "none", "x.shape",
    "x[0]", "print", "T=2", "axis=0", "break", "continue", ".", "not", "and", "==",
  ]

  /// Mutates `source` by deleting, duplicating or swapping characters and whitespace-split
  /// tokens, or inserting a random fragment.
  static func mutate(_ source: String, _ generator: inout RetortTensor.SeededGenerator) -> String {
    var tokens = source.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    var characters = Array(source)
    for _ in 0..<(1 + generator.nextInt(below: 4)) {
      switch generator.nextInt(below: 6) {
      case 0 where !characters.isEmpty:
        characters.remove(at: generator.nextInt(below: characters.count))
      case 1 where !characters.isEmpty:
        let i = generator.nextInt(below: characters.count)
        characters.insert(characters[i], at: i)
      case 2 where characters.count > 1:
        characters.swapAt(
          generator.nextInt(below: characters.count), generator.nextInt(below: characters.count))
      case 3 where !tokens.isEmpty:
        tokens.remove(at: generator.nextInt(below: tokens.count))
        characters = Array(tokens.joined(separator: " "))
      case 4 where tokens.count > 1:
        tokens.swapAt(
          generator.nextInt(below: tokens.count), generator.nextInt(below: tokens.count))
        characters = Array(tokens.joined(separator: " "))
      default:
        let fragment = fragments[generator.nextInt(below: fragments.count)]
        characters.insert(
          contentsOf: " " + fragment + " ", at: generator.nextInt(below: characters.count + 1))
      }
      tokens = String(characters).split(separator: " ", omittingEmptySubsequences: false)
        .map(String.init)
    }
    return String(characters)
  }

  static func randomProgram(_ generator: inout RetortTensor.SeededGenerator) -> String {
    (0..<(1 + generator.nextInt(below: 12))).map { _ in
      fragments[generator.nextInt(below: fragments.count)]
    }.joined(separator: " ")
  }

  @Test(arguments: 0..<4)
  func mutatedAndRandomProgramsNeverCrash(shard: Int) {
    var generator = RetortTensor.SeededGenerator(seed: UInt64(1000 + shard))
    let sources = InterpreterFuzzTests.goldenSources()
    #expect(!sources.isEmpty)
    var runs = 0
    for round in 0..<600 {
      let program: String
      if round % 3 == 0 || sources.isEmpty {
        program = InterpreterFuzzTests.randomProgram(&generator)
      } else {
        let base = sources[generator.nextInt(below: sources.count)]
        program = InterpreterFuzzTests.mutate(base, &generator)
      }
      let interpreter = Interpreter()
      interpreter.keepGoing = round % 2 == 0
      interpreter.limits.stepLimit = 2_000
      interpreter.limits.maxElements = 100_000
      interpreter.limits.maxCallDepth = 40
      let result = interpreter.run(source: program, fileName: "fuzz.rt")
      // Each run ends with its outputs recorded; errors come with a location inside the text.
      for diagnostic in result.diagnostics {
        #expect(diagnostic.range.start.line >= 1)
      }
      runs += 1
    }
    #expect(runs == 600)
  }
}
