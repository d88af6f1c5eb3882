import RetortLanguage
import Testing

@Suite struct ParserCommandTests {
  @Test(arguments: [
    // Juxtaposed arguments versus binary expressions.
    ("split digits 0.8", "(cmd split digits 0.8)"),
    ("print a - b", "(cmd print (- a b))"),
    ("print a-b", "(cmd print (- a b))"),
    ("print a -b", "(cmd print a (neg b))"),
    ("print -1", "(cmd print (neg 1))"),
    ("print a * b c", "(cmd print (* a b) c)"),
    ("print not x", "(cmd print (not x))"),
    ("print (a - b) * 2", "(cmd print (* (- a b) 2))"),
    // Brackets after a space start a new argument; attached ones index or call.
    ("mlp [64, 10]", "(cmd mlp (list 64 10))"),
    ("print x[0] y (1)", "(cmd print (index x 0) y 1)"),
    ("print f(x)", "(cmd print (call f x))"),
    ("print x.y [1]", "(cmd print (. x y) (list 1))"),
    // A command word followed by these is an expression, not a command.
    ("softmax(x)", "(call softmax x)"),
    ("softmax(x) + 1", "(+ (call softmax x) 1)"),
    ("ce + kd", "(+ ce kd)"),
    ("ce - kd", "(- ce kd)"),
    ("ce -kd", "(cmd ce (neg kd))"),
    ("train = 3", "(= train 3)"),
    ("plot.x", "(. plot x)"),
    ("tensor[0]", "(index tensor 0)"),
    ("relu", "(cmd relu)"),
    ("evaluate(student, test_set)", "(call evaluate student test_set)"),
    // Options: full expressions, spaces around `=` allowed.
    ("train t epochs=3 lr=1e-3", "(cmd train t (epochs= 3) (lr= 0.001))"),
    (
      "train t loss = 0.3*ce + 0.7*kd(T=4) epochs=3",
      "(cmd train t (loss= (+ (* 0.3 ce) (* 0.7 (call kd (kw T 4))))) (epochs= 3))"
    ),
    ("train t on=x", "(cmd train t (on= x))"),
    // Roles.
    ("distill s from t on d", "(cmd distill s (from: t) (on: d))"),
    ("save m to \"m.st\" as safetensors", "(cmd save m (to: \"m.st\") (as: safetensors))"),
    ("print with", "(cmd print (with: (error)))"),
    // Nested commands.
    (
      "sweep distill s from t alpha=[0.1, 0.5]",
      "(cmd sweep (cmd distill s (from: t) (alpha= (list 0.1 0.5))))"
    ),
    ("plot relu", "(cmd plot relu)"),
    ("print train", "(cmd print train)"),
    // Commands as values.
    ("x = load \"digits\"", "(= x (cmd load \"digits\"))"),
    ("a, b = split d 0.8", "(= (a b) (cmd split d 0.8))"),
    // Blocks.
    ("model { relu }", "(cmd model (block (cmd relu)))"),
    (
      "model input=[1, 8, 8] {\n  conv 16 3 pad=1; relu\n}",
      "(cmd model (input= (list 1 8 8)) (block (cmd conv 16 3 (pad= 1)); (cmd relu)))"
    ),
    (
      "m = model {\n  b: linear 3\n}\nprint m",
      "(= m (cmd model (block (label b (cmd linear 3)))))\n(cmd print m)"
    ),
    ("print [a,\n b] c", "(cmd print (list a b) c)"),
  ])
  func commandShapes(source: String, expected: String) {
    let (program, diagnostics) = parse(source)
    #expect(program.sExpression == expected)
    if !source.hasSuffix("with") { #expect(diagnostics.isEmpty, "\(diagnostics)") }
  }

  @Test func commandAccessors() {
    let (program, _) = parse("distill s from t on d epochs=3 epochs=4 loss=ce")
    guard case .command(let command) = program.statements.first?.kind else {
      Issue.record("not a command")
      return
    }
    #expect(command.verb.name == "distill")
    #expect(command.positional.map(\.sExpression) == ["s"])
    #expect(command.roles.map(\.role.name) == ["from", "on"])
    #expect(command.role("on")?.sExpression == "d")
    #expect(command.option("epochs")?.sExpression == "4")
    #expect(command.options.count == 3)
    #expect(command.nestedCommand == nil)
    #expect(command.range.end.column == 48)
  }

  @Test func duplicateOptionIsAWarningWithANote() {
    let (_, diagnostics) = parse("train t epochs=3 epochs=4")
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.severity == .warning)
    #expect(diagnostics.first?.notes.first?.range?.start.column == 9)
  }

  @Test func nestedCommandAccessor() {
    let (program, _) = parse("sweep distill s from t T=[1, 2]")
    guard case .command(let command) = program.statements.first?.kind else {
      Issue.record("not a command")
      return
    }
    #expect(command.nestedCommand?.verb.name == "distill")
    #expect(command.nestedCommand?.option("T")?.sExpression == "(list 1 2)")
  }

  @Test func commandWordsComeFromTheCaller() {
    let (program, _) = Parser.parse(source: "frobnicate x 3", isCommand: { $0 == "frobnicate" })
    #expect(program.sExpression == "(cmd frobnicate x 3)")
    let (_, diagnostics) = Parser.parse(source: "frobnicate x 3", commandWords: [])
    #expect(diagnostics.count == 1)
  }

  @Test func commaBetweenArgumentsIsExplained() {
    let (_, diagnostics) = parse("compare a, b")
    #expect(diagnostics.first?.hint == "command arguments are separated by spaces, not commas")
  }

  @Test func misspeltCommandGetsASuggestion() {
    let (_, diagnostics) = parse("trian teacher on x")
    #expect(diagnostics.first?.message == "unexpected 'teacher'; expected the end of the statement")
    #expect(diagnostics.first?.hint == "did you mean the command 'train'?")
  }
}
