import Foundation
import RetortNetworks
import RetortTensor

// Models: builders (mlp, cnn, resnet, model { }), copies, summaries, predictions,
// evaluation and weights files. Models apply like functions: `teacher(x)`.

extension CommandRegistry {
  static func modelCommands() -> [CommandSpec] {
    [mlp, cnn, resnet, modelCommand, copy, summary, predict, evaluate, save]
  }

  static var modelType: ValueType {
    ValueType(name: "model", expectation: "a model") {
      if case .model = $0 { return $0 }
      return nil
    }
  }

  static var mlp: CommandSpec {
    CommandSpec(
      name: "mlp", summary: "A multilayer perceptron from its layer widths", category: .models,
      parameters: [
        .positional("widths", .shape, "input width, hidden widths, classes: [64, 32, 10]"),
        .option("dropout", .probability, default: .number(0), "dropout after each hidden layer"),
        .option("activation", .string, default: .string("relu"), "relu, gelu, tanh or sigmoid"),
        .option("input", .shape, default: nil, "per-example input shape, e.g. [1, 8, 8]"),
      ],
      examples: ["student = mlp [64, 32, 10]\nstudent"]
    ) { invocation in
      let widths = try invocation.integers("widths")
      let input = invocation.value("input").isNone ? nil : try invocation.integers("input")
      let dropout = Float(try invocation.number("dropout"))
      let activation = try invocation.string("activation")
      return .model(
        try invocation.interpreter.withGenerator {
          try Sequential.mlp(
            widths: widths, activation: activation, dropout: dropout, inputShape: input,
            generator: &$0)
        })
    }
  }

  static var cnn: CommandSpec {
    CommandSpec(
      name: "cnn", summary: "A small CNN: conv-relu-maxpool blocks, then a linear classifier",
      category: .models,
      parameters: [
        .option(
          "input", .shape, default: .list([.number(1), .number(8), .number(8)]), "[C, H, W]"),
        .option("channels", .shape, default: .list([.number(16), .number(32)]), "per block"),
        .option("classes", .positiveInteger, default: .number(10), "number of classes"),
      ],
      examples: ["cnn input=[1, 8, 8] channels=[8, 16]"], bareNameInvokes: false
    ) { invocation in
      let input = try invocation.integers("input")
      let channels = try invocation.integers("channels")
      let classes = try invocation.integer("classes")
      return .model(
        try invocation.interpreter.withGenerator {
          try Sequential.smallCNN(
            inputShape: input, channels: channels, classes: classes, generator: &$0)
        })
    }
  }

  static var resnet: CommandSpec {
    CommandSpec(
      name: "resnet", summary: "A CIFAR-style ResNet of depth 8, 14 or 20", category: .models,
      parameters: [
        .positional("depth", .positiveInteger, "8, 14 or 20"),
        .option(
          "input", .shape, default: .list([.number(1), .number(8), .number(8)]), "[C, H, W]"),
        .option("classes", .positiveInteger, default: .number(10), "number of classes"),
        .option("width", .positiveNumber, default: .number(1), "channel multiplier"),
      ],
      examples: ["resnet 8 width=0.25"]
    ) { invocation in
      let depth = try invocation.integer("depth")
      let input = try invocation.integers("input")
      let classes = try invocation.integer("classes")
      let width = try invocation.number("width")
      return .model(
        try invocation.interpreter.withGenerator {
          try Sequential.resnet(
            depth: depth, inputShape: input, classes: classes, widthMultiplier: width,
            generator: &$0)
        })
    }
  }

