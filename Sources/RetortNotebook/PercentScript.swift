// Percent-format scripts: a `.rt` file whose cells start with `# %%` lines, the format
// Jupytext and VS Code read. Markdown cells are comments (`# %% [markdown]`, then `# text`),
// and cell metadata rides on the marker line (`# %% tags=["parameters"]`).

import Foundation

// MARK: - Percent scripts

/// Converts between percent-format `.rt` scripts and notebooks.
///
/// A marker line is `# %%` (or `#%%`) at the start of a line, optionally followed by a
/// title, a cell type in brackets (`[markdown]`, `[md]`, `[raw]`) and `key=value` metadata
/// whose values are JSON. Lines before the first marker form a code cell when not blank.
/// Trailing blank lines of a cell are not part of it: they separate cells.
///
/// The title is kept as the cell's `title` metadata. Outputs are not part of a script.
///
/// A code line that would read as a marker (a comment such as `# %% not a cell`) is written
/// with one more `#`, `## %% not a cell`, and read back without it; so is a code line that
/// already has two or more, which keeps the escape reversible. Either way the line stays a
/// comment to the language.
public enum PercentScript {
  /// The cells of a percent-format script, as a notebook with Retort metadata.
  public static func document(from text: String) -> NotebookDocument {
    var cells: [NotebookCell] = []
    var header: MarkerLine?
    var body: [String] = []
    func finishCell() {
      while let last = body.last, last.trimmingCharacters(in: .whitespaces).isEmpty {
        body.removeLast()
      }
      guard let header else {
        // Code before the first marker is a cell of its own.
        if !body.isEmpty {
          cells.append(
            NotebookCell(kind: .code, source: body.map(unescaped).joined(separator: "\n")))
        }
        return
      }
      let lines = header.kind == .code ? body.map(unescaped) : body.map(uncommented)
      cells.append(
        NotebookCell(
          kind: header.kind, source: lines.joined(separator: "\n"), metadata: header.metadata))
    }
    for line in lines(of: text) {
      if let marker = MarkerLine(line) {
        finishCell()
        header = marker
        body = []
      } else {
        body.append(line)
      }
    }
    finishCell()
    var document = NotebookDocument(cells: cells)
    document.assignMissingIDs()
    return document
  }

  /// Reads a percent-format script from `url`.
  public static func document(contentsOf url: URL) throws -> NotebookDocument {
    guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8)
    else {
      throw LessonError(
        file: url.path, message: "cannot read the script as UTF-8 text",
        hint: "check that the path exists and the file is saved as UTF-8")
    }
    return document(from: text)
  }

  /// The notebook as a percent-format script: every cell opens with a marker line, cells
  /// are separated by one blank line, and the text ends with a newline.
  public static func text(of document: NotebookDocument) -> String {
    let cells = document.cells.map { cell -> String in
      var marker = "# %%"
      if let title = cell.metadata["title"]?.stringValue, !title.isEmpty {
        marker += " " + title
      }
      switch cell.kind {
      case .code: break
      case .markdown: marker += " [markdown]"
      case .raw: marker += " [raw]"
      }
      for key in cell.metadata.keys.sorted() where key != "title" {
        marker += " \(key)=" + (cell.metadata[key] ?? .null).compactText()
      }
      guard !cell.source.isEmpty else { return marker }
      let lines = cell.source.components(separatedBy: "\n")
      let body = cell.kind == .code ? lines.map(escaped) : lines.map(commented)
      return marker + "\n" + body.joined(separator: "\n")
    }
    return cells.joined(separator: "\n\n") + "\n"
  }

  /// Writes the notebook as a percent-format script, atomically.
  public static func write(_ document: NotebookDocument, to url: URL) throws {
    try AtomicFileWriter.write(text(of: document), to: url)
  }

  // MARK: - Comment lines

  /// A markdown line as a comment: `text` becomes `# text`, an empty line `#`.
  static func commented(_ line: String) -> String {
    line.isEmpty ? "#" : "# " + line
  }

  /// The inverse of `commented`: `# text` becomes `text`, `#` becomes ``; other lines stay.
  static func uncommented(_ line: String) -> String {
    if line == "#" { return "" }
    if line.hasPrefix("# ") { return String(line.dropFirst(2)) }
    return line
  }

  /// How many `#`s open `line` if it has the shape of a marker: one or more `#`, an
  /// optional space, `%%`, then the end of the line or a space or tab. nil otherwise.
  static func markerHashes(_ line: String) -> Int? {
    let hashes = line.prefix { $0 == "#" }.count
    guard hashes > 0 else { return nil }
    var rest = line.dropFirst(hashes)
    if rest.first == " " { rest = rest.dropFirst() }
    guard rest.hasPrefix("%%") else { return nil }
    rest = rest.dropFirst(2)
    return rest.isEmpty || rest.first == " " || rest.first == "\t" ? hashes : nil
  }

  /// A code line as written: one more `#` when it has the shape of a marker.
  static func escaped(_ line: String) -> String {
    markerHashes(line) == nil ? line : "#" + line
  }

  /// The inverse of `escaped` for a line read inside a code cell (a real marker, with one
  /// `#`, never gets here).
  static func unescaped(_ line: String) -> String {
    guard let hashes = markerHashes(line), hashes >= 2 else { return line }
    return String(line.dropFirst())
  }

  /// The lines of `text` without terminators ("\r\n" or "\n"); no empty last line.
  static func lines(of text: String) -> [String] {
    var lines = splitLines(text).map { line in
      String(LessonParser.withoutLineTerminator(Substring(line).unicodeScalars))
    }
    if lines.last == "" { lines.removeLast() }
    return lines
  }
}

