import CZlib
import Foundation

/// Gzip decompression through zlib, for `.gz` dataset files.
public enum Gzip {
  /// Whether `data` starts with the gzip magic bytes 1f 8b.
  public static func isCompressed(_ data: Data) -> Bool {
    data.count >= 2 && data[data.startIndex] == 0x1F && data[data.startIndex + 1] == 0x8B
  }

  /// Inflates a whole gzip stream; `source` names the file in errors.
  ///
  /// Concatenated gzip members are inflated one after another. A stream that stops before
  /// its end marker (a truncated download) and a corrupt stream are both reported as
  /// `DataError`s rather than returning partial data.
  public static func decompress(_ data: Data, source: String) throws -> Data {
    var stream = z_stream()
    // 16 + MAX_WBITS asks zlib for a gzip wrapper (header and CRC) instead of raw zlib.
    let initStatus = inflateInit2_(
      &stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard initStatus == Z_OK else {
      throw DataError(file: source, "zlib could not start decompressing (status \(initStatus))")
    }
    defer { inflateEnd(&stream) }

    var output = Data()
    let chunkSize = 1 << 20
    var chunk = [UInt8](repeating: 0, count: chunkSize)
    var input = [UInt8](data)
    var status: Int32 = Z_OK
    try input.withUnsafeMutableBufferPointer { inputBuffer in
      stream.next_in = inputBuffer.baseAddress
      stream.avail_in = uInt(inputBuffer.count)
      repeat {
        let produced = chunk.withUnsafeMutableBufferPointer { outputBuffer -> Int in
          stream.next_out = outputBuffer.baseAddress
          stream.avail_out = uInt(chunkSize)
          status = inflate(&stream, Z_NO_FLUSH)
          return chunkSize - Int(stream.avail_out)
        }
        output.append(contentsOf: chunk[0..<produced])
        switch status {
        case Z_OK, Z_STREAM_END:
          break
        case Z_BUF_ERROR where stream.avail_in == 0:
          throw truncated(source: source, compressed: data.count, inflated: output.count)
        case Z_BUF_ERROR:
          // No progress possible with input left: only happens if the output was full,
          // which cannot be the case after a fresh chunk; treat as corrupt.
          throw corrupt(source: source, stream: stream)
        default:
          throw corrupt(source: source, stream: stream)
        }
        if status == Z_OK, stream.avail_in == 0, produced < chunkSize {
          // All input consumed, output not full, yet no end marker: the file is cut short.
          throw truncated(source: source, compressed: data.count, inflated: output.count)
        }
        // A gzip file may hold several members back to back (pigz, `cat a.gz b.gz`): their
        // contents concatenate. Anything after the last member other than a new gzip
        // header (padding zeros, for instance) is ignored, as gunzip does.
        if status == Z_STREAM_END, stream.avail_in >= 2, let next = stream.next_in,
          next[0] == 0x1F, next[1] == 0x8B
        {
          inflateReset(&stream)
          status = Z_OK
        }
      } while status != Z_STREAM_END
    }
    return output
  }

  private static func truncated(source: String, compressed: Int, inflated: Int) -> DataError {
    DataError(
      file: source,
      "expected a complete gzip stream, found it cut off after \(compressed) compressed "
        + "bytes (\(inflated) bytes inflated)",
      hint: "the file is truncated; download or copy it again")
  }

  private static func corrupt(source: String, stream: z_stream) -> DataError {
    let reason = stream.msg.map { String(cString: $0) } ?? "unknown zlib error"
    return DataError(
      file: source, "expected gzip data, found a corrupt stream (\(reason))",
      hint: "the file is damaged or not gzip; download or copy it again")
  }
}
