import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Loads the PyTorch reference values written by `Fixtures/make_layer_fixtures.py`.
enum LayerFixture {
  struct Missing: Error, CustomStringConvertible {
    var description: String
  }

  /// `Fixtures/layers` inside the test bundle.
  static func directory() throws -> URL {
    guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
      throw Missing(description: "the Fixtures folder is not in the test bundle")
    }
    return root.appendingPathComponent("layers")
  }

  /// The URL of a fixture file.
  static func url(_ name: String) throws -> URL {
    try directory().appendingPathComponent(name)
  }

  /// A fixture's top-level JSON object.
  static func json(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: try url(name))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw Missing(description: "\(name) is not a JSON object")
    }
    return object
  }

  /// A tensor stored as `{"shape": [...], "values": [...]}`.
  static func tensor(_ value: Any?, _ what: String = "tensor") throws -> Tensor {
    guard let object = value as? [String: Any], let shape = object["shape"] as? [Any],
      let values = object["values"] as? [Any]
    else { throw Missing(description: "\(what) is not a {shape, values} object") }
    return try Tensor(
      shape: shape.compactMap { ($0 as? NSNumber)?.intValue },
      scalars: values.compactMap { ($0 as? NSNumber)?.floatValue })
  }

  /// Copies a PyTorch `state_dict` (name → tensor) into a layer's state entries.
  static func load(_ state: Any?, into entries: [NamedTensor]) throws {
    guard let state = state as? [String: Any] else {
      throw Missing(description: "state is not an object")
    }
    for entry in entries {
      let value = try tensor(state[entry.name], entry.name)
      try entry.tensor.assign(value.scalars)
    }
  }

  /// The largest absolute difference, or infinity when the shapes differ.
  static func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.scalars, b.scalars).map { Swift.abs($0 - $1) }.max() ?? 0
  }

  /// Expects `actual` to equal `expected` within `tolerance` (absolute, per element).
  static func expectClose(
    _ actual: Tensor?, _ expected: Tensor, tolerance: Float, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    guard let actual else {
      Issue.record("\(what) is nil", sourceLocation: sourceLocation)
      return
    }
    let difference = maxDifference(actual, expected)
    let shapes = "shapes \(actual.shape) vs \(expected.shape)"
    #expect(
      difference <= tolerance,
      "\(what): max |Δ| = \(difference) > \(tolerance) (\(shapes))",
      sourceLocation: sourceLocation)
  }
}
