// Running a notebook with different parameters, the way papermill does: `--param
// temperature=8` adds a cell after the one tagged `parameters` that assigns the new values,
// so the notebook's defaults stay visible and the overrides are recorded in the output.

import Foundation

// MARK: - Overrides

/// One `--param name=value` override.
///
/// The value is Retort source text for an expression and is inserted as written: a number
/// (`4`, `0.5`, `1e-3`), a string in double quotes (`"adam"`), a list (`[1, 2, 4]`) or any
/// other single-line expression. It is checked when the injected cell runs, not here.
public struct ParameterOverride: Sendable, Equatable {
  /// The variable to assign.
  public var name: String
  /// The Retort expression assigned to it.
  public var value: String

  /// An override; `name` must be an identifier and `value` a non-empty single line.
  public init(name: String, value: String) throws {
    guard let first = name.unicodeScalars.first,
      first == "_" || (first.isASCII && CharacterSet.letters.contains(first)),
      name.unicodeScalars.allSatisfy({
        $0 == "_" || ($0.isASCII && CharacterSet.alphanumerics.contains($0))
      })
    else {
      throw ParameterError(
        message: "\"\(name)\" is not a variable name",
        hint: "names start with a letter or _ and contain letters, digits and _")
    }
    let trimmedValue = value.trimmingCharacters(in: .whitespaces)
    guard !trimmedValue.isEmpty else {
      throw ParameterError(
        message: "the value for \(name) is empty",
        hint: "write --param \(name)=<expression>, e.g. \(name)=4 or \(name)=\"text\"")
    }
    guard !trimmedValue.contains(where: \.isNewline) else {
      throw ParameterError(
        message: "the value for \(name) spans several lines",
        hint: "a parameter value is one expression on one line")
    }
    self.name = name
    self.value = trimmedValue
  }

  /// Parses a command-line argument of the form `name=value`.
  public init(parsing argument: String) throws {
    guard let equals = argument.firstIndex(of: "=") else {
      throw ParameterError(
        message: "expected name=value, found \"\(argument)\"",
        hint: "write e.g. --param temperature=4 or --param optimizer=\"adam\"")
    }
    try self.init(
      name: argument[..<equals].trimmingCharacters(in: .whitespaces),
      value: String(argument[argument.index(after: equals)...]))
  }

  /// The assignment statement for this override, `name = value` (the injected cell starts
  /// with a `# Parameters` comment line).
  public var assignment: String { "\(name) = \(value)" }
}

/// A malformed `--param` argument.
public struct ParameterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What was expected and what was found.
  public var message: String
  /// How to write it instead.
  public var hint: String

  /// An error with a message and a hint.
  public init(message: String, hint: String) {
    self.message = message
    self.hint = hint
  }

  /// The message followed by the hint.
  public var description: String { "\(message) (hint: \(hint))" }
}

// MARK: - Injection

/// Inserts parameter overrides into a notebook as papermill does.
public enum ParameterInjection {
  /// The tag marking the cell that holds a notebook's default parameters.
  public static let parametersTag = "parameters"
  /// The tag of the cell holding the injected overrides.
  public static let injectedTag = "injected-parameters"

  /// The outcome: the new notebook and, if the overrides could not go where expected, why.
  public struct Result: Sendable, Equatable {
    /// The notebook with the injected cell.
    public var document: NotebookDocument
    /// A warning to show, e.g. when no cell is tagged `parameters`.
    public var warning: String?
  }

  /// Injects `overrides` into `document`.
  ///
  /// Cells tagged `injected-parameters` from an earlier run are removed. The new cell, tagged
  /// `injected-parameters`, goes right after the first cell tagged `parameters`, or at the
  /// top of the notebook (with a warning) when there is none. When a name is given twice,
  /// the last value wins. With no overrides the notebook is returned unchanged.
  public static func inject(
    _ overrides: [ParameterOverride], into document: NotebookDocument
  ) -> Result {
    guard !overrides.isEmpty else { return Result(document: document, warning: nil) }
    var latest: [ParameterOverride] = []
    for override in overrides {
      latest.removeAll { $0.name == override.name }
      latest.append(override)
    }
    var result = document
    result.cells.removeAll { $0.tags.contains(injectedTag) }
    let source = (["# Parameters"] + latest.map(\.assignment)).joined(separator: "\n")
    let injected = NotebookCell.code(
      source, tags: [injectedTag],
      id: NotebookCell.generatedID(index: 0, source: "injected:" + source))
    var warning: String?
    if let position = result.cells.firstIndex(where: { $0.tags.contains(parametersTag) }) {
      result.cells.insert(injected, at: position + 1)
    } else {
      result.cells.insert(injected, at: 0)
      warning =
        "no cell is tagged \"\(parametersTag)\"; the parameters were added at the top"
        + " (tag the cell holding the defaults so they are set before being overridden)"
    }
    result.assignMissingIDs()
    return Result(document: result, warning: warning)
  }
}
