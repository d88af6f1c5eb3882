import Foundation
import RetortNetworks
import RetortTensor

// Errors and control-flow signals of the interpreter.

// MARK: - Errors

/// An error raised while running a program; carries the diagnostic to show.
public struct RuntimeError: Error, CustomStringConvertible {
  /// What went wrong and where.
  public var diagnostic: Diagnostic

  /// Wraps a diagnostic.
  public init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }

  /// An error diagnostic at `range`.
  public init(_ message: String, at range: SourceRange, hint: String? = nil) {
    self.diagnostic = Diagnostic(.error, message, at: range, hint: hint)
  }

  /// `line:col: error: message`.
  public var description: String { diagnostic.description }
}

/// Thrown when `Interpreter.interruptRequested` was set (Ctrl-C); variables keep the values
/// they had when the interrupted statement began or was cut off.
public struct Interrupted: Error, CustomStringConvertible {
  /// The statement that was running.
  public var range: SourceRange
  /// "interrupted".
  public var description: String { "interrupted at \(range.start)" }
}

extension RuntimeError {
  /// Turns a tensor error into a diagnostic at `range`, keeping its op, message and hint.
  static func tensor(_ error: TensorError, at range: SourceRange) -> RuntimeError {
    RuntimeError("\(error.op): \(error.message)", at: range, hint: error.hint)
  }

  /// Turns any error from the tensor or networks layer into a diagnostic at `range`.
  static func from(_ error: Error, at range: SourceRange) -> RuntimeError {
    switch error {
    case let error as RuntimeError: return error
    case let error as TensorError: return .tensor(error, at: range)
    case let error as ModelError:
      let prefix = error.layer.map { "\($0): " } ?? ""
      return RuntimeError(prefix + error.message, at: range, hint: error.hint)
    case let error as DataError:
      var copy = error
      let hint = copy.hint
      copy.hint = nil
      return RuntimeError(copy.description, at: range, hint: hint)
    case let error as CheckpointError:
      var copy = error
      let hint = copy.hint
      copy.hint = nil
      return RuntimeError(copy.description, at: range, hint: hint)
    default:
      return RuntimeError("\(error)", at: range)
    }
  }
}

// MARK: - Control flow

/// How a statement finished.
enum Completion {
  case normal
  case breakLoop
  case continueLoop
  case returned(Value)
}

// MARK: - Scopes

/// A table of variables with an optional parent: the global scope has none; each function
/// call gets a scope whose parent is the scope its `def` ran in.
final class Scope {
  var variables: [String: Value] = [:]
  let parent: Scope?

  init(parent: Scope? = nil) { self.parent = parent }

  /// The value of `name` here or in an enclosing scope.
  func lookup(_ name: String) -> Value? {
    if let value = variables[name] { return value }
    return parent?.lookup(name)
  }

  /// All names visible from this scope.
  var visibleNames: [String] {
    Array(variables.keys) + (parent?.visibleNames ?? [])
  }
}
