import RetortLanguage
import Testing

@testable import RetortNotebook

@Suite("Tables and display width")
struct TableTests {
  // MARK: - Display width

  @Test(
    "Display width counts columns, not bytes or scalars",
    arguments: [
      ("abc", 3), ("naïve", 5), ("e\u{301}", 1), ("学生", 4), ("ｱ", 1), ("Ｗ", 2),
      ("👍", 2), ("❤️", 2), ("\u{1B}[31mred\u{1B}[0m", 3), ("", 0), ("a\u{200B}b", 2),
    ])
  func displayWidth(text: String, columns: Int) {
    #expect(DisplayWidth.of(text) == columns)
  }

  @Test("Truncation respects wide characters and adds an ellipsis")
  func truncation() {
    #expect(DisplayWidth.truncate("学生模型", to: 5) == "学生…")
    #expect(DisplayWidth.truncate("teacher", to: 7) == "teacher")
    #expect(DisplayWidth.truncate("teacher", to: 4) == "tea…")
  }

  // MARK: - Rendering

  @Test("Columns line up by display width; numbers align right; the marked row has ▶")
  func alignment() throws {
    let table = try Table(
      title: "Students", headers: ["model", "accuracy", "latency"], rightAligned: [1, 2],
      rows: [
        ["teacher", "98.1%", "12 ms"], ["stüdent", "96.4%", "3 ms"], ["学生", "95.0%", "2 ms"],
      ],
      footer: ["T = 4, alpha = 0.5"], markedRow: 1)
    #expect(
      table.render() == """
        Students
          model    accuracy  latency
          ───────  ────────  ───────
          teacher     98.1%    12 ms
        ▶ stüdent     96.4%     3 ms
          学生        95.0%     2 ms
        T = 4, alpha = 0.5
        """)
  }

  @Test("ASCII rendering uses - for the rule and > for the mark")
  func asciiRendering() throws {
    let table = try Table(
      headers: ["k", "v"], rightAligned: [1], rows: [["a", "1"], ["bb", "22"]], markedRow: 0)
    #expect(
      table.render(ascii: true) == """
          k    v
          --  --
        > a    1
          bb  22
        """)
  }

  @Test("Combining accents and emoji do not push later columns out of line")
  func combiningAndEmoji() throws {
    let table = try Table(
      headers: ["name", "n"], rows: [["e\u{301}te\u{301}", "1"], ["👍", "2"]])
    // The last column is one character wide and left-aligned, so every line (header,
    // rule, rows) must end in the same display column.
    let widths = table.render().split(separator: "\n").map { DisplayWidth.of(String($0)) }
    #expect(Set(widths) == [9])
  }

  // MARK: - Errors

  @Test("A row with the wrong number of cells is rejected with both counts")
  func wrongRowWidth() {
    #expect(throws: TableError.self) {
      _ = try Table(headers: ["a", "b"], rows: [["1", "2", "3"]])
    }
    do {
      var table = try Table(headers: ["a", "b"])
      try table.append(["only one"])
    } catch let error as TableError {
      #expect(error.message == "row 1 has 1 cells, but the table has 2 columns")
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test("Marking a row that does not exist is an error")
  func markOutOfRange() throws {
    var table = try Table(headers: ["a"], rows: [["1"]])
    #expect(throws: TableError.self) { try table.mark(row: 1) }
    #expect(throws: TableError.self) { _ = try Table(columns: []) }
  }

  // MARK: - Output

  @Test("Plain text of outputs prefixes errors and warnings once")
  func outputPlainText() throws {
    #expect(Output.error("bad shape").plainText == "error: bad shape")
    #expect(Output.error("error: bad shape").plainText == "error: bad shape")
    #expect(Output.warning("slow").plainText == "warning: slow")
    #expect(Output.chart(ChartSamples.lossCurves()).plainText == nil)
    #expect(Output.error("x").isError && !Output.text("x").isError)
  }

  @Test("HTML tables escape cells and mark alignment and the marked row")
  func htmlTable() throws {
    let table = try Table(
      title: "A & B", headers: ["name", "score"], rightAligned: [1], rows: [["<s>", "1"]],
      footer: ["note"], markedRow: 0)
    let html = HTMLTableRenderer.render(table).split(separator: "\n").map(String.init)
    let left = "style=\"text-align: left\""
    let right = "style=\"text-align: right\""
    #expect(
      html == [
        "<table>",
        "<caption>A &amp; B</caption>",
        "<thead><tr><th \(left)>name</th><th \(right)>score</th></tr></thead>",
        "<tbody>",
        "<tr class=\"marked\" style=\"font-weight: bold\"><td \(left)>&lt;s&gt;</td>"
          + "<td \(right)>1</td></tr>",
        "</tbody>",
        "<tfoot>",
        "<tr><td colspan=\"2\">note</td></tr>",
        "</tfoot>",
        "</table>",
      ])
  }
}
