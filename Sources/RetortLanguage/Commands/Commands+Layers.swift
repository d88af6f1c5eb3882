import Foundation
import RetortNetworks
import RetortTensor

// Layer words for `model { }` bodies. Each makes a `LayerRecipe`; the model builds it once
// the shape flowing in is known, so `conv 32 3` needs no input channel count and `linear 10`
// no input width. Activation words given a tensor apply the function instead (`relu(x)`).

extension CommandRegistry {
  static func layerCommands() -> [CommandSpec] {
    [
      conv, linear, pool("maxpool"), pool("avgpool"), flatten, dropout, batchnorm, layernorm,
      gap, residual,
    ]
  }

  static func recipe(
    _ kind: String, _ text: String,
    _ build: @escaping ([Int], inout SeededGenerator) throws -> Layer
  ) -> Value {
    .layerRecipe(LayerRecipe(kind: kind, text: text, build: build))
  }

  /// `conv 16 3 stride=1 pad=1`.
  static var conv: CommandSpec {
    CommandSpec(
      name: "conv", summary: "2-D convolution layer: out_channels kernel_size", category: .layers,
      parameters: [
        .positional("channels", .positiveInteger, "output channels"),
        .positional("kernel", .positiveInteger, "kernel size (square)"),
        .option("stride", .positiveInteger, default: .number(1), "step between windows"),
        .option("pad", .count, default: .number(0), "zero padding on each side"),
        .option("bias", .bool, default: .bool(true), "add a learned bias"),
      ],
      examples: ["model input=[1, 8, 8] { conv 16 3 pad=1; relu; flatten; linear 10 }"]
    ) { invocation in
      let (out, kernel) = (try invocation.integer("channels"), try invocation.integer("kernel"))
      let (stride, pad) = (try invocation.integer("stride"), try invocation.integer("pad"))
      let bias = try invocation.bool("bias")
      return recipe("conv", "conv \(out) \(kernel) stride=\(stride) pad=\(pad)") { shape, g in
        guard shape.count == 3 else {
          throw ModelError(
            layer: "conv", "expected an image input [C, H, W], got \(formatShape(shape))",
            hint: "give the model input=[1, 8, 8], or flatten only after the convolutions")
        }
        return try Conv2d(
          shape[0], out, kernelSize: kernel, stride: stride, padding: pad, bias: bias,
          generator: &g)
      }
    }
  }

  /// `linear 10`.
  static var linear: CommandSpec {
    CommandSpec(
      name: "linear", summary: "Fully connected layer with the given output width",
      category: .layers,
      parameters: [
        .positional("width", .positiveInteger, "output features"),
        .option("bias", .bool, default: .bool(true), "add a learned bias"),
      ],
      examples: ["model input=[64] { linear 32; relu; linear 10 }"]
    ) { invocation in
      let width = try invocation.integer("width")
      let bias = try invocation.bool("bias")
      return recipe("linear", "linear \(width)") { shape, g in
        guard shape.count == 1, let features = shape.first else {
          throw ModelError(
            layer: "linear", "expected flat features [F], got \(formatShape(shape))",
            hint: "put 'flatten' before 'linear'")
        }
        return try Linear(features, width, bias: bias, generator: &g)
      }
    }
  }

  static func pool(_ name: String) -> CommandSpec {
    let isMax = name == "maxpool"
    return CommandSpec(
      name: name, summary: isMax ? "Max pooling over square windows" : "Average pooling",
      category: .layers,
      parameters: [
        .positional("kernel", .positiveInteger, "window size"),
        .option("stride", .positiveInteger, default: nil, "step (default: the window size)"),
        .option("pad", .count, default: .number(0), "padding"),
      ],
      examples: ["model input=[1, 8, 8] { conv 4 3 pad=1; \(name) 2; flatten; linear 10 }"]
    ) { invocation in
      let kernel = try invocation.integer("kernel")
      let stride = invocation.optionalInteger("stride")
      let pad = try invocation.integer("pad")
      return recipe(name, "\(name) \(kernel)") { _, _ in
        if isMax { return try MaxPool2d(kernelSize: kernel, stride: stride, padding: pad) }
        return try AvgPool2d(kernelSize: kernel, stride: stride, padding: pad)
      }
    }
  }

