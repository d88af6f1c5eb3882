// Saving notebooks, lessons and charts without ever leaving a half-written file: the data
// goes to a temporary file beside the destination, is flushed to disk, and is renamed over
// the destination in one step (rename(2) is atomic within a file system).

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Writer

/// Writes files atomically: readers see either the old contents or the new, never a mix.
///
/// On failure the destination is untouched and the temporary file is removed.
public enum AtomicFileWriter {
  /// Writes `data` to `url` atomically.
  ///
  /// A new file gets mode 0644; an existing file keeps its mode.
  public static func write(_ data: Data, to url: URL) throws {
    let destination = url.standardizedFileURL.path
    let directory = (destination as NSString).deletingLastPathComponent
    let name = (destination as NSString).lastPathComponent
    guard !name.isEmpty, name != "/", !url.hasDirectoryPath else {
      throw FileWriteError(
        path: destination, reason: "the path names a directory, not a file",
        hint: "give a file name such as notebook.ipynb")
    }
    // The temporary name starts with a dot (hidden) and keeps at most 200 bytes of the
    // name, so it stays within the 255-byte file name limit.
    let stem = String(decoding: Array(name.utf8.prefix(200)), as: UTF8.self)
    var template = Array((directory + "/." + stem + ".tmp-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.map { mkstemp($0) } ?? -1
    }
    guard descriptor >= 0 else {
      throw FileWriteError(
        path: destination,
        reason: "cannot create a temporary file in \(directory): "
          + systemMessage(), hint: "check that the directory exists and is writable")
    }
    let temporary = template.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { String(cString: $0) } ?? ""
    }
    var isOpen = true
    var isPlaced = false
    // Whatever fails below, close the descriptor and remove the temporary file, so the
    // destination keeps its old contents and nothing is left behind.
    defer {
      if isOpen { close(descriptor) }
      if !isPlaced { unlink(temporary) }
    }
    try writeAll(data, to: descriptor, path: destination)
    fchmod(descriptor, existingMode(of: destination) ?? 0o644)
    guard fsync(descriptor) == 0 else {
      throw FileWriteError(
        path: destination, reason: "flushing to disk failed: \(systemMessage())",
        hint: "check free disk space")
    }
    isOpen = false
    guard close(descriptor) == 0 else {
      throw FileWriteError(
        path: destination, reason: "closing the temporary file failed: \(systemMessage())",
        hint: "check free disk space")
    }
    guard rename(temporary, destination) == 0 else {
      throw FileWriteError(
        path: destination, reason: "replacing the file failed: \(systemMessage())",
        hint: "check that the destination is not a directory and is writable")
    }
    isPlaced = true
    syncDirectory(directory)
  }

  /// Writes `text` as UTF-8 to `url` atomically.
  public static func write(_ text: String, to url: URL) throws {
    try write(Data(text.utf8), to: url)
  }

  // MARK: - Steps

  private static func writeAll(_ data: Data, to descriptor: Int32, path: String) throws {
    try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
      guard let base = buffer.baseAddress else { return }
      var offset = 0
      while offset < buffer.count {
        let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          throw FileWriteError(
            path: path, reason: "writing failed after \(offset) bytes: \(systemMessage())",
            hint: "check free disk space")
        }
        offset += written
      }
    }
  }

  private static func existingMode(of path: String) -> mode_t? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return info.st_mode & 0o7777
  }

  /// Flushes the directory entry so the rename itself survives a crash; best effort, since
  /// some file systems do not allow opening a directory for this.
  private static func syncDirectory(_ directory: String) {
    let descriptor = open(directory, O_RDONLY)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    close(descriptor)
  }

  private static func systemMessage() -> String {
    String(cString: strerror(errno))
  }
}

// MARK: - Errors

/// A file that could not be written; the previous contents (if any) are intact.
public struct FileWriteError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The destination path.
  public var path: String
  /// What went wrong, with the system's message.
  public var reason: String
  /// What to check.
  public var hint: String

  /// An error for `path`.
  public init(path: String, reason: String, hint: String) {
    self.path = path
    self.reason = reason
    self.hint = hint
  }

  /// A sentence naming the file, the reason and the hint.
  public var description: String { "cannot write \(path): \(reason) (hint: \(hint))" }
}
