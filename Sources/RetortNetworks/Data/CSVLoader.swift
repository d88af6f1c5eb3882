import Foundation
import RetortTensor

/// Which CSV column holds the labels.
public enum LabelColumn: Sendable, Equatable {
  /// A header column named `label`, `class` or `target` (any case), else the last column.
  case automatic
  /// The header column with exactly this name (after trimming spaces).
  case named(String)
  /// A 0-based column index; negative values count from the end (-1 is the last column).
  case index(Int)
}

// MARK: - Loading

extension Dataset {
  /// Loads a CSV file of numeric feature columns and one label column.
  ///
  /// - The first row is a header when all its fields are non-numeric, or when one of its
  ///   fields is non-numeric where the row below has a number (`header` overrides this).
  /// - Fields are separated by `delimiter`; a field may be wrapped in double quotes, with
  ///   `""` standing for a quote inside it. Quoted fields cannot span lines.
  /// - Blank lines are skipped. Every other row must have as many fields as the first.
  /// - Labels that are all non-negative whole numbers become class indices directly, with
  ///   class names "0"..."max". Any other labels are class names: sorted (numerically when
  ///   all are numbers, else by text) and numbered in that order.
  /// - Feature values must be finite numbers; the first empty or non-numeric field is
  ///   reported with its 1-based line and column (field number).
  public static func loadCSV(
    _ url: URL, labelColumn: LabelColumn = .automatic, header: Bool? = nil,
    delimiter: Character = ",", name: String? = nil
  ) throws -> Dataset {
    let data = try readFileData(url)
    return try parseCSV(
      data, source: url.path, labelColumn: labelColumn, header: header,
      delimiter: delimiter, name: name ?? url.deletingPathExtension().lastPathComponent)
  }

  /// Parses CSV text (see `loadCSV`); `source` names it in errors.
  public static func parseCSV(
    _ text: String, source: String = "<csv>", labelColumn: LabelColumn = .automatic,
    header: Bool? = nil, delimiter: Character = ",", name: String? = nil
  ) throws -> Dataset {
    try parseCSV(
      Data(text.utf8), source: source, labelColumn: labelColumn, header: header,
      delimiter: delimiter, name: name ?? source)
  }

  static func parseCSV(
    _ data: Data, source: String, labelColumn: LabelColumn, header: Bool?,
    delimiter: Character, name: String
  ) throws -> Dataset {
    guard let separator = delimiter.asciiValue, delimiter != "\"" else {
      throw DataError(
        "the CSV delimiter must be a single ASCII character other than a quote, "
          + "got \(quoted(String(delimiter)))")
    }
    let rows = try CSVRecords.split([UInt8](data), separator: separator, source: source)
    guard let first = rows.first else {
      throw DataError(file: source, "expected rows of comma-separated values, found none")
    }
    let hasHeader = header ?? CSVRecords.looksLikeHeader(first, next: rows.dropFirst().first)
    let headerNames = hasHeader ? first.fields.map(\.text) : nil
    let dataRows = hasHeader ? Array(rows.dropFirst()) : rows
    guard !dataRows.isEmpty else {
      throw DataError(
        file: source, "expected data rows after the header (line \(first.line)), found none")
    }
    let width = first.fields.count
    let widthSource = hasHeader ? "the header (line \(first.line))" : "line \(first.line)"
    for row in dataRows where row.fields.count != width {
      throw DataError(
        file: source, line: row.line, column: min(row.fields.count, width) + 1,
        "expected \(width) fields like \(widthSource), found \(row.fields.count)",
        hint: "every row needs the same number of fields; look for a missing or extra "
          + "delimiter")
    }
    guard width >= 2 else {
      throw DataError(
        file: source, line: first.line,
        "expected at least two columns (features and a label), found \(width)")
    }
    let labelIndex = try resolveLabelColumn(
      labelColumn, headerNames: headerNames, width: width, source: source)

    // Features, row by row; the first bad field is reported where it is.
    let featureColumns = (0..<width).filter { $0 != labelIndex }
    var values = [Float]()
    values.reserveCapacity(dataRows.count * featureColumns.count)
    var labelTexts = [String]()
    labelTexts.reserveCapacity(dataRows.count)
    for row in dataRows {
      for column in featureColumns {
        let field = row.fields[column]
        let columnName = headerNames.map { " in column " + quoted($0[column]) } ?? ""
        guard let value = CSVRecords.number(field.text), value.isFinite else {
          let found = field.text.isEmpty ? "an empty field" : quoted(field.text)
          // "inf" and "1e999" parse, but a network cannot learn from them.
          let kind = CSVRecords.number(field.text) == nil ? "a number" : "a finite number"
          throw DataError(
            file: source, line: row.line, column: column + 1, found: field.text,
            "expected \(kind)\(columnName), found \(found)",
            hint: field.text.isEmpty
              ? "fill in or drop rows with missing values before loading"
              : "feature columns must be numeric; only the label column may hold names")
        }
        values.append(Float(value))
      }
      let label = row.fields[labelIndex].text
      guard !label.isEmpty else {
        throw DataError(
          file: source, line: row.line, column: labelIndex + 1, found: "",
          "expected a label, found an empty field",
          hint: "every row needs a label; drop unlabelled rows before loading")
      }
      labelTexts.append(label)
    }
    let (labels, classNames) = classIndices(for: labelTexts)
    let features = try Tensor(
      shape: [dataRows.count, featureColumns.count], scalars: values)
    return try Dataset(name: name, features: features, labels: labels, classNames: classNames)
  }

