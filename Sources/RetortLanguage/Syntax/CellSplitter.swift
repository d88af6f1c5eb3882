// Splits a script in the "percent" format (read by Jupytext and VS Code) into cells:
//
//     # %% [markdown]
//     # # A title
//
//     # %% tags=["parameters"]
//     epochs = 30

import Foundation

/// One cell of a percent-format script.
public struct Cell: Sendable, Hashable {
  /// Whether a cell holds code or markdown.
  public enum Kind: String, Sendable, Hashable {
    case code
    case markdown
  }

  /// Code or markdown.
  public var kind: Kind
  /// The cell's text without its marker line and surrounding blank lines; markdown lines
  /// have their leading `# ` removed.
  public var source: String
  /// Text after `# %%` that is neither the kind nor metadata, e.g. `Training` in
  /// `# %% Training`.
  public var title: String?
  /// The strings of `tags=[...]` on the marker line.
  public var tags: [String]
  /// The 1-based line of the marker, or nil for text before the first marker.
  public var markerLine: Int?
  /// The 1-based line of the file where `source` begins.
  public var firstLine: Int
  /// The UTF-8 offset in the file where `source` begins.
  public var startOffset: Int

  /// Where `source` starts in the file; pass it to `Parser.parse(...origin:)` so positions
  /// of a code cell come out in file coordinates.
  public var origin: SourceLocation {
    SourceLocation(line: firstLine, column: 1, offset: startOffset)
  }

  /// Creates a cell.
  public init(
    kind: Kind, source: String, title: String? = nil, tags: [String] = [],
    markerLine: Int? = nil, firstLine: Int, startOffset: Int
  ) {
    self.kind = kind
    self.source = source
    self.title = title
    self.tags = tags
    self.markerLine = markerLine
    self.firstLine = firstLine
    self.startOffset = startOffset
  }
}

/// Splits percent-format scripts into cells.
public enum CellSplitter {
  /// Splits `text` at `# %%` (or `#%%`) marker lines. Text before the first marker becomes a
  /// code cell when it is not blank. A file without markers is one code cell.
  public static func split(_ text: String) -> [Cell] {
    var cells: [Cell] = []
    var header: Marker?
    var body: [Line] = []
    var bodyStart = (line: 1, offset: 0)

    func flush() {
      if header == nil && body.allSatisfy({ $0.text.allSatisfy(\.isWhitespace) }) { return }
      cells.append(makeCell(header, body, fallback: bodyStart))
    }

    for line in lines(of: text) {
      if let marker = Marker(line) {
        flush()
        header = marker
        body = []
        bodyStart = (line.number + 1, line.nextOffset)
      } else {
        body.append(line)
      }
    }
    flush()
    return cells
  }

  // MARK: - Lines

  struct Line {
    var text: String
    var number: Int
    var offset: Int
    /// Offset of the line after this one (past the line break).
    var nextOffset: Int
  }

  static func lines(of text: String) -> [Line] {
    var result: [Line] = []
    var current = ""
    var offset = 0
    var lineStart = 0
    for character in text {
      offset += character.utf8.count
      if character.isLineBreak {
        result.append(
          Line(text: current, number: result.count + 1, offset: lineStart, nextOffset: offset))
        current = ""
        lineStart = offset
      } else {
        current.append(character)
      }
    }
    if !current.isEmpty || result.isEmpty {
      result.append(
        Line(text: current, number: result.count + 1, offset: lineStart, nextOffset: offset))
    }
    return result
  }

  // MARK: - Cells

  static func makeCell(_ marker: Marker?, _ body: [Line], fallback: (line: Int, offset: Int))
    -> Cell
  {
    let isBlank = { (line: Line) in line.text.allSatisfy(\.isWhitespace) }
    let first = body.firstIndex { !isBlank($0) }
    let last = body.lastIndex { !isBlank($0) }
    let kind = marker?.kind ?? .code
    var kept: [Line] = []
    if let first, let last { kept = Array(body[first...last]) }
    let texts = kept.map { kind == .markdown ? stripCommentMarker($0.text) : $0.text }
    return Cell(
      kind: kind, source: texts.joined(separator: "\n"), title: marker?.title,
      tags: marker?.tags ?? [], markerLine: marker?.line,
      firstLine: kept.first?.number ?? fallback.line,
      startOffset: kept.first?.offset ?? fallback.offset)
  }

  /// `# text` -> `text`, `#` -> ``; other lines are kept as they are.
  static func stripCommentMarker(_ line: String) -> String {
    if line.hasPrefix("# ") { return String(line.dropFirst(2)) }
    if line.hasPrefix("#") { return String(line.dropFirst()) }
    return line
  }

  // MARK: - Markers

  /// A parsed `# %% title [markdown] tags=["a", "b"]` line.
  struct Marker {
    var kind: Cell.Kind = .code
    var title: String?
    var tags: [String] = []
    var line: Int

    init?(_ line: Line) {
      let text = line.text
      let rest: Substring
      if text.hasPrefix("# %%") {
        rest = text.dropFirst(4)
      } else if text.hasPrefix("#%%") {
        rest = text.dropFirst(3)
      } else {
        return nil
      }
      // `# %%%` or `# %%x` are ordinary comments.
      if let next = rest.first, !next.isWhitespace { return nil }
      self.line = line.number
      var remaining = String(rest)
      for spelling in ["[markdown]", "[md]"] {
        if let range = remaining.range(of: spelling) {
          kind = .markdown
          remaining.removeSubrange(range)
        }
      }
      // Metadata (`key=value ...`) starts at the first word containing '='.
      var titleWords: [Substring] = []
      var metadata = ""
      for word in remaining.split(separator: " ", omittingEmptySubsequences: true) {
        if !metadata.isEmpty || word.contains("=") {
          metadata += (metadata.isEmpty ? "" : " ") + word
        } else {
          titleWords.append(word)
        }
      }
      title = titleWords.isEmpty ? nil : titleWords.joined(separator: " ")
      tags = Marker.tags(in: metadata)
    }

    /// The strings listed in `tags=[...]`.
    static func tags(in metadata: String) -> [String] {
      guard let key = metadata.range(of: "tags=") else { return [] }
      let after = metadata[key.upperBound...]
      guard after.first == "[", let close = after.firstIndex(of: "]") else { return [] }
      let list = after[after.index(after: after.startIndex)..<close]
      return list.split(separator: ",").map {
        $0.trimming(" \t\"'")
      }.filter { !$0.isEmpty }
    }
  }
}

extension Substring {
  fileprivate func trimming(_ set: String) -> String {
    var slice = self[...]
    while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
    while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
    return String(slice)
  }
}
