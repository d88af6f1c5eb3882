import Foundation
import RetortTensor

/// Hears about a run as it goes (progress bars, epoch lines) and can ask it to stop.
public protocol TrainingObserver: AnyObject {
  /// Called once before the first step, with the loss and its terms measured at step 0.
  func runWillStart(_ plan: RunPlan)
  /// Called after every optimisation step.
  func stepDidEnd(epoch: Int, step: Int, of steps: Int, loss: Double)
  /// Called after every epoch.
  func epochDidEnd(_ record: EpochRecord, of epochs: Int)
  /// Polled at every step boundary; true stops the run there (Ctrl-C).
  var stopRequested: Bool { get }
}

/// What a run is about to do: shown before the first step so a badly scaled term shows.
public struct RunPlan {
  /// The loss as a formula with its weights and temperatures.
  public var formula: String
  /// Each term's weighted value on the first batch, before any update.
  public var initialTerms: [LossEvaluation.Term]
  public var epochs: Int
  public var stepsPerEpoch: Int
  public var trainingExamples: Int
  public var validationExamples: Int
  /// Remarks such as an automatic reshape of the data.
  public var notes: [String]
}

/// The outcome of a run.
public struct TrainingResult {
  public var epochs: [EpochRecord]
  public var stopReason: StopReason
  public var notes: [String]
}

/// Trains a student, from labels alone or from one or more teachers.
///
/// `train` is `distill` with the loss `ce` and no teacher. Each step: teacher outputs (from
/// the cache when the teacher is frozen), the student's forward pass with any tapped
/// layers, the loss and its terms, backward, optional clipping, the optimizer's update.
public struct Trainer {
  public var student: Sequential
  public var teachers: [Sequential]
  public var loss: DistillationLoss
  public var options: TrainingOptions
  public var cache: TeacherCache
  public weak var observer: TrainingObserver?
  /// Hint regressors created by the loss; they train with the student.
  public let regressors: HintRegressors

  public init(
    student: Sequential, teachers: [Sequential] = [], loss: DistillationLoss = .ce(),
    options: TrainingOptions = TrainingOptions(), cache: TeacherCache = TeacherCache(),
    regressors: HintRegressors? = nil, observer: TrainingObserver? = nil
  ) {
    self.student = student
    self.teachers = teachers
    self.loss = loss
    self.options = options
    self.cache = cache
    self.observer = observer
    self.regressors = regressors ?? HintRegressors(seed: options.seed &+ 0x5EED)
  }

  // MARK: - Checks

  /// Fits the data to the student's input: same shape, or the same number of values per
  /// example (flat 64-vectors into a `[1, 8, 8]` CNN), which is reshaped with a note.
  static func conform(
    _ data: Dataset, to model: Sequential, role: String, notes: inout [String]
  ) throws -> Dataset {
    if data.exampleShape == model.inputShape { return data }
    guard model.acceptsByReshape(exampleShape: data.exampleShape) else {
      throw TrainingError(
        "\(role) expects examples of shape \(formatShape(model.inputShape)) but "
          + "\(data.name) has \(formatShape(data.exampleShape))",
        hint: "build the model with the data's shape, or reshape the data")
    }
    notes.append(
      "examples reshaped from \(formatShape(data.exampleShape)) to "
        + "\(formatShape(model.inputShape)) for the \(role)")
    return try data.reshaped(exampleShape: model.inputShape)
  }

