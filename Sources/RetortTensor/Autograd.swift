/// The record of one operation on the tape: its inputs and how to pass a gradient back.
public struct GradFunction {
  /// The op's name, shown when a tensor is printed or a backward pass fails.
  public let name: String
  /// The tensors the op read.
  public let inputs: [Tensor]
  /// Maps the gradient of the op's output to one gradient per input (nil: no gradient).
  let backward: (Tensor) throws -> [Tensor?]
}

/// Whether operations record the tape. A task-local (thread-local outside tasks) rather than
/// a global, so a `backward()` or `withoutGradients` on one thread (say, a test running in
/// parallel) cannot switch recording off for computations on another.
private enum GradientRecording {
  @TaskLocal static var isEnabled = true
}

extension Tensor {
  /// Whether new results are being recorded for `backward()`.
  public static var isRecordingGradients: Bool { GradientRecording.isEnabled }

  /// Runs `body` with recording switched off (evaluation, teacher forward passes, updates).
  public static func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
    try GradientRecording.$isEnabled.withValue(false) { try body() }
  }

  /// Whether a result computed from `inputs` must be recorded.
  static func needsRecording(_ inputs: Tensor...) -> Bool {
    guard isRecordingGradients else { return false }
    for input in inputs where input.requiresGrad { return true }
    return false
  }

  /// Attaches a tape record to `result` when any input requires a gradient.
  @discardableResult
  func recorded(
    _ name: String, inputs: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]
  ) -> Tensor {
    guard Tensor.isRecordingGradients, inputs.contains(where: { $0.requiresGrad }) else {
      return self
    }
    requiresGrad = true
    gradFunction = GradFunction(name: name, inputs: inputs, backward: backward)
    return self
  }

  /// Back-propagates from this tensor, accumulating into `grad` of every leaf that requires
  /// one. A non-scalar tensor needs an explicit `seed` of its own shape.
  public func backward(seed: Tensor? = nil) throws {
    guard requiresGrad else {
      throw TensorError(
        op: "backward", "this tensor does not require gradients",
        hint: "mark a parameter with requiresGrad = true before computing with it")
    }
    let start: Tensor
    if let seed {
      guard seed.shape == shape else {
        throw TensorError(
          op: "backward",
          "seed shape \(formatShape(seed.shape)) differs from \(formatShape(shape))")
      }
      start = seed
    } else {
      guard count == 1 else {
        throw TensorError(
          op: "backward",
          "backward() without a seed needs a scalar, got shape \(formatShape(shape))",
          hint: "reduce the tensor first, for example with sum() or mean()")
      }
      start = Tensor(uncheckedShape: shape, scalars: [1])
    }
    try Tensor.withoutGradients {
      var grads: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): start]
      for node in topologicalOrder().reversed() {
        guard let gradient = grads.removeValue(forKey: ObjectIdentifier(node)) else { continue }
        guard let function = node.gradFunction else {
          if node.requiresGrad { try node.accumulateGrad(gradient) }
          continue
        }
        let inputGrads = try function.backward(gradient)
        for (input, inputGrad) in zip(function.inputs, inputGrads) {
          guard input.requiresGrad, let inputGrad else { continue }
          let key = ObjectIdentifier(input)
          if let existing = grads[key] {
            grads[key] = try existing + inputGrad
          } else {
            grads[key] = inputGrad
          }
        }
      }
    }
  }

  private func accumulateGrad(_ gradient: Tensor) throws {
    if let existing = grad {
      grad = try existing + gradient
    } else {
      // A fresh object (its array is shared copy-on-write): backward hands the very same
      // gradient tensor to several inputs (an add passes g to both sides), and an in-place
      // update of one parameter's grad (clipping) must not rescale another's.
      guard gradient.count == count else {
        throw TensorError(
          op: "backward",
          "gradient of shape \(formatShape(gradient.shape)) does not fit "
            + "parameter \(formatShape(shape))")
      }
      grad = Tensor(uncheckedShape: shape, scalars: gradient.scalars)
    }
  }

  /// Nodes reachable from this tensor, every node after all of its inputs.
  private func topologicalOrder() -> [Tensor] {
    var order: [Tensor] = []
    var visited: Set<ObjectIdentifier> = []
    // An explicit stack: deep graphs (long training unrolls) must not overflow the call stack.
    var stack: [(Tensor, Bool)] = [(self, false)]
    while let (node, expanded) = stack.popLast() {
      if expanded {
        order.append(node)
        continue
      }
      guard visited.insert(ObjectIdentifier(node)).inserted else { continue }
      stack.append((node, true))
      for input in node.gradFunction?.inputs ?? [] where input.requiresGrad {
        if !visited.contains(ObjectIdentifier(input)) { stack.append((input, false)) }
      }
    }
    return order
  }
}
