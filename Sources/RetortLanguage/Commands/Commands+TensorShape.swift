import Foundation
import RetortTensor

// Tensor functions about shapes, products, selection and gradients.

extension CommandRegistry {
  static var matmul: CommandSpec {
    CommandSpec(
      name: "matmul", summary: "Matrix product (the same as a @ b)", category: .tensorMath,
      parameters: [.positional("a", .tensor, "left operand"), .positional("b", .tensor, "right")],
      examples: ["matmul(eye(2), tensor [[1, 2], [3, 4]])"]
    ) { invocation in
      let a = try invocation.tensor("a")
      let b = try invocation.tensor("b")
      return .tensor(try invocation.tensorOp { try a.matmul(b) })
    }
  }

  static var reshape: CommandSpec {
    CommandSpec(
      name: "reshape", summary: "The same elements in a new shape (-1 infers one extent)",
      category: .tensorMath,
      parameters: [
        .positional("x", .tensor, "a tensor"),
        .positional("shape", .integers, "the new shape, e.g. [2, -1]"),
      ],
      examples: ["reshape(arange(6), [2, -1])"]
    ) { invocation in
      let x = try invocation.tensor("x")
      let shape = try invocation.integers("shape")
      return .tensor(try invocation.tensorOp { try x.reshaped(to: shape) })
    }
  }

  static var transpose: CommandSpec {
    CommandSpec(
      name: "transpose", summary: "Swap two axes (by default the last two)",
      category: .tensorMath,
      parameters: [
        .positional("x", .tensor, "a tensor"),
        .optionalPositional("a", .integer, default: .number(-2), "the first axis"),
        .optionalPositional("b", .integer, default: .number(-1), "the second axis"),
      ],
      examples: ["transpose(tensor [[1, 2, 3]])"]
    ) { invocation in
      let x = try invocation.tensor("x")
      let a = try invocation.integer("a")
      let b = try invocation.integer("b")
      return .tensor(try invocation.tensorOp { x.rank < 2 ? x : try x.transposed(a, b) })
    }
  }

  static var permute: CommandSpec {
    CommandSpec(
      name: "permute", summary: "Reorder the axes", category: .tensorMath,
      parameters: [
        .positional("x", .tensor, "a tensor"),
        .positional("axes", .integers, "the new order, e.g. [0, 2, 1]"),
      ],
      examples: ["shape(permute(zeros [2, 3, 4], [2, 0, 1]))"]
    ) { invocation in
      let x = try invocation.tensor("x")
      let axes = try invocation.integers("axes")
      return .tensor(try invocation.tensorOp { try x.permuted(axes) })
    }
  }

  static func join(_ name: String) -> CommandSpec {
    let stacking = name == "stack"
    return CommandSpec(
      name: name,
      summary: stacking
        ? "Stack tensors of one shape along a new axis"
        : "Join tensors along an existing axis",
      category: .tensorMath,
      parameters: [
        .positional("tensors", .tensors, "a list of tensors"),
        .option("axis", .integer, default: .number(0), "the axis"),
      ],
      examples: ["\(name)([tensor [1, 2], tensor [3, 4]], axis=0)"]
    ) { invocation in
      let tensors = try invocation.list("tensors").compactMap(\.tensorValue)
      let axis = try invocation.integer("axis")
      let total = tensors.reduce(0) { $0 + $1.count }
      try invocation.interpreter.checkSize(total, what: name, at: invocation.range)
      return .tensor(
        try invocation.tensorOp {
          stacking
            ? try Tensor.stack(tensors, alongAxis: axis)
            : try Tensor.concatenate(tensors, alongAxis: axis)
        })
    }
  }

