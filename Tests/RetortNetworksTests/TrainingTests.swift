import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Stops a run after a given number of steps, as Ctrl-C would, and records what it heard.
private final class RecordingObserver: TrainingObserver {
  var stopAfterSteps: Int?
  var steps = 0
  var plans: [RunPlan] = []
  var epochs: [EpochRecord] = []

  func runWillStart(_ plan: RunPlan) { plans.append(plan) }
  func stepDidEnd(epoch: Int, step: Int, of steps: Int, loss: Double) { self.steps += 1 }
  func epochDidEnd(_ record: EpochRecord, of epochs: Int) { self.epochs.append(record) }
  var stopRequested: Bool { stopAfterSteps.map { steps >= $0 } ?? false }
}

@Suite("Training and distillation on digits")
struct TrainingTests {
  static func digitsSplit() throws -> (train: Dataset, test: Dataset) {
    let parts = try Dataset.digits().split(fractions: [0.8, 0.2], stratified: true, seed: 42)
    return (parts[0], parts[1])
  }

  static func model(_ widths: [Int], seed: UInt64, dropout: Float = 0) throws -> Sequential {
    var generator = SeededGenerator(seed: seed)
    return try Sequential.mlp(widths: widths, dropout: dropout, generator: &generator)
  }

  @Test("the 64-512-512-10 teacher reaches 96% and a distilled 64-32-10 student learns from it")
  func teacherAndStudent() throws {
    let (train, test) = try Self.digitsSplit()
    let teacher = try Self.model([64, 512, 512, 10], seed: 1, dropout: 0.2)
    var options = TrainingOptions()
    options.epochs = 15
    options.seed = 7
    _ = try Trainer(student: teacher, options: options).run(
      on: train, history: History(), label: "train")
    let (_, teacherAccuracy) = try Trainer.score(teacher, on: test)
    #expect(teacherAccuracy >= 0.96)

    let student = try Self.model([64, 32, 10], seed: 2)
    let observer = RecordingObserver()
    let cache = TeacherCache()
    options.epochs = 30
    options.learningRate = 5e-3
    let trainer = Trainer(
      student: student, teachers: [teacher], loss: 0.3 * .ce() + 0.7 * .kd(temperature: 4),
      options: options, cache: cache, observer: observer)
    let result = try trainer.run(on: train, history: History(), label: "distill")
    let (_, studentAccuracy) = try Trainer.score(student, on: test)
    #expect(studentAccuracy >= 0.93)
    #expect(result.stopReason == .completed)
    // The frozen teacher ran once over the transfer set, then its outputs were reused.
    #expect(cache.builds == 1)
    #expect(result.epochs.first?.teacherCache == "teacher cache built")
    #expect(result.epochs.last?.teacherCache == "teacher cache reused")
    #expect(observer.plans.first?.formula == "0.3·ce + 0.7·kd(T=4)")
    #expect(observer.plans.first?.initialTerms.map(\.name) == ["ce", "kd(T=4)"])
    #expect(teacher.isTraining, "the teacher's own mode is restored after the run")
  }

  @Test("the same seed gives the same weights bit for bit")
  func determinism() throws {
    let (train, _) = try Self.digitsSplit()
    var runs: [[Float]] = []
    for _ in 0..<2 {
      let model = try Self.model([64, 16, 10], seed: 3, dropout: 0.1)
      var options = TrainingOptions()
      options.epochs = 2
      options.seed = 11
      _ = try Trainer(student: model, options: options).run(
        on: train, history: History(), label: "train")
      runs.append(model.parameters.flatMap(\.scalars))
    }
    #expect(runs[0] == runs[1])
  }

  @Test("a diverging loss stops training and names the step")
  func divergence() throws {
    let (train, _) = try Self.digitsSplit()
    let model = try Self.model([64, 16, 10], seed: 4)
    var options = TrainingOptions()
    options.optimizer = .sgd
    options.learningRate = 1e12
    options.epochs = 3
    #expect {
      try Trainer(student: model, options: options).run(
        on: train, history: History(), label: "train")
    } throws: { error in
      let text = String(describing: error)
      return text.contains("at epoch") && text.contains("step")
    }
  }

  @Test("an interrupted run stops at a step boundary and keeps a consistent history")
  func interruption() throws {
    let (train, _) = try Self.digitsSplit()
    let model = try Self.model([64, 16, 10], seed: 5)
    let observer = RecordingObserver()
    observer.stopAfterSteps = 3
    var options = TrainingOptions()
    options.epochs = 5
    let history = History()
    let result = try Trainer(student: model, options: options, observer: observer).run(
      on: train, history: history, label: "train")
    #expect(result.stopReason == .interrupted(epoch: 1, step: 3))
    #expect(history.epochs.count == 1)
    #expect(history.epochs.first?.steps == 3)
    #expect(try Trainer.score(model, on: train).1 > 0)
  }

  @Test("early stopping needs validation data and restores the best epoch")
  func earlyStopping() throws {
    let (train, _) = try Self.digitsSplit()
    let model = try Self.model([64, 16, 10], seed: 6)
    var options = TrainingOptions()
    options.patience = 2
    #expect(throws: TrainingError.self) {
      try Trainer(student: model, options: options).run(
        on: train, history: History(), label: "train")
    }
    options.validationFraction = 0.2
    options.epochs = 4
    let result = try Trainer(student: model, options: options).run(
      on: train, history: History(), label: "train")
    #expect(result.epochs.allSatisfy { $0.validationLoss != nil })
  }

  @Test("a loss that needs a teacher is refused without one")
  func missingTeacher() throws {
    let (train, _) = try Self.digitsSplit()
    let model = try Self.model([64, 16, 10], seed: 6)
    #expect(throws: TrainingError.self) {
      try Trainer(student: model, loss: .kd(temperature: 4)).run(
        on: train, history: History(), label: "distill")
    }
  }
}
