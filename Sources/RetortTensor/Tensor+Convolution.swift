/// The geometry of a 2-D window sliding over `[N, C, H, W]` images.
struct WindowGeometry {
  let batch: Int, channels: Int, height: Int, width: Int
  let kernelH: Int, kernelW: Int, stride: Int, padding: Int
  var outH: Int { (height + 2 * padding - kernelH) / stride + 1 }
  var outW: Int { (width + 2 * padding - kernelW) / stride + 1 }

  init(
    input: [Int], kernelH: Int, kernelW: Int, stride: Int, padding: Int, op: String
  ) throws {
    guard input.count == 4 else {
      throw TensorError(
        op: op, "expected input [N, C, H, W], got \(formatShape(input))",
        hint: "reshape flat images first, for example to [N, 1, 8, 8]")
    }
    guard stride > 0, padding >= 0, kernelH > 0, kernelW > 0 else {
      throw TensorError(
        op: op, "kernel \(kernelH)x\(kernelW), stride \(stride), padding \(padding) is invalid",
        hint: "kernel and stride must be positive and padding not negative")
    }
    (batch, channels, height, width) = (input[0], input[1], input[2], input[3])
    (self.kernelH, self.kernelW, self.stride, self.padding) = (kernelH, kernelW, stride, padding)
    guard height + 2 * padding >= kernelH, width + 2 * padding >= kernelW else {
      throw TensorError(
        op: op,
        "a \(kernelH)x\(kernelW) window does not fit a \(height)x\(width) image with padding "
          + "\(padding)", hint: "use a smaller kernel or more padding")
    }
  }
}

// MARK: - Convolution as im2col and one matrix product

extension Tensor {
  /// 2-D cross-correlation (PyTorch's conv2d): input `[N, C, H, W]`, weight `[O, C, kh, kw]`,
  /// optional bias `[O]`; the result is `[N, O, H', W']`.
  ///
  /// The patches of the whole batch are unfolded into one `[C·kh·kw, N·H'·W']` matrix, so
  /// the convolution is a single sgemm with the weights viewed as `[O, C·kh·kw]`.
  public func conv2d(
    weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0
  ) throws -> Tensor {
    guard weight.rank == 4 else {
      throw TensorError(
        op: "conv2d", "expected weight [O, C, kh, kw], got \(formatShape(weight.shape))")
    }
    let geometry = try WindowGeometry(
      input: shape, kernelH: weight.shape[2], kernelW: weight.shape[3], stride: stride,
      padding: padding, op: "conv2d")
    guard weight.shape[1] == geometry.channels else {
      throw TensorError(
        op: "conv2d",
        "the input has \(geometry.channels) channels (\(formatShape(shape))) but the weight "
          + "expects \(weight.shape[1]) (\(formatShape(weight.shape)))")
    }
    let outChannels = weight.shape[0]
    if let bias, bias.shape != [outChannels] {
      throw TensorError(
        op: "conv2d", "bias \(formatShape(bias.shape)) does not match \(outChannels) channels")
    }
    let patch = geometry.channels * geometry.kernelH * geometry.kernelW
    let layout = UnfoldLayout(geometry)
    let columns = layout.columns
    let cols = layout.unfold(scalars)
    let product = multiply(weight.scalars, cols, m: outChannels, k: patch, n: columns)
    // [O, N, rows, stride] -> [N, O, rows, width], adding the bias on the way.
    let shifts = bias?.scalars ?? [Float](repeating: 0, count: outChannels)
    let values = layout.gatherOutput(product, channels: outChannels, adding: shifts)
    let outShape = [geometry.batch, outChannels, geometry.outH, geometry.outW]
    let input = self
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return Tensor(uncheckedShape: outShape, scalars: values).recorded("conv2d", inputs: inputs) {
      g in
      // Back to the layout of the forward product: [O, N, rows, stride].
      let gradOut = layout.spreadGradient(g.scalars, channels: outChannels)
      var grads: [Tensor?] = [nil, nil]
      if weight.requiresGrad {
        let dw = multiplyTransposed(gradOut, cols, m: outChannels, n: patch, k: columns)
        grads[1] = Tensor(uncheckedShape: weight.shape, scalars: dw)
      }
      if input.requiresGrad {
        let dcols = multiply(
          weight.scalars, gradOut, m: patch, k: outChannels, n: columns, transposeA: true)
        grads[0] = Tensor(uncheckedShape: input.shape, scalars: layout.fold(dcols))
      }
      if bias != nil {
        let db = gradOut.withUnsafeBufferPointer { rows in
          (0..<outChannels).map { o in
            rows.baseAddress.map { contiguousSum($0 + o * columns, count: columns) } ?? 0
          }
        }
        grads.append(Tensor(uncheckedShape: [outChannels], scalars: db))
      }
      return grads
    }
  }
}

