import Foundation
import RetortLanguage
import Testing

@testable import RetortNotebook

@Suite("Jupyter notebooks")
struct NotebookDocumentTests {
  static let notebooks = TestSupport.fixtures.appendingPathComponent("notebooks")

  static func sample() -> NotebookDocument {
    var parameters = NotebookCell.code("temperature = 4\nalpha = 0.5", tags: ["parameters"])
    parameters.executionCount = 1
    var training = NotebookCell.code("train(student)")
    training.executionCount = 2
    training.outputs = [
      .stream(.stdout, text: "epoch 1\nepoch 2\n"),
      .executeResult(
        data: ["text/plain": .string("0.958")], metadata: [:], executionCount: 2),
      .displayData(
        data: [
          "image/svg+xml": .string("<svg>\n</svg>\n"),
          "application/json": .object(["a": .array([.int(1), .double(2.5)])]),
        ],
        metadata: ["isolated": .bool(true)]),
      .error(name: "ShapeError", value: "bad", traceback: ["line 1", "line 2"]),
    ]
    return NotebookDocument(cells: [
      .markdown("# Title\n\nText with ünïcode and \"quotes\"\\"), parameters, training,
      NotebookCell(kind: .raw, source: ""),
    ])
  }

  // MARK: - Round trip

  @Test("write → read gives the same notebook")
  func roundTrip() throws {
    var document = Self.sample()
    document.assignMissingIDs()
    let text = document.jsonText()
    let reread = try NotebookDocument(data: Data(text.utf8), fileName: "sample.ipynb")
    #expect(reread == document)
    #expect(reread.jsonText() == text)
  }

