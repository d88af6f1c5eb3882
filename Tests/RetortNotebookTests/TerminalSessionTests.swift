import Foundation
import Testing

/// The REPL in a real terminal: `Tests/terminal/repl_under_tmux.sh` drives `retort` under
/// tmux (typing, Tab, the up arrow, Ctrl-C during training) and checks the screen.
@Suite("REPL in a real terminal")
struct TerminalSessionTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The `retort` built beside this test bundle (release first: `make test` builds it).
  static var retortBinary: URL? {
    for configuration in ["release", "debug"] {
      let candidate = repository.appendingPathComponent(".build/\(configuration)/retort")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  static var tmuxAvailable: Bool {
    ["/usr/bin/tmux", "/usr/local/bin/tmux"].contains {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  @Test(
    "definition, Tab completion, history, Ctrl-C during training, then evaluate",
    .enabled(if: tmuxAvailable && retortBinary != nil, "needs tmux and a built retort"))
  func replUnderTmux() throws {
    let script = Self.repository.appendingPathComponent("Tests/terminal/repl_under_tmux.sh")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [script.path, Self.retortBinary?.path ?? ""]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(output)")
    #expect(output.contains("repl under tmux: ok"))
  }
}
