/// NumPy broadcasting: shapes are aligned at their last axis, and an axis of extent 1 (or a
/// missing leading axis) stretches to match the other operand.
public enum Broadcast {
  /// The shape two operands broadcast to, or an error naming `op` and both shapes.
  public static func shape(_ lhs: [Int], _ rhs: [Int], op: String) throws -> [Int] {
    if lhs == rhs { return lhs }
    let rank = max(lhs.count, rhs.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
      let l = i < rank - lhs.count ? 1 : lhs[i - (rank - lhs.count)]
      let r = i < rank - rhs.count ? 1 : rhs[i - (rank - rhs.count)]
      guard l == r || l == 1 || r == 1 else {
        throw TensorError(
          op: op,
          "shapes \(formatShape(lhs)) and \(formatShape(rhs)) do not broadcast "
            + "(axis \(i): \(l) vs \(r))",
          hint: "each trailing axis must match or be 1; reshape one operand")
      }
      // An extent of 1 stretches to the other one, even to 0 (an empty batch stays empty).
      result[i] = l == 1 ? r : l
    }
    return result
  }

  /// Element strides of `shape` read as `outShape`: 0 along stretched axes.
  static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
    let rank = outShape.count
    var strides = [Int](repeating: 0, count: rank)
    var step = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
      let outAxis = i + rank - shape.count
      strides[outAxis] = shape[i] == 1 ? 0 : step
      step *= shape[i]
    }
    return strides
  }
}

/// Applies `combine` elementwise to two broadcast operands.
///
/// Equal shapes and a scalar on either side take a flat loop; anything else walks the
/// output with an odometer over the outer axes and a strided inner loop on the last one.
@inline(__always)
func broadcastMap(
  _ lhs: Tensor, _ rhs: Tensor, op: String, _ combine: (Float, Float) -> Float
) throws -> Tensor {
  let outShape = try Broadcast.shape(lhs.shape, rhs.shape, op: op)
  let total = outShape.elementCount
  let out = [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
    lhs.scalars.withUnsafeBufferPointer { a in
      rhs.scalars.withUnsafeBufferPointer { b in
        if lhs.shape == rhs.shape {
          for i in 0..<total { buffer[i] = combine(a[i], b[i]) }
        } else if b.count == 1 {
          let scalar = b[0]
          for i in 0..<total { buffer[i] = combine(a[i], scalar) }
        } else if a.count == 1 {
          let scalar = a[0]
          for i in 0..<total { buffer[i] = combine(scalar, b[i]) }
        } else {
          stridedMap(a, b, into: buffer, lhs.shape, rhs.shape, outShape, combine)
        }
      }
    }
    initialized = total
  }
  return Tensor(uncheckedShape: outShape, scalars: out)
}

@inline(__always)
private func stridedMap(
  _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
  into out: UnsafeMutableBufferPointer<Float>,
  _ lhsShape: [Int], _ rhsShape: [Int], _ outShape: [Int],
  _ combine: (Float, Float) -> Float
) {
  let rank = outShape.count
  guard rank > 0, out.count > 0 else { return }
  let sa = Broadcast.strides(of: lhsShape, in: outShape)
  let sb = Broadcast.strides(of: rhsShape, in: outShape)
  let inner = outShape[rank - 1]
  let innerA = sa[rank - 1]
  let innerB = sb[rank - 1]
  var index = [Int](repeating: 0, count: rank)
  var offsetA = 0
  var offsetB = 0
  var position = 0
  while position < out.count {
    for j in 0..<inner {
      out[position + j] = combine(a[offsetA + j * innerA], b[offsetB + j * innerB])
    }
    position += inner
    var axis = rank - 2
    while axis >= 0 {
      index[axis] += 1
      offsetA += sa[axis]
      offsetB += sb[axis]
      if index[axis] < outShape[axis] { break }
      offsetA -= sa[axis] * outShape[axis]
      offsetB -= sb[axis] * outShape[axis]
      index[axis] = 0
      axis -= 1
    }
  }
}

extension Tensor {
  /// Sums a gradient back over the axes that broadcasting stretched, to `targetShape`.
  ///
  /// Every op whose operands may broadcast calls this one helper in its backward pass.
  public func summed(toShape targetShape: [Int]) throws -> Tensor {
    if shape == targetShape { return self }
    let extra = rank - targetShape.count
    guard extra >= 0 else {
      throw TensorError(
        op: "sum_to_shape",
        "cannot reduce \(formatShape(shape)) to the larger shape \(formatShape(targetShape))")
    }
    var axes: [Int] = Array(0..<extra)
    for (i, extent) in targetShape.enumerated() where extent == 1 && shape[i + extra] != 1 {
      axes.append(i + extra)
    }
    let reduced = axes.isEmpty ? self : try sum(alongAxes: axes, keepingDims: true)
    return try reduced.reshaped(to: targetShape)
  }
}
