import Foundation
import RetortNetworks
import RetortTensor

// Training: train, distill and step. All three read the same training options, and report
// through one observer that prints the plan, a progress line and one line per epoch.

extension CommandRegistry {
  static func trainingCommands() -> [CommandSpec] { [train, distill, step] }

  static var lossType: ValueType {
    ValueType(name: "loss", expectation: "a loss such as 0.3*ce + 0.7*kd(T=4)") {
      if case .loss = $0 { return $0 }
      if case .command(let spec) = $0, spec.name == "ce" { return .loss(.ce()) }
      return nil
    }
  }

  /// The options every training command takes.
  static var trainingOptions: [ParameterSpec] {
    [
      .option("epochs", .positiveInteger, default: .number(10), "passes over the data"),
      .option("batch", .positiveInteger, default: .number(64), "examples per step"),
      .option("lr", .positiveNumber, default: .number(1e-3), "the learning rate"),
      .option("optimizer", .string, default: .string("adam"), "adam, adamw or sgd"),
      .option("momentum", .number, default: .number(0.9), "SGD momentum"),
      .option("nesterov", .bool, default: .bool(false), "Nesterov momentum for SGD"),
      .option("weight_decay", .number, default: .number(0), "L2 (decoupled for adamw)"),
      .option(
        "schedule", .string, default: .string("constant"),
        "learning rate per epoch: constant, step, cosine or warmup"),
      .option("step_size", .positiveInteger, default: .number(10), "epochs per step decay"),
      .option("gamma", .positiveNumber, default: .number(0.1), "factor of each step decay"),
      .option("warmup", .count, default: .number(0), "epochs of linear warm-up"),
      .option("clip", .positiveNumber, default: nil, "clip the gradient norm to this"),
      .option("val", .probability, default: .number(0), "share held out for validation"),
      .option("patience", .positiveInteger, default: nil, "early stopping on validation loss"),
      .option("seed", .integer, default: nil, "shuffling and dropout (default: from seed)"),
      .option("quiet", .bool, default: .bool(false), "print only the final line"),
      .option(
        "every", .positiveInteger, default: nil,
        "print every n-th epoch (default: each one up to 20 epochs, else about 10 lines)"),
    ]
  }

  /// Reads the training options of an invocation.
  static func trainingOptions(_ invocation: CommandInvocation) throws -> TrainingOptions {
    var options = TrainingOptions()
    options.epochs = try invocation.integer("epochs")
    options.batchSize = try invocation.integer("batch")
    options.learningRate = Float(try invocation.number("lr"))
    let optimizer = try invocation.string("optimizer").lowercased()
    guard let kind = OptimizerKind(rawValue: optimizer) else {
      throw invocation.error(
        "unknown optimizer '\(optimizer)'", at: "optimizer",
        hint: didYouMean(optimizer, in: OptimizerKind.allCases.map(\.rawValue))
          .map { "did you mean '\($0)'?" } ?? "use adam, adamw or sgd")
    }
    options.optimizer = kind
    options.momentum = Float(try invocation.number("momentum"))
    options.nesterov = try invocation.bool("nesterov")
    options.weightDecay = Float(try invocation.number("weight_decay"))
    let epochs = options.epochs
    var schedule: LearningRateSchedule
    switch try invocation.string("schedule").lowercased() {
    case "constant", "warmup": schedule = .constant
    case "step":
      schedule = .step(
        stepSize: try invocation.integer("step_size"),
        gamma: Float(try invocation.number("gamma")))
    case "cosine": schedule = .cosine(tMax: epochs, etaMin: 0)
    case let other:
      throw invocation.error(
        "unknown schedule '\(other)'", at: "schedule",
        hint: "use constant, step, cosine or warmup")
    }
    let warmup = try invocation.integer("warmup")
    if warmup > 0 { schedule = .warmup(steps: warmup, startFactor: 0.1, then: schedule) }
    options.schedule = schedule
    options.clipNorm = invocation.optionalNumber("clip").map(Float.init)
    options.validationFraction = try invocation.number("val")
    options.patience = invocation.optionalInteger("patience")
    if let seed = invocation.optionalInteger("seed") {
      options.seed = UInt64(bitPattern: Int64(seed))
    } else {
      options.seed = invocation.interpreter.generator.next()
    }
    return options
  }

