import RetortLanguage

/// The command words the tests assume the interpreter registers.
let testCommandWords: Set<String> = [
  "seed", "load", "split", "mlp", "train", "evaluate", "copy", "distill", "compare", "plot",
  "save", "tensor", "randn", "print", "model", "conv", "relu", "maxpool", "flatten", "linear",
  "sweep", "softmax", "kd", "ce", "hint", "show",
]

/// Parses `source` with the test command words.
func parse(_ source: String) -> (Program, [Diagnostic]) {
  Parser.parse(source: source, fileName: "test.rt", commandWords: testCommandWords)
}

/// The S-expression dump of `source`, asserting nothing about diagnostics.
func dump(_ source: String) -> String {
  parse(source).0.sExpression
}

/// The diagnostics' messages of `source`.
func messages(_ source: String) -> [String] {
  parse(source).1.map(\.message)
}

/// The sketch from the design brief; used by several suites and the fuzzer.
let sketch = """
  # %% [markdown]
  # # Distilling a digit classifier

  # %%
  seed 42
  digits = load "digits"                        # bundled: 1797 images of 8x8
  train_set, test_set = split digits 0.8 stratified=true
  teacher = mlp [64, 512, 512, 10] dropout=0.2
  train teacher on train_set epochs=30 lr=1e-3
  evaluate teacher on test_set
  student = mlp [64, 32, 10]
  baseline = copy student
  distill student from teacher on train_set epochs=30 loss = 0.3*ce + 0.7*kd(T=4)
  compare teacher baseline student on test_set
  plot student.history
  save student "student.safetensors"
  logits = tensor [5.0, 2.0, 1.0]
  softmax(logits / 4)
  x = randn [4, 64]
  teacher(x)                                   # a model applies like a function
  for T in [1, 2, 4, 8] { print "T={T}: {softmax(logits / T)}" }
  cnn = model input=[1, 8, 8] {
    conv 16 3 pad=1; relu
    block2: conv 32 3 pad=1; relu; maxpool 2
    flatten; linear 10
  }
  distill small from cnn on train_set loss = ce + kd(T=4) + 0.5*hint(cnn.block2, small.conv1)
  sweep distill student from teacher on train_set alpha=[0.1, 0.5, 0.9] T=[1, 2, 4, 8]
  def accuracy_gap(a, b) { return a - b }
  if acc > 0.9 { print "good" } else { print "more epochs" }
  x[0, 1:3]
  w = teacher.layers[0].weight @ x
  """
