import Foundation
import RetortNetworks
import RetortTensor

// The values a Retort program computes with.
//
// Numbers are one kind (`Double`): `7 / 2` is 3.5. Whether a number is "whole" matters only
// where a command asks for an integer (`epochs=3`), and for display (see `Value.format`).

// MARK: - Value

/// A runtime value.
public enum Value {
  /// A number; integral values print without a fraction (`42`), others in shortest form
  /// (`0.25`, `1e-05`).
  case number(Double)
  /// Text.
  case string(String)
  /// `true` / `false`.
  case bool(Bool)
  /// The absence of a value; statements that compute nothing produce it and it is not shown.
  case none
  /// An ordered list of values.
  case list([Value])
  /// A tensor (shared by reference: `y = x` names the same tensor).
  case tensor(Tensor)
  /// A function defined with `def`.
  case function(UserFunction)
  /// A command used as a value: `f = softmax` then `f(x)`.
  case command(CommandSpec)
  /// A model (shared by reference: `b = a` names the same model; use `copy` for another).
  case model(Sequential)
  /// A layer of a model, reached as `teacher.block2`.
  case layer(ModelLayer)
  /// A layer not yet placed in a model (`conv 16 3` inside `model { }`).
  case layerRecipe(LayerRecipe)
  /// A labelled dataset.
  case dataset(Dataset)
  /// A (composite) distillation loss such as `0.3*ce + 0.7*kd(T=4)`.
  case loss(DistillationLoss)
  /// A model's training record (`student.history`).
  case history(History)
  /// A measured result (`compare`, `sweep`): a table, a chart, named fields.
  case report(Report)

  /// The kind of value for messages, with the shape or length when it helps:
  /// `tensor [4, 64]`, `list of 3`, `number`.
  public var typeName: String {
    switch self {
    case .number: return "number"
    case .string: return "string"
    case .bool: return "bool"
    case .none: return "none"
    case .list(let items): return "list of \(items.count)"
    case .tensor(let tensor): return "tensor \(formatShape(tensor.shape))"
    case .function(let function): return "function '\(function.name)'"
    case .command(let spec): return "command '\(spec.name)'"
    case .model(let model):
      return "model \(formatShape(model.inputShape))→\(formatShape(model.outputShape))"
    case .layer(let layer): return "layer '\(layer.name)'"
    case .layerRecipe(let recipe): return "layer \(recipe.kind)"
    case .dataset(let dataset): return "dataset of \(dataset.count)"
    case .loss: return "loss"
    case .history(let history): return "history of \(history.epochs.count) epochs"
    case .report(let report): return "\(report.kind) report"
    }
  }

  /// The kind without details (`tensor`, `list`), used to pick an attribute table.
  public var kindName: String {
    switch self {
    case .number: return "number"
    case .string: return "string"
    case .bool: return "bool"
    case .none: return "none"
    case .list: return "list"
    case .tensor: return "tensor"
    case .function: return "function"
    case .command: return "command"
    case .model: return "model"
    case .layer, .layerRecipe: return "layer"
    case .dataset: return "dataset"
    case .loss: return "loss"
    case .history: return "history"
    case .report: return "report"
    }
  }

  /// True for `none`.
  public var isNone: Bool {
    if case .none = self { return true }
    return false
  }

  /// The number held, if this is a number.
  public var numberValue: Double? {
    if case .number(let value) = self { return value }
    return nil
  }

  /// The tensor held, if this is a tensor.
  public var tensorValue: Tensor? {
    if case .tensor(let tensor) = self { return tensor }
    return nil
  }

  /// The string held, if this is a string.
  public var stringValue: String? {
    if case .string(let text) = self { return text }
    return nil
  }
}

// MARK: - Equality

extension Value {
  /// Structural equality for numbers, strings, bools, none and lists; identity for tensors,
  /// functions and commands. `==` in the language uses this except for tensors, which compare
  /// element-wise.
  public func isEqual(to other: Value) -> Bool {
    switch (self, other) {
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.bool(let a), .bool(let b)): return a == b
    case (.none, .none): return true
    case (.list(let a), .list(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.isEqual(to: $1) }
    case (.tensor(let a), .tensor(let b)): return a === b
    case (.function(let a), .function(let b)): return a === b
    case (.command(let a), .command(let b)): return a.name == b.name
    case (.model(let a), .model(let b)): return a === b
    case (.layer(let a), .layer(let b)): return a.layer === b.layer
    case (.dataset(let a), .dataset(let b)): return a.id == b.id
    case (.loss(let a), .loss(let b)): return a == b
    case (.history(let a), .history(let b)): return a === b
    case (.report(let a), .report(let b)): return a === b
    default: return false
    }
  }
}

// MARK: - Functions

/// A function defined with `def`: its definition and the scope it closes over.
public final class UserFunction {
  /// The function's name.
  public let name: String
  /// The parsed definition.
  public let definition: FunctionDefinition
  /// The scope the `def` ran in; the body sees its names (lexical closure).
  let closure: Scope

  init(definition: FunctionDefinition, closure: Scope) {
    self.name = definition.name.name
    self.definition = definition
    self.closure = closure
  }

  /// `f(a, b=1)`.
  public var signature: String {
    let parameters = definition.parameters.map { parameter -> String in
      parameter.defaultValue == nil ? parameter.name.name : "\(parameter.name.name)=…"
    }
    return "\(name)(\(parameters.joined(separator: ", ")))"
  }
}

// MARK: - Networks values

/// A layer inside a model, with the name it has there.
public struct ModelLayer {
  /// The model that holds it.
  public let model: Sequential
  /// Its name in the model (`block2`, `linear1`).
  public let name: String
  /// The layer.
  public let layer: Layer
}

/// A layer description waiting for its input shape, made by a layer command (`conv 16 3`).
/// `model { }` builds it once the shape coming in is known.
public struct LayerRecipe {
  /// The layer word (`conv`).
  public let kind: String
  /// How it was written, for display (`conv 16 3 pad=1`).
  public let text: String
  /// Builds the layer for a per-example input shape.
  let build: ([Int], inout SeededGenerator) throws -> Layer
}