  static var flatten: CommandSpec {
    CommandSpec(
      name: "flatten", summary: "Flatten each example to a vector", category: .layers,
      examples: ["model input=[1, 8, 8] { flatten; linear 10 }"]
    ) { _ in recipe("flatten", "flatten") { _, _ in Flatten() } }
  }

  static var gap: CommandSpec {
    CommandSpec(
      name: "gap", summary: "Global average pooling: [C, H, W] to [C]", category: .layers,
      examples: ["model input=[1, 8, 8] { conv 8 3; gap; linear 10 }"]
    ) { _ in recipe("gap", "gap") { _, _ in GlobalAvgPool() } }
  }

  static var dropout: CommandSpec {
    CommandSpec(
      name: "dropout", summary: "Zero a fraction of activations while training",
      category: .layers,
      parameters: [.positional("p", .probability, "the fraction dropped")],
      examples: ["model input=[64] { linear 32; relu; dropout 0.2; linear 10 }"]
    ) { invocation in
      let p = try invocation.number("p")
      return recipe("dropout", "dropout \(Value.format(number: p))") { _, _ in
        try Dropout(Float(p))
      }
    }
  }

  static var batchnorm: CommandSpec {
    CommandSpec(
      name: "batchnorm", summary: "Batch normalisation (1-D or 2-D from the input shape)",
      category: .layers,
      examples: ["model input=[1, 8, 8] { conv 8 3; batchnorm; relu; flatten; linear 10 }"]
    ) { _ in
      recipe("batchnorm", "batchnorm") { shape, _ in
        guard let channels = shape.first else {
          throw ModelError(layer: "batchnorm", "expected features, got a scalar")
        }
        return shape.count == 3 ? try BatchNorm2d(channels) : try BatchNorm1d(channels)
      }
    }
  }

  static var layernorm: CommandSpec {
    CommandSpec(
      name: "layernorm", summary: "Layer normalisation over each example's features",
      category: .layers,
      examples: ["model input=[64] { linear 32; layernorm; relu; linear 10 }"]
    ) { _ in recipe("layernorm", "layernorm") { shape, _ in try LayerNorm(shape) } }
  }

  static var residual: CommandSpec {
    CommandSpec(
      name: "residual", summary: "A ResNet basic block: two 3x3 convolutions and a shortcut",
      category: .layers,
      parameters: [
        .positional("channels", .positiveInteger, "output channels"),
        .option("stride", .positiveInteger, default: .number(1), "stride of the first conv"),
      ],
      examples: ["model input=[1, 8, 8] { conv 8 3 pad=1; residual 8; gap; linear 10 }"]
    ) { invocation in
      let channels = try invocation.integer("channels")
      let stride = try invocation.integer("stride")
      return recipe("residual", "residual \(channels)") { shape, g in
        guard shape.count == 3 else {
          throw ModelError(
            layer: "residual", "expected an image input [C, H, W], got \(formatShape(shape))")
        }
        return try ResidualBlock(shape[0], channels, stride: stride, generator: &g)
      }
    }
  }

  /// An activation word: `relu(x)` applies it, bare `relu` in a model body is a layer.
  static func activation(
    _ name: String, _ summary: String, _ function: Activation.Function,
    _ op: @escaping (Tensor) -> Tensor
  ) -> CommandSpec {
    CommandSpec(
      name: name, summary: summary, category: .tensorMath,
      parameters: [.optionalPositional("x", .tensor, "a tensor (none: the layer)")],
      examples: ["\(name)(tensor [-1, 0.5, 2])\nmodel input=[4] { linear 3; \(name); linear 2 }"],
      longHelp: "With a tensor it applies the function; alone (inside model { }) it is a layer."
    ) { invocation in
      guard let x = invocation.optionalTensor("x") else {
        return recipe(name, name) { _, _ in try Activation(function) }
      }
      return .tensor(op(x))
    }
  }
}