  /// The dataset after `on`, or an error that says how to get one.
  static func dataset(_ invocation: CommandInvocation, _ name: String = "data") throws -> Dataset {
    guard case .dataset(let data) = invocation.value(name) else {
      throw invocation.error(
        "'\(invocation.spec.name)' expects a dataset after 'on', got "
          + Interpreter.describe(invocation.value(name)), at: name,
        hint: "load one with: digits = load \"digits\"")
    }
    return data
  }

  /// The teacher or teachers after `from`: one model or a list of models.
  static func teachers(_ invocation: CommandInvocation) throws -> [Sequential] {
    switch invocation.value("teacher") {
    case .model(let model): return [model]
    case .list(let items):
      let models = items.compactMap { item -> Sequential? in
        if case .model(let model) = item { return model }
        return nil
      }
      guard models.count == items.count, !models.isEmpty else {
        throw invocation.error(
          "'from' expects a teacher model or a list of models", at: "teacher",
          hint: "distill student from [teacher1, teacher2] on data")
      }
      return models
    default:
      throw invocation.error(
        "'from' expects a teacher model, got " + Interpreter.describe(invocation.value("teacher")),
        at: "teacher", hint: "train a teacher first: teacher = mlp [64, 512, 10]")
    }
  }

  /// The name an argument was written as (`teacher`), for tables and messages.
  static func writtenName(_ invocation: CommandInvocation, positional index: Int) -> String? {
    guard let syntax = invocation.syntax else { return nil }
    let expressions = syntax.positional.filter {
      if case .command = $0.kind { return false }
      return true
    }
    guard index < expressions.count, case .name(let name) = expressions[index].kind else {
      return nil
    }
    return name
  }

  // MARK: - train

  static var train: CommandSpec {
    CommandSpec(
      name: "train", summary: "Train a model on labelled data (cross-entropy)",
      category: .training,
      parameters: [
        .positional("model", modelType, "the model to train (updated in place)"),
        .role("on", "data", datasetType, "the training data"),
      ] + trainingOptions,
      examples: [
        "digits = load \"digits\"\nm = mlp [64, 32, 10]\ntrain m on digits epochs=3 lr=1e-3"
      ],
      longHelp: """
        Shuffles with the seed, takes Adam steps on the mean cross-entropy of each batch, and \
        prints one line per epoch (a progress bar on a terminal). The model's history \
        (m.history) records every epoch. Ctrl-C stops at the next step boundary and keeps \
        the weights of the last completed step.
        """,
      showsResult: false
    ) { invocation in
      guard case .model(let model) = invocation.value("model") else { return .none }
      let data = try dataset(invocation)
      let options = try trainingOptions(invocation)
      let name = writtenName(invocation, positional: 0) ?? "model"
      let observer = CommandTrainingObserver(
        invocation.interpreter, title: "train \(name) on \(data.name)",
        quiet: try invocation.bool("quiet"), showPlan: false,
        every: invocation.optionalInteger("every"))
      let trainer = Trainer(student: model, options: options, observer: observer)
      let result = try trainer.run(on: data, history: model.history, label: "train")
      observer.finish(result, model: name)
      try stopIfInterrupted(result, invocation)
      return .history(model.history)
    }
  }

  /// After Ctrl-C stopped a run (the model is consistent), stops the program too.
  static func stopIfInterrupted(_ result: TrainingResult, _ invocation: CommandInvocation) throws {
    if case .interrupted = result.stopReason { throw Interrupted(range: invocation.range) }
  }

  // MARK: - distill

  static var distillParameters: [ParameterSpec] {
    [
      .positional("student", modelType, "the student (updated in place)"),
      .role("from", "teacher", .any, "the teacher, or a list of teachers"),
      .role("on", "data", datasetType, "the transfer set"),
      .option(
        "loss", lossType, default: nil,
        "the loss; default alpha*ce + (1-alpha)*kd(T=T)"),
      .option("alpha", .probability, default: .number(0.5), "weight of ce in the default loss"),
      .option("T", .positiveNumber, default: .number(4), "temperature of the default loss"),
      .option("cache", .bool, default: .bool(true), "reuse the teacher's outputs across epochs"),
      .option(
        "teacher_bn", .bool, default: .bool(false),
        "keep the teacher's BatchNorm in training mode (turns the cache off)"),
    ] + trainingOptions
  }

