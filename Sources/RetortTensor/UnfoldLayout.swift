// MARK: - How a convolution lays out its unfolded patches

/// The patch matrix of a convolution and the way back from its product to `[N, O, H', W']`.
///
/// Stride 1 (nearly every convolution) uses a wide layout: the product is computed on the
/// padded grid, `H'` rows of `W + 2p` columns per image, of which the first `W'` are
/// outputs and the other `kw − 1` are never read. Then each row (c, i, j) of the patch
/// matrix, image by image, is one contiguous run of the padded input, `H'·(W + 2p)` values
/// from offset (i, j): a copy rather than a walk over `H'` short rows with their padding
/// cells, and the adjoint is a run of adds. The gradient is zero in the unused columns, so
/// they add nothing to the weight or input gradients. Other strides use the exact layout
/// of `im2col`.
struct UnfoldLayout {
  let geometry: WindowGeometry

  init(_ geometry: WindowGeometry) { self.geometry = geometry }

  var isWide: Bool { geometry.stride == 1 }
  var paddedHeight: Int { geometry.height + 2 * geometry.padding }
  var paddedWidth: Int { geometry.width + 2 * geometry.padding }
  /// Rows of one output plane in the product, each `rowStride` long with `rowWidth` used.
  var rows: Int { isWide ? geometry.outH : 1 }
  var rowWidth: Int { isWide ? geometry.outW : geometry.outH * geometry.outW }
  var rowStride: Int { isWide ? paddedWidth : rowWidth }
  /// Product columns per image, and in all.
  var columnsPerImage: Int { rows * rowStride }
  var columns: Int { geometry.batch * columnsPerImage }

  /// The patch matrix `[C·kh·kw, columns]`.
  func unfold(_ x: [Float]) -> [Float] {
    guard isWide else { return im2col(x, geometry) }
    let g = geometry
    let padded = g.padding == 0 ? x : pad(x)
    let (run, total) = (columnsPerImage, columns)
    let count = g.channels * g.kernelH * g.kernelW * total
    return [Float](unsafeUninitializedCapacity: count) { dst, initialized in
      padded.withUnsafeBufferPointer { src in
        guard let to = dst.baseAddress, let from = src.baseAddress else { return }
        forEachRun { row, image, offset in
          // The last image's last runs reach past the end of the input by up to kw − 1
          // values, all in unused columns: zeros stand in for them.
          let available = Swift.min(run, src.count - offset)
          let out = to + row * total + image * run
          out.update(from: from + offset, count: available)
          (out + available).initialize(repeating: 0, count: run - available)
        }
      }
      initialized = count
    }
  }

  /// The adjoint of `unfold`: every entry added back onto the input pixel it came from.
  func fold(_ cols: [Float]) -> [Float] {
    guard isWide else { return col2im(cols, geometry) }
    let g = geometry
    let plane = paddedHeight * paddedWidth
    let (run, total) = (columnsPerImage, columns)
    var padded = [Float](repeating: 0, count: g.batch * g.channels * plane)
    padded.withUnsafeMutableBufferPointer { dst in
      cols.withUnsafeBufferPointer { src in
        guard let to = dst.baseAddress, let from = src.baseAddress else { return }
        let size = dst.count
        forEachRun { row, image, offset in
          let available = Swift.min(run, size - offset)
          let input = from + row * total + image * run
          let output = to + offset
          for q in 0..<available { output[q] += input[q] }
        }
      }
    }
    return g.padding == 0 ? padded : unpad(padded)
  }

  /// `body(row, image, offset)` for each patch row (c, i, j) and image, in the order that
  /// fixes how `fold` sums onto a pixel: offset is where the run starts in the padded input.
  @inline(__always)
  private func forEachRun(_ body: (_ row: Int, _ image: Int, _ offset: Int) -> Void) {
    let g = geometry
    let plane = paddedHeight * paddedWidth
    for c in 0..<g.channels {
      for i in 0..<g.kernelH {
        for j in 0..<g.kernelW {
          let row = (c * g.kernelH + i) * g.kernelW + j
          for n in 0..<g.batch {
            body(row, n, (n * g.channels + c) * plane + i * paddedWidth + j)
          }
        }
      }
    }
  }

  /// `[N·C, H, W]` framed by `padding` zeros on every side.
  private func pad(_ x: [Float]) -> [Float] {
    let g = geometry
    let (height, width, p) = (g.height, g.width, g.padding)
    var padded = [Float](repeating: 0, count: g.batch * g.channels * paddedHeight * paddedWidth)
    padded.withUnsafeMutableBufferPointer { dst in
      x.withUnsafeBufferPointer { src in
        guard let to = dst.baseAddress, let from = src.baseAddress else { return }
        for image in 0..<g.batch * g.channels {
          for y in 0..<height {
            let target = to + (image * paddedHeight + y + p) * paddedWidth + p
            target.update(from: from + (image * height + y) * width, count: width)
          }
        }
      }
    }
    return padded
  }

  /// The inside of a padded `[N·C, H + 2p, W + 2p]` array.
  private func unpad(_ padded: [Float]) -> [Float] {
    let g = geometry
    let (height, width, p) = (g.height, g.width, g.padding)
    let count = g.batch * g.channels * height * width
    return [Float](unsafeUninitializedCapacity: count) { dst, initialized in
      padded.withUnsafeBufferPointer { src in
        guard let to = dst.baseAddress, let from = src.baseAddress else { return }
        for image in 0..<g.batch * g.channels {
          for y in 0..<height {
            let source = from + (image * paddedHeight + y + p) * paddedWidth + p
            (to + (image * height + y) * width).update(from: source, count: width)
          }
        }
      }
      initialized = count
    }
  }

