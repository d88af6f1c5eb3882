import Foundation
import RetortTensor

/// A dataset cut into training, validation and test parts.
public struct DatasetSplits {
  /// The part to fit on (and to fit standardisation on).
  public var train: Dataset
  /// The part to choose hyperparameters and stop early on.
  public var validation: Dataset
  /// The part to report final numbers on.
  public var test: Dataset
}

// MARK: - Shuffling

extension Dataset {
  /// The same examples in an order drawn from `generator` (Fisher-Yates).
  public func shuffled(generator: inout SeededGenerator) throws -> Dataset {
    var order = Array(0..<count)
    generator.shuffle(&order)
    return try subset(order)
  }

  /// The same examples in an order fixed by `seed`.
  public func shuffled(seed: UInt64) throws -> Dataset {
    var generator = SeededGenerator(seed: seed)
    return try shuffled(generator: &generator)
  }
}

// MARK: - Splitting

extension Dataset {
  /// Cuts the dataset into parts of the given `fractions` (positive, summing to 1).
  ///
  /// Exact counts: with `stratified` (the default), each class of n_c examples is shuffled
  /// and cut on its own, part k receiving ⌊f_k·n_c⌋ examples plus one of the leftover
  /// examples when its remainder f_k·n_c − ⌊f_k·n_c⌋ is among the largest (ties go to the
  /// earlier part). So every part holds each class in proportion, to within one example,
  /// and the parts add up to the whole. Without `stratified` the same rule is applied once
  /// to all N examples. Within a part examples keep their original order. The same seed
  /// always gives the same parts, and the parts never share an example.
  public func split(
    fractions: [Double], stratified: Bool = true, seed: UInt64, names: [String]? = nil
  ) throws -> [Dataset] {
    guard !fractions.isEmpty, fractions.allSatisfy({ $0 >= 0 && $0.isFinite }),
      abs(fractions.reduce(0, +) - 1) < 1e-6
    else {
      throw DataError(
        "dataset \(name): expected non-negative split fractions that sum to 1, found "
          + fractions.map { String($0) }.joined(separator: ", "),
        hint: "for example [0.8, 0.1, 0.1] for train, validation and test")
    }
    if let names, names.count != fractions.count {
      throw DataError(
        "dataset \(name): expected \(fractions.count) part names, found \(names.count)")
    }
    var generator = SeededGenerator(seed: seed)
    var parts = [[Int]](repeating: [], count: fractions.count)
    let groups: [[Int]] =
      stratified
      ? (0..<classCount).map { label in labels.indices.filter { labels[$0] == label } }
      : [Array(0..<count)]
    for var group in groups {
      generator.shuffle(&group)
      var start = 0
      for (part, size) in Dataset.apportion(group.count, fractions: fractions).enumerated() {
        parts[part] += group[start..<start + size]
        start += size
      }
    }
    return try parts.enumerated().map { part, indices in
      try subset(indices.sorted(), name: names?[part] ?? "\(name)/part\(part + 1)")
    }
  }

  /// Training, validation and test parts; training gets what is left after the other two.
  /// See `split(fractions:stratified:seed:names:)` for the exact counts.
  public func trainValidationTestSplit(
    validation: Double, test: Double, stratified: Bool = true, seed: UInt64
  ) throws -> DatasetSplits {
    guard validation >= 0, test >= 0, validation + test < 1 else {
      throw DataError(
        "dataset \(name): expected validation and test fractions that leave some training "
          + "data, found validation \(validation) and test \(test)",
        hint: "for example validation: 0.1, test: 0.1")
    }
    let parts = try split(
      fractions: [1 - validation - test, validation, test], stratified: stratified,
      seed: seed, names: ["\(name)/train", "\(name)/validation", "\(name)/test"])
    return DatasetSplits(train: parts[0], validation: parts[1], test: parts[2])
  }

  /// Sizes of parts of `total` items by the largest-remainder rule: ⌊f_k·total⌋ each, then
  /// one more to the parts with the largest remainders until they add up to `total`.
  static func apportion(_ total: Int, fractions: [Double]) -> [Int] {
    let exact = fractions.map { $0 * Double(total) }
    var sizes = exact.map { Int($0.rounded(.down)) }
    let leftover = total - sizes.reduce(0, +)
    let byRemainder = exact.indices.sorted {
      let a = exact[$0] - exact[$0].rounded(.down)
      let b = exact[$1] - exact[$1].rounded(.down)
      return a != b ? a > b : $0 < $1
    }
    for k in byRemainder.prefix(max(leftover, 0)) { sizes[k] += 1 }
    return sizes
  }
}
