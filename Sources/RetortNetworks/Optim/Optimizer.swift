import Foundation
import RetortTensor

// MARK: - The optimizer protocol

/// Updates parameters in place from their accumulated gradients, like `torch.optim`.
///
/// A training step is `zeroGrad()`, a forward pass, `backward()` on the loss, `step()`.
/// Parameters without a gradient are skipped (and get no state), as in PyTorch.
public protocol Optimizer: AnyObject {
  /// The tensors this optimizer updates.
  var parameters: [Tensor] { get }
  /// The step size; a schedule sets it before each step or epoch.
  var learningRate: Float { get set }
  /// Applies one update to every parameter that has a gradient.
  func step() throws
  /// Forgets every parameter's gradient (sets it to nil, torch's `set_to_none=True`).
  func zeroGrad()
  /// Adds parameters to optimise from now on (torch's `add_param_group`), such as a hint
  /// regressor created by the loss on its first evaluation.
  func addParameters(_ newParameters: [Tensor]) throws
  /// The per-parameter state buffers created so far (momentum, moment estimates).
  var stateTensors: [Tensor] { get }
  /// An independent optimizer over the same parameters with a deep copy of the state.
  func copy() -> Self
  /// An independent optimizer over `parameters` (the copy of a model, say) that continues
  /// from a deep copy of this one's state; shapes must match one to one.
  func copy(parameters: [Tensor]) throws -> Self
}

extension Optimizer {
  /// The number of state buffers created so far (0 before the first step).
  public var stateTensorCount: Int { stateTensors.count }

  /// Forgets every parameter's gradient.
  public func zeroGrad() {
    for parameter in parameters { parameter.zeroGrad() }
  }
}

// MARK: - Shared checks

/// Throws unless `value` is a finite number ≥ 0 (learning rates, decays, momenta).
func checkHyperparameter(_ value: Float, _ name: String, optimizer: String) throws {
  guard value >= 0, value.isFinite else {
    throw TensorError(
      op: optimizer, "\(name) must be a finite number ≥ 0, got \(value)")
  }
}

/// Throws unless the gradient fits its parameter.
func checkGradient(_ grad: Tensor, of parameter: Tensor, index: Int, optimizer: String) throws {
  guard grad.count == parameter.count else {
    throw TensorError(
      op: optimizer,
      "parameter \(index) \(parameter.name.map { "'\($0)' " } ?? "")has shape "
        + "\(formatShape(parameter.shape)) but its gradient has shape "
        + "\(formatShape(grad.shape))")
  }
}

/// Throws unless `parameters` can take over state built for `existing`, one to one.
func checkRebinding(_ parameters: [Tensor], to existing: [Tensor], optimizer: String) throws {
  guard parameters.count == existing.count else {
    throw TensorError(
      op: optimizer,
      "expected \(existing.count) parameters to rebind the optimizer state, "
        + "got \(parameters.count)")
  }
  for (index, (new, old)) in zip(parameters, existing).enumerated() where new.shape != old.shape {
    throw TensorError(
      op: optimizer,
      "parameter \(index) has shape \(formatShape(new.shape)) but the "
        + "optimizer state was built for \(formatShape(old.shape))")
  }
}

// MARK: - Gradient clipping

/// Rescales the gradients of `parameters` in place so their global norm is at most
/// `maxNorm`, and returns the norm before clipping, like `torch.nn.utils.clip_grad_norm_`.
///
/// The global norm treats all gradients as one vector: `‖(‖g₁‖, ‖g₂‖, …)‖`. When it exceeds
/// `maxNorm` every gradient is multiplied by `maxNorm / (norm + 1e-6)`, so the direction of
/// the update is kept and only its length is capped. `normType` is 2 or `.infinity`
/// (the largest absolute entry). Parameters without a gradient are ignored.
@discardableResult
public func clipGradNorm(
  _ parameters: [Tensor], maxNorm: Float, normType: Float = 2
) throws -> Float {
  guard maxNorm >= 0, !maxNorm.isNaN else {
    throw TensorError(op: "clip_grad_norm", "maxNorm must be ≥ 0, got \(maxNorm)")
  }
  guard normType == 2 || normType == .infinity else {
    throw TensorError(
      op: "clip_grad_norm", "normType must be 2 or infinity, got \(normType)",
      hint: "the 2-norm is the usual choice")
  }
  let grads = parameters.compactMap(\.grad)
  guard !grads.isEmpty else { return 0 }
  var total: Double = 0
  for grad in grads {
    grad.scalars.withUnsafeBufferPointer { g in
      if normType == 2 {
        for x in g { total += Double(x) * Double(x) }
      } else {
        for x in g { total = Swift.max(total, Double(Swift.abs(x))) }
      }
    }
  }
  let norm = Float(normType == 2 ? total.squareRoot() : total)
  // torch multiplies by the clamped coefficient even when it is 1 (a no-op then).
  let coefficient = Swift.min(maxNorm / (norm + 1e-6), 1)
  if coefficient < 1 {
    for grad in grads {
      grad.updateInPlace { g in
        for i in 0..<g.count { g[i] *= coefficient }
      }
    }
  }
  return norm
}