/// `op(a) · op(b)` as a new `[m, n]` array (sgemm writes every element: beta = 0).
func multiply(
  _ a: [Float], _ b: [Float], m: Int, k: Int, n: Int,
  transposeA: Bool = false, transposeB: Bool = false
) -> [Float] {
  guard m > 0, n > 0, k > 0 else { return [Float](repeating: 0, count: m * n) }
  return [Float](unsafeUninitializedCapacity: m * n) { c, initialized in
    a.withUnsafeBufferPointer { pa in
      b.withUnsafeBufferPointer { pb in
        guard let a0 = pa.baseAddress, let b0 = pb.baseAddress, let c0 = c.baseAddress else {
          return
        }
        sgemm(
          transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
          a0, lda: transposeA ? m : k, b0, ldb: transposeB ? k : n, c0, ldc: n)
      }
    }
    initialized = m * n
  }
}

extension WindowGeometry {
  /// Calls `body(entry, pixel, valid)` for every row of outW entries of the unfolded patch
  /// matrix `[C·kh·kw, N·H'·W']`: row (c, i, j), column block (n, y). Entry `entry + ox`
  /// reads input offset `pixel + ox·stride` for ox in `valid`; the entries outside `valid`
  /// (and a whole row whose y falls in the padding) are padding cells. im2col and its
  /// adjoint walk the same windows, so they share this loop, inlined into each.
  @inline(__always)
  func forEachUnfoldedRow(_ body: (_ entry: Int, _ pixel: Int, _ valid: Range<Int>) -> Void) {
    let spatial = outH * outW
    let columns = batch * spatial
    for c in 0..<channels {
      for i in 0..<kernelH {
        for j in 0..<kernelW {
          // The ox whose x = ox·stride − padding + j lands inside [0, width): from
          // ⌈(padding − j) / stride⌉ to ⌊(width − 1 + padding − j) / stride⌋, written with
          // the signs checked because integer division truncates towards zero.
          let before = padding - j
          let first = before <= 0 ? 0 : (before + stride - 1) / stride
          let after = width - 1 + padding - j
          let last = after < 0 ? 0 : Swift.min(outW, after / stride + 1)
          let inside = first..<Swift.max(first, last)
          let row = ((c * kernelH + i) * kernelW + j) * columns
          for n in 0..<batch {
            let image = (n * channels + c) * height * width
            for oy in 0..<outH {
              let y = oy * stride - padding + i
              let entry = row + n * spatial + oy * outW
              let rowInside = y >= 0 && y < height
              body(entry, image + y * width + j - padding, rowInside ? inside : 0..<0)
            }
          }
        }
      }
    }
  }
}

