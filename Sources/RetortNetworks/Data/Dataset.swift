import Foundation
import RetortTensor
import Synchronization

// MARK: - Identity

/// Hands out dataset ids; shared by all threads, so it is an atomic counter.
private let datasetIDCounter = Atomic<Int>(0)

/// A fresh id for a newly created dataset value.
private func nextDatasetID() -> Int {
  datasetIDCounter.wrappingAdd(1, ordering: .relaxed).newValue
}

/// Identifies the exact data a `Dataset` holds, for caches of per-example results.
///
/// `id` is new for every dataset value created (loaded, generated or derived by a split,
/// subset, filter, shuffle or standardisation); `featuresVersion` is the feature tensor's
/// in-place write counter. Two equal versions therefore mean the same examples in the same
/// order, which is what a cache of teacher outputs needs to know.
public struct DatasetVersion: Hashable, Sendable, CustomStringConvertible {
  /// The dataset value's unique id within this process.
  public let id: Int
  /// `features.version` when the version was read.
  public let featuresVersion: Int

  /// `dataset#12.v0`.
  public var description: String { "dataset#\(id).v\(featuresVersion)" }
}

// MARK: - Dataset

/// Labelled examples for classification: a feature tensor `[N, ...]`, one label per example
/// and the class names the labels index into.
///
/// Datasets are values; every operation that changes which examples are held, or their
/// order or values, returns a new dataset with a new `id`. The feature tensor is shared
/// with derived datasets only when it is unchanged (for example by `renamed(_:)`).
public struct Dataset {
  /// A short name used in descriptions and reports (`digits`, `digits/train`).
  public let name: String
  /// The examples, `[count] + exampleShape`.
  public let features: Tensor
  /// The class index of each example, each in `0..<classCount`.
  public let labels: [Int]
  /// The name of each class, indexed by label.
  public let classNames: [String]
  /// The unique id of this dataset value (see `version`).
  public let id: Int

  /// Creates a dataset, checking that there is one label per example and that every label
  /// names a class.
  public init(name: String, features: Tensor, labels: [Int], classNames: [String]) throws {
    guard features.rank >= 1 else {
      throw DataError(
        "dataset \"\(name)\": expected features with an example axis first, "
          + "found a scalar",
        hint: "features are shaped [N, ...], for example [N, 64]")
    }
    guard features.shape[0] == labels.count else {
      throw DataError(
        "dataset \"\(name)\": features \(formatShape(features.shape)) hold "
          + "\(features.shape[0]) examples but \(labels.count) labels were given",
        hint: "the first axis of the features must equal the number of labels")
    }
    guard !classNames.isEmpty || labels.isEmpty else {
      throw DataError("dataset \"\(name)\": labels were given but no class names")
    }
    for (row, label) in labels.enumerated() where label < 0 || label >= classNames.count {
      throw DataError(
        "dataset \"\(name)\": label \(label) of example \(row) is outside "
          + "0..<\(classNames.count) (\(classNames.count) class names)",
        hint: "give one class name for every label value")
    }
    self.name = name
    self.features = features
    self.labels = labels
    self.classNames = classNames
    self.id = nextDatasetID()
  }

  /// The number of examples.
  public var count: Int { labels.count }
  /// The shape of one example (`[64]`, `[1, 28, 28]`).
  public var exampleShape: [Int] { Array(features.shape.dropFirst()) }
  /// The number of scalars in one example.
  public var exampleSize: Int { exampleShape.elementCount }
  /// The number of classes (the length of `classNames`).
  public var classCount: Int { classNames.count }

  /// How many examples each class has, indexed by label.
  public var classCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[label] += 1 }
    return counts
  }

  /// The identity of the data held now; it changes with a new dataset or an in-place write.
  public var version: DatasetVersion {
    DatasetVersion(id: id, featuresVersion: features.version)
  }

  /// A multi-line summary: name, example count, example shape, classes with counts.
  public var info: String {
    var lines = [
      "dataset \(name)",
      "  examples:      \(count)",
      "  example shape: \(formatShape(exampleShape))",
      "  classes:       \(classCount)",
    ]
    let counts = classCounts
    let nameWidth = classNames.map(\.count).max() ?? 0
    let countWidth = String(counts.max() ?? 0).count
    for (index, className) in classNames.enumerated() {
      let padded = className.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
      let number = String(counts[index])
      let share = count > 0 ? Double(counts[index]) / Double(count) * 100 : 0
      lines.append(
        "    \(index): \(padded)  "
          + String(repeating: " ", count: countWidth - number.count) + number
          + String(format: "  (%.1f%%)", share))
    }
    return lines.joined(separator: "\n")
  }

  /// The index of the class called `className`, or an error listing the known names.
  public func classIndex(named className: String) throws -> Int {
    guard let index = classNames.firstIndex(of: className) else {
      throw DataError(
        "dataset \(name) has no class named \(quoted(className)); its classes are "
          + classNames.prefix(20).map { quoted($0) }.joined(separator: ", "),
        hint: "class names are matched exactly, including case")
    }
    return index
  }
}

