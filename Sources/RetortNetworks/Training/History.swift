/// What one epoch of training measured.
public struct EpochRecord: Sendable, Equatable {
  /// 1-based epoch number.
  public var epoch: Int
  /// The mean training loss over the epoch's batches.
  public var loss: Double
  /// The mean weighted value of each loss term, in the loss's order.
  public var terms: [(name: String, value: Double)]
  /// Training accuracy over the epoch (on the batches as they were trained).
  public var accuracy: Double
  /// Validation loss and accuracy, when a validation split is used.
  public var validationLoss: Double?
  public var validationAccuracy: Double?
  /// The learning rate used in this epoch.
  public var learningRate: Float
  /// Wall-clock seconds the epoch took.
  public var seconds: Double
  /// The number of optimisation steps taken.
  public var steps: Int
  /// A note on the teacher cache (`built`, `reused`), for distillation.
  public var teacherCache: String?

  public static func == (lhs: EpochRecord, rhs: EpochRecord) -> Bool {
    lhs.epoch == rhs.epoch && lhs.loss == rhs.loss && lhs.accuracy == rhs.accuracy
      && lhs.validationLoss == rhs.validationLoss
      && lhs.validationAccuracy == rhs.validationAccuracy
      && lhs.terms.map(\.name) == rhs.terms.map(\.name)
      && lhs.terms.map(\.value) == rhs.terms.map(\.value)
  }
}

/// The record of every epoch a model was trained for, across runs.
public final class History {
  /// The epochs in order (numbered across successive runs).
  public private(set) var epochs: [EpochRecord] = []
  /// A short label per run (`train`, `distill 0.3·ce + 0.7·kd(T=4)`), by first epoch.
  public private(set) var runs: [(firstEpoch: Int, label: String)] = []

  public init() {}

  /// Appends one epoch.
  public func append(_ record: EpochRecord) { epochs.append(record) }

  /// Marks the start of a run.
  public func beginRun(_ label: String) { runs.append((epochs.count + 1, label)) }

  /// The names of the series `series(named:)` knows.
  public var seriesNames: [String] {
    var names = ["loss", "accuracy", "lr"]
    if epochs.contains(where: { $0.validationLoss != nil }) {
      names += ["val_loss", "val_accuracy"]
    }
    for term in epochs.last?.terms ?? [] where !names.contains(term.name) {
      names.append(term.name)
    }
    return names
  }

  /// One value per epoch for a series (`loss`, `accuracy`, `val_loss`, a term's name).
  public func series(named name: String) -> [Double]? {
    switch name {
    case "loss": return epochs.map(\.loss)
    case "accuracy": return epochs.map(\.accuracy)
    case "lr": return epochs.map { Double($0.learningRate) }
    case "val_loss": return epochs.compactMap(\.validationLoss)
    case "val_accuracy": return epochs.compactMap(\.validationAccuracy)
    default:
      let values = epochs.compactMap { record in
        record.terms.first(where: { $0.name == name })?.value
      }
      return values.isEmpty ? nil : values
    }
  }

  /// A copy with its own record list.
  public func copy() -> History {
    let result = History()
    result.epochs = epochs
    result.runs = runs
    return result
  }
}
