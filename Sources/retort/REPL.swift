import CReadline
import Foundation
import RetortLanguage
import RetortNotebook

/// Ctrl-C while typing: readline's read() returns early and calls this hook, which clears
/// the line and shows a fresh prompt. A C function, so it captures nothing.
private let clearLineOnInterrupt: @convention(c) () -> Int32 = {
  if retort_take_sigint() > 0 { retort_rl_clear_line() }
  return 0
}

/// Tab completion: readline asks for candidates one at a time (state 0 starts a new list).
nonisolated(unsafe) private var completionCandidates: [String] = []
nonisolated(unsafe) private var activeCompleter: CompletionEngine?

private let completionGenerator:
  @convention(c) (UnsafePointer<CChar>?, Int32)
    -> UnsafeMutablePointer<CChar>? = { text, state in
      if state == 0 {
        let prefix = text.map { String(cString: $0) } ?? ""
        let line = String(cString: retort_rl_line_buffer())
        completionCandidates = activeCompleter?.candidates(line: line, word: prefix) ?? []
        // A finished word gets a space; `epochs=`, a folder or an attribute chain do not.
        let open =
          completionCandidates.count != 1
          || completionCandidates[0].hasSuffix("=") || completionCandidates[0].hasSuffix("/")
        retort_rl_set_completion_append(open ? 0 : 32)
      }
      guard !completionCandidates.isEmpty else { return nil }
      return strdup(completionCandidates.removeFirst())
    }

/// The interactive loop: numbered prompts, continuation lines while input is open,
/// history saved after every entry, Ctrl-C that never ends the session.
final class REPL {
  private let session = NotebookSession()
  private var interpreter: Interpreter { session.interpreter }
  private let sink = TerminalSink()
  /// Earlier values by entry number, for `Out[n]`; older ones are dropped.
  private var outputsByEntry: [Value] = [.none]
  private let keptOutputs = 100
  private let historyPath: String
  private let historyLimit: Int32 = 1000
  private var counter = 1

  init() {
    session.echo = sink
    session.interpreter.keepGoing = false
    let environment = ProcessInfo.processInfo.environment
    historyPath =
      environment["RETORT_HISTORY"]
      ?? (environment["HOME"] ?? ".") + "/.retort_history"
  }

  /// Runs until Ctrl-D or `:quit`; returns the exit code.
  func run() -> Int32 {
    retort_rl_set_readline_name(strdup("retort"))
    retort_rl_set_catch_signals(0)
    retort_unblock_sigint()
    retort_install_sigint_handler()
    retort_rl_set_signal_event_hook(clearLineOnInterrupt)
    retort_rl_use_polling_getc()
    activeCompleter = CompletionEngine(interpreter: interpreter)
    // Word breaks: spaces and brackets, not dots (attributes) or '=' (options).
    // readline keeps the pointer, so the string is copied once and never freed.
    retort_rl_set_basic_word_break(strdup(" \t\n(),[]{};\"+-*/@"))
    retort_rl_set_completion_entry(completionGenerator)
    using_history()
    stifle_history(historyLimit)
    _ = read_history(historyPath)
    print(
      "Retort \(version): knowledge distillation, interactively. "
        + "Type help, ?command, or :quit.")
    while let entry = readEntry() {
      let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      add_history(entry)
      saveHistory()
      if trimmed.hasPrefix(":") {
        if !meta(trimmed) { break }
        continue
      }
      if trimmed.hasPrefix("?") {
        evaluate("help " + trimmed.drop { $0 == "?" })
      } else {
        evaluate(entry)
      }
    }
    print("")
    return 0
  }

  /// Writes the history to a temporary file beside it and renames it over the old one, so
  /// a crash or a full disk never leaves half a history.
  private func saveHistory() {
    let temporary = historyPath + ".tmp-\(getpid())"
    guard write_history(temporary) == 0 else {
      unlink(temporary)
      return
    }
    if rename(temporary, historyPath) != 0 { unlink(temporary) }
  }

