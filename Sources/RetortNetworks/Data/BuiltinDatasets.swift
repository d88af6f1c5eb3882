import Foundation
import RetortTensor

/// Which part of a dataset that ships with fixed parts.
public enum DatasetSplit: String, Sendable, CaseIterable {
  /// The training part.
  case train
  /// The held-out test part.
  case test
}

// MARK: - Digits

extension Dataset {
  /// The environment variable naming a folder to search first for data files.
  public static let dataDirectoryVariable = "RETORT_DATA_DIR"

  /// The UCI optical recognition of handwritten digits test set: 1797 images of 8×8.
  ///
  /// Features are `[1797, 64]`: the pixel counts 0...16 of the original are divided by 16,
  /// so every value lies in [0, 1]. Labels are the digits 0-9 with class names "0"..."9".
  /// Data: E. Alpaydin and C. Kaynak (1998), UCI Machine Learning Repository, CC BY 4.0.
  public static func digits() throws -> Dataset {
    let url = try locateResource("digits.csv")
    let raw = try loadCSV(url, labelColumn: .named("label"), header: true, name: "digits")
    guard raw.exampleShape == [64], raw.classCount == 10 else {
      throw DataError(
        file: url.path,
        "expected 64 pixel columns and the digits 0-9, found examples of "
          + "\(formatShape(raw.exampleShape)) and \(raw.classCount) classes",
        hint: "the file is not the bundled digits.csv; unset \(dataDirectoryVariable)")
    }
    // 16 is the largest pixel count (a 4×4 block of the 32×32 bitmap), so /16 gives [0, 1].
    return try Dataset(
      name: "digits", features: raw.features / 16, labels: raw.labels,
      classNames: raw.classNames)
  }

  /// Finds a bundled data file: `$RETORT_DATA_DIR`, then the package's resource bundle,
  /// then next to the executable, then the source tree this library was built from.
  static func locateResource(_ fileName: String) throws -> URL {
    var searched: [URL] = []
    let fileManager = FileManager.default
    if let folder = ProcessInfo.processInfo.environment[dataDirectoryVariable], !folder.isEmpty {
      searched.append(URL(fileURLWithPath: folder).appendingPathComponent(fileName))
    }
    // `Bundle.module` stops the process when its bundle is missing, so it is only asked
    // once the bundle folder it looks for first is known to exist.
    let mainBundle = Bundle.main.bundleURL
    let bundleNames = ["Retort_RetortNetworks.resources", "Retort_RetortNetworks.bundle"]
    if bundleNames.contains(where: {
      fileManager.fileExists(atPath: mainBundle.appendingPathComponent($0).path)
    }), let url = Bundle.module.url(forResource: fileName, withExtension: nil) {
      searched.append(url)
    }
    let executableFolder = Bundle.main.executableURL?.deletingLastPathComponent() ?? mainBundle
    searched.append(executableFolder.appendingPathComponent(fileName))
    for bundle in bundleNames {
      searched.append(
        executableFolder.appendingPathComponent(bundle).appendingPathComponent(fileName))
    }
    // Sources/RetortNetworks/Data/this file → Sources/RetortNetworks/Resources/<file>.
    searched.append(
      URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Resources").appendingPathComponent(fileName))
    if let found = searched.first(where: { fileManager.fileExists(atPath: $0.path) }) {
      return found
    }
    throw DataError(
      file: fileName,
      "expected the bundled data file, found it in none of: "
        + searched.map(\.path).joined(separator: ", "),
      hint: "set \(dataDirectoryVariable) to a folder holding \(fileName), or keep the "
        + "Retort_RetortNetworks.resources folder next to the retort executable")
  }
}

// MARK: - Fashion-MNIST

extension Dataset {
  /// Where Debian's `dataset-fashion-mnist` package installs the files.
  public static let fashionMNISTDefaultDirectory = "/usr/share/datasets/fashion-mnist"

  /// The ten Fashion-MNIST classes, in label order.
  public static let fashionMNISTClassNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
  ]

  /// Zalando's Fashion-MNIST: 28×28 grey images of clothing, 60 000 train and 10 000 test.
  ///
  /// Reads `train-images-idx3-ubyte.gz` and `train-labels-idx1-ubyte.gz` (or the `t10k-`
  /// pair for the test split), gzip or already unpacked, from `directory` (by default
  /// `/usr/share/datasets/fashion-mnist`). Features are `[N, 1, 28, 28]` with pixels
  /// divided by 255 into [0, 1].
  public static func fashionMNIST(
    split: DatasetSplit = .train, directory: URL? = nil
  ) throws -> Dataset {
    let folder = directory ?? URL(fileURLWithPath: fashionMNISTDefaultDirectory)
    let prefix = split == .train ? "train" : "t10k"
    let images = try fashionFile("\(prefix)-images-idx3-ubyte", in: folder)
    let labels = try fashionFile("\(prefix)-labels-idx1-ubyte", in: folder)
    let dataset = try loadIDX(
      images: images, labels: labels, classNames: fashionMNISTClassNames, scale: 255,
      name: "fashion-mnist/\(split.rawValue)")
    guard dataset.exampleShape == [1, 28, 28] else {
      throw DataError(
        file: images.path,
        "expected 28×28 images, found examples of \(formatShape(dataset.exampleShape))")
    }
    return dataset
  }

  /// The gzip file `base.gz`, or the unpacked `base`, in `folder`; else an error that says
  /// how to get the files.
  private static func fashionFile(_ base: String, in folder: URL) throws -> URL {
    let candidates = [base + ".gz", base].map { folder.appendingPathComponent($0) }
    if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) {
      return found
    }
    let folderExists = FileManager.default.fileExists(atPath: folder.path)
    throw DataError(
      file: candidates[0].path,
      folderExists
        ? "expected the Fashion-MNIST file \(base).gz in \(folder.path), found no such file"
        : "expected the Fashion-MNIST folder \(folder.path), found no such folder",
      hint: "install it with `apt-get install dataset-fashion-mnist` (files go to "
        + "\(fashionMNISTDefaultDirectory)), or download the four *-ubyte.gz files from "
        + "github.com/zalandoresearch/fashion-mnist and pass their folder as directory")
  }
}
