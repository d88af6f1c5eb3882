import Foundation
import Testing

@testable import RetortNotebook

@Suite("Parameter injection")
struct ParameterInjectionTests {
  static func notebook() -> NotebookDocument {
    NotebookDocument(cells: [
      .markdown("# Sweep"), .code("temperature = 4\nalpha = 0.5", tags: ["parameters"]),
      .code("train(student)"),
    ])
  }

  @Test("Overrides go in a new cell tagged injected-parameters after the parameters cell")
  func injectAfterParameters() throws {
    let overrides = try ["temperature=8", "optimizer=\"adam\"", "widths=[16, 32]"].map(
      ParameterOverride.init(parsing:))
    let result = ParameterInjection.inject(overrides, into: Self.notebook())
    #expect(result.warning == nil)
    let cells = result.document.cells
    #expect(cells.count == 4)
    #expect(cells[2].tags == ["injected-parameters"])
    #expect(cells[2].kind == .code)
    #expect(
      cells[2].source == """
        # Parameters
        temperature = 8
        optimizer = "adam"
        widths = [16, 32]
        """)
    #expect(cells[1].source == "temperature = 4\nalpha = 0.5")
    #expect(Set(cells.map(\.id)).count == 4)
  }

  @Test("Injecting again replaces the earlier injected cell; the last value of a name wins")
  func reinjection() throws {
    let first = ParameterInjection.inject(
      [try ParameterOverride(name: "alpha", value: "0.1")], into: Self.notebook())
    let second = ParameterInjection.inject(
      [
        try ParameterOverride(name: "alpha", value: "0.2"),
        try ParameterOverride(name: "alpha", value: "0.3"),
      ],
      into: first.document)
    let injected = second.document.cells.filter { $0.tags.contains("injected-parameters") }
    #expect(injected.count == 1)
    #expect(injected.first?.source == "# Parameters\nalpha = 0.3")
    #expect(second.document.cells.count == 4)
  }

  @Test("Without a parameters cell the overrides go first, with a warning")
  func noParametersCell() throws {
    let document = NotebookDocument(cells: [.code("train(student)")])
    let result = ParameterInjection.inject(
      [try ParameterOverride(parsing: "epochs=2")], into: document)
    #expect(result.document.cells.first?.source == "# Parameters\nepochs = 2")
    #expect(result.warning?.contains("parameters") == true)
  }

  @Test("No overrides leave the notebook unchanged")
  func noOverrides() {
    #expect(ParameterInjection.inject([], into: Self.notebook()).document == Self.notebook())
  }

  @Test(
    "Malformed --param arguments are rejected",
    arguments: ["temperature", "=4", "2x=1", "t-1=3", "lr=", "a b=1", "name=1\n2"])
  func malformed(argument: String) {
    #expect(throws: ParameterError.self) { _ = try ParameterOverride(parsing: argument) }
  }

  @Test("Values are kept as written, apart from surrounding spaces")
  func valuesVerbatim() throws {
    let override = try ParameterOverride(parsing: "label= \"a = b\" ")
    #expect(override.name == "label")
    #expect(override.value == "\"a = b\"")
    #expect(override.assignment == "label = \"a = b\"")
  }
}
