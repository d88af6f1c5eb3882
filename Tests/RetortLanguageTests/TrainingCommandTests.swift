import Foundation
import RetortNetworks
import RetortTensor
import Testing

@testable import RetortLanguage

/// Text of everything a run wrote, tables and charts described in one line each.
private func transcript(_ result: RunResult) -> String {
  result.outputs.map { CapturingOutputSink.render($0, formatter: nil) }.joined(separator: "\n")
}

@Suite("Training, distillation and report commands")
struct TrainingCommandTests {
  static let setup = """
    seed 4
    digits = load "digits"
    train_set, test_set = split digits 0.8 stratified=true
    teacher = mlp [64, 64, 10]
    train teacher on train_set epochs=3 quiet=true
    """

  static func prepared() -> Interpreter {
    let interpreter = Interpreter()
    let result = runScript(setup, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    return interpreter
  }

  @Test func trainPrintsEpochsAndRecordsHistory() throws {
    let interpreter = Interpreter()
    let result = runScript(
      """
      seed 1
      digits = load "digits"
      m = mlp [64, 16, 10]
      train m on digits epochs=3
      m.history.loss
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let text = transcript(result)
    #expect(text.contains("epoch 1/3  loss "))
    #expect(text.contains("epoch 3/3  loss "))
    #expect(text.contains("train m on digits: 3 epochs in"))
    let losses = try #require(result.values.last?.tensorValue)
    #expect(losses.shape == [3])
    #expect(losses.scalars[2] < losses.scalars[0], "the loss falls")
  }

  @Test func distillShowsFormulaStepZeroTermsAndTheCache() {
    let interpreter = Self.prepared()
    let result = runScript(
      """
      student = mlp [64, 16, 10]
      distill student from teacher on train_set epochs=3 loss = 0.3*ce + 0.7*kd(T=4)
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let text = transcript(result)
    #expect(text.contains("distill student on digits/train: loss = 0.3·ce + 0.7·kd(T=4)"))
    #expect(text.contains("at step 0: 0.3·ce = "))
    #expect(text.contains("0.7·kd(T=4) = "))
    #expect(text.contains("(teacher cache built)"))
    #expect(text.contains("(teacher cache reused)"))
  }

  @Test func sameSeedSameNumbersBitForBit() {
    let script = """
      seed 9
      digits = load "digits"
      m = mlp [64, 16, 10] dropout=0.1
      train m on digits epochs=2 quiet=true
      m.history.loss
      """
    let first = runScript(script).values.last?.tensorValue?.scalars
    let second = runScript(script).values.last?.tensorValue?.scalars
    #expect(first != nil)
    #expect(first == second)
  }

  @Test func stepShowsTermsGradientNormAndProbabilities() {
    let interpreter = Self.prepared()
    let result = runScript(
      "student = mlp [64, 16, 10]\n"
        + "step student from teacher on train_set loss = 0.5*ce + 0.5*kd(T=4)",
      in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let text = transcript(result)
    #expect(text.contains("one step on a batch of 64: loss = 0.5·ce + 0.5·kd(T=4)"))
    #expect(text.contains("gradient norm"))
    #expect(text.contains("student T=4"))
    #expect(text.contains("teacher T=4"))
    #expect(text.contains("←"), "the label's row is marked")
  }

  @Test func compareReportsGapRecoveredAgainstTheBaseline() throws {
    let interpreter = Self.prepared()
    let result = runScript(
      """
      student = mlp [64, 16, 10]
      baseline = copy student
      train baseline on train_set epochs=2 quiet=true
      distill student from teacher on train_set epochs=2 quiet=true
      report = compare teacher baseline student on test_set runs=5
      report.teacher
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let text = transcript(result)
    for column in ["accuracy", "agree", "ECE", "params", "p50 µs", "ex/s @256", "speed-up"] {
      #expect(text.contains(column))
    }
    #expect(text.contains("distillation recovered"))
    let accuracy = try #require(result.values.last?.numberValue)
    #expect(accuracy > 0.5 && accuracy <= 1)
    let plotted = runScript("plot report", in: interpreter)
    guard case .chart(let chart) = plotted.outputs.first else {
      Issue.record("plot of a compare draws a chart")
      return
    }
    #expect(chart.kind == .scatter)
  }

  @Test func sweepScoresEveryPointAndReturnsTheBest() throws {
    let interpreter = Self.prepared()
    let result = runScript(
      """
      student = mlp [64, 16, 10]
      result = sweep distill student from teacher on train_set alpha=[0.1, 0.9] T=[2, 4] epochs=2
      result.alpha
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let text = transcript(result)
    #expect(text.contains("point 1/4: alpha=0.1 T=2"))
    #expect(text.contains("point 4/4: alpha=0.9 T=4"))
    #expect(text.contains("best"))
    #expect(result.outputs.contains { if case .chart = $0 { true } else { false } })
    let alpha = try #require(result.values.last?.numberValue)
    #expect(alpha == 0.1 || alpha == 0.9)
    #expect(runScript("result.best", in: interpreter).values.last?.kindName == "model")
  }

  @Test func plotDrawsHistoriesAndTensors() {
    let interpreter = Self.prepared()
    let result = runScript(
      """
      plot teacher
      plot [softmax(tensor [3.0, 1.0]), softmax(tensor [3.0, 1.0] / 4)] labels=["T=1", "T=4"]
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let charts = result.outputs.compactMap { event -> Chart? in
      if case .chart(let chart) = event { return chart }
      return nil
    }
    #expect(charts.map(\.kind) == [.line, .bar])
    let error = runScript("plot teacher series=\"acc\"", in: interpreter).diagnostics.first
    #expect(error?.hint?.contains("accuracy") == true)
  }

  @Test func mistakesGetClearErrors() {
    let interpreter = Self.prepared()
    let noTeacher = runScript(
      "s = mlp [64, 16, 10]\ntrain s on train_set epochs=1 loss=kd", in: interpreter)
    #expect(noTeacher.diagnostics.first?.message.contains("unknown option 'loss'") == true)
    let wrongData = runScript(
      "s = mlp [64, 16, 10]\ndistill s from teacher on teacher", in: interpreter)
    #expect(wrongData.diagnostics.first?.message.contains("expects") == true)
    let badShape = runScript("s = mlp [32, 10]\ntrain s on train_set", in: interpreter)
    let message = badShape.diagnostics.first?.message ?? ""
    #expect(message.contains("[32]") && message.contains("[64]"), "\(message)")
  }

  @Test func ctrlCStopsTrainingAtAStepBoundaryAndKeepsVariables() throws {
    let interpreter = Self.prepared()
    let sink = CapturingOutputSink()
    interpreter.output = sink
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) let target = interpreter
    nonisolated(unsafe) var result = RunResult()
    let worker = Thread {
      result = target.run(source: "train teacher on train_set epochs=100000", fileName: "t.rt")
      done.signal()
    }
    worker.start()
    Thread.sleep(forTimeInterval: 0.5)
    interpreter.interruptRequested = true
    #expect(done.wait(timeout: .now() + 30) == .success)
    let text = transcript(result)
    #expect(text.contains("interrupted at epoch"), "\(text)")
    #expect(
      runScript("evaluate(teacher, test_set) > 0.5", in: interpreter).values.last?.display
        == "true")
  }

  @Test func dkdAndSeveralTeachersGoThroughDistill() {
    let interpreter = Self.prepared()
    let result = runScript(
      """
      second = mlp [64, 32, 10]
      train second on train_set epochs=2 quiet=true
      a = mlp [64, 16, 10]
      distill a from teacher on train_set epochs=2 loss = ce + dkd(alpha=1, beta=8, T=4)
      b = mlp [64, 16, 10]
      distill b from [teacher, second] on train_set epochs=2 loss = 0.5*ce + 0.5*kd(T=4)
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let text = transcript(result)
    #expect(text.contains("dkd("), "\(text)")
    #expect(text.contains("0.5·mkd(T=4)"), "several teachers: averaged soft targets")
  }

  @Test func confusionMatrixTableAndHeatmap() throws {
    let interpreter = Self.prepared()
    let result = runScript("c = confusion teacher on test_set\nplot c\nc.accuracy", in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    #expect(transcript(result).contains("true \\ predicted"))
    let charts = result.outputs.compactMap { event -> Chart? in
      if case .chart(let chart) = event { return chart }
      return nil
    }
    #expect(charts.map(\.kind) == [.heatmap])
    let accuracy = try #require(result.values.last?.numberValue)
    #expect(accuracy > 0.5)
  }
}
