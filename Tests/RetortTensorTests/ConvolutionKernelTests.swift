import Testing

@testable import RetortTensor

/// The fast paths of convolution and pooling against plain loops written from the
/// definitions, on shapes the PyTorch fixtures do not reach (odd sizes, several images,
/// long inner dimensions, ties and NaNs).
@Suite struct ConvolutionKernelTests {
  // MARK: - References

  /// y[n, o, oy, ox] = b[o] + Σ x[n, c, oy·s − p + i, ox·s − p + j] · w[o, c, i, j].
  static func referenceConv(
    _ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, padding: Int
  ) -> [Double] {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, k) = (w.shape[0], w.shape[2])
    let outH = (h + 2 * padding - k) / stride + 1
    let outW = (wd + 2 * padding - k) / stride + 1
    var y = [Double](repeating: 0, count: n * o * outH * outW)
    for image in 0..<n {
      for out in 0..<o {
        for oy in 0..<outH {
          for ox in 0..<outW {
            var total = Double(b?.scalars[out] ?? 0)
            for channel in 0..<c {
              for i in 0..<k {
                for j in 0..<k {
                  let (yy, xx) = (oy * stride - padding + i, ox * stride - padding + j)
                  guard yy >= 0, yy < h, xx >= 0, xx < wd else { continue }
                  total +=
                    Double(x.scalars[((image * c + channel) * h + yy) * wd + xx])
                    * Double(w.scalars[((out * c + channel) * k + i) * k + j])
                }
              }
            }
            y[((image * o + out) * outH + oy) * outW + ox] = total
          }
        }
      }
    }
    return y
  }

  /// The first maximum of each window in row-major order, a NaN replacing it (the last NaN
  /// winning), as PyTorch's max_pool2d does; returns values and winning input offsets.
  static func referenceMaxPool(_ x: Tensor, kernel: Int) -> ([Float], [Int]) {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let (outH, outW) = ((h - kernel) / kernel + 1, (w - kernel) / kernel + 1)
    var values: [Float] = []
    var winners: [Int] = []
    for p in 0..<planes {
      for oy in 0..<outH {
        for ox in 0..<outW {
          var best = -Float.infinity
          var index = -1
          for i in 0..<kernel {
            for j in 0..<kernel {
              let at = (p * h + oy * kernel + i) * w + ox * kernel + j
              let v = x.scalars[at]
              if index < 0 || v > best || v.isNaN { (best, index) = (v, at) }
            }
          }
          values.append(best)
          winners.append(index)
        }
      }
    }
    return (values, winners)
  }

  static func random(_ shape: [Int], seed: UInt64) throws -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return try Tensor.randomNormal(shape, generator: &generator)
  }

  // MARK: - Convolution

  @Test(
    "stride-1 convolutions (the padded-grid layout) and their gradients match the definition",
    arguments: [(3, 0), (3, 1), (5, 2), (1, 0), (2, 1)])
  func strideOneMatchesTheDefinition(kernel: Int, padding: Int) throws {
    let x = try Self.random([3, 2, 7, 9], seed: 1)
    let w = try Self.random([4, 2, kernel, kernel], seed: 2)
    let b = try Self.random([4], seed: 3)
    (x.requiresGrad, w.requiresGrad, b.requiresGrad) = (true, true, true)
    let y = try x.conv2d(weight: w, bias: b, padding: padding)
    let expected = Self.referenceConv(x, w, b, stride: 1, padding: padding)
    #expect(y.count == expected.count)
    for (got, want) in zip(y.scalars, expected) { #expect(Swift.abs(Double(got) - want) < 1e-4) }

    // Σ y·u is linear in x, w and b, so its gradients follow from the reference by
    // central differences without truncation error (only rounding).
    let upstream = try Self.random(y.shape, seed: 4)
    try (y * upstream).sum().backward()
    func loss(_ x: Tensor, _ w: Tensor, _ b: Tensor) -> Double {
      zip(Self.referenceConv(x, w, b, stride: 1, padding: padding), upstream.scalars)
        .reduce(0) { $0 + $1.0 * Double($1.1) }
    }
    for (tensor, grad) in [(x, x.grad), (w, w.grad), (b, b.grad)] {
      let grad = try #require(grad)
      for index in stride(from: 0, to: tensor.count, by: Swift.max(1, tensor.count / 23)) {
        func shifted(_ delta: Float) throws -> Double {
          var values = tensor.scalars
          values[index] += delta
          let moved = try Tensor(shape: tensor.shape, scalars: values)
          return loss(tensor === x ? moved : x, tensor === w ? moved : w, tensor === b ? moved : b)
        }
        let numeric = (try shifted(0.5) - shifted(-0.5))
        #expect(
          Swift.abs(Double(grad.scalars[index]) - numeric) < 1e-3 * Swift.max(1, Swift.abs(numeric))
        )
      }
    }
  }

  @Test("a long inner dimension with a small output (a first layer's weight gradient)")
  func skinnyProductMatchesSums() throws {
    let (m, n, k) = (5, 7, 20_003)
    let a = try Self.random([m, k], seed: 5).scalars
    let b = try Self.random([n, k], seed: 6).scalars
    let c = multiplyTransposed(a, b, m: m, n: n, k: k)
    for row in 0..<m {
      for column in 0..<n {
        var total = 0.0
        for i in 0..<k { total += Double(a[row * k + i]) * Double(b[column * k + i]) }
        #expect(
          Swift.abs(Double(c[row * n + column]) - total) < 1e-3 * Swift.max(1, Swift.abs(total)))
      }
    }
    #expect(multiplyTransposed(a, b, m: m, n: n, k: k) == c)
  }

  @Test("contiguous sums add every element, tails included", arguments: [0, 1, 15, 16, 17, 1000])
  func contiguousSums(count: Int) {
    let values = (0..<count).map { Float($0 % 7) - 2.5 }
    let total = values.withUnsafeBufferPointer { p in
      p.baseAddress.map { contiguousSum($0, count: count) } ?? 0
    }
    #expect(total == values.reduce(0, +))
  }

  // MARK: - Pooling

  @Test(
    "2×2 max pooling picks PyTorch's element, ties and NaNs included",
    arguments: [[2, 3, 6, 8], [1, 2, 7, 9], [3, 1, 14, 14], [1, 1, 2, 2]])
  func maxPoolTwoByTwo(shape: [Int]) throws {
    var generator = SeededGenerator(seed: UInt64(shape.reduce(0, +)))
    // Few distinct values make ties common; some NaNs, some infinities.
    let scalars = (0..<shape.reduce(1, *)).map { _ -> Float in
      switch generator.nextInt(below: 20) {
      case 0: return .nan
      case 1: return -.infinity
      default: return Float(generator.nextInt(below: 4))
      }
    }
    let x = try Tensor(shape: shape, scalars: scalars)
    x.requiresGrad = true
    let y = try x.maxPool2d(kernel: 2)
    let (values, winners) = Self.referenceMaxPool(x, kernel: 2)
    #expect(y.scalars.map(\.bitPattern) == values.map(\.bitPattern))
    try y.sum().backward()
    let grad = try #require(x.grad)
    var expected = [Float](repeating: 0, count: x.count)
    for index in winners { expected[index] += 1 }
    #expect(grad.scalars == expected)
  }

  @Test("3×3 max pooling with stride 1 and padding keeps to the same rule")
  func maxPoolGeneral() throws {
    let x = try Self.random([2, 2, 5, 6], seed: 7)
    let y = try x.maxPool2d(kernel: 3, stride: 1, padding: 1)
    #expect(y.shape == [2, 2, 5, 6])
    for p in 0..<4 {
      for oy in 0..<5 {
        for ox in 0..<6 {
          var best = -Float.infinity
          for i in -1...1 {
            for j in -1...1 where (0..<5).contains(oy + i) && (0..<6).contains(ox + j) {
              best = Swift.max(best, x.scalars[(p * 5 + oy + i) * 6 + ox + j])
            }
          }
          #expect(y.scalars[(p * 5 + oy) * 6 + ox] == best)
        }
      }
    }
  }
}

@Suite struct AllocatorTests {
  @Test("the allocator settings take on glibc")
  func settingsTake() {
    #if canImport(Glibc)
      #expect(Allocator.configureForTraining())
    #endif
  }
}
