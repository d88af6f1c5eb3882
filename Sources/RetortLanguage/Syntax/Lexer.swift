/// Turns source text into tokens.
///
/// The lexer never throws and never stops early: anything it cannot read becomes an
/// `.invalid` token plus a diagnostic, and every step consumes at least one character, so it
/// always terminates. Line breaks are emitted as `.newline` tokens; the parser decides where
/// they are insignificant (inside parentheses and brackets).
public struct Lexer {
  /// Deepest allowed nesting of strings inside string interpolations.
  static let maxInterpolationDepth = 8

  private let characters: [Character]
  private var index = 0
  private var location: SourceLocation
  /// Whether trivia (space, comment, line break) was skipped since the last token.
  private var sawSpace = true

  /// Problems found so far.
  public private(set) var diagnostics: [Diagnostic] = []
  /// True when the input ended inside a `"""` string, which the REPL treats as "keep typing".
  public private(set) var endedInsideMultilineString = false
  /// True when the input ended right after a `\` line continuation (and maybe a comment).
  public private(set) var endedAfterContinuation = false
  private var pendingContinuation = false

  /// Prepares to lex `source`; `origin` is the location of its first character, which lets a
  /// notebook cell report positions in the coordinates of the whole file.
  public init(source: String, origin: SourceLocation = .start) {
    characters = Array(source)
    location = origin
  }

  /// Lexes `source` completely; convenience for `Lexer(source:).tokenize()`.
  public static func tokenize(_ source: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    var lexer = Lexer(source: source)
    let tokens = lexer.tokenize()
    return (tokens, lexer.diagnostics)
  }

  /// Lexes the whole input. The result always ends with exactly one `.endOfFile` token.
  public mutating func tokenize() -> [Token] {
    var tokens: [Token] = []
    while true {
      let token = nextToken(interpolation: nil, stringDepth: 0)
      tokens.append(token)
      if token.kind == .endOfFile { return tokens }
    }
  }

  // MARK: - Cursor

  private var current: Character? { index < characters.count ? characters[index] : nil }

  private func peek(_ distance: Int) -> Character? {
    let position = index + distance
    return position < characters.count ? characters[position] : nil
  }

  private mutating func advance() {
    guard let character = current else { return }
    index += 1
    location.offset += character.utf8.count
    if character.isLineBreak {
      location.line += 1
      location.column = 1
    } else {
      location.column += 1
    }
  }

  private func text(from start: Int) -> String {
    String(characters[start..<index])
  }

  private mutating func report(
    _ diagnostic: (SourceRange) -> Diagnostic, from start: SourceLocation
  ) {
    diagnostics.append(diagnostic(SourceRange(start: start, end: location)))
  }

  private mutating func makeToken(
    _ kind: TokenKind, from startIndex: Int, at start: SourceLocation,
    value: TokenValue = .none
  ) -> Token {
    let token = Token(
      kind: kind, text: text(from: startIndex), range: SourceRange(start: start, end: location),
      spaceBefore: sawSpace, value: value)
    sawSpace = false
    return token
  }

  // MARK: - Tokens

  /// Skips trivia and lexes one token. Inside an interpolation (`interpolation` tells whether
  /// its string is multiline) `#` is not a comment (it would swallow the closing quote), `\`
  /// is not a line continuation, and a line break either is trivia (multiline strings) or
  /// ends the interpolation without being consumed.
  private mutating func nextToken(interpolation: Bool?, stringDepth: Int) -> Token {
    let inInterpolation = interpolation != nil
    while let character = current {
      if character.isWhitespace && (!character.isLineBreak || interpolation == true) {
        advance()
        sawSpace = true
      } else if character == "#" && !inInterpolation {
        while let next = current, !next.isLineBreak { advance() }
        sawSpace = true
      } else if character == "\\" && !inInterpolation && (peek(1)?.isLineBreak ?? false) {
        advance()
        advance()
        sawSpace = true
        pendingContinuation = true
      } else {
        break
      }
    }
    let startIndex = index
    let start = location
    guard let character = current else {
      if !inInterpolation { endedAfterContinuation = pendingContinuation }
      return makeToken(.endOfFile, from: startIndex, at: start)
    }
    pendingContinuation = false
    if character.isLineBreak {
      if inInterpolation { return makeToken(.newline, from: startIndex, at: start) }
      advance()
      let token = makeToken(.newline, from: startIndex, at: start)
      sawSpace = true
      return token
    }
    if character == "\\" && !inInterpolation && peek(1) == nil {
      advance()
      return makeToken(.continuation, from: startIndex, at: start)
    }
    if character.isIdentifierStart {
      while let next = current, next.isIdentifierContinue { advance() }
      let word = text(from: startIndex)
      return makeToken(TokenKind.keywords[word] ?? .identifier, from: startIndex, at: start)
    }
    if character.isDigit { return lexNumber(startIndex: startIndex, start: start) }
    if character == "\"" {
      return lexString(startIndex: startIndex, start: start, depth: stringDepth)
    }
    if let kind = lexOperator() { return makeToken(kind, from: startIndex, at: start) }
    return lexInvalid(startIndex: startIndex, start: start)
  }

