import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("Layers")
struct LayerTests {
  // MARK: - Initialisation

  @Test("Linear and Conv2d draw weights and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in))")
  func initialisationBounds() throws {
    var generator = SeededGenerator(seed: 7)
    let linear = try Linear(64, 32, generator: &generator)
    let conv = try Conv2d(3, 8, kernelSize: 3, generator: &generator)
    for (tensor, fanIn) in [
      (linear.weight, 64), (linear.bias!, 64), (conv.weight, 27), (conv.bias!, 27),
    ] {
      let bound = 1 / Float(fanIn).squareRoot()
      #expect(tensor.requiresGrad)
      #expect(tensor.scalars.allSatisfy { Swift.abs($0) <= bound })
      // A large uniform sample fills the range: its extremes come near both ends.
      guard tensor.count >= 100 else { continue }
      #expect((tensor.scalars.max() ?? 0) > 0.8 * bound)
      #expect((tensor.scalars.min() ?? 0) < -0.8 * bound)
    }
    // The variance of U(-b, b) is b²/3.
    let b = 1 / Float(64).squareRoot()
    let mean = linear.weight.scalars.reduce(0, +) / Float(linear.weight.count)
    let variance =
      linear.weight.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
      / Float(linear.weight.count)
    #expect(Swift.abs(variance - b * b / 3) < 0.1 * b * b / 3)
  }

  @Test("the same seed gives the same weights, another seed different ones")
  func seededInitialisation() throws {
    var a = SeededGenerator(seed: 3)
    var b = SeededGenerator(seed: 3)
    var c = SeededGenerator(seed: 4)
    let first = try Linear(8, 4, generator: &a)
    let second = try Linear(8, 4, generator: &b)
    let third = try Linear(8, 4, generator: &c)
    #expect(first.weight.scalars == second.weight.scalars)
    #expect(first.bias?.scalars == second.bias?.scalars)
    #expect(first.weight.scalars != third.weight.scalars)
  }

  // MARK: - Against PyTorch