  /// The loss of a distill invocation, adapted to several teachers.
  static func distillationLoss(
    _ invocation: CommandInvocation, teachers: Int, alpha: Double? = nil, temperature: Double? = nil
  ) throws -> DistillationLoss {
    var loss: DistillationLoss
    if case .loss(let given) = invocation.value("loss"), alpha == nil {
      loss = given
    } else {
      let a = try alpha ?? invocation.number("alpha")
      let t = try temperature ?? invocation.number("T")
      loss = Float(a) * DistillationLoss.ce() + Float(1 - a) * .kd(temperature: Float(t))
    }
    guard teachers > 1 else { return loss }
    // With several teachers, each kd term distils from their averaged soft targets.
    var terms: [DistillationLoss.WeightedTerm] = []
    for weighted in loss.terms {
      if case .kd(let t) = weighted.term {
        terms.append(
          .init(weight: weighted.weight, term: .multiTeacherKD(temperature: t, weights: nil)))
      } else {
        terms.append(weighted)
      }
    }
    return DistillationLoss(terms)
  }

  static var distill: CommandSpec {
    CommandSpec(
      name: "distill", summary: "Train a student from a teacher's soft targets",
      category: .training,
      parameters: distillParameters,
      examples: [
        """
        digits = load "digits"
        teacher = mlp [64, 128, 10]
        train teacher on digits epochs=3 quiet=true
        student = mlp [64, 16, 10]
        distill student from teacher on digits epochs=3 loss = 0.3*ce + 0.7*kd(T=4)
        """
      ],
      longHelp: """
        Before the first step it prints the loss as a formula and the size of each term at \
        step 0, so a badly scaled term shows at once. The teacher runs in eval mode without \
        gradients; with no augmentation its outputs are computed once over the transfer set \
        and reused by later epochs (the epoch lines say so). Hint and attention terms name \
        layers of both models: hint(teacher.block2, student.conv1). With several teachers \
        (from [t1, t2]) kd uses their averaged soft targets.
        """,
      showsResult: false
    ) { invocation in
      guard case .model(let student) = invocation.value("student") else { return .none }
      let teachers = try teachers(invocation)
      let data = try dataset(invocation)
      var options = try trainingOptions(invocation)
      options.cacheTeacher = try invocation.bool("cache")
      options.teacherBatchNormTraining = try invocation.bool("teacher_bn")
      let loss = try distillationLoss(invocation, teachers: teachers.count)
      let name = writtenName(invocation, positional: 0) ?? "student"
      let observer = CommandTrainingObserver(
        invocation.interpreter, title: "distill \(name) on \(data.name)",
        quiet: try invocation.bool("quiet"), showPlan: true,
        every: invocation.optionalInteger("every"))
      let trainer = Trainer(
        student: student, teachers: teachers, loss: loss, options: options,
        cache: invocation.interpreter.teacherCache, observer: observer)
      let result = try trainer.run(
        on: data, history: student.history, label: "distill \(loss.description)")
      observer.finish(result, model: name)
      try stopIfInterrupted(result, invocation)
      return .history(student.history)
    }
  }

  // MARK: - step

