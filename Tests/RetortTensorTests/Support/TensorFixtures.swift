import Foundation
import Testing

@testable import RetortTensor

// MARK: - The PyTorch reference file

/// One tensor as stored in `tensor_ops.json`: its shape and row-major values.
struct FixtureTensor: Decodable, Sendable {
  let shape: [Int]
  let data: [Float]

  /// A fresh tensor holding these values.
  func tensor(requiresGrad: Bool = false) throws -> Tensor {
    try Tensor(shape: shape, scalars: data, requiresGrad: requiresGrad)
  }
}

/// The parameters an op was called with; each op reads the ones it needs.
struct FixtureParams: Decodable, Sendable {
  var value: Float?
  var exponent: Float?
  var min: Float?
  var max: Float?
  var slope: Float?
  var temperature: Float?
  var axis: Int?
  var axes: [Int]?
  var keepdim: Bool?
  var unbiased: Bool?
  var shape: [Int]?
  var dims: [Int]?
  var ranges: [[Int]]?
  var indices: [Int]?
  var stride: Int?
  var padding: Int?
  var kernel: Int?
}

/// One op run by PyTorch: inputs, output, the upstream gradient fed to backward, and the
/// resulting gradient of every input.
struct FixtureCase: Decodable, Sendable, CustomTestStringConvertible {
  let name: String
  let op: String
  let params: FixtureParams
  let inputs: [FixtureTensor]
  let output: FixtureTensor
  let upstream: FixtureTensor
  let grads: [FixtureTensor]

  var testDescription: String { name }
}

/// A fixture that cannot be read or names something the tests do not know.
struct FixtureError: Error, CustomStringConvertible {
  let description: String
}

enum TensorFixtures {
  private struct File: Decodable {
    let cases: [FixtureCase]
  }

  /// Every case in `Fixtures/tensor_ops.json`, or the error that kept it from loading.
  static let loaded: Result<[FixtureCase], Error> = Result {
    guard let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw FixtureError(description: "the Fixtures folder is missing from the test bundle")
    }
    let data = try Data(contentsOf: folder.appendingPathComponent("tensor_ops.json"))
    return try JSONDecoder().decode(File.self, from: data).cases
  }

  /// All cases (empty when the file failed to load; `FixtureFileTests` then fails).
  static var all: [FixtureCase] { (try? loaded.get()) ?? [] }

  /// The cases of the given ops, as test arguments.
  static func cases(ops: Set<String>) -> [FixtureCase] {
    all.filter { ops.contains($0.op) }
  }
}

// MARK: - Comparing with a reference

/// Records an issue when `actual` differs from `expected` in shape or in any element by more
/// than `tolerance · (1 + |expected|)` (an absolute tolerance near 0, relative above 1).
func expectClose(
  _ actual: Tensor?, _ expected: FixtureTensor, tolerance: Float = 1e-4, _ what: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let actual else {
    Issue.record("\(what): no tensor was produced", sourceLocation: sourceLocation)
    return
  }
  expectClose(
    actual.scalars, shape: actual.shape, expected.data, shape: expected.shape,
    tolerance: tolerance, what, sourceLocation: sourceLocation)
}

/// The same comparison on raw values.
func expectClose(
  _ actual: [Float], shape actualShape: [Int], _ expected: [Float], shape expectedShape: [Int],
  tolerance: Float = 1e-4, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  guard actualShape == expectedShape, actual.count == expected.count else {
    Issue.record(
      "\(what): shape \(actualShape) differs from the reference \(expectedShape)",
      sourceLocation: sourceLocation)
    return
  }
  var worst: (index: Int, error: Float)? = nil
  for (i, (a, e)) in zip(actual, expected).enumerated() {
    let error = Swift.abs(a - e) / (1 + Swift.abs(e))
    if !(error <= tolerance), error > (worst?.error ?? -1) || error.isNaN { worst = (i, error) }
  }
  if let worst {
    let message =
      "\(what): element \(worst.index) is \(actual[worst.index]), expected "
      + "\(expected[worst.index]) (tolerance \(tolerance))"
    Issue.record(
      Comment(rawValue: message),
      sourceLocation: sourceLocation)
  }
}