  func validate(_ data: Dataset) throws {
    try loss.validate()
    let needs = loss.requirements
    if needs.needsTeacherLogits || !needs.teacherLayers.isEmpty, teachers.isEmpty {
      throw TrainingError(
        "the loss \(loss.asciiDescription) needs a teacher",
        hint: "use `distill student from teacher on data`, or the loss ce alone")
    }
    if needs.needsSeveralTeachers == false, teachers.count > 1, needs.needsTeacherLogits,
      !loss.terms.contains(where: {
        if case .multiTeacherKD = $0.term { return true }
        return false
      })
    {
      // Several teachers with a single-teacher KD term: their soft targets are averaged.
    }
    for name in needs.studentLayers where !student.tapNames.contains(name) {
      throw TrainingError(
        "the student has no layer named \(name)",
        hint: didYouMeanLayer(name, student.tapNames))
    }
    for teacher in teachers {
      for name in needs.teacherLayers where !teacher.tapNames.contains(name) {
        throw TrainingError(
          "the teacher has no layer named \(name)",
          hint: didYouMeanLayer(name, teacher.tapNames))
      }
    }
    let classes = student.outputShape.last ?? 0
    guard student.outputShape.count == 1, classes >= data.classCount else {
      throw TrainingError(
        "the student's output \(formatShape(student.outputShape)) cannot score the "
          + "\(data.classCount) classes of \(data.name)",
        hint: "end the model with a linear layer of \(data.classCount) outputs")
    }
    for teacher in teachers where teacher.outputShape != student.outputShape {
      throw TrainingError(
        "the teacher's output \(formatShape(teacher.outputShape)) differs from the "
          + "student's \(formatShape(student.outputShape))",
        hint: "teacher and student must score the same classes")
    }
  }

  private func didYouMeanLayer(_ name: String, _ names: [String]) -> String {
    let close = names.filter { $0.lowercased().hasPrefix(String(name.lowercased().prefix(2))) }
    let list = (close.isEmpty ? names : close).prefix(8).joined(separator: ", ")
    return "its layers are: \(list)"
  }

  // MARK: - The run

