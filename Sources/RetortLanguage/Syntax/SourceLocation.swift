/// A position in a source text.
///
/// `line` and `column` are 1-based; a column counts characters (grapheme clusters), so a tab
/// is one column. `offset` is the 0-based UTF-8 byte offset, which lets callers slice the
/// original text cheaply.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The 1-based line number.
  public var line: Int
  /// The 1-based column, counted in characters.
  public var column: Int
  /// The 0-based UTF-8 byte offset from the start of the text.
  public var offset: Int

  /// Creates a location.
  public init(line: Int, column: Int, offset: Int) {
    self.line = line
    self.column = column
    self.offset = offset
  }

  /// The first character of a text.
  public static let start = SourceLocation(line: 1, column: 1, offset: 0)

  /// Orders locations by their offset.
  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    lhs.offset < rhs.offset
  }

  /// `line:column`, the way diagnostics print it.
  public var description: String { "\(line):\(column)" }
}

/// A half-open span of source text: `start` is the first character, `end` is just past the
/// last one. An empty range (start == end) marks a point, e.g. where a token is missing.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
  /// The first character of the span.
  public var start: SourceLocation
  /// The location just past the last character of the span.
  public var end: SourceLocation

  /// Creates a range; `end` is clamped so that it never precedes `start`.
  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end < start ? start : end
  }

  /// An empty range at `location`.
  public init(at location: SourceLocation) {
    self.start = location
    self.end = location
  }

  /// The smallest range that covers both `self` and `other`.
  public func union(_ other: SourceRange) -> SourceRange {
    SourceRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
  }

  /// An empty range at the end of this one, used to point "just after" a token.
  public var endPoint: SourceRange { SourceRange(at: end) }

  /// `start-end` in `line:column` form.
  public var description: String { "\(start)-\(end)" }
}

// MARK: - Line index

/// Splits a text into lines the same way the lexer counts them, so diagnostics can quote the
/// line they point at. Recognised line breaks: "\n", "\r\n" and a lone "\r".
public struct SourceLines: Sendable {
  /// The lines of the text, without their line breaks.
  public let lines: [String]

  /// Indexes `text`.
  public init(_ text: String) {
    var result: [String] = []
    var current = ""
    for character in text {
      if character.isLineBreak {
        result.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    result.append(current)
    lines = result
  }

  /// The text of the 1-based `line`, or nil when the text has no such line.
  public func line(_ number: Int) -> String? {
    guard number >= 1, number <= lines.count else { return nil }
    return lines[number - 1]
  }
}

extension Character {
  /// True for the line breaks the language recognises ("\r\n" is a single `Character`).
  var isLineBreak: Bool { self == "\n" || self == "\r\n" || self == "\r" }
}
