import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Reads the PyTorch reference values under Fixtures/losses (see make_loss_fixtures.py).
enum LossFixtures {
  struct Missing: Error, CustomStringConvertible {
    var description: String
  }

  /// The decoded JSON object of `Fixtures/losses/<file>`.
  static func load(_ file: String) throws -> [String: Any] {
    guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw Missing(description: "the Fixtures folder is not in the test bundle")
    }
    let data = try Data(contentsOf: folder.appendingPathComponent("losses/\(file)"))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw Missing(description: "\(file) is not a JSON object")
    }
    return object
  }

  /// A child object by key.
  static func object(_ parent: [String: Any], _ key: String) throws -> [String: Any] {
    guard let child = parent[key] as? [String: Any] else {
      throw Missing(description: "fixture key '\(key)' is missing or not an object")
    }
    return child
  }

  /// A number by key.
  static func number(_ parent: [String: Any], _ key: String) throws -> Float {
    guard let value = parent[key] as? Double else {
      throw Missing(description: "fixture key '\(key)' is missing or not a number")
    }
    return Float(value)
  }

  /// An integer list by key.
  static func integers(_ parent: [String: Any], _ key: String) throws -> [Int] {
    guard let value = parent[key] as? [Int] else {
      throw Missing(description: "fixture key '\(key)' is missing or not a list of integers")
    }
    return value
  }

  /// A tensor stored as `{"shape": [...], "data": [...]}`.
  static func tensor(_ value: Any?, requiresGrad: Bool = false) throws -> Tensor {
    guard let dictionary = value as? [String: Any], let shape = dictionary["shape"] as? [Int],
      let data = dictionary["data"] as? [Double]
    else { throw Missing(description: "fixture value is not a stored tensor") }
    return try Tensor(shape: shape, scalars: data.map(Float.init), requiresGrad: requiresGrad)
  }

  /// A stored tensor by key.
  static func tensor(
    _ parent: [String: Any], _ key: String, requiresGrad: Bool = false
  ) throws -> Tensor {
    guard let value = parent[key] else {
      throw Missing(description: "fixture key '\(key)' is missing")
    }
    return try tensor(value, requiresGrad: requiresGrad)
  }
}

/// Whether every element of `actual` is within `tolerance·(1 + |expected|)` of `expected`
/// (absolute near zero, relative for large values); records a readable failure otherwise.
func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Float, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actual.count == expected.count else {
    Issue.record(
      "\(what): \(actual.count) values, expected \(expected.count)",
      sourceLocation: sourceLocation)
    return
  }
  for (index, (a, e)) in zip(actual, expected).enumerated()
  where !(Swift.abs(a - e) <= tolerance * (1 + Swift.abs(e))) {
    Issue.record(
      "\(what)[\(index)] = \(a), expected \(e) (tolerance \(tolerance))",
      sourceLocation: sourceLocation)
    return
  }
}

/// Scalar form of `expectClose`.
func expectClose(
  _ actual: Float, _ expected: Float, tolerance: Float, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  expectClose([actual], [expected], tolerance: tolerance, what, sourceLocation: sourceLocation)
}

/// The gradient of a scalar loss with respect to `input`, from a fresh backward pass.
func gradient(of loss: (Tensor) throws -> Tensor, at input: Tensor) throws -> [Float] {
  let x = try Tensor(shape: input.shape, scalars: input.scalars, requiresGrad: true)
  try loss(x).backward()
  return x.grad?.scalars ?? []
}

/// Central finite differences of a scalar loss, one element of `input` at a time, in double
/// precision around float32 evaluations: `(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h`.
func finiteDifferenceGradient(
  of loss: (Tensor) throws -> Tensor, at input: Tensor, step h: Float = 1e-2
) throws -> [Float] {
  var result = [Float](repeating: 0, count: input.count)
  for i in 0..<input.count {
    var plus = input.scalars
    var minus = input.scalars
    plus[i] += h
    minus[i] -= h
    let up = try Tensor.withoutGradients {
      try loss(Tensor(shape: input.shape, scalars: plus)).item()
    }
    let down = try Tensor.withoutGradients {
      try loss(Tensor(shape: input.shape, scalars: minus)).item()
    }
    result[i] = Float((Double(up) - Double(down)) / (2 * Double(h)))
  }
  return result
}
