import Foundation

// MARK: - Elementwise maps with their derivatives

extension Tensor {
  /// Applies `function` to every element; the backward pass multiplies the incoming gradient
  /// by `derivative(x, y)`, where `x` is the input element and `y = function(x)`.
  @inline(__always)
  func map(
    _ name: String, _ function: (Float) -> Float,
    derivative: @escaping (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    let n = count
    let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      scalars.withUnsafeBufferPointer { x in
        for i in 0..<n { buffer[i] = function(x[i]) }
      }
      initialized = n
    }
    let result = Tensor(uncheckedShape: shape, scalars: out)
    guard Tensor.isRecordingGradients, requiresGrad else { return result }
    let input = self
    return result.recorded(name, inputs: [input]) { g in
      let values = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
        g.scalars.withUnsafeBufferPointer { gp in
          input.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeBufferPointer { y in
              for i in 0..<n { buffer[i] = gp[i] * derivative(x[i], y[i]) }
            }
          }
        }
        initialized = n
      }
      return [Tensor(uncheckedShape: input.shape, scalars: values)]
    }
  }

  /// e^x.
  public func exp() -> Tensor { map("exp", { Foundation.expf($0) }) { _, y in y } }
  /// The natural logarithm.
  public func log() -> Tensor { map("log", { Foundation.logf($0) }) { x, _ in 1 / x } }
  /// The square root.
  public func sqrt() -> Tensor { map("sqrt", { $0.squareRoot() }) { _, y in 0.5 / y } }
  /// The absolute value; its derivative at 0 is taken as 0, as PyTorch does.
  public func abs() -> Tensor {
    map("abs", { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) }
  }
  /// Limits every element to `[lower, upper]`; the gradient passes only inside the range.
  public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
    map("clamp", { Swift.min(Swift.max($0, lower), upper) }) { x, _ in
      x >= lower && x <= upper ? 1 : 0
    }
  }
}

// MARK: - Activations

extension Tensor {
  /// max(0, x).
  public func relu() -> Tensor { map("relu", { $0 > 0 ? $0 : 0 }) { x, _ in x > 0 ? 1 : 0 } }

  /// x for positive x, `slope * x` otherwise.
  public func leakyRelu(slope: Float = 0.01) -> Tensor {
    map("leaky_relu", { $0 > 0 ? $0 : slope * $0 }) { x, _ in x > 0 ? 1 : slope }
  }

  /// The hyperbolic tangent.
  public func tanh() -> Tensor { map("tanh", { Foundation.tanhf($0) }) { _, y in 1 - y * y } }

  /// 1 / (1 + e^-x), computed without overflow for large |x|.
  public func sigmoid() -> Tensor {
    map(
      "sigmoid",
      { x in
        if x >= 0 { return 1 / (1 + Foundation.expf(-x)) }
        let e = Foundation.expf(x)
        return e / (1 + e)
      }
    ) { _, y in y * (1 - y) }
  }

  /// The exact GELU, x·Φ(x) with Φ the standard normal CDF (PyTorch's default form).
  public func gelu() -> Tensor {
    let invSqrt2: Float = 0.707_106_781_186_547_5
    let invSqrt2Pi: Float = 0.398_942_280_401_432_7
    return map("gelu", { x in 0.5 * x * (1 + Foundation.erff(x * invSqrt2)) }) { x, _ in
      // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      let cdf = 0.5 * (1 + Foundation.erff(x * invSqrt2))
      return cdf + x * invSqrt2Pi * Foundation.expf(-0.5 * x * x)
    }
  }
}