extension Dataset: CustomStringConvertible {
  /// One line: `dataset digits: 1797 examples of [64], 10 classes`.
  public var description: String {
    "dataset \(name): \(count) examples of \(formatShape(exampleShape)), \(classCount) classes"
  }
}

// MARK: - Deriving datasets

extension Dataset {
  /// The examples at `indices`, in that order (repeats allowed), as a new dataset.
  public func subset(_ indices: [Int], name newName: String? = nil) throws -> Dataset {
    for index in indices where index < 0 || index >= count {
      throw DataError(
        "dataset \(name): example index \(index) is outside 0..<\(count)",
        hint: "indices count examples from 0")
    }
    return try Dataset(
      name: newName ?? name, features: gatherExamples(indices),
      labels: indices.map { labels[$0] }, classNames: classNames)
  }

  /// The same examples with each one reshaped to `exampleShape` (one axis may be -1).
  public func reshaped(exampleShape newShape: [Int]) throws -> Dataset {
    let reshapedFeatures: Tensor
    do {
      reshapedFeatures = try features.detached().reshaped(to: [count] + newShape)
    } catch let error as TensorError {
      throw DataError(
        "dataset \(name): examples of \(formatShape(exampleShape)) (\(exampleSize) values) "
          + "cannot be reshaped to \(formatShape(newShape)): \(error.message)",
        hint: "the new example shape must hold \(exampleSize) values")
    }
    return try Dataset(
      name: name, features: reshapedFeatures, labels: labels, classNames: classNames)
  }

  /// The same data under another name (a new id, the feature tensor is shared).
  public func renamed(_ newName: String) throws -> Dataset {
    try Dataset(name: newName, features: features, labels: labels, classNames: classNames)
  }

  /// Only the examples whose class is in `classes` (labels and class names are kept, so a
  /// teacher's outputs still line up).
  public func keepingClasses(_ classes: [Int]) throws -> Dataset {
    let wanted = try checkedClassSet(classes)
    let kept = labels.indices.filter { wanted.contains(labels[$0]) }
    let suffix = classes.map { classNames[$0] }.joined(separator: ",")
    return try subset(kept, name: "\(name)[only \(suffix)]")
  }

  /// All examples except those of `classes`, e.g. a transfer set without any 3.
  ///
  /// The label numbering and class names stay as they were: the student still has an
  /// output for the dropped class and must learn it from the teacher's soft targets alone.
  public func droppingClasses(_ classes: [Int]) throws -> Dataset {
    let unwanted = try checkedClassSet(classes)
    let kept = labels.indices.filter { !unwanted.contains(labels[$0]) }
    let suffix = classes.map { classNames[$0] }.joined(separator: ",")
    return try subset(kept, name: "\(name)[without \(suffix)]")
  }

  /// Only the examples of the classes called `names`.
  public func keepingClasses(named names: [String]) throws -> Dataset {
    try keepingClasses(names.map { try classIndex(named: $0) })
  }

  /// All examples except those of the classes called `names`.
  public func droppingClasses(named names: [String]) throws -> Dataset {
    try droppingClasses(names.map { try classIndex(named: $0) })
  }

  private func checkedClassSet(_ classes: [Int]) throws -> Set<Int> {
    for index in classes where index < 0 || index >= classCount {
      throw DataError(
        "dataset \(name): class \(index) is outside 0..<\(classCount)",
        hint: "classes are numbered 0...\(classCount - 1): "
          + classNames.prefix(12).joined(separator: ", "))
    }
    return Set(classes)
  }

  /// Copies the examples at `indices` (already checked) into one contiguous tensor.
  func gatherExamples(_ indices: [Int]) throws -> Tensor {
    let size = exampleSize
    var values = [Float](repeating: 0, count: indices.count * size)
    values.withUnsafeMutableBufferPointer { destination in
      features.scalars.withUnsafeBufferPointer { source in
        guard let from = source.baseAddress, let to = destination.baseAddress else { return }
        for (row, index) in indices.enumerated() {
          (to + row * size).update(from: from + index * size, count: size)
        }
      }
    }
    return try Tensor(shape: [indices.count] + exampleShape, scalars: values)
  }
}