  /// Reads one complete entry, with continuation prompts while a bracket or string is open.
  private func readEntry() -> String? {
    var lines: [String] = []
    while true {
      let prompt =
        lines.isEmpty
        ? "[\(counter)]> " : String(repeating: ".", count: "\(counter)".count + 2) + "> "
      guard let raw = readline(prompt) else {
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
      }
      let line = String(cString: raw)
      free(raw)
      lines.append(line)
      let text = lines.joined(separator: "\n")
      if isInputComplete(text) { return text }
    }
  }

  private func evaluate(_ source: String) {
    sink.fileName = "In[\(counter)]"
    sink.source = source
    _ = retort_take_sigint()
    // While the entry runs, Ctrl-C becomes the interpreter's interrupt flag, which stops
    // a training run at the next step boundary and leaves every variable in place.
    let running = DispatchSemaphore(value: 0)
    let target = InterruptTarget(interpreter)
    let watcher = Thread {
      while running.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
        if retort_take_sigint() > 0 { target.interrupt() }
      }
    }
    watcher.start()
    let cell = session.run(source, fileName: "In[\(counter)]")
    running.signal()
    remember(cell)
    interpreter.interruptRequested = false
    counter += 1
  }

  /// Keeps the entry's last shown value as `_` and `Out[n]`.
  private func remember(_ cell: NotebookSession.RecordedCell) {
    let value = cell.lastValue ?? .none
    if !value.isNone { interpreter[variable: "_"] = value }
    outputsByEntry.append(value)
    if outputsByEntry.count > keptOutputs {
      outputsByEntry[outputsByEntry.count - keptOutputs - 1] = .none
    }
    interpreter[variable: "Out"] = .list(outputsByEntry)
  }

  /// Handles a `:` meta command; false means quit.
  private func meta(_ line: String) -> Bool {
    let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
    switch parts[0] {
    case ":quit", ":q", ":exit":
      return false
    case ":vars":
      for name in interpreter.variableNames where name != "Out" && name != "_" {
        if let value = interpreter[variable: name] {
          print("\(name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(value.typeName)")
        }
      }
    case ":history":
      if let text = try? String(contentsOfFile: historyPath, encoding: .utf8) {
        print(text.split(separator: "\n").suffix(20).joined(separator: "\n"))
      }
    case ":reset":
      for name in interpreter.variableNames { interpreter[variable: name] = nil }
      print("all variables removed")
    case ":save":
      guard parts.count == 2 else {
        print(":save needs a file: :save lesson.ipynb (or .md, .rt)")
        return true
      }
      do {
        try session.save(to: URL(fileURLWithPath: parts[1]))
        print("saved \(session.cells.count) cells to \(parts[1])")
      } catch {
        print("could not save: \(error)")
      }
    case ":load":
      guard parts.count == 2, let text = try? String(contentsOfFile: parts[1], encoding: .utf8)
      else {
        print(":load needs a readable file, e.g. :load examples/quickstart.rt")
        return true
      }
      sink.fileName = parts[1]
      sink.source = text
      session.run(text, fileName: parts[1])
    case ":time":
      guard parts.count == 2 else {
        print(":time needs an entry, e.g. :time train teacher on train_set epochs=1")
        return true
      }
      let start = Date()
      evaluate(parts[1])
      print(String(format: "took %.3f s", Date().timeIntervalSince(start)))
    case ":help":
      print(
        """
        :help           this list            :vars      variables and their types
        :time ENTRY     run and time ENTRY   :history   the last 20 entries
        :load FILE      run FILE here        :reset     remove every variable
        :save FILE      save the session as .ipynb, .md or .rt
        :quit           leave (or Ctrl-D)    ?COMMAND   a command's help
        """)
    default:
      print("unknown meta command \(parts[0]); :help lists them")
    }
    return true
  }
}