  @Test("Linear forward and backward match PyTorch")
  func linearMatchesTorch() throws {
    let fixture = try LayerFixture.json("linear.json")
    let layer = try Linear(
      weight: try LayerFixture.tensor(fixture["weight"]),
      bias: try LayerFixture.tensor(fixture["bias"]))
    let input = try LayerFixture.tensor(fixture["input"])
    input.requiresGrad = true
    var context = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 0))
    let output = try layer.forward(input, context: &context)
    LayerFixture.expectClose(
      output, try LayerFixture.tensor(fixture["output"]), tolerance: 1e-5, "output")
    try output.backward(seed: try LayerFixture.tensor(fixture["seed"]))
    let expected = [
      (input.grad, "grad_input"), (layer.weight.grad, "grad_weight"),
      (layer.bias?.grad, "grad_bias"),
    ]
    for (grad, key) in expected {
      LayerFixture.expectClose(grad, try LayerFixture.tensor(fixture[key]), tolerance: 1e-4, key)
    }
  }

  @Test("Conv2d forward and backward match PyTorch", arguments: [0, 1])
  func convMatchesTorch(caseIndex: Int) throws {
    let cases = try LayerFixture.json("conv2d.json")["cases"] as? [[String: Any]] ?? []
    try #require(cases.count == 2)
    let fixture = cases[caseIndex]
    func int(_ key: String) -> Int { (fixture[key] as? NSNumber)?.intValue ?? -1 }
    var generator = SeededGenerator(seed: 0)
    let layer = try Conv2d(
      int("in"), int("out"), kernelSize: int("kernel"), stride: int("stride"),
      padding: int("padding"), generator: &generator)
    try layer.weight.assign(try LayerFixture.tensor(fixture["weight"]).scalars)
    try layer.bias?.assign(try LayerFixture.tensor(fixture["bias"]).scalars)
    let input = try LayerFixture.tensor(fixture["input"])
    input.requiresGrad = true
    let output = try layer(input)
    let expectedOutput = try LayerFixture.tensor(fixture["output"])
    LayerFixture.expectClose(output, expectedOutput, tolerance: 1e-5, "output")
    #expect(
      try layer.outputShape(for: Array(input.shape.dropFirst()))
        == Array(expectedOutput.shape.dropFirst()))
    try output.backward(seed: try LayerFixture.tensor(fixture["seed"]))
    let expected = [
      (input.grad, "grad_input"), (layer.weight.grad, "grad_weight"),
      (layer.bias?.grad, "grad_bias"),
    ]
    for (grad, key) in expected {
      LayerFixture.expectClose(grad, try LayerFixture.tensor(fixture[key]), tolerance: 1e-4, key)
    }
  }

  // MARK: - Dropout

  @Test("dropout is deterministic for a seed, scales survivors by 1/(1-p), and is off in eval")
  func dropout() throws {
    let layer = try Dropout(0.25)
    let x = try Tensor.ones([8, 50])
    var first = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 5))
    var second = ForwardContext(isTraining: true, generator: SeededGenerator(seed: 5))
    let a = try layer.forward(x, context: &first)
    let b = try layer.forward(x, context: &second)
    #expect(a.scalars == b.scalars)
    #expect(a.scalars.allSatisfy { $0 == 0 || Swift.abs($0 - 1 / 0.75) < 1e-6 })
    let dropped = Float(a.scalars.filter { $0 == 0 }.count) / Float(a.count)
    #expect(Swift.abs(dropped - 0.25) < 0.06)
    // The generator moved on, so the next mask differs.
    let c = try layer.forward(x, context: &first)
    #expect(c.scalars != a.scalars)
    var evaluation = ForwardContext(isTraining: false, generator: SeededGenerator(seed: 5))
    #expect(try layer.forward(x, context: &evaluation) === x)
    #expect(throws: ModelError.self) { try Dropout(1.0) }
  }

  // MARK: - Activations

  @Test("activation layers apply the engine's functions", arguments: Activation.Function.names)
  func activations(name: String) throws {
    let layer = try Activation(named: name)
    let x = try Tensor(shape: [2, 3], scalars: [-2, -0.5, 0, 0.5, 1, 3])
    let y = try layer(x)
    let expected: Tensor
    switch name {
    case "relu": expected = x.relu()
    case "leaky_relu": expected = x.leakyRelu(slope: 0.01)
    case "gelu": expected = x.gelu()
    case "tanh": expected = x.tanh()
    case "sigmoid": expected = x.sigmoid()
    default: expected = try x.softmax(alongAxis: 1)
    }
    #expect(y.scalars == expected.scalars)
    #expect(layer.kind == name)
    #expect(try layer.outputShape(for: [3]) == [3])
  }

  @Test("softmax takes a temperature; unknown names and bad temperatures are rejected")
  func softmaxTemperature() throws {
    let layer = try Activation(.softmax(temperature: 2))
    #expect(layer.description == "softmax T=2.0")
    let x = try Tensor(shape: [1, 3], scalars: [1, 2, 3])
    #expect(try layer(x).scalars == (try x.softmax(alongAxis: 1, temperature: 2)).scalars)
    let error = #expect(throws: ModelError.self) { try Activation(named: "swish") }
    #expect(error?.hint?.contains("leaky_relu") == true)
    #expect(throws: ModelError.self) { try Activation(.softmax(temperature: 0)) }
  }

  // MARK: - Shape inference

  @Test("output shapes of shape-changing layers")
  func outputShapes() throws {
    var generator = SeededGenerator(seed: 1)
    #expect(
      try Conv2d(1, 4, kernelSize: 3, padding: 1, generator: &generator)
        .outputShape(for: [1, 8, 8]) == [4, 8, 8])
    #expect(
      try Conv2d(1, 4, kernelSize: 3, stride: 2, generator: &generator)
        .outputShape(for: [1, 9, 7]) == [4, 4, 3])
    #expect(try MaxPool2d(kernelSize: 2).outputShape(for: [4, 8, 8]) == [4, 4, 4])
    #expect(
      try AvgPool2d(kernelSize: 3, stride: 1, padding: 1).outputShape(for: [2, 5, 5])
        == [2, 5, 5])
    #expect(try GlobalAvgPool().outputShape(for: [16, 3, 3]) == [16])
    #expect(try Flatten().outputShape(for: [16, 3, 3]) == [144])
    #expect(try Identity().outputShape(for: [7]) == [7])
  }

  @Test("FLOPs count two operations per multiply-add of linear and conv layers")
  func flops() throws {
    var generator = SeededGenerator(seed: 1)
    let conv = try Conv2d(3, 8, kernelSize: 3, padding: 1, generator: &generator)
    // Each of the 8·5·5 outputs sums 3·3·3 products.
    #expect(conv.flops(for: [3, 5, 5]) == 2 * 27 * 8 * 25)
    #expect(try Linear(10, 4, generator: &generator).flops(for: [10]) == 80)
    #expect(try Activation(.relu).flops(for: [10]) == 0)
  }

  @Test("shape errors name the layer and both shapes")
  func shapeErrors() throws {
    var generator = SeededGenerator(seed: 1)
    let linear = try Linear(64, 10, generator: &generator)
    let error = #expect(throws: ModelError.self) { try linear.outputShape(for: [1, 8, 8]) }
    #expect(error?.layer == "linear 64→10")
    #expect(error?.message.contains("[64]") == true)
    #expect(error?.message.contains("[1, 8, 8]") == true)
    #expect(error?.hint == "insert a flatten layer before it")
    let conv = try Conv2d(3, 8, kernelSize: 3, generator: &generator)
    let channels = #expect(throws: ModelError.self) { try conv.outputShape(for: [1, 8, 8]) }
    #expect(channels?.message.contains("3 input channels") == true)
    let small = #expect(throws: ModelError.self) { try conv.outputShape(for: [3, 2, 2]) }
    #expect(small?.message.contains("does not fit") == true)
  }

  @Test("global average pooling and flatten forward")
  func poolingForward() throws {
    let x = try Tensor(shape: [1, 2, 2, 2], scalars: [1, 2, 3, 4, 10, 20, 30, 40])
    #expect(try GlobalAvgPool()(x).scalars == [2.5, 25])
    #expect(try Flatten()(x).shape == [1, 8])
    #expect(try MaxPool2d(kernelSize: 2)(x).scalars == [4, 40])
  }
}
