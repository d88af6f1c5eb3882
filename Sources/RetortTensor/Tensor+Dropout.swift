// MARK: - Inverted dropout

extension Tensor {
  /// Zeros each element with probability `probability` and scales the survivors by
  /// 1/(1 − p), so every element keeps its expected value and evaluation needs no rescaling.
  ///
  /// The mask comes from a `LaneGenerator` seeded by one draw from `generator`: sixteen
  /// elements per vector step instead of one 64-bit draw per element, which made the mask
  /// cost more than the matrix product before it on wide layers. Element i takes word
  /// i mod 16 of the (i / 16)-th draw, so the same seed gives the same mask everywhere.
  /// The gradient is the incoming one times the same mask.
  public func dropout(probability: Float, generator: inout SeededGenerator) throws -> Tensor {
    guard probability >= 0, probability < 1 else {
      throw TensorError(
        op: "dropout", "probability must lie in [0, 1), got \(probability)",
        hint: "0.1 to 0.5 are usual values")
    }
    guard probability > 0 else { return self }
    let keep = 1 - probability
    var lanes = LaneGenerator(drawingFrom: &generator)
    let mask = Tensor.dropoutMask(
      count: count, keepThreshold: LaneGenerator.threshold(forProbability: Double(keep)),
      scale: 1 / keep, lanes: &lanes)
    let values = Tensor.product(scalars, mask)
    let input = self
    return Tensor(uncheckedShape: shape, scalars: values).recorded("dropout", inputs: [input]) {
      g in [Tensor(uncheckedShape: input.shape, scalars: Tensor.product(g.scalars, mask))]
    }
  }

  /// `scale` where the element's uniform word falls below `keepThreshold`, 0 elsewhere.
  static func dropoutMask(
    count: Int, keepThreshold: UInt32, scale: Float, lanes: inout LaneGenerator
  ) -> [Float] {
    let threshold = SIMD8<UInt32>(repeating: keepThreshold)
    let kept = SIMD8<Float>(repeating: scale)
    // The loop steps a local copy, kept in registers, rather than the captured `lanes`.
    var local = lanes
    defer { lanes = local }
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      guard let base = buffer.baseAddress else { return }
      var lanes = local
      defer { local = lanes }
      let raw = UnsafeMutableRawPointer(base)
      let stride = MemoryLayout<SIMD8<Float>>.stride
      var i = 0
      while i + 16 <= count {
        let (low, high) = lanes.nextWords()
        raw.storeBytes(
          of: kept.replacing(with: 0, where: low .>= threshold), toByteOffset: i * 4,
          as: SIMD8<Float>.self)
        raw.storeBytes(
          of: kept.replacing(with: 0, where: high .>= threshold), toByteOffset: i * 4 + stride,
          as: SIMD8<Float>.self)
        i += 16
      }
      if i < count {
        let (low, high) = lanes.nextWords()
        for j in 0..<(count - i) {
          let word = j < 8 ? low[j] : high[j - 8]
          buffer[i + j] = word < keepThreshold ? scale : 0
        }
      }
      initialized = count
    }
  }

  /// The elementwise product of two arrays of one length.
  static func product(_ a: [Float], _ b: [Float]) -> [Float] {
    [Float](unsafeUninitializedCapacity: a.count) { out, initialized in
      a.withUnsafeBufferPointer { a in
        b.withUnsafeBufferPointer { b in
          for i in 0..<a.count { out[i] = a[i] * b[i] }
        }
      }
      initialized = a.count
    }
  }
}
