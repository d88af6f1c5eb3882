import RetortLanguage
import Testing

@Suite struct ParserStatementTests {
  @Test(arguments: [
    ("x = 1", "(= x 1)"),
    ("a, b = f(x)", "(= (a b) (call f x))"),
    ("a.b = 1", "(= (. a b) 1)"),
    ("x[0] = 1", "(= (index x 0) 1)"),
    ("x", "x"),
    ("x;", "x;"),
    ("x; y", "x;\ny"),
    ("a = 1; b = 2;", "(= a 1);\n(= b 2);"),
    ("x == 1", "(== x 1)"),
    ("for T in [1, 2] { print T }", "(for T (list 1 2) (block (cmd print T)))"),
    (
      "if a { x } else if b { y } else { z }",
      "(if (a (block x)) (b (block y)) (else (block z)))"
    ),
    ("if a {\n  x\n}\nelse {\n  y\n}", "(if (a (block x)) (else (block y)))"),
    ("if a { }", "(if (a (block)))"),
    ("while i < 3 { i = i + 1 }", "(while (< i 3) (block (= i (+ i 1))))"),
    ("def f(a, b, c=1) { return a - b }", "(def f (a b (c 1)) (block (return (- a b))))"),
    ("def f() {\n  return\n}", "(def f () (block (return)))"),
    ("def f() { return load \"x\" }", "(def f () (block (return (cmd load \"x\"))))"),
    (
      "for i in xs { if i { break } else { continue } }",
      "(for i xs (block (if (i (block (break))) (else (block (continue))))))"
    ),
    ("\n\n;;x\n\n", "x"),
    ("", ""),
    ("# only a comment", ""),
    ("a = \\\n  1", "(= a 1)"),
    ("f(a,\n  b)\ng(c)", "(call f a b)\n(call g c)"),
    ("block2: conv 32 3", "(label block2 (cmd conv 32 3))"),
    ("x = [\n  1,\n  2,\n]", "(= x (list 1 2))"),
  ])
  func statementShapes(source: String, expected: String) {
    let (program, diagnostics) = parse(source)
    #expect(program.sExpression == expected)
    #expect(diagnostics.isEmpty, "\(diagnostics)")
  }

  @Test func hidesValueFlag() {
    let (program, _) = parse("train t on d;\nx\ny;")
    #expect(program.statements.map(\.hidesValue) == [true, false, true])
  }

  @Test func statementRanges() {
    let (program, _) = parse("x = 1\n  for i in y {\n  z\n}")
    #expect(program.statements.count == 2)
    #expect(
      program.statements[0].range
        == SourceRange(
          start: SourceLocation(line: 1, column: 1, offset: 0),
          end: SourceLocation(line: 1, column: 6, offset: 5)))
    #expect(program.statements[1].range.start == SourceLocation(line: 2, column: 3, offset: 8))
    #expect(program.statements[1].range.end.line == 4)
    #expect(program.statements[1].range.end.column == 2)
  }

  @Test(arguments: [
    ("return 1", "'return' outside a function"),
    ("break", "'break' outside a loop"),
    ("def f() { for x in y { def g() { break } } }", "'break' outside a loop"),
    ("1 = x", "cannot assign to this expression"),
    ("f(x) = 1", "cannot assign to this expression"),
    ("a, b", "expected '=' after the assignment targets, found end of input"),
    ("def f(a, a) { }", "duplicate parameter 'a'"),
    ("def f(a=1, b) { }", "parameter 'b' needs a default because an earlier one has one"),
    ("for in x { }", "'in' is a keyword and cannot be used as a name"),
    ("for x y { }", "expected 'in' after the loop variable, found 'y'"),
    ("if x print 1", "expected '{' after the condition, found 'print'"),
    ("else { }", "'else' without a matching 'if'"),
    ("def (a) { }", "expected a name after 'def', found '('"),
    ("def f { }", "expected '(' after the function name, found '{'"),
    ("x.1", "expected a member name after '.', found the number 1"),
    ("x[]", "expected an index inside '[ ]', found ']'"),
  ])
  func statementErrors(source: String, message: String) {
    #expect(messages(source) == [message])
  }
}
