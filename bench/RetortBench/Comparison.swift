import Foundation

// MARK: - Figures

/// Named numbers of one side of the comparison, keyed as `bench/torch_baseline.py` names
/// them in its JSON (nested objects flattened with dots: `teacher_latency.median_us`).
final class Figures {
  private(set) var values: [String: Double] = [:]

  init(_ values: [String: Double] = [:]) { self.values = values }

  subscript(key: String) -> Double? {
    get { values[key] }
    set { values[key] = newValue }
  }

  /// Reads the JSON written by `torch_baseline.py`; numbers only, nested objects flattened.
  static func load(torchJSON path: String) throws -> (Figures, [String: Any]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw BenchError("\(path): expected a JSON object from torch_baseline.py")
    }
    var flat: [String: Double] = [:]
    func walk(_ object: [String: Any], prefix: String) {
      for (key, value) in object {
        let name = prefix.isEmpty ? key : "\(prefix).\(key)"
        if let nested = value as? [String: Any] {
          walk(nested, prefix: name)
        } else if let number = value as? NSNumber, !(value is Bool) {
          flat[name] = number.doubleValue
        }
      }
    }
    walk(object, prefix: "")
    return (Figures(flat), object)
  }

  /// PyTorch's figures measured earlier on this machine (2 cores, torch 2.x, 2 threads),
  /// shown when no `--torch` file is given. The latency reference was a range of 80-120 µs;
  /// its lower end is used, so a target met against it is met against the whole range.
  static var reference: Figures {
    Figures([
      "digits_teacher_epoch_s": 0.14,
      "digits_student_epoch_s": 0.026,
      "digits_distill_epoch_s": 0.06,
      "fashion_teacher_epoch_s": 18.7,
      "teacher_latency.median_us": 80,
      "import_s": 3,
      "import_peak_mb": 670,
    ])
  }
}

/// A benchmark failure (a missing or malformed input file).
struct BenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

// MARK: - Targets

/// What a Retort figure must reach.
enum Target {
  /// At most `fraction` of PyTorch's figure (a time or a size: lower is better).
  case fractionOfTorch(Double)
  /// Below an absolute bound, in the row's unit.
  case below(Double)
  /// Shown side by side, no target.
  case none

  /// The target in words, with the row's unit for an absolute bound.
  func text(unit: String) -> String {
    switch self {
    case .fractionOfTorch(let fraction):
      return "<= 1/\(Int((1 / fraction).rounded())) of torch"
    case .below(let bound): return "< \(formatNumber(bound)) \(unit)"
    case .none: return ""
    }
  }

  /// Whether `retort` meets the target, nil when it cannot be judged (a figure missing).
  func isMet(retort: Double?, torch: Double?) -> Bool? {
    switch self {
    case .fractionOfTorch(let fraction):
      guard let retort, let torch else { return nil }
      return retort <= fraction * torch
    case .below(let bound):
      guard let retort else { return nil }
      return retort < bound
    case .none: return nil
    }
  }
}

/// One line of the side-by-side table.
struct ComparisonRow {
  let workload: String
  let unit: String
  let retortKey: String
  let torchKey: String
  let target: Target
  /// Keys of a ± spread (accuracy rows), shown after the values.
  var retortSpreadKey: String? = nil
  var torchSpreadKey: String? = nil
  /// Shown when Retort's figure is missing (a skipped section).
  var missingNote = "not measured"
}

// MARK: - The table

