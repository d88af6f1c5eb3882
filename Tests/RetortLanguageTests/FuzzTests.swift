import RetortLanguage
import Testing

/// SplitMix64: a tiny seeded generator so fuzz failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Every character boundary of a text, mapping UTF-8 offsets to (line, column).
struct BoundaryIndex {
  var locations: [Int: RetortLanguage.SourceLocation] = [:]

  init(_ text: String) {
    var location = RetortLanguage.SourceLocation.start
    locations[0] = location
    for character in text {
      location.offset += character.utf8.count
      if character == "\n" || character == "\r\n" || character == "\r" {
        location.line += 1
        location.column = 1
      } else {
        location.column += 1
      }
      locations[location.offset] = location
    }
  }

  func isValid(_ range: SourceRange) -> Bool {
    locations[range.start.offset] == range.start && locations[range.end.offset] == range.end
      && range.start.offset <= range.end.offset
  }
}

@Suite struct FuzzTests {
  static let vocabulary = [
    "x", "train", "distill", "model", "print", "relu", "sweep", "on", "from", "as", "=", "==",
    "+", "-", "*", "**", "/", "@", "%", "<", ">=", "!=", "and", "or", "not", "(", ")", "[",
    "]", "{", "}", ",", ":", ";", ".", "\n", "\n", " ", "  ", "\t", "1", "0.5", "1e-3", "3abc",
    "\"s\"", "\"a{x}b\"", "\"{", "\"", "\"\"\"", "}\"", "\\", "\\\n", "#", "# %%\n", "for",
    "in", "if", "else", "while", "def", "return", "break", "continue", "true", "none",
    "epochs=", "loss =", "kd(T=4)", "x[0, 1:3]", "$", "'", "é", "🙂", "\u{FFFD}", "\r\n",
    "\u{0}", "!",
  ]

  /// Parses `source` and checks every reported location lies on a character boundary.
  static func check(_ source: String) {
    let (program, diagnostics) = parse(source)
    let index = BoundaryIndex(source)
    for diagnostic in diagnostics {
      #expect(index.isValid(diagnostic.range), "\(diagnostic) in \(source.debugDescription)")
      for note in diagnostic.notes {
        if let range = note.range { #expect(index.isValid(range)) }
      }
    }
    for statement in program.statements {
      #expect(index.isValid(statement.range), "\(statement.sExpression)")
    }
    _ = program.sExpression
    _ = DiagnosticFormatter(fileName: "fuzz", source: source).format(diagnostics)
    _ = inputStatus(source)
    _ = CellSplitter.split(source)
  }

  @Test(arguments: 0..<4)
  func tokenSoup(seed: UInt64) {
    var random = SeededGenerator(state: seed)
    for _ in 0..<400 {
      let count = Int.random(in: 0..<40, using: &random)
      var source = ""
      for _ in 0..<count {
        source += Self.vocabulary.randomElement(using: &random) ?? ""
        if Bool.random(using: &random) { source += " " }
      }
      Self.check(source)
    }
  }

  @Test(arguments: 10..<14)
  func mutatedSketch(seed: UInt64) {
    var random = SeededGenerator(state: seed)
    let original = Array(sketch)
    for _ in 0..<100 {
      var characters = original
      for _ in 0..<Int.random(in: 1...6, using: &random) {
        guard !characters.isEmpty else { break }
        let position = Int.random(in: 0..<characters.count, using: &random)
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
          let length = Int.random(in: 1...8, using: &random)
          characters.removeSubrange(position..<min(characters.count, position + length))
        case 1:
          let word = Self.vocabulary.randomElement(using: &random) ?? ""
          characters.insert(contentsOf: Array(word), at: position)
        case 2:
          let other = Int.random(in: 0..<characters.count, using: &random)
          characters.swapAt(position, other)
        default:
          let length = Int.random(in: 1...30, using: &random)
          let slice = characters[position..<min(characters.count, position + length)]
          characters.insert(contentsOf: slice, at: position)
        }
      }
      Self.check(String(characters))
    }
  }

  @Test func randomBytes() {
    var random = SeededGenerator(state: 99)
    for _ in 0..<300 {
      let bytes = (0..<Int.random(in: 0..<80, using: &random)).map { _ in
        UInt8.random(in: 0...255, using: &random)
      }
      Self.check(String(decoding: bytes, as: UTF8.self))
    }
  }

  @Test func everyPrefixOfTheSketch() {
    let characters = Array(sketch)
    for length in stride(from: 0, through: characters.count, by: 7) {
      Self.check(String(characters[..<length]))
    }
  }
}

@Suite struct ScaleTests {
  @Test func largeInputsParseQuickly() {
    let big = Array(repeating: sketch, count: 50).joined(separator: "\n")
    let clock = ContinuousClock()
    let elapsed = clock.measure { _ = parse(big) }
    #expect(elapsed < .seconds(5))
    let chain = (0..<5000).map { "a\($0)" }.joined(separator: " < ")
    #expect(messages(chain).count == 1)
    let lines = String(repeating: "x = [\n", count: 1) + String(repeating: "1,\n", count: 20000)
    #expect(messages(lines).count == 1)
  }
}