// MARK: - Marker lines

/// A parsed `# %%` line: the cell type and metadata it declares.
struct MarkerLine {
  var kind: NotebookCell.Kind = .code
  var metadata: [String: JSONValue] = [:]

  /// Parses `line` if it is a marker line.
  init?(_ line: String) {
    let rest: Substring
    if line.hasPrefix("# %%") {
      rest = line.dropFirst(4)
    } else if line.hasPrefix("#%%") {
      rest = line.dropFirst(3)
    } else {
      return nil
    }
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    var scanner = Substring(rest)
    var titleWords: [Substring] = []
    while let token = Self.nextToken(&scanner) {
      if token.hasPrefix("["), token.hasSuffix("]") {
        switch token.dropFirst().dropLast().lowercased() {
        case "markdown", "md": kind = .markdown
        case "raw": kind = .raw
        default: titleWords.append(token)
        }
      } else if let equals = token.firstIndex(of: "="), Self.isKey(token[..<equals]) {
        let key = String(token[..<equals])
        metadata[key] = Self.jsonValue(token[token.index(after: equals)...])
      } else {
        titleWords.append(token)
      }
    }
    if !titleWords.isEmpty { metadata["title"] = .string(titleWords.joined(separator: " ")) }
  }

  /// The next whitespace-separated token, where a `key=` value that starts with a quote,
  /// `[` or `{` runs to its matching close even across spaces.
  private static func nextToken(_ text: inout Substring) -> Substring? {
    text = text.drop { $0 == " " || $0 == "\t" }
    guard !text.isEmpty else { return nil }
    var end = text.startIndex
    var depth = 0
    var inString = false
    var escaped = false
    while end < text.endIndex {
      let character = text[end]
      if inString {
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == "\"" {
          inString = false
        }
      } else if character == "\"" {
        inString = true
      } else if character == "[" || character == "{" {
        depth += 1
      } else if character == "]" || character == "}" {
        depth = max(0, depth - 1)
      } else if (character == " " || character == "\t") && depth == 0 {
        break
      }
      end = text.index(after: end)
    }
    let token = text[text.startIndex..<end]
    text = text[end...]
    return token
  }

  private static func isKey(_ text: Substring) -> Bool {
    guard let first = text.first, first.isLetter || first == "_" else { return false }
    return text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
  }

  /// A metadata value: JSON when it parses, otherwise the text itself as a string.
  private static func jsonValue(_ text: Substring) -> JSONValue {
    let data = Data(text.utf8)
    if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
      let value = JSONValue(foundation: object)
    {
      return value
    }
    return .string(String(text))
  }
}
