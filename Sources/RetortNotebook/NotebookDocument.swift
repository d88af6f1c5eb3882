// The Jupyter notebook model (nbformat 4.5) for Retort notebooks: cells with ids, sources,
// tags and outputs, and the notebook metadata that names the Retort kernel.

import Foundation

// MARK: - Document

/// A Jupyter notebook in nbformat 4.5, the format `.ipynb` files are saved in.
public struct NotebookDocument: Sendable, Equatable {
  /// The major format version this model reads and writes.
  public static let formatMajor = 4
  /// The minor format version written (4.5 is the first with cell ids).
  public static let formatMinor = 5

  /// Notebook-level metadata (kernelspec, language_info and anything else preserved).
  public var metadata: [String: JSONValue]
  /// The cells, top to bottom.
  public var cells: [NotebookCell]

  /// A notebook; the metadata defaults to the Retort kernel's.
  public init(cells: [NotebookCell] = [], metadata: [String: JSONValue] = Self.retortMetadata) {
    self.cells = cells
    self.metadata = metadata
  }

  /// The kernelspec and language_info Jupyter needs to pick the Retort kernel and to
  /// highlight `.rt` code.
  public static let retortMetadata: [String: JSONValue] = [
    "kernelspec": .object([
      "name": .string("retort"), "display_name": .string("Retort"),
      "language": .string("retort"),
    ]),
    "language_info": .object([
      "name": .string("retort"), "file_extension": .string(".rt"),
      "mimetype": .string("text/x-retort"),
    ]),
  ]

  /// The notebook's language from `language_info.name`, else `kernelspec.language`.
  public var language: String? {
    metadata["language_info"]?["name"]?.stringValue
      ?? metadata["kernelspec"]?["language"]?.stringValue
  }

  /// The cells of type code, with their positions in `cells`.
  public var codeCells: [(index: Int, cell: NotebookCell)] {
    cells.enumerated().filter { $0.element.kind == .code }.map { ($0.offset, $0.element) }
  }

  /// Gives every cell without an id a deterministic one and makes duplicate ids unique,
  /// as nbformat 4.5 requires.
  public mutating func assignMissingIDs() {
    var seen = Set<String>()
    for index in cells.indices {
      var id = cells[index].id
      if !NotebookCell.isValidID(id) {
        id = NotebookCell.generatedID(index: index, source: cells[index].source)
      }
      var candidate = id
      var suffix = 2
      while seen.contains(candidate) {
        candidate = String(id.prefix(60)) + "-\(suffix)"
        suffix += 1
      }
      cells[index].id = candidate
      seen.insert(candidate)
    }
  }
}

// MARK: - Cells

/// One notebook cell: code to run, markdown prose, or raw text passed through untouched.
public struct NotebookCell: Sendable, Equatable {
  /// The three cell types of nbformat 4.
  public enum Kind: String, Sendable, Equatable, CaseIterable {
    /// Retort source with outputs.
    case code
    /// Markdown prose.
    case markdown
    /// Text that no tool interprets.
    case raw
  }

  /// The cell id: 1 to 64 characters from `a-z A-Z 0-9 - _`; "" means "assign one".
  public var id: String
  /// The cell type.
  public var kind: Kind
  /// The cell's text, lines joined with `\n`.
  public var source: String
  /// Cell metadata (tags, collapsed state, anything else preserved).
  public var metadata: [String: JSONValue]
  /// The run counter shown as `In [n]` (code cells only; `nil` when never run).
  public var executionCount: Int?
  /// Outputs of the last run (code cells only).
  public var outputs: [NotebookOutput]
  /// Files embedded in markdown or raw cells (kept as read).
  public var attachments: JSONValue?

  /// A cell; without an id one is generated when the notebook is written.
  public init(
    kind: Kind, source: String, id: String = "", metadata: [String: JSONValue] = [:],
    executionCount: Int? = nil, outputs: [NotebookOutput] = [], attachments: JSONValue? = nil
  ) {
    self.id = id
    self.kind = kind
    self.source = source
    self.metadata = metadata
    self.executionCount = executionCount
    self.outputs = outputs
    self.attachments = attachments
  }

  /// A code cell with optional tags.
  public static func code(_ source: String, tags: [String] = [], id: String = "") -> NotebookCell {
    var cell = NotebookCell(kind: .code, source: source, id: id)
    cell.tags = tags
    return cell
  }

  /// A markdown cell.
  public static func markdown(_ source: String, id: String = "") -> NotebookCell {
    NotebookCell(kind: .markdown, source: source, id: id)
  }

  /// The cell's tags (`metadata.tags`); setting `[]` removes the key.
  public var tags: [String] {
    get { metadata["tags"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    set { metadata["tags"] = newValue.isEmpty ? nil : .array(newValue.map(JSONValue.string)) }
  }

  /// Whether `id` is a valid nbformat 4.5 cell id.
  public static func isValidID(_ id: String) -> Bool {
    (1...64).contains(id.unicodeScalars.count)
      && id.unicodeScalars.allSatisfy { scalar in
        scalar.isASCII
          && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
      }
  }

  /// A deterministic id from the cell's position and text: `cell-<index>-<hash>`, where
  /// the hash is the 32-bit FNV-1a of the source in hex, so equal inputs give equal files.
  public static func generatedID(index: Int, source: String) -> String {
    var hash: UInt32 = 0x811C_9DC5
    for byte in source.utf8 {
      hash ^= UInt32(byte)
      hash = hash &* 0x0100_0193
    }
    let hex = String(hash, radix: 16)
    return "cell-\(index)-" + String(repeating: "0", count: 8 - hex.count) + hex
  }
}

// MARK: - Outputs

/// A MIME bundle: MIME type to value; text types hold `.string`, JSON types any value.
public typealias MimeBundle = [String: JSONValue]

/// One output of a code cell, as nbformat 4 defines them.
public enum NotebookOutput: Sendable, Equatable {
  /// The two output streams of a process.
  public enum Stream: String, Sendable, Equatable {
    /// Standard output.
    case stdout
    /// Standard error.
    case stderr
  }

  /// Text written to stdout or stderr.
  case stream(Stream, text: String)
  /// The value of the cell's last expression.
  case executeResult(data: MimeBundle, metadata: [String: JSONValue], executionCount: Int?)
  /// A rich value shown during the run (a table, a chart).
  case displayData(data: MimeBundle, metadata: [String: JSONValue])
  /// An error that stopped the cell.
  case error(name: String, value: String, traceback: [String])

  /// The output's `output_type` string.
  public var outputType: String {
    switch self {
    case .stream: return "stream"
    case .executeResult: return "execute_result"
    case .displayData: return "display_data"
    case .error: return "error"
    }
  }

  /// The MIME data of an execute_result or display_data output.
  public var data: MimeBundle? {
    switch self {
    case .executeResult(let data, _, _), .displayData(let data, _): return data
    default: return nil
    }
  }
}

/// Whether values of `mimeType` are JSON documents rather than text (nbformat stores
/// `application/json` and `application/*+json` as objects, everything else as strings).
func isJSONMimeType(_ mimeType: String) -> Bool {
  mimeType == "application/json"
    || (mimeType.hasPrefix("application/") && mimeType.hasSuffix("+json"))
}
