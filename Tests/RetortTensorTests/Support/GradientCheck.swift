@testable import RetortTensor

/// One input element whose analytic gradient disagrees with the finite difference.
struct GradientMismatch: CustomStringConvertible {
  let input: Int
  let element: Int
  let analytic: Float
  let numeric: Float

  var description: String {
    "input \(input)[\(element)]: analytic \(analytic), numeric \(numeric)"
  }
}

/// Compares the gradients autograd computes for `op` with central finite differences.
///
/// The scalar checked is L(x) = Σ op(x) ⊙ W with fixed normal weights W (drawn from `seed`),
/// so every output element contributes with its own weight. Each input element is moved by
/// ±eps and ∂L/∂x ≈ (L(x + h) − L(x − h)) / (2h), where 2h is the step actually taken in
/// float32. The loss is summed in Double so rounding in the sum does not swamp the
/// difference. An element passes when |analytic − numeric| ≤ atol + rtol · max(|a|, |n|).
func gradientCheck(
  _ inputs: [Tensor], seed: UInt64, eps: Float = 1e-2, rtol: Float = 1e-2, atol: Float = 2e-3,
  _ op: ([Tensor]) throws -> Tensor
) throws -> [GradientMismatch] {
  let leaves = try inputs.map {
    try Tensor(shape: $0.shape, scalars: $0.scalars, requiresGrad: true)
  }
  let output = try op(leaves)
  var generator = SeededGenerator(seed: seed)
  let weights = try Tensor.randomNormal(output.shape, generator: &generator)
  try (output * weights).sum().backward()

  func loss(_ perturbed: [Tensor]) throws -> Double {
    let values = try Tensor.withoutGradients { try op(perturbed) }.scalars
    var total = 0.0
    for (y, w) in zip(values, weights.scalars) { total += Double(y) * Double(w) }
    return total
  }

  var mismatches: [GradientMismatch] = []
  for (i, input) in inputs.enumerated() {
    let analytic = leaves[i].grad?.scalars ?? [Float](repeating: 0, count: input.count)
    for j in 0..<input.count {
      let x = input.scalars[j]
      let up = x + eps
      let down = x - eps
      var shifted = inputs
      var values = input.scalars
      values[j] = up
      shifted[i] = try Tensor(shape: input.shape, scalars: values)
      let lossUp = try loss(shifted)
      values[j] = down
      shifted[i] = try Tensor(shape: input.shape, scalars: values)
      let lossDown = try loss(shifted)
      let numeric = Float((lossUp - lossDown) / Double(up - down))
      let a = analytic[j]
      let allowed = atol + rtol * Swift.max(Swift.abs(a), Swift.abs(numeric))
      if !(Swift.abs(a - numeric) <= allowed) {
        mismatches.append(GradientMismatch(input: i, element: j, analytic: a, numeric: numeric))
      }
    }
  }
  return mismatches
}
