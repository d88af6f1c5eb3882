import COpenBLAS
import Synchronization

/// C = alpha · op(A) · op(B) + beta · C on row-major buffers, through OpenBLAS.
///
/// A large product is cut into one block of C's columns (or rows, when C is narrow) per
/// thread, each block a single-threaded OpenBLAS call on `WorkerPool.shared`, the threads
/// that every parallel loop in Retort shares. The blocks depend only on the shape and the
/// thread count, so a product gives the same bits every time it runs with the same count
/// (OpenBLAS may pick another kernel for a block than for the whole, which can move the last
/// bit of an element).
func sgemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
  _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  _ c: UnsafeMutablePointer<Float>, ldc: Int, beta: Float = 0, threads: Int = BLAS.threads
) {
  _ = BLAS.openBLASSingleThreaded
  let splitColumns = n >= m
  let length = splitColumns ? n : m
  let blocks =
    threads > 1 && m * n * k >= BLAS.parallelThreshold
    ? Swift.min(threads, length / BLAS.smallestBlock) : 1
  guard blocks > 1 else {
    sgemmBlock(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, beta)
    return
  }
  // Block edges on multiples of 16 keep each block's columns in whole vector registers.
  let size = ((length + blocks - 1) / blocks + 15) & ~15
  WorkerPool.shared.run(iterations: blocks) { block in
    let start = block * size
    let count = Swift.min(size, length - start)
    guard count > 0 else { return }
    if splitColumns {
      // Columns start..<start+count of op(B): columns of B, or rows of a transposed B.
      sgemmBlock(
        transposeA, transposeB, m, count, k, a, lda, b + (transposeB ? start * ldb : start),
        ldb, c + start, ldc, beta)
    } else {
      // Rows of op(A): rows of A, or columns of a transposed A.
      sgemmBlock(
        transposeA, transposeB, count, n, k, a + (transposeA ? start : start * lda), lda, b,
        ldb, c + start * ldc, ldc, beta)
    }
  }
}

@inline(__always)
private func sgemmBlock(
  _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int,
  _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
  _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ beta: Float
) {
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// A batch of row-major products `lhs[i] @ rhs[i]`, or the shared `rhs` when it is 2-D.
private func batchedProduct(
  _ lhs: [Float], _ rhs: [Float], batch: Int, m: Int, k: Int, n: Int,
  transposeA: Bool = false, transposeB: Bool = false, sharedRHS: Bool = false
) -> [Float] {
  let count = batch * m * n
  // An empty product (k = 0) is all zeros; BLAS would reject its leading dimension of 0.
  guard m > 0, n > 0, k > 0 else { return [Float](repeating: 0, count: count) }
  // With beta = 0 sgemm writes every element of C without reading it (OpenBLAS stores
  // zeros first rather than scaling), so C starts uninitialised: zero-filling it as well
  // was a second pass over the output of every product.
  return [Float](unsafeUninitializedCapacity: count) { c, initialized in
    lhs.withUnsafeBufferPointer { a in
      rhs.withUnsafeBufferPointer { b in
        guard let pa = a.baseAddress, let pb = b.baseAddress, let pc = c.baseAddress else {
          return
        }
        for i in 0..<batch {
          sgemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
            pa + i * m * k, lda: transposeA ? m : k,
            pb + (sharedRHS ? 0 : i * k * n), ldb: transposeB ? k : n,
            pc + i * m * n, ldc: n)
        }
      }
    }
    initialized = count
  }
}

extension Tensor {
  /// The matrix product, `@` in the language.
  ///
  /// 2-D × 2-D is one sgemm; `[B, M, K] @ [B, K, N]` is a batch of them; `[…, M, K] @ [K, N]`
  /// folds the leading axes into M. A 1-D left operand is a row vector and a 1-D right
  /// operand a column vector, and the added axis is removed from the result, as in NumPy.
  public func matmul(_ other: Tensor) throws -> Tensor {
    let lhs = rank == 1 ? try unsqueezed(at: 0) : self
    let rhs = other.rank == 1 ? try other.unsqueezed(at: 1) : other
    guard lhs.rank >= 2, rhs.rank >= 2 else {
      throw TensorError(
        op: "matmul",
        "needs tensors of rank 1 or more, got \(formatShape(shape)) @ \(formatShape(other.shape))")
    }
    let k = lhs.shape[lhs.rank - 1]
    guard rhs.shape[rhs.rank - 2] == k else {
      throw TensorError(
        op: "matmul",
        "inner dimensions differ: \(formatShape(shape)) @ \(formatShape(other.shape)) "
          + "(\(k) vs \(rhs.shape[rhs.rank - 2]))",
        hint: "the last axis of the left operand must equal the first of the right; "
          + "transpose one of them?")
    }
    var result: Tensor
    if rhs.rank == 2 {
      // Every leading axis folds into M (counted from the shape: with k = 0 there are no
      // elements to divide).
      let m = lhs.shape.dropLast().reduce(1, *)
      let n = rhs.shape[1]
      let values = batchedProduct(lhs.scalars, rhs.scalars, batch: 1, m: m, k: k, n: n)
      result = Tensor(uncheckedShape: Array(lhs.shape.dropLast()) + [n], scalars: values)
      result = result.recorded("matmul", inputs: [lhs, rhs]) { g in
        let dA =
          lhs.requiresGrad
          ? batchedProduct(g.scalars, rhs.scalars, batch: 1, m: m, k: n, n: k, transposeB: true)
          : nil
        let dB =
          rhs.requiresGrad
          ? batchedProduct(lhs.scalars, g.scalars, batch: 1, m: k, k: m, n: n, transposeA: true)
          : nil
        return [
          dA.map { Tensor(uncheckedShape: lhs.shape, scalars: $0) },
          dB.map { Tensor(uncheckedShape: rhs.shape, scalars: $0) },
        ]
      }
    } else {
      guard lhs.rank == rhs.rank, lhs.shape.dropLast(2) == rhs.shape.dropLast(2) else {
        throw TensorError(
          op: "matmul",
          "batch axes differ: \(formatShape(shape)) @ \(formatShape(other.shape))",
          hint: "batched products need equal leading axes")
      }
      let m = lhs.shape[lhs.rank - 2]
      let n = rhs.shape[rhs.rank - 1]
      let batch = lhs.shape.dropLast(2).reduce(1, *)
      let values = batchedProduct(lhs.scalars, rhs.scalars, batch: batch, m: m, k: k, n: n)
      result = Tensor(uncheckedShape: Array(lhs.shape.dropLast()) + [n], scalars: values)
      result = result.recorded("matmul", inputs: [lhs, rhs]) { g in
        let dA =
          lhs.requiresGrad
          ? batchedProduct(
            g.scalars, rhs.scalars, batch: batch, m: m, k: n, n: k, transposeB: true) : nil
        let dB =
          rhs.requiresGrad
          ? batchedProduct(
            lhs.scalars, g.scalars, batch: batch, m: k, k: m, n: n, transposeA: true) : nil
        return [
          dA.map { Tensor(uncheckedShape: lhs.shape, scalars: $0) },
          dB.map { Tensor(uncheckedShape: rhs.shape, scalars: $0) },
        ]
      }
    }
    if rank == 1 { result = try result.squeezed(axes: [result.rank - 2]) }
    if other.rank == 1 { result = try result.squeezed(axes: [result.rank - 1]) }
    return result
  }