  /// The 0-based label column for `choice`, or an error naming the available columns.
  private static func resolveLabelColumn(
    _ choice: LabelColumn, headerNames: [String]?, width: Int, source: String
  ) throws -> Int {
    switch choice {
    case .automatic:
      let preferred = ["label", "class", "target"]
      for wanted in preferred {
        if let index = headerNames?.firstIndex(where: { $0.lowercased() == wanted }) {
          return index
        }
      }
      return width - 1
    case .named(let wanted):
      guard let headerNames else {
        throw DataError(
          file: source,
          "expected a header row to find the label column \(quoted(wanted)), "
            + "but the first row holds data",
          hint: "pick the label column by index instead, e.g. -1 for the last column")
      }
      let trimmed = wanted.trimmingCharacters(in: .whitespaces)
      guard let index = headerNames.firstIndex(of: trimmed) else {
        let listed = headerNames.prefix(12).map { quoted($0) }.joined(separator: ", ")
        throw DataError(
          file: source, line: 1, found: wanted,
          "expected a column named \(quoted(wanted)), found only \(listed)"
            + (headerNames.count > 12 ? ", …" : ""),
          hint: "column names are matched exactly, including case")
      }
      return index
    case .index(let index):
      let resolved = index < 0 ? index + width : index
      guard resolved >= 0, resolved < width else {
        throw DataError(
          file: source,
          "label column index \(index) is out of range for \(width) columns",
          hint: "use 0...\(width - 1), or -1 for the last column")
      }
      return resolved
    }
  }

  /// Turns label texts into class indices and class names (see `loadCSV`).
  static func classIndices(for texts: [String]) -> (labels: [Int], classNames: [String]) {
    // Whole numbers used directly; capped so a stray id column cannot make a million classes.
    let wholeNumbers = texts.map { text -> Int? in
      guard let value = Double(text), value >= 0, value < 100_000,
        value == value.rounded()
      else { return nil }
      return Int(value)
    }
    if wholeNumbers.allSatisfy({ $0 != nil }) {
      let labels = wholeNumbers.compactMap { $0 }
      let largest = labels.max() ?? 0
      return (labels, (0...largest).map(String.init))
    }
    let distinct = Set(texts)
    let numeric = distinct.map { Double($0) }
    let names: [String]
    if numeric.allSatisfy({ $0 != nil }) {
      names = distinct.sorted { (Double($0) ?? 0, $0) < (Double($1) ?? 0, $1) }
    } else {
      names = distinct.sorted()
    }
    var indexOf: [String: Int] = [:]
    for (index, className) in names.enumerated() { indexOf[className] = index }
    return (texts.map { indexOf[$0] ?? 0 }, names)
  }
}

// MARK: - Records

