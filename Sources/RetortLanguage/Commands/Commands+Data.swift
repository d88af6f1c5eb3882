import Foundation
import RetortNetworks
import RetortTensor

// Datasets: loading (bundled, CSV, NPY, IDX), splitting, filtering classes, standardising,
// and loading model weights (`load weights "f.safetensors" into m`).

extension CommandRegistry {
  static func dataCommands() -> [CommandSpec] {
    [load, split, filter, standardize]
  }

  static var datasetType: ValueType {
    ValueType(name: "dataset", expectation: "a dataset") {
      if case .dataset = $0 { return $0 }
      return nil
    }
  }

  /// The text of an argument written as a bare name (`load weights`), or of a variable named
  /// so when one exists.
  static func resolved(_ value: Value, _ interpreter: Interpreter) -> Value {
    if case .string(let name) = value, let variable = interpreter.scope.lookup(name) {
      return variable
    }
    return value
  }

  static var load: CommandSpec {
    CommandSpec(
      name: "load",
      summary: "Load a dataset (\"digits\", \"fashion-mnist\", .csv, .npy, .idx) or weights",
      category: .data,
      parameters: [
        .variadic("what", .any, "a name or path; or: weights \"file.safetensors\" into model"),
        .option("labels", .string, default: nil, "labels file for .npy and .idx features"),
        .option("label", .string, default: nil, "CSV label column (default: label or last)"),
        .option("split", .string, default: .string("train"), "fashion-mnist: train or test"),
      ],
      examples: ["digits = load \"digits\"\ndigits.shape"],
      longHelp: "\"digits\" is bundled (1797 8x8 images). Files are recognised by extension: "
        + ".csv (one row per example, a label column), .npy or .idx/.gz features with "
        + "labels=\"...\". `load weights \"m.safetensors\" into m` restores a saved model.",
      evaluatesNames: false
    ) { invocation in
      let interpreter = invocation.interpreter
      let words = try invocation.list("what").map { resolved($0, interpreter) }
      if words.count == 4, words[0].stringValue == "weights", words[2].stringValue == "into" {
        guard let path = words[1].stringValue, case .model(let model) = words[3] else {
          throw invocation.error(
            "usage: load weights \"file.safetensors\" into model", at: "what")
        }
        try model.loadWeights(from: URL(fileURLWithPath: path))
        return .none
      }
      guard words.count == 1, let source = words[0].stringValue else {
        throw invocation.error(
          "'load' takes one name or path", at: "what",
          hint: "load \"digits\", load \"data.csv\", or load weights \"m.safetensors\" into m")
      }
      let labelsPath = invocation.value("labels").stringValue
      switch source.lowercased() {
      case "digits": return .dataset(try Dataset.digits())
      case "fashion-mnist", "fashion_mnist":
        let split = try invocation.string("split") == "test" ? DatasetSplit.test : .train
        return .dataset(try Dataset.fashionMNIST(split: split))
      default: break
      }
      let url = URL(fileURLWithPath: source)
      let lower = source.lowercased()
      if lower.hasSuffix(".csv") {
        let column = invocation.value("label").stringValue.map(LabelColumn.named) ?? .automatic
        return .dataset(try Dataset.loadCSV(url, labelColumn: column))
      }
      if lower.hasSuffix(".npy") || lower.hasSuffix(".idx") || lower.contains("ubyte") {
        guard let labelsPath else {
          throw invocation.error(
            "'load' needs labels=\"...\" for \(source)", hint: "name the labels file")
        }
        let labels = URL(fileURLWithPath: labelsPath)
        if lower.hasSuffix(".npy") {
          return .dataset(try Dataset.loadNPY(features: url, labels: labels))
        }
        return .dataset(try Dataset.loadIDX(images: url, labels: labels))
      }
      let known = "known: \"digits\", \"fashion-mnist\", and files ending .csv, .npy, .idx"
      throw invocation.error(
        "cannot tell what \"\(source)\" is", at: "what",
        hint: didYouMean(source, in: ["digits", "fashion-mnist"])
          .map { "did you mean \"\($0)\"? (\(known))" } ?? known)
    }
  }

