import RetortLanguage
import Testing

@Suite struct LexerTests {
  private func kinds(_ source: String) -> [TokenKind] {
    Lexer.tokenize(source).tokens.map(\.kind)
  }

  @Test(arguments: [
    ("x = 1", [TokenKind.identifier, .assign, .integer, .endOfFile]),
    ("a**b*c", [.identifier, .power, .identifier, .star, .identifier, .endOfFile]),
    (
      "== != <= >= < >",
      [.equal, .notEqual, .lessEqual, .greaterEqual, .less, .greater, .endOfFile]
    ),
    ("@ % / - +", [.at, .percent, .slash, .minus, .plus, .endOfFile]),
    (
      "( ) [ ] { } , : ; .",
      [
        .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace, .comma,
        .colon, .semicolon, .dot, .endOfFile,
      ]
    ),
    (
      "for in if else while def return break continue",
      [
        .kwFor, .kwIn, .kwIf, .kwElse, .kwWhile, .kwDef, .kwReturn, .kwBreak, .kwContinue,
        .endOfFile,
      ]
    ),
    (
      "true false none and or not",
      [
        .kwTrue, .kwFalse, .kwNone, .kwAnd, .kwOr, .kwNot, .endOfFile,
      ]
    ),
    (
      "on from to with as",
      [.identifier, .identifier, .identifier, .identifier, .identifier, .endOfFile]
    ),
    ("a # comment\nb", [.identifier, .newline, .identifier, .endOfFile]),
    ("a \\\n b", [.identifier, .identifier, .endOfFile]),
    ("a\r\nb\rc", [.identifier, .newline, .identifier, .newline, .identifier, .endOfFile]),
    ("x \\", [.identifier, .continuation, .endOfFile]),
    ("", [.endOfFile]),
    ("   \t  ", [.endOfFile]),
    ("_x1 élan", [.identifier, .identifier, .endOfFile]),
  ])
  func tokenKinds(source: String, expected: [TokenKind]) {
    let (tokens, diagnostics) = Lexer.tokenize(source)
    #expect(tokens.map(\.kind) == expected)
    #expect(diagnostics.isEmpty)
  }

  @Test(arguments: [
    ("42", TokenValue.integer(42)),
    ("1_000", .integer(1000)),
    ("0.8", .float(0.8)),
    ("1e-3", .float(0.001)),
    ("2E+2", .float(200)),
    ("5.0", .float(5)),
    ("1.5e10", .float(1.5e10)),
  ])
  func numbers(source: String, value: TokenValue) {
    let (tokens, diagnostics) = Lexer.tokenize(source)
    #expect(tokens.first?.value == value)
    #expect(tokens.count == 2)
    #expect(diagnostics.isEmpty)
  }

  @Test func numberFollowedByDotNameIsAttribute() {
    #expect(kinds("3.real") == [.integer, .dot, .identifier, .endOfFile])
    #expect(kinds("x.0") == [.identifier, .dot, .integer, .endOfFile])
  }

  @Test(arguments: [
    ("3abc", "invalid number literal '3abc'"),
    ("1e", "invalid number literal '1e'"),
    ("99999999999999999999", "integer literal '99999999999999999999' is too large"),
    ("$", "unexpected character '$'"),
    ("'hi'", "unexpected character '''"),
    ("a ! b", "unexpected character '!'"),
    ("\"abc", "unterminated string"),
    ("\"a\\qb\"", "unknown escape sequence '\\q'"),
    ("\"\\u{zz}\"", "invalid unicode escape"),
    ("\"{x\"", "unterminated string"),
    ("\u{0007}", "unexpected character U+0007"),
    ("\u{FFFD}", "invalid UTF-8 byte sequence"),
  ])
  func lexicalErrors(source: String, message: String) {
    let (tokens, diagnostics) = Lexer.tokenize(source)
    #expect(diagnostics.map(\.message).contains(message))
    #expect(tokens.last?.kind == .endOfFile)
  }