  static var oneHot: CommandSpec {
    CommandSpec(
      name: "one_hot", summary: "Class labels as rows of 0s with a 1 at the label",
      category: .tensorMath,
      parameters: [
        .positional("labels", .integers, "class indices"),
        .positional("classes", .positiveInteger, "the number of classes"),
      ],
      examples: ["one_hot([0, 2], 3)"]
    ) { invocation in
      let labels = try invocation.integers("labels")
      let classes = try invocation.integer("classes")
      let (count, overflow) = labels.count.multipliedReportingOverflow(by: classes)
      try invocation.interpreter.checkSize(
        overflow ? Int.max : count, what: "one_hot", at: invocation.range)
      return .tensor(try invocation.tensorOp { try Tensor.oneHot(labels, classes: classes) })
    }
  }

  static var clamp: CommandSpec {
    CommandSpec(
      name: "clamp", summary: "Limit each element to [min, max]", category: .tensorMath,
      parameters: [
        .positional("x", .tensor, "a tensor"),
        .option("min", .number, default: nil, "the lower bound (none: no bound)"),
        .option("max", .number, default: nil, "the upper bound (none: no bound)"),
      ],
      examples: ["clamp(tensor [-2, 0.5, 3], min=0, max=1)"]
    ) { invocation in
      let x = try invocation.tensor("x")
      let lower = invocation.optionalNumber("min").map(Float.init) ?? -.infinity
      let upper = invocation.optionalNumber("max").map(Float.init) ?? .infinity
      guard lower <= upper else {
        throw invocation.error("'clamp' needs min <= max, got min \(lower) and max \(upper)")
      }
      return .tensor(x.clamped(min: lower, max: upper))
    }
  }

  static var whereCommand: CommandSpec {
    CommandSpec(
      name: "where", summary: "Pick from a where cond is nonzero, else from b (broadcasting)",
      category: .tensorMath,
      parameters: [
        .positional("cond", .tensor, "a 0/1 tensor, e.g. x > 0"),
        .positional("a", .tensor, "values where cond holds"),
        .positional("b", .tensor, "values elsewhere"),
      ],
      examples: ["x = tensor [-1, 2, -3]\nwhere(x > 0, x, 0)"]
    ) { invocation in
      let condition = try invocation.tensor("cond")
      let a = try invocation.tensor("a")
      let b = try invocation.tensor("b")
      return .tensor(try invocation.tensorOp { try Tensor.select(condition, a, b) })
    }
  }

  static var backward: CommandSpec {
    CommandSpec(
      name: "backward",
      summary: "Back-propagate from a scalar, filling .grad of the tensors it came from",
      category: .tensorMath,
      parameters: [.positional("x", .tensor, "a one-element result, e.g. a loss")],
      examples: ["w = tensor [1.0, 2.0] grad=true\nloss = sum(w * w)\nbackward loss\nw.grad"]
    ) { invocation in
      let x = try invocation.tensor("x")
      guard x.requiresGrad else {
        throw invocation.error(
          "'backward' needs a result computed from tensors that record gradients", at: "x",
          hint: "create them with grad=true (randn [3] grad=true) or requires_grad(w)")
      }
      guard x.count == 1 else {
        throw invocation.error(
          "'backward' needs a single number, got a tensor \(formatShape(x.shape))", at: "x",
          hint: "reduce it first, e.g. backward sum(y) or backward mean(y)")
      }
      try invocation.tensorOp { try x.backward() }
      return .none
    }
  }

  static var requiresGrad: CommandSpec {
    CommandSpec(
      name: "requires_grad",
      summary: "Mark a tensor so operations on it record gradients; returns it",
      category: .tensorMath,
      parameters: [.positional("x", .tensor, "a tensor you created")],
      examples: ["w = requires_grad(tensor [3.0])\nbackward(w * w)\nw.grad"]
    ) { invocation in
      let x = try invocation.tensor("x")
      guard x.isLeaf else {
        throw invocation.error(
          "'requires_grad' applies to tensors you created, not to computed results", at: "x",
          hint: "mark the inputs instead, or use detach(x) to start afresh")
      }
      x.requiresGrad = true
      return .tensor(x)
    }
  }
}
