import Foundation
import RetortTensor
import Testing

@testable import RetortLanguage

@Suite("Commands")
struct CommandTests {
  static let names = CommandRegistry.standard().names

  @Test(arguments: CommandTests.names)
  func examplesRunWithoutErrors(name: String) throws {
    let spec = try #require(CommandRegistry.standard()[name])
    #expect(!spec.examples.isEmpty, "\(name) has no example")
    for example in spec.examples {
      let result = runScript(example)
      #expect(result.succeeded, "\(name): \(result.diagnostics)")
    }
  }

  @Test func softmaxAtTemperature() {
    // softmax([5, 2, 1] / 4) by hand: exp(1.25), exp(0.5), exp(0.25), normalised.
    let e = [1.25, 0.5, 0.25].map { Foundation.exp($0) }
    let expected = e.map { Float($0 / e.reduce(0, +)) }
    for source in ["softmax(tensor [5, 2, 1], T=4)", "softmax((tensor [5, 2, 1]) / 4)"] {
      let values = tensorValues(source)
      #expect(values.count == 3)
      for (a, b) in zip(values, expected) { #expect(abs(a - b) < 1e-5) }
    }
  }

  @Test func temperatureMustBePositive() {
    let error = firstError("softmax(tensor [1, 2], T=0)")
    #expect(error?.message == "the temperature T must be greater than 0, got 0")
    #expect(firstError("log_softmax(tensor [1, 2], T=-1)") != nil)
  }

  @Test func klMatchesTheDefinitionAndWarnsOnLogits() {
    // KL(p || q) = sum p log(p / q), averaged over the two rows.
    let p: [[Double]] = [[0.7, 0.2, 0.1], [0.5, 0.5, 0]]
    let q: [[Double]] = [[0.4, 0.4, 0.2], [0.25, 0.25, 0.5]]
    var expected = 0.0
    for (pr, qr) in zip(p, q) {
      for (a, b) in zip(pr, qr) where a > 0 { expected += a * Foundation.log(a / b) / 2 }
    }
    let values = tensorValues(
      "kl(tensor [[0.7, 0.2, 0.1], [0.5, 0.5, 0]], tensor [[0.4, 0.4, 0.2], [0.25, 0.25, 0.5]])")
    #expect(abs(Double(values.first ?? 0) - expected) < 1e-5)

    let result = runScript("kl(tensor [2.0, -1.0], tensor [0.5, 0.5])")
    let warning = result.diagnostics.first { $0.severity == .warning }
    #expect(warning?.message.hasPrefix("'p' of 'kl' is not a probability distribution") == true)
    #expect(warning?.hint == "it looks like raw logits; apply softmax first")
    #expect(result.succeeded)
  }

  @Test func crossEntropyWithLabelsAndSoftTargets() {
    // -log softmax([2, 0])[0] = log(1 + e^-2).
    let expected = Float(Foundation.log(1 + Foundation.exp(-2.0)))
    #expect(abs((tensorValues("ce(tensor [[2, 0]], [0])").first ?? 0) - expected) < 1e-5)
    #expect(
      abs((tensorValues("ce(tensor [[2, 0]], tensor [[1, 0]])").first ?? 0) - expected) < 1e-5)
    #expect(
      firstError("ce(tensor [[2, 0]], [5])")?.message == "ce: label 5 is out of range for 2 classes"
    )
  }

  @Test func gradientsFlowToLeaves() {
    let values = tensorValues("w = tensor [1, 2, 3] grad=true\nbackward(sum(w * w))\nw.grad")
    #expect(values == [2, 4, 6])
    let error = firstError("w = tensor [1, 2]\nbackward(sum(w))")
    #expect(
      error?.message == "'backward' needs a result computed from tensors that record gradients")
  }

  @Test func creationRespectsTheSizeLimit() {
    let error = firstError("zeros [100000, 100000]")
    #expect(
      error?.message
        == "a tensor of shape [100000, 100000] would hold 10000000000 elements; "
        + "the limit is 50000000"
    )
    #expect(firstError("zeros [4611686018427387904, 4]") != nil)
  }

  @Test func seedMakesDrawsRepeat() {
    let interpreter = Interpreter()
    let first = runScript("seed 7\nrandn [3]", in: interpreter).values.last?.tensorValue?.scalars
    let second = runScript("seed 7\nrandn [3]", in: interpreter).values.last?.tensorValue?.scalars
    #expect(first != nil && first == second)
  }

  @Test func helpListsAndExplains() {
    let overview = CommandRegistry.standard().helpOverview()
    #expect(overview.contains("Tensor math:"))
    #expect(overview.contains("softmax"))
    let detail = CommandRegistry.standard().help(for: "softmax") ?? ""
    #expect(detail.hasPrefix("usage: softmax [<x>] [axis=-1] [T=1]"))
    #expect(detail.contains("Examples:"))
    #expect(runScript("help softmax").outputs.count == 1)
    #expect(firstError("help softmx")?.hint == "did you mean 'softmax'?")
  }
}

