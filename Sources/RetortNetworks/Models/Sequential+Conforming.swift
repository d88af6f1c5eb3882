import RetortTensor

// One rule for data whose examples are laid out differently from what a model declares:
// flat 64-vectors into a [1, 8, 8] CNN, or 28x28 images into a 784-wide perceptron. When
// the number of values per example agrees, the examples are reshaped; otherwise the model's
// own shape error stands. Training, evaluation and prediction all go through it.

extension Sequential {
  /// Whether examples of `exampleShape` can be fed to this model after a reshape.
  public func acceptsByReshape(exampleShape: [Int]) -> Bool {
    exampleShape != inputShape && exampleShape.elementCount == inputShape.elementCount
  }

  /// A batch `[N, ...]` reshaped to `[N] + inputShape` when only the layout differs;
  /// otherwise the batch as it is (so that `forward` reports the mismatch).
  public func conformingBatch(_ batch: Tensor) throws -> Tensor {
    guard batch.rank >= 1 else { return batch }
    let example = Array(batch.shape.dropFirst())
    guard acceptsByReshape(exampleShape: example) else { return batch }
    return try batch.reshaped(to: [batch.shape[0]] + inputShape)
  }
}
