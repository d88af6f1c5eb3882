// MARK: - Ops defined outside this module

extension Tensor {
  /// Records a result computed by a fused kernel outside RetortTensor as an op on `inputs`.
  ///
  /// Modules above this one (losses with a closed-form gradient, for example) compute
  /// `scalars` themselves and supply `backward`, which maps the gradient of the result to
  /// one gradient per input (nil where an input gets none), each of that input's shape.
  /// Nothing is recorded when gradients are off or no input requires one.
  public static func customOp(
    _ name: String, inputs: [Tensor], shape: [Int], scalars: [Float],
    backward: @escaping (Tensor) throws -> [Tensor?]
  ) throws -> Tensor {
    let result = try Tensor(shape: shape, scalars: scalars)
    return result.recorded(name, inputs: inputs, backward: backward)
  }
}
