// Every message text of the front end lives here, so wording stays consistent and can be
// reviewed (or translated) in one place. Messages are lower-case with no trailing period;
// hints are full suggestions.

extension Diagnostic {
  // MARK: - Lexical

  static func unexpectedCharacter(_ character: Character, at range: SourceRange) -> Diagnostic {
    let hint: String?
    switch character {
    case "'": hint = "strings are written with double quotes: \"text\""
    case "!": hint = "use 'not' for negation, or '!=' for inequality"
    case "&": hint = "use 'and'"
    case "|": hint = "use 'or'"
    case "#": hint = "comments cannot appear inside a string interpolation"
    case "\\": hint = "a backslash continues a line only as the last character of the line"
    default: hint = nil
    }
    if character == "\u{FFFD}" {
      return Diagnostic(
        .error, "invalid UTF-8 byte sequence", at: range,
        hint: "save the file as UTF-8")
    }
    return Diagnostic(.error, "unexpected character \(describe(character))", at: range, hint: hint)
  }

  static func invalidNumber(_ text: String, at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "invalid number literal '\(text)'", at: range,
      hint: "a name cannot start with a digit; numbers look like 42, 0.8 or 1e-3")
  }

  static func integerTooLarge(_ text: String, at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "integer literal '\(text)' is too large", at: range,
      hint: "write it as a floating-point number, e.g. \(text).0")
  }

  static func unterminatedString(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "unterminated string", at: range,
      hint: "add '\"' to end the string; use \"\"\"...\"\"\" for text that spans lines")
  }

  static func unknownEscape(_ character: Character, at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "unknown escape sequence '\\\(character)'", at: range,
      hint: "known escapes: \\n \\t \\r \\0 \\\\ \\\" \\{ \\} \\u{...}")
  }

  static func invalidUnicodeEscape(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "invalid unicode escape", at: range,
      hint: "write a hexadecimal code point in braces, e.g. \\u{1F600}")
  }

  static func unterminatedInterpolation(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "expected '}' to end the interpolation", at: range,
      hint: "write \\{ for a literal brace")
  }

  static func interpolationTooDeep(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "string interpolations are nested too deeply", at: range,
      hint: "assign the inner string to a name first")
  }

  // MARK: - Syntax

  static func expectedExpression(found: Token) -> Diagnostic {
    let hint: String? =
      found.kind.isBinaryOperator ? "'\(found.text)' needs an operand on each side" : nil
    return Diagnostic(
      .error, "expected an expression, found \(describe(found))", at: found.range, hint: hint)
  }

  static func expected(_ what: String, _ context: String, found: Token) -> Diagnostic {
    Diagnostic(.error, "expected \(what) \(context), found \(describe(found))", at: found.range)
  }

  static func unclosed(
    _ closer: TokenKind, construct: String, openedAt open: SourceRange, at range: SourceRange
  ) -> Diagnostic {
    let hint: String
    switch construct {
    case "list", "index": hint = "add '\(closer.rawValue)' after the last element"
    case "call": hint = "add '\(closer.rawValue)' after the last argument"
    case "block": hint = "add '\(closer.rawValue)' after the last statement"
    default: hint = "add '\(closer.rawValue)'"
    }
    return Diagnostic(
      .error,
      "expected '\(closer.rawValue)' to close the \(construct) opened at \(open.start)",
      at: range, hint: hint)
  }

  static func unmatchedCloser(_ token: Token) -> Diagnostic {
    Diagnostic(
      .error, "unexpected '\(token.text)' without a matching opening bracket", at: token.range,
      hint: "remove it, or add the opening bracket it belongs to")
  }

  static func expectedStatementEnd(found: Token, suggestion: String?) -> Diagnostic {
    var hint: String?
    if found.kind == .comma {
      hint = "command arguments are separated by spaces, not commas"
    } else if let suggestion {
      hint = "did you mean the command '\(suggestion)'?"
    }
    return Diagnostic(
      .error, "unexpected \(describe(found)); expected the end of the statement",
      at: found.range, hint: hint ?? "put each statement on its own line or separate them with ';'")
  }

  static func invalidAssignmentTarget(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "cannot assign to this expression", at: range,
      hint: "assign to a name, an attribute (a.b) or an element (a[0]); compare with '=='")
  }

  static func nestingTooDeep(limit: Int, at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "nesting is too deep (more than \(limit) levels)", at: range,
      hint: "split the expression into several assignments")
  }

  static func chainedComparison(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "comparisons cannot be chained", at: range,
      hint: "write 'a < b and b < c' instead of 'a < b < c'")
  }

  static func duplicateOption(_ name: String, first: SourceRange, at range: SourceRange)
    -> Diagnostic
  {
    Diagnostic(
      .warning, "option '\(name)' is given more than once; the last value wins", at: range,
      notes: [DiagnosticNote("first given here", range: first)])
  }

  static func duplicateKeyword(_ name: String, at range: SourceRange) -> Diagnostic {
    Diagnostic(.error, "keyword argument '\(name)' is given more than once", at: range)
  }

  static func positionalAfterKeyword(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "positional argument follows a keyword argument", at: range,
      hint: "move positional arguments before keyword arguments")
  }

  static func duplicateParameter(_ name: String, at range: SourceRange) -> Diagnostic {
    Diagnostic(.error, "duplicate parameter '\(name)'", at: range)
  }

  static func parameterWithoutDefault(_ name: String, at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "parameter '\(name)' needs a default because an earlier one has one", at: range)
  }

  static func outside(_ keyword: String, _ place: String, at range: SourceRange) -> Diagnostic {
    Diagnostic(.error, "'\(keyword)' outside \(place)", at: range)
  }

  static func elseWithoutIf(at range: SourceRange) -> Diagnostic {
    Diagnostic(
      .error, "'else' without a matching 'if'", at: range,
      hint: "write 'else' on the line of the closing '}' of the 'if'")
  }

  static func keywordAsName(_ token: Token) -> Diagnostic {
    Diagnostic(
      .error, "'\(token.text)' is a keyword and cannot be used as a name", at: token.range)
  }

  static func danglingContinuation(at range: SourceRange) -> Diagnostic {
    Diagnostic(.error, "'\\' at the end of the input continues nothing", at: range)
  }

  static func missingSliceStep(at range: SourceRange) -> Diagnostic {
    Diagnostic(.error, "expected a step after '::'", at: range)
  }

  // MARK: - For later stages

  /// "unknown KIND 'name'" with a "did you mean" hint drawn from `candidates`; the interpreter
  /// uses it for unknown names, commands and options.
  public static func unknown(
    _ kind: String, _ name: String, candidates: [String], at range: SourceRange
  ) -> Diagnostic {
    let hint = didYouMean(name, in: candidates).map { "did you mean '\($0)'?" }
    return Diagnostic(.error, "unknown \(kind) '\(name)'", at: range, hint: hint)
  }

  // MARK: - Helpers

  /// Quotes a character, spelling out invisible ones as U+XXXX.
  static func describe(_ character: Character) -> String {
    if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
      || character.isWhitespace
    {
      let codes = character.unicodeScalars.map { "U+" + hex4($0.value) }
      return codes.joined(separator: " ")
    }
    return "'\(character)'"
  }

  /// Names a token for "found X" messages.
  static func describe(_ token: Token) -> String {
    switch token.kind {
    case .identifier: return "'\(token.text)'"
    case .integer, .float: return "the number \(token.text)"
    case .string: return "a string"
    case .invalid: return "'\(token.text.prefix(20))'"
    default:
      return TokenKind.keywords[token.text] != nil ? "'\(token.text)'" : token.kind.displayName
    }
  }

  private static func hex4(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
