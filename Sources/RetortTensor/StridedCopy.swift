/// Row-major strides of a contiguous tensor of `shape`.
func contiguousStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var step = 1
  for i in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[i] = step
    step *= shape[i]
  }
  return strides
}

/// Reads a strided view of `source` into a new contiguous array of `outShape`.
///
/// `out[i0, i1, …] = source[base + Σ ik·strides[k]]`. Permutes, slices and broadcasts are
/// all such views, so they share this one loop and its adjoint below.
func stridedGather(
  _ source: [Float], base: Int, strides: [Int], outShape: [Int]
) -> [Float] {
  let total = outShape.elementCount
  let rank = outShape.count
  return [Float](unsafeUninitializedCapacity: total) { out, initialized in
    initialized = total
    guard total > 0 else { return }
    source.withUnsafeBufferPointer { src in
      guard rank > 0 else {
        out[0] = src[base]
        return
      }
      let inner = outShape[rank - 1]
      let innerStride = strides[rank - 1]
      var index = [Int](repeating: 0, count: rank)
      var offset = base
      var position = 0
      while position < total {
        if innerStride == 1 {
          for j in 0..<inner { out[position + j] = src[offset + j] }
        } else {
          for j in 0..<inner { out[position + j] = src[offset + j * innerStride] }
        }
        position += inner
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          offset += strides[axis]
          if index[axis] < outShape[axis] { break }
          offset -= strides[axis] * outShape[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
  }
}

/// The adjoint of `stridedGather`: adds each element of `values` (shaped `viewShape`) into
/// a zero array of `targetCount` elements at the offsets the view read from.
func stridedScatterAdd(
  _ values: [Float], base: Int, strides: [Int], viewShape: [Int], targetCount: Int
) -> [Float] {
  var target = [Float](repeating: 0, count: targetCount)
  let total = viewShape.elementCount
  let rank = viewShape.count
  guard total > 0 else { return target }
  target.withUnsafeMutableBufferPointer { dst in
    values.withUnsafeBufferPointer { src in
      guard rank > 0 else {
        dst[base] += src[0]
        return
      }
      let inner = viewShape[rank - 1]
      let innerStride = strides[rank - 1]
      var index = [Int](repeating: 0, count: rank)
      var offset = base
      var position = 0
      while position < total {
        for j in 0..<inner { dst[offset + j * innerStride] += src[position + j] }
        position += inner
        var axis = rank - 2
        while axis >= 0 {
          index[axis] += 1
          offset += strides[axis]
          if index[axis] < viewShape[axis] { break }
          offset -= strides[axis] * viewShape[axis]
          index[axis] = 0
          axis -= 1
        }
      }
    }
  }
  return target
}
