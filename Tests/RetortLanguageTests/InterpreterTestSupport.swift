import Foundation
import RetortTensor
import Testing

@testable import RetortLanguage

/// Runs `source` in a fresh interpreter (or `interpreter`) and returns the result.
@discardableResult
func runScript(_ source: String, in interpreter: Interpreter = Interpreter()) -> RunResult {
  interpreter.limits.stepLimit = 100_000
  return interpreter.run(source: source, fileName: "test.rt")
}

/// The display text of the last value `source` shows; fails the test on any error.
func shown(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
  let result = runScript(source)
  #expect(result.succeeded, "\(result.diagnostics)", sourceLocation: sourceLocation)
  return result.values.last?.display ?? "<nothing shown>"
}

/// The first error of running `source`, or nil.
func firstError(_ source: String) -> Diagnostic? {
  runScript(source).diagnostics.first { $0.severity == .error }
}

/// The scalars of the tensor `source` evaluates to last.
func tensorValues(_ source: String) -> [Float] {
  runScript(source).values.last?.tensorValue?.scalars ?? []
}
