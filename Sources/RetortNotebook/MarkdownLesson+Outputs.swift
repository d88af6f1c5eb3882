// Writing a lesson back with the outputs of a run: text in ```text fences, charts as SVG
// files beside the lesson linked with image syntax, all between retort:output markers.

import Foundation
import RetortLanguage

// MARK: - Rendering outputs

/// A lesson with outputs inserted, plus the chart files its image links point to.
public struct RenderedLesson: Sendable, Equatable {
  /// A file to write beside the lesson.
  public struct Asset: Sendable, Equatable {
    /// The path relative to the lesson's directory (e.g. `lesson_files/cell3-1.svg`).
    public var relativePath: String
    /// The file's contents.
    public var contents: String
  }

  /// The markdown text.
  public var markdown: String
  /// The chart files, in the order they are linked.
  public var assets: [Asset]
}

extension MarkdownLesson {
  /// The document with each Retort block followed by its outputs, replacing the outputs of
  /// an earlier run. `outputs[i]` belongs to `codeBlocks[i]`; blocks without outputs (or
  /// beyond the array) get none. Charts are linked as `<assetDirectory>/cell<i+1>-<n>.svg`.
  ///
  /// Running this on its own result with the same outputs gives the same text.
  public func rendered(
    outputs: [[Output]], assetDirectory: String,
    svgRenderer: SVGChartRenderer = SVGChartRenderer()
  ) -> RenderedLesson {
    var markdown = ""
    var assets: [RenderedLesson.Asset] = []
    for segment in segments {
      switch segment {
      case .prose(let text):
        markdown += text
      case .previousOutput:
        continue
      case .code(let block):
        markdown += block.raw
        let blockOutputs = outputs[safe: block.index] ?? []
        guard block.isClosed, !blockOutputs.isEmpty else { continue }
        // A block that ends the file without a newline needs one before its outputs.
        if markdown.unicodeScalars.last != "\n" { markdown += "\n" }
        let (text, blockAssets) = outputBlock(
          blockOutputs, blockNumber: block.index + 1, assetDirectory: assetDirectory,
          svgRenderer: svgRenderer)
        markdown += "\n" + text
        assets += blockAssets
      }
    }
    return RenderedLesson(markdown: markdown, assets: assets)
  }

  /// Writes the lesson with `outputs` to `url` and its charts into a `<name>_files`
  /// directory beside it (all atomically), removing chart files of earlier runs that
  /// this run no longer produces.
  public func write(
    outputs: [[Output]], to url: URL, svgRenderer: SVGChartRenderer = SVGChartRenderer()
  ) throws {
    let directory = url.deletingLastPathComponent()
    let assetDirectory = url.deletingPathExtension().lastPathComponent + "_files"
    let rendered = rendered(
      outputs: outputs, assetDirectory: assetDirectory, svgRenderer: svgRenderer)
    let assetURL = directory.appendingPathComponent(assetDirectory, isDirectory: true)
    if !rendered.assets.isEmpty {
      do {
        try FileManager.default.createDirectory(at: assetURL, withIntermediateDirectories: true)
      } catch {
        throw FileWriteError(
          path: assetURL.path, reason: "cannot create the directory for chart files",
          hint: "check that \(directory.path) is writable")
      }
    }
    for asset in rendered.assets {
      try AtomicFileWriter.write(
        asset.contents, to: directory.appendingPathComponent(asset.relativePath))
    }
    try AtomicFileWriter.write(rendered.markdown, to: url)
    removeStaleCharts(
      in: assetURL, keeping: Set(rendered.assets.map(\.relativePath)),
      prefix: assetDirectory)
  }

  // MARK: - Output blocks

  private func outputBlock(
    _ outputs: [Output], blockNumber: Int, assetDirectory: String,
    svgRenderer: SVGChartRenderer
  ) -> (String, [RenderedLesson.Asset]) {
    var items: [String] = []
    var assets: [RenderedLesson.Asset] = []
    var pendingText: [String] = []
    func flushText() {
      guard !pendingText.isEmpty else { return }
      items.append(textFence(pendingText.joined(separator: "\n")))
      pendingText = []
    }
    for output in outputs {
      if case .chart(let chart) = output {
        flushText()
        let path = "\(assetDirectory)/cell\(blockNumber)-\(assets.count + 1).svg"
        let svg = svgRenderer.render(chart)
        assets.append(RenderedLesson.Asset(relativePath: path, contents: svg))
        items.append("![\(altText(chart.title))](\(linkDestination(path)))\n")
      } else if let text = output.plainText {
        pendingText.append(text.hasSuffix("\n") ? String(text.dropLast()) : text)
      }
    }
    flushText()
    let body = items.joined(separator: "\n")
    return (Self.outputStartMarker + "\n" + body + Self.outputEndMarker + "\n", assets)
  }

  /// A ```text fence around `text`, longer than any backtick run at the start of a line
  /// inside it so the text cannot close it early.
  private func textFence(_ text: String) -> String {
    let longestRun =
      splitLines(text).map { line in
        line.drop { $0 == " " }.prefix { $0 == "`" }.count
      }.max() ?? 0
    let fence = String(repeating: "`", count: max(3, longestRun + 1))
    return fence + "text\n" + text + "\n" + fence + "\n"
  }

  /// Image alt text: the chart title (or "chart") with brackets and backslashes escaped.
  private func altText(_ title: String) -> String {
    let text = title.isEmpty ? "chart" : title.replacingOccurrences(of: "\n", with: " ")
    var escaped = ""
    for character in text {
      if character == "[" || character == "]" || character == "\\" { escaped += "\\" }
      escaped.append(character)
    }
    return escaped
  }

  /// A link destination; paths with spaces or parentheses go in angle brackets.
  private func linkDestination(_ path: String) -> String {
    path.contains(where: { $0 == " " || $0 == "(" || $0 == ")" }) ? "<\(path)>" : path
  }

  /// Deletes `cell<n>-<m>.svg` files in `directory` that the new run did not write.
  private func removeStaleCharts(in directory: URL, keeping kept: Set<String>, prefix: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
    else { return }
    for name in names where isChartFileName(name) && !kept.contains("\(prefix)/\(name)") {
      try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
    }
  }

  private func isChartFileName(_ name: String) -> Bool {
    guard name.hasPrefix("cell"), name.hasSuffix(".svg") else { return false }
    let middle = name.dropFirst(4).dropLast(4).split(separator: "-")
    return middle.count == 2 && middle.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
  }
}
