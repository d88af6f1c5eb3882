import Foundation
import RetortNetworks
import RetortTensor

// How values turn into text. Three renderings:
// - `display`: what the notebook shows for a bare expression (strings quoted, tensors in full);
// - `printed`: what `print` writes (strings as they are, tensors in full);
// - `interpolated`: what `"{x}"` inserts (strings as they are, tensors compact on one line).

extension Value {
  // MARK: - Numbers

  /// The number rule: a whole number with magnitude below 1e15 prints without a fraction
  /// (`42`, `-3`), anything else in Swift's shortest round-trip form (`0.25`, `1e-05`,
  /// `inf`, `nan`).
  public static func format(number value: Double) -> String {
    if value.isFinite && value == value.rounded() && Swift.abs(value) < 1e15 {
      return String(Int64(value))
    }
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
  }

  // MARK: - Renderings

  /// The text a notebook shows for this value.
  public var display: String {
    switch self {
    case .string(let text): return quoted(text)
    case .tensor(let tensor): return tensor.formatted()
    case .list(let items): return "[" + items.map(\.display).joined(separator: ", ") + "]"
    case .report(let report): return report.table.render()
    case .history(let history): return Value.historyTable(history)
    default: return interpolated
    }
  }

  /// The text `print` writes for this value.
  public var printed: String {
    switch self {
    case .tensor(let tensor): return tensor.formatted()
    case .list(let items): return "[" + items.map(\.display).joined(separator: ", ") + "]"
    case .report(let report): return report.table.render()
    case .history(let history): return Value.historyTable(history)
    default: return interpolated
    }
  }

  /// The text a string interpolation inserts: short, on one line.
  public var interpolated: String {
    switch self {
    case .number(let value): return Value.format(number: value)
    case .string(let text): return text
    case .bool(let flag): return flag ? "true" : "false"
    case .none: return "none"
    case .list(let items): return "[" + items.map(\.display).joined(separator: ", ") + "]"
    case .tensor(let tensor): return Value.compact(tensor)
    case .function(let function): return "<function \(function.signature)>"
    case .command(let spec): return "<command \(spec.name)>"
    case .model(let model):
      return "<model \(formatShape(model.inputShape))→\(formatShape(model.outputShape)), "
        + "\(model.layers.count) layers, \(model.parameterCount) parameters>"
    case .layer(let layer): return "<layer \(layer.name): \(layer.layer.description)>"
    case .layerRecipe(let recipe): return "<layer \(recipe.text)>"
    case .dataset(let dataset):
      return "<dataset \(dataset.name): \(dataset.count) examples of "
        + "\(formatShape(dataset.exampleShape)), \(dataset.classCount) classes>"
    case .loss(let loss): return loss.asciiDescription
    case .history(let history):
      let last = history.epochs.last.map { String(format: ", last loss %.4f", $0.loss) } ?? ""
      return "<history: \(history.epochs.count) epochs\(last)>"
    case .report(let report): return "<\(report.kind) report>"
    }
  }

  /// A history as a table of its epochs.
  static func historyTable(_ history: History) -> String {
    guard !history.epochs.isEmpty else { return "history: no epochs yet" }
    let names = history.seriesNames.filter { $0 != "lr" }
    var rows: [[String]] = []
    for (index, record) in history.epochs.enumerated() {
      var row = [String(record.epoch)]
      for name in names {
        let values = history.series(named: name) ?? []
        row.append(index < values.count ? String(format: "%.4f", values[index]) : "")
      }
      rows.append(row)
    }
    let table = try? Table(
      headers: ["epoch"] + names, rightAligned: Set(0...names.count), rows: rows)
    return table?.render() ?? ""
  }

  // MARK: - Helpers

  /// A tensor on one line with 4 significant digits, e.g. `[0.8438, 0.1142, 0.04201]`;
  /// more than 24 elements are summarised by their first and last few along each axis.
  public static func compact(_ tensor: Tensor) -> String {
    let scalars = tensor.scalars
    func text(_ x: Float) -> String {
      if x.isNaN { return "nan" }
      if x.isInfinite { return x > 0 ? "inf" : "-inf" }
      if x == x.rounded() && Swift.abs(x) < 1e7 { return String(Int(x)) }
      return String(format: "%.4g", Double(x))
    }
    if tensor.rank == 0 { return text(scalars.first ?? 0) }
    let summarize = tensor.count > 24
    var strides = [Int](repeating: 1, count: tensor.rank)
    for axis in stride(from: tensor.rank - 2, through: 0, by: -1) {
      strides[axis] = strides[axis + 1] * tensor.shape[axis + 1]
    }
    func render(_ axis: Int, _ offset: Int) -> String {
      if axis == tensor.rank { return offset < scalars.count ? text(scalars[offset]) : "?" }
      let n = tensor.shape[axis]
      var indices: [Int?] = (0..<n).map { $0 }
      if summarize && n > 6 { indices = [0, 1, 2, nil, n - 3, n - 2, n - 1] }
      let items = indices.map { index -> String in
        guard let index else { return "…" }
        return render(axis + 1, offset + index * strides[axis])
      }
      return "[" + items.joined(separator: ", ") + "]"
    }
    return render(0, 0)
  }

  private func quoted(_ text: String) -> String {
    var result = "\""
    for character in text {
      switch character {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      default: result.append(character)
      }
    }
    return result + "\""
  }
}
