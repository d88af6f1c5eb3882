// Errors found while reading a notebook, naming the file and the cell so people can find
// the problem in Jupyter.

// MARK: - Notebook errors

/// A notebook that cannot be read, with where the problem is and what to do about it.
public struct NotebookError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The kinds of problems a notebook file can have.
  public enum Kind: String, Sendable, Equatable {
    /// The file could not be opened or read.
    case unreadable
    /// The bytes are not valid JSON.
    case invalidJSON
    /// The nbformat major version is not 4.
    case unsupportedFormat
    /// The notebook (or a cell) is in a language other than Retort.
    case wrongLanguage
    /// A key nbformat requires is absent.
    case missingKey
    /// A key has a value of the wrong type or an unknown value.
    case invalidValue
  }

  /// What kind of problem this is.
  public var kind: Kind
  /// The notebook's file name or path.
  public var file: String
  /// The 0-based index of the cell the problem is in, if it is in a cell.
  public var cellIndex: Int?
  /// The id of that cell, if it has one.
  public var cellID: String?
  /// The 1-based line and column in the file, for JSON syntax errors.
  public var line: Int?
  /// See `line`.
  public var column: Int?
  /// What was expected and what was found.
  public var message: String
  /// How to fix it, when there is a useful suggestion.
  public var hint: String?

  /// An error with all its parts.
  public init(
    kind: Kind, file: String, cellIndex: Int? = nil, cellID: String? = nil, line: Int? = nil,
    column: Int? = nil, message: String, hint: String? = nil
  ) {
    self.kind = kind
    self.file = file
    self.cellIndex = cellIndex
    self.cellID = cellID
    self.line = line
    self.column = column
    self.message = message
    self.hint = hint
  }

  /// `file:line:column: cell N (id "x"): message (hint: ...)`, with the parts that are
  /// known. Cells are numbered from 1 here, as people count them.
  public var description: String {
    var text = file
    if let line {
      text += ":\(line)"
      if let column { text += ":\(column)" }
    }
    text += ": "
    if let cellIndex {
      text += "cell \(cellIndex + 1)"
      if let cellID, !cellID.isEmpty { text += " (id \"\(cellID)\")" }
      text += ": "
    }
    text += message
    if let hint { text += " (hint: \(hint))" }
    return text
  }
}
