// swift-tools-version: 6.0
import PackageDescription

// The module graph is a straight line:
// RetortTensor -> RetortNetworks -> RetortLanguage -> RetortNotebook -> retort.
let package = Package(
  name: "Retort",
  products: [
    .library(name: "RetortTensor", targets: ["RetortTensor"]),
    .library(name: "RetortNetworks", targets: ["RetortNetworks"]),
    .library(name: "RetortLanguage", targets: ["RetortLanguage"]),
    .library(name: "RetortNotebook", targets: ["RetortNotebook"]),
    .executable(name: "retort", targets: ["retort"]),
  ],
  targets: [
    .systemLibrary(
      name: "COpenBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CReadline", pkgConfig: "readline",
      providers: [.apt(["libreadline-dev"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    .target(name: "RetortTensor", dependencies: ["COpenBLAS"]),
    .target(
      name: "RetortNetworks", dependencies: ["RetortTensor", "CZlib"],
      resources: [.copy("Resources/digits.csv")]),
    .target(name: "RetortLanguage", dependencies: ["RetortNetworks"]),
    .target(name: "RetortNotebook", dependencies: ["RetortLanguage"]),
    .executableTarget(name: "retort", dependencies: ["RetortNotebook", "CReadline"]),
    .executableTarget(
      name: "retort-bench", dependencies: ["RetortNetworks"], path: "bench/RetortBench"),
    .testTarget(
      name: "RetortTensorTests", dependencies: ["RetortTensor"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RetortNetworksTests", dependencies: ["RetortNetworks"],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "RetortLanguageTests", dependencies: ["RetortLanguage"],
      resources: [.copy("Golden")]),
    .testTarget(
      name: "RetortNotebookTests", dependencies: ["RetortNotebook"],
      exclude: ["Fixtures", "validate_notebook.py"]),
  ]
)
