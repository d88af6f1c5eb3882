import Foundation
import RetortNetworks
import RetortTensor
import Testing

@testable import RetortLanguage

@Suite("Model, data and loss commands")
struct NetworkCommandTests {
  @Test func lossAlgebraPrintsAsItsFormula() {
    #expect(shown("0.3*ce + 0.7*kd(T=4)") == "0.3*ce + 0.7*kd(T=4)")
    #expect(shown("loss = ce + kd\nloss") == "ce + kd(T=4)")
    #expect(shown("kd(T=2) / 2") == "0.5*kd(T=2)")
    let result = runScript("3*ce + 2*kd")
    #expect(result.diagnostics.first?.severity == .warning)
    #expect(result.diagnostics.first?.message.hasPrefix("the weights sum to 5") == true)
  }

  @Test func modelBlockNamesLayersAndInfersShapes() throws {
    let source = """
      seed 1
      m = model input=[1, 8, 8] {
        conv 4 3 pad=1; relu
        block2: conv 8 3 pad=1; relu; maxpool 2
        flatten; linear 10
      }
      """
    let interpreter = Interpreter()
    #expect(runScript(source, in: interpreter).succeeded)
    #expect(
      runScript("m.block2.weight.shape", in: interpreter).values.last?.display == "[8, 4, 3, 3]")
    #expect(runScript("m.output_shape", in: interpreter).values.last?.display == "[10]")
    #expect(
      runScript("m(zeros [2, 1, 8, 8]).shape", in: interpreter).values.last?.display == "[2, 10]")
    let error = runScript("m.blok2", in: interpreter).diagnostics.first
    #expect(error?.hint == "did you mean 'block2'?")
  }

  @Test func layerShapeErrorsPointAtTheLayer() throws {
    let error = try #require(firstError("m = model input=[1, 8, 8] { linear 10 }"))
    #expect(error.message.contains("expected flat features"))
    #expect(error.hint == "put 'flatten' before 'linear'")
    #expect(error.range.start.column == 29)
  }

  @Test func seedFixesInitialWeights() {
    let a = tensorValues("seed 3\nm = mlp [4, 2]\nm.linear1.weight")
    let b = tensorValues("seed 3\nm = mlp [4, 2]\nm.linear1.weight")
    #expect(a.count == 8 && a == b)
  }

  @Test func evaluateSplitAndFilterOnDigits() throws {
    let interpreter = Interpreter()
    let result = runScript(
      """
      seed 0
      digits = load "digits"
      train_set, test_set = split digits 0.8
      m = mlp [64, 10]
      acc = evaluate m on test_set
      zeros_and_ones = filter digits keep=[0, 1]
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let accuracy = try #require(interpreter[variable: "acc"]?.numberValue)
    #expect(accuracy >= 0 && accuracy <= 1)
    #expect(
      runScript("test_set.count + train_set.count", in: interpreter).values.last?.display == "1797")
    #expect(runScript("zeros_and_ones.count", in: interpreter).values.last?.display == "360")
    #expect(result.outputs.contains { if case .table = $0 { true } else { false } })
  }

  @Test func savedWeightsLoadIntoAnotherModel() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("retort-interp-\(UUID().uuidString).safetensors").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let interpreter = Interpreter()
    let result = runScript(
      """
      a = mlp [4, 3]
      b = mlp [4, 3]
      save a "\(path)"
      load weights "\(path)" into b
      """, in: interpreter)
    #expect(result.succeeded, "\(result.diagnostics)")
    let a = runScript("a.linear1.weight", in: interpreter).values.last?.tensorValue?.scalars
    let b = runScript("b.linear1.weight", in: interpreter).values.last?.tensorValue?.scalars
    #expect(a != nil && a == b)
  }

  @Test func activationWordsAreFunctionsAndLayers() {
    #expect(tensorValues("relu(tensor [-1, 2])") == [0, 2])
    #expect(shown("model input=[4] { linear 3; relu; softmax T=2 }").hasPrefix("<model [4]→[3]"))
    #expect(
      firstError("model input=[4] { linear 3; x = 2 }")?.message
        == "a model body holds layer commands only")
  }
}
