import Foundation
import RetortTensor
import Testing

@testable import RetortNetworks

@Suite("CSV loading")
struct CSVLoaderTests {
  // MARK: - Parsing

  @Test func detectsHeaderAndLabelColumnByName() throws {
    let dataset = try Dataset.parseCSV("a,b,label\n1,2,0\n3,4,1\n", source: "inline.csv")
    #expect(dataset.features.shape == [2, 2])
    #expect(dataset.features.scalars == [1, 2, 3, 4])
    #expect(dataset.labels == [0, 1])
    #expect(dataset.classNames == ["0", "1"])
    #expect(dataset.name == "inline.csv")
  }

  @Test func withoutHeaderTheLastColumnIsTheLabel() throws {
    let dataset = try Dataset.parseCSV("1,2,0\n3,4,2\n")
    #expect(dataset.count == 2)
    #expect(dataset.features.scalars == [1, 2, 3, 4])
    #expect(dataset.labels == [0, 2])
    #expect(dataset.classNames == ["0", "1", "2"])
  }

  @Test func findsAClassColumnAnywhere() throws {
    let dataset = try Dataset.parseCSV("Class,x,y\n1,0.5,0.25\n0,1,2\n")
    #expect(dataset.labels == [1, 0])
    #expect(dataset.features.scalars == [0.5, 0.25, 1, 2])
  }

  @Test(arguments: [
    (LabelColumn.index(0), [Float(2), 3, 5, 6], [1, 4]),
    (LabelColumn.index(-1), [1, 2, 4, 5], [3, 6]),
    (LabelColumn.named("y"), [1, 3, 4, 6], [2, 5]),
  ])
  func picksTheLabelColumn(column: LabelColumn, features: [Float], labels: [Int]) throws {
    let dataset = try Dataset.parseCSV("x,y,z\n1,2,3\n4,5,6\n", labelColumn: column)
    #expect(dataset.features.scalars == features)
    #expect(dataset.labels == labels)
  }

  @Test func stringLabelsQuotesBlankLinesAndCRLF() throws {
    let dataset = try Dataset.loadCSV(DataFixtures.url("flowers.csv"))
    #expect(dataset.name == "flowers")
    #expect(dataset.classNames == ["setosa", "versicolor", "virginica"])
    #expect(dataset.labels == [0, 1, 2, 0])
    #expect(dataset.features.shape == [4, 2])
    #expect(dataset.features.scalars == [5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0])
  }

  @Test func textLabelsInTheFirstRowAreNotAHeader() throws {
    let dataset = try Dataset.parseCSV("5.1,3.5,setosa\n7.0,3.2,versicolor\n")
    #expect(dataset.count == 2)
    #expect(dataset.classNames == ["setosa", "versicolor"])
  }

  @Test func signedNumericLabelsBecomeSortedClassNames() throws {
    let dataset = try Dataset.parseCSV("1,10\n2,-1\n3,9\n")
    #expect(dataset.classNames == ["-1", "9", "10"])
    #expect(dataset.labels == [2, 0, 1])
  }

  @Test func quotedFieldsKeepDelimitersAndEscapedQuotes() throws {
    let dataset = try Dataset.parseCSV(
      "x,name\n1,\"big, \"\"red\"\"\"\n2,plain\n", labelColumn: .named("name"))
    #expect(dataset.classNames == ["big, \"red\"", "plain"])
  }

