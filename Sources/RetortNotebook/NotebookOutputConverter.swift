// Turning interpreter outputs into notebook outputs: text becomes streams, tables become
// plain text plus HTML, charts become SVG plus a text rendering for plain viewers.

import RetortLanguage

// MARK: - Converter

/// Converts the `Output`s of running one cell into nbformat outputs.
public struct NotebookOutputConverter: Sendable {
  /// Renders charts for the `image/svg+xml` entry.
  public var svgRenderer: SVGChartRenderer
  /// Renders charts for the `text/plain` entry, which viewers without SVG show.
  public var textRenderer: TerminalChartRenderer

  /// A converter with the given renderers (text charts default to Unicode without colour,
  /// since notebook files should not hold ANSI escapes).
  public init(
    svgRenderer: SVGChartRenderer = SVGChartRenderer(),
    textRenderer: TerminalChartRenderer = TerminalChartRenderer(colour: false)
  ) {
    self.svgRenderer = svgRenderer
    self.textRenderer = textRenderer
  }

  /// The nbformat outputs for `outputs`, in order. Consecutive text to the same stream is
  /// merged into one stream output, as Jupyter does; each piece of text ends with a newline.
  public func convert(_ outputs: [Output]) -> [NotebookOutput] {
    var converted: [NotebookOutput] = []
    for output in outputs {
      let next = convert(output)
      if case .stream(let stream, let text) = next,
        case .stream(let previousStream, let previousText)? = converted.last,
        stream == previousStream
      {
        converted[converted.count - 1] = .stream(stream, text: previousText + text)
      } else {
        converted.append(next)
      }
    }
    return converted
  }

  /// The nbformat output for one interpreter output.
  public func convert(_ output: Output) -> NotebookOutput {
    switch output {
    case .text(let text):
      return .stream(.stdout, text: endingInNewline(text))
    case .warning:
      return .stream(.stderr, text: endingInNewline(output.plainText ?? ""))
    case .error(let message):
      let text = output.plainText ?? message
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      return .error(name: "RetortError", value: message, traceback: lines.map(String.init))
    case .table(let table):
      return .displayData(
        data: [
          "text/plain": .string(table.render()),
          "text/html": .string(HTMLTableRenderer.render(table)),
        ],
        metadata: [:])
    case .chart(let chart):
      return .displayData(
        data: [
          "text/plain": .string(textRenderer.render(chart)),
          "image/svg+xml": .string(svgRenderer.render(chart)),
        ],
        metadata: [:])
    }
  }

  private func endingInNewline(_ text: String) -> String {
    text.hasSuffix("\n") ? text : text + "\n"
  }
}

// MARK: - HTML tables

/// Renders a `Table` as an HTML table for notebook front ends.
public enum HTMLTableRenderer {
  /// The table as `<table>` markup: title as caption, right-aligned columns styled so, the
  /// marked row bold with class `marked`, footer lines in a `<tfoot>`.
  public static func render(_ table: Table) -> String {
    var html = ["<table>"]
    if let title = table.title, !title.isEmpty {
      html.append("<caption>\(escape(title))</caption>")
    }
    html.append(
      "<thead><tr>"
        + table.columns.map { column in
          "<th\(style(column.alignment))>\(escape(column.header))</th>"
        }.joined() + "</tr></thead>")
    html.append("<tbody>")
    for (index, row) in table.rows.enumerated() {
      let marked = index == table.markedRow
      let opening = marked ? "<tr class=\"marked\" style=\"font-weight: bold\">" : "<tr>"
      let cells = zip(row, table.columns).map { cell, column in
        "<td\(style(column.alignment))>\(escape(cell))</td>"
      }
      html.append(opening + cells.joined() + "</tr>")
    }
    html.append("</tbody>")
    if !table.footer.isEmpty {
      html.append("<tfoot>")
      for line in table.footer {
        html.append("<tr><td colspan=\"\(table.columns.count)\">\(escape(line))</td></tr>")
      }
      html.append("</tfoot>")
    }
    html.append("</table>")
    return html.joined(separator: "\n")
  }

  private static func style(_ alignment: Table.Alignment) -> String {
    alignment == .right ? " style=\"text-align: right\"" : " style=\"text-align: left\""
  }

  private static func escape(_ text: String) -> String {
    SVGMarkup.escape(text)
  }
}
