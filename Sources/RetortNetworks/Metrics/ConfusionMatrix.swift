import Foundation
import RetortTensor

/// Counts of (true class, predicted class) pairs: `counts[t][p]` examples of class t were
/// predicted as p. The diagonal holds the correct predictions.
public struct ConfusionMatrix: Equatable, Sendable {
  /// `counts[trueClass][predictedClass]`.
  public let counts: [[Int]]
  /// The class names, labelling rows and columns.
  public let classNames: [String]

  /// Tallies predictions against labels; both must be in `0..<classNames.count`.
  public init(predictions: [Int], labels: [Int], classNames: [String]) throws {
    guard predictions.count == labels.count else {
      throw TensorError(
        op: "confusion matrix",
        "expected one prediction per label, found \(predictions.count) predictions and "
          + "\(labels.count) labels")
    }
    let classes = classNames.count
    var counts = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
    for (row, (predicted, label)) in zip(predictions, labels).enumerated() {
      guard (0..<classes).contains(predicted), (0..<classes).contains(label) else {
        throw TensorError(
          op: "confusion matrix",
          "example \(row) has label \(label) and prediction \(predicted); both must be in "
            + "0..<\(classes)",
          hint: "give one class name per model output")
      }
      counts[label][predicted] += 1
    }
    self.counts = counts
    self.classNames = classNames
  }

  /// Tallies the argmax of `scores` `[N, C]` against `labels`; classes are named "0"…
  /// unless `classNames` (C of them) are given.
  public init(scores: Tensor, labels: [Int], classNames: [String]? = nil) throws {
    let (_, classes) = try Metrics.checkedShape(
      scores, labels: labels, metric: "confusion matrix")
    let names = classNames ?? (0..<classes).map(String.init)
    guard names.count == classes else {
      throw TensorError(
        op: "confusion matrix",
        "expected \(classes) class names for scores \(formatShape(scores.shape)), found "
          + "\(names.count)")
    }
    try self.init(predictions: Metrics.predictions(scores), labels: labels, classNames: names)
  }

  /// The number of examples counted.
  public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

  /// The fraction on the diagonal (0 when empty).
  public var accuracy: Double {
    let correct = counts.indices.reduce(0) { $0 + counts[$1][$1] }
    return total == 0 ? 0 : Double(correct) / Double(total)
  }

  /// Per true class, the fraction predicted correctly (nil when the class has no examples).
  public var recall: [Double?] {
    counts.indices.map { c in
      let row = counts[c].reduce(0, +)
      return row == 0 ? nil : Double(counts[c][c]) / Double(row)
    }
  }

  /// Per predicted class, the fraction that was right (nil when never predicted).
  public var precision: [Double?] {
    counts.indices.map { c in
      let column = counts.reduce(0) { $0 + $1[c] }
      return column == 0 ? nil : Double(counts[c][c]) / Double(column)
    }
  }

  /// The matrix as text: one row per true class, one column per predicted class, numbers
  /// right-aligned under their class names.
  public func table() -> String {
    let corner = "true \\ predicted"
    let firstWidth = max(corner.count, classNames.map(\.count).max() ?? 0)
    let largest = counts.flatMap { $0 }.max() ?? 0
    let widths = classNames.map { max($0.count, String(largest).count) }
    func pad(_ text: String, _ width: Int, right: Bool) -> String {
      let fill = String(repeating: " ", count: max(width - text.count, 0))
      return right ? fill + text : text + fill
    }
    var lines = [
      ([pad(corner, firstWidth, right: false)]
        + zip(classNames, widths).map { pad($0, $1, right: true) }).joined(separator: "  ")
    ]
    for (c, className) in classNames.enumerated() {
      let cells = zip(counts[c], widths).map { pad(String($0), $1, right: true) }
      lines.append(([pad(className, firstWidth, right: false)] + cells).joined(separator: "  "))
    }
    // Trailing spaces are trimmed so the text compares cleanly in tests and notebooks.
    return lines.map { line in
      String(line.reversed().drop { $0 == " " }.reversed())
    }.joined(separator: "\n")
  }
}

extension ConfusionMatrix: CustomStringConvertible {
  /// The `table()` rendering.
  public var description: String { table() }
}
