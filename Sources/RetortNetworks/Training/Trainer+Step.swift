import RetortTensor

/// What one optimisation step did: the teaching view of distillation.
public struct StepReport {
  /// Each term's weighted value on the batch, before the update.
  public var terms: [LossEvaluation.Term]
  public var total: Double
  /// The global L2 norm of the student's gradient (regressors included).
  public var gradientNorm: Double
  /// The first example's label, and its class probabilities under the student and (at T=1
  /// and at the loss's temperature, when there is one) the first teacher.
  public var label: Int
  public var studentProbabilities: [Float]
  public var teacherProbabilities: [Float]?
  public var softTeacherProbabilities: [Float]?
  public var softStudentProbabilities: [Float]?
  public var temperature: Float?
  public var batchSize: Int
}

extension Trainer {
  /// Runs one optimisation step on one shuffled batch of `data` and reports every term.
  public func step(on data: Dataset) throws -> StepReport {
    var notes: [String] = []
    let studentData = try Trainer.conform(data, to: student, role: "student", notes: &notes)
    try validate(studentData)
    let teacherSets = try teachers.map {
      try Trainer.conform(studentData, to: $0, role: "teacher", notes: &notes)
    }
    var generator = SeededGenerator(seed: options.seed)
    let batches = try studentData.batches(
      size: options.batchSize, shuffle: true, generator: &generator)
    guard let indices = batches.indexBatches.first else {
      throw TrainingError("\(data.name) has no examples to take a step on")
    }
    let (features, labels) = batches[0]
    let needs = loss.requirements
    let useTeachers = !teachers.isEmpty
    let previousModes = teachers.map(\.isTraining)
    defer { for (teacher, mode) in zip(teachers, previousModes) { teacher.isTraining = mode } }
    for teacher in teachers { teacher.eval() }
    let studentWasTraining = student.isTraining
    defer { student.isTraining = studentWasTraining }
    student.train()
    let inputs = try lossInputs(
      features: features, labels: labels, indices: indices, cached: [],
      teacherSets: teacherSets, useTeachers: useTeachers, teacherTaps: needs.teacherLayers,
      studentTaps: needs.studentLayers)
    let evaluation = try loss.evaluate(inputs)
    let optimizer = try makeOptimizer(student.parameters + regressors.parameters)
    if !evaluation.newParameters.isEmpty { try optimizer.addParameters(evaluation.newParameters) }
    optimizer.zeroGrad()
    try evaluation.total.backward()
    // An infinite limit leaves the gradients as they are and only measures their norm.
    let norm = try clipGradNorm(optimizer.parameters, maxNorm: options.clipNorm ?? .infinity)
    try optimizer.step()

    func firstRow(_ logits: Tensor, temperature: Float = 1) throws -> [Float] {
      let row = try logits.detached().sliced([SliceRange(start: 0, end: 1)])
      return try row.softmax(alongAxis: -1, temperature: temperature).scalars
    }
    let temperature = loss.terms.compactMap(\.term.temperature).first
    let teacherLogits = inputs.teacherLogits.first
    return StepReport(
      terms: evaluation.terms, total: Double(try evaluation.total.item()),
      gradientNorm: Double(norm), label: labels[0],
      studentProbabilities: try firstRow(inputs.studentLogits),
      teacherProbabilities: try teacherLogits.map { try firstRow($0) },
      softTeacherProbabilities: try teacherLogits.flatMap { logits in
        try temperature.map { try firstRow(logits, temperature: $0) }
      },
      softStudentProbabilities: try temperature.map {
        try firstRow(inputs.studentLogits, temperature: $0)
      },
      temperature: temperature, batchSize: labels.count)
  }
}