  static var split: CommandSpec {
    CommandSpec(
      name: "split", summary: "Cut a dataset into parts by fractions (stratified by class)",
      category: .data,
      parameters: [
        .positional("data", datasetType, "the dataset"),
        .positional("fractions", .numbers, "0.8 (two parts) or [0.8, 0.1, 0.1]"),
        .option("stratified", .bool, default: .bool(true), "keep class proportions"),
        .option("seed", .count, default: nil, "shuffle seed (default: from the global seed)"),
      ],
      examples: ["digits = load \"digits\"\ntrain_set, test_set = split digits 0.8\ntrain_set"]
    ) { invocation in
      guard case .dataset(let dataset) = invocation.value("data") else { return .none }
      var fractions = try invocation.list("fractions").compactMap(\.numberValue)
      if fractions.count == 1, let first = fractions.first, first > 0, first < 1 {
        fractions.append(1 - first)
      }
      let seed =
        invocation.optionalInteger("seed").map(UInt64.init)
        ?? invocation.interpreter.generator.next()
      let names: [String]? =
        fractions.count == 2
        ? ["train", "test"]
        : fractions.count == 3 ? ["train", "validation", "test"] : nil
      let parts = try dataset.split(
        fractions: fractions, stratified: try invocation.bool("stratified"), seed: seed,
        names: names?.map { "\(dataset.name)/\($0)" })
      return .list(parts.map(Value.dataset))
    }
  }

  static var filter: CommandSpec {
    CommandSpec(
      name: "filter", summary: "Keep or drop classes of a dataset", category: .data,
      parameters: [
        .positional("data", datasetType, "the dataset"),
        .option("keep", .any, default: nil, "classes to keep: [0, 1] or [\"cat\"]"),
        .option("drop", .any, default: nil, "classes to drop"),
      ],
      examples: ["digits = load \"digits\"\nfilter digits keep=[0, 1]"]
    ) { invocation in
      guard case .dataset(let dataset) = invocation.value("data") else { return .none }
      func classes(_ name: String) throws -> [Int]? {
        let value = invocation.value(name)
        if value.isNone { return nil }
        let items: [Value]
        if case .list(let list) = value { items = list } else { items = [value] }
        return try items.map { item in
          if let index = ValueType.integer.coerce(item)?.numberValue { return Int(index) }
          if let name = item.stringValue { return try dataset.classIndex(named: name) }
          throw invocation.error(
            "classes are numbers or names, got \(Interpreter.describe(item))", at: name)
        }
      }
      if let keep = try classes("keep") { return .dataset(try dataset.keepingClasses(keep)) }
      if let drop = try classes("drop") { return .dataset(try dataset.droppingClasses(drop)) }
      throw invocation.error("'filter' needs keep=[...] or drop=[...]")
    }
  }

  static var standardize: CommandSpec {
    CommandSpec(
      name: "standardize",
      summary: "Scale features to mean 0, std 1 using statistics of a training set",
      category: .data,
      parameters: [
        .positional("data", datasetType, "the dataset to transform"),
        .role("with", "reference", datasetType, required: false, "fit on this (default: data)"),
      ],
      examples: [
        "digits = load \"digits\"\na, b = split digits 0.8\nb = standardize b with a\ninfo b"
      ]
    ) { invocation in
      guard case .dataset(let dataset) = invocation.value("data") else { return .none }
      var reference = dataset
      if case .dataset(let other) = invocation.value("reference") { reference = other }
      return .dataset(try Standardizer(fitting: reference).apply(to: dataset))
    }
  }
}

// MARK: - Dataset attributes

extension Interpreter {
  static func datasetAttributes(_ dataset: Dataset) -> [AttributeSpec] {
    [
      AttributeSpec("shape", "the features' shape [N, ...]") { _ in
        .list(dataset.features.shape.map { .number(Double($0)) })
      },
      AttributeSpec("count", "the number of examples") { _ in .number(Double(dataset.count)) },
      AttributeSpec("classes", "the class names") { _ in
        .list(dataset.classNames.map(Value.string))
      },
      AttributeSpec("features", "the features tensor") { _ in .tensor(dataset.features) },
      AttributeSpec("labels", "the labels as a tensor") { _ in
        .tensor(Tensor(dataset.labels.map(Float.init)))
      },
      AttributeSpec("name", "the dataset's name") { _ in .string(dataset.name) },
    ]
  }
}
