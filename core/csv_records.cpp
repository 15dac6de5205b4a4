#include "gpbo/core/csv_records.hpp"

#include <algorithm>
#include <stdexcept>

#include "gpbo/core/csv.hpp"

namespace gpbo {

std::size_t find_csv_column(const CsvRecord& header, const std::string& name, const std::string& source) {
  const auto& f = header.fields;
  const auto first = std::find(f.begin(), f.end(), name);
  if (first == f.end()) return std::string::npos;
  const auto at = static_cast<std::size_t>(first - f.begin());
  const auto again = std::find(first + 1, f.end(), name);
  if (again != f.end()) {
    const auto c = static_cast<std::size_t>(again - f.begin());
    throw CsvError(csv_location(source, header.lines.at(c), c + 1) + ": duplicate column name '" + name + "' (also column " +
                   std::to_string(at + 1) + ")");
  }
  return at;
}
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Padding around fields: spaces, and tabs unless they separate the fields.
bool is_blank(char c, char delimiter) { return c == ' ' || (c == '\t' && delimiter != '\t'); }

std::string_view trim(std::string_view s, char delimiter) {
  while (!s.empty() && is_blank(s.front(), delimiter)) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back(), delimiter)) s.remove_suffix(1);
  return s;
}

// Every line break between records as '\n': CRLF (Windows) and a lone CR (classic Mac OS, which
// some spreadsheet exports still write, and which would otherwise join every line into one).
// Inside a quoted field (one that starts with '"') the text is kept as written, CRs included.
std::string with_unix_line_breaks(std::string_view text, char delimiter) {
  std::string out;
  out.reserve(text.size());
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      out += ch;
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') out += text[++i];  // "" is a quote
      else if (ch == '"') quoted = false;
      continue;
    }
    if (ch == '"' && (i == 0 || text[i - 1] == delimiter || text[i - 1] == '\n' || text[i - 1] == '\r')) quoted = true;
    if (ch != '\r') {
      out += ch;
    } else if (i + 1 >= text.size() || text[i + 1] != '\n') {
      out += '\n';
    }
  }
  return out;
}

std::string_view without_byte_order_mark(std::string_view text) {
  // Excel's "CSV UTF-8" starts with one; left in, it would become part of the first column name.
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  return text;
}

// A CSV file is text: a UTF-16 one (what some Windows tools save as "Unicode text") or binary
// data read as fields gave "expected a number ... found '\xff\xfex" or a message cut short at
// its first NUL byte.
void require_text(std::string_view text, const std::string& source) {
  using namespace std::string_view_literals;
  if (text.starts_with("\xFF\xFE\0\0"sv) || text.starts_with("\0\0\xFE\xFF"sv))
    throw CsvError(source + ": the file is UTF-32 text (its byte-order mark says so); save it as UTF-8 or ASCII CSV");
  if (text.starts_with("\xFF\xFE"sv) || text.starts_with("\xFE\xFF"sv))
    throw CsvError(source + ": the file is UTF-16 text (its byte-order mark says so); save it as UTF-8 or ASCII CSV");
  const std::size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return;
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
  const std::size_t previous_break = nul == 0 ? std::string_view::npos : text.rfind('\n', nul - 1);
  const std::size_t column = nul - (previous_break == std::string_view::npos ? 0 : previous_break + 1) + 1;
  throw CsvError(csv_location(source, line, column) + ": a NUL byte: this is not a text file (UTF-16 without a "
                 "byte-order mark, or binary data?); save it as UTF-8 or ASCII CSV");
}

}  // namespace

