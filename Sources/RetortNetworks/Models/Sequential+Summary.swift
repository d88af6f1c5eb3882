import RetortTensor

extension Sequential {
  /// A table of the layers: name, description, per-example output shape and parameter
  /// count, in aligned columns with a total row, then the trainable count, the bytes the
  /// parameters take and the FLOPs per example.
  ///
  /// ```
  /// Layer    Type          Output  Params
  /// -------  ------------  ------  ------
  /// input                  [64]         0
  /// linear1  linear 64→32  [32]     2,080
  /// ...
  /// ```
  public func summary() -> String {
    var rows: [[String]] = [["input", "", formatShape(inputShape), "0"]]
    for (index, layer) in layers.enumerated() {
      rows.append([
        layerNames[index], layer.description, formatShape(outputShapes[index]),
        Self.grouped(layer.parameterCount),
      ])
    }
    let header = ["Layer", "Type", "Output shape", "Params"]
    let total = ["total", "", "", Self.grouped(parameterCount)]
    let all = [header] + rows + [total]
    let widths = (0..<4).map { column in all.map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (column, cell) in cells.enumerated() {
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        // The parameter column is right-aligned so the digits line up.
        text += column == 3 ? padding + cell : cell + padding + "  "
      }
      return text
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    var lines = [line(header), rule]
    lines += rows.map(line)
    lines += [rule, line(total)]
    lines.append("Trainable params: \(Self.grouped(trainableParameterCount))")
    if bufferCount > 0 { lines.append("Buffers: \(Self.grouped(bufferCount)) values") }
    lines.append("Parameter size: \(Self.byteText(parameterBytes))")
    lines.append("FLOPs per example: \(Self.grouped(flopsPerExample))")
    return lines.joined(separator: "\n")
  }

  /// 1234567 → "1,234,567".
  static func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (offset, character) in digits.enumerated() {
      if offset > 0, (digits.count - offset) % 3 == 0 { result += "," }
      result.append(character)
    }
    return value < 0 ? "-" + result : result
  }

  /// Bytes in B, KB, MB (powers of 1024) with one decimal.
  static func byteText(_ bytes: Int) -> String {
    if bytes < 1024 { return "\(bytes) B" }
    let units = ["KB", "MB", "GB"]
    var value = Double(bytes) / 1024
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10) \(units[unit])"
  }
}
