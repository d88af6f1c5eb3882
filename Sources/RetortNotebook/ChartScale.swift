// Axis arithmetic shared by the terminal and SVG renderers: data ranges, "nice" tick steps
// and number formatting that is the same on every machine (so golden tests are stable).

import Foundation

// MARK: - Value ranges

/// A closed interval of values along one axis; never empty and never zero-width.
struct ValueRange: Equatable {
  /// The smallest value on the axis.
  var lower: Double
  /// The largest value on the axis.
  var upper: Double

  /// The range covering the finite values, widened when all values are equal; `nil` when
  /// there is no finite value.
  init?<Values: Sequence>(covering values: Values) where Values.Element == Double {
    var lower = Double.infinity
    var upper = -Double.infinity
    for value in values where value.isFinite {
      lower = min(lower, value)
      upper = max(upper, value)
    }
    guard lower <= upper else { return nil }
    if lower == upper {
      // A flat series still needs a height; pad by 10% of the value (or 1 around zero).
      let pad = lower == 0 ? 1 : abs(lower) * 0.1
      lower -= pad
      upper += pad
    }
    self.lower = lower
    self.upper = upper
  }

  /// A range with explicit bounds; `upper` must exceed `lower`.
  init(lower: Double, upper: Double) {
    self.lower = lower
    self.upper = upper
  }

  /// The width of the range.
  var span: Double { upper - lower }

  /// Where `value` sits in the range, 0 at `lower` and 1 at `upper`.
  func fraction(of value: Double) -> Double { (value - lower) / span }

  /// The range widened to whole multiples of a nice step, for axes that start and end on
  /// a tick (SVG charts).
  func niced(targetTicks: Int) -> (range: ValueRange, step: Double) {
    let step = NiceScale.step(for: span, targetTicks: targetTicks)
    let niceLower = (lower / step).rounded(.down) * step
    let niceUpper = (upper / step).rounded(.up) * step
    return (ValueRange(lower: niceLower, upper: max(niceUpper, niceLower + step)), step)
  }
}

// MARK: - Nice ticks

/// Tick steps of the form 1, 2 or 5 times a power of ten.
enum NiceScale {
  /// The 1-2-5 step giving about `targetTicks` intervals over `span`.
  static func step(for span: Double, targetTicks: Int) -> Double {
    let raw = span / Double(max(1, targetTicks))
    guard raw.isFinite, raw > 0 else { return 1 }
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let residual = raw / magnitude
    // Pick the smallest of 1, 2, 5, 10 that is at least the raw step.
    let multiplier: Double = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
    return multiplier * magnitude
  }

  /// The multiples of `step` inside `range`, computed as k·step so no error accumulates.
  static func ticks(in range: ValueRange, step: Double) -> [Double] {
    guard step > 0, range.span.isFinite else { return [] }
    let first = (range.lower / step - 1e-9).rounded(.up)
    let last = (range.upper / step + 1e-9).rounded(.down)
    guard first <= last, last - first < 1000 else { return [] }
    return stride(from: first, through: last, by: 1).map { $0 * step }
  }

  /// How many decimals a tick label needs so that ticks `step` apart read differently.
  static func decimals(forStep step: Double) -> Int {
    guard step > 0, step.isFinite else { return 0 }
    return min(8, max(0, Int((-log10(step) - 1e-9).rounded(.up))))
  }
}

// MARK: - Number formatting

/// Deterministic number formatting for chart labels (POSIX digits, no locale).
enum ChartNumber {
  /// `value` with exactly `decimals` digits after the point; `-0` prints as `0`.
  static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return nonFinite(value) }
    let text = String(format: "%.\(max(0, decimals))f", value)
    return isNegativeZero(text) ? String(text.dropFirst()) : text
  }

  /// `value` with about four significant digits and no trailing zeros, switching to
  /// scientific notation for very large or very small magnitudes.
  static func compact(_ value: Double) -> String {
    guard value.isFinite else { return nonFinite(value) }
    if value == 0 { return "0" }
    let magnitude = abs(value)
    if magnitude >= 1e6 || magnitude < 1e-3 {
      return String(format: "%.2e", value)
    }
    let digitsBeforePoint = Int(log10(magnitude).rounded(.down))
    let text = fixed(value, decimals: max(0, 3 - digitsBeforePoint))
    return trimmingZeros(text)
  }

  /// Decimals that show the largest magnitude in `values` with three significant digits.
  static func sharedDecimals<Values: Sequence>(for values: Values) -> Int
  where Values.Element == Double {
    let finite = values.filter(\.isFinite)
    if finite.allSatisfy({ $0 == $0.rounded() }) { return 0 }
    let largest = finite.map(abs).max() ?? 0
    guard largest > 0 else { return 2 }
    return min(4, max(0, 2 - Int(log10(largest).rounded(.down))))
  }

  /// A coordinate for SVG output: at most two decimals, trailing zeros dropped.
  static func coordinate(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    return trimmingZeros(fixed(value, decimals: 2))
  }

  private static func trimmingZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var trimmed = text
    while trimmed.hasSuffix("0") { trimmed.removeLast() }
    if trimmed.hasSuffix(".") { trimmed.removeLast() }
    return isNegativeZero(trimmed) || trimmed == "-" ? "0" : trimmed
  }

  private static func isNegativeZero(_ text: String) -> Bool {
    text.hasPrefix("-") && text.dropFirst().allSatisfy { $0 == "0" || $0 == "." }
  }

  private static func nonFinite(_ value: Double) -> String {
    value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf")
  }
}
