import Foundation
import RetortLanguage
import Testing

/// Runs every `Golden/NAME.rt` and compares its transcript (shown values, printed text,
/// warnings and errors with file:line:col and carets) with `Golden/NAME.out`.
///
/// To accept new output, run with `RETORT_UPDATE_GOLDEN=1`: the `.out` files in the source
/// tree are rewritten, and the diff can be reviewed with git.
@Suite("Golden scripts")
struct GoldenTests {
  static var goldenFolder: URL? { Bundle.module.url(forResource: "Golden", withExtension: nil) }

  static var scriptNames: [String] {
    guard let folder = goldenFolder,
      let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
    else { return [] }
    return files.filter { $0.hasSuffix(".rt") }.map { String($0.dropLast(3)) }.sorted()
  }

  /// The transcript of running `source` the way the golden files record it.
  static func transcript(of source: String, fileName: String) -> String {
    let sink = CapturingOutputSink()
    let interpreter = Interpreter(output: sink)
    interpreter.keepGoing = true
    interpreter.limits.stepLimit = 100_000
    _ = interpreter.run(source: source, fileName: fileName)
    return sink.transcript(formatter: DiagnosticFormatter(fileName: fileName, source: source))
  }

  @Test func goldenFolderHasScripts() {
    #expect(GoldenTests.scriptNames.count >= 5)
  }

  @Test(arguments: GoldenTests.scriptNames)
  func script(_ name: String) throws {
    let folder = try #require(GoldenTests.goldenFolder)
    let source = try String(
      contentsOf: folder.appendingPathComponent("\(name).rt"), encoding: .utf8)
    let actual = GoldenTests.transcript(of: source, fileName: "\(name).rt")
    if ProcessInfo.processInfo.environment["RETORT_UPDATE_GOLDEN"] == "1" {
      let sourceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")
      try actual.write(
        to: sourceFolder.appendingPathComponent("\(name).out"), atomically: true,
        encoding: .utf8)
      return
    }
    let expected = try String(
      contentsOf: folder.appendingPathComponent("\(name).out"), encoding: .utf8)
    #expect(
      actual == expected,
      "\(name).rt printed something else; rerun with RETORT_UPDATE_GOLDEN=1 to accept")
  }
}