/// Unfolds every window of the batch into a column: row (c, i, j), column (n, y, x).
func im2col(_ x: [Float], _ g: WindowGeometry) -> [Float] {
  let count = g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW
  let (stride, outW) = (g.stride, g.outW)
  return [Float](unsafeUninitializedCapacity: count) { dst, initialized in
    x.withUnsafeBufferPointer { src in
      guard let to = dst.baseAddress, let from = src.baseAddress else { return }
      g.forEachUnfoldedRow { entry, pixel, valid in
        let out = to + entry
        for ox in 0..<valid.lowerBound { out[ox] = 0 }
        if stride == 1 {
          for ox in valid { out[ox] = from[pixel + ox] }
        } else {
          for ox in valid { out[ox] = from[pixel + ox * stride] }
        }
        for ox in valid.upperBound..<outW { out[ox] = 0 }
      }
    }
    initialized = count
  }
}

/// The adjoint of `im2col`: adds each column entry back onto the pixel it came from.
func col2im(_ cols: [Float], _ g: WindowGeometry) -> [Float] {
  var x = [Float](repeating: 0, count: g.batch * g.channels * g.height * g.width)
  let stride = g.stride
  x.withUnsafeMutableBufferPointer { dst in
    cols.withUnsafeBufferPointer { src in
      guard let to = dst.baseAddress, let from = src.baseAddress else { return }
      g.forEachUnfoldedRow { entry, pixel, valid in
        if stride == 1 {
          for ox in valid { to[pixel + ox] += from[entry + ox] }
        } else {
          for ox in valid { to[pixel + ox * stride] += from[entry + ox] }
        }
      }
    }
  }
  return x
}

// MARK: - Pooling

extension WindowGeometry {
  /// Calls `body(out, rows, columns, plane)` for every pooling window: output offset `out`
  /// covers input rows `rows` and columns `columns` of the plane starting at `plane`,
  /// already clipped to the image (the padding cells are left out).
  @inline(__always)
  func forEachWindow(
    kernel: Int,
    _ body: (_ out: Int, _ rows: Range<Int>, _ columns: Range<Int>, _ plane: Int) -> Void
  ) {
    for p in 0..<batch * channels {
      let plane = p * height * width
      for oy in 0..<outH {
        let y0 = oy * stride - padding
        let rows = Swift.max(y0, 0)..<Swift.max(Swift.max(y0, 0), Swift.min(y0 + kernel, height))
        for ox in 0..<outW {
          let x0 = ox * stride - padding
          let columns =
            Swift.max(x0, 0)..<Swift.max(Swift.max(x0, 0), Swift.min(x0 + kernel, width))
          body((p * outH + oy) * outW + ox, rows, columns, plane)
        }
      }
    }
  }
}

