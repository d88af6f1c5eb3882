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
    let spatial = geometry.outH * geometry.outW
    let columns = geometry.batch * spatial
    let cols = im2col(scalars, geometry)
    var product = [Float](repeating: 0, count: outChannels * columns)
    multiply(weight.scalars, cols, into: &product, m: outChannels, k: patch, n: columns)
    // [O, N, L] -> [N, O, L], adding the bias on the way.
    var values = [Float](repeating: 0, count: product.count)
    for n in 0..<geometry.batch {
      for o in 0..<outChannels {
        let shift = bias?.scalars[o] ?? 0
        let from = o * columns + n * spatial
        let to = (n * outChannels + o) * spatial
        for l in 0..<spatial { values[to + l] = product[from + l] + shift }
      }
    }
    let outShape = [geometry.batch, outChannels, geometry.outH, geometry.outW]
    let input = self
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return Tensor(uncheckedShape: outShape, scalars: values).recorded("conv2d", inputs: inputs) {
      g in
      // Back to [O, N·L] to mirror the forward product.
      var gradOut = [Float](repeating: 0, count: product.count)
      for n in 0..<geometry.batch {
        for o in 0..<outChannels {
          let from = (n * outChannels + o) * spatial
          let to = o * columns + n * spatial
          for l in 0..<spatial { gradOut[to + l] = g.scalars[from + l] }
        }
      }
      var grads: [Tensor?] = [nil, nil]
      if weight.requiresGrad {
        var dw = [Float](repeating: 0, count: weight.count)
        multiply(gradOut, cols, into: &dw, m: outChannels, k: columns, n: patch, transposeB: true)
        grads[1] = Tensor(uncheckedShape: weight.shape, scalars: dw)
      }
      if input.requiresGrad {
        var dcols = [Float](repeating: 0, count: cols.count)
        multiply(
          weight.scalars, gradOut, into: &dcols, m: patch, k: outChannels, n: columns,
          transposeA: true)
        grads[0] = Tensor(uncheckedShape: input.shape, scalars: col2im(dcols, geometry))
      }
      if bias != nil {
        var db = [Float](repeating: 0, count: outChannels)
        for o in 0..<outChannels {
          var total: Float = 0
          for c in 0..<columns { total += gradOut[o * columns + c] }
          db[o] = total
        }
        grads.append(Tensor(uncheckedShape: [outChannels], scalars: db))
      }
      return grads
    }
  }
}

private func multiply(
  _ a: [Float], _ b: [Float], into c: inout [Float], m: Int, k: Int, n: Int,
  transposeA: Bool = false, transposeB: Bool = false
) {
  guard m > 0, n > 0, k > 0 else { return }
  a.withUnsafeBufferPointer { pa in
    b.withUnsafeBufferPointer { pb in
      c.withUnsafeMutableBufferPointer { pc in
        guard let a0 = pa.baseAddress, let b0 = pb.baseAddress, let c0 = pc.baseAddress else {
          return
        }
        sgemm(
          transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
          a0, lda: transposeA ? m : k, b0, ldb: transposeB ? k : n, c0, ldc: n)
      }
    }
  }
}

extension WindowGeometry {
  /// Calls `body(entry, pixel)` for every in-bounds entry of the unfolded patch matrix:
  /// row (c, i, j), column (n, y, x) of `[C·kh·kw, N·H'·W']` against the input offset it
  /// reads. Padding cells are skipped. im2col and its adjoint walk the same windows, so they
  /// share this loop; it is inlined into each, so the closure costs nothing.
  @inline(__always)
  func forEachUnfolded(_ body: (_ entry: Int, _ pixel: Int) -> Void) {
    let spatial = outH * outW
    let columns = batch * spatial
    for c in 0..<channels {
      for i in 0..<kernelH {
        for j in 0..<kernelW {
          let row = ((c * kernelH + i) * kernelW + j) * columns
          for n in 0..<batch {
            let image = (n * channels + c) * height * width
            for oy in 0..<outH {
              let y = oy * stride - padding + i
              guard y >= 0, y < height else { continue }
              let entry = row + n * spatial + oy * outW
              for ox in 0..<outW {
                let x = ox * stride - padding + j
                if x >= 0, x < width { body(entry + ox, image + y * width + x) }
              }
            }
          }
        }
      }
    }
  }
}

