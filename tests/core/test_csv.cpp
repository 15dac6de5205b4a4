#include <catch2/catch.hpp>

#include <cstdio>
#include <limits>
#include <fstream>

#include "gpbo/core/csv.hpp"
#include "gpbo/core/csv_records.hpp"

using gpbo::CsvError;
using gpbo::parse_csv;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_csv(text, "data.csv");
  } catch (const CsvError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("csv: parses a header and numeric rows, skipping blanks and comments") {
  const auto t = parse_csv("# comment\nx1, x2,y\n1,2.5,-3e2\n\n+4, 5 ,6\r\n", "data.csv");
  REQUIRE(t.columns == std::vector<std::string>{"x1", "x2", "y"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 2) == -300.0);
  CHECK(t.values(1, 0) == 4.0);
  CHECK(t.column("x2")(1) == 5.0);
  const auto X = t.columns_except("x2");
  CHECK(X.cols() == 2);
  CHECK(X(1, 1) == 6.0);
  CHECK(t.names_except("y") == std::vector<std::string>{"x1", "x2"});
}

TEST_CASE("csv: a '#' line shaped like a row is refused, not skipped (ids such as #1)") {
  // Skipping "#2,5" silently fitted 2 of 3 rows and shifted predictions against their inputs.
  CHECK_THROWS_WITH(parse_csv("id,y\n1,4\n#2,5\n3,6\n", "ids.csv"),
                    Catch::StartsWith("ids.csv:3:1: this line starts with '#'") && Catch::Contains("quote its first field"));
  const auto quoted = parse_csv("id,y\n\"#1\",4\n", "ids.csv", {"y"});
  CHECK(quoted.values.rows() == 1);
  // Comments of another shape stay comments, before and after the header (CmdStan's layout).
  const auto t = parse_csv("# model = m\nlp__,a,b\n# Step size = 0.5\n# 1, 2\n-1,2,3\n# Elapsed\n", "draws.csv");
  CHECK(t.values.rows() == 1);
  CHECK(parse_csv("# a, b, c\nx,y,z\n1,2,3\n", "top.csv").values.rows() == 1);  // before the header
}

TEST_CASE("csv: one sign per number, and line breaks inside quoted text kept as written") {
  CHECK(error_of("a,b\n1,+-5\n") == "data.csv:2:2: expected a number in column 'b', found '+-5'");
  CHECK(error_of("a,b\n1,++5\n") == "data.csv:2:2: expected a number in column 'b', found '++5'");
  CHECK(error_of("a,b\n1,+\n") == "data.csv:2:2: expected a number in column 'b', found '+'");
  CHECK(parse_csv("a\n+5\n", "data.csv").values(0, 0) == 5.0);
  // CRLF files: the breaks between records are lines, a CRLF inside a quoted field is text.
  const std::string path = "csv_crlf_test.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "x,note\r\n1,\"line1\r\nline2\"\r\n2,\"a\rb\"\r\n";
  }
  const auto rows = gpbo::read_csv_text(path, {"note"});
  REQUIRE(rows.size() == 2);
  CHECK(rows[0][0] == "line1\r\nline2");
  CHECK(rows[1][0] == "a\rb");
  CHECK(gpbo::read_csv(path, {"x"}).values.col(0) == Eigen::Vector2d(1, 2));
  std::remove(path.c_str());
}

TEST_CASE("csv: CR-only and mixed line breaks read as lines") {
  // Classic Mac OS line breaks (lone CR), and a lone CR inside an otherwise CRLF file.
  for (const std::string text : {"a,b\r1,2\r3,4\r", "a,b\r\n1,2\r3,4\r\n", "a,b\r\n1,2\r\n3,4"}) {
    const gpbo::CsvTable t = parse_csv(text, "data.csv");
    INFO(text);
    REQUIRE(t.values.rows() == 2);
    CHECK(t.values(1, 1) == 4.0);
  }
  CHECK(error_of("a,b\r1,2\r3\r") == "data.csv:3:2: expected 2 columns, found 1");
}

