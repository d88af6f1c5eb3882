import Foundation
import Testing

@testable import RetortNotebook

@Suite("Percent-format scripts")
struct PercentScriptTests {
  static let script = """
    # %% [markdown]
    # # Distillation
    #
    # Train a *student* on soft targets.

    # %% tags=["parameters"]
    temperature = 4
    alpha = 0.5

    # %%
    # a comment stays code
    train(student)

    # %% Evaluate [markdown] tags=["notes", "x y"]
    # Accuracy below.

    """

  @Test("Markers split cells; markdown comments are uncommented; tags are read")
  func reading() {
    let document = PercentScript.document(from: Self.script)
    #expect(document.cells.map(\.kind) == [.markdown, .code, .code, .markdown])
    #expect(document.cells[0].source == "# Distillation\n\nTrain a *student* on soft targets.")
    #expect(document.cells[1].tags == ["parameters"])
    #expect(document.cells[1].source == "temperature = 4\nalpha = 0.5")
    #expect(document.cells[2].source == "# a comment stays code\ntrain(student)")
    #expect(document.cells[3].tags == ["notes", "x y"])
    #expect(document.cells[3].metadata["title"] == .string("Evaluate"))
    #expect(document.cells.allSatisfy { NotebookCell.isValidID($0.id) })
    #expect(document.language == "retort")
  }

  @Test("script → notebook → script gives the same text")
  func scriptRoundTrip() {
    let document = PercentScript.document(from: Self.script)
    #expect(PercentScript.text(of: document) == Self.script)
  }

  @Test("notebook → script → notebook keeps kinds, sources and metadata")
  func notebookRoundTrip() throws {
    var parameters = NotebookCell.code("lr = 0.1", tags: ["parameters"])
    parameters.metadata["collapsed"] = .bool(true)
    var document = NotebookDocument(cells: [
      .markdown("Intro\n\n  indented"), parameters, .code(""),
      NotebookCell(kind: .raw, source: "raw text"),
    ])
    document.assignMissingIDs()
    let reread = PercentScript.document(from: PercentScript.text(of: document))
    #expect(reread.cells.map(\.kind) == document.cells.map(\.kind))
    #expect(reread.cells.map(\.source) == document.cells.map(\.source))
    #expect(reread.cells.map(\.metadata) == document.cells.map(\.metadata))
  }

  @Test("Code before the first marker is a cell; #%% and CRLF are accepted")
  func leadingCodeAndVariants() {
    let document = PercentScript.document(from: "x = 1\r\n\r\n#%%\r\ny = 2\r\n")
    #expect(document.cells.map(\.source) == ["x = 1", "y = 2"])
  }

  @Test("Lines that only look like markers stay inside their cell")
  func notMarkers() {
    let document = PercentScript.document(from: "# %%\nx = 1\n# %%%\n  # %%\n")
    #expect(document.cells.count == 1)
    #expect(document.cells[0].source == "x = 1\n# %%%\n  # %%")
  }

  @Test(
    "A code line shaped like a marker is written with one more # and reads back as it was",
    arguments: ["# %% not a cell", "#%%", "## %% two", "### %%\tthree", "# %%"])
  func markerShapedCode(line: String) {
    var document = NotebookDocument(cells: [.code("x = 1\n\(line)\ny = 2"), .code("z = 3")])
    document.assignMissingIDs()
    let text = PercentScript.text(of: document)
    #expect(text.contains("\n#\(line)\n"))
    let reread = PercentScript.document(from: text)
    #expect(reread.cells.map(\.source) == ["x = 1\n\(line)\ny = 2", "z = 3"])
  }

  @Test("Escaped code before the first marker is unescaped; markdown needs no escape")
  func escapesElsewhere() {
    let leading = PercentScript.document(from: "## %% a comment\nx = 1\n# %%\ny = 2\n")
    #expect(leading.cells.map(\.source) == ["# %% a comment\nx = 1", "y = 2"])
    var document = NotebookDocument(cells: [.markdown("# %% heading-like text")])
    document.assignMissingIDs()
    let text = PercentScript.text(of: document)
    #expect(text == "# %% [markdown]\n# # %% heading-like text\n")
    #expect(PercentScript.document(from: text).cells.map(\.source) == ["# %% heading-like text"])
  }

  @Test("A percent script can be written as a notebook that reads back equal")
  func scriptToNotebookFile() throws {
    let document = PercentScript.document(from: Self.script)
    let reread = try NotebookDocument(data: Data(document.jsonText().utf8), fileName: "s.ipynb")
    #expect(reread == document)
  }
}
