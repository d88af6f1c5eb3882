// A tiny SVG writer: elements with attributes in a fixed order, XML escaping, and the
// colour scales the SVG charts use. Output is byte-for-byte reproducible.

// MARK: - Markup

/// Accumulates SVG elements as text, one element per line.
struct SVGMarkup {
  private(set) var lines: [String] = []

  /// Appends `<name a="v" ...>content</name>`, or a self-closing element when `content`
  /// is `nil`. Attribute values and content are escaped.
  mutating func element(_ name: String, _ attributes: [(String, String)], content: String? = nil) {
    let attributeText = attributes.map { " \($0.0)=\"\(SVGMarkup.escape($0.1))\"" }.joined()
    if let content {
      lines.append("<\(name)\(attributeText)>\(SVGMarkup.escape(content))</\(name)>")
    } else {
      lines.append("<\(name)\(attributeText)/>")
    }
  }

  /// Appends raw, already well-formed markup (opening and closing group tags).
  mutating func raw(_ markup: String) {
    lines.append(markup)
  }

  /// Text with the five XML special characters escaped and characters that XML 1.0 cannot
  /// contain at all (C0 controls other than tab, newline and carriage return; lone
  /// surrogates cannot occur in a Swift string) replaced by U+FFFD.
  static func escape(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&apos;"
      case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
      default:
        let value = scalar.value
        let forbidden = value < 0x20 || value == 0xFFFE || value == 0xFFFF
        escaped.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
      }
    }
    return escaped
  }
}

// MARK: - Colours

/// Colours for SVG charts.
enum SVGPalette {
  /// Series colours (the Tableau 10 palette): distinct in hue and readable on white.
  static let series = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
  ]

  /// The colour of series `index`.
  static func colour(series index: Int) -> String {
    series[max(0, index) % series.count]
  }

  /// Stops of the viridis colour map at 0, 0.25, 0.5, 0.75, 1: perceptually uniform and
  /// readable in greyscale, so equal value steps look like equal colour steps.
  static let viridis: [(Double, Double, Double)] = [
    (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
  ]

  /// The viridis colour at `fraction` (0 ... 1), linearly interpolated between stops.
  static func heat(_ fraction: Double) -> String {
    let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
    let position = clamped * Double(viridis.count - 1)
    let lower = min(viridis.count - 2, Int(position.rounded(.down)))
    let t = position - Double(lower)
    let (r0, g0, b0) = viridis[lower]
    let (r1, g1, b1) = viridis[lower + 1]
    return hex(r0 + (r1 - r0) * t, g0 + (g1 - g0) * t, b0 + (b1 - b0) * t)
  }

  /// Whether text on the heat colour at `fraction` should be dark (the colour is light).
  static func needsDarkText(_ fraction: Double) -> Bool {
    fraction.isFinite && fraction > 0.6
  }

  private static func hex(_ red: Double, _ green: Double, _ blue: Double) -> String {
    let digits = Array("0123456789abcdef")
    return "#"
      + [red, green, blue].map { component in
        let byte = Int(min(255, max(0, component.rounded())))
        return String([digits[byte / 16], digits[byte % 16]])
      }.joined()
  }
}
