import RetortLanguage
import Testing

@Suite struct ParserExpressionTests {
  @Test(arguments: [
    ("1 + 2 * 3", "(+ 1 (* 2 3))"),
    ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
    ("a - b - c", "(- (- a b) c)"),
    ("2 ** 3 ** 2", "(** 2 (** 3 2))"),
    ("-2 ** 2", "(neg (** 2 2))"),
    ("2 ** -1", "(** 2 (neg 1))"),
    ("-a * b", "(* (neg a) b)"),
    ("a @ b + c", "(+ (@ a b) c)"),
    ("a % b / c", "(/ (% a b) c)"),
    ("a < b and c >= d or not e", "(or (and (< a b) (>= c d)) (not e))"),
    ("not a == b", "(not (== a b))"),
    ("a != b", "(!= a b)"),
    ("a <= b", "(<= a b)"),
    ("x.y.z", "(. (. x y) z)"),
    ("f(a, b)(c)", "(call (call f a b) c)"),
    ("kd(T=4)", "(call kd (kw T 4))"),
    ("f(1, key = 2,)", "(call f 1 (kw key 2))"),
    ("f()", "(call f)"),
    ("[]", "(list)"),
    ("[1, [2, 3],]", "(list 1 (list 2 3))"),
    ("x[0, 1:3]", "(index x 0 (slice 1 3 _))"),
    ("x[:, -1]", "(index x (slice _ _ _) (neg 1))"),
    ("x[::2]", "(index x (slice _ _ 2))"),
    ("x[1:]", "(index x (slice 1 _ _))"),
    ("x[:-1]", "(index x (slice _ (neg 1) _))"),
    ("x[a:b:c]", "(index x (slice a b c))"),
    ("x[1::]", "(index x (slice 1 _ _))"),
    ("teacher.layers[0].weight @ x", "(@ (. (index (. teacher layers) 0) weight) x)"),
    ("true", "true"),
    ("none", "none"),
    ("\"plain\"", "\"plain\""),
    ("\"a{b}c\"", "(str \"a\" b \"c\")"),
    ("\"{x:.2}\"", "(str x)"),
    ("\"\"", "\"\""),
    ("1e-3", "0.001"),
    ("- - x", "(neg (neg x))"),
    ("f(\n  1,\n  2\n)", "(call f 1 2)"),
    ("[1,\n 2]", "(list 1 2)"),
  ])
  func expressionShapes(source: String, expected: String) {
    let (expression, _) = Parser.parseExpression(source)
    #expect(expression.sExpression == expected)
  }

  @Test func interpolationPositionsAreInTheSource() {
    let (program, diagnostics) = parse("print \"T={T}: {softmax(logits / T)}\"")
    #expect(diagnostics.isEmpty)
    guard case .command(let command) = program.statements.first?.kind,
      case .string(let parts) = command.positional.first?.kind,
      case .interpolation(let call) = parts.last
    else {
      Issue.record("unexpected shape \(program.sExpression)")
      return
    }
    #expect(call.range.start == SourceLocation(line: 1, column: 16, offset: 15))
    #expect(call.range.end.column == 35)
  }

  @Test func interpolationErrorsPointIntoTheString() {
    let (_, diagnostics) = parse("print \"a {1 +} b\"")
    #expect(diagnostics.count == 1)
    #expect(diagnostics.first?.range.start.column == 14)
  }

  @Test func emptyInterpolationIsAnError() {
    let (_, diagnostics) = parse("print \"{}\"")
    #expect(diagnostics.map(\.message) == ["expected an expression, found end of input"])
    #expect(diagnostics.first?.range.start.column == 9)
  }

  @Test func chainedComparisonIsReported() {
    #expect(messages("a < b < c") == ["comparisons cannot be chained"])
    #expect(messages("(a < b) < c").isEmpty)
  }

  @Test func callArgumentChecks() {
    #expect(messages("f(a=1, a=2)") == ["keyword argument 'a' is given more than once"])
    #expect(messages("f(a=1, 2)") == ["positional argument follows a keyword argument"])
  }

  @Test func rangesCoverTheExpression() {
    let (expression, _) = Parser.parseExpression("  f(a)[1] + 2")
    #expect(expression.range.start.column == 3)
    #expect(expression.range.end.column == 14)
    guard case .binary(_, let left, _) = expression.kind else {
      Issue.record("not binary")
      return
    }
    #expect(left.range.end.column == 10)
  }
}