  /// `model input=[1, 8, 8] { conv 16 3 pad=1; relu; block2: conv 32 3; flatten; linear 10 }`.
  static var modelCommand: CommandSpec {
    CommandSpec(
      name: "model", summary: "A model from layer commands in a block, top to bottom",
      category: .models,
      parameters: [.option("input", .shape, default: nil, "per-example input shape")],
      acceptsBlock: true,
      examples: [
        "cnn_model = model input=[1, 8, 8] {\n  conv 16 3 pad=1; relu\n"
          + "  block2: conv 32 3 pad=1; relu; maxpool 2\n  flatten; linear 10\n}\n"
          + "cnn_model.block2"
      ],
      longHelp: "Each statement of the block is a layer command; `name: layer` names it so "
        + "it can be reached as model.name (for hint losses). Shapes are inferred."
    ) { invocation in
      guard let block = invocation.block else {
        throw invocation.error(
          "'model' needs a block of layers", hint: "model input=[64] { linear 32; relu; linear 10 }"
        )
      }
      guard case .list = invocation.value("input") else {
        throw invocation.error(
          "'model' needs the shape of one example", hint: "add input=[64] or input=[1, 8, 8]")
      }
      let input = try invocation.integers("input")
      let interpreter = invocation.interpreter
      var recipes: [(String?, LayerRecipe, SourceRange)] = []
      for statement in block.statements {
        try interpreter.tick(statement.range)
        guard case .command(let command) = statement.kind else {
          throw RuntimeError(
            "a model body holds layer commands only", at: statement.range,
            hint: "e.g. conv 16 3 pad=1; relu; flatten; linear 10")
        }
        let value = try interpreter.runCommand(command)
        guard case .layerRecipe(let recipe) = value else {
          throw RuntimeError(
            "'\(command.verb.name)' is not a layer", at: command.verb.range,
            hint: "layers: conv, linear, relu, maxpool, avgpool, flatten, dropout, batchnorm, "
              + "layernorm, gelu, tanh, sigmoid, softmax, gap, residual")
        }
        recipes.append((statement.label?.name, recipe, statement.range))
      }
      var shape = input
      var layers: [Layer] = []
      let modelSeed = invocation.interpreter.generator.next()
      try invocation.interpreter.withGenerator { generator in
        for (_, recipe, range) in recipes {
          do {
            let layer = try recipe.build(shape, &generator)
            shape = try layer.outputShape(for: shape)
            layers.append(layer)
          } catch {
            throw RuntimeError.from(error, at: range)
          }
        }
      }
      return .model(
        try Sequential(
          inputShape: input, layers: layers, names: recipes.map(\.0), seed: modelSeed))
    }
  }

  static var copy: CommandSpec {
    CommandSpec(
      name: "copy", summary: "An independent copy of a model (same weights, own storage)",
      category: .models, parameters: [.positional("model", modelType, "the model")],
      examples: ["student = mlp [64, 32, 10]\nbaseline = copy student"]
    ) { invocation in
      guard case .model(let model) = invocation.value("model") else { return .none }
      return .model(model.deepCopy())
    }
  }

  static var summary: CommandSpec {
    CommandSpec(
      name: "summary", summary: "The layers of a model with output shapes and parameters",
      category: .models, parameters: [.positional("model", modelType, "the model")],
      examples: ["summary(mlp [64, 32, 10])"]
    ) { invocation in
      guard case .model(let model) = invocation.value("model") else { return .none }
      invocation.interpreter.write(model.summary())
      return .none
    }
  }

  /// Runs a model on a batch (or one example) in evaluation mode.
  static func forward(_ model: Sequential, _ input: Tensor) throws -> Tensor {
    let wasTraining = model.isTraining
    model.eval()
    defer { if wasTraining { model.train() } }
    if input.shape == model.inputShape {
      return try model(input.unsqueezed(at: 0)).squeezed(axes: [0])
    }
    return try model(model.conformingBatch(input))
  }

  static var predict: CommandSpec {
    CommandSpec(
      name: "predict", summary: "Class predictions (argmax of the logits) of a model",
      category: .models,
      parameters: [
        .positional("model", modelType, "the model"),
        .role("on", "data", .any, "a dataset or a tensor batch"),
      ],
      examples: ["m = mlp [4, 3]\nx = tensor [[1, 2, 3, 4]]\npredict m on x"]
    ) { invocation in
      guard case .model(let model) = invocation.value("model") else { return .none }
      let input: Tensor
      switch invocation.value("data") {
      case .dataset(let dataset): input = dataset.features
      case let other:
        guard let tensor = tensorFrom(other) else {
          throw invocation.error("'predict' needs a dataset or a tensor", at: "data")
        }
        input = tensor
      }
      let logits = try Tensor.withoutGradients { try forward(model, input) }
      return .tensor(try logits.argmax(alongAxis: -1))
    }
  }

