import Testing

@testable import RetortTensor

// MARK: - Replaying a PyTorch case with RetortTensor

extension FixtureCase {
  /// Runs this case's op on `inputs` (same order as the fixture's inputs).
  func apply(_ inputs: [Tensor]) throws -> Tensor {
    let p = params
    func input(_ i: Int) throws -> Tensor {
      guard i < inputs.count else { throw missing("input \(i)") }
      return inputs[i]
    }
    func need<T>(_ value: T?, _ key: String) throws -> T {
      guard let value else { throw missing("parameter \(key)") }
      return value
    }
    let keep = p.keepdim ?? false
    switch op {
    case "add": return try input(0) + input(1)
    case "subtract": return try input(0) - input(1)
    case "multiply": return try input(0) * input(1)
    case "divide": return try input(0) / input(1)
    case "add_float": return try input(0) + need(p.value, "value")
    case "subtract_float": return try input(0) - need(p.value, "value")
    case "rsubtract_float": return try need(p.value, "value") - input(0)
    case "multiply_float": return try input(0) * need(p.value, "value")
    case "divide_float": return try input(0) / need(p.value, "value")
    case "rdivide_float": return try need(p.value, "value") / input(0)
    case "negate": return try -input(0)
    case "pow_tensor": return try input(0).pow(input(1))
    case "pow_float": return try input(0).pow(need(p.exponent, "exponent"))
    case "exp": return try input(0).exp()
    case "log": return try input(0).log()
    case "sqrt": return try input(0).sqrt()
    case "abs": return try input(0).abs()
    case "clamp": return try input(0).clamped(min: need(p.min, "min"), max: need(p.max, "max"))
    case "relu": return try input(0).relu()
    case "leaky_relu": return try input(0).leakyRelu(slope: need(p.slope, "slope"))
    case "gelu": return try input(0).gelu()
    case "tanh": return try input(0).tanh()
    case "sigmoid": return try input(0).sigmoid()
    case "softmax":
      return try input(0).softmax(
        alongAxis: need(p.axis, "axis"), temperature: need(p.temperature, "temperature"))
    case "log_softmax":
      return try input(0).logSoftmax(
        alongAxis: need(p.axis, "axis"), temperature: need(p.temperature, "temperature"))
    case "logsumexp":
      return try input(0).logSumExp(alongAxis: need(p.axis, "axis"), keepingDims: keep)
    case "sum_all": return try input(0).sum()
    case "sum": return try input(0).sum(alongAxes: need(p.axes, "axes"), keepingDims: keep)
    case "mean_all": return try input(0).mean()
    case "mean": return try input(0).mean(alongAxes: need(p.axes, "axes"), keepingDims: keep)
    case "max": return try input(0).max(alongAxis: need(p.axis, "axis"), keepingDims: keep)
    case "min": return try input(0).min(alongAxis: need(p.axis, "axis"), keepingDims: keep)
    case "var":
      return try input(0).variance(
        alongAxes: need(p.axes, "axes"), keepingDims: keep, unbiased: p.unbiased ?? false)
    case "reshape": return try input(0).reshaped(to: need(p.shape, "shape"))
    case "expand": return try input(0).expanded(to: need(p.shape, "shape"))
    case "transpose":
      let dims = try need(p.dims, "dims")
      guard dims.count == 2 else { throw missing("two dims") }
      return try input(0).transposed(dims[0], dims[1])
    case "permute": return try input(0).permuted(need(p.dims, "dims"))
    case "slice":
      let ranges = try need(p.ranges, "ranges").map { r -> SliceRange in
        guard r.count == 3 else { throw missing("start, end, step") }
        return SliceRange(start: r[0], end: r[1], step: r[2])
      }
      return try input(0).sliced(ranges)
    case "concatenate": return try Tensor.concatenate(inputs, alongAxis: need(p.axis, "axis"))
    case "stack": return try Tensor.stack(inputs, alongAxis: need(p.axis, "axis"))
    case "index_select":
      return try input(0).indexSelect(
        alongAxis: need(p.axis, "axis"), indices: need(p.indices, "indices"))
    case "gather_rows": return try input(0).gatherRows(need(p.indices, "indices"))
    case "matmul": return try input(0).matmul(input(1))
    case "linear":
      return try input(0).linear(weight: input(1), bias: inputs.count > 2 ? input(2) : nil)
    case "conv2d":
      return try input(0).conv2d(
        weight: input(1), bias: inputs.count > 2 ? input(2) : nil,
        stride: need(p.stride, "stride"), padding: need(p.padding, "padding"))
    case "maxpool":
      return try input(0).maxPool2d(
        kernel: need(p.kernel, "kernel"), stride: p.stride, padding: p.padding ?? 0)
    case "avgpool":
      return try input(0).avgPool2d(
        kernel: need(p.kernel, "kernel"), stride: p.stride, padding: p.padding ?? 0)
    default:
      throw FixtureError(description: "\(name): unknown op \(op)")
    }
  }

  private func missing(_ what: String) -> FixtureError {
    FixtureError(description: "\(name): the fixture lacks \(what) for \(op)")
  }

  // MARK: - The two checks every differentiable op gets

  /// Forward values and input gradients (for the stored upstream gradient) against PyTorch.
  func expectMatchesPyTorch(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let leaves = try inputs.map { try $0.tensor(requiresGrad: true) }
    let output = try apply(leaves)
    expectClose(output, self.output, "\(name) forward", sourceLocation: sourceLocation)
    try output.backward(seed: upstream.tensor())
    #expect(leaves.count == grads.count, sourceLocation: sourceLocation)
    for (i, (leaf, expected)) in zip(leaves, grads).enumerated() {
      expectClose(
        leaf.grad, expected, "\(name) gradient of input \(i)",
        sourceLocation: sourceLocation)
    }
  }

  /// Analytic gradients against central finite differences on the same inputs.
  func expectGradientsMatchFiniteDifferences(
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let values = try inputs.map { try $0.tensor() }
    let mismatches = try gradientCheck(values, seed: 7) { try apply($0) }
    #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(3))", sourceLocation: sourceLocation)
  }
}
