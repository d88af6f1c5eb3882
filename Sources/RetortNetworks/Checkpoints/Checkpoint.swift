import Foundation
import RetortTensor

extension Sequential {
  // MARK: - Saving

  /// Writes the weights and batch norm statistics as a safetensors file named as
  /// PyTorch's `nn.Sequential.state_dict()` would be (`0.weight`, `2.num_batches_tracked`
  /// as I64), so `safetensors.torch.load_file` + `load_state_dict` reads it back there.
  ///
  /// The bytes go to a temporary file in the same directory which is then renamed over
  /// `url`, so a crash never leaves a half-written checkpoint behind.
  public func saveWeights(to url: URL, metadata: [String: String] = [:]) throws {
    let records = stateDict().map { entry in
      SafeTensorsFile.Record(
        name: entry.name, shape: entry.tensor.shape, values: entry.tensor.scalars,
        asInt64: Self.isCounter(entry.name))
    }
    var fullMetadata = ["format": "pt"]
    fullMetadata.merge(metadata) { _, given in given }
    let data = SafeTensorsFile.encode(records, metadata: fullMetadata)
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(
      ".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp")
    do {
      try data.write(to: temporary)
      // rename(2) replaces the destination atomically within one file system.
      guard rename(temporary.path, url.path) == 0 else {
        throw CocoaError(.fileWriteUnknown)
      }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw CheckpointError(
        file: url.lastPathComponent, "cannot be written (\(error.localizedDescription))",
        hint: "check that the directory \(directory.path) exists and is writable")
    }
  }

  /// Whether a state entry is an integer counter that PyTorch stores as int64.
  static func isCounter(_ name: String) -> Bool { name.hasSuffix("num_batches_tracked") }

  // MARK: - Loading

  /// Loads weights and statistics from a safetensors file written here or by PyTorch.
  ///
  /// Everything is checked before anything is written (every tensor present, none extra,
  /// shapes equal, dtypes readable), so on any error the model is left exactly as it was.
  public func loadWeights(from url: URL) throws {
    try loadWeights(from: try SafeTensorsFile(contentsOf: url))
  }

  /// Loads weights from an already parsed file (see `loadWeights(from: URL)`).
  public func loadWeights(from file: SafeTensorsFile) throws {
    let expected = stateDict()
    let fileNames = Set(file.entries.map(\.name))
    func fail(_ tensor: String?, _ message: String, hint: String? = nil) -> CheckpointError {
      CheckpointError(file: file.fileName, tensor: tensor, message, hint: hint)
    }
    let modelNames = Set(expected.map(\.name))
    let missing = expected.filter { !fileNames.contains($0.name) }
    if let first = missing.first {
      let others = missing.count > 1 ? " (and \(missing.count - 1) more)" : ""
      throw fail(
        first.name,
        "is missing from the file\(others); the model expects "
          + "\(formatShape(first.tensor.shape))",
        hint: "names follow nn.Sequential's state_dict (0.weight, 1.bias, ...); the file has "
          + Self.listed(file.entries.map(\.name)))
    }
    let unexpected = file.entries.map(\.name).filter { !modelNames.contains($0) }
    if let first = unexpected.first {
      let others = unexpected.count > 1 ? " (and \(unexpected.count - 1) more)" : ""
      throw fail(
        first, "is in the file but not in the model\(others)",
        hint: "the checkpoint is for a different architecture; the model has "
          + Self.listed(expected.map(\.name)))
    }
    var staged: [(Tensor, [Float])] = []
    for target in expected {
      guard let entry = file.entry(target.name) else { continue }
      guard entry.shape == target.tensor.shape else {
        throw fail(
          target.name,
          "has shape \(formatShape(entry.shape)) in the file but the model expects "
            + formatShape(target.tensor.shape),
          hint: "the layer sizes differ from the architecture that was saved")
      }
      let readable = Self.isCounter(target.name) ? ["I64", "F32"] : ["F32", "F64", "F16", "BF16"]
      guard readable.contains(entry.dtype) else {
        throw fail(
          target.name, "unsupported dtype \(entry.dtype); convert to float32",
          hint: "in PyTorch: {k: v.float() for k, v in state_dict.items()} before saving")
      }
      staged.append((target.tensor, try file.floats(for: entry)))
    }
    // Every check passed: only now write into the model.
    for (tensor, values) in staged { try tensor.assign(values) }
  }

  /// A short list of names for hints: the first few and a count of the rest.
  static func listed(_ names: [String]) -> String {
    guard !names.isEmpty else { return "no tensors" }
    let shown = names.prefix(6).joined(separator: ", ")
    return names.count > 6 ? "\(shown), ... (\(names.count) in all)" : shown
  }
}