  @Test func otherDelimiters() throws {
    let dataset = try Dataset.parseCSV("x;y;label\n1.5;2;0\n", delimiter: ";")
    #expect(dataset.features.scalars == [1.5, 2])
    // A decimal comma is not a number: the field is reported rather than misread.
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("x;y;label\n1,5;2;0\n", source: "d.csv", delimiter: ";")
    }
    #expect(error.found == "1,5")
  }

  @Test func headerCanBeForced() throws {
    let numericHeader = try Dataset.parseCSV("1,2,3\n4,5,0\n", header: true)
    #expect(numericHeader.count == 1)
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("a,b,label\n1,2,0\n", source: "f.csv", header: false)
    }
    #expect(error.message == "expected a number, found \"a\"")
    #expect((error.line, error.column) == (1, 1))
  }

  @Test func infiniteValuesAreRejected() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("x,label\n1e999,0\n", source: "inf.csv")
    }
    #expect(error.message == "expected a finite number in column \"x\", found \"1e999\"")
  }

  // MARK: - Errors (golden text)

  @Test func nonNumericFeature() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("a,b,label\n1,2,0\n3,x7,1\n", source: "inline.csv")
    }
    #expect(error.line == 3)
    #expect(error.column == 2)
    #expect(error.found == "x7")
    #expect(
      error.description
        == "inline.csv, line 3, column 2: expected a number in column \"b\", found \"x7\" "
        + "(hint: feature columns must be numeric; only the label column may hold names)")
  }

  @Test func missingValueInAFile() throws {
    let url = try DataFixtures.url("missing.csv")
    let error = try DataFixtures.dataError { _ = try Dataset.loadCSV(url) }
    #expect(
      error.description
        == "\(url.path), line 3, column 2: expected a number in column \"b\", found an empty "
        + "field (hint: fill in or drop rows with missing values before loading)")
  }

  @Test func missingValueWithoutHeaderNamesNoColumn() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("1,2,0\n4,,1\n", source: "t.csv")
    }
    #expect(error.message == "expected a number, found an empty field")
    #expect((error.line, error.column) == (2, 2))
  }

  @Test func raggedRows() throws {
    let short = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("a,b,label\n1,2,0\n3,4\n", source: "r.csv")
    }
    #expect(
      short.description
        == "r.csv, line 3, column 3: expected 3 fields like the header (line 1), found 2 "
        + "(hint: every row needs the same number of fields; look for a missing or extra "
        + "delimiter)")
    let long = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("1,2,0\n\n3,4,5,6\n", source: "r.csv")
    }
    #expect(long.message == "expected 3 fields like line 1, found 4")
    #expect((long.line, long.column) == (3, 4))
  }

  @Test func unterminatedQuote() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("a,b,label\n1,\"2,0\n", source: "q.csv")
    }
    #expect(
      error.description
        == "q.csv, line 2, column 2: expected a closing quote for the quoted field, found the "
        + "end of the line (hint: quoted fields must end on the same line; write a quote "
        + "inside one as \"\")")
    #expect(error.found == "\"2,0")
  }

  @Test func emptyLabel() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("a,b,label\n1,2,\n", source: "l.csv")
    }
    #expect(error.message == "expected a label, found an empty field")
    #expect((error.line, error.column) == (2, 3))
  }

  @Test func unknownLabelColumnName() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("x,y,z\n1,2,3\n", source: "n.csv", labelColumn: .named("kind"))
    }
    #expect(
      error.description
        == "n.csv, line 1: expected a column named \"kind\", found only \"x\", \"y\", \"z\" "
        + "(hint: column names are matched exactly, including case)")
  }

  @Test func labelColumnNameWithoutHeader() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("1,2,3\n", source: "n.csv", labelColumn: .named("kind"))
    }
    #expect(
      error.description
        == "n.csv: expected a header row to find the label column \"kind\", but the first row "
        + "holds data (hint: pick the label column by index instead, e.g. -1 for the last "
        + "column)")
  }

  @Test func labelColumnIndexOutOfRange() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("1,2,3\n", source: "i.csv", labelColumn: .index(5))
    }
    #expect(
      error.description
        == "i.csv: label column index 5 is out of range for 3 columns (hint: use 0...2, or -1 "
        + "for the last column)")
  }

  @Test func emptyFileAndHeaderOnly() throws {
    let empty = try DataFixtures.dataError { _ = try Dataset.parseCSV("\n \n", source: "e.csv") }
    #expect(empty.description == "e.csv: expected rows of comma-separated values, found none")
    let headerOnly = try DataFixtures.dataError {
      _ = try Dataset.parseCSV("a,label\n", source: "h.csv")
    }
    #expect(
      headerOnly.description
        == "h.csv: expected data rows after the header (line 1), found none")
  }

  @Test func missingFile() throws {
    let error = try DataFixtures.dataError {
      _ = try Dataset.loadCSV(URL(fileURLWithPath: "/nonexistent/data.csv"))
    }
    #expect(error.file == "/nonexistent/data.csv")
    #expect(error.message == "no such file")
  }
}
