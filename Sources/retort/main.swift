import Foundation
import RetortLanguage
import RetortNotebook
import RetortTensor

// The `retort` program: the REPL on a terminal, scripts and notebooks otherwise.

let version = "0.1.0"

// Before any tensor exists: training reuses its large buffers instead of faulting them in.
Allocator.configureForTraining()

let usage = """
  usage: retort                          the REPL (on a terminal; reads a script otherwise)
         retort run FILE [options]       run a script (.rt), notebook (.ipynb) or lesson (.md)
         retort -e 'SOURCE'              run source text
         retort help [COMMAND]           list the commands, or one command's help
         retort docs commands            print the command reference (docs/commands.md)
         retort --version

  options for run:
    --keep-going        go on after an error (the exit code is still 1)
    -o, --output FILE   write the executed notebook or lesson with its outputs
    --notebook FILE     convert a `# %%` script to a notebook (.ipynb or .md) with outputs
    --param NAME=VALUE  override an assignment in the cell tagged `parameters`

  environment:
    RETORT_THREADS=N    threads for matrix products and the optimizer (default: every core)
    RETORT_DEBUG=1      debug lines on standard error (teacher cache, run settings)
  """

/// Exits with a message on standard error.
func fail(_ message: String, code: Int32 = 2) -> Never {
  FileHandle.standardError.write(Data("retort: \(message)\n".utf8))
  exit(code)
}

let arguments = Array(CommandLine.arguments.dropFirst())

switch arguments.first {
case nil:
  if isatty(STDIN_FILENO) != 0 {
    exit(REPL().run())
  }
  let data = FileHandle.standardInput.readDataToEndOfFile()
  exit(ScriptRunner().runSource(String(decoding: data, as: UTF8.self), fileName: "<stdin>"))
case "--version", "-V":
  print("retort \(version)")
case "-h", "--help":
  print(usage)
case "help":
  let topic = arguments.dropFirst().first
  exit(ScriptRunner().runSource(topic.map { "help \($0)" } ?? "help", fileName: "<help>"))
case "docs":
  guard arguments.dropFirst().first == "commands" else { fail("usage: retort docs commands") }
  print(Interpreter().commandRegistry.markdownReference(), terminator: "")
case "-e":
  guard arguments.count >= 2 else { fail("-e needs source text, e.g. retort -e '1 + 1'") }
  exit(ScriptRunner().runSource(arguments[1], fileName: "<-e>"))
case "run":
  guard arguments.count >= 2 else { fail("run needs a file name\n\(usage)") }
  do {
    let options = try RunOptions.parse(Array(arguments.dropFirst(2)))
    exit(ScriptRunner(keepGoing: options.keepGoing).runFile(arguments[1], options: options))
  } catch {
    fail("\(error)")
  }
default:
  let first = arguments[0]
  if FileManager.default.fileExists(atPath: first) {
    exit(ScriptRunner().runFile(first, options: RunOptions()))
  }
  fail("unknown command or file '\(first)'\n\(usage)")
}
