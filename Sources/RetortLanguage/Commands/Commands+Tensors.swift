import Foundation
import RetortTensor

// Commands that create tensors. Sizes are checked against the interpreter's element limit
// before anything is allocated.

extension CommandRegistry {
  static func tensorCreationCommands() -> [CommandSpec] {
    [
      tensor, filled("zeros", 0), filled("ones", 1), random("randn"), random("rand"), arange,
      linspace, eye,
    ]
  }

  /// The `grad=` option shared by the creation commands.
  static var gradOption: ParameterSpec {
    ParameterSpec.option(
      "grad", .bool, default: .bool(false), "record operations for backward")
  }

  static var tensor: CommandSpec {
    CommandSpec(
      name: "tensor", summary: "A tensor from a (nested) list of numbers", category: .tensors,
      parameters: [.positional("values", .tensor, "numbers, e.g. [[1, 2], [3, 4]]"), gradOption],
      examples: ["tensor [[1, 2], [3, 4]]"]
    ) { invocation in
      let source = try invocation.tensor("values")
      let result = source.copy()
      if try invocation.bool("grad") { result.requiresGrad = true }
      return .tensor(result)
    }
  }

  static func filled(_ name: String, _ value: Float) -> CommandSpec {
    CommandSpec(
      name: name, summary: "A tensor of \(value == 0 ? "zeros" : "ones") with the given shape",
      category: .tensors,
      parameters: [.positional("shape", .shape, "the shape, e.g. [2, 3]"), gradOption],
      examples: ["\(name) [2, 3]"]
    ) { invocation in
      let shape = try checkedShape(invocation)
      let result = try Tensor.full(shape, value: value)
      result.requiresGrad = try invocation.bool("grad")
      return .tensor(result)
    }
  }

  static func random(_ name: String) -> CommandSpec {
    let normal = name == "randn"
    return CommandSpec(
      name: name,
      summary: normal
        ? "Random numbers from the standard normal distribution (mean 0, std 1)"
        : "Random numbers uniform in [0, 1)",
      category: .tensors,
      parameters: [.positional("shape", .shape, "the shape, e.g. [4, 64]"), gradOption],
      examples: ["seed 0\n\(name) [2, 3]"],
      longHelp: "Draws from the global generator; `seed` makes the draws repeat."
    ) { invocation in
      let shape = try checkedShape(invocation)
      let result =
        normal
        ? try Tensor.randomNormal(shape, generator: &invocation.interpreter.generator)
        : try Tensor.randomUniform(shape, generator: &invocation.interpreter.generator)
      result.requiresGrad = try invocation.bool("grad")
      return .tensor(result)
    }
  }

  static var arange: CommandSpec {
    CommandSpec(
      name: "arange", summary: "Evenly stepped numbers from start up to (not including) stop",
      category: .tensors,
      parameters: [
        .positional("start", .number, "the first value, or the end when alone"),
        .optionalPositional("stop", .number, "the end (not included)"),
        .optionalPositional("step", .number, default: .number(1), "the step (not 0)"),
      ],
      examples: ["arange 5\narange(0, 1, 0.25)"]
    ) { invocation in
      var start = try invocation.number("start")
      var stop = 0.0
      if let end = invocation.optionalNumber("stop") {
        stop = end
      } else {
        (start, stop) = (0, start)
      }
      let step = invocation.optionalNumber("step") ?? 1
      guard step != 0, step.isFinite else {
        throw invocation.error("the step of 'arange' must be a nonzero number", at: "step")
      }
      let count = ((stop - start) / step).rounded(.up)
      if count.isFinite && count > 0 {
        try invocation.interpreter.checkSize(
          count > 1e15 ? Int.max : Int(count), what: "arange", at: invocation.range)
      }
      return .tensor(
        try invocation.tensorOp { try Tensor.arange(Float(start), Float(stop), step: Float(step)) })
    }
  }

  static var linspace: CommandSpec {
    CommandSpec(
      name: "linspace", summary: "count evenly spaced numbers from start to stop, both included",
      category: .tensors,
      parameters: [
        .positional("start", .number, "the first value"),
        .positional("stop", .number, "the last value"),
        .positional("count", .count, "how many values"),
      ],
      examples: ["linspace 0 1 5"]
    ) { invocation in
      let count = try invocation.integer("count")
      try invocation.interpreter.checkSize(count, what: "linspace", at: invocation.range)
      return .tensor(
        try Tensor.linspace(
          Float(try invocation.number("start")), Float(try invocation.number("stop")),
          count: count))
    }
  }

  static var eye: CommandSpec {
    CommandSpec(
      name: "eye", summary: "The n×n identity matrix", category: .tensors,
      parameters: [.positional("n", .count, "the size")],
      examples: ["eye 3"]
    ) { invocation in
      let n = try invocation.integer("n")
      let (square, overflow) = n.multipliedReportingOverflow(by: n)
      try invocation.interpreter.checkSize(
        overflow ? Int.max : square, what: "eye", at: invocation.range)
      return .tensor(try Tensor.eye(n))
    }
  }

  /// The `shape` argument, refused when its element count exceeds the limit (overflow-safe).
  static func checkedShape(_ invocation: CommandInvocation) throws -> [Int] {
    let shape = try invocation.integers("shape")
    var count = 1
    for extent in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      count = overflow ? Int.max : product
    }
    try invocation.interpreter.checkSize(
      count, what: "a tensor of shape \(formatShape(shape))", at: invocation.range(of: "shape"))
    return shape
  }
}
