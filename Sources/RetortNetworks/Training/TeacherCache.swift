import Foundation
import RetortTensor

/// Teacher outputs over a whole transfer set, kept between epochs and runs.
///
/// A frozen teacher in eval mode maps the same example to the same logits every time, so
/// with no augmentation it needs to run once over the transfer set, not once per epoch.
/// An entry is keyed by the teacher object, the versions of all its weights and buffers,
/// the dataset's identity and version, and the tapped layers; any change drops it.
public final class TeacherCache {
  struct Key: Hashable {
    var teacher: ObjectIdentifier
    var weights: [Int]
    var dataset: DatasetVersion
    var taps: [String]
  }

  /// One teacher's outputs for every example, rows in dataset order.
  public struct Entry {
    public var logits: Tensor
    public var features: [String: Tensor]
  }

  private var entries: [Key: Entry] = [:]
  /// How many times an entry was built and reused (for the epoch notes and tests).
  public private(set) var builds = 0
  public private(set) var reuses = 0

  public init() {}

  /// Forgets every entry.
  public func removeAll() { entries.removeAll() }

  /// The number of stored entries.
  public var count: Int { entries.count }

  static func key(_ teacher: Sequential, _ dataset: Dataset, _ taps: [String]) -> Key {
    let weights = teacher.stateDict().map(\.tensor.version)
    return Key(
      teacher: ObjectIdentifier(teacher), weights: weights, dataset: dataset.version,
      taps: taps.sorted())
  }

  /// The teacher's outputs over `dataset`, computed in eval batches when not cached.
  /// `built` says whether this call computed them.
  public func outputs(
    of teacher: Sequential, over dataset: Dataset, tapping taps: [String], batchSize: Int,
    built: inout Bool
  ) throws -> Entry {
    let key = TeacherCache.key(teacher, dataset, taps)
    if let entry = entries[key] {
      DebugLog.write("cache", "reusing teacher outputs for \(dataset.name) (\(dataset.count) rows)")
      reuses += 1
      built = false
      return entry
    }
    // Stale entries of the same teacher and data (old weights) would never be hit again.
    entries = entries.filter { $0.key.teacher != key.teacher || $0.key.dataset != key.dataset }
    let started = Date()
    let entry = try TeacherCache.compute(teacher, dataset, taps, batchSize: batchSize)
    DebugLog.write(
      "cache",
      "built teacher outputs for \(dataset.name) in "
        + String(format: "%.3f s", Date().timeIntervalSince(started))
        + "; taps: \(taps.isEmpty ? "none" : taps.joined(separator: ", "))")
    entries[key] = entry
    builds += 1
    built = true
    return entry
  }

  /// Runs `teacher` over `dataset` in order, without gradients.
  static func compute(
    _ teacher: Sequential, _ dataset: Dataset, _ taps: [String], batchSize: Int
  ) throws -> Entry {
    try Tensor.withoutGradients {
      var logits: [Tensor] = []
      var features: [String: [Tensor]] = [:]
      let step = max(batchSize, 256)
      var start = 0
      while start < dataset.count {
        let end = min(start + step, dataset.count)
        let rows = try dataset.features.sliced([SliceRange(start: start, end: end)])
        let (output, tapped) = try teacher.forward(rows, tapping: taps)
        logits.append(output)
        for (name, value) in tapped { features[name, default: []].append(value) }
        start = end
      }
      let all =
        try logits.isEmpty
        ? Tensor.zeros([0] + teacher.outputShape) : Tensor.concatenate(logits)
      var merged: [String: Tensor] = [:]
      for (name, parts) in features { merged[name] = try Tensor.concatenate(parts) }
      return Entry(logits: all, features: merged)
    }
  }
}
