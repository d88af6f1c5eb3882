import Foundation
import RetortNetworks
import RetortTensor

// Loss values for distillation. Each command makes a `DistillationLoss`; `+`, `-` and
// multiplication by a number combine them, so `0.3*ce + 0.7*kd(T=4)` is a loss value that
// prints as its formula. `ce` and `mse` given tensors compute the loss right away instead.

extension CommandRegistry {
  static func lossCommands() -> [CommandSpec] {
    [kd, dkd, hint, attention, rkd]
  }

  /// The tap name of a layer argument: a layer value (`teacher.block2`) or a string.
  static func layerName(_ invocation: CommandInvocation, _ name: String) throws -> String {
    switch invocation.value(name) {
    case .layer(let layer): return layer.name
    case .string(let text): return text
    case let other:
      throw invocation.error(
        "'\(invocation.spec.name)' expects a layer such as teacher.block2 for '\(name)', got "
          + Interpreter.describe(other), at: name)
    }
  }

  /// A loss value; its warnings are reported when the finished formula is assigned or shown
  /// (`Interpreter.checkLoss`), not for each term.
  static func checked(_ loss: DistillationLoss, _ invocation: CommandInvocation) -> Value {
    .loss(loss)
  }

  static var temperatureOption: ParameterSpec {
    .option("T", .positiveNumber, default: .number(4), "the temperature softening both sides")
  }

  static var kd: CommandSpec {
    CommandSpec(
      name: "kd", summary: "Hinton's knowledge distillation loss: KL(p_t^T || p_s^T) * T^2",
      category: .losses, parameters: [temperatureOption],
      examples: ["loss = 0.3*ce + 0.7*kd(T=4)\nloss"],
      longHelp: "Scaled by T^2 so its gradients keep their size as T grows (Hinton et al. 2015).",
      bareNameInvokes: true
    ) { invocation in
      checked(.kd(temperature: Float(try invocation.number("T"))), invocation)
    }
  }

  static var dkd: CommandSpec {
    CommandSpec(
      name: "dkd", summary: "Decoupled KD: alpha * target-class KD + beta * non-target KD",
      category: .losses,
      parameters: [
        .option("alpha", .number, default: .number(1), "weight of the target-class part"),
        .option("beta", .number, default: .number(8), "weight of the non-target part"),
        temperatureOption,
      ],
      examples: ["ce + dkd(alpha=1, beta=8, T=4)"], bareNameInvokes: true
    ) { invocation in
      checked(
        .dkd(
          alpha: Float(try invocation.number("alpha")), beta: Float(try invocation.number("beta")),
          temperature: Float(try invocation.number("T"))), invocation)
    }
  }

  static var hint: CommandSpec {
    CommandSpec(
      name: "hint",
      summary: "FitNets hint: MSE between a teacher layer and a regressed student layer",
      category: .losses,
      parameters: [
        .positional("teacher_layer", .any, "a teacher layer, e.g. teacher.block2"),
        .positional("student_layer", .any, "a student layer, e.g. student.conv1"),
      ],
      examples: [
        "t = cnn input=[1, 8, 8]\ns = cnn input=[1, 8, 8] channels=[8]\n"
          + "ce + 0.5*hint(t.conv1, s.conv1)"
      ]
    ) { invocation in
      checked(
        .hint(
          teacherLayer: try layerName(invocation, "teacher_layer"),
          studentLayer: try layerName(invocation, "student_layer")), invocation)
    }
  }

  static var attention: CommandSpec {
    CommandSpec(
      name: "at", summary: "Attention transfer between two feature maps of one resolution",
      category: .losses,
      parameters: [
        .positional("teacher_layer", .any, "a teacher layer"),
        .positional("student_layer", .any, "a student layer"),
      ],
      examples: [
        "t = cnn input=[1, 8, 8]\ns = cnn input=[1, 8, 8] channels=[8]\nce + at(t.relu1, s.relu1)"
      ]
    ) { invocation in
      checked(
        .attention(
          teacherLayer: try layerName(invocation, "teacher_layer"),
          studentLayer: try layerName(invocation, "student_layer")), invocation)
    }
  }

  static var rkd: CommandSpec {
    CommandSpec(
      name: "rkd", summary: "Relational KD: match distances and angles between examples",
      category: .losses,
      parameters: [
        .option("distance", .number, default: .number(25), "weight of the distance term"),
        .option("angle", .number, default: .number(50), "weight of the angle term"),
      ],
      examples: ["ce + rkd(distance=25, angle=50)"], bareNameInvokes: true
    ) { invocation in
      checked(
        .rkd(
          distanceWeight: Float(try invocation.number("distance")),
          angleWeight: Float(try invocation.number("angle"))), invocation)
    }
  }
}
