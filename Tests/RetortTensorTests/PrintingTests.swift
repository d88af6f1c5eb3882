import Testing

@testable import RetortTensor

@Suite struct PrintingTests {
  @Test func integralValuesPrintWithATrailingPoint() {
    #expect(Tensor([1, 2, 3]).formatted() == "tensor([1., 2., 3.], shape=[3])")
  }

  @Test func columnsAlignToTheWidestEntry() throws {
    let x = try Tensor(shape: [2, 2], scalars: [1.5, -2.25, 10, 3])
    #expect(
      x.formatted() == """
        tensor([[ 1.5000, -2.2500],
                [10.0000,  3.0000]], shape=[2, 2])
        """)
  }

  @Test func scalarsPrintWithoutAShape() {
    #expect(Tensor(3.25).formatted() == "tensor(3.2500)")
    #expect(Tensor(2).description == "tensor(2.)")
  }

  @Test func rank3BlocksAreSeparatedByABlankLine() throws {
    let x = try Tensor.arange(0, 8).reshaped(to: [2, 2, 2])
    #expect(
      x.formatted() == """
        tensor([[[0., 1.],
                 [2., 3.]],

                [[4., 5.],
                 [6., 7.]]], shape=[2, 2, 2])
        """)
  }

  @Test func largeTensorsAreSummarised() throws {
    let x = try Tensor.arange(0, 2000)
    #expect(
      x.formatted() == "tensor([   0.,    1.,    2., ..., 1997., 1998., 1999.], shape=[2000])")
    let small = try Tensor.arange(0, 1000)
    #expect(!small.formatted().contains("..."))
  }

  @Test func summarisedMatricesElideRowsAndColumns() throws {
    let x = try Tensor.zeros([40, 40])
    let lines = x.formatted().split(separator: "\n")
    #expect(lines.count == 7)
    #expect(lines[3].trimmingPrefixSpaces == "...,")
    #expect(lines[0] == "tensor([[0., 0., 0., ..., 0., 0., 0.],")
    #expect(lines[6].hasSuffix("]], shape=[40, 40])"))
  }

  @Test func summarisedWidthComesFromShownEntries() throws {
    // The hidden middle holds 1e9; the shown edges are small and must not be padded for it.
    var values = [Float](repeating: 1, count: 1001)
    values[500] = 1_000_000_000
    let x = Tensor(values)
    #expect(x.formatted() == "tensor([1., 1., 1., ..., 1., 1., 1.], shape=[1001])")
  }

  @Test func tinyAndHugeValuesUseScientificNotation() {
    let text = Tensor([0.00001, 2_000_000]).formatted()
    #expect(text == "tensor([1.0000e-05, 2.0000e+06], shape=[2])")
    // One tiny entry switches the whole tensor, so the columns read alike.
    #expect(Tensor([0.00001, 1.5]).formatted() == "tensor([1.0000e-05, 1.5000e+00], shape=[2])")
  }

  @Test func specialValues() {
    #expect(
      Tensor([.nan, .infinity, -.infinity]).formatted()
        == "tensor([ nan,  inf, -inf], shape=[3])")
  }

  @Test func gradientStateIsShown() throws {
    let x = try Tensor(shape: [1], scalars: [1], requiresGrad: true)
    #expect(x.formatted() == "tensor([1.], shape=[1], requires_grad)")
    #expect((x * 2).formatted() == "tensor([2.], shape=[1], grad_fn=multiply_scalar)")
  }

  @Test func emptyTensor() throws {
    #expect(try Tensor.zeros([0]).formatted() == "tensor([], shape=[0])")
  }

  @Test func precisionIsConfigurable() {
    let options = TensorPrintOptions(precision: 2)
    #expect(Tensor([0.125, 1]).formatted(options) == "tensor([0.12, 1.00], shape=[2])")
  }
}

extension Substring {
  fileprivate var trimmingPrefixSpaces: Substring { drop(while: { $0 == " " }) }
}
