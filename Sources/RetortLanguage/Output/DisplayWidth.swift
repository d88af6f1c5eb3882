// How many terminal columns a string occupies, so tables and charts line up when cells hold
// accents, CJK text, emoji or ANSI colour codes.

// MARK: - Display width

/// Terminal column counting for plain-text layout (tables, terminal charts).
///
/// A string's width is the sum over its grapheme clusters (what a reader sees as one
/// character): zero for clusters made only of combining marks and format characters, two for
/// East Asian wide or fullwidth characters and emoji shown as pictures, one otherwise. ANSI
/// escape sequences (`ESC [ ... letter`) take no columns. This follows the rules `wcwidth`
/// implements, restricted to the ranges that matter for text a notebook shows.
public enum DisplayWidth {
  /// The number of terminal columns `text` occupies.
  public static func of(_ text: String) -> Int {
    var width = 0
    var inEscape = false
    for character in text {
      let scalars = character.unicodeScalars
      guard let first = scalars.first else { continue }
      if inEscape {
        // A CSI sequence ends with a final byte in 0x40...0x7E; the `[` that follows ESC
        // does not end it.
        if first.value >= 0x40, first.value <= 0x7E, first != "[" { inEscape = false }
        continue
      }
      if first.value == 0x1B {
        inEscape = true
        continue
      }
      width += clusterWidth(scalars)
    }
    return width
  }

  /// `text` padded with spaces to `width` columns, aligned left or right.
  public static func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
    let missing = width - of(text)
    guard missing > 0 else { return text }
    let padding = String(repeating: " ", count: missing)
    return alignRight ? padding + text : text + padding
  }

  /// `text` cut to at most `width` columns, ending in `…` when something was removed.
  public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
    guard width > 0 else { return "" }
    guard of(text) > width else { return text }
    let budget = width - of(ellipsis)
    var kept = ""
    var used = 0
    for character in text {
      let columns = of(String(character))
      if used + columns > budget { break }
      kept.append(character)
      used += columns
    }
    return budget >= 0 ? kept + ellipsis : String(kept.prefix(width))
  }

  // MARK: - Cluster classification

  private static func clusterWidth(_ scalars: Character.UnicodeScalarView) -> Int {
    guard let first = scalars.first else { return 0 }
    if first.value < 0x20 || (first.value >= 0x7F && first.value < 0xA0) { return 0 }
    if scalars.allSatisfy(isZeroWidth) { return 0 }
    // An emoji variation selector (U+FE0F) asks for the picture form, which is wide.
    if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
    return isWide(first) ? 2 : 1
  }

  private static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return true
    default: return scalar.value == 0x200B
    }
  }

  /// East Asian Wide (W) and Fullwidth (F) ranges plus emoji presented as pictures.
  private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    let wideRanges: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0,
      0x23F3...0x23F3, 0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F,
      0x2693...0x2693, 0x26A1...0x26A1, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5,
      0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA, 0x26F2...0x26F3, 0x26F5...0x26F5,
      0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728,
      0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
      0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
      0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
      0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x18AFF, 0x1B000...0x1B2FF,
      0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A,
      0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
      0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD,
    ]
    guard value >= 0x1100 else { return false }
    return wideRanges.contains { $0.contains(value) }
  }
}