  /// Lexes punctuation and operators, longest match first.
  private mutating func lexOperator() -> TokenKind? {
    guard let character = current else { return nil }
    let next = peek(1)
    let kind: TokenKind
    var length = 1
    switch character {
    case "(": kind = .leftParen
    case ")": kind = .rightParen
    case "[": kind = .leftBracket
    case "]": kind = .rightBracket
    case "{": kind = .leftBrace
    case "}": kind = .rightBrace
    case ",": kind = .comma
    case ":": kind = .colon
    case ";": kind = .semicolon
    case ".": kind = .dot
    case "+": kind = .plus
    case "-": kind = .minus
    case "/": kind = .slash
    case "%": kind = .percent
    case "@": kind = .at
    case "*":
      if next == "*" { kind = .power; length = 2 } else { kind = .star }
    case "=":
      if next == "=" { kind = .equal; length = 2 } else { kind = .assign }
    case "<":
      if next == "=" { kind = .lessEqual; length = 2 } else { kind = .less }
    case ">":
      if next == "=" { kind = .greaterEqual; length = 2 } else { kind = .greater }
    case "!":
      guard next == "=" else { return nil }
      kind = .notEqual
      length = 2
    default:
      return nil
    }
    for _ in 0..<length { advance() }
    return kind
  }

  /// Consumes a run of unreadable characters as one `.invalid` token with one diagnostic.
  private mutating func lexInvalid(startIndex: Int, start: SourceLocation) -> Token {
    let first = current ?? " "
    advance()
    while let next = current, next.isUnreadable, next == first { advance() }
    report({ Diagnostic.unexpectedCharacter(first, at: $0) }, from: start)
    return makeToken(.invalid, from: startIndex, at: start)
  }

  // MARK: - Numbers

  private mutating func lexNumber(startIndex: Int, start: SourceLocation) -> Token {
    var isFloat = false
    consumeDigits()
    if current == ".", peek(1)?.isDigit ?? false {
      isFloat = true
      advance()
      consumeDigits()
    }
    if current == "e" || current == "E" {
      let sign = peek(1) == "+" || peek(1) == "-"
      if peek(sign ? 2 : 1)?.isDigit ?? false {
        isFloat = true
        advance()
        if sign { advance() }
        consumeDigits()
      }
    }
    if let next = current, next.isIdentifierContinue {
      // `3abc` or `1e`: swallow the whole word so the parser sees one bad token.
      while let more = current, more.isIdentifierContinue { advance() }
      let word = text(from: startIndex)
      report({ Diagnostic.invalidNumber(word, at: $0) }, from: start)
      return makeToken(.invalid, from: startIndex, at: start)
    }
    let digits = text(from: startIndex).filter { $0 != "_" }
    if isFloat {
      return makeToken(.float, from: startIndex, at: start, value: .float(Double(digits) ?? 0))
    }
    if let value = Int(digits) {
      return makeToken(.integer, from: startIndex, at: start, value: .integer(value))
    }
    report({ Diagnostic.integerTooLarge(digits, at: $0) }, from: start)
    return makeToken(.integer, from: startIndex, at: start, value: .integer(0))
  }

  private mutating func consumeDigits() {
    while let next = current, next.isDigit || (next == "_" && (peek(1)?.isDigit ?? false)) {
      advance()
    }
  }

  // MARK: - Strings

