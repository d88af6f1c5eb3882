#if canImport(Glibc)
  import Glibc
#endif

/// How the process's memory allocator treats the large, short-lived buffers of training.
///
/// A training step allocates and frees the same large arrays every time: im2col matrices
/// (14 MB for a 16→32 convolution at batch 128), activations and their gradients. glibc
/// serves blocks above a threshold that adapts between 128 KB and 32 MB with fresh
/// `mmap`ed pages and gives them back at `free`, and trims the top of its heap once 2× that
/// threshold is free; either way the next step's allocation faults every page in again and
/// zeroes it, which cost a convolution step more time than its matrix products (62 ms a
/// step against 41 ms with the settings below, on the Fashion-MNIST CNN at batch 128).
/// The settings keep blocks up to 64 MB on the heap and up to 256 MB of free heap mapped,
/// so a step reuses the pages of the last one; larger blocks (a whole dataset) are still
/// mapped and returned as before. Nothing changes on other C libraries.
public enum Allocator {
  /// Blocks at least this large are mapped on their own and unmapped when freed.
  public static let mapThreshold: Int32 = 64 << 20
  /// Free memory at the top of the heap kept for reuse, up to this much.
  public static let trimThreshold: Int32 = 256 << 20

  /// Applies the settings; the `retort` program calls this first. A program that embeds
  /// Retort may call it too (it affects the whole process). Returns whether they took.
  @discardableResult
  public static func configureForTraining() -> Bool {
    #if canImport(Glibc)
      // `mallopt` lives in <malloc.h>, which Swift's Glibc module leaves out; it is looked
      // up by name instead. Its option numbers are part of glibc's ABI.
      typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
      let (trimOption, mapOption): (Int32, Int32) = (-1, -3)  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else {
        return false
      }
      let mallopt = unsafeBitCast(symbol, to: MalloptFunction.self)
      return mallopt(mapOption, mapThreshold) == 1 && mallopt(trimOption, trimThreshold) == 1
    #else
      return false
    #endif
  }
}
