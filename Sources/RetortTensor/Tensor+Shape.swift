// MARK: - Reshape

extension Tensor {
  /// The same elements under a new shape; one extent may be -1 and is then inferred.
  public func reshaped(to newShape: [Int]) throws -> Tensor {
    let inferred = newShape.filter { $0 == -1 }.count
    guard inferred <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
      throw TensorError(
        op: "reshape", "invalid target shape \(formatShape(newShape))",
        hint: "use at most one -1 and no other negative extent")
    }
    var resolved = newShape
    if inferred == 1 {
      let known = newShape.filter { $0 != -1 }.reduce(1, *)
      guard known > 0, count % known == 0 else {
        throw TensorError(
          op: "reshape",
          "cannot reshape \(formatShape(shape)) (\(count) elements) to \(formatShape(newShape))")
      }
      resolved = newShape.map { $0 == -1 ? count / known : $0 }
    }
    guard resolved.elementCount == count else {
      throw TensorError(
        op: "reshape",
        "cannot reshape \(formatShape(shape)) (\(count) elements) to "
          + "\(formatShape(resolved)) (\(resolved.elementCount) elements)")
    }
    if resolved == shape { return self }
    let input = self
    return Tensor(uncheckedShape: resolved, scalars: scalars).recorded(
      "reshape", inputs: [input]
    ) { g in [try g.reshaped(to: input.shape)] }
  }

  /// Flattens every axis from `startAxis` on into one: `[N, C, H, W]` → `[N, C·H·W]`.
  public func flattened(fromAxis startAxis: Int = 1) throws -> Tensor {
    guard rank > startAxis else { return self }
    let start = try Tensor.normalizeAxis(startAxis, rank: rank, op: "flatten")
    return try reshaped(to: Array(shape[..<start]) + [shape[start...].reduce(1, *)])
  }

  /// Inserts an axis of extent 1 at `axis`.
  public func unsqueezed(at axis: Int) throws -> Tensor {
    let resolved = axis < 0 ? axis + rank + 1 : axis
    guard resolved >= 0, resolved <= rank else {
      throw TensorError(op: "unsqueeze", "axis \(axis) is out of range for rank \(rank)")
    }
    var newShape = shape
    newShape.insert(1, at: resolved)
    return try reshaped(to: newShape)
  }

  /// Removes axes of extent 1 (all of them, or the ones listed).
  public func squeezed(axes: [Int]? = nil) throws -> Tensor {
    let remove =
      try axes.map { try normalizedAxes($0, op: "squeeze") }
      ?? shape.indices.filter { shape[$0] == 1 }
    for axis in remove where shape[axis] != 1 {
      throw TensorError(
        op: "squeeze", "axis \(axis) has extent \(shape[axis]) in \(formatShape(shape)), not 1")
    }
    return try reshaped(to: shape.indices.filter { !remove.contains($0) }.map { shape[$0] })
  }
}

// MARK: - Permutations

extension Tensor {
  /// Reorders the axes: result axis i is input axis `permutation[i]`.
  public func permuted(_ permutation: [Int]) throws -> Tensor {
    let resolved = try permutation.map { try Tensor.normalizeAxis($0, rank: rank, op: "permute") }
    guard resolved.count == rank, Set(resolved).count == rank else {
      throw TensorError(
        op: "permute",
        "permutation \(permutation) does not list each of the \(rank) axes of "
          + "\(formatShape(shape)) exactly once")
    }
    if resolved == Array(0..<rank) { return self }
    let source = contiguousStrides(shape)
    let outShape = resolved.map { shape[$0] }
    let values = stridedGather(
      scalars, base: 0, strides: resolved.map { source[$0] }, outShape: outShape)
    var inverse = [Int](repeating: 0, count: rank)
    for (i, p) in resolved.enumerated() { inverse[p] = i }
    let input = self
    return Tensor(uncheckedShape: outShape, scalars: values).recorded(
      "permute", inputs: [input]
    ) { g in [try g.permuted(inverse)] }
  }

  /// Swaps two axes (by default the last two: a matrix transpose).
  public func transposed(_ first: Int = -2, _ second: Int = -1) throws -> Tensor {
    guard rank >= 2 else {
      if rank == 1 { return self }
      throw TensorError(op: "transpose", "a scalar has no axes to transpose")
    }
    let a = try Tensor.normalizeAxis(first, rank: rank, op: "transpose")
    let b = try Tensor.normalizeAxis(second, rank: rank, op: "transpose")
    var order = Array(0..<rank)
    order.swapAt(a, b)
    return try permuted(order)
  }
}

