import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("Safetensors checkpoints")
struct CheckpointTests {
  /// The Swift twin of the PyTorch teacher
  /// `nn.Sequential(Linear(64, 32), ReLU(), BatchNorm1d(32), Linear(32, classes))`.
  func mlpTeacher(classes: Int = 10, seed: UInt64 = 0) throws -> Sequential {
    var generator = SeededGenerator(seed: seed)
    return try Sequential(
      inputShape: [64],
      layers: [
        try Linear(64, 32, generator: &generator), try Activation(.relu), try BatchNorm1d(32),
        try Linear(32, classes, generator: &generator),
      ], seed: seed)
  }

  /// A fresh empty directory for files written by one test.
  func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("retort-checkpoints-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Every state value of a model, to check that a failed load changed nothing.
  func snapshot(_ model: Sequential) -> [[Float]] { model.stateDict().map(\.tensor.scalars) }

  /// A safetensors file from raw entries: (name, dtype, shape, little-endian bytes).
  func rawFile(_ entries: [(String, String, [Int], [UInt8])]) -> Data {
    var body: [UInt8] = []
    var parts: [String] = []
    for (name, dtype, shape, bytes) in entries {
      let shapeText = shape.map(String.init).joined(separator: ",")
      parts.append(
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":[\(shapeText)],"
          + "\"data_offsets\":[\(body.count),\(body.count + bytes.count)]}")
      body += bytes
    }
    return withHeader(Array(("{" + parts.joined(separator: ",") + "}").utf8), body: body)
  }

  func withHeader(_ header: [UInt8], body: [UInt8]) -> Data {
    let length = UInt64(header.count)
    return Data((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header + body)
  }

  // MARK: - PyTorch teachers

  @Test("an MLP teacher saved by PyTorch's safetensors loads and gives PyTorch's logits")
  func mlpTeacherFromTorch() throws {
    let fixture = try LayerFixture.json("mlp_teacher.json")
    let model = try mlpTeacher()
    #expect(model.stateDict().map(\.name) == fixture["names"] as? [String])
    try model.loadWeights(from: try LayerFixture.url("mlp_teacher.safetensors"))
    model.eval()
    let logits = try model(try LayerFixture.tensor(fixture["input"]))
    LayerFixture.expectClose(
      logits, try LayerFixture.tensor(fixture["logits"]), tolerance: 1e-5, "logits")
    let batchNorm = try #require(model.layer(named: "batchnorm1") as? BatchNorm)
    #expect(batchNorm.numBatchesTracked.scalars == [30])
  }

  @Test("a ResNet-8 teacher with nested residual blocks loads and gives PyTorch's logits")
  func resnetTeacherFromTorch() throws {
    let fixture = try LayerFixture.json("resnet8_teacher.json")
    var generator = SeededGenerator(seed: 0)
    let model = try Sequential.resnet(
      depth: 8, inputShape: [1, 8, 8], classes: 10, widthMultiplier: 0.25,
      generator: &generator)
    #expect(model.stateDict().map(\.name) == fixture["names"] as? [String])
    try model.loadWeights(from: try LayerFixture.url("resnet8_teacher.safetensors"))
    model.eval()
    let logits = try model(try LayerFixture.tensor(fixture["input"]))
    LayerFixture.expectClose(
      logits, try LayerFixture.tensor(fixture["logits"]), tolerance: 1e-5, "logits")
  }

  // MARK: - Round trip

  @Test("save then load restores weights and statistics; counters are written as I64")
  func roundTrip() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var generator = SeededGenerator(seed: 1)
    let model = try Sequential.resnet(
      depth: 8, inputShape: [1, 6, 6], classes: 3, widthMultiplier: 0.25,
      generator: &generator)
    _ = try model(try Tensor.randomNormal([2, 1, 6, 6], generator: &generator))
    let url = directory.appendingPathComponent("student.safetensors")
    try model.saveWeights(to: url, metadata: ["note": "round trip"])
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path)
        == ["student.safetensors"])

    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.metadata == ["format": "pt", "note": "round trip"])
    #expect(file.entry("1.num_batches_tracked")?.dtype == "I64")
    #expect(file.entry("3.conv1.weight")?.dtype == "F32")
    #expect(file.entries.map(\.name) == model.stateDict().map(\.name))

    var other = SeededGenerator(seed: 99)
    let copy = try Sequential.resnet(
      depth: 8, inputShape: [1, 6, 6], classes: 3, widthMultiplier: 0.25, generator: &other)
    #expect(snapshot(copy) != snapshot(model))
    try copy.loadWeights(from: url)
    #expect(snapshot(copy) == snapshot(model))
    model.eval()
    copy.eval()
    let x = try Tensor.randomNormal([2, 1, 6, 6], generator: &generator)
    #expect(try model(x).scalars == (try copy(x)).scalars)
  }

  @Test("half, bfloat16 and double tensors are converted to float32 on load")
  func convertedDtypes() throws {
    // 1.0, -2.0, 0.5 as IEEE half; 1.5 and -0.25 as bfloat16; 3.0 as double.
    let data = rawFile([
      ("half", "F16", [3], [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38]),
      ("brain", "BF16", [2], [0xC0, 0x3F, 0x80, 0xBE]),
      ("double", "F64", [], [0, 0, 0, 0, 0, 0, 0x08, 0x40]),
    ])
    let file = try SafeTensorsFile(data: data, fileName: "mixed.safetensors")
    let values = try file.tensors().map(\.tensor.scalars)
    #expect(values == [[1, -2, 0.5], [1.5, -0.25], [3]])
  }

  // MARK: - Broken files leave the model unchanged

  /// Loads `data` into a teacher-initialised model and returns the error, checking that
  /// every weight and statistic is as it was.
  func failedLoad(_ data: Data, into model: Sequential? = nil) throws -> CheckpointError? {
    let model = try model ?? mlpTeacher()
    try model.loadWeights(from: try LayerFixture.url("mlp_teacher.safetensors"))
    let before = snapshot(model)
    let error = #expect(throws: CheckpointError.self) {
      try model.loadWeights(from: try SafeTensorsFile(data: data, fileName: "bad.safetensors"))
    }
    #expect(snapshot(model) == before, "a failed load changed the model")
    #expect(error?.file == "bad.safetensors")
    return error
  }

  func teacherBytes() throws -> Data {
    try Data(contentsOf: try LayerFixture.url("mlp_teacher.safetensors"))
  }

  /// The state of a differently seeded twin, as records, for building altered files.
  func otherRecords(classes: Int = 10) throws -> [SafeTensorsFile.Record] {
    try mlpTeacher(classes: classes, seed: 5).stateDict().map {
      SafeTensorsFile.Record(
        name: $0.name, shape: $0.tensor.shape, values: $0.tensor.scalars,
        asInt64: $0.name.hasSuffix("num_batches_tracked"))
    }
  }

  @Test("a truncated file is reported and changes nothing", arguments: [5, 200, 9000])
  func truncated(length: Int) throws {
    let error = try failedLoad(try teacherBytes().prefix(length))
    let message = error?.message ?? ""
    #expect(
      message.contains("truncated") || message.contains("follow")
        || message.contains("outside"), "\(message)")
  }

  @Test("a header that is not JSON is reported")
  func badHeader() throws {
    let error = try failedLoad(withHeader(Array("{not json".utf8), body: []))
    #expect(error?.message.contains("not a JSON object") == true)
  }

  @Test("data offsets beyond the data are reported, naming the tensor")
  func offsetsOutside() throws {
    let header = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}"
    let error = try failedLoad(withHeader(Array(header.utf8), body: [0, 0, 0, 0]))
    #expect(error?.tensor == "0.weight")
    #expect(error?.message.contains("outside") == true)
  }

  @Test("a missing tensor is reported by name, and earlier tensors are not written")
  func missingTensor() throws {
    let records = try otherRecords().filter { $0.name != "3.bias" }
    let error = try failedLoad(SafeTensorsFile.encode(records))
    #expect(error?.tensor == "3.bias")
    #expect(error?.message.contains("missing") == true)
    #expect(error?.description.hasPrefix("checkpoint bad.safetensors, tensor 3.bias") == true)
  }

  @Test("an unexpected tensor is reported by name")
  func unexpectedTensor() throws {
    let extra = SafeTensorsFile.Record(name: "4.weight", shape: [1], values: [0])
    let error = try failedLoad(SafeTensorsFile.encode(try otherRecords() + [extra]))
    #expect(error?.tensor == "4.weight")
    #expect(error?.message.contains("not in the model") == true)
  }

  @Test("a shape that does not fit is reported with both shapes")
  func wrongShape() throws {
    let error = try failedLoad(SafeTensorsFile.encode(try otherRecords(classes: 7)))
    #expect(error?.tensor == "3.weight")
    #expect(error?.message == "has shape [7, 32] in the file but the model expects [10, 32]")
  }

  @Test("an unsupported dtype is reported with a conversion hint")
  func unsupportedDtype() throws {
    var entries = try otherRecords().map { record -> (String, String, [Int], [UInt8]) in
      let bytes = record.values.flatMap { value in
        (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) }
      }
      return (record.name, "F32", record.shape, bytes)
    }
    entries[0] = ("0.weight", "I8", [32, 64], [UInt8](repeating: 1, count: 32 * 64))
    entries.removeAll { $0.0.hasSuffix("num_batches_tracked") }
    entries.append(("2.num_batches_tracked", "I64", [], [3, 0, 0, 0, 0, 0, 0, 0]))
    let error = try failedLoad(rawFile(entries))
    #expect(error?.tensor == "0.weight")
    #expect(error?.message == "unsupported dtype I8; convert to float32")
  }

  @Test("saving into a missing directory throws and leaves no file behind")
  func saveErrors() throws {
    let directory = try scratchDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = try mlpTeacher()
    let url = directory.appendingPathComponent("missing/teacher.safetensors")
    let error = #expect(throws: CheckpointError.self) { try model.saveWeights(to: url) }
    #expect(error?.file == "teacher.safetensors")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }
}