extension Tensor {
  /// Max pooling over `kernel`×`kernel` windows (stride defaults to the kernel size). The
  /// first maximum of a window wins (a NaN counts as the maximum), and the gradient goes to
  /// it alone, as in PyTorch.
  public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
    let g = try WindowGeometry(
      input: shape, kernelH: kernel, kernelW: kernel, stride: stride ?? kernel,
      padding: padding, op: "maxpool")
    let outCount = g.batch * g.channels * g.outH * g.outW
    let width = g.width
    // The input offset of each window's maximum, -1 for a window of padding only.
    var winners = [Int](repeating: -1, count: outCount)
    let values = [Float](unsafeUninitializedCapacity: outCount) { out, initialized in
      scalars.withUnsafeBufferPointer { src in
        winners.withUnsafeMutableBufferPointer { winner in
          if kernel == 2, g.stride == 2, g.padding == 0, count <= Int(Int32.max) {
            Tensor.maxPool2x2(src, into: out, winners: winner, g)
            return
          }
          g.forEachWindow(kernel: kernel) { o, rows, columns, plane in
            guard !rows.isEmpty, !columns.isEmpty else {
              (out[o], winner[o]) = (-.infinity, -1)
              return
            }
            var bestIndex = plane + rows.lowerBound * width + columns.lowerBound
            var best = src[bestIndex]
            for y in rows {
              let line = plane + y * width
              for x in columns {
                let v = src[line + x]
                // v > best, or v is NaN (v != v): a later NaN wins, as in PyTorch. Two
                // compares and selects, no branch: which element of a window is largest
                // is a coin toss for a branch predictor.
                let take = (v > best) || (v != v)
                best = take ? v : best
                bestIndex = take ? line + x : bestIndex
              }
            }
            out[o] = best
            winner[o] = bestIndex
          }
        }
      }
      initialized = outCount
    }
    let input = self
    return Tensor(uncheckedShape: [g.batch, g.channels, g.outH, g.outW], scalars: values)
      .recorded("maxpool", inputs: [input]) { grad in
        var dx = [Float](repeating: 0, count: input.count)
        dx.withUnsafeMutableBufferPointer { dx in
          grad.scalars.withUnsafeBufferPointer { upstream in
            winners.withUnsafeBufferPointer { winners in
              for o in 0..<winners.count where winners[o] >= 0 {
                dx[winners[o]] += upstream[o]
              }
            }
          }
        }
        return [Tensor(uncheckedShape: input.shape, scalars: dx)]
      }
  }

  /// Max pooling over 2×2 windows with stride 2, the usual case: the same choices as the
  /// general loop (the first maximum in row-major order, or the last NaN), with the four
  /// values of a window loaded at once and the running choice kept in registers (the
  /// general loop's reload of the best value through its index serialises every window).
  static func maxPool2x2(
    _ src: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>,
    winners: UnsafeMutableBufferPointer<Int>, _ g: WindowGeometry
  ) {
    guard let from = src.baseAddress, let to = out.baseAddress,
      let chosen = winners.baseAddress
    else { return }
    let (width, outH, outW) = (g.width, g.outH, g.outW)
    for p in 0..<g.batch * g.channels {
      for oy in 0..<outH {
        let top = (p &* g.height &+ 2 &* oy) &* width
        let first = (p &* outH &+ oy) &* outW
        let (upper, lower) = (from + top, from + (top &+ width))
        for ox in 0..<outW {
          let x = 2 &* ox
          var best = upper[x]
          var offset = 0
          @inline(__always) func consider(_ candidate: Float, _ at: Int) {
            // v > best, or v is NaN (v != v); never both.
            let take = (candidate > best) != (candidate != candidate)
            best = take ? candidate : best
            offset = take ? at : offset
          }
          consider(upper[x &+ 1], 1)
          consider(lower[x], width)
          consider(lower[x &+ 1], width &+ 1)
          to[first &+ ox] = best
          chosen[first &+ ox] = top &+ x &+ offset
        }
      }
    }
  }

  /// Average pooling; padded cells count towards the divisor, as in PyTorch's default.
  public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
    let g = try WindowGeometry(
      input: shape, kernelH: kernel, kernelW: kernel, stride: stride ?? kernel,
      padding: padding, op: "avgpool")
    let outCount = g.batch * g.channels * g.outH * g.outW
    let scale = 1 / Float(kernel * kernel)
    let width = g.width
    var values = [Float](repeating: 0, count: outCount)
    values.withUnsafeMutableBufferPointer { out in
      scalars.withUnsafeBufferPointer { src in
        g.forEachWindow(kernel: kernel) { o, rows, columns, plane in
          for y in rows {
            for x in columns { out[o] += src[plane + y * width + x] * scale }
          }
        }
      }
    }
    let input = self
    return Tensor(uncheckedShape: [g.batch, g.channels, g.outH, g.outW], scalars: values)
      .recorded("avgpool", inputs: [input]) { grad in
        var dx = [Float](repeating: 0, count: input.count)
        dx.withUnsafeMutableBufferPointer { dx in
          grad.scalars.withUnsafeBufferPointer { upstream in
            g.forEachWindow(kernel: kernel) { o, rows, columns, plane in
              for y in rows {
                for x in columns { dx[plane + y * width + x] += upstream[o] * scale }
              }
            }
          }
        }
        return [Tensor(uncheckedShape: input.shape, scalars: dx)]
      }
  }
}