TEST_CASE("csv: errors name file, line, column and the problem") {
  CHECK(error_of("a,b\n1,2\n3\n") == "data.csv:3:2: expected 2 columns, found 1");
  CHECK(error_of("a,b\n1,zz\n") == "data.csv:2:2: expected a number in column 'b', found 'zz'");
  // A huge cell is cut in the message (a 10 MB cell made a 10 MB message).
  CHECK(error_of("a,b\n1," + std::string(100000, 'z') + "\n") ==
        "data.csv:2:2: expected a number in column 'b', found '" + std::string(60, 'z') + "...' (100000 characters)");
  CHECK(gpbo::quoted_field("\xc3\xa9" + std::string(70, 'e')).find("'\xc3\xa9" + std::string(58, 'e') + "...'") == 0);
  CHECK(error_of("a,b\n1,nan\n") == "data.csv:2:2: non-finite value 'nan' in column 'b'");
  CHECK(error_of("a,b\n1,inf\n") == "data.csv:2:2: non-finite value 'inf' in column 'b'");
  CHECK(error_of("a,b\n1,1e400\n") ==
        "data.csv:2:2: number '1e400' in column 'b' is out of double precision's range (magnitudes about 1e-308 to 1e308)");
  CHECK(error_of("a,b\n-1e-400,1\n").find("data.csv:2:1: number '-1e-400' in column 'a' is out of") == 0);
  CHECK(error_of("a,b\n1,\n") == "data.csv:2:2: empty field in column 'b'");
  CHECK(error_of("a,a\n") == "data.csv:1:2: duplicate column name 'a'");
  CHECK(error_of("a,,b\n") == "data.csv:1:2: empty column name in header");
  // R's write.csv() default: row names in a first column named "".
  CHECK(error_of("\"\",\"x\",\"y\"\n\"1\",0.5,2\n") ==
        "data.csv:1:1: empty column name in header (a column of row names, as R's write.csv writes by default? "
        "write the file with row.names = FALSE, or name the column)");
  CHECK(error_of("") == "data.csv: empty file (expected a header row of column names)");
  CHECK(error_of("a,b\n1,2,3\n") == "data.csv:2:3: expected 2 columns, found 3");
}

TEST_CASE("csv: double-quoted fields as R's write.csv and pandas QUOTE_NONNUMERIC write them") {
  // Quoted names and numbers, CRLF line ends; a quoted field may hold commas, "" and line breaks.
  const auto t = parse_csv("\"x 1\",\"a,b\",\"say \"\"hi\"\"\"\r\n\"0.5\", 2 ,\" -3e2 \"\r\n1,\"+4\",5\r\n", "data.csv");
  REQUIRE(t.columns == std::vector<std::string>{"x 1", "a,b", "say \"hi\""});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 0) == 0.5);
  CHECK(t.values(0, 2) == -300.0);
  CHECK(t.values(1, 1) == 4.0);
  const auto multi = parse_csv("\"a\nb\",c\n1,2\n", "data.csv");
  CHECK(multi.columns == std::vector<std::string>{"a\nb", "c"});
  CHECK(multi.values.rows() == 1);
}

TEST_CASE("csv: quoting errors are located; lines count the breaks inside quoted fields") {
  CHECK(error_of("a,b\n1,\"2\n3,4\n") == "data.csv:2:2: quoted field has no closing quote");
  CHECK(error_of("a,b\n1,\"2\"x\n") == "data.csv:2:2: unexpected text after the closing quote");
  CHECK(error_of("a,b\n1,\"\"\n") == "data.csv:2:2: empty field in column 'b'");
  CHECK(error_of("a,b\n\"1,2\",3\n") == "data.csv:2:1: expected a number in column 'a', found '1,2'");
  CHECK(error_of("\"a\nb\",c\n1,x\n") == "data.csv:3:2: expected a number in column 'c', found 'x'");
  CHECK(error_of("a,\"b\"\"\n1,2\n") == "data.csv:1:2: quoted field has no closing quote");
}

