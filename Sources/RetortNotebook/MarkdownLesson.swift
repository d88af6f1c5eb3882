// Markdown lessons: prose with ```retort code blocks that Retort runs, writing each block's
// output right after it. Everything that is not a Retort block is kept byte for byte, and
// outputs are fenced by HTML comments so a second run replaces them instead of adding more.

import Foundation
import RetortLanguage

// MARK: - Lesson

/// A markdown document split into prose, Retort code blocks and outputs of an earlier run.
///
/// Code blocks are fenced with backticks or tildes and have the info string `retort` or
/// `rt`. Joining the segments' raw text gives back the document exactly.
public struct MarkdownLesson: Sendable, Equatable {
  /// The comment line that opens an inserted output block.
  public static let outputStartMarker = "<!-- retort:output -->"
  /// The comment line that closes an inserted output block.
  public static let outputEndMarker = "<!-- retort:end -->"

  /// One piece of the document.
  public enum Segment: Sendable, Equatable {
    /// Text kept as it is (including code blocks in other languages).
    case prose(String)
    /// A Retort code block.
    case code(CodeBlock)
    /// An output block written by an earlier run, directly after a code block.
    case previousOutput(String)

    /// The segment's text exactly as it appears in the document.
    public var raw: String {
      switch self {
      case .prose(let text), .previousOutput(let text): return text
      case .code(let block): return block.raw
      }
    }
  }

  /// A fenced Retort code block.
  public struct CodeBlock: Sendable, Equatable {
    /// The position among the document's Retort blocks, from 0.
    public var index: Int
    /// The 1-based line of the opening fence.
    public var line: Int
    /// The opening fence, the code and the closing fence, exactly as written.
    public var raw: String
    /// The code, with the fence's indentation removed and without the final newline.
    public var source: String
    /// Whether the block has a closing fence (an unclosed block runs to the end).
    public var isClosed: Bool
  }

  /// The document's segments in order.
  public private(set) var segments: [Segment]

  /// Splits markdown text into segments.
  public init(text: String) {
    segments = LessonParser(lines: splitLines(text)).segments()
  }

  /// Reads and splits a markdown file, which must be UTF-8.
  public init(contentsOf url: URL) throws {
    guard let data = try? Data(contentsOf: url) else {
      throw LessonError(
        file: url.path, message: "cannot read the file",
        hint: "check that the path exists and is readable")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw LessonError(
        file: url.path, message: "the file is not valid UTF-8",
        hint: "save the lesson as UTF-8 text")
    }
    self.init(text: text)
  }

  /// The Retort code blocks, in document order.
  public var codeBlocks: [CodeBlock] {
    segments.compactMap { segment in
      if case .code(let block) = segment { return block }
      return nil
    }
  }

  /// The document text (identical to the text it was made from).
  public var text: String { segments.map(\.raw).joined() }
}

// MARK: - Errors

/// A lesson file that could not be read.
public struct LessonError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The lesson's path.
  public var file: String
  /// What went wrong.
  public var message: String
  /// What to do about it.
  public var hint: String

  /// An error about `file`.
  public init(file: String, message: String, hint: String) {
    self.file = file
    self.message = message
    self.hint = hint
  }

  /// `file: message (hint: ...)`.
  public var description: String { "\(file): \(message) (hint: \(hint))" }
}

// MARK: - Parser

/// A line-by-line scan for fenced code blocks following CommonMark's fence rules: up to
/// three spaces of indentation, three or more backticks or tildes, and a closing fence of
/// the same character at least as long with nothing after it.
struct LessonParser {
  let lines: [String]

  struct Fence {
    var indent: Int
    var character: Character
    var length: Int
    var info: String
  }