// MARK: - Slicing and indexing

/// One axis of a slice: `start..<end` by `step` (already resolved to valid bounds).
public struct SliceRange: Sendable, Equatable {
  public var start: Int
  public var end: Int
  public var step: Int

  public init(start: Int, end: Int, step: Int = 1) {
    self.start = start
    self.end = end
    self.step = step
  }

  /// Resolves Python-style bounds (negative counts from the end, nil means the whole axis).
  public static func resolving(
    start: Int?, end: Int?, step: Int?, extent: Int
  ) throws -> SliceRange {
    let step = step ?? 1
    guard step > 0 else {
      throw TensorError(op: "slice", "slice step must be positive, got \(step)")
    }
    func clamp(_ value: Int?, _ fallback: Int) -> Int {
      guard let value else { return fallback }
      let shifted = value < 0 ? value + extent : value
      return Swift.min(Swift.max(shifted, 0), extent)
    }
    return SliceRange(start: clamp(start, 0), end: clamp(end, extent), step: step)
  }

  /// The number of indices the range selects.
  public var length: Int { end <= start ? 0 : (end - start + step - 1) / step }
}

extension Tensor {
  /// Selects a strided sub-block; `ranges` covers the leading axes, the rest are kept whole.
  public func sliced(_ ranges: [SliceRange]) throws -> Tensor {
    guard ranges.count <= rank else {
      throw TensorError(
        op: "slice", "\(ranges.count) indices given for a tensor of rank \(rank)")
    }
    let source = contiguousStrides(shape)
    var outShape = shape
    var strides = source
    var base = 0
    for (axis, range) in ranges.enumerated() {
      guard range.step > 0, range.start >= 0, range.end <= shape[axis] || range.length == 0
      else {
        throw TensorError(
          op: "slice",
          "range \(range.start)..<\(range.end) is outside axis \(axis) of extent \(shape[axis])")
      }
      outShape[axis] = range.length
      strides[axis] = source[axis] * range.step
      if range.length > 0 { base += range.start * source[axis] }
    }
    let values = stridedGather(scalars, base: base, strides: strides, outShape: outShape)
    let input = self
    return Tensor(uncheckedShape: outShape, scalars: values).recorded("slice", inputs: [input]) {
      g in
      let dx = stridedScatterAdd(
        g.scalars, base: base, strides: strides, viewShape: outShape, targetCount: input.count)
      return [Tensor(uncheckedShape: input.shape, scalars: dx)]
    }
  }

  /// Picks entries `indices` along `axis` (repeats allowed), like `torch.index_select`.
  public func indexSelect(alongAxis axis: Int, indices: [Int]) throws -> Tensor {
    let resolved = try Tensor.normalizeAxis(axis, rank: rank, op: "index_select")
    let (outer, extent, inner) = axisLayout(resolved)
    for index in indices where index < 0 || index >= extent {
      throw TensorError(
        op: "index_select",
        "index \(index) is out of range for axis \(resolved) of extent \(extent)")
    }
    var outShape = shape
    outShape[resolved] = indices.count
    var values = [Float](repeating: 0, count: outer * indices.count * inner)
    values.withUnsafeMutableBufferPointer { dst in
      scalars.withUnsafeBufferPointer { src in
        for o in 0..<outer {
          for (j, index) in indices.enumerated() {
            let from = (o * extent + index) * inner
            let to = (o * indices.count + j) * inner
            for i in 0..<inner { dst[to + i] = src[from + i] }
          }
        }
      }
    }
    let input = self
    return Tensor(uncheckedShape: outShape, scalars: values).recorded(
      "index_select", inputs: [input]
    ) { g in
      var dx = [Float](repeating: 0, count: input.count)
      for o in 0..<outer {
        for (j, index) in indices.enumerated() {
          let from = (o * indices.count + j) * inner
          let to = (o * extent + index) * inner
          for i in 0..<inner { dx[to + i] += g.scalars[from + i] }
        }
      }
      return [Tensor(uncheckedShape: input.shape, scalars: dx)]
    }
  }

