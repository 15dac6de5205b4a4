#pragma once
// The syntax layer of core/csv.hpp: splits CSV text into records of text fields (RFC 4180
// quoting), remembering the file line each field starts on so that errors can point at it.
// What the fields mean (header, numbers) is read_csv's business.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gpbo {

/// One record (row) of a CSV file.
struct CsvRecord {
  std::vector<std::string> fields;  // quotes removed, "" unescaped; unquoted fields trimmed
  std::vector<std::size_t> lines;   // the 1-based file line each field starts on
};

/// The field separator of CSV text, guessed from its first record (the header): a tab or a
/// semicolon when the header, read with it, has more fields than read with commas (so separators
/// inside double quotes do not count), else a comma.
/// Spreadsheets in locales with a decimal comma write ';'; "tab-separated" files write tabs.
char detect_csv_delimiter(std::string_view text);

/// Where column `name` is in a header record (0-based), or npos when it has none. A name the
/// header repeats is a CsvError at its second place ("SOURCE:LINE:COLUMN: duplicate column name
/// 'x' (also column 2)"): which copy holds the data would be a guess.
std::size_t find_csv_column(const CsvRecord& header, const std::string& name, const std::string& source);

/// Reads records from CSV text. Fields are separated by `delimiter` (',', ';' or '\t'); a field in
/// double quotes may hold delimiters, line breaks and "" for a literal quote, and keeps its
/// spaces; an unquoted field is trimmed of spaces and tabs (of spaces only when tabs separate
/// fields). Line breaks may be LF, CRLF or a lone CR (classic Mac OS exports). Blank lines and lines whose first non-blank character is
/// '#' are skipped, except that after the first record (the header) a '#' line with as many
/// delimiter-separated fields as the header (two or more) is an error: it is most likely a row
/// whose first field is an id such as #1, and skipping it would shift every later row. A UTF-8
/// byte-order mark at the start is ignored.
class CsvRecordReader {
 public:
  /// `text` must outlive the reader; `source` names it in error messages.
  CsvRecordReader(std::string_view text, std::string source, char delimiter = ',');
  CsvRecordReader(const CsvRecordReader&) = delete;  // text_ may view own_
  CsvRecordReader& operator=(const CsvRecordReader&) = delete;

  /// Reads the next record into `record`; false at the end of the text. Throws CsvError
  /// ("SOURCE:LINE:COLUMN: ...") for a quoted field without its closing quote or with text
  /// after it.
  bool next(CsvRecord& record);

 private:
  void read_field(CsvRecord& record);  // appends the field at pos_, leaving pos_ at its delimiter

  std::string own_;  // the text with every line break as '\n', when it had a CR
  std::string_view text_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  char delimiter_;
  std::size_t header_fields_ = 0;  // fields of the first record, once read
};

}  // namespace gpbo
