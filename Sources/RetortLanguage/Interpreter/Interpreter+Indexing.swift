import Foundation
import RetortTensor

// Indexing and slicing, Python-style: negative indices count from the end, slices take
// `start:stop:step` with any part left out, and steps may be negative. Tensors take one item
// per leading axis (`x[0, 1:3]`, `x[:, -1]`); an integer removes its axis, a slice keeps it,
// and a list of integers picks rows (`x[[0, 2]]`).

/// One evaluated subscript item.
enum Subscript {
  case index(Int, SourceRange)
  case slice(start: Int?, stop: Int?, step: Int?, SourceRange)
  case indices([Int], SourceRange)

  var range: SourceRange {
    switch self {
    case .index(_, let range), .slice(_, _, _, let range), .indices(_, let range): return range
    }
  }
}

extension Interpreter {
  // MARK: - Reading

  /// `base[items]`.
  func element(of base: Value, items: [SubscriptItem], at range: SourceRange) throws -> Value {
    let resolved = try items.map(resolve)
    switch base {
    case .list(let list):
      let picked = try pick(from: list, resolved, what: "list")
      return picked.single ?? .list(picked.many)
    case .string(let text):
      let picked = try pick(from: text.map { Value.string(String($0)) }, resolved, what: "string")
      return picked.single ?? .string(picked.many.compactMap(\.stringValue).joined())
    case .tensor(let tensor):
      return .tensor(try index(tensor, resolved, at: range))
    default:
      throw RuntimeError(
        "\(describe(base)) cannot be indexed", at: range,
        hint: "lists, strings and tensors can be indexed: x[0], x[1:3]")
    }
  }

  /// Evaluates one subscript item to integers.
  private func resolve(_ item: SubscriptItem) throws -> Subscript {
    func integer(_ expression: Expression?) throws -> Int? {
      guard let expression else { return nil }
      let value = try evaluate(expression)
      if value.isNone { return nil }
      guard let x = ValueType.integer.coerce(value)?.numberValue else {
        throw RuntimeError(
          "an index must be a whole number, got \(describe(value))", at: expression.range)
      }
      return Int(x)
    }
    switch item {
    case .index(let expression):
      let value = try evaluate(expression)
      if case .list = value, let list = ValueType.integers.coerce(value), case .list(let xs) = list
      {
        return .indices(xs.compactMap { $0.numberValue.map { Int($0) } }, expression.range)
      }
      guard let x = ValueType.integer.coerce(value)?.numberValue else {
        throw RuntimeError(
          "an index must be a whole number, got \(describe(value))", at: expression.range,
          hint: "slices are written start:stop, e.g. x[1:3]")
      }
      return .index(Int(x), expression.range)
    case .slice(let start, let stop, let step, let range):
      let stepValue = try integer(step)
      if stepValue == 0 {
        throw RuntimeError("a slice step cannot be 0", at: step?.range ?? range)
      }
      return .slice(start: try integer(start), stop: try integer(stop), step: stepValue, range)
    }
  }

  private func pick(from items: [Value], _ subscripts: [Subscript], what: String) throws
    -> (single: Value?, many: [Value])
  {
    guard subscripts.count == 1, let item = subscripts.first else {
      throw RuntimeError(
        "a \(what) takes one index, got \(subscripts.count)",
        at: subscripts.last?.range ?? SourceRange(at: .start),
        hint: "index the result again: x[0][1]")
    }
    switch item {
    case .index(let i, let range):
      return (
        items[
          try normalize(
            i, extent: items.count, what: "a \(what) of \(items.count)",
            at: range)], []
      )
    case .slice(let start, let stop, let step, _):
      return (
        nil,
        Interpreter.sliceIndices(start, stop, step, extent: items.count).map {
          items[$0]
        }
      )
    case .indices(let indices, let range):
      return (
        nil,
        try indices.map {
          items[
            try normalize(
              $0, extent: items.count, what: "a \(what) of \(items.count)",
              at: range)]
        }
      )
    }
  }

  /// A non-negative index below `extent`, or an error naming what was indexed.
  func normalize(_ index: Int, extent: Int, what: String, at range: SourceRange) throws -> Int {
    let resolved = index < 0 ? index + extent : index
    guard resolved >= 0, resolved < extent else {
      throw RuntimeError(
        "index \(index) is out of range for \(what)", at: range,
        hint: extent == 0 ? "it is empty" : "valid indices are \(-extent)...\(extent - 1)")
    }
    return resolved
  }

  /// The indices a Python slice selects from `extent` items.
  static func sliceIndices(_ start: Int?, _ stop: Int?, _ step: Int?, extent n: Int) -> [Int] {
    let step = step ?? 1
    if step > 0 {
      func clamp(_ x: Int) -> Int { x < 0 ? max(x + n, 0) : min(x, n) }
      let s = start.map(clamp) ?? 0
      let e = stop.map(clamp) ?? n
      return s < e ? Array(stride(from: s, to: e, by: step)) : []
    }
    func clamp(_ x: Int) -> Int { x < 0 ? max(x + n, -1) : min(x, n - 1) }
    let s = start.map(clamp) ?? n - 1
    let e = stop.map(clamp) ?? -1
    return s > e ? Array(stride(from: s, to: e, by: step)) : []
  }

