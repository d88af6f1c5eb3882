import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("Sequential models")
struct ModelTests {
  /// flatten → linear 64→32 → relu → batchnorm → dropout → linear 32→10 on 8x8 images.
  func digitsMLP(seed: UInt64 = 1) throws -> Sequential {
    var generator = SeededGenerator(seed: seed)
    return try Sequential(
      inputShape: [1, 8, 8],
      layers: [
        Flatten(), try Linear(64, 32, generator: &generator), try Activation(.relu),
        try BatchNorm1d(32), try Dropout(0.2), try Linear(32, 10, generator: &generator),
      ], seed: seed)
  }

  // MARK: - Names

  @Test("names are derived per kind, given names are kept, and duplicates are rejected")
  func names() throws {
    let model = try digitsMLP()
    #expect(
      model.layerNames == [
        "flatten1", "linear1", "relu1", "batchnorm1", "dropout1", "linear2",
      ])
    var generator = SeededGenerator(seed: 2)
    let named = try Sequential(
      inputShape: [4],
      layers: [
        try Linear(4, 4, generator: &generator), try Activation(.relu),
        try Linear(4, 2, generator: &generator),
      ], names: [nil, nil, "linear1"], seed: 0)
    // The derived name skips `linear1`, which a given name already took.
    #expect(named.layerNames == ["linear2", "relu1", "linear1"])
    let duplicate = #expect(throws: ModelError.self) {
      try Sequential(
        inputShape: [4], layers: [Identity(), Identity()], names: ["same", "same"], seed: 0)
    }
    #expect(duplicate?.message.contains("two layers") == true)
    #expect(throws: ModelError.self) {
      try Sequential(inputShape: [4], layers: [Identity()], names: ["0.weight"], seed: 0)
    }
  }

  @Test("layer lookup by name suggests close names")
  func lookup() throws {
    let model = try digitsMLP()
    #expect(try model.layer(named: "linear2") is Linear)
    let error = #expect(throws: ModelError.self) { try model.layer(named: "liner2") }
    #expect(error?.hint?.contains("'linear2'") == true)
    let far = #expect(throws: ModelError.self) { try model.layer(named: "zzzzzzzz") }
    #expect(far?.hint?.hasPrefix("layers are flatten1, linear1") == true)
  }

  // MARK: - Shapes

  @Test("shape inference at construction reports the layer that does not fit")
  func constructionShapeError() throws {
    var generator = SeededGenerator(seed: 3)
    let error = #expect(throws: ModelError.self) {
      try Sequential(
        inputShape: [1, 8, 8],
        layers: [
          try Conv2d(1, 4, kernelSize: 3, padding: 1, generator: &generator),
          try Linear(64, 10, generator: &generator),
        ], seed: 0)
    }
    #expect(error?.layer == "linear1 (linear 64→10)")
    #expect(error?.message.contains("[4, 8, 8]") == true)
    #expect(
      error?.description.hasPrefix("layer linear1 (linear 64→10): expects input [64]") == true)
  }

  @Test("forward checks the batch against the declared input shape with a hint")
  func inputShapeCheck() throws {
    var generator = SeededGenerator(seed: 4)
    let model = try Sequential.mlp(widths: [64, 16, 10], generator: &generator)
    let images = try Tensor.zeros([5, 1, 8, 8])
    let error = #expect(throws: ModelError.self) { try model(images) }
    #expect(error?.message.hasPrefix("model expects [N, 64] but got [N, 1, 8, 8]") == true)
    #expect(error?.hint?.contains("flatten") == true)
    let single = #expect(throws: ModelError.self) { try model(try Tensor.zeros([64])) }
    #expect(single?.hint?.contains("batch axis") == true)
    #expect(try model(try Tensor.zeros([5, 64])).shape == [5, 10])
  }

  @Test("errors raised while running a layer name that layer of the model")
  func runtimeErrorNamesLayer() throws {
    let model = try digitsMLP()
    let error = #expect(throws: ModelError.self) { try model(try Tensor.ones([1, 1, 8, 8])) }
    #expect(error?.layer == "batchnorm1 (batchnorm1d 32)")
    #expect(error?.hint?.contains("eval mode") == true)
    model.eval()
    #expect(try model(try Tensor.ones([1, 1, 8, 8])).shape == [1, 10])
  }

  // MARK: - Summary

  @Test("summary prints aligned columns, a total row, trainable params, bytes and FLOPs")
  func summaryGolden() throws {
    let expected = """
      Layer       Type            Output shape  Params
      ----------  --------------  ------------  ------
      input                       [1, 8, 8]          0
      flatten1    flatten         [64]               0
      linear1     linear 64→32    [32]           2,080
      relu1       relu            [32]               0
      batchnorm1  batchnorm1d 32  [32]              64
      dropout1    dropout p=0.2   [32]               0
      linear2     linear 32→10    [10]             330
      ----------  --------------  ------------  ------
      total                                      2,474
      Trainable params: 2,474
      Buffers: 65 values
      Parameter size: 9.7 KB
      FLOPs per example: 4,736
      """
    let model = try digitsMLP()
    #expect(model.summary() == expected)
    #expect(model.parameterCount == 2474)
    #expect(model.parameterBytes == 2474 * 4)
    // 2·64·32 + 2·32·10 multiply-add operations.
    #expect(model.flopsPerExample == 2 * 64 * 32 + 2 * 32 * 10)
  }

  // MARK: - Copies, modes, taps

  @Test("a deep copy has equal but independent weights and statistics")
  func deepCopy() throws {
    let model = try digitsMLP()
    model.eval()
    let copy = model.deepCopy()
    var generator = SeededGenerator(seed: 42)
    let x = try Tensor.randomNormal([3, 1, 8, 8], generator: &generator)
    #expect(try model(x).scalars == (try copy(x)).scalars)
    let original = try #require(model.layer(named: "linear1") as? Linear)
    let copied = try #require(copy.layer(named: "linear1") as? Linear)
    #expect(original.weight !== copied.weight)
    copied.weight.updateInPlace { $0[0] += 1 }
    #expect(original.weight.scalars[0] != copied.weight.scalars[0])
    copy.train()
    _ = try copy(x)
    let batchNorm = try #require(model.layer(named: "batchnorm1") as? BatchNorm)
    #expect(batchNorm.numBatchesTracked.scalars == [0])
    #expect(!model.isTraining)
  }

  @Test("training mode uses dropout deterministically per seed; eval mode is repeatable")
  func modes() throws {
    let x = try Tensor.ones([4, 1, 8, 8])
    let a = try digitsMLP(seed: 9)
    let b = try digitsMLP(seed: 9)
    #expect(a.isTraining)
    #expect(try a(x).scalars == (try b(x)).scalars)
    a.eval()
    let first = try a(x)
    #expect(first.scalars == (try a(x)).scalars)
  }

  @Test("forward(tapping:) returns the named intermediate outputs")
  func taps() throws {
    var generator = SeededGenerator(seed: 5)
    let model = try Sequential.resnet(
      depth: 8, inputShape: [1, 8, 8], classes: 10, widthMultiplier: 0.25,
      generator: &generator)
    model.eval()
    let x = try Tensor.ones([2, 1, 8, 8])
    let (output, taps) = try model.forward(x, tapping: ["block2", "block3.conv1", "linear1"])
    #expect(taps["block2"]?.shape == [2, 8, 4, 4])
    #expect(taps["block3.conv1"]?.shape == [2, 16, 2, 2])
    #expect(taps["linear1"]?.scalars == output.scalars)
    let error = #expect(throws: ModelError.self) {
      try model.forward(x, tapping: ["blok2"])
    }
    #expect(error?.hint?.contains("'block2'") == true)
  }

  // MARK: - Builders

  @Test("mlp builder inserts flatten for images and dropout after hidden activations")
  func mlpBuilder() throws {
    var generator = SeededGenerator(seed: 6)
    let model = try Sequential.mlp(
      widths: [64, 512, 512, 10], activation: "gelu", dropout: 0.2, inputShape: [1, 8, 8],
      generator: &generator)
    #expect(
      model.layers.map(\.kind) == [
        "flatten", "linear", "gelu", "dropout", "linear", "gelu", "dropout", "linear",
      ])
    #expect(model.outputShape == [10])
    #expect(model.parameterCount == 64 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10)
    #expect(throws: ModelError.self) {
      try Sequential.mlp(widths: [63, 10], inputShape: [1, 8, 8], generator: &generator)
    }
  }

  @Test("smallCNN builds conv-relu-pool blocks then a classifier")
  func smallCNN() throws {
    var generator = SeededGenerator(seed: 7)
    let model = try Sequential.smallCNN(
      inputShape: [1, 8, 8], channels: [16, 32], classes: 10, generator: &generator)
    #expect(
      model.layerNames == [
        "conv1", "relu1", "maxpool1", "conv2", "relu2", "maxpool2", "flatten1", "linear1",
      ])
    #expect(model.outputShapes[5] == [32, 2, 2])
    #expect(try model(try Tensor.zeros([2, 1, 8, 8])).shape == [2, 10])
    #expect(throws: ModelError.self) {
      try Sequential.smallCNN(
        inputShape: [1, 8, 8], channels: [4, 4, 4, 4], classes: 10, generator: &generator)
    }
  }

  @Test(
    "resnet has 6n+2 layers, accepts any image size and rejects other depths",
    arguments: [8, 14, 20])
  func resnet(depth: Int) throws {
    var generator = SeededGenerator(seed: 8)
    let model = try Sequential.resnet(
      depth: depth, inputShape: [3, 5, 7], classes: 4, widthMultiplier: 0.25,
      generator: &generator)
    let blocks = model.layers.compactMap { $0 as? ResidualBlock }
    #expect(blocks.count == (depth - 2) / 6 * 3)
    // Each block holds two 3x3 convolutions; with the stem and the classifier: 6n + 2.
    #expect(2 * blocks.count + 2 == depth)
    #expect(model.outputShape == [4])
    model.eval()
    #expect(try model(try Tensor.zeros([1, 3, 5, 7])).shape == [1, 4])
  }

  @Test("resnet rejects unsupported depths, listing the valid ones")
  func resnetDepthError() throws {
    var generator = SeededGenerator(seed: 8)
    let error = #expect(throws: ModelError.self) {
      try Sequential.resnet(depth: 18, inputShape: [1, 8, 8], classes: 10, generator: &generator)
    }
    #expect(error?.hint == "valid depths are 8, 14, 20")
  }

  // MARK: - Residual block against PyTorch

  @Test("a residual block with projection shortcut matches PyTorch in train and eval")
  func residualBlockMatchesTorch() throws {
    let fixture = try LayerFixture.json("residual.json")
    var generator = SeededGenerator(seed: 0)
    let block = try ResidualBlock(2, 4, stride: 2, generator: &generator)
    #expect(block.stateEntries.map(\.name) == fixture["state_order"] as? [String])
    try LayerFixture.load(fixture["state"], into: block.stateEntries)
    let input = try LayerFixture.tensor(fixture["input"])
    LayerFixture.expectClose(
      try block(input, training: true), try LayerFixture.tensor(fixture["train_output"]),
      tolerance: 1e-5, "train output")
    let after = fixture["state_after"] as? [String: Any] ?? [:]
    for entry in block.buffers {
      LayerFixture.expectClose(
        entry.tensor, try LayerFixture.tensor(after[entry.name]), tolerance: 1e-5, entry.name)
    }
    LayerFixture.expectClose(
      try block(input, training: false), try LayerFixture.tensor(fixture["eval_output"]),
      tolerance: 1e-5, "eval output")
  }
}
