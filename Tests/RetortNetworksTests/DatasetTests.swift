import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("Dataset")
struct DatasetTests {
  func small() throws -> Dataset {
    try Dataset(
      name: "small", features: Tensor(shape: [4, 2], scalars: [0, 1, 2, 3, 4, 5, 6, 7]),
      labels: [1, 0, 1, 1], classNames: ["cat", "dog"])
  }

  // MARK: - Basics

  @Test func describesItself() throws {
    let dataset = try small()
    #expect(dataset.count == 4)
    #expect(dataset.exampleShape == [2])
    #expect(dataset.classCount == 2)
    #expect(dataset.classCounts == [1, 3])
    #expect(dataset.description == "dataset small: 4 examples of [2], 2 classes")
    #expect(
      dataset.info
        == """
        dataset small
          examples:      4
          example shape: [2]
          classes:       2
            0: cat  1  (25.0%)
            1: dog  3  (75.0%)
        """)
  }

  @Test func rejectsMismatchedLabels() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset(
        name: "bad", features: Tensor.zeros([3, 2]), labels: [0, 1], classNames: ["a", "b"])
    }
    #expect(
      error.description
        == "dataset \"bad\": features [3, 2] hold 3 examples but 2 labels were given "
        + "(hint: the first axis of the features must equal the number of labels)")
    let outOfRange = try DataFixtures.dataError {
      _ = try Dataset(name: "bad", features: Tensor.zeros([1, 2]), labels: [2], classNames: ["a"])
    }
    #expect(
      outOfRange.message
        == "dataset \"bad\": label 2 of example 0 is outside 0..<1 (1 class names)")
  }

  @Test func everyDerivedDatasetHasANewVersion() throws {
    let dataset = try small()
    let derived = [
      try dataset.subset([0, 1]), try dataset.reshaped(exampleShape: [1, 2]),
      try dataset.renamed("x"), try dataset.shuffled(seed: 1), try dataset.droppingClasses([0]),
    ]
    let versions = Set([dataset.version] + derived.map(\.version))
    #expect(versions.count == derived.count + 1)
    // An in-place write to the features is a change of data too.
    let before = dataset.version
    try dataset.features.assign([Float](repeating: 0, count: 8))
    #expect(dataset.version != before)
    #expect(dataset.version.id == before.id)
  }

  @Test func subsetGathersExamplesInOrder() throws {
    let subset = try small().subset([3, 0, 3])
    #expect(subset.features.scalars == [6, 7, 0, 1, 6, 7])
    #expect(subset.labels == [1, 1, 1])
    #expect(subset.classNames == ["cat", "dog"])
    let error = try DataFixtures.dataError { _ = try small().subset([4]) }
    #expect(error.message == "dataset small: example index 4 is outside 0..<4")
  }

  @Test func reshapesExamples() throws {
    let reshaped = try small().reshaped(exampleShape: [1, 1, -1])
    #expect(reshaped.features.shape == [4, 1, 1, 2])
    let error = try DataFixtures.dataError { _ = try small().reshaped(exampleShape: [3]) }
    #expect(error.hint == "the new example shape must hold 2 values")
  }

  // MARK: - Filtering

  @Test func keepsAndDropsClasses() throws {
    let digits = try Dataset.digits()
    let withoutThree = try digits.droppingClasses([3])
    #expect(withoutThree.count == 1797 - 183)
    #expect(!withoutThree.labels.contains(3))
    #expect(withoutThree.classCount == 10)
    #expect(withoutThree.name == "digits[without 3]")
    let onlyThree = try digits.keepingClasses(named: ["3"])
    #expect(onlyThree.count == 183)
    #expect(Set(onlyThree.labels) == [3])
    let error = try DataFixtures.dataError { _ = try digits.droppingClasses([10]) }
    #expect(error.message == "dataset digits: class 10 is outside 0..<10")
    let named = try DataFixtures.dataError { _ = try digits.keepingClasses(named: ["ten"]) }
    #expect(named.message.hasPrefix("dataset digits has no class named \"ten\""))
  }

  // MARK: - Bundled data

  @Test func digitsLoads() throws {
    let digits = try Dataset.digits()
    #expect(digits.count == 1797)
    #expect(digits.features.shape == [1797, 64])
    #expect(digits.classNames == (0...9).map(String.init))
    #expect(digits.classCounts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    #expect(digits.features.scalars.min() == 0)
    #expect(digits.features.scalars.max() == 1)
    // The first image's third pixel is 5 of 16 in the CSV.
    #expect(abs(digits.features.scalars[2] - 5.0 / 16) < 1e-7)
  }

  @Test func missingResourceSaysWhereItLooked() throws {
    let error = try DataFixtures.dataError { _ = try Dataset.locateResource("no-such.csv") }
    #expect(error.message.hasPrefix("expected the bundled data file, found it in none of: "))
    #expect(error.hint?.contains("RETORT_DATA_DIR") == true)
  }

  @Test func fashionMNISTMissingFolder() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.fashionMNIST(split: .test, directory: URL(fileURLWithPath: "/no/fmnist"))
    }
    #expect(
      error.description
        == "/no/fmnist/t10k-images-idx3-ubyte.gz: expected the Fashion-MNIST folder "
        + "/no/fmnist, found no such folder (hint: install it with `apt-get install "
        + "dataset-fashion-mnist` (files go to /usr/share/datasets/fashion-mnist), or download "
        + "the four *-ubyte.gz files from github.com/zalandoresearch/fashion-mnist and pass "
        + "their folder as directory)")
  }

  @Test(
    .enabled(
      if: FileManager.default.fileExists(
        atPath: Dataset.fashionMNISTDefaultDirectory + "/t10k-images-idx3-ubyte.gz"),
      "needs Debian's dataset-fashion-mnist package"))
  func fashionMNISTTestSplitLoads() throws {
    let test = try Dataset.fashionMNIST(split: .test)
    #expect(test.count == 10_000)
    #expect(test.features.shape == [10_000, 1, 28, 28])
    #expect(test.classNames[9] == "Ankle boot")
    #expect(test.classCounts == [Int](repeating: 1000, count: 10))
    #expect(test.features.scalars.min() == 0)
    #expect(test.features.scalars.max() == 1)
    #expect(test.name == "fashion-mnist/test")
  }

  // MARK: - Synthetic sets

  @Test(arguments: ["moons", "spirals", "blobs", "xor"])
  func syntheticSetsAreSeededAndBalanced(kind: String) throws {
    func make(_ seed: UInt64) throws -> Dataset {
      switch kind {
      case "moons": return try Dataset.twoMoons(count: 101, noise: 0.1, seed: seed)
      case "spirals": return try Dataset.spirals(count: 101, arms: 4, seed: seed)
      case "blobs": return try Dataset.blobs(count: 101, centers: 4, std: 0.5, seed: seed)
      default: return try Dataset.xor(count: 101, noise: 0.05, seed: seed)
      }
    }
    let first = try make(3)
    let again = try make(3)
    let other = try make(4)
    #expect(first.features.shape == [101, 2])
    #expect(first.features.scalars == again.features.scalars)
    #expect(first.features.scalars != other.features.scalars)
    let counts = first.classCounts
    #expect(counts.reduce(0, +) == 101)
    #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= 1)
    #expect(first.name == kind)
  }

  @Test func xorLabelsFollowTheQuadrants() throws {
    let xor = try Dataset.xor(count: 200, seed: 1)
    for row in 0..<xor.count {
      let (x, y) = (xor.features.scalars[2 * row], xor.features.scalars[2 * row + 1])
      #expect((x * y < 0 ? 1 : 0) == xor.labels[row])
    }
  }

  @Test func blobsStayNearTheirCenters() throws {
    let blobs = try Dataset.blobs(count: 300, centers: 3, std: 0.1, seed: 2)
    // Each class's points have a per-axis spread close to std = 0.1.
    for label in 0..<3 {
      let rows = blobs.labels.indices.filter { blobs.labels[$0] == label }
      let xs = rows.map { Double(blobs.features.scalars[2 * $0]) }
      let mean = xs.reduce(0, +) / Double(xs.count)
      let spread = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count))
        .squareRoot()
      #expect(abs(spread - 0.1) < 0.03)
    }
  }

  @Test func syntheticArgumentsAreChecked() throws {
    let error = try DataFixtures.dataError { _ = try Dataset.spirals(count: 10, arms: 0) }
    #expect(
      error.message
        == "spirals: expected a non-negative count and at least one class, found count 10 "
        + "and 0 classes")
  }
}
