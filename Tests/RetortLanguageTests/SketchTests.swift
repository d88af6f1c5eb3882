import RetortLanguage
import Testing

@Suite struct SketchTests {
  @Test func sketchParsesCleanly() {
    let (program, diagnostics) = parse(sketch)
    print(program.sExpression)
    print(DiagnosticFormatter(fileName: "sketch.rt", source: sketch).format(diagnostics))
    #expect(diagnostics.isEmpty)
  }
}
