import Foundation

// MARK: - Elementwise maps with their derivatives

/// An elementwise function with its derivative, as a type rather than a pair of closures:
/// `map` specialises on it, so both the forward and the backward loop inline the function.
/// A closure kept on the tape for backward would be called once per element, which cost
/// more than the arithmetic (2 ns an element for a relu's backward).
protocol PointwiseFunction {
  /// f(x).
  func value(_ x: Float) -> Float
  /// f′(x), given the input `x` and the output `y = f(x)`.
  func derivative(_ x: Float, _ y: Float) -> Float
}

extension Tensor {
  /// Applies `function` to every element; the backward pass multiplies the incoming gradient
  /// by `function.derivative(x, y)`, where `x` is the input element and `y` its output.
  func map<F: PointwiseFunction>(_ name: String, _ function: F) -> Tensor {
    let n = count
    let out = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
      scalars.withUnsafeBufferPointer { x in
        for i in 0..<n { buffer[i] = function.value(x[i]) }
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
              for i in 0..<n { buffer[i] = gp[i] * function.derivative(x[i], y[i]) }
            }
          }
        }
        initialized = n
      }
      return [Tensor(uncheckedShape: input.shape, scalars: values)]
    }
  }

  /// e^x.
  public func exp() -> Tensor { map("exp", Pointwise.Exp()) }
  /// The natural logarithm.
  public func log() -> Tensor { map("log", Pointwise.Log()) }
  /// The square root.
  public func sqrt() -> Tensor { map("sqrt", Pointwise.SquareRoot()) }
  /// The absolute value; its derivative at 0 is taken as 0, as PyTorch does.
  public func abs() -> Tensor { map("abs", Pointwise.Absolute()) }
  /// Limits every element to `[lower, upper]`; the gradient passes only inside the range.
  public func clamped(min lower: Float = -.infinity, max upper: Float = .infinity) -> Tensor {
    map("clamp", Pointwise.Clamp(lower: lower, upper: upper))
  }
}

// MARK: - Activations

extension Tensor {
  /// max(0, x).
  public func relu() -> Tensor { map("relu", Pointwise.ReLU()) }

  /// x for positive x, `slope * x` otherwise.
  public func leakyRelu(slope: Float = 0.01) -> Tensor {
    map("leaky_relu", Pointwise.LeakyReLU(slope: slope))
  }

  /// The hyperbolic tangent.
  public func tanh() -> Tensor { map("tanh", Pointwise.Tanh()) }

  /// 1 / (1 + e^-x), computed without overflow for large |x|.
  public func sigmoid() -> Tensor { map("sigmoid", Pointwise.Sigmoid()) }

  /// The exact GELU, x·Φ(x) with Φ the standard normal CDF (PyTorch's default form).
  public func gelu() -> Tensor { map("gelu", Pointwise.GELU()) }
}
