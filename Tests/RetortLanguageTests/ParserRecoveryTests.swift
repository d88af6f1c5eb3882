import RetortLanguage
import Testing

@Suite struct ParserRecoveryTests {
  @Test func unclosedListReportsAtTheEndOfItsLineAndResumes() {
    let source = "x = tensor [1, 2\ny = 3\nprint y"
    let (program, diagnostics) = parse(source)
    #expect(diagnostics.map(\.message) == ["expected ']' to close the list opened at 1:12"])
    #expect(diagnostics.first?.range.start == SourceLocation(line: 1, column: 17, offset: 16))
    #expect(program.sExpression == "(= x (cmd tensor (list 1 2)))\n(= y 3)\n(cmd print y)")
  }

  @Test func unclosedCallAtEndOfInput() {
    let (_, diagnostics) = parse("f(a, b")
    #expect(diagnostics.map(\.message) == ["expected ')' to close the call opened at 1:2"])
    #expect(diagnostics.first?.range.start.column == 7)
  }

  @Test func missingCommaOnOneLine() {
    #expect(messages("f(a b)") == ["expected ',' or ')' in the call opened at 1:2, found 'b'"])
  }

  @Test func unclosedBlock() {
    let (program, diagnostics) = parse("for i in x {\n  print i\n")
    #expect(diagnostics.map(\.message) == ["expected '}' to close the block opened at 1:12"])
    #expect(program.sExpression == "(for i x (block (cmd print i)))")
  }

  @Test func oneErrorPerStatementAndAllStatementsKept() {
    let source = "x = = 1\ny = 2 3\nz = )\nok = 1\n}"
    let (program, diagnostics) = parse(source)
    #expect(diagnostics.map(\.range.start.line) == [1, 2, 3, 5])
    #expect(program.statements.count == 4)
    #expect(program.statements.last?.sExpression == "(= ok 1)")
  }

  @Test func errorInsideBlockRecoversInsideBlock() {
    let source = "model {\n  conv 16 3 pad=\n  relu\n}\nprint 1"
    let (program, diagnostics) = parse(source)
    #expect(diagnostics.count == 1)
    #expect(program.sExpression.hasSuffix("(cmd print 1)"))
    #expect(program.sExpression.contains("(cmd relu)"))
  }

  @Test func loneOperators() {
    for source in ["+", "*", "-", "==", "=", ".", ",", ":", "@", "**", "not", "and"] {
      let (_, diagnostics) = parse(source)
      #expect(!diagnostics.isEmpty, "\(source)")
    }
  }

  @Test func danglingContinuation() {
    #expect(messages("x = \\") == ["'\\' at the end of the input continues nothing"])
  }

  @Test func unmatchedClosers() {
    #expect(messages(")") == ["unexpected ')' without a matching opening bracket"])
    #expect(messages("x = 1]") == ["unexpected ']' without a matching opening bracket"])
  }

  @Test(arguments: [
    "(", "[", "-", "not ", "f(", "x[", "if x {", "\"{", "sweep ", "2 ** ", "def f() { ",
    "print (", "[x, ", "model { relu; model { ",
  ])
  func deepNestingIsLimited(opener: String) {
    let source = String(repeating: opener, count: 5000) + "1"
    let (_, diagnostics) = parse(source)
    #expect(!diagnostics.isEmpty)
    #expect(diagnostics.contains { $0.message.contains("too deep") })
  }

  @Test func longFlatChainsAreNotNesting() {
    let attributes = "x" + String(repeating: ".a", count: 5000)
    let calls = "f" + String(repeating: "()", count: 5000)
    let sums = (0..<5000).map(String.init).joined(separator: " + ")
    let labels = String(repeating: "a: ", count: 3) + "relu"
    for source in [attributes, calls, sums] { #expect(messages(source).isEmpty) }
    #expect(!messages(labels).isEmpty)
  }

  @Test func nestingWithinTheLimitIsFine() {
    let source = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
    #expect(messages(source).isEmpty)
  }

  @Test func lexicalErrorsAreNotRepeatedByTheParser() {
    let (_, diagnostics) = parse("x = $ + 1")
    #expect(diagnostics.map(\.message) == ["unexpected character '$'"])
  }

  @Test func diagnosticsAreInSourceOrder() {
    let (_, diagnostics) = parse("a = (\nb = $\nc = [")
    let offsets = diagnostics.map(\.range.start.offset)
    #expect(offsets == offsets.sorted())
  }
}