/// Retort against PyTorch, workload by workload.
enum Comparison {
  static let rows: [ComparisonRow] = [
    ComparisonRow(
      workload: "digits teacher epoch (64-512-512-10)", unit: "s",
      retortKey: "digits_teacher_epoch_s", torchKey: "digits_teacher_epoch_s",
      target: .fractionOfTorch(0.5)),
    ComparisonRow(
      workload: "digits student epoch (64-32-10)", unit: "s",
      retortKey: "digits_student_epoch_s", torchKey: "digits_student_epoch_s",
      target: .fractionOfTorch(0.5)),
    ComparisonRow(
      workload: "distillation epoch, teacher per batch", unit: "s",
      retortKey: "digits_distill_epoch_s", torchKey: "digits_distill_epoch_s",
      target: .fractionOfTorch(0.5)),
    ComparisonRow(
      workload: "distillation epoch, teacher cache", unit: "s",
      retortKey: "digits_distill_cached_epoch_s", torchKey: "digits_distill_epoch_s",
      target: .fractionOfTorch(0.2)),
    ComparisonRow(
      workload: "Fashion-MNIST 784-1200-1200-10 epoch, fastest of 3", unit: "s",
      retortKey: "fashion_teacher_epoch_s", torchKey: "fashion_teacher_epoch_s",
      target: .fractionOfTorch(0.5), missingNote: "skipped"),
    ComparisonRow(
      workload: "teacher batch-1 latency, median", unit: "µs",
      retortKey: "teacher_latency.median_us", torchKey: "teacher_latency.median_us",
      target: .fractionOfTorch(0.5)),
    ComparisonRow(
      workload: "teacher batch-1 latency, p95", unit: "µs",
      retortKey: "teacher_latency.p95_us", torchKey: "teacher_latency.p95_us",
      target: .none),
    ComparisonRow(
      workload: "student batch-1 latency, median", unit: "µs",
      retortKey: "student_latency.median_us", torchKey: "student_latency.median_us",
      target: .fractionOfTorch(0.5)),
    ComparisonRow(
      workload: "student batch-1 latency, p95", unit: "µs",
      retortKey: "student_latency.p95_us", torchKey: "student_latency.p95_us",
      target: .none),
    ComparisonRow(
      workload: "start-up (retort -e 1 | import torch)", unit: "s",
      retortKey: "startup_s", torchKey: "import_s", target: .below(0.1),
      missingNote: "n/a (no working retort)"),
    ComparisonRow(
      workload: "peak memory, quickstart-like run", unit: "MB",
      retortKey: "quickstart_peak_mb", torchKey: "quickstart_peak_mb", target: .below(100)),
    ComparisonRow(
      workload: "peak memory after import torch", unit: "MB",
      retortKey: "", torchKey: "import_peak_mb", target: .none, missingNote: ""),
    ComparisonRow(
      workload: "teacher test accuracy, 3 seeds", unit: "%",
      retortKey: "teacher_accuracy.mean", torchKey: "teacher_accuracy.mean", target: .none,
      retortSpreadKey: "teacher_accuracy.std", torchSpreadKey: "teacher_accuracy.std"),
    ComparisonRow(
      workload: "distilled student test accuracy, 3 seeds", unit: "%",
      retortKey: "student_accuracy.mean", torchKey: "student_accuracy.mean", target: .none,
      retortSpreadKey: "student_accuracy.std", torchSpreadKey: "student_accuracy.std"),
  ]

  /// The aligned table: workload, Retort, PyTorch, ratio (PyTorch / Retort), target, met.
  static func text(retort: Figures, torch: Figures, torchLabel: String) -> String {
    var table: [[String]] = [
      ["workload", "Retort", torchLabel, "ratio", "target", "met"]
    ]
    for row in rows {
      let mine = row.retortKey.isEmpty ? nil : retort[row.retortKey]
      let theirs = torch[row.torchKey]
      let isAccuracy = row.unit == "%"
      func cell(_ value: Double?, _ spread: Double?, missing: String) -> String {
        guard let value else { return missing }
        if isAccuracy {
          return String(format: "%.1f ± %.1f %%", value * 100, (spread ?? 0) * 100)
        }
        return "\(formatNumber(value)) \(row.unit)"
      }
      var ratio = ""
      if !isAccuracy, let mine, let theirs, mine > 0 {
        // PyTorch / Retort: how many times less time (or memory) Retort takes.
        ratio = String(format: "%.2fx", theirs / mine)
      }
      let met = row.target.isMet(retort: mine, torch: theirs).map { $0 ? "yes" : "MISSED" }
      table.append([
        row.workload,
        cell(mine, row.retortSpreadKey.flatMap { retort[$0] }, missing: row.missingNote),
        cell(theirs, row.torchSpreadKey.flatMap { torch[$0] }, missing: "-"),
        ratio,
        row.target.text(unit: row.unit),
        met ?? "",
      ])
    }
    let widths = (0..<table[0].count).map { column in
      table.map { $0[column].count }.max() ?? 0
    }
    var lines: [String] = []
    for (index, cells) in table.enumerated() {
      let padded = zip(cells, widths).enumerated().map { column, pair in
        // Numbers right-aligned, words left-aligned.
        column == 0 || column >= 4
          ? pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
          : String(repeating: " ", count: pair.1 - pair.0.count) + pair.0
      }
      lines.append(padded.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
      if index == 0 { lines.append(String(repeating: "-", count: widths.reduce(0, +) + 10)) }
    }
    return lines.joined(separator: "\n")
  }

  /// The same rows as JSON objects.
  static func json(retort: Figures, torch: Figures) -> [[String: Any]] {
    rows.map { row in
      var entry: [String: Any] = ["workload": row.workload, "unit": row.unit]
      if let mine = row.retortKey.isEmpty ? nil : retort[row.retortKey] { entry["retort"] = mine }
      if let theirs = torch[row.torchKey] { entry["torch"] = theirs }
      let target = row.target.text(unit: row.unit)
      if !target.isEmpty { entry["target"] = target }
      let mine = row.retortKey.isEmpty ? nil : retort[row.retortKey]
      if let met = row.target.isMet(retort: mine, torch: torch[row.torchKey]) {
        entry["met"] = met
      }
      return entry
    }
  }
}

/// Three significant digits without exponent noise: 0.0312, 1.25, 18.7, 670.
func formatNumber(_ value: Double) -> String {
  let magnitude = abs(value)
  if magnitude >= 100 { return String(format: "%.0f", value) }
  if magnitude >= 10 { return String(format: "%.1f", value) }
  if magnitude >= 1 { return String(format: "%.2f", value) }
  if magnitude >= 0.1 { return String(format: "%.3f", value) }
  if magnitude >= 0.01 { return String(format: "%.4f", value) }
  return String(format: "%.5f", value)
}
