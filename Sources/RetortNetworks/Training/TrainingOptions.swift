import RetortTensor

/// Which update rule a training run uses.
public enum OptimizerKind: String, Sendable, CaseIterable {
  case adam, adamw, sgd
}

/// Everything that shapes a training or distillation run besides the models and the data.
///
/// The defaults are those of the quick start: Adam at 1e-3, batches of 64, ten epochs.
public struct TrainingOptions: Sendable {
  /// Passes over the training data.
  public var epochs = 10
  /// Examples per optimisation step.
  public var batchSize = 64
  /// The update rule.
  public var optimizer = OptimizerKind.adam
  /// The base learning rate; `schedule` scales it per epoch.
  public var learningRate: Float = 1e-3
  /// Momentum for SGD (ignored by Adam).
  public var momentum: Float = 0.9
  /// Nesterov momentum for SGD.
  public var nesterov = false
  /// L2 (Adam, SGD) or decoupled (AdamW) weight decay.
  public var weightDecay: Float = 0
  /// The learning rate per epoch.
  public var schedule = LearningRateSchedule.constant
  /// Clip the global gradient norm to this value before each step.
  public var clipNorm: Float?
  /// The share of the training data held out for validation (0: none).
  public var validationFraction: Double = 0
  /// Stop after this many epochs without a better validation loss (needs validation data).
  public var patience: Int?
  /// Seeds shuffling, dropout and the validation split: same seed, same numbers.
  public var seed: UInt64 = 0
  /// Keep the teacher's BatchNorm layers in training mode (they then use batch statistics
  /// and the teacher cache is off); some feature-distillation recipes want this.
  public var teacherBatchNormTraining = false
  /// Reuse the teacher's outputs across epochs (frozen teacher, no augmentation).
  public var cacheTeacher = true

  public init() {}
}

/// Why training stopped before its last epoch, if it did.
public enum StopReason: Equatable, Sendable, CustomStringConvertible {
  case completed
  case earlyStopping(bestEpoch: Int)
  case interrupted(epoch: Int, step: Int)

  public var description: String {
    switch self {
    case .completed: return "completed"
    case .earlyStopping(let best):
      return "stopped early: no better validation loss since epoch \(best)"
    case .interrupted(let epoch, let step):
      return "interrupted at epoch \(epoch), step \(step); the model keeps the weights of "
        + "the last completed step"
    }
  }
}

/// A training failure a user can cause or meet, such as a diverging loss.
public struct TrainingError: Error, CustomStringConvertible, Sendable {
  public var message: String
  public var hint: String?

  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }

  public var description: String {
    hint.map { "\(message) (hint: \($0))" } ?? message
  }
}