  /// For a 2-D `[N, C]` tensor, the entry `indices[n]` of each row n (shape `[N]`).
  public func gatherRows(_ indices: [Int]) throws -> Tensor {
    guard rank == 2, shape[0] == indices.count else {
      throw TensorError(
        op: "gather",
        "expected a [N, C] tensor and N indices, got \(formatShape(shape)) and "
          + "\(indices.count) indices")
    }
    let columns = shape[1]
    for index in indices where index < 0 || index >= columns {
      throw TensorError(op: "gather", "class index \(index) is outside 0..<\(columns)")
    }
    let values = indices.enumerated().map { scalars[$0.offset * columns + $0.element] }
    let input = self
    return Tensor(uncheckedShape: [indices.count], scalars: values).recorded(
      "gather", inputs: [input]
    ) { g in
      var dx = [Float](repeating: 0, count: input.count)
      for (row, index) in indices.enumerated() { dx[row * columns + index] = g.scalars[row] }
      return [Tensor(uncheckedShape: input.shape, scalars: dx)]
    }
  }

  /// One-hot rows for integer class labels: `[N]` → `[N, classes]`.
  public static func oneHot(_ labels: [Int], classes: Int) throws -> Tensor {
    var values = [Float](repeating: 0, count: labels.count * classes)
    for (row, label) in labels.enumerated() {
      guard label >= 0, label < classes else {
        throw TensorError(
          op: "one_hot", "label \(label) is outside 0..<\(classes)",
          hint: "the number of classes must exceed the largest label")
      }
      values[row * classes + label] = 1
    }
    return Tensor(uncheckedShape: [labels.count, classes], scalars: values)
  }
}

// MARK: - Joining

extension Tensor {
  /// Joins tensors along an existing axis; all other extents must agree.
  public static func concatenate(_ tensors: [Tensor], alongAxis axis: Int = 0) throws -> Tensor {
    guard let first = tensors.first else {
      throw TensorError(op: "concatenate", "needs at least one tensor")
    }
    let resolved = try normalizeAxis(axis, rank: first.rank, op: "concatenate")
    for (i, t) in tensors.enumerated() {
      var a = t.shape
      var b = first.shape
      guard a.count == b.count else {
        throw TensorError(
          op: "concatenate",
          "tensor \(i) has rank \(a.count) but tensor 0 has rank \(b.count)")
      }
      a[resolved] = 0
      b[resolved] = 0
      guard a == b else {
        throw TensorError(
          op: "concatenate",
          "tensor \(i) has shape \(formatShape(t.shape)), which differs from "
            + "\(formatShape(first.shape)) off axis \(resolved)")
      }
    }
    let outer = first.shape[..<resolved].reduce(1, *)
    let inner = first.shape[(resolved + 1)...].reduce(1, *)
    let extents = tensors.map { $0.shape[resolved] }
    let total = extents.reduce(0, +)
    var outShape = first.shape
    outShape[resolved] = total
    var values = [Float]()
    values.reserveCapacity(outer * total * inner)
    for o in 0..<outer {
      for (t, extent) in zip(tensors, extents) {
        let chunk = extent * inner
        values.append(contentsOf: t.scalars[(o * chunk)..<((o + 1) * chunk)])
      }
    }
    let result = Tensor(uncheckedShape: outShape, scalars: values)
    return result.recorded("concatenate", inputs: tensors) { g in
      var offset = 0
      var grads: [Tensor?] = []
      for t in tensors {
        var ranges = [SliceRange](
          repeating: SliceRange(start: 0, end: 0), count: resolved + 1)
        for a in 0..<resolved { ranges[a] = SliceRange(start: 0, end: outShape[a]) }
        let extent = t.shape[resolved]
        ranges[resolved] = SliceRange(start: offset, end: offset + extent)
        offset += extent
        grads.append(try g.sliced(ranges))
      }
      return grads
    }
  }

  /// Stacks equally shaped tensors along a new axis.
  public static func stack(_ tensors: [Tensor], alongAxis axis: Int = 0) throws -> Tensor {
    guard let first = tensors.first else {
      throw TensorError(op: "stack", "needs at least one tensor")
    }
    for (i, t) in tensors.enumerated() where t.shape != first.shape {
      throw TensorError(
        op: "stack",
        "tensor \(i) has shape \(formatShape(t.shape)) but tensor 0 has "
          + "\(formatShape(first.shape))")
    }
    return try concatenate(tensors.map { try $0.unsqueezed(at: axis) }, alongAxis: axis)
  }
}
