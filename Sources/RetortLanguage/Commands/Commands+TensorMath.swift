import Foundation
import RetortNetworks
import RetortTensor

// Functions on tensors: element-wise maps, reductions, shapes, softmax and the divergences
// used in distillation. All of them record gradients when their inputs require them.

extension CommandRegistry {
  static func tensorMathCommands() -> [CommandSpec] {
    let maps: [(String, String, (Tensor) -> Tensor)] = [
      ("exp", "e raised to each element", { $0.exp() }),
      ("log", "The natural logarithm of each element", { $0.log() }),
      ("sqrt", "The square root of each element", { $0.sqrt() }),
      ("abs", "The absolute value of each element", { $0.abs() }),
      ("detach", "The same values, cut off from gradient recording", { $0.detached() }),
    ]
    let activations = [
      activation("relu", "max(x, 0) for each element", .relu) { $0.relu() },
      activation("sigmoid", "1 / (1 + e^-x) for each element", .sigmoid) { $0.sigmoid() },
      activation("tanh", "The hyperbolic tangent of each element", .tanh) { $0.tanh() },
      activation("gelu", "The Gaussian error linear unit of each element", .gelu) { $0.gelu() },
    ]
    return maps.map { elementwise($0.0, $0.1, $0.2) } + activations + [
      softmax(log: false), softmax(log: true), kl, ce, mse,
      reduction("sum", "The sum of the elements, or along an axis"),
      reduction("mean", "The mean of the elements, or along an axis"),
      extremum("max"), extremum("min"), argmax,
      matmul, reshape, transpose, permute, join("concat"), join("stack"), oneHot, clamp,
      whereCommand, backward, requiresGrad,
    ]
  }

  // MARK: - Element-wise

  static func elementwise(_ name: String, _ summary: String, _ op: @escaping (Tensor) -> Tensor)
    -> CommandSpec
  {
    CommandSpec(
      name: name, summary: summary, category: .tensorMath,
      parameters: [.positional("x", .tensor, "a tensor")],
      examples: ["\(name)(tensor [-1, 0.5, 2])"]
    ) { invocation in
      .tensor(op(try invocation.tensor("x")))
    }
  }

  static var axisOption: ParameterSpec {
    ParameterSpec.option(
      "axis", .integer, default: nil, "the axis to reduce (negative counts from the end); none: all"
    )
  }

  // MARK: - Softmax and divergences

  static func softmax(log: Bool) -> CommandSpec {
    let name = log ? "log_softmax" : "softmax"
    return CommandSpec(
      name: name,
      summary: log
        ? "The logarithm of softmax, computed stably"
        : "Turn logits into probabilities: exp(x/T) / sum(exp(x/T))",
      category: .tensorMath,
      parameters: [
        .optionalPositional("x", .tensor, "logits (none: the softmax layer)"),
        .option("axis", .integer, default: .number(-1), "the axis that sums to 1"),
        .option("T", .number, default: .number(1), "the temperature; larger T is softer"),
      ],
      examples: [
        "logits = tensor [5.0, 2.0, 1.0]\n\(name) logits T=4\n\(name)(logits / 4)"
      ],
      longHelp: "A temperature T > 1 flattens the distribution, revealing how the model ranks "
        + "the wrong classes (the \"dark knowledge\" a student learns from)."
    ) { invocation in
      let temperature = try invocation.number("T")
      guard temperature > 0 else {
        throw invocation.error(
          "the temperature T must be greater than 0, got \(Value.format(number: temperature))",
          at: "T", hint: "T=1 is the plain softmax; distillation typically uses T from 2 to 8")
      }
      let axis = try invocation.integer("axis")
      guard let x = invocation.optionalTensor("x") else {
        guard !log else { throw invocation.error("'log_softmax' needs a tensor") }
        return recipe("softmax", "softmax T=\(Value.format(number: temperature))") { _, _ in
          try Activation(.softmax(temperature: Float(temperature)))
        }
      }
      return .tensor(
        try invocation.tensorOp {
          log
            ? try x.logSoftmax(alongAxis: axis, temperature: Float(temperature))
            : try x.softmax(alongAxis: axis, temperature: Float(temperature))
        })
    }
  }

