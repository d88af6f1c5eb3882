import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("Metrics")
struct MetricsTests {
  /// Predictions 0, 1, 2, 2 against labels 0, 2, 2, 1.
  func scores() throws -> Tensor {
    try Tensor(shape: [4, 3], scalars: [2, 1, 0, 0, 3, 1, 1, 0.5, 2, 0, 0, 1])
  }
  let labels = [0, 2, 2, 1]

  @Test func accuracyAndTopK() throws {
    #expect(try Metrics.predictions(scores()) == [0, 1, 2, 2])
    #expect(try Metrics.accuracy(scores(), labels: labels) == 0.5)
    // Row 3: only class 2 beats the label's score, so the label is in the top 2.
    #expect(try Metrics.topKAccuracy(scores(), labels: labels, k: 2) == 1)
    #expect(try Metrics.topKAccuracy(scores(), labels: labels, k: 1) == 0.5)
    #expect(try Metrics.topKAccuracy(scores(), labels: labels, k: 3) == 1)
  }

  @Test func perClassAccuracy() throws {
    let perClass = try Metrics.perClassAccuracy(scores(), labels: labels)
    #expect(perClass == [1, 0, 0.5])
    let absent = try Metrics.perClassAccuracy(scores(), labels: [0, 0, 2, 2])
    #expect(absent[1] == nil)
  }

  @Test func confusionMatrix() throws {
    let matrix = try ConfusionMatrix(
      scores: scores(), labels: labels, classNames: ["cat", "dog", "horse"])
    #expect(matrix.counts == [[1, 0, 0], [0, 0, 1], [0, 1, 1]])
    #expect(matrix.total == 4)
    #expect(matrix.accuracy == 0.5)
    #expect(matrix.recall == [1, 0, 0.5])
    #expect(matrix.precision == [1, 0, 0.5])
    #expect(
      matrix.table()
        == """
        true \\ predicted  cat  dog  horse
        cat                 1    0      0
        dog                 0    0      1
        horse               0    1      1
        """)
  }

  @Test func agreementBetweenModels() throws {
    let other = try Tensor(shape: [4, 3], scalars: [0, 1, 0, 0, 3, 1, 1, 0.5, 2, 5, 0, 1])
    // Predictions 1, 1, 2, 0 against 0, 1, 2, 2.
    #expect(try Metrics.agreement(scores(), other) == 0.5)
    #expect(try Metrics.agreement(scores(), scores()) == 1)
  }

  @Test func negativeLogLikelihood() throws {
    let logits = try Tensor(shape: [2, 2], scalars: [0, 0, 1000, 0])
    // Row 0: log 2; row 1: −log softmax = 0 (the large logit does not overflow).
    let nll = try Metrics.negativeLogLikelihood(logits: logits, labels: [0, 0])
    #expect(abs(nll - Foundation.log(2) / 2) < 1e-9)
    let probabilities = try Tensor(shape: [2, 2], scalars: [0.25, 0.75, 1, 0])
    let fromProbabilities = try Metrics.negativeLogLikelihood(
      probabilities: probabilities, labels: [1, 1])
    #expect(abs(fromProbabilities - (-Foundation.log(0.75) - Foundation.log(1e-12)) / 2) < 1e-6)
  }

  @Test func calibrationByHand() throws {
    let probabilities = try Tensor(shape: [3, 2], scalars: [0.9, 0.1, 0.6, 0.4, 0.3, 0.7])
    // Gaps: 0.9 right (0.1), 0.6 wrong (0.6), 0.7 right (0.3), each in its own bin.
    let report = try CalibrationReport(probabilities: probabilities, labels: [0, 1, 1])
    #expect(abs(report.expectedCalibrationError - 1.0 / 3) < 1e-6)
    #expect(abs(report.maximumCalibrationError - 0.6) < 1e-6)
    #expect(report.bins.count == 15)
    #expect(report.bins.map(\.count).reduce(0, +) == 3)
    // A perfectly calibrated pair: confidence 0.5 and one of two right.
    let even = try Tensor(shape: [2, 2], scalars: [0.5, 0.5, 0.5, 0.5])
    #expect(try Metrics.expectedCalibrationError(probabilities: even, labels: [0, 1]) == 0)
  }

  @Test func matchesNumpyReference() throws {
    let reference = try #require(try DataFixtures.expected()["metrics"] as? [String: Any])
    let shape = try #require(reference["shape"] as? [Int])
    let logits = try Tensor(shape: shape, scalars: DataFixtures.floats(reference["logits"]))
    let labels = try #require(reference["labels"] as? [Int])
    let value = { (key: String) throws -> Double in try #require(reference[key] as? Double) }
    #expect(abs(try Metrics.accuracy(logits, labels: labels) - (try value("accuracy"))) < 1e-12)
    let top2 = try Metrics.topKAccuracy(logits, labels: labels, k: 2)
    #expect(abs(top2 - (try value("top2"))) < 1e-12)
    let nll = try Metrics.negativeLogLikelihood(logits: logits, labels: labels)
    #expect(abs(nll - (try value("nll"))) < 1e-6)
    let ece = try Metrics.expectedCalibrationError(logits: logits, labels: labels)
    #expect(abs(ece - (try value("ece"))) < 1e-5)
    let ece10 = try Metrics.expectedCalibrationError(logits: logits, labels: labels, bins: 10)
    #expect(abs(ece10 - (try value("ece10"))) < 1e-5)
  }

  @Test func mismatchedCountsAreReported() throws {
    #expect(
      throws: TensorError(
        op: "accuracy",
        "expected one label per row: scores [4, 3] have 4 rows but 3 labels were given",
        hint: "evaluate the model on the same examples the labels come from")
    ) {
      _ = try Metrics.accuracy(scores(), labels: [0, 1, 2])
    }
    #expect(
      throws: TensorError(
        op: "agreement",
        "expected two non-empty score tensors of the same shape [N, C], found [4, 3] and [2, 3]",
        hint: "evaluate both models on the same examples")
    ) {
      _ = try Metrics.agreement(scores(), Tensor.zeros([2, 3]))
    }
    #expect(throws: TensorError.self) {
      _ = try Metrics.topKAccuracy(scores(), labels: labels, k: 4)
    }
    #expect(throws: TensorError.self) {
      _ = try Metrics.accuracy(scores(), labels: [0, 1, 2, 3])
    }
  }

  @Test func probabilitiesAreChecked() throws {
    let logits = try Tensor(shape: [1, 2], scalars: [2, -1])
    #expect(
      throws: TensorError(
        op: "ece",
        "expected probabilities (entries in [0, 1] summing to 1), found row 0 summing to 1.0",
        hint: "pass logits to the logits: variant, or apply softmax first")
    ) {
      _ = try Metrics.expectedCalibrationError(probabilities: logits, labels: [0])
    }
  }
}