  /// Trains for `options.epochs` on `data`, appending to `history`.
  public func run(on data: Dataset, history: History, label: String) throws -> TrainingResult {
    var notes: [String] = []
    let studentData = try Trainer.conform(data, to: student, role: "student", notes: &notes)
    try validate(studentData)
    var generator = SeededGenerator(seed: options.seed)
    var trainSet = studentData
    var validationSet: Dataset?
    if options.validationFraction > 0 {
      let parts = try studentData.split(
        fractions: [1 - options.validationFraction, options.validationFraction],
        stratified: true, seed: options.seed, names: ["\(data.name)/train", "\(data.name)/val"])
      trainSet = parts[0]
      validationSet = parts[1]
    }
    if options.patience != nil, validationSet == nil {
      throw TrainingError(
        "early stopping needs a validation split",
        hint: "add val=0.1 to hold out a tenth of the data")
    }
    let teacherSets = try teachers.map {
      try Trainer.conform(trainSet, to: $0, role: "teacher", notes: &notes)
    }
    let needs = loss.requirements
    let teacherTaps = needs.teacherLayers
    let studentTaps = needs.studentLayers
    let useTeachers = !teachers.isEmpty && (needs.needsTeacherLogits || !teacherTaps.isEmpty)

    let previousModes = teachers.map(\.isTraining)
    defer { for (teacher, mode) in zip(teachers, previousModes) { teacher.isTraining = mode } }
    for teacher in teachers {
      if options.teacherBatchNormTraining { teacher.train() } else { teacher.eval() }
    }
    let caching = options.cacheTeacher && !options.teacherBatchNormTraining
    let studentWasTraining = student.isTraining
    defer { student.isTraining = studentWasTraining }

    let optimizer = try makeOptimizer(student.parameters + regressors.parameters)
    DebugLog.write(
      "train",
      "\(label): \(trainSet.count) examples, batch \(options.batchSize), seed \(options.seed), "
        + "\(options.optimizer.rawValue) lr \(options.learningRate), teachers \(teachers.count), "
        + "cache \(caching && useTeachers)")
    let stepsPerEpoch = (trainSet.count + options.batchSize - 1) / max(options.batchSize, 1)
    history.beginRun(label)

    var records: [EpochRecord] = []
    var bestLoss = Double.infinity
    var bestEpoch = 0
    var bestWeights: [[Float]]?
    var stopReason = StopReason.completed

    epochLoop: for epoch in 1...max(options.epochs, 1) {
      let started = Date()
      let rate = options.schedule.rate(at: epoch - 1, base: options.learningRate)
      optimizer.learningRate = rate
      student.train()
      let batches = try trainSet.batches(
        size: options.batchSize, shuffle: true, generator: &generator)
      var cacheNote: String?
      var cached: [TeacherCache.Entry] = []
      if useTeachers && caching {
        var anyBuilt = false
        for (teacher, set) in zip(teachers, teacherSets) {
          var built = false
          cached.append(
            try cache.outputs(
              of: teacher, over: set, tapping: teacherTaps, batchSize: options.batchSize,
              built: &built))
          anyBuilt = anyBuilt || built
        }
        cacheNote = anyBuilt ? "teacher cache built" : "teacher cache reused"
      }
      var lossSum = 0.0
      var termSums: [Double] = []
      var termNames: [String] = []
      var correct = 0
      var seen = 0
      var steps = 0
      for (position, indices) in batches.indexBatches.enumerated() {
        if observer?.stopRequested == true {
          stopReason = .interrupted(epoch: epoch, step: position)
          if steps > 0 {
            records.append(
              record(
                epoch, lossSum, termSums, termNames, correct, seen, nil, nil, rate, started,
                steps, cacheNote))
            history.append(records[records.count - 1])
          }
          break epochLoop
        }
        let (features, labels) = batches[position]
        let inputs = try lossInputs(
          features: features, labels: labels, indices: indices, cached: cached,
          teacherSets: teacherSets, useTeachers: useTeachers, teacherTaps: teacherTaps,
          studentTaps: studentTaps)
        if epoch == 1 && position == 0 {
          try announce(inputs, features: features, trainSet, validationSet, stepsPerEpoch, notes)
        }
        let evaluation = try loss.evaluate(inputs)
        if !evaluation.newParameters.isEmpty {
          try optimizer.addParameters(evaluation.newParameters)
        }
        let value = Double(try evaluation.total.item())
        guard value.isFinite else {
          throw TrainingError(
            "the loss became \(value.isNaN ? "NaN" : "infinite") at epoch \(epoch), "
              + "step \(position + 1); training stopped",
            hint: "lower the learning rate (lr=) or clip gradients (clip=1.0)")
        }
        optimizer.zeroGrad()
        try evaluation.total.backward()
        if let clip = options.clipNorm { _ = try clipGradNorm(optimizer.parameters, maxNorm: clip) }
        try optimizer.step()
        steps += 1
        lossSum += value * Double(labels.count)
        if termSums.isEmpty {
          termSums = Array(repeating: 0, count: evaluation.terms.count)
          termNames = evaluation.terms.map(\.name)
        }
        for (i, term) in evaluation.terms.enumerated() where i < termSums.count {
          termSums[i] += Double(term.weightedValue) * Double(labels.count)
        }
        let predictions = try Metrics.predictions(inputs.studentLogits.detached())
        correct += zip(predictions, labels).filter { $0 == $1 }.count
        seen += labels.count
        observer?.stepDidEnd(epoch: epoch, step: position + 1, of: stepsPerEpoch, loss: value)
      }
      var validationLoss: Double?
      var validationAccuracy: Double?
      if let validationSet {
        (validationLoss, validationAccuracy) = try Trainer.score(student, on: validationSet)
      }
      let finished = record(
        epoch, lossSum, termSums, termNames, correct, seen, validationLoss, validationAccuracy,
        rate, started, steps, cacheNote)
      records.append(finished)
      history.append(finished)
      observer?.epochDidEnd(finished, of: options.epochs)
      if let validationLoss, let patience = options.patience {
        if validationLoss < bestLoss {
          bestLoss = validationLoss
          bestEpoch = epoch
          bestWeights = student.stateDict().map(\.tensor.scalars)
        } else if epoch - bestEpoch >= patience {
          stopReason = .earlyStopping(bestEpoch: bestEpoch)
          break
        }
      }
    }
    if case .earlyStopping = stopReason, let bestWeights {
      // Keep the weights of the best validation epoch, as the early-stopping check chose.
      for (entry, values) in zip(student.stateDict(), bestWeights) {
        try entry.tensor.assign(values)
      }
      notes.append("restored the weights of epoch \(bestEpoch), the best on validation")
    }
    return TrainingResult(epochs: records, stopReason: stopReason, notes: notes)
  }

  private func record(
    _ epoch: Int, _ lossSum: Double, _ termSums: [Double], _ termNames: [String],
    _ correct: Int, _ seen: Int, _ validationLoss: Double?, _ validationAccuracy: Double?,
    _ rate: Float, _ started: Date, _ steps: Int, _ cacheNote: String?
  ) -> EpochRecord {
    let n = Double(max(seen, 1))
    return EpochRecord(
      epoch: epoch, loss: lossSum / n,
      terms: zip(termNames, termSums).map { ($0, $1 / n) },
      accuracy: Double(correct) / n, validationLoss: validationLoss,
      validationAccuracy: validationAccuracy, learningRate: rate,
      seconds: Date().timeIntervalSince(started), steps: steps, teacherCache: cacheNote)
  }

