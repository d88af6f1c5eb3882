import Foundation
import RetortTensor

/// The mini-batches of one pass over a dataset, each gathered into a contiguous tensor.
///
/// The order is fixed when the batches are made, so `indexBatches` tells which examples
/// each batch holds (a cache of teacher outputs looks them up by these indices). Batches
/// are gathered lazily as they are visited.
public struct DatasetBatches: RandomAccessCollection {
  /// One batch: features `[b] + exampleShape` and the b labels.
  public typealias Element = (features: Tensor, labels: [Int])

  /// The dataset the batches come from.
  public let dataset: Dataset
  /// The example indices of every batch, in visiting order.
  public let indexBatches: [[Int]]

  /// The first batch position.
  public var startIndex: Int { 0 }
  /// One past the last batch position.
  public var endIndex: Int { indexBatches.count }

  /// Gathers batch `position` into a fresh contiguous tensor.
  public subscript(position: Int) -> Element {
    let indices = indexBatches[position]
    // The indices come from 0..<count, so the gathered values always fit the shape and
    // the fallback (an empty tensor) is unreachable; it only avoids a trap.
    let features = (try? dataset.gatherExamples(indices)) ?? Tensor([Float]())
    return (features, indices.map { dataset.labels[$0] })
  }
}

extension Dataset {
  /// Mini-batches of `size` examples covering every example once.
  ///
  /// With `shuffle` the order is drawn from `generator` (which advances, so the next epoch
  /// differs); otherwise examples come in dataset order. The last batch is smaller when
  /// `size` does not divide the count, or is left out with `dropLast`.
  public func batches(
    size: Int, shuffle: Bool = false, dropLast: Bool = false,
    generator: inout SeededGenerator
  ) throws -> DatasetBatches {
    guard size >= 1 else {
      throw DataError(
        "dataset \(name): expected a batch size of at least 1, found \(size)")
    }
    var order = Array(0..<count)
    if shuffle { generator.shuffle(&order) }
    var groups: [[Int]] = []
    var start = 0
    while start < order.count {
      let end = min(start + size, order.count)
      if end - start < size && dropLast { break }
      groups.append(Array(order[start..<end]))
      start = end
    }
    return DatasetBatches(dataset: self, indexBatches: groups)
  }

  /// Mini-batches drawing any shuffle from the process-wide generator (reset by `seed`).
  public func batches(
    size: Int, shuffle: Bool = false, dropLast: Bool = false
  ) throws -> DatasetBatches {
    try SeededGenerator.withGlobal {
      try batches(size: size, shuffle: shuffle, dropLast: dropLast, generator: &$0)
    }
  }
}
