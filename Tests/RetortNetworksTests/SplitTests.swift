import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("Splits, standardisation and batches")
struct SplitTests {
  /// 30 examples of class 0, 20 of class 1, 10 of class 2, interleaved.
  func unbalanced() throws -> Dataset {
    let labels = (0..<60).map { $0 % 6 < 3 ? 0 : ($0 % 6 < 5 ? 1 : 2) }
    return try indexedDataset(labels: labels, classes: 3)
  }

  func originalIndices(_ dataset: Dataset) -> [Int] {
    dataset.features.scalars.map { Int($0) }
  }

  // MARK: - Splits

  @Test func apportionsByLargestRemainder() {
    #expect(Dataset.apportion(10, fractions: [0.7, 0.2, 0.1]) == [7, 2, 1])
    #expect(Dataset.apportion(5, fractions: [0.5, 0.3, 0.2]) == [3, 1, 1])
    #expect(Dataset.apportion(7, fractions: [0.8, 0.1, 0.1]) == [5, 1, 1])
    #expect(Dataset.apportion(0, fractions: [0.5, 0.5]) == [0, 0])
  }

  @Test func stratifiedSplitIsProportionalDisjointAndComplete() throws {
    let dataset = try unbalanced()
    let splits = try dataset.trainValidationTestSplit(validation: 0.2, test: 0.1, seed: 5)
    #expect(splits.train.classCounts == [21, 14, 7])
    #expect(splits.validation.classCounts == [6, 4, 2])
    #expect(splits.test.classCounts == [3, 2, 1])
    let parts = [splits.train, splits.validation, splits.test].map(originalIndices)
    let all = parts.flatMap { $0 }
    #expect(all.count == 60)
    #expect(Set(all) == Set(0..<60))
    // Within a part the original order is kept, and labels travel with their examples.
    for (part, indices) in zip([splits.train, splits.validation, splits.test], parts) {
      #expect(indices == indices.sorted())
      #expect(part.labels == indices.map { dataset.labels[$0] })
    }
    #expect(splits.train.name == "indexed/train")
  }

  @Test func splitsAreDeterministicPerSeed() throws {
    let dataset = try unbalanced()
    let a = try dataset.split(fractions: [0.5, 0.5], seed: 9)
    let b = try dataset.split(fractions: [0.5, 0.5], seed: 9)
    let c = try dataset.split(fractions: [0.5, 0.5], seed: 10)
    #expect(originalIndices(a[0]) == originalIndices(b[0]))
    #expect(originalIndices(a[0]) != originalIndices(c[0]))
  }

  @Test func digitsSplitKeepsEveryClass() throws {
    let digits = try Dataset.digits()
    let splits = try digits.trainValidationTestSplit(validation: 0.1, test: 0.1, seed: 0)
    #expect(splits.train.count + splits.validation.count + splits.test.count == 1797)
    for (part, fraction) in [(splits.validation, 0.1), (splits.test, 0.1), (splits.train, 0.8)] {
      for (c, count) in part.classCounts.enumerated() {
        #expect(abs(Double(count) - fraction * Double(digits.classCounts[c])) <= 1)
      }
    }
  }

  @Test func plainSplitCutsTheShuffledWhole() throws {
    let dataset = try unbalanced()
    let parts = try dataset.split(fractions: [0.75, 0.25], stratified: false, seed: 1)
    #expect(parts.map(\.count) == [45, 15])
    #expect(Set(originalIndices(parts[0])).isDisjoint(with: originalIndices(parts[1])))
  }

