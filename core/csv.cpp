#include "gpbo/core/csv.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "gpbo/core/csv_records.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/finite_values.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"

namespace gpbo {
namespace {

[[noreturn]] void fail(const std::string& source, size_t line, size_t column, const std::string& what) {
  throw CsvError(csv_location(source, line, column) + ": " + what);
}

// A column the misspelt `name` may mean: one differing only in case, or, for names of 5
// characters or more, a close one (x1 is one edit from x2, "nope" two from "name").
std::string column_hint(const std::string& name, const std::vector<std::string>& columns) {
  const auto lower = [](std::string t) {
    for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return t;
  };
  for (const auto& c : columns)
    if (c != name && lower(c) == lower(name)) return c;
  return name.size() >= 5 ? did_you_mean(name, columns) : "";
}

// A field read as a number: trimmed of spaces and tabs (a quoted field keeps its inner spaces,
// so " 1.5" reads like an unquoted 1.5), a leading '+' allowed, and with `decimal_comma`
// (semicolon-separated files) one comma and no point read as a decimal comma: "1,5".
struct ScannedNumber {
  std::string_view text;  // the field as parsed (trimmed; points for decimal commas)
  std::string_view shown;  // the field as written (trimmed), for messages
  double value = 0;
  std::errc ec{};
  bool whole = false;  // the whole text was the number
};

std::string_view trimmed(std::string_view f) {
  while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
  while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.remove_suffix(1);
  return f;
}

ScannedNumber scan_number(std::string_view f, bool decimal_comma, std::string& buffer) {
  const std::string_view shown = trimmed(f);
  if (decimal_comma && std::count(f.begin(), f.end(), ',') == 1 && f.find('.') == std::string_view::npos) {
    buffer = std::string(f);
    buffer[buffer.find(',')] = '.';
    f = buffer;
  }
  f = trimmed(f);
  ScannedNumber n{f, shown};
  if (f.empty()) return n;
  const char* begin = f.data();
  if (*begin == '+') {  // from_chars rejects a leading '+'; one sign only ("+-5" is no number)
    ++begin;
    if (begin == f.data() + f.size() || *begin == '-' || *begin == '+') {
      n.ec = std::errc::invalid_argument;
      return n;
    }
  }
  const auto [end, ec] = std::from_chars(begin, f.data() + f.size(), n.value);
  n.ec = ec;
  n.whole = end == f.data() + f.size();
  return n;
}

// Field c of a data record as a finite number (scan_number), or a located error saying why not.
double parse_number(const CsvRecord& record, size_t c, const std::string& column, const std::string& source,
                    bool decimal_comma) {
  std::string buffer;
  const ScannedNumber n = scan_number(record.fields[c], decimal_comma, buffer);
  const std::string_view f = n.shown;  // "1,5" in a semicolon file, not the "1.5" parsed
  const size_t line = record.lines[c];
  if (f.empty()) fail(source, line, c + 1, "empty field in column " + quoted_field(column));
  if (n.ec == std::errc::result_out_of_range && n.whole)
    fail(source, line, c + 1, "number " + quoted_field(f) + " in column " + quoted_field(column) +
                                  " is out of double precision's range (magnitudes about 1e-308 to 1e308)");
  if (n.ec != std::errc() || !n.whole)
    fail(source, line, c + 1, "expected a number in column " + quoted_field(column) + ", found " + quoted_field(f));
  if (!std::isfinite(n.value)) fail(source, line, c + 1, "non-finite value " + quoted_field(f) + " in column " + quoted_field(column));
  return n.value;
}

}  // namespace

std::optional<double> csv_number(std::string_view field, bool decimal_comma) {
  std::string buffer;
  const ScannedNumber n = scan_number(field, decimal_comma, buffer);
  if (n.text.empty() || n.ec != std::errc() || !n.whole || !std::isfinite(n.value)) return std::nullopt;
  return n.value;
}

std::string csv_field(const std::string& text) {
  // ';' and tabs too: a header holding them would make read_csv guess that separator.
  const bool plain = text.find_first_of(",;\t\"\n\r") == std::string::npos &&
                     (text.empty() || (text.front() != ' ' && text.front() != '\t' && text.front() != '#' &&
                                       text.back() != ' ' && text.back() != '\t'));
  if (plain) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string quoted_field(std::string_view text) {
  constexpr std::size_t kShown = 60;
  if (text.size() <= kShown) return "'" + std::string(text) + "'";
  std::size_t cut = kShown;  // not inside a UTF-8 character
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "...' (" + std::to_string(text.size()) + " characters)";
}

std::string csv_location(const std::string& source, std::size_t line, std::size_t column) {
  return source + ":" + std::to_string(line) + ":" + std::to_string(column);
}

bool CsvTable::has_column(const std::string& name) const {
  return std::find(columns.begin(), columns.end(), name) != columns.end();
}

int CsvTable::column_index(const std::string& name) const {
  const auto at = std::find(columns.begin(), columns.end(), name);
  if (at != columns.end()) return static_cast<int>(at - columns.begin());
  if (std::find(header.begin(), header.end(), name) != header.end())
    throw std::logic_error(source + ": column '" + name + "' was not read (not among the wanted columns)");
  const std::string known = join_text(header);
  const std::string hint = column_hint(name, header);
  throw std::invalid_argument(source + ": no column named '" + name + "' (columns: " + known +
                              (hint.empty() ? "" : "; did you mean '" + hint + "'?") + ")");
}

Eigen::VectorXd CsvTable::column(const std::string& name) const { return values.col(column_index(name)); }

std::vector<std::string> CsvTable::names_except(const std::string& excluded) const {
  const int skip = column_index(excluded);
  std::vector<std::string> names;
  for (int i = 0; i < static_cast<int>(columns.size()); ++i)
    if (i != skip) names.push_back(columns[i]);
  return names;
}

std::string CsvTable::location(Eigen::Index row, const std::string& name) const {
  (void)column_index(name);  // throws for a column not read
  const auto field = std::find(header.begin(), header.end(), name) - header.begin();
  return csv_location(source, lines.at(static_cast<size_t>(row)), static_cast<size_t>(field) + 1);
}

Eigen::MatrixXd CsvTable::columns_except(const std::string& excluded) const {
  const int skip = column_index(excluded);
  Eigen::MatrixXd out(values.rows(), values.cols() - 1);
  for (int i = 0, k = 0; i < values.cols(); ++i)
    if (i != skip) out.col(k++) = values.col(i);
  return out;
}

namespace {

// All columns when `wanted` is null.
CsvTable parse(const std::string& text, const std::string& source, const std::vector<std::string>* wanted) {
  CsvTable table;
  table.source = source;
  std::vector<bool> read;  // per file column
  std::vector<double> data;
  const char delimiter = detect_csv_delimiter(text);
  CsvRecordReader reader(text, source, delimiter);
  CsvRecord record;
  bool have_header = false;
  while (reader.next(record)) {
    const auto& fields = record.fields;
    if (!have_header) {
      table.header = fields;
      for (size_t c = 0; c < fields.size(); ++c) {
        read.push_back(!wanted || std::find(wanted->begin(), wanted->end(), fields[c]) != wanted->end());
        if (!read[c]) continue;  // names of columns not read may be anything, even empty or repeated
        if (fields[c].empty()) {
          // R's write.csv() writes its row names as a first column named "".
          fail(source, record.lines[c], c + 1,
               c == 0 ? "empty column name in header (a column of row names, as R's write.csv writes by default? "
                        "write the file with row.names = FALSE, or name the column)"
                      : "empty column name in header");
        }
        if (std::find(table.columns.begin(), table.columns.end(), fields[c]) != table.columns.end())
          fail(source, record.lines[c], c + 1, "duplicate column name " + quoted_field(fields[c]));
        table.columns.push_back(fields[c]);
      }
      have_header = true;
      continue;
    }
    if (fields.size() != read.size()) {
      const size_t c = std::min(fields.size(), read.size());  // the first missing or extra field
      fail(source, record.lines[std::min(c, fields.size() - 1)], c + 1,
           "expected " + std::to_string(read.size()) + " columns, found " + std::to_string(fields.size()));
    }
    for (size_t c = 0; c < fields.size(); ++c)
      if (read[c]) data.push_back(parse_number(record, c, table.header[c], source, delimiter == ';'));
    table.lines.push_back(record.lines.front());
  }
  if (!have_header) throw CsvError(source + ": empty file (expected a header row of column names)");
  const auto rows = static_cast<Eigen::Index>(table.lines.size()), cols = static_cast<Eigen::Index>(table.columns.size());
  table.values = Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(data.data(), rows, cols);
  return table;
}

std::string file_text(const std::string& path) {
  // An ifstream opens a directory on Linux and reads nothing: without this check the
  // message would be "empty file", sending the user to look at a file that is not there.
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) throw CsvError(path + ": is a directory, not a CSV file");
  std::ifstream file(path, std::ios::binary);
  if (!file) throw CsvError(path + ": cannot open file for reading");
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& source) { return parse(text, source, nullptr); }

CsvTable parse_csv(const std::string& text, const std::string& source, const std::vector<std::string>& wanted) {
  return parse(text, source, &wanted);
}

CsvTable read_csv(const std::string& path) { return parse(file_text(path), path, nullptr); }

std::vector<std::vector<std::string>> read_csv_text(const std::string& path, const std::vector<std::string>& names) {
  return csv_text_columns(file_text(path), path, names);
}

std::string read_csv_file(const std::string& path) { return file_text(path); }

std::vector<std::vector<std::string>> csv_text_columns(const std::string& text, const std::string& path,
                                                       const std::vector<std::string>& names) {
  CsvRecordReader reader(text, path, detect_csv_delimiter(text));
  CsvRecord record;
  if (!reader.next(record)) throw CsvError(path + ": empty file (expected a header row of column names)");
  std::vector<std::size_t> at;
  for (const auto& name : names) {
    const std::size_t c = find_csv_column(record, name, path);
    if (c == std::string::npos) {
      const std::string hint = column_hint(name, record.fields);
      throw CsvError(path + ": no column named " + quoted_field(name) + (hint.empty() ? "" : " (did you mean " + quoted_field(hint) + "?)"));
    }
    at.push_back(c);
  }
  const std::size_t width = record.fields.size();
  std::vector<std::vector<std::string>> rows;
  while (reader.next(record)) {
    if (record.fields.size() != width)
      fail(path, record.lines.front(), 1,
           "expected " + std::to_string(width) + " columns, found " + std::to_string(record.fields.size()));
    std::vector<std::string> row;
    for (const std::size_t c : at) row.push_back(record.fields[c]);
    rows.push_back(std::move(row));
  }
  return rows;
}

CsvTable read_csv(const std::string& path, const std::vector<std::string>& wanted) {
  return parse(file_text(path), path, &wanted);
}

void write_csv(const std::string& path, const std::vector<std::string>& columns, const Eigen::MatrixXd& values) {
  if (static_cast<Eigen::Index>(columns.size()) != values.cols())
    throw std::invalid_argument("write_csv: " + std::to_string(columns.size()) + " names for " +
                                std::to_string(values.cols()) + " columns");
  // read_csv refuses NaN and infinities: refuse to write a file it could not read back.
  if (const auto bad = first_non_finite(values))
    throw std::invalid_argument("write_csv: the value in row " + std::to_string(bad->row + 1) + ", column '" +
                                columns[static_cast<std::size_t>(bad->col)] + "' is " + shortest_text(bad->value) +
                                ", which read_csv would refuse");
  std::ofstream out(path);
  if (!out) throw CsvError(path + ": cannot open file for writing");
  for (size_t c = 0; c < columns.size(); ++c) out << (c ? "," : "") << csv_field(columns[c]);
  out << '\n';
  for (Eigen::Index r = 0; r < values.rows(); ++r) {
    for (Eigen::Index c = 0; c < values.cols(); ++c) out << (c ? "," : "") << shortest_text(values(r, c));
    out << '\n';
  }
  if (!out) throw CsvError(path + ": write failed");
}

}  // namespace gpbo
