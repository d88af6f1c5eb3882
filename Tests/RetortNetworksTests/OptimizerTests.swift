import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Optimizers, gradient clipping and schedules against torch.optim (optimizers.json,
/// schedules.json).
@Suite("Optimizers and schedules")
struct OptimizerTests {
  static let tolerance: Float = 1e-5

  static func fixture() throws -> [String: Any] { try LossFixtures.load("optimizers.json") }

  /// Fresh copies of the initial parameters.
  static func initialParameters(_ fixture: [String: Any]) throws -> [Tensor] {
    try (fixture["initial"] as? [Any] ?? []).map {
      try LossFixtures.tensor($0, requiresGrad: true)
    }
  }

  /// The fixed gradient of every parameter at every step.
  static func gradientSequence(_ fixture: [String: Any]) throws -> [[Tensor]] {
    try (fixture["grads"] as? [[Any]] ?? []).map { try $0.map { try LossFixtures.tensor($0) } }
  }

  static func makeOptimizer(
    _ name: String, options: [String: Any], parameters: [Tensor]
  ) throws -> any Optimizer {
    let lr = Float(options["lr"] as? Double ?? 0)
    let decay = Float(options["weight_decay"] as? Double ?? 0)
    let betas =
      (options["betas"] as? [Double]).map { (Float($0[0]), Float($0[1])) }
      ?? (0.9, 0.999)
    let eps = Float(options["eps"] as? Double ?? 1e-8)
    if name.hasPrefix("sgd") {
      return try SGD(
        parameters: parameters, learningRate: lr,
        momentum: Float(options["momentum"] as? Double ?? 0),
        nesterov: options["nesterov"] as? Bool ?? false, weightDecay: decay)
    }
    if name.hasPrefix("adamw") {
      return try AdamW(
        parameters: parameters, learningRate: lr, betas: betas, epsilon: eps,
        weightDecay: options["weight_decay"] == nil ? 0.01 : decay)
    }
    return try Adam(
      parameters: parameters, learningRate: lr, betas: betas, epsilon: eps, weightDecay: decay)
  }

  @Test(
    "five steps follow torch.optim exactly (within 1e-5)",
    arguments: ["sgd", "sgd_momentum", "sgd_nesterov_wd", "adam", "adam_wd", "adamw", "adamw_wd"])
  func trajectory(name: String) throws {
    let fixture = try Self.fixture()
    let run = try LossFixtures.object(LossFixtures.object(fixture, "runs"), name)
    let parameters = try Self.initialParameters(fixture)
    let optimizer = try Self.makeOptimizer(
      name, options: try LossFixtures.object(run, "options"), parameters: parameters)
    let expected = run["trajectory"] as? [[Any]] ?? []
    let grads = try Self.gradientSequence(fixture)
    #expect(expected.count == 5 && grads.count == 5)
    for (step, (stepGrads, stepExpected)) in zip(grads, expected).enumerated() {
      optimizer.zeroGrad()
      for (parameter, grad) in zip(parameters, stepGrads) { parameter.grad = grad.copy() }
      try optimizer.step()
      for (index, (parameter, target)) in zip(parameters, stepExpected).enumerated() {
        expectClose(
          parameter.scalars, try LossFixtures.tensor(target).scalars,
          tolerance: Self.tolerance, "\(name) step \(step + 1) parameter \(index)")
      }
    }
  }

  @Test(
    "clipGradNorm returns the total norm and rescales like clip_grad_norm_",
    arguments: ["1.0", "100.0"])
  func clipping(caseName: String) throws {
    let fixture = try Self.fixture()
    let expected = try LossFixtures.object(LossFixtures.object(fixture, "clip"), caseName)
    let parameters = try Self.initialParameters(fixture)
    let inputs = try (fixture["clipInput"] as? [Any] ?? []).map { try LossFixtures.tensor($0) }
    for (parameter, grad) in zip(parameters, inputs) { parameter.grad = grad }
    let norm = try clipGradNorm(
      parameters, maxNorm: try LossFixtures.number(expected, "maxNorm"))
    expectClose(norm, try LossFixtures.number(expected, "norm"), tolerance: 1e-6, "norm")
    let clipped = try (expected["grads"] as? [Any] ?? []).map { try LossFixtures.tensor($0) }
    for (parameter, target) in zip(parameters, clipped) {
      expectClose(parameter.grad?.scalars ?? [], target.scalars, tolerance: 1e-6, "grad")
    }
  }

  @Test("clipping one leaf's gradient never rescales another's (no shared grad objects)")
  func clippingDoesNotAlias() throws {
    let a = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    let b = try Tensor(shape: [2], scalars: [3, 4], requiresGrad: true)
    try (a + b).sum().backward()  // add hands the same gradient to both inputs
    try clipGradNorm([a], maxNorm: 0.5)
    #expect(b.grad?.scalars == [1, 1])
    #expect(try clipGradNorm([a, b], maxNorm: 10) > 0)
  }

  // MARK: Schedules

  static func rates(_ key: String) throws -> (fixture: [String: Any], rates: [Float]) {
    let fixture = try LossFixtures.object(LossFixtures.load("schedules.json"), key)
    return (fixture, (fixture["rates"] as? [Double] ?? []).map(Float.init))
  }

  @Test("schedules give the rates of StepLR, CosineAnnealingLR, LinearLR and SequentialLR")
  func schedules() throws {
    let cases: [(String, LearningRateSchedule)] = [
      ("step", .step(stepSize: 3, gamma: 0.5)),
      ("cosine", .cosine(tMax: 10, etaMin: 0.001)),
      ("linear_warmup", .warmup(steps: 4, startFactor: 0.1, then: .constant)),
      (
        "warmup_cosine",
        .warmup(steps: 4, startFactor: 0.1, then: .cosine(tMax: 6, etaMin: 0))
      ),
    ]
    for (key, schedule) in cases {
      try schedule.validate()
      let expected = try Self.rates(key).rates
      #expect(expected.count >= 8)
      let actual = expected.indices.map { schedule.rate(at: $0, base: 0.1) }
      expectClose(actual, expected, tolerance: 1e-6, key)
    }
    #expect(LearningRateSchedule.constant.rate(at: 100, base: 0.3) == 0.3)
    #expect(throws: TensorError.self) {
      try LearningRateSchedule.step(stepSize: 0, gamma: 0.1)
        .validate()
    }
    #expect(throws: TensorError.self) {
      try LearningRateSchedule.warmup(steps: 3, startFactor: 0, then: .constant).validate()
    }
    #expect(
      LearningRateSchedule.warmup(
        steps: 5, startFactor: 0.1,
        then: .cosine(
          tMax: 50, etaMin: 0)
      ).description == "warmup(5, from 0.1) then cosine(T=50, min=0)")
  }

  // MARK: State

  @Test("state is created lazily per parameter with a gradient, and counted")
  func stateCounts() throws {
    let used = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    let unused = try Tensor(shape: [3], scalars: [5, 6, 7], requiresGrad: true)
    let plain = try SGD(parameters: [used, unused], learningRate: 0.1)
    let momentum = try SGD(parameters: [used, unused], learningRate: 0.1, momentum: 0.9)
    let adam = try Adam(parameters: [used, unused])
    let adamW = try AdamW(parameters: [used, unused])
    for optimizer in [plain, momentum, adam, adamW] as [any Optimizer] {
      #expect(optimizer.stateTensorCount == 0)
    }
    used.grad = try Tensor(shape: [2], scalars: [0.5, -0.5])
    for optimizer in [plain, momentum, adam, adamW] as [any Optimizer] { try optimizer.step() }
    #expect(plain.stateTensorCount == 0)
    #expect(momentum.stateTensorCount == 1)
    #expect(adam.stateTensorCount == 2)
    #expect(adamW.stateTensorCount == 2)
    #expect(adam.stepCounts == [1, 0])
    #expect(unused.scalars == [5, 6, 7], "a parameter without a gradient is left alone")
    momentum.zeroGrad()
    #expect(used.grad == nil)
  }

  @Test("copies own their state: stepping one does not move the other")
  func deepCopy() throws {
    let fixture = try Self.fixture()
    let grads = try Self.gradientSequence(fixture)
    let parameters = try Self.initialParameters(fixture)
    let original = try Adam(parameters: parameters, learningRate: 0.01)
    for (parameter, grad) in zip(parameters, grads[0]) { parameter.grad = grad.copy() }
    try original.step()
    let twins = parameters.map { $0.copy() }
    let copy = try original.copy(parameters: twins)
    let snapshot = copy.stateTensors.map(\.scalars)
    // Step both with the same gradients: they must agree, and the copy's state must have
    // been untouched by the original's step.
    for (parameter, grad) in zip(parameters, grads[1]) { parameter.grad = grad.copy() }
    try original.step()
    #expect(copy.stateTensors.map(\.scalars) == snapshot)
    for (twin, grad) in zip(twins, grads[1]) { twin.grad = grad.copy() }
    try copy.step()
    for (parameter, twin) in zip(parameters, twins) {
      expectClose(twin.scalars, parameter.scalars, tolerance: 0, "copied trajectory")
    }
    #expect(original.copy().stateTensorCount == original.stateTensorCount)
    #expect(throws: TensorError.self) { _ = try original.copy(parameters: [twins[0]]) }
  }

  @Test("parameters added later (a hint regressor) are optimised too")
  func addParameters() throws {
    let first = try Tensor(shape: [1], scalars: [1], requiresGrad: true)
    let later = try Tensor(shape: [1], scalars: [2], requiresGrad: true)
    let optimizer = try SGD(parameters: [first], learningRate: 0.5, momentum: 0.9)
    try optimizer.addParameters([later])
    later.grad = try Tensor(shape: [1], scalars: [1])
    try optimizer.step()
    #expect(later.scalars == [1.5])
    #expect(optimizer.parameters.count == 2)
  }

  @Test("bad settings and mismatched gradients are errors")
  func errors() throws {
    let p = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    #expect(throws: TensorError.self) { _ = try SGD(parameters: [p], learningRate: -1) }
    #expect(throws: TensorError.self) {
      _ = try SGD(parameters: [p], learningRate: 0.1, nesterov: true)
    }
    #expect(throws: TensorError.self) { _ = try Adam(parameters: [p], betas: (1, 0.999)) }
    p.grad = try Tensor(shape: [3], scalars: [1, 1, 1])
    let optimizer = try AdamW(parameters: [p])
    #expect {
      try optimizer.step()
    } throws: { error in
      let message = (error as? TensorError)?.message ?? ""
      return message.contains("[2]") && message.contains("[3]")
    }
  }

  @Test(
    "Adam's vectorised update matches its scalar remainder bit for bit",
    arguments: ["adam", "adam_wd", "adamw_wd"])
  func lanesMatchScalarTail(name: String) throws {
    // 21 values: two full lanes of 8 and a tail of 5 in one tensor, against 21 one-element
    // tensors that only ever take the scalar path. Same arithmetic, so equal to the bit.
    var generator = SeededGenerator(seed: 5)
    let initial = (0..<21).map { _ in Float(generator.nextNormal()) }
    let whole = try Tensor(shape: [21], scalars: initial, requiresGrad: true)
    let singles = try initial.map { try Tensor(shape: [1], scalars: [$0], requiresGrad: true) }
    let options: [String: Any] =
      name == "adam" ? ["lr": 0.01] : ["lr": 0.01, "weight_decay": 0.1]
    let wholeOptimizer = try Self.makeOptimizer(name, options: options, parameters: [whole])
    let singleOptimizer = try Self.makeOptimizer(name, options: options, parameters: singles)
    for _ in 0..<3 {
      let grads = (0..<21).map { _ in Float(generator.nextNormal()) }
      whole.grad = try Tensor(shape: [21], scalars: grads)
      for (single, grad) in zip(singles, grads) {
        single.grad = try Tensor(shape: [1], scalars: [grad])
      }
      try wholeOptimizer.step()
      try singleOptimizer.step()
    }
    #expect(whole.scalars == singles.flatMap(\.scalars))
    #expect(whole.scalars != initial)
  }

  @Test("a moment that decays below the smallest normal float is stored as zero")
  func subnormalMomentsFlushToZero() throws {
    // One step with gradient 1, then zero gradients: m shrinks by β₁ = 0.9 a step and
    // passes Float.leastNormalMagnitude (1.2e-38) after about 820 steps.
    let p = try Tensor(shape: [2], scalars: [0.5, -0.5], requiresGrad: true)
    let optimizer = try Adam(parameters: [p], learningRate: 0.01)
    p.grad = try Tensor(shape: [2], scalars: [1, -1])
    try optimizer.step()
    var sawZero = false
    for _ in 0..<1000 {
      p.grad = try Tensor.zeros([2])
      try optimizer.step()
      let m = try #require(optimizer.stateTensors.first).scalars
      #expect(m.allSatisfy { $0 == 0 || $0.magnitude >= Float.leastNormalMagnitude })
      sawZero = sawZero || m.allSatisfy { $0 == 0 }
    }
    #expect(sawZero)
    #expect(p.scalars.allSatisfy { $0.isFinite })
  }

  @Test("a parameter large enough to be updated in parallel chunks matches serial halves")
  func parallelChunksMatchSerial() throws {
    // 2 × 40 000 values: the whole tensor is over the parallel threshold (65 536), each
    // half is under it. Element-wise updates, so the split must not change a single bit.
    let half = 40_000
    #expect(2 * half >= AdamCore.parallelThreshold && half < AdamCore.parallelThreshold)
    var generator = SeededGenerator(seed: 8)
    let initial = (0..<(2 * half)).map { _ in Float(generator.nextNormal()) }
    let whole = try Tensor(shape: [2 * half], scalars: initial, requiresGrad: true)
    let halves = try [initial[..<half], initial[half...]].map {
      try Tensor(shape: [half], scalars: Array($0), requiresGrad: true)
    }
    let wholeOptimizer = try AdamW(parameters: [whole], learningRate: 0.01)
    let halvesOptimizer = try AdamW(parameters: halves, learningRate: 0.01)
    for _ in 0..<2 {
      let grads = (0..<(2 * half)).map { _ in Float(generator.nextNormal()) }
      whole.grad = try Tensor(shape: [2 * half], scalars: grads)
      halves[0].grad = try Tensor(shape: [half], scalars: Array(grads[..<half]))
      halves[1].grad = try Tensor(shape: [half], scalars: Array(grads[half...]))
      try wholeOptimizer.step()
      try halvesOptimizer.step()
    }
    #expect(whole.scalars == halves[0].scalars + halves[1].scalars)
    #expect(whole.scalars != initial)
  }
}
