import Foundation

/// The elementwise functions of the engine with their derivatives, one small type each
/// (see `PointwiseFunction`).
enum Pointwise {
  // MARK: - Math

  struct Exp: PointwiseFunction {
    func value(_ x: Float) -> Float { Foundation.expf(x) }
    func derivative(_ x: Float, _ y: Float) -> Float { y }
  }

  struct Log: PointwiseFunction {
    func value(_ x: Float) -> Float { Foundation.logf(x) }
    func derivative(_ x: Float, _ y: Float) -> Float { 1 / x }
  }

  struct SquareRoot: PointwiseFunction {
    func value(_ x: Float) -> Float { x.squareRoot() }
    func derivative(_ x: Float, _ y: Float) -> Float { 0.5 / y }
  }

  /// |x|, with the derivative 0 at 0 as PyTorch takes it.
  struct Absolute: PointwiseFunction {
    func value(_ x: Float) -> Float { Swift.abs(x) }
    func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
  }

  /// x limited to [lower, upper]; the gradient passes only inside the range.
  struct Clamp: PointwiseFunction {
    var lower: Float
    var upper: Float
    func value(_ x: Float) -> Float { Swift.min(Swift.max(x, lower), upper) }
    func derivative(_ x: Float, _ y: Float) -> Float { x >= lower && x <= upper ? 1 : 0 }
  }

  /// x^p for a scalar exponent p; the derivative p·x^(p−1) is 0 for p = 0.
  struct Power: PointwiseFunction {
    var exponent: Float
    func value(_ x: Float) -> Float { Foundation.powf(x, exponent) }
    func derivative(_ x: Float, _ y: Float) -> Float {
      exponent == 0 ? 0 : exponent * Foundation.powf(x, exponent - 1)
    }
  }

  // MARK: - Arithmetic with a scalar

  /// x + c (a subtraction adds −c).
  struct AddScalar: PointwiseFunction {
    var constant: Float
    func value(_ x: Float) -> Float { x + constant }
    func derivative(_ x: Float, _ y: Float) -> Float { 1 }
  }

  /// c − x.
  struct SubtractFromScalar: PointwiseFunction {
    var constant: Float
    func value(_ x: Float) -> Float { constant - x }
    func derivative(_ x: Float, _ y: Float) -> Float { -1 }
  }

  /// c·x.
  struct MultiplyScalar: PointwiseFunction {
    var constant: Float
    func value(_ x: Float) -> Float { x * constant }
    func derivative(_ x: Float, _ y: Float) -> Float { constant }
  }

  /// x / c, divided rather than multiplied by 1/c so that results round as written.
  struct DivideByScalar: PointwiseFunction {
    var constant: Float
    func value(_ x: Float) -> Float { x / constant }
    func derivative(_ x: Float, _ y: Float) -> Float { 1 / constant }
  }

  struct Negate: PointwiseFunction {
    func value(_ x: Float) -> Float { -x }
    func derivative(_ x: Float, _ y: Float) -> Float { -1 }
  }

  /// c / x.
  struct Reciprocal: PointwiseFunction {
    var numerator: Float
    func value(_ x: Float) -> Float { numerator / x }
    func derivative(_ x: Float, _ y: Float) -> Float { -numerator / (x * x) }
  }

  // MARK: - Activations

  struct ReLU: PointwiseFunction {
    func value(_ x: Float) -> Float { x > 0 ? x : 0 }
    func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : 0 }
  }

  struct LeakyReLU: PointwiseFunction {
    var slope: Float
    func value(_ x: Float) -> Float { x > 0 ? x : slope * x }
    func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : slope }
  }

  struct Tanh: PointwiseFunction {
    func value(_ x: Float) -> Float { Foundation.tanhf(x) }
    func derivative(_ x: Float, _ y: Float) -> Float { 1 - y * y }
  }

  /// 1 / (1 + e^-x), evaluated on the side where the exponential cannot overflow.
  struct Sigmoid: PointwiseFunction {
    func value(_ x: Float) -> Float {
      if x >= 0 { return 1 / (1 + Foundation.expf(-x)) }
      let e = Foundation.expf(x)
      return e / (1 + e)
    }
    func derivative(_ x: Float, _ y: Float) -> Float { y * (1 - y) }
  }

  /// x·Φ(x) with Φ the standard normal CDF; d/dx x·Φ(x) = Φ(x) + x·φ(x).
  struct GELU: PointwiseFunction {
    static let invSqrt2: Float = 0.707_106_781_186_547_5
    static let invSqrt2Pi: Float = 0.398_942_280_401_432_7
    func value(_ x: Float) -> Float { 0.5 * x * (1 + Foundation.erff(x * GELU.invSqrt2)) }
    func derivative(_ x: Float, _ y: Float) -> Float {
      let cdf = 0.5 * (1 + Foundation.erff(x * GELU.invSqrt2))
      return cdf + x * GELU.invSqrt2Pi * Foundation.expf(-0.5 * x * x)
    }
  }
}
