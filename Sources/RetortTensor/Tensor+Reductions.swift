// MARK: - Sum and mean

extension Tensor {
  /// Views the shape as (outer, extent of `axis`, inner), the layout every reduction uses.
  func axisLayout(_ axis: Int) -> (outer: Int, extent: Int, inner: Int) {
    let outer = shape[..<axis].reduce(1, *)
    let inner = shape[(axis + 1)...].reduce(1, *)
    return (outer, shape[axis], inner)
  }

  /// Validates and sorts a list of axes, rejecting duplicates.
  func normalizedAxes(_ axes: [Int], op: String) throws -> [Int] {
    let resolved = try axes.map { try Tensor.normalizeAxis($0, rank: rank, op: op) }
    guard Set(resolved).count == resolved.count else {
      throw TensorError(op: op, "axes \(axes) name the same axis twice")
    }
    return resolved.sorted()
  }

  /// Sums one axis, keeping it with extent 1.
  private func sumKeepingAxis(_ axis: Int) -> [Float] {
    let (outer, extent, inner) = axisLayout(axis)
    var out = [Float](repeating: 0, count: outer * inner)
    out.withUnsafeMutableBufferPointer { dst in
      scalars.withUnsafeBufferPointer { src in
        for o in 0..<outer {
          let row = o * inner
          for k in 0..<extent {
            let from = (o * extent + k) * inner
            for i in 0..<inner { dst[row + i] += src[from + i] }
          }
        }
      }
    }
    return out
  }

  /// Sums over `axes`; with `keepingDims` the summed axes stay with extent 1.
  public func sum(alongAxes axes: [Int], keepingDims: Bool = false) throws -> Tensor {
    let resolved = try normalizedAxes(axes, op: "sum")
    var keptShape = shape
    var values = scalars
    var current = self
    for axis in resolved {
      values = current.sumKeepingAxis(axis)
      keptShape[axis] = 1
      current = Tensor(uncheckedShape: keptShape, scalars: values)
    }
    let outShape =
      keepingDims
      ? keptShape
      : shape.enumerated()
        .filter { !resolved.contains($0.offset) }.map(\.element)
    let result = Tensor(uncheckedShape: outShape, scalars: values)
    let input = self
    return result.recorded("sum", inputs: [input]) { g in
      [try g.reshaped(to: keptShape).expanded(to: input.shape)]
    }
  }