TEST_CASE("csv: a UTF-8 byte-order mark (Excel's CSV UTF-8) is not part of the first column name") {
  const auto t = parse_csv("\xEF\xBB\xBFx1,y\n1,2\n", "data.csv");
  CHECK(t.columns == std::vector<std::string>{"x1", "y"});
  CHECK(parse_csv("\xEF\xBB\xBF\"x1\",y\n1,2\n", "data.csv").columns.front() == "x1");
  CHECK(error_of("\xEF\xBB\xBF") == "data.csv: empty file (expected a header row of column names)");
}

TEST_CASE("csv: a UTF-16 file or binary data is refused as such, a NUL byte by line and column") {
  // Read as fields, they gave "found '\xff\xfex" or a message cut short at the NUL byte.
  const std::string utf16("\xFF\xFEx\0,\0y\0\n\0", 10);
  CHECK(error_of(utf16) == "data.csv: the file is UTF-16 text (its byte-order mark says so); save it as UTF-8 or ASCII CSV");
  CHECK(error_of("\xFE\xFF\0x") == "data.csv: the file is UTF-16 text (its byte-order mark says so); save it as UTF-8 or ASCII CSV");
  CHECK(error_of(std::string("\xFF\xFE\0\0x\0\0\0", 8)) ==
        "data.csv: the file is UTF-32 text (its byte-order mark says so); save it as UTF-8 or ASCII CSV");
  const std::string nul = "x,y\r\n1,2\r\n0.5" + std::string(1, '\0') + ",3\n";
  CHECK(error_of(nul) == "data.csv:3:4: a NUL byte: this is not a text file (UTF-16 without a byte-order mark, or binary "
                         "data?); save it as UTF-8 or ASCII CSV");
  CHECK(error_of(std::string("\0a,b\n", 5)).starts_with("data.csv:1:1: a NUL byte"));
}

TEST_CASE("csv: header-only file is an empty table; unknown column is an error naming the file") {
  const auto t = parse_csv("a,b\n", "x.csv");
  CHECK(t.values.rows() == 0);
  CHECK(t.values.cols() == 2);
  CHECK_THROWS_WITH(t.column("c"), "x.csv: no column named 'c' (columns: a, b)");
  CHECK_THROWS_WITH(t.column("A"), "x.csv: no column named 'A' (columns: a, b; did you mean 'a'?)");
}