  /// The product `[O, N, rows, stride]` as the output `[N, O, rows, width]`, plus the bias.
  func gatherOutput(_ product: [Float], channels: Int, adding shifts: [Float]) -> [Float] {
    let (batch, rows, width, stride) = (geometry.batch, self.rows, rowWidth, rowStride)
    let count = batch * channels * rows * width
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      product.withUnsafeBufferPointer { src in
        guard let from = src.baseAddress, let to = out.baseAddress else { return }
        for o in 0..<channels {
          let shift = shifts[o]
          for n in 0..<batch {
            let source = from + (o * batch + n) * rows * stride
            let target = to + (n * channels + o) * rows * width
            for r in 0..<rows {
              for x in 0..<width { target[r * width + x] = source[r * stride + x] + shift }
            }
          }
        }
      }
      initialized = count
    }
  }

  /// The output gradient `[N, O, rows, width]` in the product's layout
  /// `[O, N, rows, stride]`, zero in the unused columns.
  func spreadGradient(_ g: [Float], channels: Int) -> [Float] {
    let (batch, rows, width, stride) = (geometry.batch, self.rows, rowWidth, rowStride)
    let count = channels * batch * rows * stride
    return [Float](unsafeUninitializedCapacity: count) { out, initialized in
      g.withUnsafeBufferPointer { src in
        guard let from = src.baseAddress, let to = out.baseAddress else { return }
        for o in 0..<channels {
          for n in 0..<batch {
            let source = from + (n * channels + o) * rows * width
            let target = to + (o * batch + n) * rows * stride
            for r in 0..<rows {
              (target + r * stride).update(from: source + r * width, count: width)
              (target + r * stride + width).initialize(repeating: 0, count: stride - width)
            }
          }
        }
      }
      initialized = count
    }
  }
}

// MARK: - A · Bᵀ for small outputs and a long inner dimension

/// `a · bᵀ` for `a` of `[m, k]` and `b` of `[n, k]`, as a new `[m, n]` array.
///
/// A convolution's weight gradient is such a product with a small m·n (16 × 9 for a first
/// layer) and a k of every output position of the batch (100 352 at 128 images of 28×28).
/// OpenBLAS blocks k in slices of a few hundred and runs a tiny kernel per slice on one
/// thread: 9 GFLOP/s there. Here k is cut into fixed slices of 8192 that run in parallel,
/// each a set of m·n vector dot products over data that stays in cache, and the partial
/// sums are added in slice order, so the result does not depend on the number of cores.
/// Larger outputs go to sgemm.
func multiplyTransposed(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
  guard m * n <= 1024, k >= 8192 else {
    return multiply(a, b, m: m, k: k, n: n, transposeB: true)
  }
  let slice = 8192
  let slices = (k + slice - 1) / slice
  var partials = [Float](repeating: 0, count: slices * m * n)
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      partials.withUnsafeMutableBufferPointer { pp in
        guard let a0 = pa.baseAddress, let b0 = pb.baseAddress, let p0 = pp.baseAddress else {
          return
        }
        // Each slice writes its own m·n partials.
        WorkerPool.shared.run(iterations: slices) { s in
          let start = s * slice
          let length = Swift.min(slice, k - start)
          // Blocks of 512 keep a block of every row of a and b in the first-level cache.
          var block = 0
          while block < length {
            let size = Swift.min(512, length - block)
            for row in 0..<m {
              let x = a0 + row * k + start + block
              for column in 0..<n {
                let y = b0 + column * k + start + block
                p0[(s * m + row) * n + column] += dot(x, y, count: size)
              }
            }
            block += size
          }
        }
      }
    }
  }
  return [Float](unsafeUninitializedCapacity: m * n) { out, initialized in
    for entry in 0..<m * n {
      var total: Float = 0
      for s in 0..<slices { total += partials[s * m * n + entry] }
      out[entry] = total
    }
    initialized = m * n
  }
}

/// Σ x[i] with two eight-lane accumulators, then the lanes and the tail in order: one
/// running float would make every add wait for the one before (a bias gradient over
/// 100 000 positions took 0.4 ms that way).
func contiguousSum(_ x: UnsafePointer<Float>, count: Int) -> Float {
  var even = SIMD8<Float>(repeating: 0)
  var odd = SIMD8<Float>(repeating: 0)
  var i = 0
  while i + 16 <= count {
    even += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
    odd += UnsafeRawPointer(x + i + 8).loadUnaligned(as: SIMD8<Float>.self)
    i += 16
  }
  var total = (even + odd).sum()
  while i < count {
    total += x[i]
    i += 1
  }
  return total
}

/// Σ x[i]·y[i] with two eight-lane accumulators, then the lanes and the tail in order.
@inline(__always)
private func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
  var even = SIMD8<Float>(repeating: 0)
  var odd = SIMD8<Float>(repeating: 0)
  var i = 0
  while i + 16 <= count {
    let x0 = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
    let y0 = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Float>.self)
    let x1 = UnsafeRawPointer(x + i + 8).loadUnaligned(as: SIMD8<Float>.self)
    let y1 = UnsafeRawPointer(y + i + 8).loadUnaligned(as: SIMD8<Float>.self)
    even.addProduct(x0, y0)
    odd.addProduct(x1, y1)
    i += 16
  }
  var total = (even + odd).sum()
  while i < count {
    total += x[i] * y[i]
    i += 1
  }
  return total
}