  static var kl: CommandSpec {
    CommandSpec(
      name: "kl", summary: "KL(p || q) of two probability tensors, averaged over rows",
      category: .tensorMath,
      parameters: [
        .positional("p", .tensor, "the target distribution (rows sum to 1)"),
        .positional("q", .tensor, "the approximating distribution (rows sum to 1)"),
      ],
      examples: [
        "p = softmax(tensor [2.0, 1.0, 0.1])\nq = softmax(tensor [1.0, 1.0, 1.0])\nkl(p, q)"
      ],
      longHelp: "KL(p || q) = sum p * (log p - log q) along the last axis, then the mean over "
        + "the other axes. Entries where p is 0 contribute 0."
    ) { invocation in
      let p = try invocation.tensor("p")
      let q = try invocation.tensor("q")
      for (name, tensor) in [("p", p), ("q", q)] {
        if let problem = distributionProblem(tensor) {
          invocation.warn(
            "'\(name)' of 'kl' is not a probability distribution (\(problem))", at: name,
            hint: "it looks like raw logits; apply softmax first")
        }
      }
      return .tensor(
        try invocation.tensorOp {
          guard p.shape == q.shape else {
            throw TensorError(
              op: "kl",
              "p and q must have the same shape, got \(formatShape(p.shape)) and "
                + "\(formatShape(q.shape))")
          }
          // Clamping inside the logs makes 0 * log 0 = 0 and keeps log q finite.
          let logP = p.clamped(min: 1e-12).log()
          let logQ = q.clamped(min: 1e-12).log()
          let terms = try p * (try logP - logQ)
          guard p.rank > 1 else { return terms.sum() }
          return try terms.sum(alongAxis: -1).mean()
        })
    }
  }

  /// Why `tensor` is not a distribution along its last axis, or nil when it is one.
  static func distributionProblem(_ tensor: Tensor) -> String? {
    let scalars = tensor.scalars
    if let negative = scalars.first(where: { $0 < 0 }) {
      return "it has negative entries such as \(Value.format(number: Double(negative)))"
    }
    let width = max(tensor.shape.last ?? 1, 1)
    var row = 0
    while row * width < scalars.count {
      let sum = scalars[(row * width)..<min((row + 1) * width, scalars.count)].reduce(0, +)
      if abs(sum - 1) > 1e-3 {
        return "a row sums to \(String(format: "%.4g", Double(sum))), not 1"
      }
      row += 1
    }
    return nil
  }

  static var ce: CommandSpec {
    CommandSpec(
      name: "ce", summary: "Cross-entropy of logits against class labels or soft targets",
      category: .tensorMath,
      parameters: [
        .optionalPositional("logits", .tensor, "scores [N, C] (or [C] for one example)"),
        .optionalPositional("labels", .tensor, "class indices [N], or target probabilities [N, C]"),
        .option("ls", .probability, default: .number(0), "label smoothing (as a loss value)"),
      ],
      examples: ["ce(tensor [[2.0, 0.5, -1.0]], [0])\nloss = 0.3*ce + 0.7*kd(T=4)"],
      longHelp: "The mean over rows of -log softmax(logits)[label]; with soft targets, "
        + "the mean of -sum(targets * log softmax(logits)). Without arguments `ce` is the "
        + "cross-entropy term of a distillation loss.",
      bareNameInvokes: true
    ) { invocation in
      guard var logits = invocation.optionalTensor("logits") else {
        return .loss(.ce(labelSmoothing: Float(try invocation.number("ls"))))
      }
      guard var labels = invocation.optionalTensor("labels") else {
        throw invocation.error(
          "'ce' with logits also needs labels", hint: "write ce(logits, labels)")
      }
      return .tensor(
        try invocation.tensorOp {
          if logits.rank == 1 {
            logits = try logits.unsqueezed(at: 0)
            if labels.rank == 1 && labels.count == logits.shape[1] && labels.count != 1 {
              labels = try labels.unsqueezed(at: 0)
            }
          }
          guard logits.rank == 2 else {
            throw TensorError(
              op: "ce", "expected logits of shape [N, C], got \(formatShape(logits.shape))")
          }
          let logProbabilities = try logits.logSoftmax(alongAxis: -1)
          if labels.shape == logits.shape {
            return -(try (labels * logProbabilities).sum(alongAxis: -1).mean())
          }
          let rows = logits.shape[0]
          let classes = logits.shape[1]
          let indices = labels.scalars.map { Int($0) }
          guard labels.count == rows, labels.scalars.allSatisfy({ $0 == $0.rounded() }) else {
            throw TensorError(
              op: "ce",
              "expected \(rows) class indices (one per row of logits "
                + "\(formatShape(logits.shape))), "
                + "got a tensor \(formatShape(labels.shape))",
              hint:
                "labels are whole numbers 0...\(classes - 1), or probabilities of the logits' shape"
            )
          }
          if let bad = indices.first(where: { $0 < 0 || $0 >= classes }) {
            throw TensorError(
              op: "ce", "label \(bad) is out of range for \(classes) classes",
              hint: "labels must be 0...\(classes - 1)")
          }
          return -(try logProbabilities.gatherRows(indices).mean())
        })
    }
  }

