import RetortLanguage
import Testing

@Suite struct DidYouMeanTests {
  static let commands = [
    "train", "evaluate", "distill", "compare", "plot", "save", "load", "split", "tensor",
    "softmax", "epochs", "lr", "dropout", "stratified",
  ]

  @Test(arguments: [
    ("trian", "train"),
    ("evalute", "evaluate"),
    ("Distill", "distill"),
    ("TRAIN", "train"),
    ("tensr", "tensor"),
    ("softmx", "softmax"),
    ("epoch", "epochs"),
    ("LR", "lr"),
    ("dropuot", "dropout"),
    ("stratifed", "stratified"),
    ("lod", "load"),
  ])
  func suggests(word: String, expected: String) {
    #expect(didYouMean(word, in: Self.commands) == expected)
  }

  @Test(arguments: ["x", "zz", "banana", "", "qqqqqqqqqqqq", "train"])
  func doesNotSuggest(word: String) {
    #expect(didYouMean(word, in: Self.commands) == nil)
  }

  @Test func prefersTheClosestCandidate() {
    #expect(didYouMean("colour", in: ["color", "colours", "column"]) == "color")
    #expect(didYouMean("abcd", in: ["abdc", "abce"]) == "abdc")
  }

  @Test func emptyCandidates() {
    #expect(didYouMean("train", in: []) == nil)
  }
}
