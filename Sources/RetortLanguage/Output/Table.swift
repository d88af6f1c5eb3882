// A table the interpreter can return as a value (e.g. teacher against student: accuracy,
// parameters, latency), with a plain-text renderer that lines columns up by display width.

// MARK: - Table

/// A titled grid of text cells with per-column alignment, optional footer lines and one
/// optionally marked row (for example the best student of a sweep).
public struct Table: Sendable, Equatable {
  /// Which side of its column a cell's text sits on.
  public enum Alignment: String, Sendable, Equatable {
    /// Text starts at the column's left edge (names, labels).
    case left
    /// Text ends at the column's right edge (numbers, so digits line up).
    case right
  }

  /// One column: its header text and how its cells are aligned.
  public struct Column: Sendable, Equatable {
    /// The header shown above the column.
    public var header: String
    /// How the header and cells of this column are aligned.
    public var alignment: Alignment

    /// A column with the given header, left-aligned unless stated.
    public init(_ header: String, alignment: Alignment = .left) {
      self.header = header
      self.alignment = alignment
    }
  }

  /// The title printed above the table, if any.
  public var title: String?
  /// The columns, left to right.
  public private(set) var columns: [Column]
  /// The rows; each has exactly `columns.count` cells.
  public private(set) var rows: [[String]]
  /// Lines printed below the table (notes, totals, units).
  public var footer: [String]
  /// The index of the row to highlight, if any.
  public private(set) var markedRow: Int?

  /// A table; every row must have one cell per column, and `markedRow` must name a row.
  public init(
    title: String? = nil, columns: [Column], rows: [[String]] = [], footer: [String] = [],
    markedRow: Int? = nil
  ) throws {
    guard !columns.isEmpty else {
      throw TableError(
        message: "a table needs at least one column, but none were given",
        hint: "pass the column headers, e.g. [\"model\", \"accuracy\"]")
    }
    self.title = title
    self.columns = columns
    self.rows = []
    self.footer = footer
    self.markedRow = nil
    for row in rows { try append(row) }
    if let markedRow { try mark(row: markedRow) }
  }

  /// A table whose columns are given by header text, all left-aligned except `rightAligned`.
  public init(
    title: String? = nil, headers: [String], rightAligned: Set<Int> = [], rows: [[String]] = [],
    footer: [String] = [], markedRow: Int? = nil
  ) throws {
    let columns = headers.enumerated().map { index, header in
      Column(header, alignment: rightAligned.contains(index) ? .right : .left)
    }
    try self.init(
      title: title, columns: columns, rows: rows, footer: footer, markedRow: markedRow)
  }

  /// Adds a row at the bottom; it must have one cell per column.
  public mutating func append(_ row: [String]) throws {
    guard row.count == columns.count else {
      throw TableError(
        message: "row \(rows.count + 1) has \(row.count) cells, "
          + "but the table has \(columns.count) columns",
        hint: "give every row one cell per column; use \"\" for an empty cell")
    }
    rows.append(row)
  }

  /// Highlights the row at `index` (0-based), replacing any earlier mark.
  public mutating func mark(row index: Int) throws {
    guard rows.indices.contains(index) else {
      throw TableError(
        message: "cannot mark row \(index): the table has \(rows.count) rows",
        hint: "row indices start at 0")
    }
    markedRow = index
  }

  // MARK: - Plain-text rendering

  /// The table as monospaced text: title, header, a rule, the rows and the footer.
  ///
  /// Columns are two spaces apart and sized by display width, so wide characters and
  /// combining accents line up. Every row starts with a two-column gutter that holds `▶ `
  /// (or `> ` when `ascii` is set) on the marked row. Trailing spaces are removed.
  public func render(ascii: Bool = false) -> String {
    let widths = columns.indices.map { column in
      rows.reduce(DisplayWidth.of(columns[column].header)) { widest, row in
        max(widest, DisplayWidth.of(row[column]))
      }
    }
    var lines: [String] = []
    if let title, !title.isEmpty { lines.append(title) }
    lines.append(line(columns.map(\.header), widths: widths, gutter: "  "))
    let rule = ascii ? "-" : "─"
    lines.append(
      line(
        widths.map { String(repeating: rule, count: $0) }, widths: widths,
        gutter: "  "))
    for (index, row) in rows.enumerated() {
      let gutter = index == markedRow ? (ascii ? "> " : "▶ ") : "  "
      lines.append(line(row, widths: widths, gutter: gutter))
    }
    lines.append(contentsOf: footer)
    return lines.joined(separator: "\n")
  }

  private func line(_ cells: [String], widths: [Int], gutter: String) -> String {
    var text = gutter
    for (index, cell) in cells.enumerated() where index < widths.count {
      if index > 0 { text += "  " }
      text += DisplayWidth.pad(
        cell, to: widths[index], alignRight: columns[index].alignment == .right)
    }
    while text.last == " " { text.removeLast() }
    return text
  }
}

// MARK: - Errors

/// A table built with inconsistent shape: rows of the wrong width or a mark out of range.
public struct TableError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was expected and what was found.
  public var message: String
  /// How to fix it.
  public var hint: String

  /// An error with a message and a hint.
  public init(message: String, hint: String) {
    self.message = message
    self.hint = hint
  }

  /// The message followed by the hint.
  public var description: String { "\(message) (hint: \(hint))" }
}
