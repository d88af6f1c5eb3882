import Foundation
import Testing

@testable import RetortNotebook

@Suite("Atomic file writer")
struct AtomicFileWriterTests {
  @Test("Writes a new file and replaces an existing one, leaving no temporary files")
  func writeAndReplace() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("notebook.ipynb")
    try AtomicFileWriter.write("first\n", to: file)
    #expect(try String(contentsOf: file, encoding: .utf8) == "first\n")
    try AtomicFileWriter.write(Data("second".utf8), to: file)
    #expect(try String(contentsOf: file, encoding: .utf8) == "second")
    #expect(try TestSupport.fileNames(in: directory) == ["notebook.ipynb"])
  }

  @Test("A new file is readable by others (0644); an existing file keeps its mode")
  func permissions() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("a.txt")
    try AtomicFileWriter.write("x", to: file)
    let mode = {
      let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
      return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }
    #expect(try mode() == 0o644)
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
    try AtomicFileWriter.write("y", to: file)
    #expect(try mode() == 0o600)
  }

  @Test("A 255-byte file name still gets a temporary name within the limit")
  func longFileName() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let name = String(repeating: "n", count: 251) + ".svg"
    try AtomicFileWriter.write("x", to: directory.appendingPathComponent(name))
    #expect(try TestSupport.fileNames(in: directory) == [name])
  }

  @Test("Writing into a missing directory fails and creates nothing")
  func missingDirectory() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("absent/notebook.ipynb")
    #expect(throws: FileWriteError.self) { try AtomicFileWriter.write("x", to: file) }
    #expect(try TestSupport.fileNames(in: directory).isEmpty)
  }

  // Root ignores directory permissions, so this check only runs for other users.
  @Test(
    "Writing into a read-only directory fails; the old file is untouched",
    .enabled(if: getuid() != 0, "root can write into read-only directories"))
  func readOnlyDirectory() throws {
    let directory = try TestSupport.scratchDirectory()
    defer {
      try? FileManager.default.setAttributes(
        [.posixPermissions: 0o755], ofItemAtPath: directory.path)
      try? FileManager.default.removeItem(at: directory)
    }
    let file = directory.appendingPathComponent("lesson.md")
    try AtomicFileWriter.write("original", to: file)
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
    #expect(throws: FileWriteError.self) { try AtomicFileWriter.write("new", to: file) }
    #expect(try String(contentsOf: file, encoding: .utf8) == "original")
    #expect(try TestSupport.fileNames(in: directory) == ["lesson.md"])
  }

  @Test("Replacing a directory fails; the directory and its contents survive, no temp file")
  func destinationIsDirectory() throws {
    let directory = try TestSupport.scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let target = directory.appendingPathComponent("charts")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
    try AtomicFileWriter.write("keep", to: target.appendingPathComponent("inner.svg"))
    do {
      try AtomicFileWriter.write("x", to: target)
      Issue.record("writing over a directory should fail")
    } catch let error as FileWriteError {
      #expect(error.path.hasSuffix("/charts"))
      #expect(error.description.hasPrefix("cannot write"))
    }
    #expect(try TestSupport.fileNames(in: directory) == ["charts"])
    #expect(try TestSupport.fileNames(in: target) == ["inner.svg"])
  }
}
