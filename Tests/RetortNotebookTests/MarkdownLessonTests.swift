import Foundation
import RetortLanguage
import Testing

@testable import RetortNotebook

@Suite("Markdown lessons")
struct MarkdownLessonTests {
  static let lesson = """
    # Temperature

    Soft targets carry more information at higher *T*.

    ```retort
    let p = softmax(logits, temperature: 4)
    print(p)
    ```

    A Python block is left alone:

    ```python
    ```retort
    not a retort block
    ```

      ~~~~rt title="second"
      plot(p)
      ~~~~
    Last line without newline
    """

  // MARK: - Splitting

  @Test("Finds ```retort and ~~~rt blocks, skipping other languages, keeping bytes")
  func extraction() {
    let lesson = MarkdownLesson(text: Self.lesson)
    let blocks = lesson.codeBlocks
    #expect(blocks.count == 2)
    #expect(blocks[0].source == "let p = softmax(logits, temperature: 4)\nprint(p)")
    #expect(blocks[0].line == 5)
    // Indentation of the fence (two spaces) is removed from the code.
    #expect(blocks[1].source == "plot(p)")
    #expect(blocks.allSatisfy { $0.isClosed })
    #expect(lesson.text == Self.lesson)
  }

  @Test(
    "Any document survives splitting byte for byte",
    arguments: [
      "", "no code", "```retort\nunclosed", "a\r\n```rt\r\nx = 1\r\n```\r\nb\r\n",
      "```retort\n```", "````retort\n```\n````\n", "<!-- retort:output -->\nstray\n",
      "``` retort\nx\n```\n<!-- retort:output -->\nno end marker\n",
    ])
  func byteForByte(text: String) {
    #expect(MarkdownLesson(text: text).text == text)
  }

  @Test("CRLF files give code without carriage returns at the end")
  func crlf() {
    let lesson = MarkdownLesson(text: "```rt\r\nx = 1\r\ny = 2\r\n```\r\n")
    #expect(lesson.codeBlocks.first?.source == "x = 1\r\ny = 2")
  }

  @Test("A longer fence contains shorter fences; an unclosed block runs to the end")
  func fenceLengths() {
    let lesson = MarkdownLesson(text: "````retort\n```\ncode\n````\n```retort\nrest\n")
    #expect(lesson.codeBlocks.map(\.source) == ["```\ncode", "rest"])
    #expect(lesson.codeBlocks.map(\.isClosed) == [true, false])
  }

  // MARK: - Outputs

  static let outputs: [[Output]] = [
    [.text("[0.4, 0.35, 0.25]"), .chart(ChartSamples.lossCurves())],
    [.error("unknown name `plot`")],
  ]

  @Test("Outputs follow their block: text in a ```text fence, charts as image links")
  func insertion() {
    let rendered = MarkdownLesson(text: Self.lesson).rendered(
      outputs: Self.outputs, assetDirectory: "lesson_files")
    #expect(
      rendered.markdown.contains(
        """
        print(p)
        ```

        <!-- retort:output -->
        ```text
        [0.4, 0.35, 0.25]
        ```

        ![Loss](lesson_files/cell1-1.svg)
        <!-- retort:end -->

        A Python block
        """))
    #expect(
      rendered.markdown.contains(
        """
          ~~~~

        <!-- retort:output -->
        ```text
        error: unknown name `plot`
        ```
        <!-- retort:end -->
        Last line without newline
        """))
    #expect(rendered.assets.map(\.relativePath) == ["lesson_files/cell1-1.svg"])
    #expect(rendered.assets.first.map { TestSupport.isWellFormedXML($0.contents) } == true)
  }

  @Test("Re-running replaces earlier outputs instead of adding more")
  func idempotent() {
    let first = MarkdownLesson(text: Self.lesson).rendered(
      outputs: Self.outputs, assetDirectory: "lesson_files")
    let second = MarkdownLesson(text: first.markdown).rendered(
      outputs: Self.outputs, assetDirectory: "lesson_files")
    #expect(second.markdown == first.markdown)
    let changed = MarkdownLesson(text: first.markdown).rendered(
      outputs: [[.text("new")]], assetDirectory: "lesson_files")
    #expect(changed.markdown.components(separatedBy: MarkdownLesson.outputStartMarker).count == 2)
    #expect(changed.markdown.contains("```text\nnew\n```"))
    #expect(!changed.markdown.contains("[0.4"))
  }

  @Test("Running with no outputs restores the original document")
  func removingOutputs() {
    let withOutputs = MarkdownLesson(text: Self.lesson).rendered(
      outputs: Self.outputs, assetDirectory: "lesson_files")
    let cleared = MarkdownLesson(text: withOutputs.markdown).rendered(
      outputs: [], assetDirectory: "lesson_files")
    #expect(cleared.markdown == Self.lesson)
  }

  @Test("Output text containing a fence gets a longer fence")
  func fenceInOutput() {
    let rendered = MarkdownLesson(text: "```retort\nx\n```\n").rendered(
      outputs: [[.text("```\ninside\n```")]], assetDirectory: "a")
    #expect(rendered.markdown.contains("````text\n```\ninside\n```\n````\n"))
    #expect(MarkdownLesson(text: rendered.markdown).codeBlocks.count == 1)
  }

  // MARK: - Files

  @Test("Writing puts SVGs beside the lesson and removes charts a re-run no longer makes")
  func writeFiles() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("lesson.md")
    try AtomicFileWriter.write(Self.lesson, to: url)
    let twoCharts: [[Output]] = [
      [.chart(ChartSamples.lossCurves())], [.chart(ChartSamples.studentsScatter())],
    ]
    try MarkdownLesson(contentsOf: url).write(outputs: twoCharts, to: url)
    let assets = directory.appendingPathComponent("lesson_files")
    #expect(try TestSupport.fileNames(in: assets) == ["cell1-1.svg", "cell2-1.svg"])
    let written = try String(contentsOf: url, encoding: .utf8)
    #expect(written.contains("![Accuracy vs latency](lesson_files/cell2-1.svg)"))
    try MarkdownLesson(contentsOf: url).write(
      outputs: [[.chart(ChartSamples.lossCurves())]], to: url)
    #expect(try TestSupport.fileNames(in: assets) == ["cell1-1.svg"])
    #expect(try TestSupport.fileNames(in: directory) == ["lesson.md", "lesson_files"])
  }

  @Test("A file that is not UTF-8 is rejected with its path")
  func notUTF8() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("bad.md")
    try AtomicFileWriter.write(Data([0x61, 0xFF, 0xFE]), to: url)
    #expect(throws: LessonError.self) { _ = try MarkdownLesson(contentsOf: url) }
  }
}
