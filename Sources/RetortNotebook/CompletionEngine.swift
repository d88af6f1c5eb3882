import Foundation
import RetortLanguage

/// Tab completion that knows the language: command names and variables, attributes after a
/// dot (`teacher.` lists its layers, `student.history.` its series), the options and role
/// words of the command being typed (`distill ... ep` → `epochs=`), loss names, and file
/// paths, but only inside a string.
public struct CompletionEngine {
  public let interpreter: Interpreter

  public init(interpreter: Interpreter) { self.interpreter = interpreter }

  /// Names of the loss terms, offered wherever an expression may start.
  static let lossNames = ["ce", "kd", "dkd", "hint", "at", "rkd", "mse"]

  /// Replacements for `word`, the text just before the cursor back to the last separator,
  /// given `line`, everything before the cursor.
  public func candidates(line: String, word: String) -> [String] {
    if isInsideString(line) { return paths(matching: word) }
    if let dot = word.lastIndex(of: ".") {
      return attributes(base: String(word[..<dot]), prefix: String(word[word.index(after: dot)...]))
    }
    let registry = interpreter.commandRegistry
    var pool = interpreter.variableNames.filter { $0 != "Out" && $0 != "_" }
    if let verb = currentVerb(line), let spec = registry[verb] {
      pool += spec.options.map { $0.name + "=" }
      for parameter in spec.roles {
        if case .role(let roleWord) = parameter.kind { pool.append(roleWord) }
      }
      pool += Self.lossNames
    } else {
      pool += registry.names
    }
    return Array(Set(pool.filter { $0.hasPrefix(word) && $0 != word })).sorted()
  }

  /// The command word the line starts with (after an assignment's `=`), if any.
  func currentVerb(_ line: String) -> String? {
    var text = Substring(line)
    // `a, b = split ...`: the verb follows an assignment's targets (names and commas).
    if let equals = text.firstIndex(of: "=") {
      let targets = text[..<equals].split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      let isAssignment = targets.allSatisfy { name in
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
      }
      if isAssignment { text = text[text.index(after: equals)...] }
    }
    let words = text.split(separator: " ", omittingEmptySubsequences: true)
    // Only once the verb is complete (a space follows it) do its options apply.
    guard let first = words.first, text.hasSuffix(" ") || words.count > 1 else { return nil }
    return interpreter.commandRegistry[String(first)] == nil ? nil : String(first)
  }

  /// Whether the cursor is inside a double-quoted string.
  func isInsideString(_ line: String) -> Bool {
    var inside = false
    var escaped = false
    for character in line {
      if escaped {
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == "\"" {
        inside.toggle()
      }
    }
    return inside
  }

  /// `base.prefix…` for each attribute of the value `base` names (a name or a dotted chain:
  /// only names and dots are evaluated, so completion never runs a command).
  func attributes(base: String, prefix: String) -> [String] {
    let parts = base.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, !first.isEmpty,
      parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
      ),
      var value = interpreter[variable: first]
    else { return [] }
    for name in parts.dropFirst() {
      guard let attribute = interpreter.attributes(of: value).first(where: { $0.name == name }),
        let next = try? attribute.get(value)
      else { return [] }
      value = next
    }
    return interpreter.attributes(of: value).map(\.name)
      .filter { $0.hasPrefix(prefix) }.sorted().map { base + "." + $0 }
  }

  /// Files and folders whose path starts with `partial` (folders end with `/`).
  func paths(matching partial: String) -> [String] {
    let fileManager = FileManager.default
    let directory: String
    let stem: String
    if let slash = partial.lastIndex(of: "/") {
      directory = String(partial[...slash])
      stem = String(partial[partial.index(after: slash)...])
    } else {
      directory = ""
      stem = partial
    }
    let expanded =
      directory.hasPrefix("~")
      ? NSString(string: directory).expandingTildeInPath + "/" : directory
    guard
      let entries = try? fileManager.contentsOfDirectory(atPath: expanded.isEmpty ? "." : expanded)
    else { return [] }
    return entries.filter { $0.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.hasPrefix(".")) }
      .sorted().map { entry in
        var isFolder: ObjCBool = false
        let full = (expanded.isEmpty ? "" : expanded) + entry
        _ = fileManager.fileExists(atPath: full, isDirectory: &isFolder)
        return directory + entry + (isFolder.boolValue ? "/" : "")
      }
  }
}
