/// An error raised by a tensor operation: which op, what it expected and what it got.
///
/// Shape problems are always thrown as values, never trapped, so an interpreter built on
/// top can report them to a person and carry on.
public struct TensorError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The operation that failed, as a user would name it (`matmul`, `add`, `conv2d`).
  public var op: String
  /// A sentence saying what was expected and what was found.
  public var message: String
  /// A suggestion for the likely fix, when there is one.
  public var hint: String?

  public init(op: String, _ message: String, hint: String? = nil) {
    self.op = op
    self.message = message
    self.hint = hint
  }

  public var description: String {
    var text = "\(op): \(message)"
    if let hint { text += " (hint: \(hint))" }
    return text
  }
}

/// Formats a shape the way users write it: `[64, 1, 8, 8]`.
public func formatShape(_ shape: [Int]) -> String {
  "[" + shape.map(String.init).joined(separator: ", ") + "]"
}

extension Tensor {
  /// Normalises a possibly negative axis against `rank`, or throws naming `op`.
  ///
  /// A scalar has no axis at all: reducing or normalising "axis 0" of one is an error rather
  /// than a silent no-op (it used to read past the end of the empty shape and trap).
  static func normalizeAxis(_ axis: Int, rank: Int, op: String) throws -> Int {
    let resolved = axis < 0 ? axis + rank : axis
    guard resolved >= 0, resolved < rank else {
      throw TensorError(
        op: op, "axis \(axis) is out of range for a tensor of rank \(rank)",
        hint: rank == 0 ? "a scalar has no axes" : "valid axes are \(-rank)...\(rank - 1)")
    }
    return resolved
  }
}