  private func announce(
    _ inputs: LossInputs, features: Tensor, _ trainSet: Dataset, _ validationSet: Dataset?,
    _ stepsPerEpoch: Int, _ notes: [String]
  ) throws {
    guard let observer else { return }
    // Measured without recording so that step 0 changes nothing (dropout draws included:
    // the report reuses the training forward pass's logits).
    let terms = try Tensor.withoutGradients { try loss.evaluate(inputs).terms }
    observer.runWillStart(
      RunPlan(
        formula: loss.description, initialTerms: terms, epochs: options.epochs,
        stepsPerEpoch: stepsPerEpoch, trainingExamples: trainSet.count,
        validationExamples: validationSet?.count ?? 0, notes: notes))
  }

  func lossInputs(
    features: Tensor, labels: [Int], indices: [Int], cached: [TeacherCache.Entry],
    teacherSets: [Dataset], useTeachers: Bool, teacherTaps: [String], studentTaps: [String]
  ) throws -> LossInputs {
    var teacherLogits: [Tensor] = []
    var teacherFeatures: [String: Tensor] = [:]
    if useTeachers {
      if !cached.isEmpty {
        for entry in cached {
          teacherLogits.append(try entry.logits.indexSelect(alongAxis: 0, indices: indices))
        }
        for (name, all) in cached[0].features {
          teacherFeatures[name] = try all.indexSelect(alongAxis: 0, indices: indices)
        }
      } else {
        try Tensor.withoutGradients {
          for (i, (teacher, set)) in zip(teachers, teacherSets).enumerated() {
            let batch = try set.gatherExamples(indices)
            let (output, taps) = try teacher.forward(batch, tapping: teacherTaps)
            teacherLogits.append(output)
            if i == 0 { teacherFeatures = taps }
          }
        }
      }
    }
    let (studentLogits, studentFeatures) = try student.forward(features, tapping: studentTaps)
    return LossInputs(
      studentLogits: studentLogits, teacherLogits: teacherLogits, labels: labels,
      teacherFeatures: teacherFeatures, studentFeatures: studentFeatures,
      regressors: regressors)
  }

  func makeOptimizer(_ parameters: [Tensor]) throws -> Optimizer {
    switch options.optimizer {
    case .adam:
      return try Adam(
        parameters: parameters, learningRate: options.learningRate,
        weightDecay: options.weightDecay)
    case .adamw:
      return try AdamW(
        parameters: parameters, learningRate: options.learningRate,
        weightDecay: options.weightDecay)
    case .sgd:
      return try SGD(
        parameters: parameters, learningRate: options.learningRate,
        momentum: options.momentum, nesterov: options.nesterov,
        weightDecay: options.weightDecay)
    }
  }

  // MARK: - Scoring

  /// Cross-entropy and accuracy of `model` on `data`, in eval mode and without gradients.
  public static func score(_ model: Sequential, on data: Dataset) throws -> (Double, Double) {
    let logits = try predict(model, on: data)
    let loss = try Losses.crossEntropy(logits: logits, labels: data.labels)
    return (Double(try loss.item()), try Metrics.accuracy(logits, labels: data.labels))
  }

  /// The model's logits for every example of `data`, in eval mode and batches of 256.
  public static func predict(_ model: Sequential, on data: Dataset) throws -> Tensor {
    var notes: [String] = []
    let conformed = try conform(data, to: model, role: "model", notes: &notes)
    let wasTraining = model.isTraining
    model.eval()
    defer { model.isTraining = wasTraining }
    return try Tensor.withoutGradients {
      var parts: [Tensor] = []
      var start = 0
      while start < conformed.count {
        let end = min(start + 256, conformed.count)
        parts.append(
          try model.forward(
            try conformed.features.sliced([SliceRange(start: start, end: end)])))
        start = end
      }
      return parts.isEmpty
        ? try Tensor.zeros([0] + model.outputShape) : try Tensor.concatenate(parts)
    }
  }
}
