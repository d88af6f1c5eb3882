import Foundation

// MARK: - Binary arithmetic with broadcasting

extension Tensor {
  /// Elementwise sum with broadcasting.
  public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
    try broadcastMap(lhs, rhs, op: "add", +).recorded("add", inputs: [lhs, rhs]) { g in
      [try g.summed(toShape: lhs.shape), try g.summed(toShape: rhs.shape)]
    }
  }

  /// Elementwise difference with broadcasting.
  public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor {
    try broadcastMap(lhs, rhs, op: "subtract", -).recorded("subtract", inputs: [lhs, rhs]) {
      g in
      [try g.summed(toShape: lhs.shape), try (-g).summed(toShape: rhs.shape)]
    }
  }

  /// Elementwise product with broadcasting.
  public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor {
    try broadcastMap(lhs, rhs, op: "multiply", *).recorded("multiply", inputs: [lhs, rhs]) {
      g in
      [
        lhs.requiresGrad ? try (g * rhs.detached()).summed(toShape: lhs.shape) : nil,
        rhs.requiresGrad ? try (g * lhs.detached()).summed(toShape: rhs.shape) : nil,
      ]
    }
  }

  /// Elementwise quotient with broadcasting.
  public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor {
    try broadcastMap(lhs, rhs, op: "divide", /).recorded("divide", inputs: [lhs, rhs]) { g in
      let b = rhs.detached()
      let gradL = lhs.requiresGrad ? try (g / b).summed(toShape: lhs.shape) : nil
      // d(a/b)/db = -a / b^2
      let gradR =
        rhs.requiresGrad
        ? try (try (-g) * lhs.detached() / (b * b)).summed(toShape: rhs.shape) : nil
      return [gradL, gradR]
    }
  }

  /// Elementwise power `lhs ** rhs` with broadcasting.
  public func pow(_ exponent: Tensor) throws -> Tensor {
    let base = self
    return try broadcastMap(base, exponent, op: "pow") { Foundation.powf($0, $1) }
      .recorded("pow", inputs: [base, exponent]) { g in
        let b = exponent.detached()
        let a = base.detached()
        let gradBase =
          base.requiresGrad
          ? try (g * b * a.pow(try b - Tensor(1))).summed(toShape: base.shape) : nil
        // d(a^b)/db = a^b ln a, defined as 0 where a^b is 0 so that 0^b stays finite.
        let gradExp =
          exponent.requiresGrad
          ? try
            (g
            * broadcastMap(a, b, op: "pow") { x, y in
              let p = Foundation.powf(x, y)
              return p == 0 ? 0 : p * Foundation.logf(x)
            }).summed(toShape: exponent.shape) : nil
        return [gradBase, gradExp]
      }
  }
}

// MARK: - Scalar arithmetic

extension Tensor {
  public static func + (lhs: Tensor, rhs: Float) -> Tensor {
    lhs.map("add_scalar", Pointwise.AddScalar(constant: rhs))
  }
  public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs + (-rhs) }
  public static func - (lhs: Float, rhs: Tensor) -> Tensor {
    rhs.map("rsub_scalar", Pointwise.SubtractFromScalar(constant: lhs))
  }
  public static func * (lhs: Tensor, rhs: Float) -> Tensor {
    lhs.map("multiply_scalar", Pointwise.MultiplyScalar(constant: rhs))
  }
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }
  public static func / (lhs: Tensor, rhs: Float) -> Tensor {
    lhs.map("divide_scalar", Pointwise.DivideByScalar(constant: rhs))
  }
  public static func / (lhs: Float, rhs: Tensor) -> Tensor {
    rhs.map("rdivide_scalar", Pointwise.Reciprocal(numerator: lhs))
  }
  public static prefix func - (operand: Tensor) -> Tensor {
    operand.map("negate", Pointwise.Negate())
  }

  /// Raises every element to a scalar power.
  public func pow(_ exponent: Float) -> Tensor {
    map("pow", Pointwise.Power(exponent: exponent))
  }
}

// MARK: - Comparisons and selection (not differentiable: they return 0 or 1)

extension Tensor {
  /// 1 where `lhs == rhs`, else 0.
  public func equal(_ other: Tensor) throws -> Tensor {
    try broadcastMap(self, other, op: "equal") { $0 == $1 ? 1 : 0 }
  }
  /// 1 where `lhs != rhs`, else 0.
  public func notEqual(_ other: Tensor) throws -> Tensor {
    try broadcastMap(self, other, op: "not_equal") { $0 != $1 ? 1 : 0 }
  }
  /// 1 where `lhs < rhs`, else 0.
  public func less(_ other: Tensor) throws -> Tensor {
    try broadcastMap(self, other, op: "less") { $0 < $1 ? 1 : 0 }
  }
  /// 1 where `lhs <= rhs`, else 0.
  public func lessOrEqual(_ other: Tensor) throws -> Tensor {
    try broadcastMap(self, other, op: "less_equal") { $0 <= $1 ? 1 : 0 }
  }
  /// 1 where `lhs > rhs`, else 0.
  public func greater(_ other: Tensor) throws -> Tensor {
    try broadcastMap(self, other, op: "greater") { $0 > $1 ? 1 : 0 }
  }
  /// 1 where `lhs >= rhs`, else 0.
  public func greaterOrEqual(_ other: Tensor) throws -> Tensor {
    try broadcastMap(self, other, op: "greater_equal") { $0 >= $1 ? 1 : 0 }
  }

  /// Picks `onTrue` where `condition` is nonzero and `onFalse` elsewhere, with broadcasting.
  public static func select(
    _ condition: Tensor, _ onTrue: Tensor, _ onFalse: Tensor
  ) throws -> Tensor {
    let mask = try broadcastMap(condition, try onTrue + onFalse * 0, op: "where") { c, _ in
      c != 0 ? 1 : 0
    }
    let a = try broadcastMap(mask, onTrue.detached(), op: "where") { m, x in m != 0 ? x : 0 }
    let b = try broadcastMap(mask, onFalse.detached(), op: "where") { m, y in m != 0 ? 0 : y }
    let result = try broadcastMap(a, b, op: "where", +)
    return result.recorded("where", inputs: [onTrue, onFalse]) { g in
      [
        try (g * mask).summed(toShape: onTrue.shape),
        try (g * (1 - mask)).summed(toShape: onFalse.shape),
      ]
    }
  }
}