  static var step: CommandSpec {
    CommandSpec(
      name: "step", summary: "One distillation step on one batch, showing every term",
      category: .training,
      parameters: [
        .positional("student", modelType, "the student (updated in place)"),
        .role("from", "teacher", .any, required: false, "the teacher (leave out for ce)"),
        .role("on", "data", datasetType, "the data"),
        .option("loss", lossType, default: nil, "the loss; default alpha*ce + (1-alpha)*kd(T)"),
        .option("alpha", .probability, default: .number(0.5), "weight of ce in the default"),
        .option("T", .positiveNumber, default: .number(4), "temperature of the default loss"),
        .option("batch", .positiveInteger, default: .number(64), "examples in the batch"),
        .option("lr", .positiveNumber, default: .number(1e-3), "the learning rate"),
        .option("seed", .integer, default: nil, "which batch (default: from seed)"),
      ],
      examples: [
        """
        digits = load "digits"
        teacher = mlp [64, 64, 10]
        train teacher on digits epochs=2 quiet=true
        student = mlp [64, 16, 10]
        step student from teacher on digits loss = 0.5*ce + 0.5*kd(T=4)
        """
      ],
      longHelp: """
        The teaching view of a distillation step: each loss term, the total, the gradient \
        norm, and the first example's class probabilities under the student and the \
        teacher, plain and softened by T.
        """,
      showsResult: false
    ) { invocation in
      guard case .model(let student) = invocation.value("student") else { return .none }
      let data = try dataset(invocation)
      let teachers = invocation.value("teacher").isNone ? [] : try teachers(invocation)
      let loss =
        teachers.isEmpty && invocation.value("loss").isNone
        ? DistillationLoss.ce() : try distillationLoss(invocation, teachers: teachers.count)
      var options = TrainingOptions()
      options.batchSize = try invocation.integer("batch")
      options.learningRate = Float(try invocation.number("lr"))
      options.seed =
        invocation.optionalInteger("seed").map { UInt64(bitPattern: Int64($0)) }
        ?? invocation.interpreter.generator.next()
      let report = try Trainer(
        student: student, teachers: teachers, loss: loss, options: options
      ).step(on: data)
      showStep(report, loss: loss, classNames: data.classNames, in: invocation.interpreter)
      return .number(report.total)
    }
  }

  static func showStep(
    _ report: StepReport, loss: DistillationLoss, classNames: [String], in interpreter: Interpreter
  ) {
    var lines = ["one step on a batch of \(report.batchSize): loss = \(loss.description)"]
    for term in report.terms {
      lines.append(
        "  "
          + "\(formatWeight(term.weight))·\(term.name)"
          .padding(toLength: 24, withPad: " ", startingAt: 0)
          + String(format: "%9.4f   (raw %.4f)", term.weightedValue, term.rawValue))
    }
    lines.append(
      "  " + "total".padding(toLength: 24, withPad: " ", startingAt: 0)
        + String(format: "%9.4f", report.total))
    lines.append(String(format: "  gradient norm %.4f", report.gradientNorm))
    interpreter.write(lines.joined(separator: "\n"))
    let label = report.label < classNames.count ? classNames[report.label] : String(report.label)
    var headers = ["class"]
    var columns: [[Float]] = []
    headers.append("student")
    columns.append(report.studentProbabilities)
    if let teacher = report.teacherProbabilities {
      headers.append("teacher")
      columns.append(teacher)
    }
    if let t = report.temperature, let soft = report.softTeacherProbabilities,
      let softStudent = report.softStudentProbabilities
    {
      headers += ["student T=\(formatWeight(t))", "teacher T=\(formatWeight(t))"]
      columns += [softStudent, soft]
    }
    let rows = (0..<report.studentProbabilities.count).map { c in
      let name = c < classNames.count ? classNames[c] : String(c)
      return [c == report.label ? "\(name) ←" : name]
        + columns.map { String(format: "%.4f", $0[c]) }
    }
    interpreter.writeTable(
      headers: headers, rows: rows, title: "first example (label \(label)): probabilities")
  }
}

// MARK: - Observer

/// Prints a run as it goes: the plan (distill), a progress line per step on a terminal, one
/// line per epoch, and a closing line. Ctrl-C (the interpreter's interrupt flag) stops it.
final class CommandTrainingObserver: TrainingObserver {
  private let interpreter: Interpreter
  private let title: String
  private let quiet: Bool
  private let showPlan: Bool
  private let every: Int?
  private var started = Date()
  private var lastProgress = Date.distantPast
  private var epochStarted = Date()

  init(_ interpreter: Interpreter, title: String, quiet: Bool, showPlan: Bool, every: Int? = nil) {
    self.interpreter = interpreter
    self.title = title
    self.quiet = quiet
    self.showPlan = showPlan
    self.every = every
  }

  var stopRequested: Bool { interpreter.interruptRequested }