char detect_csv_delimiter(std::string_view text) {
  // The header read with each candidate: the one that splits it into the most fields wins, a
  // comma on ties; a candidate whose quoting does not parse counts as one field. One whose first
  // row has another width than the header counts only when no candidate fits both (a quoted
  // column name "a;b;c" made three fields of a comma file's header, and none of its rows).
  char best = ',', best_fitting = 0;
  std::size_t best_fields = 0, best_fitting_fields = 0;
  for (const char delimiter : {',', '\t', ';'}) {
    std::size_t fields = 1;
    bool fits = false;
    try {
      CsvRecordReader reader(text, "", delimiter);
      CsvRecord header, row;
      if (reader.next(header)) {
        fields = header.fields.size();
        fits = !reader.next(row) || row.fields.size() == fields;
      }
    } catch (const CsvError&) {
    }
    if (fields > best_fields) {
      best = delimiter;
      best_fields = fields;
    }
    if (fits && fields > 1 && fields > best_fitting_fields) {  // one field splits nothing: no evidence
      best_fitting = delimiter;
      best_fitting_fields = fields;
    }
  }
  return best_fitting ? best_fitting : best;
}

CsvRecordReader::CsvRecordReader(std::string_view text, std::string source, char delimiter)
    : text_(text), source_(std::move(source)), delimiter_(delimiter) {
  if (delimiter != ',' && delimiter != ';' && delimiter != '\t')
    throw std::invalid_argument("CsvRecordReader: the delimiter must be ',', ';' or a tab");
  if (text.find('\r') != std::string_view::npos) {
    own_ = with_unix_line_breaks(text, delimiter);
    text_ = own_;
  }
  require_text(text_, source_);
  pos_ = text_.size() - without_byte_order_mark(text_).size();
}

bool CsvRecordReader::next(CsvRecord& record) {
  while (pos_ < text_.size()) {  // blank and comment lines
    const std::size_t end = std::min(text_.find('\n', pos_), text_.size());
    const std::string_view line = trim(text_.substr(pos_, end - pos_), delimiter_);
    if (!line.empty() && line.front() != '#') break;
    if (!line.empty() && header_fields_ >= 2 &&
        static_cast<std::size_t>(std::count(line.begin(), line.end(), delimiter_)) + 1 == header_fields_) {
      throw CsvError(csv_location(source_, line_, 1) + ": this line starts with '#', which marks a comment, but has the " +
                     std::to_string(header_fields_) + " fields of a row; if it is a row (an id such as #1), quote " +
                     "its first field (\"#1\"), otherwise remove the line (skipping it would shift every later row)");
    }
    pos_ = end + 1;
    ++line_;
  }
  if (pos_ >= text_.size()) return false;
  record.fields.clear();
  record.lines.clear();
  for (;;) {
    read_field(record);
    const bool end_of_record = pos_ >= text_.size() || text_[pos_] == '\n';
    if (!end_of_record) {
      ++pos_;
      continue;
    }
    if (header_fields_ == 0) header_fields_ = record.fields.size();
    if (pos_ < text_.size()) {
      ++pos_;
      ++line_;
    }
    return true;
  }
}

void CsvRecordReader::read_field(CsvRecord& record) {
  const std::size_t column = record.fields.size() + 1;
  while (pos_ < text_.size() && is_blank(text_[pos_], delimiter_)) ++pos_;
  record.lines.push_back(line_);
  if (pos_ >= text_.size() || text_[pos_] != '"') {
    const char ends[] = {delimiter_, '\n', '\0'};
    const std::size_t end = std::min(text_.find_first_of(ends, pos_), text_.size());
    record.fields.emplace_back(trim(text_.substr(pos_, end - pos_), delimiter_));
    pos_ = end;
    return;
  }
  const std::size_t open_line = line_;
  std::string field;
  for (++pos_;; ++pos_) {
    if (pos_ >= text_.size())
      throw CsvError(csv_location(source_, open_line, column) + ": quoted field has no closing quote");
    const char c = text_[pos_];
    if (c == '"') {
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        field += '"';
        ++pos_;
        continue;
      }
      ++pos_;
      break;
    }
    if (c == '\n') ++line_;
    field += c;
  }
  while (pos_ < text_.size() && is_blank(text_[pos_], delimiter_)) ++pos_;
  if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n')
    throw CsvError(csv_location(source_, line_, column) + ": unexpected text after the closing quote");
  record.fields.push_back(std::move(field));
}

}  // namespace gpbo
