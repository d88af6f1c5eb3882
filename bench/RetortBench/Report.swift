import Foundation

/// One line of the results table.
struct ResultRow {
  let name: String
  /// The headline number, in `unit`.
  let value: Double
  let unit: String
  /// Median and 95th percentile in nanoseconds, when the row is a timing.
  var medianNanoseconds: Double? = nil
  var p95Nanoseconds: Double? = nil
  /// A short remark (a target, a reference).
  var note: String = ""
}

/// A titled group of rows; each benchmark section returns one.
struct Section {
  let title: String
  var rows: [ResultRow]
}

/// Prints sections as an aligned table and writes them as JSON.
enum Report {
  static func text(_ sections: [Section], machine: Machine) -> String {
    var lines = [
      "retort-bench on \(machine.model): \(machine.cores) cores at "
        + String(format: "%.0f MHz", machine.megahertz)
    ]
    let nameWidth = sections.flatMap(\.rows).map(\.name.count).max() ?? 10
    for section in sections {
      lines.append("")
      lines.append(section.title)
      lines.append(String(repeating: "-", count: section.title.count))
      for row in section.rows {
        let name = row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        let value = String(format: "%12.3f", row.value)
        let unit = row.unit.padding(toLength: 8, withPad: " ", startingAt: 0)
        lines.append("  \(name)  \(value) \(unit)  \(row.note)".trimmingTrailingSpaces)
      }
    }
    return lines.joined(separator: "\n")
  }

  static func json(_ sections: [Section], machine: Machine) throws -> Data {
    let object: [String: Any] = [
      "machine": [
        "model": machine.model, "cores": machine.cores, "mhz": machine.megahertz,
        "peak_gflops": machine.peakGflops,
      ],
      "sections": sections.map { section in
        [
          "title": section.title,
          "results": section.rows.map { row -> [String: Any] in
            var entry: [String: Any] = ["name": row.name, "value": row.value, "unit": row.unit]
            if let median = row.medianNanoseconds { entry["median_ns"] = median }
            if let p95 = row.p95Nanoseconds { entry["p95_ns"] = p95 }
            if !row.note.isEmpty { entry["note"] = row.note }
            return entry
          },
        ] as [String: Any]
      },
    ]
    return try JSONSerialization.data(
      withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
  }
}

extension String {
  fileprivate var trimmingTrailingSpaces: String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
