import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("Normalisation layers")
struct NormalizationTests {
  @Test(
    "BatchNorm train steps, running statistics and eval match PyTorch",
    arguments: ["bn1d", "bn2d"])
  func batchNormMatchesTorch(key: String) throws {
    let fixture = try LayerFixture.json("batchnorm.json")[key] as? [String: Any] ?? [:]
    let features = (fixture["features"] as? NSNumber)?.intValue ?? 0
    let layer: BatchNorm = key == "bn1d" ? try BatchNorm1d(features) : try BatchNorm2d(features)
    try layer.weight?.assign(try LayerFixture.tensor(fixture["weight"]).scalars)
    try layer.bias?.assign(try LayerFixture.tensor(fixture["bias"]).scalars)
    let steps = fixture["steps"] as? [[String: Any]] ?? []
    try #require(steps.count == 2)
    for (index, step) in steps.enumerated() {
      layer.weight?.zeroGrad()
      layer.bias?.zeroGrad()
      let input = try LayerFixture.tensor(step["input"])
      input.requiresGrad = true
      let output = try layer(input, training: true)
      LayerFixture.expectClose(
        output, try LayerFixture.tensor(step["output"]), tolerance: 1e-5, "step \(index) output")
      try output.backward(seed: try LayerFixture.tensor(step["seed"]))
      for (grad, name) in [
        (input.grad, "grad_input"), (layer.weight?.grad, "grad_weight"),
        (layer.bias?.grad, "grad_bias"),
      ] {
        LayerFixture.expectClose(
          grad, try LayerFixture.tensor(step[name]), tolerance: 1e-4, "step \(index) \(name)")
      }
    }
    LayerFixture.expectClose(
      layer.runningMean, try LayerFixture.tensor(fixture["running_mean"]), tolerance: 1e-6,
      "running_mean")
    // running_var uses the unbiased batch variance, as PyTorch does.
    LayerFixture.expectClose(
      layer.runningVar, try LayerFixture.tensor(fixture["running_var"]), tolerance: 1e-5,
      "running_var")
    #expect(layer.numBatchesTracked.scalars == [2])
    let evalOutput = try layer(try LayerFixture.tensor(fixture["eval_input"]), training: false)
    LayerFixture.expectClose(
      evalOutput, try LayerFixture.tensor(fixture["eval_output"]), tolerance: 1e-5, "eval")
  }

  @Test("BatchNorm in eval mode does not touch the running statistics")
  func evalKeepsStatistics() throws {
    let layer = try BatchNorm1d(3)
    let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    _ = try layer(x, training: false)
    #expect(layer.runningMean.scalars == [0, 0, 0])
    #expect(layer.runningVar.scalars == [1, 1, 1])
    #expect(layer.numBatchesTracked.scalars == [0])
  }

  @Test("BatchNorm rejects one value per channel in training and wrong channel counts")
  func batchNormErrors() throws {
    let layer = try BatchNorm1d(3)
    let single = try Tensor.ones([1, 3])
    let error = #expect(throws: ModelError.self) { try layer(single, training: true) }
    #expect(error?.message.contains("more than 1 value per channel") == true)
    #expect(throws: ModelError.self) { try layer.outputShape(for: [4]) }
    #expect(try layer.outputShape(for: [3]) == [3])
    #expect(try layer.outputShape(for: [3, 5]) == [3, 5])
    #expect(throws: ModelError.self) { try BatchNorm2d(3).outputShape(for: [3]) }
    #expect(
      layer.stateEntries.map(\.name) == [
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked",
      ])
  }

  @Test("LayerNorm over trailing axes matches PyTorch, forward and backward")
  func layerNormMatchesTorch() throws {
    let fixture = try LayerFixture.json("layernorm.json")
    let layer = try LayerNorm([3, 4])
    try layer.weight?.assign(try LayerFixture.tensor(fixture["weight"]).scalars)
    try layer.bias?.assign(try LayerFixture.tensor(fixture["bias"]).scalars)
    let input = try LayerFixture.tensor(fixture["input"])
    input.requiresGrad = true
    let output = try layer(input)
    LayerFixture.expectClose(
      output, try LayerFixture.tensor(fixture["output"]), tolerance: 1e-5, "output")
    try output.backward(seed: try LayerFixture.tensor(fixture["seed"]))
    for (grad, name) in [
      (input.grad, "grad_input"), (layer.weight?.grad, "grad_weight"),
      (layer.bias?.grad, "grad_bias"),
    ] {
      LayerFixture.expectClose(grad, try LayerFixture.tensor(fixture[name]), tolerance: 1e-4, name)
    }
    #expect(throws: ModelError.self) { try layer.outputShape(for: [4, 3]) }
  }
}
