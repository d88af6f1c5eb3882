import RetortLanguage
import Testing

@Suite struct DiagnosticFormatterTests {
  @Test func unclosedListGolden() {
    let source = "# lesson\n\nx = tensor [1, 2\n"
    let (_, diagnostics) = parse(source)
    let text = DiagnosticFormatter(fileName: "lesson.rt", source: source).format(diagnostics)
    #expect(
      text == """
        lesson.rt:3:17: error: expected ']' to close the list opened at 3:12
          3 | x = tensor [1, 2
            |                 ^
        hint: add ']' after the last element

        """)
  }

  @Test func rangesAreUnderlinedAndTabsKept() {
    let source = "\tx = 3abc + 1"
    let (_, diagnostics) = parse(source)
    let text = DiagnosticFormatter(fileName: "t.rt", source: source).format(diagnostics[0])
    #expect(
      text == """
        t.rt:1:6: error: invalid number literal '3abc'
          1 | \tx = 3abc + 1
            | \t    ^~~~
        hint: a name cannot start with a digit; numbers look like 42, 0.8 or 1e-3
        """)
  }

  @Test func notesWithLocationsGetSnippets() {
    let source = "train t epochs=3 epochs=4"
    let (_, diagnostics) = parse(source)
    let text = DiagnosticFormatter(fileName: "a.rt", source: source).format(diagnostics[0])
    #expect(
      text == """
        a.rt:1:18: warning: option 'epochs' is given more than once; the last value wins
          1 | train t epochs=3 epochs=4
            |                  ^~~~~~
        a.rt:1:9: note: first given here
          1 | train t epochs=3 epochs=4
            |         ^~~~~~
        """)
  }

  @Test func gutterWidensForLongLineNumbers() {
    let source = String(repeating: "\n", count: 120) + "x = )"
    let (_, diagnostics) = parse(source)
    let text = DiagnosticFormatter(fileName: "f", source: source).format(diagnostics[0])
    #expect(text.contains("  121 | x = )\n      |     ^"))
  }

  @Test func cellOffsetsMapToFileLines() {
    let file = "# %%\nx = 1\n\n# %%\ny = (\n"
    let cell = CellSplitter.split(file)[1]
    let (_, diagnostics) = Parser.parse(
      source: cell.source, commandWords: [], origin: cell.origin)
    #expect(diagnostics.first?.range.start.line == 5)
    let formatter = DiagnosticFormatter(
      fileName: "nb.rt", source: cell.source, firstLine: cell.firstLine)
    #expect(formatter.format(diagnostics).contains("  5 | y = ("))
  }

  @Test func colorWrapsSeverity() {
    let diagnostic = Diagnostic(.error, "boom", at: SourceRange(at: .start))
    let text = DiagnosticFormatter(fileName: "f", source: "x", useColor: true).format(diagnostic)
    #expect(text.hasPrefix("f:1:1: \u{1B}[1;31merror:\u{1B}[0m boom"))
  }

  @Test func locationsBeyondTheTextPrintNoSnippet() {
    let range = SourceRange(at: SourceLocation(line: 9, column: 1, offset: 50))
    let text = DiagnosticFormatter(fileName: "f", source: "x").format(
      Diagnostic(.note, "far away", at: range, hint: "h"))
    #expect(text == "f:9:1: note: far away\nhint: h")
  }

  @Test func unknownNameHelper() {
    let diagnostic = Diagnostic.unknown(
      "command", "trian", candidates: ["train", "evaluate"], at: SourceRange(at: .start))
    #expect(diagnostic.message == "unknown command 'trian'")
    #expect(diagnostic.hint == "did you mean 'train'?")
  }
}
