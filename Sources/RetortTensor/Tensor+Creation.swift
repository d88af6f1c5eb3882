// MARK: - Constant tensors

extension Tensor {
  /// A tensor of `shape` filled with `value`.
  public static func full(_ shape: [Int], value: Float) throws -> Tensor {
    let count = try checkedCount(shape, op: "full")
    return Tensor(uncheckedShape: shape, scalars: [Float](repeating: value, count: count))
  }

  /// A tensor of zeros.
  public static func zeros(_ shape: [Int]) throws -> Tensor { try full(shape, value: 0) }

  /// A tensor of ones.
  public static func ones(_ shape: [Int]) throws -> Tensor { try full(shape, value: 1) }

  /// start, start + step, … up to but excluding `end`.
  public static func arange(_ start: Float, _ end: Float, step: Float = 1) throws -> Tensor {
    guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
      throw TensorError(op: "arange", "needs finite bounds and a nonzero step, got step \(step)")
    }
    // Checked as a Float first: converting a huge quotient to Int would trap.
    let steps = Swift.max(0, ((end - start) / step).rounded(.up))
    guard steps <= 100_000_000 else {
      throw TensorError(
        op: "arange", "would create \(steps) elements; the limit is 100000000",
        hint: "use a larger step or a shorter range")
    }
    let n = Int(steps)
    return Tensor(uncheckedShape: [n], scalars: (0..<n).map { start + Float($0) * step })
  }

  /// `count` evenly spaced values from `start` to `end`, both included.
  public static func linspace(_ start: Float, _ end: Float, count: Int) throws -> Tensor {
    guard count >= 0 else {
      throw TensorError(op: "linspace", "count must not be negative, got \(count)")
    }
    if count == 1 { return Tensor([start]) }
    let step = (end - start) / Float(Swift.max(count - 1, 1))
    return Tensor(uncheckedShape: [count], scalars: (0..<count).map { start + Float($0) * step })
  }

  /// The n×n identity matrix.
  public static func eye(_ n: Int) throws -> Tensor {
    let result = try zeros([n, n])
    result.updateInPlace { buffer in for i in 0..<n { buffer[i * n + i] = 1 } }
    return result
  }

  /// A tensor from a nested array literal (`[[1, 2], [3, 4]]`) given as `Any`.
  ///
  /// Numbers may be `Int`, `Float` or `Double`; ragged rows are an error that says where.
  public static func fromNested(_ value: Any) throws -> Tensor {
    var shape: [Int] = []
    var values: [Float] = []
    // The depth at which numbers sit, once the first one is seen: every number must sit
    // there and every list above it, or the rows are ragged (`[1, [2]]`, `[[1], 2]`).
    var leafDepth: Int?
    func visit(_ item: Any, depth: Int, path: [Int]) throws {
      if let list = item as? [Any] {
        if let leafDepth, depth >= leafDepth {
          throw TensorError(
            op: "tensor", "ragged nested list: a list at \(path) where a number was expected")
        }
        if depth == shape.count {
          shape.append(list.count)
        } else if shape[depth] != list.count {
          throw TensorError(
            op: "tensor",
            "ragged nested list: the row at \(path) has \(list.count) entries, expected "
              + "\(shape[depth])")
        }
        for (i, element) in list.enumerated() {
          try visit(element, depth: depth + 1, path: path + [i])
        }
        return
      }
      guard depth == shape.count, leafDepth == nil || leafDepth == depth else {
        throw TensorError(op: "tensor", "ragged nested list: a number at \(path) where a list was")
      }
      leafDepth = depth
      switch item {
      case let x as Float: values.append(x)
      case let x as Double: values.append(Float(x))
      case let x as Int: values.append(Float(x))
      case let x as Bool: values.append(x ? 1 : 0)
      default:
        throw TensorError(op: "tensor", "expected a number at \(path), got \(type(of: item))")
      }
    }
    try visit(value, depth: 0, path: [])
    guard values.count == shape.elementCount else {
      throw TensorError(op: "tensor", "ragged nested list: rows differ in depth")
    }
    return Tensor(uncheckedShape: shape, scalars: values)
  }
}

// MARK: - Random tensors

extension Tensor {
  /// Standard normal samples scaled by `std` and shifted by `mean`.
  public static func randomNormal(
    _ shape: [Int], mean: Float = 0, std: Float = 1, generator: inout SeededGenerator
  ) throws -> Tensor {
    let result = try zeros(shape)
    result.updateInPlace { buffer in
      for i in 0..<buffer.count { buffer[i] = mean + std * Float(generator.nextNormal()) }
    }
    return result
  }

  /// Uniform samples in [low, high).
  public static func randomUniform(
    _ shape: [Int], low: Float = 0, high: Float = 1, generator: inout SeededGenerator
  ) throws -> Tensor {
    let result = try zeros(shape)
    let width = Double(high - low)
    result.updateInPlace { buffer in
      for i in 0..<buffer.count {
        buffer[i] = low + Float(generator.nextUniform() * width)
      }
    }
    return result
  }

  /// Normal samples from the process-wide generator (reset by the `seed` command).
  public static func randn(_ shape: [Int]) throws -> Tensor {
    try SeededGenerator.withGlobal { try randomNormal(shape, generator: &$0) }
  }

  /// Uniform [0, 1) samples from the process-wide generator.
  public static func rand(_ shape: [Int]) throws -> Tensor {
    try SeededGenerator.withGlobal { try randomUniform(shape, generator: &$0) }
  }
}
