/// Renders diagnostics the way compilers do, with the offending line and a caret:
///
///     lesson.rt:3:17: error: expected ']' to close the list opened at 3:12
///       3 | x = tensor [1, 2
///         |                 ^
///     hint: add ']' after the last element
public struct DiagnosticFormatter: Sendable {
  /// The file name printed in front of each location.
  public var fileName: String
  /// The source text the diagnostics point into.
  private let lines: SourceLines
  /// The line number of the first line of `source` in its file (for notebook cells).
  public var firstLine: Int
  /// Wrap severities in ANSI colours (for terminals).
  public var useColor: Bool

  /// Creates a formatter for diagnostics about `source`, which starts at `firstLine` of
  /// `fileName`.
  public init(fileName: String, source: String, firstLine: Int = 1, useColor: Bool = false) {
    self.fileName = fileName
    self.lines = SourceLines(source)
    self.firstLine = firstLine
    self.useColor = useColor
  }

  /// Formats several diagnostics, each followed by a line break.
  public func format(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map { format($0) + "\n" }.joined()
  }

  /// Formats one diagnostic (without a trailing line break).
  public func format(_ diagnostic: Diagnostic) -> String {
    var output = [header(diagnostic.range.start, diagnostic.severity, diagnostic.message)]
    output += snippet(diagnostic.range)
    if let hint = diagnostic.hint { output.append(paint("hint:", "1;36") + " " + hint) }
    for note in diagnostic.notes {
      if let range = note.range {
        output.append(header(range.start, .note, note.message))
        output += snippet(range)
      } else {
        output.append(paint("note:", "1;30") + " " + note.message)
      }
    }
    return output.joined(separator: "\n")
  }

  // MARK: - Pieces

  private func header(_ location: SourceLocation, _ severity: Severity, _ message: String)
    -> String
  {
    let color: String
    switch severity {
    case .error: color = "1;31"
    case .warning: color = "1;33"
    case .note: color = "1;30"
    }
    let label = paint(severity.rawValue + ":", color)
    return "\(fileName):\(location.line):\(location.column): \(label) \(message)"
  }

  /// The source line and a caret line under the start of `range`, underlined with `~` to its
  /// end when it stays on the line. Tabs before the caret are copied so it lines up.
  private func snippet(_ range: SourceRange) -> [String] {
    let number = range.start.line
    guard let text = lines.line(number - firstLine + 1) else { return [] }
    let gutter = String(number)
    let blank = String(repeating: " ", count: gutter.count)
    let characters = Array(text)
    let startColumn = max(1, range.start.column)
    var indent = ""
    for index in 0..<(startColumn - 1) {
      indent.append(index < characters.count && characters[index] == "\t" ? "\t" : " ")
    }
    var marker = "^"
    if range.end.line == range.start.line && range.end.column > startColumn + 1 {
      let width = min(range.end.column, characters.count + 1) - startColumn - 1
      marker += String(repeating: "~", count: max(0, width))
    }
    return [
      "  \(gutter) | \(text)",
      "  \(blank) | \(indent)\(paint(marker, "1;32"))",
    ]
  }

  private func paint(_ text: String, _ code: String) -> String {
    useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}
