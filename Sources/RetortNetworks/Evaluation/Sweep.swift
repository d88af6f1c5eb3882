import Foundation
import RetortTensor

/// One trained point of an α/T sweep.
public struct SweepPoint: Sendable {
  public var alpha: Double
  public var temperature: Double
  /// Scores on the validation split (never the test split).
  public var validationAccuracy: Double
  public var validationLoss: Double
  public var seconds: Double
}

/// The outcome of a sweep: every finished point, and the best student.
public struct SweepResult {
  public var points: [SweepPoint]
  /// Index into `points` of the best validation accuracy (ties: lower validation loss).
  public var bestIndex: Int?
  /// The student trained at the best point.
  public var bestStudent: Sequential?
  /// True when Ctrl-C stopped the sweep; `points` holds those done before it.
  public var interrupted: Bool
  public var alphas: [Double]
  public var temperatures: [Double]
}

/// Distils one fresh copy of a student per (α, T) point with the loss
/// `α·ce + (1−α)·kd(T)`, and scores each on a held-out validation split.
public struct Sweep {
  public var student: Sequential
  public var teachers: [Sequential]
  public var alphas: [Double]
  public var temperatures: [Double]
  public var options: TrainingOptions
  /// The share of the data held out to score the points.
  public var validationFraction = 0.2
  public var cache: TeacherCache

  public init(
    student: Sequential, teachers: [Sequential], alphas: [Double], temperatures: [Double],
    options: TrainingOptions, cache: TeacherCache = TeacherCache()
  ) {
    self.student = student
    self.teachers = teachers
    self.alphas = alphas
    self.temperatures = temperatures
    self.options = options
    self.cache = cache
  }

  /// Runs every point in order (α outer, T inner); `pointDone` hears about each.
  public func run(
    on data: Dataset, observer: TrainingObserver? = nil,
    pointDone: (SweepPoint, Int, Int) -> Void = { _, _, _ in }
  ) throws -> SweepResult {
    guard !alphas.isEmpty, !temperatures.isEmpty else {
      throw TrainingError(
        "a sweep needs at least one alpha and one T", hint: "alpha=[0.1, 0.5] T=[2, 4]")
    }
    for alpha in alphas where !(0...1).contains(alpha) {
      throw TrainingError("alpha must lie in [0, 1], got \(alpha)")
    }
    for t in temperatures where !(t > 0) {
      throw TrainingError("T must be positive, got \(t)", hint: "T=1 is the plain softmax")
    }
    guard validationFraction > 0, validationFraction < 1 else {
      throw TrainingError("the validation share must lie in (0, 1), got \(validationFraction)")
    }
    let parts = try data.split(
      fractions: [1 - validationFraction, validationFraction], stratified: true,
      seed: options.seed, names: ["\(data.name)/train", "\(data.name)/val"])
    let (trainPart, validationPart) = (parts[0], parts[1])
    var points: [SweepPoint] = []
    var best: (index: Int, model: Sequential)?
    var interrupted = false
    let total = alphas.count * temperatures.count
    pointLoop: for alpha in alphas {
      for temperature in temperatures {
        if observer?.stopRequested == true {
          interrupted = true
          break pointLoop
        }
        let candidate = student.deepCopy()
        let loss =
          Float(alpha) * DistillationLoss.ce()
          + Float(1 - alpha) * DistillationLoss.kd(temperature: Float(temperature))
        var pointOptions = options
        pointOptions.validationFraction = 0
        pointOptions.patience = nil
        let started = Date()
        let result = try Trainer(
          student: candidate, teachers: teachers, loss: loss, options: pointOptions,
          cache: cache, observer: observer
        ).run(on: trainPart, history: History(), label: "sweep")
        if case .interrupted = result.stopReason {
          interrupted = true
          break pointLoop
        }
        let (validationLoss, validationAccuracy) = try Trainer.score(
          candidate, on: validationPart)
        let point = SweepPoint(
          alpha: alpha, temperature: temperature, validationAccuracy: validationAccuracy,
          validationLoss: validationLoss, seconds: Date().timeIntervalSince(started))
        points.append(point)
        if let current = best {
          let held = points[current.index]
          if validationAccuracy > held.validationAccuracy
            || (validationAccuracy == held.validationAccuracy
              && validationLoss < held.validationLoss)
          {
            best = (points.count - 1, candidate)
          }
        } else {
          best = (points.count - 1, candidate)
        }
        pointDone(point, points.count, total)
      }
    }
    return SweepResult(
      points: points, bestIndex: best?.index, bestStudent: best?.model,
      interrupted: interrupted, alphas: alphas, temperatures: temperatures)
  }
}
