/// Layer names: derivation from kinds, validation, and did-you-mean suggestions.
enum ModelNaming {
  /// Fills the nil entries of `given` with `kind` + a per-kind counter (`linear1`, `relu2`),
  /// skipping numbers a given name already took; throws on invalid or repeated names.
  static func resolve(given: [String?], kinds: [String]) throws -> [String] {
    var taken = Set<String>()
    for case let name? in given {
      guard isValid(name) else {
        throw ModelError(
          layer: name, "is not a valid layer name",
          hint: "use letters, digits and underscores, starting with a letter (e.g. block2)")
      }
      guard taken.insert(name).inserted else {
        throw ModelError(layer: name, "is used for two layers", hint: "layer names must be unique")
      }
    }
    var counters: [String: Int] = [:]
    var names: [String] = []
    for (name, kind) in zip(given, kinds) {
      if let name {
        names.append(name)
        continue
      }
      let stem = kind.isEmpty ? "layer" : kind
      var number = counters[stem, default: 0]
      var candidate: String
      repeat {
        number += 1
        candidate = "\(stem)\(number)"
      } while taken.contains(candidate)
      counters[stem] = number
      taken.insert(candidate)
      names.append(candidate)
    }
    return names
  }

  /// A name is an identifier: a letter or underscore, then letters, digits, underscores.
  static func isValid(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first,
      first.properties.isAlphabetic || first == "_"
    else { return false }
    return name.unicodeScalars.allSatisfy {
      ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_"
    }
  }

  /// "did you mean ...?" listing the names closest to `name`, or every name when none is.
  static func hint(for name: String, among names: [String]) -> String {
    let close = suggestions(for: name, among: names)
    if !close.isEmpty {
      return "did you mean " + close.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
    return "layers are " + names.joined(separator: ", ")
  }

  /// Names within a small edit distance of `name` (a third of its length, at least 2).
  static func suggestions(for name: String, among names: [String]) -> [String] {
    let limit = max(2, name.count / 3)
    let scored = names.map { ($0, editDistance(name.lowercased(), $0.lowercased())) }
    let best = scored.filter { $0.1 <= limit }.sorted { $0.1 < $1.1 }
    return best.prefix(3).map(\.0)
  }

  /// Levenshtein distance with one rolling row.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let (x, y) = (Array(a), Array(b))
    guard !x.isEmpty else { return y.count }
    guard !y.isEmpty else { return x.count }
    var row = Array(0...y.count)
    for i in 1...x.count {
      var previous = row[0]
      row[0] = i
      for j in 1...y.count {
        let saved = row[j]
        row[j] = x[i - 1] == y[j - 1] ? previous : 1 + min(previous, row[j], row[j - 1])
        previous = saved
      }
    }
    return row[y.count]
  }
}
