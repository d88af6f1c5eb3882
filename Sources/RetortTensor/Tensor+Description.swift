import Foundation

/// Options for printing tensors, in the spirit of `numpy.set_printoptions`.
public struct TensorPrintOptions: Sendable {
  /// Digits after the decimal point.
  public var precision: Int = 4
  /// Above this many elements, only the edges of each axis are shown, with `...`.
  public var threshold: Int = 1000
  /// How many leading and trailing entries of each axis a summary shows.
  public var edgeItems: Int = 3

  public init(precision: Int = 4, threshold: Int = 1000, edgeItems: Int = 3) {
    self.precision = precision
    self.threshold = threshold
    self.edgeItems = edgeItems
  }
}

extension Tensor {
  /// NumPy-style text: aligned columns, fixed precision, `...` for large tensors, and the
  /// shape, e.g. `tensor([[1.0000, 2.0000], [3.0000, 4.0000]], shape=[2, 2])`.
  public func formatted(_ options: TensorPrintOptions = TensorPrintOptions()) -> String {
    let summarize = count > options.threshold
    let edge = options.edgeItems
    func shown(_ axis: Int) -> [Int?] {
      let n = shape[axis]
      guard summarize, n > 2 * edge else { return (0..<n).map { $0 } }
      return (0..<edge).map { $0 } + [nil] + ((n - edge)..<n).map { $0 }
    }
    let strides = contiguousStrides(shape)
    // The offsets of the elements actually printed: the style and the column width come from
    // them alone, as in NumPy, so a hidden outlier neither widens every column nor costs a
    // pass formatting a million numbers.
    var shownOffsets: [Int] = []
    func collect(_ axis: Int, _ offset: Int) {
      if axis == rank {
        shownOffsets.append(offset)
        return
      }
      for case let index? in shown(axis) { collect(axis + 1, offset + index * strides[axis]) }
    }
    collect(0, 0)
    let shownValues = shownOffsets.map { scalars[$0] }
    let finite = shownValues.filter { $0.isFinite }
    let allIntegral = shownValues.allSatisfy {
      $0.isFinite && $0 == $0.rounded() && Swift.abs($0) < 1e7
    }
    // One style for the whole tensor: scientific when any shown magnitude is very large or
    // very small, so that every column reads the same way.
    let scientific =
      !allIntegral
      && finite.contains {
        let magnitude = Swift.abs($0)
        return magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4)
      }
    func text(_ x: Float) -> String {
      if x.isNaN { return "nan" }
      if x.isInfinite { return x > 0 ? "inf" : "-inf" }
      if allIntegral { return String(format: "%.0f.", Double(x)) }
      if scientific { return String(format: "%.\(options.precision)e", Double(x)) }
      return String(format: "%.\(options.precision)f", Double(x))
    }
    let width = shownValues.map { text($0).count }.max() ?? 1
    func pad(_ s: String) -> String {
      String(repeating: " ", count: Swift.max(0, width - s.count)) + s
    }
    func render(_ axis: Int, _ offset: Int, _ indent: String) -> String {
      if axis == rank { return pad(text(scalars[offset])) }
      let items = shown(axis).map { index -> String in
        guard let index else { return "..." }
        return render(axis + 1, offset + index * strides[axis], indent + " ")
      }
      if axis == rank - 1 { return "[" + items.joined(separator: ", ") + "]" }
      let separator = "," + String(repeating: "\n", count: rank - axis - 1) + indent + " "
      return "[" + items.joined(separator: separator) + "]"
    }
    if rank == 0 { return "tensor(\(text(scalars.first ?? 0)))" }
    let body = render(0, 0, "       ")
    var suffix = ", shape=\(formatShape(shape))"
    if let function = gradFunction {
      suffix += ", grad_fn=\(function.name)"
    } else if requiresGrad {
      suffix += ", requires_grad"
    }
    return "tensor(\(body)\(suffix))"
  }
}