  /// `x @ weightᵀ + bias` in one pass, the affine map of a linear layer (PyTorch layout:
  /// weight is `[out, in]`).
  public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
    guard rank == 2, weight.rank == 2, weight.shape[1] == shape[1] else {
      throw TensorError(
        op: "linear",
        "expected input [N, \(weight.shape.last ?? 0)] for weight "
          + "\(formatShape(weight.shape)), got \(formatShape(shape))",
        hint: "flatten the input first, or check the layer's in-features")
    }
    let (batch, inFeatures, outFeatures) = (shape[0], shape[1], weight.shape[0])
    if let bias, bias.shape != [outFeatures] {
      throw TensorError(
        op: "linear", "bias \(formatShape(bias.shape)) does not match \(outFeatures) outputs")
    }
    var values = [Float](repeating: 0, count: batch * outFeatures)
    if let bias {
      // Preload each row with the bias so sgemm adds the product onto it (beta = 1).
      values.withUnsafeMutableBufferPointer { out in
        for row in 0..<batch {
          for j in 0..<outFeatures { out[row * outFeatures + j] = bias.scalars[j] }
        }
      }
    }
    scalars.withUnsafeBufferPointer { x in
      weight.scalars.withUnsafeBufferPointer { w in
        values.withUnsafeMutableBufferPointer { out in
          guard let px = x.baseAddress, let pw = w.baseAddress, let po = out.baseAddress,
            batch > 0, outFeatures > 0, inFeatures > 0
          else { return }
          sgemm(
            transposeA: false, transposeB: true, m: batch, n: outFeatures, k: inFeatures,
            px, lda: inFeatures, pw, ldb: inFeatures, po, ldc: outFeatures, beta: 1)
        }
      }
    }
    let input = self
    var inputs = [input, weight]
    if let bias { inputs.append(bias) }
    return Tensor(uncheckedShape: [batch, outFeatures], scalars: values).recorded(
      "linear", inputs: inputs
    ) { g in
      let dx =
        input.requiresGrad
        ? batchedProduct(
          g.scalars, weight.scalars, batch: 1, m: batch, k: outFeatures, n: inFeatures) : nil
      let dw =
        weight.requiresGrad
        ? batchedProduct(
          g.scalars, input.scalars, batch: 1, m: outFeatures, k: batch, n: inFeatures,
          transposeA: true) : nil
      var grads: [Tensor?] = [
        dx.map { Tensor(uncheckedShape: input.shape, scalars: $0) },
        dw.map { Tensor(uncheckedShape: weight.shape, scalars: $0) },
      ]
      if bias != nil { grads.append(try g.sum(alongAxis: 0)) }
      return grads
    }
  }
}

/// How many threads a matrix product uses.
public enum BLAS {
  /// Products with fewer multiply-adds than this run on one thread: below it, waking a second
  /// thread costs about what it saves (64·512·64, a digits batch through a hidden layer, is
  /// 2 million).
  static let parallelThreshold = 1 << 21

  /// The fewest columns (or rows) of C a block gets.
  static let smallestBlock = 32

  /// The thread count, at first the worker pool's.
  private static let count = Atomic<Int>(WorkerPool.shared.threads)

  /// Puts OpenBLAS on one thread, once, before the first product: its own threads would
  /// otherwise spin on `sched_yield` between products and take turns on the cores with the
  /// pool's (and a block already running on a pool thread would start more threads).
  static let openBLASSingleThreaded: Bool = {
    retort_blas_set_threads(1)
    return true
  }()

  /// The threads OpenBLAS itself would use for a product: 1 once any product has run.
  static var openBLASThreads: Int { Int(retort_blas_threads()) }

  /// The current thread count.
  public static var threads: Int { count.load(ordering: .relaxed) }

  /// Sets the thread count (products under `parallelThreshold` run on one thread whatever
  /// it is, so a batch-1 forward pass never pays for waking a second).
  public static func setThreads(_ threads: Int) {
    count.store(Swift.max(1, threads), ordering: .relaxed)
  }
}
