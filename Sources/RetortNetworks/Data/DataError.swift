import Foundation

/// An error raised while loading or preparing data: where it happened and what was found.
///
/// Loader errors carry the file, the 1-based line and column (for CSV the column is the
/// field number) and the offending text, so a person can open the file and fix it.
/// Errors about a dataset in memory (a bad split fraction, an unknown class) leave the
/// location fields empty.
public struct DataError: Error, CustomStringConvertible, Sendable, Equatable {
  /// The file (path as given) or source name, when the problem is in a file.
  public var file: String?
  /// The 1-based line, when known.
  public var line: Int?
  /// The 1-based column (the field number for CSV), when known.
  public var column: Int?
  /// The offending text exactly as found, when there is one.
  public var found: String?
  /// A sentence saying what was expected and what was found.
  public var message: String
  /// A suggestion for the likely fix, when there is one.
  public var hint: String?

  /// Creates an error; `message` should say what was expected and what was found.
  public init(
    file: String? = nil, line: Int? = nil, column: Int? = nil, found: String? = nil,
    _ message: String, hint: String? = nil
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.found = found
    self.message = message
    self.hint = hint
  }

  /// `file, line 3, column 5: message (hint: ...)`, leaving out the parts that are unknown.
  public var description: String {
    var location: [String] = []
    if let file { location.append(file) }
    if let line { location.append("line \(line)") }
    if let column { location.append("column \(column)") }
    var text = location.isEmpty ? message : location.joined(separator: ", ") + ": " + message
    if let hint { text += " (hint: \(hint))" }
    return text
  }
}

// MARK: - File reading

/// Reads a whole file, turning Foundation's error into a `DataError` that names the path.
func readFileData(_ url: URL) throws -> Data {
  var isDirectory: ObjCBool = false
  guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
    throw DataError(
      file: url.path, "no such file",
      hint: "check the path; relative paths are resolved from "
        + FileManager.default.currentDirectoryPath)
  }
  guard !isDirectory.boolValue else {
    throw DataError(file: url.path, "expected a file, found a directory")
  }
  do {
    return try Data(contentsOf: url)
  } catch {
    throw DataError(
      file: url.path, "could not be read: \(error.localizedDescription)",
      hint: "check the file's permissions")
  }
}

/// Quotes `text` for an error message, shortening it so one bad cell cannot flood a screen.
func quoted(_ text: String, limit: Int = 40) -> String {
  let shown = text.count > limit ? String(text.prefix(limit)) + "…" : text
  return "\"" + shown + "\""
}
