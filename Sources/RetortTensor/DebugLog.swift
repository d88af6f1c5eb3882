import Foundation

/// The debug channel: lines on standard error when `RETORT_DEBUG` is set, nothing otherwise.
///
/// Results, progress and errors are for people and go through the interpreter's output;
/// this is only for looking inside (cache decisions, timings) while developing.
public enum DebugLog {
  /// Whether `RETORT_DEBUG` is set (to anything but `0`).
  public static let isEnabled: Bool = {
    let value = ProcessInfo.processInfo.environment["RETORT_DEBUG"]
    return value != nil && value != "0"
  }()

  /// Writes `message`, tagged with `area`, when the channel is on; the text is not even
  /// built otherwise.
  public static func write(_ area: String, _ message: @autoclosure () -> String) {
    guard isEnabled else { return }
    FileHandle.standardError.write(Data("[retort \(area)] \(message())\n".utf8))
  }
}
