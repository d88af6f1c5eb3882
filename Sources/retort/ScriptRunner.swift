import CReadline
import Foundation
import RetortLanguage
import RetortNotebook

/// Options of `retort run`.
struct RunOptions {
  var keepGoing = false
  var outputPath: String?
  var notebookPath: String?
  var parameters: [(name: String, value: String)] = []

  struct Problem: Error, CustomStringConvertible {
    let description: String
  }

  static func parse(_ arguments: [String]) throws -> RunOptions {
    var options = RunOptions()
    var rest = arguments[...]
    while let argument = rest.popFirst() {
      switch argument {
      case "--keep-going": options.keepGoing = true
      case "-o", "--output":
        guard let path = rest.popFirst() else {
          throw Problem(description: "\(argument) needs a file")
        }
        options.outputPath = path
      case "--notebook":
        guard let path = rest.popFirst() else {
          throw Problem(description: "--notebook needs a file")
        }
        options.notebookPath = path
      case "--param":
        guard let pair = rest.popFirst(), let equals = pair.firstIndex(of: "=") else {
          throw Problem(description: "--param needs NAME=VALUE, e.g. --param epochs=5")
        }
        options.parameters.append(
          (String(pair[..<equals]), String(pair[pair.index(after: equals)...])))
      default:
        throw Problem(description: "unknown option '\(argument)' for run")
      }
    }
    return options
  }
}

/// Runs scripts: stops at the first error (unless told to keep going) and exits non-zero
/// with the error's location when anything failed.
struct ScriptRunner {
  var keepGoing = false

  /// Runs source text; returns the process exit code.
  func runSource(_ source: String, fileName: String) -> Int32 {
    let sink = TerminalSink()
    sink.fileName = fileName
    sink.source = source
    let interpreter = Interpreter(output: sink)
    interpreter.keepGoing = keepGoing
    let stop = InterruptForwarder(interpreter)
    defer { stop.cancel() }
    let result = interpreter.run(source: source, fileName: fileName)
    return result.succeeded ? 0 : 1
  }

  /// Runs a file by its extension; returns the process exit code.
  func runFile(_ path: String, options: RunOptions) -> Int32 {
    let url = URL(fileURLWithPath: path)
    guard let data = FileManager.default.contents(atPath: path) else {
      FileHandle.standardError.write(Data("retort: cannot read '\(path)'\n".utf8))
      return 2
    }
    let text = String(decoding: data, as: UTF8.self)
    switch url.pathExtension.lowercased() {
    case "ipynb", "md", "markdown":
      return NotebookCommand.run(path: path, text: text, options: options)
    default:
      if options.notebookPath != nil || !options.parameters.isEmpty {
        return NotebookCommand.run(path: path, text: text, options: options)
      }
      return runSource(text, fileName: path)
    }
  }
}

/// Turns SIGINT into the interpreter's interrupt flag while a script runs, so a long
/// training stops at the next step boundary instead of killing the process.
final class InterruptForwarder {
  private let source: DispatchSourceSignal

  init(_ interpreter: Interpreter) {
    retort_unblock_sigint()
    signal(SIGINT, SIG_IGN)
    source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    let target = InterruptTarget(interpreter)
    source.setEventHandler { target.interrupt() }
    source.resume()
  }

  func cancel() {
    source.cancel()
    signal(SIGINT, SIG_DFL)
  }
}

/// Lets another thread raise an interpreter's interrupt flag, which is guarded by a lock.
final class InterruptTarget: @unchecked Sendable {
  private weak var interpreter: Interpreter?

  init(_ interpreter: Interpreter) { self.interpreter = interpreter }

  func interrupt() { interpreter?.interruptRequested = true }
}