  private func index(_ tensor: Tensor, _ subscripts: [Subscript], at range: SourceRange)
    throws -> Tensor
  {
    guard subscripts.count <= tensor.rank else {
      throw RuntimeError(
        "too many indices: \(subscripts.count) for a tensor \(formatShape(tensor.shape))",
        at: subscripts.last?.range ?? range,
        hint: "a tensor of rank \(tensor.rank) takes at most \(tensor.rank) indices")
    }
    return try wrapTensor(at: range) {
      var ranges: [SliceRange] = []
      var reorder: [(axis: Int, indices: [Int])] = []
      var squeeze: [Int] = []
      for (axis, item) in subscripts.enumerated() {
        let extent = tensor.shape[axis]
        switch item {
        case .index(let i, let itemRange):
          let k = try normalize(
            i, extent: extent, what: "axis \(axis) of extent \(extent)", at: itemRange)
          ranges.append(SliceRange(start: k, end: k + 1))
          squeeze.append(axis)
        case .slice(let start, let stop, let step, _):
          if (step ?? 1) > 0 {
            ranges.append(
              try SliceRange.resolving(start: start, end: stop, step: step, extent: extent))
          } else {
            ranges.append(SliceRange(start: 0, end: extent))
            reorder.append((axis, Interpreter.sliceIndices(start, stop, step, extent: extent)))
          }
        case .indices(let indices, let itemRange):
          ranges.append(SliceRange(start: 0, end: extent))
          let checked = try indices.map {
            try normalize(
              $0, extent: extent, what: "axis \(axis) of extent \(extent)",
              at: itemRange)
          }
          reorder.append((axis, checked))
        }
      }
      var result = try tensor.sliced(ranges)
      for (axis, indices) in reorder {
        result = try result.indexSelect(alongAxis: axis, indices: indices)
      }
      if !squeeze.isEmpty { result = try result.squeezed(axes: squeeze) }
      return result
    }
  }

  // MARK: - Writing

  /// Stores `value` at `base[items]`. Lists are values, so the updated list is returned for
  /// the caller to store back; tensors are written in place and nil is returned.
  func storeElement(
    _ value: Value, into base: Value, items: [SubscriptItem], at range: SourceRange
  ) throws -> Value? {
    let resolved = try items.map(resolve)
    switch base {
    case .list(var list):
      guard resolved.count == 1, case .index(let i, let itemRange) = resolved[0] else {
        throw RuntimeError(
          "only one list element at a time can be assigned", at: range,
          hint: "write x[i] = value")
      }
      let k = try normalize(i, extent: list.count, what: "a list of \(list.count)", at: itemRange)
      list[k] = value
      return .list(list)
    case .tensor(let tensor):
      try store(value, into: tensor, resolved, at: range)
      return nil
    default:
      throw RuntimeError("cannot assign into \(describe(base))", at: range)
    }
  }

  private func store(
    _ value: Value, into tensor: Tensor, _ subscripts: [Subscript],
    at range: SourceRange
  ) throws {
    guard subscripts.count <= tensor.rank else {
      throw RuntimeError(
        "too many indices: \(subscripts.count) for a tensor \(formatShape(tensor.shape))",
        at: range)
    }
    // The selected positions along each axis; unindexed trailing axes are taken whole.
    var axes: [[Int]] = []
    var keptShape: [Int] = []
    for axis in 0..<tensor.rank {
      let extent = tensor.shape[axis]
      guard axis < subscripts.count else {
        axes.append(Array(0..<extent))
        keptShape.append(extent)
        continue
      }
      switch subscripts[axis] {
      case .index(let i, let itemRange):
        axes.append([
          try normalize(i, extent: extent, what: "axis \(axis) of extent \(extent)", at: itemRange)
        ])
      case .slice(let start, let stop, let step, _):
        let picked = Interpreter.sliceIndices(start, stop, step, extent: extent)
        axes.append(picked)
        keptShape.append(picked.count)
      case .indices(let indices, let itemRange):
        let picked = try indices.map {
          try normalize(
            $0, extent: extent, what: "axis \(axis) of extent \(extent)",
            at: itemRange)
        }
        axes.append(picked)
        keptShape.append(picked.count)
      }
    }
    guard let source = tensorFrom(value) else {
      throw RuntimeError(
        "cannot store \(describe(value)) in a tensor", at: range,
        hint: "tensor elements take numbers or tensors")
    }
    let values = try wrapTensor(at: range) { try source.expanded(to: keptShape).scalars }
    var strides = [Int](repeating: 1, count: tensor.rank)
    for axis in stride(from: tensor.rank - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * tensor.shape[axis + 1]
    }
    var offsets = [0]
    for (axis, picked) in axes.enumerated() {
      offsets = offsets.flatMap { base in picked.map { base + $0 * strides[axis] } }
    }
    guard offsets.count == values.count else { return }
    tensor.updateInPlace { buffer in
      for (offset, x) in zip(offsets, values) where offset < buffer.count { buffer[offset] = x }
    }
  }
}
