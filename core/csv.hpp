#pragma once
// Numeric CSV tables: the one file format shared by the CLI, the built-in MCMC models and the
// benchmarks. A table has one header row of column names, then rows of finite numbers.
// Every parse error names the file, the 1-based line and column, and what was expected.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gpbo {

/// Thrown for unreadable or malformed CSV; what() reads "FILE:LINE:COLUMN: message".
class CsvError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// "SOURCE:LINE:COLUMN", the prefix of located messages; COLUMN is the 1-based field number.
std::string csv_location(const std::string& source, std::size_t line, std::size_t column);

/// A field's text in quotes for a message: 'text', or its first 60 bytes and its length when
/// longer (a 10 MB cell made a 10 MB message).
std::string quoted_field(std::string_view text);

/// A numeric table: column names and a rows x columns matrix of finite values.
struct CsvTable {
  std::string source;                // where the table came from (the file path), named in errors
  std::vector<std::string> header;   // every column of the file, in file order
  std::vector<std::string> columns;  // the columns read: all of `header`, or the wanted ones
  Eigen::MatrixXd values;            // one row per data line, one column per entry of `columns`
  std::vector<std::size_t> lines;    // the file line each row starts on (not row + 2: blank and
                                     // comment lines are skipped)

  /// Whether the named column was read.
  [[nodiscard]] bool has_column(const std::string& name) const;
  /// Index of a named column; throws std::invalid_argument naming the source and listing the
  /// file's columns when the file has none of that name.
  [[nodiscard]] int column_index(const std::string& name) const;
  /// The named column as a vector.
  [[nodiscard]] Eigen::VectorXd column(const std::string& name) const;
  /// All columns except `excluded`, in file order (e.g. the inputs beside a target column).
  [[nodiscard]] Eigen::MatrixXd columns_except(const std::string& excluded) const;
  [[nodiscard]] std::vector<std::string> names_except(const std::string& excluded) const;
  /// "SOURCE:LINE:COLUMN" of the value in 0-based `row` of the named column, for messages about it.
  [[nodiscard]] std::string location(Eigen::Index row, const std::string& name) const;
};

/// Reads a CSV file with a header row. Fields are separated by commas, or by semicolons or tabs
/// when the header has more of those than commas (detect_csv_delimiter in core/csv_records.hpp);
/// in a semicolon-separated file a decimal comma ("1,5", as spreadsheets in such locales write)
/// reads as a decimal point. Blank lines and lines starting with '#' are skipped; fields may be
/// surrounded by spaces, and may be double-quoted (RFC 4180: a quoted field may hold the
/// separator, "" is a literal quote; a quoted number is a number). A leading UTF-8 byte-order mark
/// is ignored. NaN, infinities, empty fields, text where a number is expected and rows of the
/// wrong width are errors. An empty table (header only) is allowed.
CsvTable read_csv(const std::string& path);

/// Reads only the `wanted` columns that the file has, as above; the file's other columns count
/// for the row width but are not parsed, so text or empty fields there are fine. A wanted column
/// missing from the file is not an error here: column() reports it, naming the file.
CsvTable read_csv(const std::string& path, const std::vector<std::string>& wanted);

/// The named columns of a CSV file as text, one vector per data row (in the rows' order, as
/// read_csv reads them): for columns that are carried along, such as ids.
std::vector<std::vector<std::string>> read_csv_text(const std::string& path, const std::vector<std::string>& names);
/// The same from text already read (`source` names it in errors).
std::vector<std::vector<std::string>> csv_text_columns(const std::string& text, const std::string& source,
                                                       const std::vector<std::string>& names);

/// A CSV file's whole text, read once (so that a pipe such as /dev/stdin can be parsed several
/// ways); CsvError when it cannot be read or is a directory.
std::string read_csv_file(const std::string& path);

/// Parses CSV text (all columns, or the wanted ones); `source` names it in error messages.
CsvTable parse_csv(const std::string& text, const std::string& source);
CsvTable parse_csv(const std::string& text, const std::string& source, const std::vector<std::string>& wanted);

/// A CSV field as read_csv reads a number (spaces around it trimmed, a leading '+'; with
/// decimal_comma, as in semicolon-separated files, one comma and no point is a decimal comma);
/// nothing when it is empty, not a number, or not finite. For readers with their own messages.
std::optional<double> csv_number(std::string_view field, bool decimal_comma);

/// `text` as one CSV field: as is, or double-quoted with " doubled (RFC 4180) where read_csv would
/// read it otherwise (a comma, semicolon, tab, quote or line break in it, spaces around it, a
/// leading '#').
std::string csv_field(const std::string& text);

/// Writes a table with a header row (names quoted where needed); values printed with full
/// (round-trip) precision. Throws std::invalid_argument for a NaN or infinite value, which
/// read_csv would refuse, before the file is opened.
void write_csv(const std::string& path, const std::vector<std::string>& columns,
               const Eigen::MatrixXd& values);

}  // namespace gpbo
