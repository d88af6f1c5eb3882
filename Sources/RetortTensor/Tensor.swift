/// A dense float32 tensor in contiguous row-major storage, with optional gradient tracking.
///
/// `Tensor` is a reference type: the autograd tape links results to the tensors they were
/// computed from, and `grad` accumulates on the very object a model holds as a parameter.
/// Element storage is a Swift array, so tensors that share data (a reshape) copy it only
/// when one of them is written in place.
public final class Tensor {
  /// The extent of each axis; `[]` for a scalar.
  public let shape: [Int]
  /// The elements in row-major order; `count == shape.product`.
  public private(set) var scalars: [Float]
  /// Whether operations on this tensor are recorded for `backward()`.
  public var requiresGrad: Bool
  /// The accumulated gradient of the last `backward()` calls, for leaf tensors.
  public var grad: Tensor?
  /// How this tensor was computed, when it was recorded on the tape.
  public internal(set) var gradFunction: GradFunction?
  /// Bumped on every in-place write, so caches keyed on a tensor can tell it changed.
  public private(set) var version: Int = 0
  /// An optional name used in error messages and checkpoints.
  public var name: String?

  /// Creates a tensor from row-major `scalars`; throws when the count does not fit `shape`.
  public init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) throws {
    let count = try Tensor.checkedCount(shape, op: "tensor")
    guard count == scalars.count else {
      throw TensorError(
        op: "tensor",
        "shape \(formatShape(shape)) holds \(count) elements but \(scalars.count) were given")
    }
    self.shape = shape
    self.scalars = scalars
    self.requiresGrad = requiresGrad
  }

  /// The element count of `shape`, or an error for a negative extent or a count that would
  /// overflow (`reduce(1, *)` would trap on a shape typed by mistake, like `[1 << 40, 1 << 40]`).
  static func checkedCount(_ shape: [Int], op: String) throws -> Int {
    var count = 1
    for extent in shape {
      guard extent >= 0 else {
        throw TensorError(op: op, "shape \(formatShape(shape)) has a negative extent")
      }
      let (product, overflow) = count.multipliedReportingOverflow(by: extent)
      guard !overflow else {
        throw TensorError(
          op: op, "shape \(formatShape(shape)) has too many elements to store",
          hint: "check the shape for a typo")
      }
      count = product
    }
    return count
  }

  /// Internal initialiser for results whose element count is known to be right.
  init(uncheckedShape shape: [Int], scalars: [Float]) {
    self.shape = shape
    self.scalars = scalars
    self.requiresGrad = false
  }

  /// A rank-0 tensor holding `value`.
  public convenience init(_ value: Float) {
    self.init(uncheckedShape: [], scalars: [value])
  }

  /// A rank-1 tensor holding `values`.
  public convenience init(_ values: [Float]) {
    self.init(uncheckedShape: [values.count], scalars: values)
  }

  /// The number of axes.
  public var rank: Int { shape.count }
  /// The number of elements.
  public var count: Int { scalars.count }
  /// Whether this tensor was made by an op rather than by the user.
  public var isLeaf: Bool { gradFunction == nil }

  /// The single value of a one-element tensor.
  public func item() throws -> Float {
    guard scalars.count == 1 else {
      throw TensorError(
        op: "item", "expected a tensor with one element, got shape \(formatShape(shape))")
    }
    return scalars[0]
  }

  /// The value at a full multi-index, or nil when it is out of range.
  public func value(at index: [Int]) -> Float? {
    guard index.count == shape.count else { return nil }
    var offset = 0
    for (axis, i) in index.enumerated() {
      guard i >= 0, i < shape[axis] else { return nil }
      offset = offset * shape[axis] + i
    }
    return scalars[offset]
  }

  /// Writes into the elements in place (an optimizer step, a weight load).
  ///
  /// The body sees the raw buffer; the tensor's `version` is bumped so that anything cached
  /// from the old values is known to be stale.
  public func updateInPlace(_ body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
    try scalars.withUnsafeMutableBufferPointer { try body($0) }
    markModified()
  }

  /// Replaces all elements in place with `newScalars` of the same count.
  public func assign(_ newScalars: [Float]) throws {
    guard newScalars.count == scalars.count else {
      throw TensorError(
        op: "assign",
        "expected \(scalars.count) values for shape \(formatShape(shape)), "
          + "got \(newScalars.count)")
    }
    scalars = newScalars
    markModified()
  }
  func markModified() { version &+= 1 }

  /// A tensor with the same values that is cut off from the tape.
  public func detached() -> Tensor {
    Tensor(uncheckedShape: shape, scalars: scalars)
  }

  /// A copy with its own storage and the same `requiresGrad` flag, cut off from the tape.
  public func copy() -> Tensor {
    let result = Tensor(uncheckedShape: shape, scalars: scalars)
    result.requiresGrad = requiresGrad
    result.name = name
    return result
  }

  /// Zeros the accumulated gradient.
  public func zeroGrad() { grad = nil }
}

extension Tensor: CustomStringConvertible {
  public var description: String { formatted() }
}

extension Array where Element == Int {
  /// The number of elements a tensor of this shape holds.
  @inlinable public var elementCount: Int { reduce(1, *) }
}
