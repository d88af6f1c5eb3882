// "Did you mean ...?" suggestions for misspelt names, commands and options.

/// The candidate closest to `word`, if one is close enough to be a plausible typo.
///
/// Distance is the Damerau-Levenshtein edit distance (optimal string alignment: insertions,
/// deletions, substitutions and swaps of adjacent characters), compared case-insensitively.
/// The allowed distance grows with the word: 0 for one or two characters (only a case
/// difference), 1 up to four, 2 up to eight, 3 beyond. Ties go to the earlier candidate.
/// `word` itself is never suggested.
public func didYouMean(_ word: String, in candidates: [String]) -> String? {
  let target = Array(word.lowercased())
  let limit: Int
  switch target.count {
  case 0: return nil
  case 1...2: limit = 0
  case 3...4: limit = 1
  case 5...8: limit = 2
  default: limit = 3
  }
  var best: (candidate: String, distance: Int)?
  for candidate in candidates where candidate != word {
    let other = Array(candidate.lowercased())
    guard abs(other.count - target.count) <= limit else { continue }
    let distance = editDistance(target, other)
    if distance <= limit && distance < (best?.distance ?? Int.max) {
      best = (candidate, distance)
    }
  }
  return best?.candidate
}

/// Optimal-string-alignment distance between two character arrays.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  // Three rolling rows: the one before the previous is needed for transpositions.
  var before = [Int](repeating: 0, count: b.count + 1)
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let cost = a[i - 1] == b[j - 1] ? 0 : 1
      var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
        value = min(value, before[j - 2] + 1)
      }
      current[j] = value
    }
    (before, previous, current) = (previous, current, before)
  }
  return previous[b.count]
}
