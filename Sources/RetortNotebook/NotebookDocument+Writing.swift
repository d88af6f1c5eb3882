// Writing `.ipynb` files exactly as Jupyter lays them out (sorted keys, one-space indent,
// multiline text split into lists of lines), so saving a notebook Jupyter saved changes
// only what really changed.

import Foundation

// MARK: - Writing

extension NotebookDocument {
  /// The notebook as nbformat 4.5 JSON text, ending in a newline. Cells without a valid id
  /// get a deterministic one.
  public func jsonText() -> String {
    var document = self
    document.assignMissingIDs()
    return document.jsonValue.serialized(indent: 1) + "\n"
  }

  /// Writes the notebook to `url` atomically.
  public func write(to url: URL) throws {
    try AtomicFileWriter.write(jsonText(), to: url)
  }

  /// The notebook as a JSON tree (ids as they are; see `jsonText()`).
  public var jsonValue: JSONValue {
    .object([
      "cells": .array(cells.map(\.jsonValue)),
      "metadata": .object(metadata),
      "nbformat": .int(Self.formatMajor),
      "nbformat_minor": .int(Self.formatMinor),
    ])
  }
}

extension NotebookCell {
  /// The cell as nbformat JSON: code cells carry execution_count and outputs, markdown and
  /// raw cells carry attachments when they have any.
  public var jsonValue: JSONValue {
    var members: [String: JSONValue] = [
      "cell_type": .string(kind.rawValue),
      "id": .string(id),
      "metadata": .object(metadata),
      "source": multilineText(source),
    ]
    if kind == .code {
      members["execution_count"] = executionCount.map(JSONValue.int) ?? .null
      members["outputs"] = .array(outputs.map(\.jsonValue))
    } else if let attachments {
      members["attachments"] = attachments
    }
    return .object(members)
  }
}

extension NotebookOutput {
  /// The output as nbformat JSON.
  public var jsonValue: JSONValue {
    switch self {
    case .stream(let stream, let text):
      return .object([
        "output_type": .string("stream"), "name": .string(stream.rawValue),
        "text": multilineText(text),
      ])
    case .executeResult(let data, let metadata, let count):
      return .object([
        "output_type": .string("execute_result"), "data": mimeBundleJSON(data),
        "metadata": .object(metadata), "execution_count": count.map(JSONValue.int) ?? .null,
      ])
    case .displayData(let data, let metadata):
      return .object([
        "output_type": .string("display_data"), "data": mimeBundleJSON(data),
        "metadata": .object(metadata),
      ])
    case .error(let name, let value, let traceback):
      return .object([
        "output_type": .string("error"), "ename": .string(name), "evalue": .string(value),
        "traceback": .array(traceback.map(JSONValue.string)),
      ])
    }
  }
}

// MARK: - Multiline text

/// Text as Jupyter stores it: a list of lines, each ending in "\n" except the last
/// ("" becomes an empty list).
func multilineText(_ text: String) -> JSONValue {
  .array(splitLines(text).map(JSONValue.string))
}

/// `text` cut after every "\n"; joining the pieces gives `text` back.
func splitLines(_ text: String) -> [String] {
  var lines: [String] = []
  var current = ""
  for scalar in text.unicodeScalars {
    current.unicodeScalars.append(scalar)
    if scalar == "\n" {
      lines.append(current)
      current = ""
    }
  }
  if !current.isEmpty { lines.append(current) }
  return lines
}

private func mimeBundleJSON(_ bundle: MimeBundle) -> JSONValue {
  var members: [String: JSONValue] = [:]
  for (mimeType, value) in bundle {
    if !isJSONMimeType(mimeType), let text = value.stringValue {
      members[mimeType] = multilineText(text)
    } else {
      members[mimeType] = value
    }
  }
  return .object(members)
}
