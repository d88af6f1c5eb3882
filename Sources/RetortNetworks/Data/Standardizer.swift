import Foundation
import RetortTensor

/// Per-feature standardisation, x' = (x − mean) / std, fitted on training data only.
///
/// Fitting on the training part alone keeps validation and test numbers honest: their
/// statistics must not leak into preprocessing. A feature that is constant in the training
/// data (std below `minimumStd`, e.g. a digits corner pixel that is always 0) is divided by
/// 1 instead, so it becomes 0 rather than infinite.
public struct Standardizer: Sendable, Equatable {
  /// The per-feature mean of the training examples, flattened over the example shape.
  public let mean: [Float]
  /// The per-feature population standard deviation, with zeros replaced by 1.
  public let std: [Float]
  /// The example shape it was fitted on.
  public let exampleShape: [Int]
  /// Standard deviations below this count as zero.
  public static let minimumStd: Float = 1e-7

  /// Fits the per-feature mean and standard deviation of `training` (accumulated in
  /// double precision).
  public init(fitting training: Dataset) throws {
    guard training.count > 0 else {
      throw DataError(
        "standardizer: expected training examples to fit on, found dataset "
          + "\(training.name) empty")
    }
    let size = training.exampleSize
    var sum = [Double](repeating: 0, count: size)
    var sumOfSquares = [Double](repeating: 0, count: size)
    training.features.scalars.withUnsafeBufferPointer { values in
      for row in 0..<training.count {
        for j in 0..<size {
          let x = Double(values[row * size + j])
          sum[j] += x
          sumOfSquares[j] += x * x
        }
      }
    }
    let n = Double(training.count)
    mean = sum.map { Float($0 / n) }
    std = (0..<size).map { j in
      let average = sum[j] / n
      // Var = E[x²] − E[x]², clipped at 0 against rounding.
      let deviation = Float(max(sumOfSquares[j] / n - average * average, 0).squareRoot())
      return deviation < Standardizer.minimumStd ? 1 : deviation
    }
    exampleShape = training.exampleShape
  }

  /// Standardises a feature tensor `[N] + exampleShape`.
  public func apply(to features: Tensor) throws -> Tensor {
    guard Array(features.shape.dropFirst()) == exampleShape, features.rank >= 1 else {
      throw DataError(
        "standardizer: fitted on examples of \(formatShape(exampleShape)), found features "
          + formatShape(features.shape),
        hint: "fit and apply on datasets with the same example shape")
    }
    let size = mean.count
    var values = features.scalars
    for index in values.indices {
      let j = index % size
      values[index] = (values[index] - mean[j]) / std[j]
    }
    return try Tensor(shape: features.shape, scalars: values)
  }

  /// A standardised copy of `dataset` (a new dataset id).
  public func apply(to dataset: Dataset) throws -> Dataset {
    try Dataset(
      name: dataset.name, features: apply(to: dataset.features), labels: dataset.labels,
      classNames: dataset.classNames)
  }

  /// Applies the statistics of `splits.train` to all three parts.
  public static func standardize(_ splits: DatasetSplits) throws -> (
    splits: DatasetSplits, standardizer: Standardizer
  ) {
    let standardizer = try Standardizer(fitting: splits.train)
    return (
      DatasetSplits(
        train: try standardizer.apply(to: splits.train),
        validation: try standardizer.apply(to: splits.validation),
        test: try standardizer.apply(to: splits.test)),
      standardizer
    )
  }
}
