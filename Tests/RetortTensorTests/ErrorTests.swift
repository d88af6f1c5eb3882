import Testing

@testable import RetortTensor

/// Mistakes a user can make are thrown as `TensorError`s that name the op and the shapes.
@Suite struct ErrorTests {
  /// Runs `body`, expecting a `TensorError` from `op` whose text mentions every fragment.
  private func expectError(
    op: String, mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Any
  ) {
    do {
      _ = try body()
      Issue.record("expected \(op) to throw", sourceLocation: sourceLocation)
    } catch let error as TensorError {
      #expect(error.op == op, sourceLocation: sourceLocation)
      for fragment in fragments {
        #expect(
          error.description.contains(fragment), "\(error) lacks \(fragment)",
          sourceLocation: sourceLocation)
      }
    } catch {
      Issue.record("expected a TensorError, got \(error)", sourceLocation: sourceLocation)
    }
  }

  // MARK: - Shapes that do not fit

  @Test(arguments: ["add", "subtract", "multiply", "divide", "pow"])
  func mismatchedShapesNameTheOpAndBothShapes(_ op: String) throws {
    let a = try Tensor.ones([3, 4])
    let b = try Tensor.ones([3])
    expectError(op: op, mentioning: ["[3, 4]", "[3]"]) {
      switch op {
      case "add": return try a + b
      case "subtract": return try a - b
      case "multiply": return try a * b
      case "divide": return try a / b
      default: return try a.pow(b)
      }
    }
  }

  @Test func matmulInnerDimensions() throws {
    let a = try Tensor.ones([2, 3])
    let b = try Tensor.ones([4, 5])
    expectError(op: "matmul", mentioning: ["[2, 3]", "[4, 5]"]) { try a.matmul(b) }
    expectError(op: "matmul", mentioning: ["[2, 3, 4]", "[3, 4, 5]"]) {
      try Tensor.ones([2, 3, 4]).matmul(Tensor.ones([3, 4, 5]))
    }
    expectError(op: "matmul", mentioning: []) { try Tensor(1).matmul(a) }
  }

  @Test func linearShapes() throws {
    let x = try Tensor.ones([2, 3])
    expectError(op: "linear", mentioning: ["[4, 5]", "[2, 3]"]) {
      try x.linear(weight: Tensor.ones([4, 5]), bias: nil)
    }
    expectError(op: "linear", mentioning: ["[2]"]) {
      try x.linear(weight: Tensor.ones([4, 3]), bias: Tensor.ones([2]))
    }
  }

  @Test func convolutionWithTheWrongChannels() throws {
    let x = try Tensor.ones([1, 3, 5, 5])
    expectError(op: "conv2d", mentioning: ["3 channels", "[1, 3, 5, 5]", "[4, 2, 3, 3]"]) {
      try x.conv2d(weight: Tensor.ones([4, 2, 3, 3]))
    }
    expectError(op: "conv2d", mentioning: ["[1, 3, 5]"]) {
      try Tensor.ones([1, 3, 5]).conv2d(weight: Tensor.ones([4, 3, 3, 3]))
    }
    expectError(op: "conv2d", mentioning: ["7x7"]) {
      try x.conv2d(weight: Tensor.ones([4, 3, 7, 7]))
    }
    expectError(op: "conv2d", mentioning: ["stride 0"]) {
      try x.conv2d(weight: Tensor.ones([4, 3, 3, 3]), stride: 0)
    }
    expectError(op: "maxpool", mentioning: []) { try x.maxPool2d(kernel: 0) }
  }

  // MARK: - Axes, counts and indices

  @Test func badAxes() throws {
    let x = try Tensor.ones([2, 3])
    expectError(op: "sum", mentioning: ["axis 2", "rank 2"]) { try x.sum(alongAxis: 2) }
    expectError(op: "max", mentioning: ["axis -3"]) { try x.max(alongAxis: -3) }
    expectError(op: "softmax", mentioning: ["axis 5"]) { try x.softmax(alongAxis: 5) }
    expectError(op: "sum", mentioning: ["twice"]) { try x.sum(alongAxes: [1, -1]) }
    expectError(op: "permute", mentioning: ["[0, 0]"]) { try x.permuted([0, 0]) }
    expectError(op: "concatenate", mentioning: ["axis 2"]) {
      try Tensor.concatenate([x, x], alongAxis: 2)
    }
    expectError(op: "index_select", mentioning: ["index 3"]) {
      try x.indexSelect(alongAxis: 0, indices: [0, 3])
    }
    expectError(op: "gather", mentioning: ["index 3"]) { try x.gatherRows([0, 3]) }
    expectError(op: "gather", mentioning: ["[2, 3]", "1 indices"]) { try x.gatherRows([0]) }
  }

  @Test func reshapeCountMismatch() throws {
    let x = try Tensor.ones([2, 3])
    expectError(op: "reshape", mentioning: ["[2, 3]", "6 elements", "[4, 2]", "8 elements"]) {
      try x.reshaped(to: [4, 2])
    }
  }

  @Test func joiningMismatchedTensors() throws {
    expectError(op: "concatenate", mentioning: ["[2, 4]", "[2, 3]"]) {
      try Tensor.concatenate([Tensor.ones([2, 3]), Tensor.ones([2, 4])], alongAxis: 0)
    }
    expectError(op: "stack", mentioning: ["[3]", "[2]"]) {
      try Tensor.stack([Tensor([1, 2]), Tensor([1, 2, 3])])
    }
    expectError(op: "concatenate", mentioning: ["at least one"]) { try Tensor.concatenate([]) }
  }

  // MARK: - Construction

  @Test func constructionErrors() throws {
    expectError(op: "tensor", mentioning: ["[2, 2]", "4 elements", "3"]) {
      try Tensor(shape: [2, 2], scalars: [1, 2, 3])
    }
    expectError(op: "tensor", mentioning: ["negative"]) { try Tensor(shape: [-1], scalars: []) }
    expectError(op: "tensor", mentioning: ["ragged"]) { try Tensor.fromNested([[1, 2], [3]]) }
    expectError(op: "tensor", mentioning: ["ragged"]) { try Tensor.fromNested([1, [2]]) }
    expectError(op: "tensor", mentioning: ["ragged"]) { try Tensor.fromNested([[1], 2]) }
    expectError(op: "arange", mentioning: ["step"]) { try Tensor.arange(0, 1, step: 0) }
    expectError(op: "arange", mentioning: ["limit"]) { try Tensor.arange(0, 1e30) }
    expectError(op: "full", mentioning: ["too many"]) { try Tensor.zeros([1 << 40, 1 << 40]) }
    expectError(op: "item", mentioning: ["[2]"]) { try Tensor([1, 2]).item() }
    expectError(op: "assign", mentioning: ["3 values"]) { try Tensor([1, 2, 3]).assign([1]) }
  }

  @Test func nestedListsBuildTensors() throws {
    let x = try Tensor.fromNested([[1, 2.5], [3, 4]] as [[Any]])
    #expect(x.shape == [2, 2])
    #expect(x.scalars == [1, 2.5, 3, 4])
    #expect(try Tensor.fromNested([] as [Any]).shape == [0])
  }

  @Test func errorDescriptionsCarryTheHint() {
    let error = TensorError(op: "matmul", "inner dimensions differ", hint: "transpose one")
    #expect(error.description == "matmul: inner dimensions differ (hint: transpose one)")
  }
}