  @Test func badFractionsAreReported() throws {
    let error = try DataFixtures.dataError {
      _ = try unbalanced().split(fractions: [0.5, 0.6], seed: 0)
    }
    #expect(
      error.description
        == "dataset indexed: expected non-negative split fractions that sum to 1, found 0.5, "
        + "0.6 (hint: for example [0.8, 0.1, 0.1] for train, validation and test)")
  }

  @Test func shuffleIsAPermutation() throws {
    let dataset = try unbalanced()
    let shuffled = try dataset.shuffled(seed: 4)
    let order = originalIndices(shuffled)
    #expect(order.sorted() == Array(0..<60))
    #expect(order != Array(0..<60))
    #expect(shuffled.labels == order.map { dataset.labels[$0] })
    #expect(order == originalIndices(try dataset.shuffled(seed: 4)))
  }

  // MARK: - Standardisation

  @Test func standardizerUsesTrainingStatisticsOnly() throws {
    let train = try Dataset(
      name: "train", features: Tensor(shape: [4, 2], scalars: [1, 5, 3, 5, 5, 5, 7, 5]),
      labels: [0, 0, 1, 1], classNames: ["a", "b"])
    let test = try Dataset(
      name: "test", features: Tensor(shape: [2, 2], scalars: [4, 9, 100, -3]),
      labels: [0, 1], classNames: ["a", "b"])
    let standardizer = try Standardizer(fitting: train)
    // Column 0: mean 4, population std √5; column 1 is constant, so its std is taken as 1.
    #expect(standardizer.mean == [4, 5])
    #expect(abs(standardizer.std[0] - Float(5).squareRoot()) < 1e-6)
    #expect(standardizer.std[1] == 1)
    let trainScaled = try standardizer.apply(to: train).features.scalars
    #expect(abs(trainScaled[0] - (-3 / Float(5).squareRoot())) < 1e-6)
    #expect(trainScaled[1] == 0)
    let testScaled = try standardizer.apply(to: test).features.scalars
    #expect(testScaled[0] == 0)
    #expect(testScaled[1] == 4)
    #expect(abs(testScaled[2] - 96 / Float(5).squareRoot()) < 1e-4)
    #expect(testScaled[3] == -8)
  }

  @Test func standardizeSplitsFitsOnTrain() throws {
    let splits = try Dataset.digits().trainValidationTestSplit(
      validation: 0.1, test: 0.1, seed: 2)
    let (scaled, standardizer) = try Standardizer.standardize(splits)
    #expect(standardizer == (try Standardizer(fitting: splits.train)))
    // The training part has mean 0 in every column; the others in general do not.
    let means = try scaled.train.features.mean(alongAxis: 0).scalars
    #expect(means.allSatisfy { abs($0) < 1e-4 })
    let testMeans = try scaled.test.features.mean(alongAxis: 0).scalars
    #expect(testMeans.contains { abs($0) > 1e-3 })
  }

  @Test func standardizerChecksShapes() throws {
    let standardizer = try Standardizer(fitting: try unbalanced())
    let error = try DataFixtures.dataError { _ = try standardizer.apply(to: Tensor.zeros([2, 3])) }
    #expect(
      error.message == "standardizer: fitted on examples of [1], found features [2, 3]")
  }

  // MARK: - Batches

  @Test func batchesCoverEveryExampleOnce() throws {
    let dataset = try indexedDataset(labels: (0..<10).map { $0 % 2 }, classes: 2)
    var generator = SeededGenerator(seed: 3)
    let batches = try dataset.batches(size: 4, shuffle: true, generator: &generator)
    #expect(batches.map(\.labels.count) == [4, 4, 2])
    var seen: [Int] = []
    for (features, labels) in batches {
      #expect(features.shape == [labels.count, 1])
      let indices = features.scalars.map { Int($0) }
      #expect(labels == indices.map { dataset.labels[$0] })
      seen += indices
    }
    #expect(seen.sorted() == Array(0..<10))
    #expect(seen != Array(0..<10))
    #expect(batches.indexBatches.flatMap { $0 } == seen)
    // The generator advanced, so the next epoch has another order.
    let next = try dataset.batches(size: 4, shuffle: true, generator: &generator)
    #expect(next.indexBatches != batches.indexBatches)
  }

  @Test func dropLastAndOrderedBatches() throws {
    let dataset = try indexedDataset(labels: [Int](repeating: 0, count: 10), classes: 1)
    let batches = try dataset.batches(size: 4, dropLast: true)
    #expect(batches.indexBatches == [[0, 1, 2, 3], [4, 5, 6, 7]])
    #expect(batches[1].features.scalars == [4, 5, 6, 7])
    let error = try DataFixtures.dataError { _ = try dataset.batches(size: 0) }
    #expect(error.message == "dataset indexed: expected a batch size of at least 1, found 0")
  }

  @Test func imageBatchesAreContiguous() throws {
    let images = try Dataset(
      name: "images", features: Tensor.arange(0, 24).reshaped(to: [3, 2, 2, 2]),
      labels: [0, 1, 0], classNames: ["a", "b"])
    let batch = try images.batches(size: 2)[0]
    #expect(batch.features.shape == [2, 2, 2, 2])
    #expect(batch.features.scalars == (0..<16).map(Float.init))
  }
}
