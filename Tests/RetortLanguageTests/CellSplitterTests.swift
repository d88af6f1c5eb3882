import RetortLanguage
import Testing

@Suite struct CellSplitterTests {
  @Test func splitsTheSketch() {
    let cells = CellSplitter.split(sketch)
    #expect(cells.map(\.kind) == [.markdown, .code])
    #expect(cells[0].source == "# Distilling a digit classifier")
    #expect(cells[0].markerLine == 1)
    #expect(cells[0].firstLine == 2)
    #expect(cells[1].markerLine == 4)
    #expect(cells[1].firstLine == 5)
    #expect(cells[1].source.hasPrefix("seed 42\ndigits = load"))
  }

  @Test func markerVariants() {
    let text = """
      intro = 1

      # %% Training [markdown] tags=["parameters", "x"]
      # Some *markdown*
      #
      # more
      #%% tags=["parameters"]
      epochs = 3
      # %%% not a marker
      # %%
      # %% [md]
      plain line
      """
    let cells = CellSplitter.split(text)
    #expect(cells.map(\.kind) == [.code, .markdown, .code, .code, .markdown])
    #expect(cells[0].markerLine == nil)
    #expect(cells[0].source == "intro = 1")
    #expect(cells[1].title == "Training")
    #expect(cells[1].tags == ["parameters", "x"])
    #expect(cells[1].source == "Some *markdown*\n\nmore")
    #expect(cells[2].tags == ["parameters"])
    #expect(cells[2].title == nil)
    #expect(cells[2].source == "epochs = 3\n# %%% not a marker")
    #expect(cells[3].source == "")
    #expect(cells[3].firstLine == 11)
    #expect(cells[4].source == "plain line")
  }

  @Test func offsetsPointAtTheCellSource() {
    let text = "# %%\r\n\r\nx = é\r\n# %%\ny = 2\n"
    let cells = CellSplitter.split(text)
    #expect(cells.count == 2)
    #expect(cells[0].source == "x = é")
    #expect(cells[0].firstLine == 3)
    let bytes = Array(text.utf8)
    #expect(bytes[cells[0].startOffset] == UInt8(ascii: "x"))
    #expect(bytes[cells[1].startOffset] == UInt8(ascii: "y"))
    #expect(cells[1].origin == SourceLocation(line: 5, column: 1, offset: cells[1].startOffset))
  }

  @Test(arguments: ["", "\n\n", "   "])
  func blankTextHasNoCells(text: String) {
    #expect(CellSplitter.split(text).isEmpty)
  }

  @Test func noMarkersIsOneCodeCell() {
    let cells = CellSplitter.split("a = 1\nb = 2\n")
    #expect(cells.count == 1)
    #expect(cells[0].kind == .code)
    #expect(cells[0].source == "a = 1\nb = 2")
  }
}
