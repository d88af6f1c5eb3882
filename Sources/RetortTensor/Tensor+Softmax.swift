import Foundation

extension Tensor {
  /// softmax(x / T) along `axis`.
  ///
  /// Each slice is shifted by its maximum before exponentiating, so large logits (or a small
  /// temperature) never overflow: softmax(z) = softmax(z − max z).
  public func softmax(alongAxis axis: Int = -1, temperature: Float = 1) throws -> Tensor {
    let resolved = try Tensor.normalizeAxis(axis, rank: rank, op: "softmax")
    guard temperature > 0, temperature.isFinite else {
      throw TensorError(
        op: "softmax", "temperature must be a positive number, got \(temperature)",
        hint: "T = 1 is the plain softmax; larger T gives softer distributions")
    }
    let (outer, extent, inner) = axisLayout(resolved)
    let y = softmaxKernel(outer, extent, inner, temperature, log: false)
    let input = self
    return Tensor(uncheckedShape: shape, scalars: y).recorded("softmax", inputs: [input]) { g in
      // dx = y ⊙ (g − Σ g⊙y) / T
      var dx = [Float](repeating: 0, count: y.count)
      for o in 0..<outer {
        for i in 0..<inner {
          var dot: Float = 0
          for k in 0..<extent {
            let p = (o * extent + k) * inner + i
            dot += g.scalars[p] * y[p]
          }
          for k in 0..<extent {
            let p = (o * extent + k) * inner + i
            dx[p] = y[p] * (g.scalars[p] - dot) / temperature
          }
        }
      }
      return [Tensor(uncheckedShape: input.shape, scalars: dx)]
    }
  }

  /// log(softmax(x / T)) along `axis`, computed as z − logsumexp(z) with z = x / T.
  public func logSoftmax(alongAxis axis: Int = -1, temperature: Float = 1) throws -> Tensor {
    let resolved = try Tensor.normalizeAxis(axis, rank: rank, op: "log_softmax")
    guard temperature > 0, temperature.isFinite else {
      throw TensorError(
        op: "log_softmax", "temperature must be a positive number, got \(temperature)")
    }
    let (outer, extent, inner) = axisLayout(resolved)
    let y = softmaxKernel(outer, extent, inner, temperature, log: true)
    let input = self
    return Tensor(uncheckedShape: shape, scalars: y).recorded("log_softmax", inputs: [input]) {
      g in
      // dx = (g − softmax · Σ g) / T
      var dx = [Float](repeating: 0, count: y.count)
      for o in 0..<outer {
        for i in 0..<inner {
          var total: Float = 0
          for k in 0..<extent { total += g.scalars[(o * extent + k) * inner + i] }
          for k in 0..<extent {
            let p = (o * extent + k) * inner + i
            dx[p] = (g.scalars[p] - Foundation.expf(y[p]) * total) / temperature
          }
        }
      }
      return [Tensor(uncheckedShape: input.shape, scalars: dx)]
    }
  }

  /// log Σ exp(x) along `axis`, stable for large inputs.
  public func logSumExp(alongAxis axis: Int = -1, keepingDims: Bool = false) throws -> Tensor {
    let shift = try max(alongAxis: axis, keepingDims: true).detached()
    let summed = try (self - shift).exp().sum(alongAxis: axis, keepingDims: true).log()
    let result = try summed + shift
    return keepingDims ? result : try result.squeezed(axes: [axis])
  }

  private func softmaxKernel(
    _ outer: Int, _ extent: Int, _ inner: Int, _ temperature: Float, log: Bool
  ) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    let scale = 1 / temperature
    scalars.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in
        for o in 0..<outer {
          for i in 0..<inner {
            let base = o * extent * inner + i
            var peak = -Float.infinity
            for k in 0..<extent { peak = Swift.max(peak, x[base + k * inner] * scale) }
            if !peak.isFinite { peak = 0 }
            var total: Float = 0
            for k in 0..<extent {
              let e = Foundation.expf(x[base + k * inner] * scale - peak)
              y[base + k * inner] = e
              total += e
            }
            if log {
              let logTotal = Foundation.logf(total)
              for k in 0..<extent {
                y[base + k * inner] = x[base + k * inner] * scale - peak - logTotal
              }
            } else {
              let inverse = 1 / total
              for k in 0..<extent { y[base + k * inner] *= inverse }
            }
          }
        }
      }
    }
    return out
  }
}