/// One non-blank CSV line split into fields.
struct CSVRecord {
  struct Field {
    /// The field's text with surrounding spaces trimmed and quotes removed.
    var text: String
    var quoted: Bool
  }
  /// The 1-based line number in the file.
  var line: Int
  var fields: [Field]
}

/// A small RFC 4180-style splitter over bytes (fast enough for a 60 000-row file).
enum CSVRecords {
  static let quote = UInt8(ascii: "\"")
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")

  /// Splits `bytes` into records, skipping blank lines.
  static func split(_ bytes: [UInt8], separator: UInt8, source: String) throws -> [CSVRecord] {
    var records: [CSVRecord] = []
    var start = 0
    var lineNumber = 0
    // A UTF-8 byte-order mark would otherwise stick to the first header name.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    while start < bytes.count {
      lineNumber += 1
      var end = start
      while end < bytes.count, bytes[end] != newline { end += 1 }
      var lineEnd = end
      if lineEnd > start, bytes[lineEnd - 1] == carriageReturn { lineEnd -= 1 }
      let line = bytes[start..<lineEnd]
      start = end + 1
      if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      records.append(
        CSVRecord(
          line: lineNumber,
          fields: try fields(of: line, separator: separator, line: lineNumber, source: source)))
    }
    return records
  }

  /// The fields of one line.
  static func fields(
    of line: ArraySlice<UInt8>, separator: UInt8, line lineNumber: Int, source: String
  ) throws -> [CSVRecord.Field] {
    var fields: [CSVRecord.Field] = []
    var index = line.startIndex
    while true {
      // Skip spaces before a field so that ` "a"` still counts as quoted.
      var fieldStart = index
      while fieldStart < line.endIndex, line[fieldStart] == 0x20 { fieldStart += 1 }
      if fieldStart < line.endIndex, line[fieldStart] == quote {
        var text: [UInt8] = []
        var cursor = fieldStart + 1
        var closed = false
        while cursor < line.endIndex {
          if line[cursor] == quote {
            if cursor + 1 < line.endIndex, line[cursor + 1] == quote {
              text.append(quote)
              cursor += 2
              continue
            }
            closed = true
            cursor += 1
            break
          }
          text.append(line[cursor])
          cursor += 1
        }
        guard closed else {
          throw DataError(
            file: source, line: lineNumber, column: fields.count + 1,
            found: String(decoding: line[fieldStart...], as: UTF8.self),
            "expected a closing quote for the quoted field, found the end of the line",
            hint: "quoted fields must end on the same line; write a quote inside one as \"\"")
        }
        while cursor < line.endIndex, line[cursor] == 0x20 { cursor += 1 }
        guard cursor == line.endIndex || line[cursor] == separator else {
          let rest = String(decoding: line[cursor...], as: UTF8.self)
          throw DataError(
            file: source, line: lineNumber, column: fields.count + 1, found: rest,
            "expected a delimiter after the closing quote, found \(quoted(rest))",
            hint: "text after a quoted field must itself be inside the quotes")
        }
        fields.append(.init(text: String(decoding: text, as: UTF8.self), quoted: true))
        if cursor == line.endIndex { break }
        index = cursor + 1
      } else {
        var cursor = index
        while cursor < line.endIndex, line[cursor] != separator { cursor += 1 }
        let text = String(decoding: line[index..<cursor], as: UTF8.self)
        fields.append(.init(text: text.trimmingCharacters(in: .whitespaces), quoted: false))
        if cursor == line.endIndex { break }
        index = cursor + 1
      }
    }
    return fields
  }

  /// The value of a numeric field, or nil (quoted numbers count as numbers).
  static func number(_ text: String) -> Double? {
    guard !text.isEmpty else { return nil }
    return Double(text)
  }

  /// Whether `first` is a header: all fields non-numeric, or a non-numeric field above a
  /// number in the next row (so a data row with a text label is not taken for a header).
  static func looksLikeHeader(_ first: CSVRecord, next: CSVRecord?) -> Bool {
    let numeric = first.fields.map { number($0.text) != nil }
    if !numeric.contains(true) { return true }
    guard let next else { return false }
    for (column, isNumber) in numeric.enumerated()
    where !isNumber && column < next.fields.count && number(next.fields[column].text) != nil {
      return true
    }
    return false
  }
}