  func segments() -> [MarkdownLesson.Segment] {
    var segments: [MarkdownLesson.Segment] = []
    var prose = ""
    var position = 0
    var blockIndex = 0
    func flushProse() {
      if !prose.isEmpty { segments.append(.prose(prose)) }
      prose = ""
    }
    while position < lines.count {
      guard let fence = Self.openingFence(lines[position]) else {
        prose += lines[position]
        position += 1
        continue
      }
      let end = closingLine(for: fence, after: position)
      let blockLines = lines[position...min(end ?? lines.count - 1, lines.count - 1)]
      let language = fence.info.split(separator: " ").first.map { $0.lowercased() } ?? ""
      guard language == "retort" || language == "rt" else {
        prose += blockLines.joined()
        position += blockLines.count
        continue
      }
      flushProse()
      let content = lines[(position + 1)..<(end ?? lines.count)].map {
        Self.removingIndent($0, upTo: fence.indent)
      }
      let source = String(Self.withoutLineTerminator(Substring(content.joined()).unicodeScalars))
      segments.append(
        .code(
          MarkdownLesson.CodeBlock(
            index: blockIndex, line: position + 1, raw: blockLines.joined(), source: source,
            isClosed: end != nil)))
      blockIndex += 1
      position += blockLines.count
      if end != nil, let outputEnd = previousOutputEnd(from: position) {
        segments.append(.previousOutput(lines[position...outputEnd].joined()))
        position = outputEnd + 1
      }
    }
    flushProse()
    return segments
  }

  /// The line index of the fence closing `fence`, which opened at `start`.
  private func closingLine(for fence: Fence, after start: Int) -> Int? {
    var index = start + 1
    while index < lines.count {
      let line = Self.content(of: lines[index])
      let indent = line.prefix { $0 == " " }.count
      let rest = line.dropFirst(indent)
      let run = rest.prefix { $0 == fence.character }.count
      if indent <= 3, run >= fence.length,
        rest.dropFirst(run).allSatisfy({ $0 == " " || $0 == "\t" })
      {
        return index
      }
      index += 1
    }
    return nil
  }

  /// The last line of an output block starting at `start` (after at most one blank line),
  /// or `nil` when no complete block starts there.
  private func previousOutputEnd(from start: Int) -> Int? {
    var index = start
    if index < lines.count, Self.isBlank(lines[index]) { index += 1 }
    guard index < lines.count,
      Self.trimmed(lines[index]) == MarkdownLesson.outputStartMarker
    else { return nil }
    while index < lines.count {
      if Self.trimmed(lines[index]) == MarkdownLesson.outputEndMarker { return index }
      index += 1
    }
    return nil
  }

  /// The fence a line opens, if it is an opening fence.
  static func openingFence(_ line: String) -> Fence? {
    let text = content(of: line)
    let indent = text.prefix { $0 == " " }.count
    guard indent <= 3, let character = text.dropFirst(indent).first,
      character == "`" || character == "~"
    else { return nil }
    let rest = text.dropFirst(indent)
    let length = rest.prefix { $0 == character }.count
    let info = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
    // A backtick fence's info string may not contain backticks (that is inline code).
    guard length >= 3, !(character == "`" && info.contains("`")) else { return nil }
    return Fence(indent: indent, character: character, length: length, info: info)
  }

  /// The line without its line terminator.
  static func content(of line: String) -> Substring {
    Substring(withoutLineTerminator(Substring(line).unicodeScalars))
  }

  /// The scalars without one trailing "\n" or "\r\n" (compared as scalars, because a
  /// String treats "\r\n" as a single character).
  static func withoutLineTerminator(
    _ scalars: Substring.UnicodeScalarView
  ) -> Substring.UnicodeScalarView {
    var trimmed = scalars
    if trimmed.last == "\n" { trimmed = trimmed.dropLast() }
    if trimmed.last == "\r" { trimmed = trimmed.dropLast() }
    return trimmed
  }

  static func trimmed(_ line: String) -> String {
    content(of: line).trimmingCharacters(in: .whitespaces)
  }

  static func isBlank(_ line: String) -> Bool { trimmed(line).isEmpty }

  /// `line` with up to `count` leading spaces removed, as CommonMark does for the content
  /// of an indented fence.
  static func removingIndent(_ line: String, upTo count: Int) -> String {
    let spaces = min(count, line.prefix { $0 == " " }.count)
    return String(line.dropFirst(spaces))
  }
}
