import Foundation
import RetortNetworks
import RetortTensor

// Basic commands: seed, print, help, info, shape, len, type, range.

extension CommandRegistry {
  static func basicCommands() -> [CommandSpec] {
    [seed, printCommand, help, info, shape, len, type, range]
  }

  static var seed: CommandSpec {
    CommandSpec(
      name: "seed", summary: "Seed the random generator so results repeat exactly",
      category: .basics,
      parameters: [.positional("value", .count, "the seed, a whole number of at least 0")],
      examples: ["seed 42\nrandn [2]"],
      longHelp: "Every random draw after it (randn, rand, weight initialisation, shuffling) "
        + "follows from the seed."
    ) { invocation in
      let seed = UInt64(try invocation.integer("value"))
      invocation.interpreter.generator = SeededGenerator(seed: seed)
      // The global generator too, for library code that draws from it.
      SeededGenerator.seedGlobal(seed)
      return .none
    }
  }

  static var printCommand: CommandSpec {
    CommandSpec(
      name: "print", summary: "Write values as text, separated by spaces", category: .basics,
      parameters: [.variadic("values", .any, "the values to write")],
      examples: ["T = 4\nprint \"T={T}\" [1, 2]"],
      longHelp: "Strings are written as they are, tensors in full. Inside a string, {expr} "
        + "inserts a value compactly."
    ) { invocation in
      let items = try invocation.list("values")
      invocation.interpreter.write(items.map(\.printed).joined(separator: " "))
      return .none
    }
  }

  static var help: CommandSpec {
    CommandSpec(
      name: "help", summary: "List the commands, or explain one", category: .basics,
      parameters: [.optionalPositional("command", .any, "a command name")],
      examples: ["help softmax"], evaluatesNames: false
    ) { invocation in
      let registry = invocation.interpreter.commandRegistry
      let name: String?
      switch invocation.value("command") {
      case .string(let text): name = text
      case .command(let spec): name = spec.name
      case .none: name = nil
      default:
        throw invocation.error("help takes a command name", at: "command", hint: "e.g. help train")
      }
      guard let name else {
        invocation.interpreter.write(registry.helpOverview())
        return .none
      }
      guard let text = registry.help(for: name) else {
        throw invocation.error(
          "no command named '\(name)'", at: "command",
          hint: didYouMean(name, in: registry.names).map { "did you mean '\($0)'?" }
            ?? "type 'help' for the list of commands")
      }
      invocation.interpreter.write(text)
      return .none
    }
  }

  static var info: CommandSpec {
    CommandSpec(
      name: "info", summary: "Describe a value: kind, shape and summary statistics",
      category: .basics, parameters: [.positional("value", .any, "the value to describe")],
      examples: ["x = tensor [[1, 2], [3, 4]]\ninfo x"]
    ) { invocation in
      let value = invocation.value("value")
      var lines = [value.typeName]
      if case .tensor(let tensor) = value, tensor.count > 0 {
        let scalars = tensor.scalars
        let mean = scalars.reduce(0, +) / Float(scalars.count)
        func f(_ x: Float) -> String { String(format: "%.4g", Double(x)) }
        lines.append("elements: \(tensor.count)")
        lines.append(
          "min \(f(scalars.min() ?? 0))  max \(f(scalars.max() ?? 0))  mean \(f(mean))")
        if tensor.requiresGrad { lines.append("requires grad") }
      }
      switch value {
      case .dataset(let dataset): lines = [dataset.info]
      case .model(let model): lines = [model.summary()]
      case .history(let history): lines = [Value.historyTable(history)]
      default: break
      }
      invocation.interpreter.write(lines.joined(separator: "\n"))
      return .none
    }
  }

  static var shape: CommandSpec {
    CommandSpec(
      name: "shape", summary: "The shape of a tensor, as a list", category: .basics,
      parameters: [.positional("x", .tensor, "a tensor")],
      examples: ["shape(zeros [2, 3])"]
    ) { invocation in
      .list(try invocation.tensor("x").shape.map { .number(Double($0)) })
    }
  }

  static var len: CommandSpec {
    CommandSpec(
      name: "len", summary: "The length of a list or string, or the first axis of a tensor",
      category: .basics, parameters: [.positional("value", .any, "a list, string or tensor")],
      examples: ["len([1, 2, 3])"]
    ) { invocation in
      switch invocation.value("value") {
      case .list(let items): return .number(Double(items.count))
      case .string(let text): return .number(Double(text.count))
      case .tensor(let tensor): return .number(Double(tensor.shape.first ?? 1))
      case let other:
        throw invocation.error(
          "'len' expects a list, string or tensor, got \(Interpreter.describe(other))",
          at: "value")
      }
    }
  }

  static var type: CommandSpec {
    CommandSpec(
      name: "type", summary: "The kind of a value, as a string", category: .basics,
      parameters: [.positional("value", .any, "any value")],
      examples: ["type(randn [4, 64])"]
    ) { invocation in
      .string(invocation.value("value").typeName)
    }
  }

  static var range: CommandSpec {
    CommandSpec(
      name: "range", summary: "A list of whole numbers: range(3) is [0, 1, 2]",
      category: .basics,
      parameters: [
        .positional("start", .integer, "the first number, or the end when alone"),
        .optionalPositional("stop", .integer, "the end (not included)"),
        .optionalPositional("step", .integer, default: .number(1), "the step (not 0)"),
      ],
      examples: ["range(5)\nrange(1, 10, 3)"]
    ) { invocation in
      var start = try invocation.integer("start")
      var stop = 0
      if let end = invocation.optionalInteger("stop") {
        stop = end
      } else {
        (start, stop) = (0, start)
      }
      let step = invocation.optionalInteger("step") ?? 1
      guard step != 0 else { throw invocation.error("the step of 'range' cannot be 0", at: "step") }
      let count = max(0, (stop - start + step + (step > 0 ? -1 : 1)) / step)
      try invocation.interpreter.checkSize(count, what: "range", at: invocation.range)
      return .list(stride(from: start, to: stop, by: step).map { .number(Double($0)) })
    }
  }
}
