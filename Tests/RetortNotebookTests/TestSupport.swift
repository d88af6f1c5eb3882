import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Paths and scratch directories for the notebook tests.
enum TestSupport {
  /// The committed fixtures, found next to this source file (the test target declares no
  /// resources, so Bundle.module is not available).
  static let fixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// A fresh empty directory under the system temporary directory.
  static func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("retort-notebook-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The names of the files in `directory`, sorted.
  static func fileNames(in directory: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  /// Whether `text` is well-formed XML, checked by Foundation's XML parser.
  static func isWellFormedXML(_ text: String) -> Bool {
    let parser = XMLParser(data: Data(text.utf8))
    // On Linux the parser can return true yet record an error, so check both.
    return parser.parse() && parser.parserError == nil
  }
}