  @Test("Written notebooks use Jupyter's layout: sorted keys, 1-space indent, line lists")
  func jupyterLayout() throws {
    let document = NotebookDocument(cells: [.code("a = 1\nb = 2", id: "first")])
    #expect(
      document.jsonText() == """
        {
         "cells": [
          {
           "cell_type": "code",
           "execution_count": null,
           "id": "first",
           "metadata": {},
           "outputs": [],
           "source": [
            "a = 1\\n",
            "b = 2"
           ]
          }
         ],
         "metadata": {
          "kernelspec": {
           "display_name": "Retort",
           "language": "retort",
           "name": "retort"
          },
          "language_info": {
           "file_extension": ".rt",
           "mimetype": "text/x-retort",
           "name": "retort"
          }
         },
         "nbformat": 4,
         "nbformat_minor": 5
        }

        """)
  }

  @Test("Saving matches what nbformat itself writes for the same notebook, byte for byte")
  func matchesNbformatOutput() throws {
    // distill.canonical.ipynb was written by nbformat.write (make_notebook_fixtures.py)
    // from the hand-written distill.ipynb, whose text is partly plain strings.
    let document = try NotebookDocument(
      contentsOf: Self.notebooks.appendingPathComponent("distill.ipynb"))
    let canonical = try String(
      contentsOf: Self.notebooks.appendingPathComponent("distill.canonical.ipynb"),
      encoding: .utf8)
    #expect(document.jsonText() == canonical)
  }

  // MARK: - Reading Jupyter's format

  @Test("Reads the hand-written Jupyter notebook with every kind of output")
  func readFixture() throws {
    let document = try NotebookDocument(
      contentsOf: Self.notebooks.appendingPathComponent("distill.ipynb"))
    #expect(document.cells.map(\.kind) == [.markdown, .code, .code, .code, .raw])
    #expect(document.cells.map(\.id) == ["intro", "params-1", "train_2", "failing", "raw-note"])
    #expect(
      document.cells[0].source == "# Distilling a student\n\nSoft targets at temperature *T*.")
    #expect(document.cells[1].tags == ["parameters"])
    #expect(document.cells[1].source == "temperature = 4\nalpha = 0.5")
    #expect(document.cells[2].executionCount == 2)
    #expect(document.cells[2].metadata["collapsed"] == .bool(false))
    #expect(document.cells[3].executionCount == nil)
    #expect(document.cells[3].source == "")
    #expect(document.language == "retort")
    let outputs = document.cells[2].outputs
    #expect(outputs.count == 4)
    #expect(outputs[0] == .stream(.stdout, text: "epoch 1 loss 0.92\nepoch 2 loss 0.61\n"))
    #expect(
      outputs[1]
        == .executeResult(
          data: ["text/plain": .string("accuracy 0.958")], metadata: [:], executionCount: 2))
    #expect(outputs[2].data?["image/svg+xml"]?.stringValue?.hasSuffix("</svg>\n") == true)
    #expect(outputs[2].data?["application/json"] == .object(["accuracy": .double(0.958)]))
    #expect(outputs[3] == .stream(.stderr, text: "warning: slow\n"))
    #expect(
      document.cells[3].outputs == [
        .error(
          name: "ShapeError", value: "expected [64, 10], found [64, 9]",
          traceback: ["error: expected [64, 10], found [64, 9]", "  at line 1"])
      ])
  }

  @Test("nbformat 4.4 notebooks without ids get deterministic ids")
  func legacyIDs() throws {
    let url = Self.notebooks.appendingPathComponent("legacy-4.4.ipynb")
    let first = try NotebookDocument(contentsOf: url)
    let second = try NotebookDocument(contentsOf: url)
    #expect(first.cells.map(\.id) == second.cells.map(\.id))
    #expect(first.cells.allSatisfy { NotebookCell.isValidID($0.id) })
    #expect(first.cells[0].id.hasPrefix("cell-0-"))
    #expect(Set(first.cells.map(\.id)).count == 2)
  }

  @Test("Duplicate or missing ids are made unique before writing")
  func uniqueIDs() {
    var document = NotebookDocument(cells: [
      .code("a", id: "same"), .code("b", id: "same"), .code("c"), .code("c"),
    ])
    document.assignMissingIDs()
    let ids = document.cells.map(\.id)
    #expect(ids[0] == "same" && ids[1] == "same-2")
    #expect(Set(ids).count == 4)
    #expect(ids.allSatisfy(NotebookCell.isValidID))
  }

  // MARK: - Errors

  static let malformed: [(String, String, NotebookError.Kind, Int?)] = [
    ("{\n \"cells\": [,]\n}", "bad JSON", .invalidJSON, nil),
    (
      #"{"cells": [], "metadata": {}, "nbformat": 3, "nbformat_minor": 0}"#, "v3",
      .unsupportedFormat, nil
    ),
    (#"{"cells": [], "metadata": {}, "nbformat": 4}"#, "no minor", .missingKey, nil),
    (#"[1, 2]"#, "not an object", .invalidValue, nil),
    (
      #"{"cells": [{"cell_type": "code", "id": "a", "metadata": {}, "outputs": [], "#
        + #""execution_count": null}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#,
      "no source", .missingKey, 0
    ),
    (
      #"{"cells": [{"cell_type": "markdown", "id": "m", "metadata": {}, "source": ""}, "#
        + #"{"cell_type": "code", "id": "c", "metadata": {}, "outputs": [], "#
        + #""execution_count": null, "source": "print(1)"}], "#
        + #""metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "#
        + #""nbformat_minor": 5}"#, "python", .wrongLanguage, 1
    ),
    (
      #"{"cells": [{"cell_type": "code", "id": "c", "metadata": {"vscode": "#
        + #"{"languageId": "julia"}}, "outputs": [], "execution_count": null, "source": ""}], "#
        + #""metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#, "julia cell", .wrongLanguage, 0
    ),
    (
      #"{"cells": [{"cell_type": "chart", "id": "c", "metadata": {}, "source": ""}], "#
        + #""metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#, "bad type", .invalidValue, 0
    ),
    (
      #"{"cells": [{"cell_type": "raw", "id": "has space", "metadata": {}, "source": ""}], "#
        + #""metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#, "bad id", .invalidValue, 0
    ),
    (
      #"{"cells": [{"cell_type": "code", "id": "c", "metadata": {}, "execution_count": 1, "#
        + #""source": "", "outputs": [{"output_type": "stream", "name": "stdout"}]}], "#
        + #""metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#, "stream without text",
      .missingKey, 0
    ),
  ]

  @Test(
    "Malformed notebooks give an error naming the file, the cell and the problem",
    arguments: malformed)
  func malformedNotebook(json: String, label: String, kind: NotebookError.Kind, cell: Int?) {
    do {
      _ = try NotebookDocument(data: Data(json.utf8), fileName: "broken.ipynb")
      Issue.record("\(label): expected an error")
    } catch let error as NotebookError {
      #expect(error.kind == kind, "\(label): \(error)")
      #expect(error.cellIndex == cell, "\(label): \(error)")
      #expect(error.file == "broken.ipynb")
      #expect(error.description.hasPrefix("broken.ipynb"))
    } catch {
      Issue.record("\(label): unexpected error \(error)")
    }
  }

  @Test("JSON syntax errors report a line and column")
  func jsonErrorLocation() {
    do {
      _ = try NotebookDocument(data: Data("{\n \"cells\": [,]\n}".utf8), fileName: "nb.ipynb")
    } catch let error as NotebookError {
      #expect(error.line == 2)
      #expect(error.column != nil)
      #expect(error.description.hasPrefix("nb.ipynb:2:"))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test("A wrong-language error names the cell by number and id")
  func wrongLanguageMessage() throws {
    var document = NotebookDocument(cells: [.code("print(1)", id: "py-cell")])
    document.metadata["language_info"] = .object(["name": .string("python")])
    do {
      _ = try NotebookDocument(data: Data(document.jsonText().utf8), fileName: "x.ipynb")
    } catch let error as NotebookError {
      #expect(error.description.hasPrefix("x.ipynb: cell 1 (id \"py-cell\"): the code is python"))
    }
  }

  @Test("A missing file is reported as unreadable")
  func missingFile() {
    let url = Self.notebooks.appendingPathComponent("absent.ipynb")
    #expect(throws: NotebookError.self) { _ = try NotebookDocument(contentsOf: url) }
  }

  // MARK: - Outputs from the interpreter

  @Test("Interpreter outputs become streams, display data and errors")
  func convertOutputs() throws {
    let table = try Table(headers: ["model"], rows: [["student"]])
    let converted = NotebookOutputConverter(
      svgRenderer: SVGChartRenderer(width: 320, height: 200)
    ).convert([
      .text("epoch 1"), .text("epoch 2\n"), .warning("slow"), .table(table),
      .chart(ChartSamples.lossCurves()), .error("shape mismatch\nhint: reshape"),
    ])
    #expect(converted.count == 5)
    #expect(converted[0] == .stream(.stdout, text: "epoch 1\nepoch 2\n"))
    #expect(converted[1] == .stream(.stderr, text: "warning: slow\n"))
    #expect(converted[2].data?["text/plain"] == .string(table.render()))
    #expect(converted[2].data?["text/html"]?.stringValue?.hasPrefix("<table>") == true)
    let svg = converted[3].data?["image/svg+xml"]?.stringValue ?? ""
    #expect(TestSupport.isWellFormedXML(svg))
    #expect(
      converted[4]
        == .error(
          name: "RetortError", value: "shape mismatch\nhint: reshape",
          traceback: ["error: shape mismatch", "hint: reshape"]))
  }

  // MARK: - nbformat validation

  static let validatorPython: String? = {
    let candidates = [ProcessInfo.processInfo.environment["RETORT_NBFORMAT_PYTHON"], "python3"]
    return candidates.compactMap { $0 }.first { run($0, ["-c", "import nbformat"]) == 0 }
  }()

  static func run(_ executable: String, _ arguments: [String]) -> Int32? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test(
    "Written notebooks pass the official nbformat validator",
    .enabled(if: validatorPython != nil, "needs python3 with nbformat (or RETORT_NBFORMAT_PYTHON)"))
  func validatesWithNbformat() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // Three notebooks: every output type, a converted percent script with injected
    // parameters, and the outputs the converter makes from interpreter values.
    var fromScript = PercentScript.document(from: "# %% tags=[\"parameters\"]\nT = 4\n")
    fromScript =
      ParameterInjection.inject(
        [try ParameterOverride(parsing: "T=8")], into: fromScript
      ).document
    var converted = NotebookCell.code("plot(loss)")
    converted.outputs = NotebookOutputConverter().convert([
      .text("done"), .table(try Table(headers: ["a"], rows: [["1"]])),
      .chart(ChartSamples.lossCurves()), .error("boom"),
    ])
    let notebooks = [Self.sample(), fromScript, NotebookDocument(cells: [converted])]
    var paths: [String] = []
    for (index, notebook) in notebooks.enumerated() {
      let file = directory.appendingPathComponent("notebook\(index).ipynb")
      try notebook.write(to: file)
      paths.append(file.path)
    }
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("validate_notebook.py")
    let status = Self.run(Self.validatorPython ?? "python3", [script.path] + paths)
    #expect(status == 0)
  }
}
