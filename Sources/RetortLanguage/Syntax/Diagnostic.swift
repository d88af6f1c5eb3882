/// How serious a diagnostic is.
public enum Severity: String, Sendable, Hashable, Comparable {
  case note
  case warning
  case error

  private var rank: Int {
    switch self {
    case .note: return 0
    case .warning: return 1
    case .error: return 2
    }
  }

  /// Orders severities from least (note) to most (error) serious.
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A secondary message attached to a diagnostic, optionally pointing elsewhere in the source.
public struct DiagnosticNote: Sendable, Hashable {
  /// The note's text.
  public var message: String
  /// Where the note points, if anywhere.
  public var range: SourceRange?

  /// Creates a note.
  public init(_ message: String, range: SourceRange? = nil) {
    self.message = message
    self.range = range
  }
}

/// A problem found in the source, reported as a value rather than thrown.
///
/// The message texts live in `Diagnostics+Messages.swift`; other stages (the interpreter)
/// may build their own diagnostics with this initializer.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
  /// How serious it is.
  public var severity: Severity
  /// One line describing the problem, lower-case, no trailing period.
  public var message: String
  /// The source the problem is about.
  public var range: SourceRange
  /// A suggestion such as "did you mean 'train'?", shown after the snippet.
  public var hint: String?
  /// Further explanations, possibly pointing at related source.
  public var notes: [DiagnosticNote]

  /// Creates a diagnostic.
  public init(
    _ severity: Severity, _ message: String, at range: SourceRange, hint: String? = nil,
    notes: [DiagnosticNote] = []
  ) {
    self.severity = severity
    self.message = message
    self.range = range
    self.hint = hint
    self.notes = notes
  }

  /// `line:column: severity: message`, without source context.
  public var description: String { "\(range.start): \(severity.rawValue): \(message)" }

  /// Returns a copy with every location moved by `lines` lines and `offset` bytes; used to
  /// map diagnostics of a notebook cell back to the file that holds it.
  public func shifted(lines: Int, offset: Int) -> Diagnostic {
    func move(_ location: SourceLocation) -> SourceLocation {
      SourceLocation(
        line: location.line + lines, column: location.column, offset: location.offset + offset)
    }
    func move(_ range: SourceRange) -> SourceRange {
      SourceRange(start: move(range.start), end: move(range.end))
    }
    var copy = self
    copy.range = move(range)
    copy.notes = notes.map { DiagnosticNote($0.message, range: $0.range.map(move)) }
    return copy
  }
}

extension Array where Element == Diagnostic {
  /// True when any diagnostic is an error.
  public var containsErrors: Bool { contains { $0.severity == .error } }
}
