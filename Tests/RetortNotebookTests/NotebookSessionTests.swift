import Foundation
import RetortLanguage
import Testing

@testable import RetortNotebook

@Suite("Notebook sessions: executing notebooks, lessons and scripts")
struct NotebookSessionTests {
  /// A small lesson whose outputs are deterministic (no timings).
  static let lesson = """
    # %% [markdown]
    # # Temperatures

    # %% tags=["parameters"]
    T = 4

    # %%
    logits = tensor [5.0, 2.0, 1.0]
    softmax(logits / T)

    # %%
    plot [softmax(logits), softmax(logits / T)] labels=["T=1", "T={T}"]
    print "done at T={T}"
    """

  @Test func executesCellsAndKeepsVariablesBetweenThem() throws {
    let document = PercentScript.document(from: Self.lesson)
    let (executed, succeeded) = try NotebookSession().execute(document, fileName: "lesson.rt")
    #expect(succeeded)
    let code = executed.cells.filter { $0.kind == .code }
    #expect(code.map(\.executionCount) == [1, 2, 3])
    #expect(executed.cells.first?.kind == .markdown)
    let svg = code[2].outputs.compactMap { $0.data?["image/svg+xml"]?.stringValue }
    #expect(svg.count == 1, "the plot becomes an SVG output")
    #expect(TestSupport.isWellFormedXML(svg.first ?? ""))
  }

  @Test func roundTripGivesTheSameOutputs() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let first = try NotebookSession().execute(
      PercentScript.document(from: Self.lesson), fileName: "lesson.rt"
    ).document
    let file = directory.appendingPathComponent("done.ipynb")
    try first.write(to: file)
    let reread = try NotebookDocument(contentsOf: file)
    let second = try NotebookSession().execute(reread, fileName: "done.ipynb").document
    #expect(second.cells.map(\.outputs) == first.cells.map(\.outputs))
    #expect(second.cells.map(\.id) == first.cells.map(\.id))
    if let python = NotebookDocumentTests.validatorPython {
      let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("validate_notebook.py")
      let again = directory.appendingPathComponent("again.ipynb")
      try second.write(to: again)
      #expect(NotebookDocumentTests.run(python, [script.path, file.path, again.path]) == 0)
    }
  }

  @Test func parametersOverrideTheTaggedCell() throws {
    let document = PercentScript.document(from: Self.lesson)
    let injected = ParameterInjection.inject(
      [try ParameterOverride(parsing: "T=8")], into: document)
    let session = NotebookSession()
    _ = try session.execute(injected.document, fileName: "lesson.rt")
    #expect(session.interpreter[variable: "T"]?.display == "8")
  }

  @Test func anErrorStopsLaterCellsAndIsRecorded() throws {
    let document = PercentScript.document(
      from: "# %%\nx = tensor [1, 2]\n# %%\nx @ x @ x\n# %%\ny = 1\n")
    let session = NotebookSession()
    let (executed, succeeded) = try session.execute(document, fileName: "bad.rt")
    #expect(!succeeded)
    let outputs = executed.cells.map(\.outputs)
    #expect(outputs[1].contains { $0.outputType == "error" })
    #expect(outputs[2].isEmpty && executed.cells[2].executionCount == nil)
    #expect(session.interpreter[variable: "y"] == nil)
  }

  @Test func aNotebookInAnotherLanguageIsRefused() throws {
    var document = NotebookDocument(cells: [.code("print(1)")])
    document.metadata["language_info"] = .object(["name": .string("python")])
    #expect(throws: NotebookError.self) {
      try NotebookSession().execute(document, fileName: "other.ipynb")
    }
  }

  @Test func lessonsGetTheirOutputsInsertedAndReRunsReplaceThem() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = """
      # Softmax

      ```retort
      softmax(tensor [1.0, 1.0])
      ```

      ```retort
      plot tensor [1.0, 2.0, 3.0]
      ```
      """
    let file = directory.appendingPathComponent("lesson.md")
    let lesson = MarkdownLesson(text: text)
    let (outputs, succeeded) = NotebookSession().execute(lesson, fileName: "lesson.md")
    #expect(succeeded)
    try lesson.write(outputs: outputs, to: file)
    let once = try String(contentsOf: file, encoding: .utf8)
    #expect(once.contains("tensor([0.5000, 0.5000], shape=[2])"))
    #expect(once.contains("lesson_files/"))
    let rerun = try MarkdownLesson(contentsOf: file)
    let (outputsAgain, _) = NotebookSession().execute(rerun, fileName: "lesson.md")
    try rerun.write(outputs: outputsAgain, to: file)
    #expect(try String(contentsOf: file, encoding: .utf8) == once)
  }

  @Test func savingASessionWritesEachFormat() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let session = NotebookSession()
    session.run("x = tensor [1.0, 2.0]", fileName: "In[1]")
    session.run("x * 2", fileName: "In[2]")
    for name in ["s.ipynb", "s.md", "s.rt"] {
      try session.save(to: directory.appendingPathComponent(name))
    }
    let notebook = try NotebookDocument(contentsOf: directory.appendingPathComponent("s.ipynb"))
    #expect(notebook.cells.map(\.source) == ["x = tensor [1.0, 2.0]", "x * 2"])
    let script = try String(contentsOf: directory.appendingPathComponent("s.rt"), encoding: .utf8)
    #expect(script.contains("# %%\nx * 2"))
    #expect(throws: NotebookError.self) {
      try session.save(to: directory.appendingPathComponent("s.docx"))
    }
  }

  @Test func plotToAFileWritesSVG() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("bars.svg")
    let cell = NotebookSession().run(
      "bars = tensor [1.0, 2.0]\nplot bars to \"\(file.path)\"", fileName: "c")
    #expect(cell.succeeded)
    #expect(TestSupport.isWellFormedXML(try String(contentsOf: file, encoding: .utf8)))
  }
}
