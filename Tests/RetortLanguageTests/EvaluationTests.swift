import Foundation
import RetortTensor
import Testing

@testable import RetortLanguage

@Suite("Evaluation")
struct EvaluationTests {
  @Test(arguments: [
    ("1 + 2 * 3", "7"), ("7 / 2", "3.5"), ("2 ** -1", "0.5"), ("-2 ** 2", "-4"),
    ("-7 % 3", "2"), ("7 % -3", "-2"), ("10 - 4 - 3", "3"), ("0.25", "0.25"), ("1e20", "1e+20"),
    ("3 > 2 and 2 > 1", "true"), ("not (1 == 1)", "false"), ("1 == \"1\"", "false"),
    ("[1, 2] == [1, 2]", "true"), ("\"b\" > \"a\"", "true"), ("none == none", "true"),
  ])
  func arithmeticAndLogic(source: String, expected: String) {
    #expect(shown(source) == expected)
  }

  @Test func numbersPrintWithoutFractionWhenWhole() {
    #expect(Value.format(number: 42) == "42")
    #expect(Value.format(number: -3) == "-3")
    #expect(Value.format(number: 0.25) == "0.25")
    #expect(Value.format(number: .infinity) == "inf")
  }

  @Test func stringsAndInterpolation() {
    #expect(shown("T = 4\n\"T={T}, half={T / 8}\"") == "\"T=4, half=0.5\"")
    #expect(shown("x = tensor [0.5, 0.25]\n\"{x}\"") == "\"[0.5, 0.25]\"")
    #expect(shown("\"ab\" + \"cd\"") == "\"abcd\"")
    #expect(shown("\"hello\"[-1]") == "\"o\"")
    #expect(shown("\"hello\"[1:3]") == "\"el\"")
  }

  @Test func listsIndexingAndSlicing() {
    let prelude = "xs = [10, 20, 30, 40, 50]\n"
    #expect(shown(prelude + "xs[-2]") == "40")
    #expect(shown(prelude + "xs[1:4:2]") == "[20, 40]")
    #expect(shown(prelude + "xs[::-2]") == "[50, 30, 10]")
    #expect(shown(prelude + "xs[:2] + xs[3:]") == "[10, 20, 40, 50]")
    #expect(shown(prelude + "xs[1] = 0\nxs") == "[10, 0, 30, 40, 50]")
    #expect(shown(prelude + "xs.length") == "5")
    #expect(shown("m = [[1, 2], [3, 4]]\nm[1][0]") == "3")
  }

  @Test func tensorIndexing() {
    let prelude = "x = tensor [[1, 2, 3], [4, 5, 6]]\n"
    #expect(tensorValues(prelude + "x[1]") == [4, 5, 6])
    #expect(tensorValues(prelude + "x[:, -1]") == [3, 6])
    #expect(tensorValues(prelude + "x[0, 1:3]") == [2, 3])
    #expect(tensorValues(prelude + "x[:, ::-1]") == [3, 2, 1, 6, 5, 4])
    #expect(tensorValues(prelude + "x[[1, 0]]") == [4, 5, 6, 1, 2, 3])
    #expect(tensorValues(prelude + "x[:, 1] = 0\nx") == [1, 0, 3, 4, 0, 6])
    #expect(shown(prelude + "x[1, 2].item") == "6")
  }

  @Test func broadcastingAndComparisons() {
    // A statement starting with a command word is a command, so these start with `(` or `x`.
    #expect(tensorValues("(tensor [[1], [2]]) + tensor [10, 20]") == [11, 21, 12, 22])
    #expect(tensorValues("tensor [1, 2, 3] > 1") == [0, 1, 1])
    #expect(tensorValues("2 * tensor [1, 2] - 1") == [1, 3])
    #expect(tensorValues("y = tensor [1, 2]\ny + [3, 4]") == [4, 6])
    #expect(tensorValues("(tensor [[1, 2], [3, 4]]) @ tensor [[1], [1]]") == [3, 7])
    #expect(tensorValues("tensor [2, 3] ** 2") == [4, 9])
    #expect(tensorValues("(zeros [2]) + 1") == [1, 1])
    // As a command, the argument is the whole expression: `tensor [1, 2] + [3]` joins lists.
    #expect(tensorValues("tensor [1, 2] + [3]") == [1, 2, 3])
  }

  @Test func broadcastErrorNamesOpShapesAndOperator() throws {
    let error = try #require(firstError("a = zeros [2, 3]\nb = ones [4]\na + b"))
    #expect(
      error.message
        == "cannot compute a tensor [2, 3] + a tensor [4]: shapes [2, 3] and [4] do not "
        + "broadcast (axis 1: 3 vs 4)")
    #expect(error.range.start.line == 3 && error.range.start.column == 3)
    #expect(error.range.end.column == 4)
  }

  @Test func tensorAttributes() {
    let prelude = "x = zeros [4, 64]\n"
    #expect(shown(prelude + "x.shape") == "[4, 64]")
    #expect(shown(prelude + "x.rank") == "2")
    #expect(shown(prelude + "x.T.shape") == "[64, 4]")
    #expect(shown(prelude + "x.grad") == "<nothing shown>")
    #expect(shown(prelude + "type(x)") == "\"tensor [4, 64]\"")
    let error = firstError(prelude + "x.shap")
    #expect(error?.message == "a tensor [4, 64] has no attribute 'shap'")
    #expect(error?.hint == "did you mean 'shape'?")
  }

  @Test func destructuring() {
    #expect(shown("a, b = [1, 2]\na - b") == "-1")
    #expect(firstError("a, b = [1, 2, 3]")?.message == "cannot unpack a list of 3 into 2 names")
    #expect(shown("r0, r1 = tensor [[1, 2], [3, 4]]\nr1") == "tensor([3., 4.], shape=[2])")
  }

  @Test func hiddenValuesAndNoneAreNotShown() {
    let result = runScript("1;\nnone\nprint \"x\"\n2")
    #expect(result.values.map(\.display) == ["2"])
  }
}

