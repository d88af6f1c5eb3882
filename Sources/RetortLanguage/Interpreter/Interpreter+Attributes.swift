import Foundation
import RetortNetworks
import RetortTensor

// Attribute access (`x.shape`, `items.length`). Each kind of value has a table of named
// attributes; adding one is adding an entry to `attributes(of:)`.

/// One readable attribute of a kind of value.
public struct AttributeSpec {
  /// The name after the dot.
  public var name: String
  /// One line for help and completion.
  public var doc: String
  /// Reads the attribute.
  public var get: (Value) throws -> Value

  /// Creates an attribute.
  public init(_ name: String, _ doc: String, get: @escaping (Value) throws -> Value) {
    self.name = name
    self.doc = doc
    self.get = get
  }
}

extension Interpreter {
  /// The attributes a value has, by kind.
  public func attributes(of value: Value) -> [AttributeSpec] {
    switch value {
    case .tensor: return Interpreter.tensorAttributes
    case .list(let items):
      return [
        AttributeSpec("length", "the number of elements") { _ in .number(Double(items.count)) }
      ]
    case .string(let text):
      return [
        AttributeSpec("length", "the number of characters") { _ in .number(Double(text.count)) }
      ]
    case .function(let function):
      return [AttributeSpec("name", "the function's name") { _ in .string(function.name) }]
    case .command(let spec):
      return [
        AttributeSpec("name", "the command word") { _ in .string(spec.name) },
        AttributeSpec("summary", "what the command does") { _ in .string(spec.summary) },
      ]
    case .model(let model): return Interpreter.modelAttributes(model)
    case .layer(let layer): return Interpreter.layerAttributes(layer)
    case .dataset(let dataset): return Interpreter.datasetAttributes(dataset)
    case .history(let history): return Interpreter.historyAttributes(history)
    case .report(let report):
      return report.fields.map { field in
        AttributeSpec(field.name, field.doc) { _ in field.value }
      }
    default:
      return []
    }
  }

  /// `base.name`, or an error listing the attributes `base` has.
  func attribute(_ name: Identifier, of base: Value, at range: SourceRange) throws -> Value {
    let table = attributes(of: base)
    if let entry = table.first(where: { $0.name == name.name }) {
      return try wrapTensor(at: range) { try entry.get(base) }
    }
    let names = table.map(\.name)
    var hint = didYouMean(name.name, in: names).map { "did you mean '\($0)'?" }
    if hint == nil {
      hint =
        names.isEmpty
        ? "\(base.kindName) values have no attributes"
        : "\(base.kindName) attributes: \(names.joined(separator: ", "))"
    }
    throw RuntimeError(
      "\(describe(base)) has no attribute '\(name.name)'", at: name.range, hint: hint)
  }

  /// `shape`, `rank`, `T`, `grad`, ...
  static var tensorAttributes: [AttributeSpec] {
    [
      AttributeSpec("shape", "the extent of each axis, as a list") { value in
        .list((value.tensorValue?.shape ?? []).map { .number(Double($0)) })
      },
      AttributeSpec("rank", "the number of axes") { value in
        .number(Double(value.tensorValue?.rank ?? 0))
      },
      AttributeSpec("count", "the number of elements") { value in
        .number(Double(value.tensorValue?.count ?? 0))
      },
      AttributeSpec("T", "the transpose (last two axes swapped; rank 0 and 1 unchanged)") { value in
        guard let tensor = value.tensorValue else { return value }
        return .tensor(tensor.rank < 2 ? tensor : try tensor.transposed())
      },
      AttributeSpec("grad", "the gradient from the last backward, or none") { value in
        value.tensorValue?.grad.map(Value.tensor) ?? .none
      },
      AttributeSpec("requires_grad", "whether gradients are recorded for it") { value in
        .bool(value.tensorValue?.requiresGrad ?? false)
      },
      AttributeSpec("item", "the single number of a one-element tensor") { value in
        guard let tensor = value.tensorValue else { return .none }
        return .number(Double(try tensor.item()))
      },
      AttributeSpec("values", "the elements as a (nested) list of numbers") { value in
        guard let tensor = value.tensorValue else { return .none }
        return Interpreter.nestedList(tensor)
      },
    ]
  }

  /// One attribute per series (`loss`, `accuracy`, `val_loss`, a loss term), as a tensor.
  static func historyAttributes(_ history: History) -> [AttributeSpec] {
    var specs = history.seriesNames.map { name in
      AttributeSpec(name, "the \(name) of every epoch, as a tensor") { _ in
        .tensor(Tensor((history.series(named: name) ?? []).map { Float($0) }))
      }
    }
    specs.append(
      AttributeSpec("epochs", "the number of epochs recorded") { _ in
        .number(Double(history.epochs.count))
      })
    return specs
  }

  /// A tensor as nested lists of numbers.
  static func nestedList(_ tensor: Tensor) -> Value {
    func build(_ axis: Int, _ offset: Int, _ stride: Int) -> Value {
      if axis == tensor.rank { return .number(Double(tensor.scalars[offset])) }
      let inner = stride / max(tensor.shape[axis], 1)
      return .list((0..<tensor.shape[axis]).map { build(axis + 1, offset + $0 * inner, inner) })
    }
    return build(0, 0, tensor.count)
  }
}