TEST_CASE("csv: with wanted columns, the others are not parsed and may hold text or nothing") {
  const std::string text = "name,x2,,note,x1,note\nrow2,0.5,,,1,\n\"a, b\",-2,3,\"\",+4,z\n";
  const auto t = parse_csv(text, "data.csv", {"x1", "x2", "y"});
  CHECK(t.header == std::vector<std::string>{"name", "x2", "", "note", "x1", "note"});
  REQUIRE(t.columns == std::vector<std::string>{"x2", "x1"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.column("x1")(1) == 4.0);
  CHECK(t.column("x2")(1) == -2.0);
  CHECK(t.has_column("x1"));
  CHECK_FALSE(t.has_column("y"));
  CHECK_THROWS_WITH(t.column("y"), "data.csv: no column named 'y' (columns: name, x2, , note, x1, note)");
  CHECK_THROWS_AS(t.column("note"), std::logic_error);
  // The wanted columns are checked as always, and every row still needs the header's width.
  CHECK_THROWS_WITH(parse_csv("a,b\n1,\n", "data.csv", {"b"}), "data.csv:2:2: empty field in column 'b'");
  CHECK_THROWS_WITH(parse_csv("a,b\nx,1,2\n", "data.csv", {"b"}), "data.csv:2:3: expected 2 columns, found 3");
  CHECK_THROWS_WITH(parse_csv("b,a,b\n1,x,2\n", "data.csv", {"b"}), "data.csv:1:3: duplicate column name 'b'");
  CHECK(parse_csv("a,b\nx,y\n", "data.csv", {"c"}).values.rows() == 1);
}

TEST_CASE("csv: rows remember the file line they start on; location() points at a value") {
  const auto t = parse_csv("# c\na,b\n1,2\n\n# c\n3,4\n", "data.csv");
  CHECK(t.lines == std::vector<std::size_t>{3, 6});
  CHECK(t.location(1, "b") == "data.csv:6:2");
  const auto w = parse_csv("note,b\n\"two\nlines\",1\n,3\n", "data.csv", {"b"});
  CHECK(w.lines == std::vector<std::size_t>{2, 4});
  CHECK(w.location(1, "b") == "data.csv:4:2");
}

TEST_CASE("csv: csv_field quotes exactly what would not read back as written") {
  CHECK(gpbo::csv_field("x1") == "x1");
  CHECK(gpbo::csv_field("") == "");
  CHECK(gpbo::csv_field("a b") == "a b");
  CHECK(gpbo::csv_field("a,b") == "\"a,b\"");
  CHECK(gpbo::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(gpbo::csv_field(" y") == "\" y\"");
  CHECK(gpbo::csv_field("#id") == "\"#id\"");
  CHECK(gpbo::csv_field("a\nb") == "\"a\nb\"");
  // The separators read_csv may guess from a header: a name holding one is quoted too.
  CHECK(gpbo::csv_field("a;b") == "\"a;b\"");
  CHECK(gpbo::csv_field("a\tb") == "\"a\tb\"");
}

TEST_CASE("csv: write then read round-trips values exactly") {
  Eigen::MatrixXd v(2, 2);
  v << 0.1, 1.0 / 3.0, -2e-300, 12345.678901234567;
  const std::string path = "csv_roundtrip_test.csv";
  gpbo::write_csv(path, {"p", "q"}, v);
  const auto t = gpbo::read_csv(path);
  CHECK(t.values == v);
  const std::vector<std::string> odd = {"#id", "a,b", " c\"d", "e;f;g", "h\ti"};  // names R or pandas may write
  gpbo::write_csv(path, odd, Eigen::MatrixXd::Ones(1, 5));
  CHECK(gpbo::read_csv(path).columns == odd);
  // What read_csv would refuse is not written.
  Eigen::MatrixXd bad = Eigen::MatrixXd::Ones(2, 2);
  bad(1, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(gpbo::write_csv(path, {"p", "q"}, bad), "write_csv: the value in row 2, column 'p' is nan, which read_csv would refuse");
  std::remove(path.c_str());
  CHECK_THROWS_WITH(gpbo::read_csv("/nonexistent/f.csv"), "/nonexistent/f.csv: cannot open file for reading");
  // A directory opens as an empty stream: say what it is rather than "empty file".
  CHECK_THROWS_WITH(gpbo::read_csv("."), ".: is a directory, not a CSV file");
  CHECK_THROWS_WITH(gpbo::read_csv(".", {"x"}), ".: is a directory, not a CSV file");
}

TEST_CASE("csv: read_csv_text keeps named columns as text, row for row with read_csv") {
  const std::string path = "csv_text_columns_test.csv";
  {
    std::ofstream out(path);
    out << "id,x,note\n# a comment line\nA,1,\"first, row\"\n\nB,2,\n";
  }
  const auto rows = gpbo::read_csv_text(path, {"note", "id"});
  REQUIRE(rows.size() == 2);
  REQUIRE(gpbo::read_csv(path, {"x"}).values.rows() == 2);  // the same rows: comments and blanks skipped
  CHECK(rows[0] == std::vector<std::string>{"first, row", "A"});
  CHECK(rows[1] == std::vector<std::string>{"", "B"});
  CHECK_THROWS_WITH(gpbo::read_csv_text(path, {"key"}), path + ": no column named 'key'");
  {
    std::ofstream out(path);
    out << "id,x\nA,1\nB\n";
  }
  CHECK_THROWS_WITH(gpbo::read_csv_text(path, {"id"}), path + ":3:1: expected 2 columns, found 1");
  {
    std::ofstream out(path);
    out << "id,x,id\nA,1,B\n";
  }
  CHECK_THROWS_WITH(gpbo::read_csv_text(path, {"id"}), path + ":1:3: duplicate column name 'id' (also column 1)");
  CHECK(gpbo::read_csv_text(path, {"x"}).size() == 1);  // a repeated column that is not read does no harm
  std::remove(path.c_str());
}

TEST_CASE("csv: the separator is guessed from the header: semicolons, tabs or commas") {
  using gpbo::detect_csv_delimiter;
  CHECK(detect_csv_delimiter("x,y\n1,2\n") == ',');
  CHECK(detect_csv_delimiter("x;y;z\n1;2;3\n") == ';');
  CHECK(detect_csv_delimiter("x\ty\n1\t2\n") == '\t');
  CHECK(detect_csv_delimiter("y\n1\n") == ',');  // one column: nothing to separate
  // A quoted column name holding ';' split a comma file's header, not its rows.
  CHECK(detect_csv_delimiter("id,\"a;b;c;d\",value\n0,1,2\n") == ',');
  CHECK(detect_csv_delimiter("x;y\n1,5;2,5\n") == ';');       // decimal commas
  CHECK(detect_csv_delimiter("x,y,z\n1\n") == ',');           // a short row is the file's error, not another delimiter
  CHECK(detect_csv_delimiter("x,y\n") == ',');
  // Comments, blank lines and a byte-order mark come before the header; quoted text does not count.
  CHECK(detect_csv_delimiter("\xEF\xBB\xBF# made by hand\n\n\"a,b\";\"c,d\"\n1;2\n") == ';');
  CHECK(detect_csv_delimiter("\"a;b\",c\n1,2\n") == ',');
  CHECK(detect_csv_delimiter("a;b,c\n") == ',');  // a tie keeps the comma
}

TEST_CASE("csv: semicolon-separated files with decimal commas, as spreadsheets in such locales save them") {
  const auto t = parse_csv("x;\"y; z\";w\n1,5;2;-0,25\n3e2 ; \"4,5\" ;6.5\n", "data.csv");
  REQUIRE(t.columns == std::vector<std::string>{"x", "y; z", "w"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 0) == 1.5);
  CHECK(t.values(0, 2) == -0.25);
  CHECK(t.values(1, 0) == 300.0);
  CHECK(t.values(1, 1) == 4.5);
  CHECK(t.values(1, 2) == 6.5);
  // Errors are located in the same way; two commas are not a number.
  CHECK(error_of("a;b\n1;1,2,3\n") == "data.csv:2:2: expected a number in column 'b', found '1,2,3'");
  CHECK(error_of("a;b\n1;ab,c\n") == "data.csv:2:2: expected a number in column 'b', found 'ab,c'");  // as written (was 'ab.c')
  CHECK(error_of("a;b\n1;2;3\n") == "data.csv:2:3: expected 2 columns, found 3");
  // R's write.csv2() writes row names in a first column named "" too.
  CHECK(error_of("\"\";\"x\"\n\"1\";0,5\n").starts_with("data.csv:1:1: empty column name in header (a column of row names"));
  // In a comma-separated file a decimal comma splits the field, and the row is too wide.
  CHECK(error_of("a,b\n1,2,5\n") == "data.csv:2:3: expected 2 columns, found 3");
}

TEST_CASE("csv: tab-separated files; spaces around fields are trimmed, tabs separate") {
  const auto t = parse_csv("x\ty z\tw\n1\t 2 \t3\n\"4\"\t5\t-6e-1\r\n", "data.tsv");
  REQUIRE(t.columns == std::vector<std::string>{"x", "y z", "w"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 1) == 2.0);
  CHECK(t.values(1, 0) == 4.0);
  CHECK(t.values(1, 2) == -0.6);
  CHECK(error_of("a\tb\n1\t\n") == "data.csv:2:2: empty field in column 'b'");
  CHECK(error_of("a\tb\n1\t2\t\n") == "data.csv:2:3: expected 2 columns, found 3");
}

TEST_CASE("csv: find_csv_column finds a header's column, refusing a repeated name where it repeats") {
  const gpbo::CsvRecord header{{"a", "b", "a"}, {1, 1, 2}};  // the second "a" starts on line 2
  CHECK(gpbo::find_csv_column(header, "b", "h.csv") == 1);
  CHECK(gpbo::find_csv_column(header, "c", "h.csv") == std::string::npos);
  CHECK_THROWS_WITH(gpbo::find_csv_column(header, "a", "h.csv"), "h.csv:2:3: duplicate column name 'a' (also column 1)");
}
