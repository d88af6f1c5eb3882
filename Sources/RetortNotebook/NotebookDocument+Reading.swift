// Reading `.ipynb` files: JSON via JSONSerialization, then a strict walk over the nbformat 4
// structure that reports the file, cell and key of any problem.

import Foundation

// MARK: - Reading

extension NotebookDocument {
  /// Reads the notebook at `url`.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw NotebookError(
        kind: .unreadable, file: url.path, message: "cannot read the file",
        hint: "check that the path exists and is readable")
    }
    try self.init(data: data, fileName: url.path)
  }

  /// Parses notebook JSON; `fileName` is used in error messages.
  ///
  /// Accepts nbformat 4.x. Sources and multiline outputs may be strings or lists of lines.
  /// Cells without ids (nbformat before 4.5) get deterministic ids.
  public init(data: Data, fileName: String) throws {
    self = try NotebookParser(file: fileName).document(from: data)
  }
}

// MARK: - Parser

/// The walk from parsed JSON to the notebook model.
struct NotebookParser {
  let file: String

  func document(from data: Data) throws -> NotebookDocument {
    let root = try parseJSON(data)
    guard let top = root.objectValue else {
      throw failure(
        .invalidValue, "the top level is not a JSON object",
        hint: "a notebook file is an object with cells, metadata and nbformat")
    }
    let major = try required("nbformat", in: top, cell: nil)
    guard major.intValue == NotebookDocument.formatMajor else {
      throw failure(
        .unsupportedFormat,
        "nbformat is \(major.serialized()), but only version 4 notebooks can be read",
        hint: "convert it with `jupyter nbconvert --to notebook --nbformat 4`")
    }
    guard try required("nbformat_minor", in: top, cell: nil).intValue != nil else {
      throw failure(.invalidValue, "nbformat_minor is not an integer")
    }
    guard let metadata = try required("metadata", in: top, cell: nil).objectValue else {
      throw failure(.invalidValue, "metadata is not an object")
    }
    guard let cellValues = try required("cells", in: top, cell: nil).arrayValue else {
      throw failure(.invalidValue, "cells is not a list")
    }
    var document = NotebookDocument(cells: [], metadata: metadata)
    for (index, value) in cellValues.enumerated() {
      document.cells.append(try cell(value, index: index))
    }
    try checkLanguage(of: document)
    document.assignMissingIDs()
    return document
  }

  // MARK: - JSON