@Suite("Functions and control flow")
struct ControlFlowTests {
  @Test func functionsWithDefaultsAndKeywords() {
    let prelude = "def f(a, b=10, c=a*2) { return a + b + c }\n"
    #expect(shown(prelude + "f(1)") == "13")
    #expect(shown(prelude + "f(1, 2)") == "5")
    #expect(shown(prelude + "f(1, c=0)") == "11")
    #expect(firstError(prelude + "f()")?.message == "'f' needs argument 'a'")
    #expect(firstError(prelude + "f(1, 2, 3, 4)")?.message == "'f' takes 3 arguments, got 4")
    let unknown = firstError(prelude + "f(1, d=2)")
    #expect(unknown?.message == "'f' has no parameter 'd'")
  }

  @Test func functionsSeeGlobalsAndKeepLocalsLocal() {
    #expect(shown("k = 3\ndef g(x) { y = x * k\nreturn y }\ng(2)") == "6")
    #expect(firstError("def g(x) { y = x\nreturn y }\ng(2)\ny")?.message == "unknown name 'y'")
  }

  @Test func closuresCaptureTheirScope() {
    let source = """
      def make(n) {
        def add(x) { return x + n }
        return add
      }
      plus5 = make(5)
      plus5(1)
      """
    #expect(shown(source) == "6")
  }

  @Test func recursionAndItsLimit() {
    #expect(
      shown("def fact(n) { if n <= 1 { return 1 }\nreturn n * fact(n - 1) }\nfact(10)")
        == "3628800")
    let error = firstError("def down(n) { return down(n - 1) }\ndown(1)")
    #expect(error?.message == "too many nested calls (more than 120) in 'down'")
    #expect(error?.hint == "a recursive function needs a case that returns without calling itself")
  }

  @Test func loopsBreakAndContinue() {
    let source = """
      total = 0
      for i in range(100) {
        if i % 2 == 1 { continue }
        if i >= 10 { break }
        total = total + i
      }
      total
      """
    #expect(shown(source) == "20")
    #expect(shown("n = 1\nwhile n < 100 { n = n * 3 }\nn") == "243")
    #expect(
      shown("s = 0\nfor row in tensor [[1, 2], [3, 4]] { s = s + sum(row).item }\ns")
        == "10")
  }

  @Test func stepLimitStopsRunawayLoops() {
    let interpreter = Interpreter()
    interpreter.limits.stepLimit = 1000
    let result = interpreter.run(source: "n = 0\nwhile true { n = n + 1 }")
    #expect(result.diagnostics.first?.message == "the program ran more than 1000 steps")
    #expect((interpreter[variable: "n"]?.numberValue ?? 0) > 100)
  }

  @Test func interruptStopsAndKeepsVariables() {
    let interpreter = Interpreter()
    _ = interpreter.run(source: "x = 1")
    interpreter.interruptRequested = true
    let result = interpreter.run(source: "x = 2")
    #expect(result.diagnostics.first?.message == "interrupted")
    #expect(interpreter[variable: "x"]?.numberValue == 1)
    #expect(interpreter.interruptRequested == false)
  }

  @Test func stopsAtFirstErrorUnlessKeepGoing() {
    let interpreter = Interpreter()
    let stopped = interpreter.run(source: "print \"a\"\nnope\nprint \"b\"")
    #expect(stopped.outputs.count == 2)
    interpreter.keepGoing = true
    let going = interpreter.run(source: "print \"a\"\nnope\nprint \"b\"")
    #expect(going.outputs.count == 3)
    #expect(!going.succeeded)
  }

  @Test func parseErrorsPreventRunning() {
    let interpreter = Interpreter()
    let result = interpreter.run(source: "x = 1\ny = (2")
    #expect(!result.succeeded)
    #expect(interpreter[variable: "x"] == nil)
  }
}

@Suite("Embedding API")
struct EmbeddingTests {
  @Test func variablesAndExpressions() throws {
    let interpreter = Interpreter()
    interpreter[variable: "n"] = .number(4)
    #expect(try interpreter.evaluateExpression("n * 2").numberValue == 8)
    _ = interpreter.run(source: "m = n + 1")
    #expect(interpreter.variableNames == ["m", "n"])
    #expect(throws: RuntimeError.self) { try interpreter.evaluateExpression("missing + 1") }
  }

  @Test func sinkReceivesEventsInOrder() {
    let sink = CapturingOutputSink()
    let interpreter = Interpreter(output: sink)
    _ = interpreter.run(source: "print \"hi\"\n1 + 1")
    #expect(sink.transcript() == "hi\n2\n")
  }
}