  static var evaluate: CommandSpec {
    CommandSpec(
      name: "evaluate", summary: "Accuracy and mean cross-entropy of a model on a dataset",
      category: .models,
      parameters: [
        .positional("model", modelType, "the model"),
        .role("on", "data", .any, "a dataset"),
      ],
      examples: [
        "digits = load \"digits\"\nm = mlp [64, 10]\nevaluate m on digits\n"
          + "acc = evaluate(m, digits)"
      ],
      longHelp: "Writes a one-row table and returns the accuracy (a number from 0 to 1).",
      showsResult: false
    ) { invocation in
      guard case .model(let model) = invocation.value("model") else { return .none }
      guard case .dataset(let dataset) = invocation.value("data") else {
        throw invocation.error(
          "'evaluate' expects a dataset for 'on', got "
            + Interpreter.describe(invocation.value("data")), at: "data",
          hint: "load one with: digits = load \"digits\"")
      }
      let logits = try Trainer.predict(model, on: dataset)
      let accuracy = try Metrics.accuracy(logits, labels: dataset.labels)
      let loss = try Metrics.negativeLogLikelihood(
        logits: logits, labels: dataset.labels)
      invocation.interpreter.writeTable(
        headers: ["dataset", "examples", "accuracy", "loss"],
        rows: [
          [
            dataset.name, String(dataset.count), String(format: "%.2f%%", accuracy * 100),
            String(format: "%.4f", loss),
          ]
        ])
      return .number(accuracy)
    }
  }

  static var save: CommandSpec {
    CommandSpec(
      name: "save", summary: "Save a model's weights to a .safetensors file", category: .models,
      parameters: [
        .positional("model", modelType, "the model"),
        .optionalPositional("path", .string, "the file, e.g. \"student.safetensors\""),
        .role("to", "destination", .string, required: false, "the file (alternative to path)"),
      ],
      examples: ["m = mlp [4, 2]\nsave m to \"/tmp/retort-example.safetensors\""]
    ) { invocation in
      guard case .model(let model) = invocation.value("model") else { return .none }
      guard
        let path = invocation.value("path").stringValue
          ?? invocation.value("destination").stringValue
      else {
        throw invocation.error(
          "'save' needs a file name", hint: "save student \"student.safetensors\"")
      }
      try model.saveWeights(to: URL(fileURLWithPath: path))
      invocation.interpreter.write("saved \(model.parameterCount) parameters to \(path)")
      return .none
    }
  }
}

// MARK: - Calling models and their attributes

extension Interpreter {
  /// `teacher(x)`: a model or one of its layers applied to a tensor (evaluation mode).
  func applyModel(
    _ callee: Value, positional: [(Value, SourceRange)],
    keywords: [(Identifier, Value, SourceRange)], at range: SourceRange
  ) throws -> Value {
    guard positional.count == 1, keywords.isEmpty, let argument = positional.first,
      let input = tensorFrom(argument.0)
    else {
      throw RuntimeError(
        "a \(callee.typeName) takes one tensor", at: range, hint: "e.g. teacher(x)")
    }
    return try wrapTensor(at: range) {
      switch callee {
      case .model(let model):
        return .tensor(try CommandRegistry.forward(model, input))
      case .layer(let layer):
        return .tensor(try layer.layer(input))
      default:
        return .none
      }
    }
  }

  /// Attributes of models: their layers by name, plus `layers`, `input_shape`, ...
  static func modelAttributes(_ model: Sequential) -> [AttributeSpec] {
    let layers = zip(model.layerNames, model.layers).map { name, layer in
      Value.layer(ModelLayer(model: model, name: name, layer: layer))
    }
    var table = [
      AttributeSpec("layers", "the layers in order") { _ in .list(layers) },
      AttributeSpec("input_shape", "the shape of one example") { _ in
        .list(model.inputShape.map { .number(Double($0)) })
      },
      AttributeSpec("output_shape", "the shape of one output") { _ in
        .list(model.outputShape.map { .number(Double($0)) })
      },
      AttributeSpec("parameters", "the number of parameters") { _ in
        .number(Double(model.parameterCount))
      },
      AttributeSpec("history", "every epoch it was trained for") { _ in .history(model.history) },
    ]
    for (name, value) in zip(model.layerNames, layers) {
      table.append(AttributeSpec(name, "a layer") { _ in value })
    }
    return table
  }

  /// Attributes of a layer: its name, kind and parameters (`weight`, `bias`).
  static func layerAttributes(_ layer: ModelLayer) -> [AttributeSpec] {
    var table = [
      AttributeSpec("name", "the layer's name in its model") { _ in .string(layer.name) },
      AttributeSpec("kind", "the layer type") { _ in .string(layer.layer.kind) },
    ]
    for parameter in layer.layer.stateEntries {
      table.append(AttributeSpec(parameter.name, "a parameter") { _ in .tensor(parameter.tensor) })
    }
    return table
  }
}
