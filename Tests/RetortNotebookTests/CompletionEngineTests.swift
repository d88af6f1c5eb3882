import Foundation
import RetortLanguage
import Testing

@testable import RetortNotebook

@Suite("REPL completion")
struct CompletionEngineTests {
  static func engine() -> CompletionEngine {
    let interpreter = Interpreter()
    _ = interpreter.run(
      source: """
        digits = load "digits"
        teacher = model input=[64] { linear 32; relu; block2: linear 10 }
        train teacher on digits epochs=1 quiet=true
        teacher_size = 3
        """, fileName: "setup")
    return CompletionEngine(interpreter: interpreter)
  }

  @Test(arguments: [
    ("dist", "dist", ["distill"]),
    ("teach", "teach", ["teacher", "teacher_size"]),
    ("distill student from teacher on digits ep", "ep", ["epochs="]),
    ("distill s from teacher o", "o", ["on", "optimizer="]),
    ("distill s from teacher on digits loss = 0.3*c", "c", ["cache=", "ce", "clip="]),
    ("x = spl", "spl", ["split"]),
  ])
  func wordsAndOptions(line: String, word: String, expected: [String]) {
    #expect(Self.engine().candidates(line: line, word: word) == expected)
  }

  @Test func attributesAfterADot() {
    let engine = Self.engine()
    let layers = engine.candidates(line: "teacher.b", word: "teacher.b")
    #expect(layers == ["teacher.block2"])
    let series = engine.candidates(line: "teacher.history.l", word: "teacher.history.l")
    #expect(series == ["teacher.history.loss", "teacher.history.lr"])
    #expect(engine.candidates(line: "nothing.x", word: "nothing.x").isEmpty)
    // Only names are evaluated: a call in the chain is never run.
    #expect(engine.candidates(line: "train(teacher).x", word: "train(teacher).x").isEmpty)
  }

  @Test func pathsOnlyInsideStrings() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("retort-completion-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("weights"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try "x".write(
      to: directory.appendingPathComponent("student.safetensors"), atomically: true,
      encoding: .utf8)
    let engine = Self.engine()
    let prefix = directory.path + "/s"
    #expect(
      engine.candidates(line: "save teacher \"\(prefix)", word: prefix)
        == [directory.path + "/student.safetensors"])
    #expect(
      engine.candidates(line: "load \"\(directory.path)/w", word: directory.path + "/w")
        == [directory.path + "/weights/"])
    #expect(!engine.candidates(line: "sa", word: "sa").contains { $0.contains("/") })
  }
}