  /// Sums one axis.
  public func sum(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor {
    try sum(alongAxes: [axis], keepingDims: keepingDims)
  }

  /// The sum of all elements, as a scalar tensor.
  public func sum() -> Tensor {
    var total: Float = 0
    scalars.withUnsafeBufferPointer { for x in $0 { total += x } }
    let input = self
    return Tensor(uncheckedShape: [], scalars: [total]).recorded("sum", inputs: [input]) { g in
      [
        Tensor(
          uncheckedShape: input.shape,
          scalars: [Float](
            repeating: g.scalars[0],
            count: input.count))
      ]
    }
  }

  /// The mean over `axes`.
  public func mean(alongAxes axes: [Int], keepingDims: Bool = false) throws -> Tensor {
    let resolved = try normalizedAxes(axes, op: "mean")
    let n = resolved.reduce(1) { $0 * shape[$1] }
    return try sum(alongAxes: resolved, keepingDims: keepingDims) / Float(Swift.max(n, 1))
  }

  /// The mean of one axis.
  public func mean(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor {
    try mean(alongAxes: [axis], keepingDims: keepingDims)
  }

  /// The mean of all elements.
  public func mean() -> Tensor { sum() / Float(Swift.max(count, 1)) }

  /// The variance over `axes`: biased (divide by n) by default, as normalisation layers use;
  /// `unbiased` divides by n − 1 as `torch.var` does by default.
  public func variance(
    alongAxes axes: [Int], keepingDims: Bool = false, unbiased: Bool = false
  ) throws -> Tensor {
    let resolved = try normalizedAxes(axes, op: "variance")
    let n = resolved.reduce(1) { $0 * shape[$1] }
    let centered = try self - mean(alongAxes: resolved, keepingDims: true)
    let squares = try (centered * centered).sum(alongAxes: resolved, keepingDims: keepingDims)
    return squares / Float(Swift.max(unbiased ? n - 1 : n, 1))
  }

  /// Stretches axes of extent 1 (and missing leading axes) to `targetShape`.
  public func expanded(to targetShape: [Int]) throws -> Tensor {
    if targetShape == shape { return self }
    let outShape = try Broadcast.shape(shape, targetShape, op: "expand")
    guard outShape == targetShape else {
      throw TensorError(
        op: "expand", "cannot expand \(formatShape(shape)) to \(formatShape(targetShape))")
    }
    let strides = Broadcast.strides(of: shape, in: targetShape)
    let values = stridedGather(scalars, base: 0, strides: strides, outShape: targetShape)
    let input = self
    return Tensor(uncheckedShape: targetShape, scalars: values)
      .recorded("expand", inputs: [input]) { g in [try g.summed(toShape: input.shape)] }
  }
}

// MARK: - Max, min, argmax

extension Tensor {
  /// Index and value of the extreme along `axis` for each (outer, inner) position.
  private func extremes(
    alongAxis axis: Int, op: String, better: (Float, Float) -> Bool
  ) throws -> (indices: [Int], values: [Float], layout: (Int, Int, Int)) {
    guard count > 0 else {
      throw TensorError(op: op, "cannot reduce an empty tensor of shape \(formatShape(shape))")
    }
    let layout = axisLayout(axis)
    let (outer, extent, inner) = layout
    var indices = [Int](repeating: 0, count: outer * inner)
    var values = [Float](repeating: 0, count: outer * inner)
    scalars.withUnsafeBufferPointer { src in
      for o in 0..<outer {
        for i in 0..<inner {
          var best = src[o * extent * inner + i]
          var bestIndex = 0
          for k in 1..<Swift.max(extent, 1) {
            let v = src[(o * extent + k) * inner + i]
            // NaN wins, so that a diverged model shows NaN instead of a plausible number.
            if better(v, best) || (v.isNaN && !best.isNaN) {
              best = v
              bestIndex = k
            }
          }
          indices[o * inner + i] = bestIndex
          values[o * inner + i] = best
        }
      }
    }
    return (indices, values, layout)
  }

  private func extreme(
    _ op: String, axis: Int, keepingDims: Bool, better: (Float, Float) -> Bool
  ) throws -> Tensor {
    let resolved = try Tensor.normalizeAxis(axis, rank: rank, op: op)
    let (indices, values, layout) = try extremes(alongAxis: resolved, op: op, better: better)
    var outShape = shape
    if keepingDims { outShape[resolved] = 1 } else { outShape.remove(at: resolved) }
    let input = self
    return Tensor(uncheckedShape: outShape, scalars: values).recorded(op, inputs: [input]) {
      g in
      // The gradient flows only to the first extreme element of each slice.
      let (_, extent, inner) = layout
      var dx = [Float](repeating: 0, count: input.count)
      for (position, k) in indices.enumerated() {
        let o = position / Swift.max(inner, 1)
        let i = position % Swift.max(inner, 1)
        dx[(o * extent + k) * inner + i] = g.scalars[position]
      }
      return [Tensor(uncheckedShape: input.shape, scalars: dx)]
    }
  }

  /// The largest element along `axis`.
  public func max(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor {
    try extreme("max", axis: axis, keepingDims: keepingDims, better: >)
  }

  /// The smallest element along `axis`.
  public func min(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor {
    try extreme("min", axis: axis, keepingDims: keepingDims, better: <)
  }

  /// The largest element of the whole tensor.
  public func max() throws -> Tensor { try reshaped(to: [count]).max(alongAxis: 0) }

  /// The smallest element of the whole tensor.
  public func min() throws -> Tensor { try reshaped(to: [count]).min(alongAxis: 0) }

  /// The index of the largest element along `axis` (first one on ties), as float indices.
  public func argmax(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor {
    let resolved = try Tensor.normalizeAxis(axis, rank: rank, op: "argmax")
    let (indices, _, _) = try extremes(alongAxis: resolved, op: "argmax", better: >)
    var outShape = shape
    if keepingDims { outShape[resolved] = 1 } else { outShape.remove(at: resolved) }
    return Tensor(uncheckedShape: outShape, scalars: indices.map(Float.init))
  }

  /// The index of the smallest element along `axis`.
  public func argmin(alongAxis axis: Int, keepingDims: Bool = false) throws -> Tensor {
    let resolved = try Tensor.normalizeAxis(axis, rank: rank, op: "argmin")
    let (indices, _, _) = try extremes(alongAxis: resolved, op: "argmin", better: <)
    var outShape = shape
    if keepingDims { outShape[resolved] = 1 } else { outShape.remove(at: resolved) }
    return Tensor(uncheckedShape: outShape, scalars: indices.map(Float.init))
  }
}