  @Test func invalidRunIsOneToken() {
    let (tokens, diagnostics) = Lexer.tokenize("a $$$ b")
    #expect(tokens.map(\.kind) == [.identifier, .invalid, .identifier, .endOfFile])
    #expect(diagnostics.count == 1)
  }

  @Test func invalidUTF8BytesAreReported() {
    let bytes: [UInt8] = [0x78, 0x20, 0x3D, 0x20, 0xFF, 0xFE, 0x0A, 0x79]
    let source = String(decoding: bytes, as: UTF8.self)
    let (tokens, diagnostics) = Lexer.tokenize(source)
    #expect(diagnostics.first?.message == "invalid UTF-8 byte sequence")
    #expect(diagnostics.first?.range.start == SourceLocation(line: 1, column: 5, offset: 4))
    #expect(tokens.last?.range.start.line == 2)
  }

  @Test func stringEscapes() {
    let (tokens, diagnostics) = Lexer.tokenize(#""a\n\t\"\\\{x\}\u{41}""#)
    #expect(diagnostics.isEmpty)
    guard case .string(let segments) = tokens.first?.value else {
      Issue.record("not a string")
      return
    }
    guard case .text(let text, _) = segments.first else {
      Issue.record("no text")
      return
    }
    #expect(text == "a\n\t\"\\{x}A")
    #expect(segments.count == 1)
  }

  @Test func interpolationTokensKeepTheirPositions() {
    let source = "print \"T={T}: {f(a / T)}\""
    let (tokens, diagnostics) = Lexer.tokenize(source)
    #expect(diagnostics.isEmpty)
    guard case .string(let segments) = tokens[1].value else {
      Issue.record("not a string")
      return
    }
    #expect(segments.count == 4)
    guard case .interpolation(let inner, let braces) = segments[3] else {
      Issue.record("no interpolation")
      return
    }
    #expect(inner.map(\.text) == ["f", "(", "a", "/", "T", ")"])
    #expect(inner[2].range.start == SourceLocation(line: 1, column: 18, offset: 17))
    #expect(braces.start.column == 15)
    #expect(braces.end.column == 25)
  }

  @Test func multilineStringSpansLines() {
    let (tokens, diagnostics) = Lexer.tokenize("s = \"\"\"one\n{x}\ntwo\"\"\"\ny")
    #expect(diagnostics.isEmpty)
    #expect(
      tokens.map(\.kind) == [.identifier, .assign, .string, .newline, .identifier, .endOfFile])
    #expect(tokens[4].range.start.line == 4)
  }

  @Test func columnsCountCharactersAndTabs() {
    let (tokens, _) = Lexer.tokenize("\tx = \"é🙂\" + y")
    #expect(tokens[0].range.start == SourceLocation(line: 1, column: 2, offset: 1))
    // The string holds two characters but 6 UTF-8 bytes.
    #expect(tokens[2].range.end == SourceLocation(line: 1, column: 10, offset: 13))
    #expect(tokens[4].range.start == SourceLocation(line: 1, column: 13, offset: 16))
  }

  @Test func spaceBeforeIsRecorded() {
    let tokens = Lexer.tokenize("f(x) g [1] -1 # c\nz").tokens
    #expect(
      tokens.map(\.spaceBefore) == [
        true, false, false, false, true, true, false, false, true, false, true, true, false,
      ])
  }

  @Test func originShiftsPositions() {
    var lexer = Lexer(source: "a\nb", origin: SourceLocation(line: 10, column: 1, offset: 100))
    let tokens = lexer.tokenize()
    #expect(tokens[0].range.start == SourceLocation(line: 10, column: 1, offset: 100))
    #expect(tokens[2].range.start == SourceLocation(line: 11, column: 1, offset: 102))
  }

  @Test func deeplyNestedInterpolationIsLimited() {
    var source = "x"
    for _ in 0..<40 { source = "\"{" + source + "}\"" }
    let (tokens, diagnostics) = Lexer.tokenize(source)
    #expect(tokens.last?.kind == .endOfFile)
    #expect(diagnostics.contains { $0.message.contains("nested too deeply") })
  }
}