  static var mse: CommandSpec {
    CommandSpec(
      name: "mse", summary: "Mean squared error: mean((a - b)^2)", category: .tensorMath,
      parameters: [
        .optionalPositional("a", .tensor, "predictions"),
        .optionalPositional("b", .tensor, "targets"),
      ],
      examples: ["mse(tensor [1, 2, 3], tensor [1, 2, 5])\nce + mse"],
      longHelp: "Without arguments `mse` is the loss term matching student and teacher logits.",
      bareNameInvokes: true
    ) { invocation in
      guard let a = invocation.optionalTensor("a") else { return .loss(.mse()) }
      guard let b = invocation.optionalTensor("b") else {
        throw invocation.error("'mse' needs two tensors", hint: "write mse(a, b)")
      }
      return .tensor(try invocation.tensorOp { try (a - b).pow(2).mean() })
    }
  }

  // MARK: - Reductions

  static func reduction(_ name: String, _ summary: String) -> CommandSpec {
    CommandSpec(
      name: name, summary: summary, category: .tensorMath,
      parameters: [
        .positional("x", .tensor, "a tensor"), axisOption,
        .option("keepdims", .bool, default: .bool(false), "keep the reduced axis with extent 1"),
      ],
      examples: ["x = tensor [[1, 2], [3, 4]]\n\(name) x\n\(name)(x, axis=0)"]
    ) { invocation in
      let x = try invocation.tensor("x")
      let keep = try invocation.bool("keepdims")
      return .tensor(
        try invocation.tensorOp {
          guard let axis = invocation.optionalInteger("axis") else {
            return name == "sum" ? x.sum() : x.mean()
          }
          return name == "sum"
            ? try x.sum(alongAxis: axis, keepingDims: keep)
            : try x.mean(alongAxis: axis, keepingDims: keep)
        })
    }
  }

  static func extremum(_ name: String) -> CommandSpec {
    CommandSpec(
      name: name,
      summary: "The \(name == "max" ? "largest" : "smallest") element, or along an axis",
      category: .tensorMath,
      parameters: [.positional("x", .tensor, "a tensor"), axisOption],
      examples: ["\(name)(tensor [[1, 5], [3, 2]], axis=1)"]
    ) { invocation in
      let x = try invocation.tensor("x")
      return .tensor(
        try invocation.tensorOp {
          guard x.count > 0 else {
            throw TensorError(op: name, "the tensor \(formatShape(x.shape)) is empty")
          }
          guard let axis = invocation.optionalInteger("axis") else {
            return name == "max" ? try x.max() : try x.min()
          }
          return name == "max" ? try x.max(alongAxis: axis) : try x.min(alongAxis: axis)
        })
    }
  }

  static var argmax: CommandSpec {
    CommandSpec(
      name: "argmax", summary: "The index of the largest element along an axis",
      category: .tensorMath,
      parameters: [
        .positional("x", .tensor, "a tensor"),
        .option("axis", .integer, default: .number(-1), "the axis to search"),
      ],
      examples: ["argmax(tensor [[1, 5, 2], [7, 0, 1]])"]
    ) { invocation in
      let x = try invocation.tensor("x")
      let axis = try invocation.integer("axis")
      return .tensor(
        try invocation.tensorOp {
          guard x.count > 0 else { throw TensorError(op: "argmax", "the tensor is empty") }
          return try x.argmax(alongAxis: axis)
        })
    }
  }
}