  /// Lexes `"..."` (single line) or `"""..."""` (may span lines), with escapes and `{expr}`
  /// interpolations whose tokens are lexed in place so they keep their true positions.
  private mutating func lexString(startIndex: Int, start: SourceLocation, depth: Int) -> Token {
    let multiline = peek(1) == "\"" && peek(2) == "\""
    // Interpolations lex tokens of their own; remember the string's own leading space.
    let spaceBefore = sawSpace
    for _ in 0..<(multiline ? 3 : 1) { advance() }
    var segments: [StringSegment] = []
    var literal = ""
    var literalStart = location

    func flush(_ segments: inout [StringSegment], _ end: SourceLocation) {
      if !literal.isEmpty {
        segments.append(.text(literal, SourceRange(start: literalStart, end: end)))
      }
      literal = ""
    }

    while true {
      guard let character = current else {
        if multiline { endedInsideMultilineString = true }
        report({ Diagnostic.unterminatedString(at: $0) }, from: start)
        break
      }
      if character.isLineBreak && !multiline {
        report({ Diagnostic.unterminatedString(at: $0) }, from: start)
        break
      }
      if character == "\"" && (!multiline || (peek(1) == "\"" && peek(2) == "\"")) {
        flush(&segments, location)
        for _ in 0..<(multiline ? 3 : 1) { advance() }
        sawSpace = spaceBefore
        return makeToken(.string, from: startIndex, at: start, value: .string(segments))
      }
      if character == "\\" {
        lexEscape(into: &literal, multiline: multiline)
        continue
      }
      if character == "{" && depth < Lexer.maxInterpolationDepth {
        flush(&segments, location)
        segments.append(lexInterpolation(multiline: multiline, depth: depth))
        literalStart = location
        continue
      }
      if character == "{" {
        let braceStart = location
        advance()
        report({ Diagnostic.interpolationTooDeep(at: $0) }, from: braceStart)
        literal.append(character)
        continue
      }
      literal.append(character.isLineBreak ? "\n" : character)
      advance()
    }
    flush(&segments, location)
    sawSpace = spaceBefore
    return makeToken(.string, from: startIndex, at: start, value: .string(segments))
  }

  private mutating func lexEscape(into literal: inout String, multiline: Bool) {
    let start = location
    advance()
    guard let escaped = current else { return }
    if escaped.isLineBreak {
      // In a `"""` string a backslash at the end of a line joins it with the next one;
      // in a one-line string the newline is left for the caller to report.
      if multiline { advance() }
      return
    }
    advance()
    switch escaped {
    case "n": literal.append("\n")
    case "t": literal.append("\t")
    case "r": literal.append("\r")
    case "0": literal.append("\0")
    case "\\", "\"", "{", "}", "'": literal.append(escaped)
    case "u" where current == "{":
      advance()
      var hex = ""
      while let digit = current, digit.isHexDigit, hex.count < 8 {
        hex.append(digit)
        advance()
      }
      if current == "}", let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
        advance()
        literal.append(Character(scalar))
      } else {
        report({ Diagnostic.invalidUnicodeEscape(at: $0) }, from: start)
      }
    default:
      report({ Diagnostic.unknownEscape(escaped, at: $0) }, from: start)
      literal.append(escaped)
    }
  }

  /// Lexes `{ tokens }` inside a string, up to the `}` that balances the opening brace.
  private mutating func lexInterpolation(multiline: Bool, depth: Int) -> StringSegment {
    let open = location
    advance()
    var tokens: [Token] = []
    var nesting = 0
    sawSpace = false
    while true {
      let token = nextToken(interpolation: multiline, stringDepth: depth + 1)
      switch token.kind {
      case .endOfFile, .newline:
        // The line break (never consumed here) is left for the string to report.
        report({ Diagnostic.unterminatedInterpolation(at: $0) }, from: open)
        return .interpolation(tokens, SourceRange(start: open, end: location))
      case .leftParen, .leftBracket, .leftBrace:
        nesting += 1
      case .rightParen, .rightBracket:
        nesting = max(0, nesting - 1)
      case .rightBrace:
        if nesting == 0 {
          return .interpolation(tokens, SourceRange(start: open, end: location))
        }
        nesting -= 1
      default:
        break
      }
      tokens.append(token)
    }
  }
}

// MARK: - Character classes

extension Character {
  var isDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
  var isIdentifierStart: Bool { self == "_" || (isLetter && self != "\u{FFFD}") }
  var isIdentifierContinue: Bool { isIdentifierStart || isDigit }
  /// Characters that can start no token; a run of the same one becomes one invalid token.
  var isUnreadable: Bool {
    !(isWhitespace || isIdentifierContinue || "\"#\\()[]{},:;.+-*/%@=<>!".contains(self))
  }
}
