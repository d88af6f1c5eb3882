import Foundation
import RetortTensor

/// Small 2-D classification problems for teaching, all seeded so a lesson reruns the same.
///
/// Example `i` belongs to class `i % classes`, so classes are balanced (the first classes
/// get one more when `count` does not divide evenly) and interleaved.
extension Dataset {
  /// Two interleaving half circles (as scikit-learn's `make_moons`), with Gaussian `noise`.
  ///
  /// Class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t); t uniform in [0, π].
  public static func twoMoons(count: Int = 200, noise: Float = 0.1, seed: UInt64 = 0) throws
    -> Dataset
  {
    try synthetic("moons", count: count, classes: 2, noise: noise, seed: seed) { label, g in
      let t = Float.pi * Float(g.nextUniform())
      return label == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
    }
  }

  /// `arms` spiral arms around the origin, each a class.
  ///
  /// Along arm k at position r uniform in [0, 1]: angle = 2π·(k/arms) + 3π·r, radius r.
  public static func spirals(
    count: Int = 300, arms: Int = 3, noise: Float = 0.05, seed: UInt64 = 0
  ) throws -> Dataset {
    try synthetic("spirals", count: count, classes: arms, noise: noise, seed: seed) {
      label, g in
      let r = Float(g.nextUniform())
      let angle = 2 * Float.pi * Float(label) / Float(arms) + 3 * Float.pi * r
      return (r * cos(angle), r * sin(angle))
    }
  }

  /// Gaussian blobs: `centers` centres drawn uniformly in the square `[-box, box]²`, then
  /// examples normal around their class centre with standard deviation `std`.
  public static func blobs(
    count: Int = 300, centers: Int = 3, std: Float = 1, box: Float = 10, seed: UInt64 = 0
  ) throws -> Dataset {
    var centerGenerator = SeededGenerator(seed: seed ^ 0xB10B)
    let points = (0..<max(centers, 0)).map { _ in
      (
        Float(centerGenerator.nextUniform() * 2 - 1) * box,
        Float(centerGenerator.nextUniform() * 2 - 1) * box
      )
    }
    return try synthetic("blobs", count: count, classes: centers, noise: std, seed: seed) {
      label, _ in points[label]
    }
  }

  /// The XOR problem: points uniform in [-1, 1]², class 1 when x and y have opposite signs.
  ///
  /// `noise` jitters the points after labelling, so a few cross the axes.
  public static func xor(count: Int = 200, noise: Float = 0, seed: UInt64 = 0) throws
    -> Dataset
  {
    // Labels come from the point, so draw the point first and place it in the quadrant that
    // matches the example's class: |x|, |y| uniform, signs chosen for the class.
    try synthetic("xor", count: count, classes: 2, noise: noise, seed: seed) { label, g in
      let x = Float(g.nextUniform())
      let y = Float(g.nextUniform())
      let flip = g.nextInt(below: 2) == 0
      let sx: Float = flip ? 1 : -1
      let sy: Float = label == 0 ? sx : -sx
      return (sx * x, sy * y)
    }
  }

  /// Builds a 2-D dataset from a point sampler, adding isotropic Gaussian `noise`.
  private static func synthetic(
    _ name: String, count: Int, classes: Int, noise: Float, seed: UInt64,
    point: (Int, inout SeededGenerator) -> (Float, Float)
  ) throws -> Dataset {
    guard count >= 0, classes >= 1 else {
      throw DataError(
        "\(name): expected a non-negative count and at least one class, found count "
          + "\(count) and \(classes) classes")
    }
    guard noise >= 0, noise.isFinite else {
      throw DataError("\(name): expected a non-negative noise level, found \(noise)")
    }
    var generator = SeededGenerator(seed: seed)
    var values: [Float] = []
    values.reserveCapacity(2 * count)
    var labels: [Int] = []
    labels.reserveCapacity(count)
    for i in 0..<count {
      let label = i % classes
      let (x, y) = point(label, &generator)
      values.append(x + noise * Float(generator.nextNormal()))
      values.append(y + noise * Float(generator.nextNormal()))
      labels.append(label)
    }
    return try Dataset(
      name: name, features: Tensor(shape: [count, 2], scalars: values), labels: labels,
      classNames: (0..<classes).map(String.init))
  }
}
