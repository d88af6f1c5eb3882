import Foundation
import Testing

/// The `retort` program as a person runs it: exit codes, where output goes, file types.
@Suite("The retort command line", .enabled(if: TerminalSessionTests.retortBinary != nil))
struct CommandLineTests {
  struct Run {
    var status: Int32
    var output: String
    var errors: String
  }

  static func retort(_ arguments: [String], input: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = TerminalSessionTests.retortBinary
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    let stdin = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
      errors: String(decoding: err, as: UTF8.self))
  }

  @Test func evaluatesSourceFromTheCommandLineAndStandardInput() throws {
    let run = try Self.retort(["-e", "softmax(tensor [0.0, 0.0])"])
    #expect(run.status == 0)
    #expect(run.output.contains("0.5000"))
    let piped = try Self.retort([], input: "x = 2\nprint x * 21\n")
    #expect(piped.status == 0)
    #expect(piped.output == "42\n")
  }

  @Test func aScriptStopsAtTheFirstErrorWithItsLocation() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("retort-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = directory.appendingPathComponent("bad.rt")
    try "print 1\nx = tensor [1, 2] @ tensor [3]\nprint 2\n".write(
      to: script, atomically: true, encoding: .utf8)
    let run = try Self.retort(["run", script.path])
    #expect(run.status == 1)
    #expect(run.output == "1\n", "the statement after the error does not run")
    #expect(run.errors.contains("bad.rt:2:"))
    #expect(run.errors.contains("^"))
    let keepGoing = try Self.retort(["run", script.path, "--keep-going"])
    #expect(keepGoing.status == 1)
    #expect(keepGoing.output == "1\n2\n")
  }

  @Test func parseErrorsPointAtLineAndColumn() throws {
    let run = try Self.retort(["-e", "x = [1, 2"])
    #expect(run.status == 1)
    #expect(run.errors.contains("<-e>:1:"))
    #expect(run.errors.contains("x = [1, 2"))
  }

  @Test func helpVersionAndDocs() throws {
    #expect(try Self.retort(["--version"]).output.hasPrefix("retort "))
    let help = try Self.retort(["help", "distill"])
    #expect(help.status == 0)
    #expect(help.output.contains("distill <student> from <teacher> on <data>"))
    let docs = try Self.retort(["docs", "commands"])
    let committed = try String(
      contentsOf: TerminalSessionTests.repository.appendingPathComponent("docs/commands.md"),
      encoding: .utf8)
    #expect(docs.output == committed, "run `make docs` to update docs/commands.md")
    #expect(try Self.retort(["frobnicate"]).status == 2)
  }

  @Test func runsANotebookAndWritesItWithOutputs() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("retort-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let script = directory.appendingPathComponent("lesson.rt")
    try "# %% tags=[\"parameters\"]\nT = 2\n\n# %%\nprint \"T is {T}\"\n".write(
      to: script, atomically: true, encoding: .utf8)
    let notebook = directory.appendingPathComponent("lesson.ipynb")
    let run = try Self.retort(
      ["run", script.path, "--notebook", notebook.path, "--param", "T=5"])
    #expect(run.status == 0, "\(run.errors)")
    #expect(run.output.contains("T is 5"))
    let done = directory.appendingPathComponent("done.ipynb")
    let again = try Self.retort(["run", notebook.path, "-o", done.path])
    #expect(again.status == 0, "\(again.errors)")
    let text = try String(contentsOf: done, encoding: .utf8)
    #expect(text.contains("T is 5"))
    #expect(text.contains("\"nbformat_minor\": 5"))
    // A malformed notebook is refused and nothing is written.
    let broken = directory.appendingPathComponent("broken.ipynb")
    try "{\"cells\": [".write(to: broken, atomically: true, encoding: .utf8)
    let out = directory.appendingPathComponent("out.ipynb")
    let refused = try Self.retort(["run", broken.path, "-o", out.path])
    #expect(refused.status == 2)
    #expect(refused.errors.contains("broken.ipynb"))
    #expect(!FileManager.default.fileExists(atPath: out.path))
  }
}
