import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

/// Locates the data fixtures written by `Fixtures/data/make_data_fixtures.py`.
enum DataFixtures {
  /// The folder holding the data fixtures.
  static func folder() throws -> URL {
    let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    return root.appendingPathComponent("data")
  }

  /// A fixture file by name.
  static func url(_ name: String) throws -> URL {
    try folder().appendingPathComponent(name)
  }

  /// The values numpy computed, from `expected.json`.
  static func expected() throws -> [String: Any] {
    let data = try Data(contentsOf: url("expected.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// A list of numbers from `expected.json` as floats.
  static func floats(_ value: Any?) throws -> [Float] {
    let numbers = try #require(value as? [NSNumber])
    return numbers.map(\.floatValue)
  }

  /// Catches the `DataError` thrown by `body`, failing the test when none is thrown.
  static func dataError(_ body: () throws -> Void) throws -> DataError {
    do {
      try body()
    } catch let error as DataError {
      return error
    }
    Issue.record("expected a DataError, but nothing was thrown")
    throw DataError("no error thrown")
  }
}

/// A dataset whose single feature is the example's own index, to track examples through
/// shuffles, splits and batches.
func indexedDataset(labels: [Int], classes: Int) throws -> Dataset {
  try Dataset(
    name: "indexed",
    features: Tensor(shape: [labels.count, 1], scalars: labels.indices.map(Float.init)),
    labels: labels, classNames: (0..<classes).map(String.init))
}