  func runWillStart(_ plan: RunPlan) {
    started = Date()
    epochStarted = started
    guard !quiet else { return }
    var lines: [String] = []
    for note in plan.notes { lines.append("note: \(note)") }
    if showPlan {
      lines.append("\(title): loss = \(plan.formula)")
      let total = plan.initialTerms.reduce(0) { $0 + Double($1.weightedValue) }
      let terms = plan.initialTerms.map {
        "\(formatWeight($0.weight))·\($0.name) = "
          + String(format: "%.4f", $0.weightedValue)
      }
      lines.append(
        "  at step 0: " + terms.joined(separator: "   ")
          + String(format: "   total = %.4f", total))
      let sizes = plan.initialTerms.map { Swift.abs(Double($0.weightedValue)) }
      if let largest = sizes.max(), let smallest = sizes.filter({ $0 > 0 }).min(),
        sizes.count > 1, largest > 20 * smallest
      {
        lines.append(
          String(
            format: "  note: the largest term is %.0fx the smallest; check the weights",
            largest / smallest))
      }
    }
    lines.append(
      "  \(plan.trainingExamples) examples, \(plan.stepsPerEpoch) steps per epoch"
        + (plan.validationExamples > 0 ? ", \(plan.validationExamples) held out" : ""))
    interpreter.write(lines.joined(separator: "\n"))
  }

  func stepDidEnd(epoch: Int, step: Int, of steps: Int, loss: Double) {
    let now = Date()
    guard now.timeIntervalSince(lastProgress) > 0.1 || step == steps else { return }
    lastProgress = now
    let width = 20
    let filled = min(width, step * width / max(steps, 1))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    let elapsed = now.timeIntervalSince(epochStarted)
    let remaining = elapsed / Double(max(step, 1)) * Double(steps - step)
    interpreter.writeProgress(
      String(
        format: "epoch %d %@ %d/%d loss %.4f eta %.1fs", epoch, bar, step, steps, loss,
        remaining))
  }

  func epochDidEnd(_ record: EpochRecord, of epochs: Int) {
    epochStarted = Date()
    interpreter.writeProgress("")
    guard !quiet else { return }
    // Up to 20 epochs every one is shown; longer runs show about ten lines and the last.
    let stride = every ?? (epochs <= 20 ? 1 : (epochs + 9) / 10)
    guard record.epoch % stride == 0 || record.epoch == epochs || record.epoch == 1 else {
      return
    }
    let digits = String(epochs).count
    var line = "epoch " + String(record.epoch).leftPadded(to: digits) + "/\(epochs)"
    line += String(format: "  loss %.4f", record.loss)
    if record.terms.count > 1 {
      line +=
        "  ("
        + record.terms.map { String(format: "%@ %.4f", $0.name, $0.value) }
        .joined(separator: ", ") + ")"
    }
    line += String(format: "  acc %5.1f%%", record.accuracy * 100)
    if let loss = record.validationLoss, let accuracy = record.validationAccuracy {
      line += String(format: "  val_loss %.4f  val_acc %5.1f%%", loss, accuracy * 100)
    }
    line +=
      record.seconds < 1
      ? String(format: "  %.0fms", record.seconds * 1000)
      : String(format: "  %.2fs", record.seconds)
    if let note = record.teacherCache { line += "  (\(note))" }
    interpreter.write(line)
  }

  func finish(_ result: TrainingResult, model: String) {
    interpreter.writeProgress("")
    let seconds = Date().timeIntervalSince(started)
    let last = result.epochs.last
    var line = "\(title): \(result.epochs.count) epochs in " + String(format: "%.2f s", seconds)
    if let last {
      line += String(
        format: ", final loss %.4f, train accuracy %.1f%%", last.loss,
        last.accuracy * 100)
    }
    switch result.stopReason {
    case .completed: break
    case .earlyStopping, .interrupted: line += "\n  \(result.stopReason)"
    }
    for note in result.notes where note.hasPrefix("restored") { line += "\n  \(note)" }
    interpreter.write(line)
  }
}

/// A loss weight as written (0.3, not 0.30000001192092896): Float's shortest form.
func formatWeight(_ weight: Float) -> String {
  weight == weight.rounded() && abs(weight) < 1e6 ? String(Int(weight)) : "\(weight)"
}

extension String {
  /// The string right-aligned in `width` characters.
  func leftPadded(to width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}