  private func parseJSON(_ data: Data) throws -> JSONValue {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    } catch {
      let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
      let (line, column) = location(in: data, detail: detail)
      throw NotebookError(
        kind: .invalidJSON, file: file, line: line, column: column,
        message: "the file is not valid JSON" + (detail.map { ": \($0)" } ?? ""),
        hint: "a notebook is a JSON document; look for a missing comma or quote near there")
    }
    guard let value = JSONValue(foundation: object) else {
      throw failure(.invalidJSON, "the JSON holds values that are not JSON types")
    }
    return value
  }

  /// The 1-based line and column of a JSONSerialization error, from the "around line L,
  /// column C" or "around character N" (a UTF-8 byte offset) in its description.
  private func location(in data: Data, detail: String?) -> (Int?, Int?) {
    guard let detail else { return (nil, nil) }
    let numbers = detail.split { !$0.isNumber }.compactMap { Int($0) }
    if detail.contains("line"), numbers.count >= 2 { return (numbers[0], numbers[1]) }
    guard detail.contains("character"), let offset = numbers.last else { return (nil, nil) }
    var line = 1
    var lineStart = 0
    for (position, byte) in data.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
      line += 1
      lineStart = position + 1
    }
    return (line, offset - lineStart + 1)
  }

  // MARK: - Cells

  private func cell(_ value: JSONValue, index: Int) throws -> NotebookCell {
    guard let members = value.objectValue else {
      throw failure(.invalidValue, "the cell is not a JSON object", cell: index)
    }
    let id = members["id"]?.stringValue ?? ""
    let place = (index, id)
    if let rawID = members["id"], !(rawID.stringValue.map(NotebookCell.isValidID) ?? false) {
      throw failure(
        .invalidValue,
        "the cell id \(rawID.serialized()) is not 1-64 characters of "
          + "letters, digits, '-' and '_'", cell: index, id: id)
    }
    let typeName = try required("cell_type", in: members, cell: place)
    guard let kind = typeName.stringValue.flatMap(NotebookCell.Kind.init(rawValue:)) else {
      throw failure(
        .invalidValue,
        "cell_type is \(typeName.serialized()), expected \"code\", "
          + "\"markdown\" or \"raw\"", cell: index, id: id)
    }
    guard let source = try required("source", in: members, cell: place).joinedText else {
      throw failure(
        .invalidValue, "source is neither a string nor a list of strings", cell: index, id: id)
    }
    guard let metadata = try required("metadata", in: members, cell: place).objectValue else {
      throw failure(.invalidValue, "the cell's metadata is not an object", cell: index, id: id)
    }
    var cell = NotebookCell(
      kind: kind, source: source, id: id, metadata: metadata,
      attachments: kind == .code ? nil : members["attachments"])
    guard kind == .code else { return cell }
    let count = try required("execution_count", in: members, cell: place)
    if count != .null {
      guard let number = count.intValue else {
        throw failure(
          .invalidValue, "execution_count is not an integer or null",
          cell: index, id: id)
      }
      cell.executionCount = number
    }
    guard let outputs = try required("outputs", in: members, cell: place).arrayValue else {
      throw failure(.invalidValue, "outputs is not a list", cell: index, id: id)
    }
    cell.outputs = try outputs.map { try output($0, place: place) }
    return cell
  }

  // MARK: - Outputs

  private func output(_ value: JSONValue, place: (Int, String)) throws -> NotebookOutput {
    guard let members = value.objectValue else {
      throw failure(.invalidValue, "an output is not a JSON object", cell: place.0, id: place.1)
    }
    let type =
      try required("output_type", in: members, cell: place, owner: "an output")
      .stringValue ?? ""
    let owner = "the \(type) output"
    func text(_ key: String) throws -> String {
      let value = try required(key, in: members, cell: place, owner: owner)
      guard let text = value.joinedText else {
        throw failure(
          .invalidValue, "the \(type) output's \(key) is not text",
          cell: place.0, id: place.1)
      }
      return text
    }
    func object(_ key: String) throws -> [String: JSONValue] {
      let value = try required(key, in: members, cell: place, owner: owner)
      guard let object = value.objectValue else {
        throw failure(
          .invalidValue, "the \(type) output's \(key) is not an object",
          cell: place.0, id: place.1)
      }
      return object
    }
    switch type {
    case "stream":
      let name = try text("name")
      guard let stream = NotebookOutput.Stream(rawValue: name) else {
        throw failure(
          .invalidValue, "stream name \"\(name)\" is not stdout or stderr",
          cell: place.0, id: place.1)
      }
      return .stream(stream, text: try text("text"))
    case "execute_result":
      let count = try required("execution_count", in: members, cell: place, owner: owner)
      return .executeResult(
        data: try mimeBundle(object("data"), place: place), metadata: try object("metadata"),
        executionCount: count.intValue)
    case "display_data":
      return .displayData(
        data: try mimeBundle(object("data"), place: place), metadata: try object("metadata"))
    case "error":
      guard
        let frames = try required("traceback", in: members, cell: place, owner: owner)
          .arrayValue,
        frames.allSatisfy({ $0.stringValue != nil })
      else {
        throw failure(
          .invalidValue, "the error output's traceback is not a list of strings",
          cell: place.0, id: place.1)
      }
      return .error(
        name: try text("ename"), value: try text("evalue"),
        traceback: frames.compactMap(\.stringValue))
    default:
      throw failure(
        .invalidValue,
        "output_type \"\(type)\" is not stream, execute_result, display_data "
          + "or error", cell: place.0, id: place.1)
    }
  }

  /// Joins text MIME values stored as lists of lines; JSON MIME values stay as they are.
  private func mimeBundle(_ data: [String: JSONValue], place: (Int, String)) throws
    -> MimeBundle
  {
    var bundle: MimeBundle = [:]
    for (mimeType, value) in data {
      if isJSONMimeType(mimeType) {
        bundle[mimeType] = value
      } else if let text = value.joinedText {
        bundle[mimeType] = .string(text)
      } else {
        throw failure(
          .invalidValue, "the \(mimeType) output is not text",
          cell: place.0, id: place.1)
      }
    }
    return bundle
  }

  // MARK: - Language

  /// Rejects code written for another kernel: a notebook whose language is set to
  /// something else, or a cell marked (by VS Code) as another language. A notebook with no
  /// language metadata is taken to be Retort.
  private func checkLanguage(of document: NotebookDocument) throws {
    let notebookLanguage = document.language?.lowercased()
    for (index, cell) in document.codeCells {
      let cellLanguage = cell.metadata["vscode"]?["languageId"]?.stringValue?.lowercased()
      guard let language = cellLanguage ?? notebookLanguage, !isRetort(language) else {
        continue
      }
      throw failure(
        .wrongLanguage, "the code is \(language), but Retort runs only Retort code",
        hint: "open it with its own kernel, or set metadata.language_info.name to \"retort\"",
        cell: index, id: cell.id)
    }
  }

  private func isRetort(_ language: String) -> Bool {
    language == "retort" || language == "rt"
  }

  // MARK: - Helpers

  private func required(
    _ key: String, in members: [String: JSONValue], cell place: (Int, String)?,
    owner: String? = nil
  ) throws -> JSONValue {
    guard let value = members[key] else {
      let owner = owner ?? (place == nil ? "the notebook" : "the cell")
      throw failure(
        .missingKey, "\(owner) has no \"\(key)\" key, which nbformat 4 requires",
        cell: place?.0, id: place?.1)
    }
    return value
  }

  private func failure(
    _ kind: NotebookError.Kind, _ message: String, hint: String? = nil, cell: Int? = nil,
    id: String? = nil
  ) -> NotebookError {
    NotebookError(
      kind: kind, file: file, cellIndex: cell, cellID: id, message: message,
      hint: hint)
  }
}