/// Unfolds every window of the batch into a column: row (c, i, j), column (n, y, x).
private func im2col(_ x: [Float], _ g: WindowGeometry) -> [Float] {
  var cols = [Float](
    repeating: 0, count: g.channels * g.kernelH * g.kernelW * g.batch * g.outH * g.outW)
  cols.withUnsafeMutableBufferPointer { dst in
    x.withUnsafeBufferPointer { src in
      g.forEachUnfolded { entry, pixel in dst[entry] = src[pixel] }
    }
  }
  return cols
}

/// The adjoint of `im2col`: adds each column entry back onto the pixel it came from.
private func col2im(_ cols: [Float], _ g: WindowGeometry) -> [Float] {
  var x = [Float](repeating: 0, count: g.batch * g.channels * g.height * g.width)
  x.withUnsafeMutableBufferPointer { dst in
    cols.withUnsafeBufferPointer { src in
      g.forEachUnfolded { entry, pixel in dst[pixel] += src[entry] }
    }
  }
  return x
}

// MARK: - Pooling

extension Tensor {
  /// Max pooling over `kernel`×`kernel` windows (stride defaults to the kernel size).
  public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
    let g = try WindowGeometry(
      input: shape, kernelH: kernel, kernelW: kernel, stride: stride ?? kernel,
      padding: padding, op: "maxpool")
    let planes = g.batch * g.channels
    let outCount = planes * g.outH * g.outW
    var values = [Float](repeating: 0, count: outCount)
    var winners = [Int](repeating: 0, count: outCount)
    scalars.withUnsafeBufferPointer { src in
      for p in 0..<planes {
        let plane = p * g.height * g.width
        for oy in 0..<g.outH {
          for ox in 0..<g.outW {
            var best = -Float.infinity
            var bestIndex = -1
            for i in 0..<kernel {
              let y = oy * g.stride - g.padding + i
              guard y >= 0, y < g.height else { continue }
              for j in 0..<kernel {
                let x = ox * g.stride - g.padding + j
                guard x >= 0, x < g.width else { continue }
                let v = src[plane + y * g.width + x]
                if v > best || bestIndex < 0 || v.isNaN {
                  best = v
                  bestIndex = plane + y * g.width + x
                }
              }
            }
            let o = (p * g.outH + oy) * g.outW + ox
            values[o] = best
            winners[o] = bestIndex
          }
        }
      }
    }
    let input = self
    return Tensor(uncheckedShape: [g.batch, g.channels, g.outH, g.outW], scalars: values)
      .recorded("maxpool", inputs: [input]) { grad in
        var dx = [Float](repeating: 0, count: input.count)
        let upstream = grad.scalars
        for (o, index) in winners.enumerated() where index >= 0 { dx[index] += upstream[o] }
        return [Tensor(uncheckedShape: input.shape, scalars: dx)]
      }
  }

  /// Average pooling; padded cells count towards the divisor, as in PyTorch's default.
  public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) throws -> Tensor {
    let g = try WindowGeometry(
      input: shape, kernelH: kernel, kernelW: kernel, stride: stride ?? kernel,
      padding: padding, op: "avgpool")
    let planes = g.batch * g.channels
    let scale = 1 / Float(kernel * kernel)
    var values = [Float](repeating: 0, count: planes * g.outH * g.outW)
    func forEachCell(_ body: (_ out: Int, _ inIndex: Int) -> Void) {
      for p in 0..<planes {
        let plane = p * g.height * g.width
        for oy in 0..<g.outH {
          for ox in 0..<g.outW {
            let o = (p * g.outH + oy) * g.outW + ox
            for i in 0..<kernel {
              let y = oy * g.stride - g.padding + i
              guard y >= 0, y < g.height else { continue }
              for j in 0..<kernel {
                let x = ox * g.stride - g.padding + j
                if x >= 0, x < g.width { body(o, plane + y * g.width + x) }
              }
            }
          }
        }
      }
    }
    let source = scalars
    forEachCell { o, i in values[o] += source[i] * scale }
    let input = self
    return Tensor(uncheckedShape: [g.batch, g.channels, g.outH, g.outW], scalars: values)
      .recorded("avgpool", inputs: [input]) { grad in
        var dx = [Float](repeating: 0, count: input.count)
        let upstream = grad.scalars
        forEachCell { o, i in dx[i] += upstream[o] * scale }
        return [Tensor(uncheckedShape: input.shape, scalars: dx)]
      }
  }
}
