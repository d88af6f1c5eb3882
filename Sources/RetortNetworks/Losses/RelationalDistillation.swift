import Foundation
import RetortTensor

// MARK: - Relational knowledge distillation (Park et al., CVPR 2019)

extension Losses {
  /// The parts of the relational KD loss on one batch of embeddings.
  public struct RelationalKD {
    /// Smooth-L1 between the mean-normalised pairwise distances of student and teacher.
    public var distance: Tensor
    /// Smooth-L1 between the cosines of the angles of all triplets.
    public var angle: Tensor
    /// `distanceWeight·distance + angleWeight·angle`.
    public var total: Tensor
  }

  /// Relational KD: transfer the geometry of a batch (how far apart examples are and the
  /// angles they form) rather than each example's output.
  ///
  /// Matches `rkd_loss` of mdistiller (itself the authors' code): features are flattened
  /// to `[N, D]`; distances `d_ij = ‖e_i − e_j‖` (from `Σe² − 2·e·eᵀ`, clamped at 1e-12,
  /// diagonal zeroed) are divided by their mean over non-zero pairs; angles are
  /// `⟨n(e_j − e_i), n(e_k − e_i)⟩` with unit vectors n. Both parts use smooth-L1 (β = 1)
  /// averaged over all entries; the weights default to the paper's 25 and 50.
  public static func relationalKD(
    studentFeatures: Tensor, teacherFeatures: Tensor, distanceWeight: Float = 25,
    angleWeight: Float = 50
  ) throws -> RelationalKD {
    let op = "rkd"
    guard studentFeatures.rank >= 2, teacherFeatures.rank >= 2,
      studentFeatures.shape[0] == teacherFeatures.shape[0]
    else {
      throw TensorError(
        op: op,
        "student features \(formatShape(studentFeatures.shape)) and teacher "
          + "features \(formatShape(teacherFeatures.shape)) need the same batch size N",
        hint: "relational KD compares examples within one batch; widths may differ")
    }
    guard studentFeatures.shape[0] >= 2 else {
      throw TensorError(
        op: op, "needs at least 2 examples per batch, got \(studentFeatures.shape[0])")
    }
    let student = try studentFeatures.flattened(fromAxis: 1)
    let teacher = teacherFeatures.detached()
    let (teacherDistances, teacherAngles) = try Tensor.withoutGradients {
      let flat = try teacher.flattened(fromAxis: 1)
      return (try normalisedDistances(flat), try tripletAngles(flat))
    }
    let distance = try smoothL1(normalisedDistances(student), teacherDistances)
    let angle = try smoothL1(tripletAngles(student), teacherAngles)
    let total = try distance * distanceWeight + angle * angleWeight
    return RelationalKD(distance: distance, angle: angle, total: total)
  }

  /// Pairwise Euclidean distances `[N, N]` divided by their mean over the non-zero pairs.
  private static func normalisedDistances(_ embeddings: Tensor) throws -> Tensor {
    let n = embeddings.shape[0]
    let squares = try (embeddings * embeddings).sum(alongAxis: 1)
    let products = try embeddings.matmul(embeddings.transposed(0, 1))
    // ‖a − b‖² = ‖a‖² + ‖b‖² − 2⟨a, b⟩, clamped because rounding can make it negative.
    let squaredDistances =
      try squares.unsqueezed(at: 1) + squares.unsqueezed(at: 0)
      - products * 2
    let offDiagonal = try 1 - Tensor.eye(n)
    let distances = try squaredDistances.clamped(min: 1e-12).sqrt() * offDiagonal
    // The mean over d > 0 (off-diagonal pairs of distinct points); the count is a constant.
    let positive = distances.scalars.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
    guard positive > 0 else {
      throw TensorError(
        op: "rkd", "all \(n) embeddings in the batch coincide",
        hint: "relational KD needs distinct examples")
    }
    // As in the reference the student's mean is differentiable too (it is not detached).
    let meanDistance = distances.sum() / Float(positive)
    return try distances / meanDistance
  }

  /// Cosines of all triplet angles, `[N·N·N]`: entry (i, j, k) is
  /// `⟨n(e_j − e_i), n(e_k − e_i)⟩`, as `bmm(norm_sd, norm_sdᵀ)` in the reference.
  private static func tripletAngles(_ embeddings: Tensor) throws -> Tensor {
    let n = embeddings.shape[0]
    // differences[i, j] = e_j − e_i (torch: e.unsqueeze(0) − e.unsqueeze(1))
    let differences = try embeddings.unsqueezed(at: 0) - embeddings.unsqueezed(at: 1)
    let units = try normalized(differences, alongAxis: 2)
    let cosines = try units.matmul(units.transposed(1, 2))
    return try cosines.reshaped(to: [n * n * n])
  }
}