@Suite("Command registry validation")
struct RegistryTests {
  /// An interpreter with a `train`-like command to validate against.
  static func interpreterWithTrain() -> Interpreter {
    let interpreter = Interpreter()
    interpreter.commandRegistry.register(
      CommandSpec(
        name: "train", summary: "test command", category: .training,
        parameters: [
          .positional("model", .any, "the model"),
          .role("on", "data", .any, "the data"),
          .option("epochs", .positiveInteger, default: .number(1), "passes"),
          .option("lr", .positiveNumber, default: .number(0.001), "step size"),
        ]
      ) { invocation in
        .list([
          invocation.value("model"), invocation.value("data"),
          .number(Double(try invocation.integer("epochs"))),
        ])
      })
    return interpreter
  }

  @Test func unknownOptionSuggestsTheClosest() throws {
    let interpreter = RegistryTests.interpreterWithTrain()
    let result = runScript("train 1 on 2 epoch=3", in: interpreter)
    let error = try #require(result.diagnostics.first)
    #expect(error.message == "unknown option 'epoch' for 'train'")
    #expect(error.hint == "did you mean 'epochs'?")
    #expect(error.range.start.column == 14)
  }

  @Test func wrongOptionTypeSaysWhatIsNeeded() {
    let interpreter = RegistryTests.interpreterWithTrain()
    let result = runScript("train 1 on 2 epochs=0.5", in: interpreter)
    #expect(
      result.diagnostics.first?.message
        == "option 'epochs' of 'train' expects a whole number of at least 1, got 0.5")
    // 3.0 is accepted as the whole number 3.
    let ok = runScript("train 1 on 2 epochs=3.0", in: interpreter)
    #expect(ok.values.last?.display == "[1, 2, 3]")
  }

  @Test func missingAndExtraArguments() {
    let interpreter = RegistryTests.interpreterWithTrain()
    #expect(
      runScript("train 1", in: interpreter).diagnostics.first?.message
        == "'train' needs argument 'on data' (a value)")
    #expect(
      runScript("train 1 2 on 3", in: interpreter).diagnostics.first?.message
        == "'train' takes at most 1 positional argument, got 2")
    #expect(
      runScript("train 1 from 3", in: interpreter).diagnostics.first?.message
        == "'train' does not take 'from ...'")
  }

  @Test func callFormMapsPositionalsOntoRoles() {
    let interpreter = RegistryTests.interpreterWithTrain()
    #expect(runScript("train(1, 2, epochs=4)", in: interpreter).values.last?.display == "[1, 2, 4]")
    #expect(runScript("train(1, on=5)", in: interpreter).values.last?.display == "[1, 5, 1]")
  }

  @Test func assigningToACommandNameSuggestsAName() {
    let interpreter = RegistryTests.interpreterWithTrain()
    let bare = runScript("train = 3", in: interpreter).diagnostics.first
    #expect(bare?.message == "'train' is a command and cannot be used as a variable name")
    #expect(bare?.hint == "did you mean 'train_set'?")
    _ = runScript("my_train_data = 1", in: interpreter)
    let withVariable = runScript("train = 3", in: interpreter).diagnostics.first
    #expect(withVariable?.hint == "did you mean 'my_train_data'?")
    #expect(firstError("relu = 1")?.hint == "did you mean 'my_relu'?")
    #expect(firstError("def softmax(x) { return x }")?.message.contains("is a command") == true)
  }

  @Test func unknownNameSuggestsVariablesAndCommands() {
    #expect(firstError("student_acc = 1\nstudent_ac")?.hint == "did you mean 'student_acc'?")
    #expect(firstError("sofmax")?.hint == "did you mean 'softmax'?")
  }

  @Test func commandReferencesAreValues() {
    // `f = exp` would run `exp` (a command on the right of `=`); parentheses make it a value.
    #expect(shown("f = (exp)\nf(0)") == "tensor(1.)")
    #expect(shown("softmax.name") == "\"softmax\"")
  }
}

@Suite("docs/commands.md")
struct CommandDocsTests {
  @Test func committedReferenceIsCurrent() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("docs/commands.md")
    let generated = CommandRegistry.standard().markdownReference()
    if ProcessInfo.processInfo.environment["RETORT_UPDATE_GOLDEN"] == "1" {
      try generated.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let committed = try String(contentsOf: url, encoding: .utf8)
    #expect(
      committed == generated,
      "docs/commands.md is out of date: run `make docs` (or RETORT_UPDATE_GOLDEN=1 swift test)")
  }
}
