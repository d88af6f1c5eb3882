import Foundation
import Testing

@testable import RetortTensor

@Suite struct AutogradTests {
  @Test func aTensorUsedTwiceGetsTheSumOfBothGradients() throws {
    let x = try Tensor(shape: [2], scalars: [3, -1], requiresGrad: true)
    try (x * x).sum().backward()
    #expect(x.grad?.scalars == [6, -2])
    x.zeroGrad()
    try (x + x).sum().backward()
    #expect(x.grad?.scalars == [2, 2])
  }

  @Test func diamondGraphSumsBothPaths() throws {
    // y = a + b with a = 2x and b = x², so dy/dx = 2 + 2x.
    let x = try Tensor(shape: [1], scalars: [3], requiresGrad: true)
    let y = try (x * 2) + x.pow(2)
    try y.sum().backward()
    #expect(x.grad?.scalars == [8])
  }

  @Test func gradientsAccumulateOverBackwardCalls() throws {
    let x = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    try (x * 3).sum().backward()
    try (x * 3).sum().backward()
    #expect(x.grad?.scalars == [6, 6])
    x.zeroGrad()
    #expect(x.grad == nil)
  }

  @Test func noGradScopeRecordsNothing() throws {
    let x = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    let y = try Tensor.withoutGradients {
      #expect(!Tensor.isRecordingGradients)
      return try (x * x + 1).sum()
    }
    #expect(Tensor.isRecordingGradients)
    #expect(!y.requiresGrad)
    #expect(y.gradFunction == nil)
    #expect(throws: TensorError.self) { try y.backward() }
  }

  @Test func nestedNoGradScopesRestoreRecording() throws {
    Tensor.withoutGradients {
      Tensor.withoutGradients {}
      #expect(!Tensor.isRecordingGradients)
    }
    #expect(Tensor.isRecordingGradients)
  }

  @Test func detachCutsTheGraph() throws {
    // d/dx (stop(x) · x) = x: only the second factor carries gradient.
    let x = try Tensor(shape: [2], scalars: [2, 5], requiresGrad: true)
    let frozen = x.detached()
    #expect(!frozen.requiresGrad)
    #expect(frozen.isLeaf)
    try (frozen * x).sum().backward()
    #expect(x.grad?.scalars == [2, 5])
  }

  @Test func onlyLeavesKeepGradients() throws {
    let x = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    let hidden = x * 2
    try hidden.sum().backward()
    #expect(hidden.grad == nil)
    #expect(!hidden.isLeaf)
    #expect(hidden.gradFunction?.name == "multiply_scalar")
  }

  @Test func constantsReceiveNoGradient() throws {
    let x = try Tensor(shape: [2], scalars: [1, 2], requiresGrad: true)
    let c = Tensor([3, 4])
    try (x * c).sum().backward()
    #expect(c.grad == nil)
    #expect(x.grad?.scalars == [3, 4])
  }

  @Test func explicitSeedForANonScalar() throws {
    let x = try Tensor(shape: [3], scalars: [1, 2, 3], requiresGrad: true)
    let y = try x * x
    try y.backward(seed: Tensor([1, 0, -1]))
    #expect(x.grad?.scalars == [2, 0, -6])
    #expect(throws: TensorError.self) { try y.backward() }
    #expect(throws: TensorError.self) { try y.backward(seed: Tensor([1, 2])) }
  }

  @Test func longChainsDoNotOverflowTheStack() throws {
    let x = try Tensor(shape: [1], scalars: [0], requiresGrad: true)
    var y = x
    for _ in 0..<5000 { y = y + 1 }
    try y.sum().backward()
    #expect(y.scalars == [5000])
    #expect(x.grad?.scalars == [1])
  }

  @Test func gradientsHaveTheLeafShape() throws {
    let w = try Tensor(shape: [2, 3], scalars: [Float](repeating: 1, count: 6), requiresGrad: true)
    try w.reshaped(to: [6]).sum().backward()
    #expect(w.grad?.shape == [2, 3])
  }

  /// The recording switch belongs to the running thread or task: a no-grad scope on one
  /// thread must not stop another thread from recording (Swift Testing runs tests in
  /// parallel, and an interpreter may evaluate while a background task trains).
  @Test func noGradScopeIsLocalToItsThread() throws {
    let entered = DispatchSemaphore(value: 0)
    let checked = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)
    let other = Thread {
      Tensor.withoutGradients {
        entered.signal()
        checked.wait()
      }
      finished.signal()
    }
    other.start()
    entered.wait()
    let x = try Tensor(shape: [1], scalars: [1], requiresGrad: true)
    let y = x * 2
    checked.signal()
    finished.wait()
    #expect(Tensor.isRecordingGradients)
    #expect(y.requiresGrad)
  }
}
