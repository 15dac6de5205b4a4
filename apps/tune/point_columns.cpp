#include "tune/point_columns.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <system_error>
#include <variant>

#include "gpbo/core/csv.hpp"

namespace gpbo::tune {
namespace {

bool same_ignoring_case(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// The value `text` stands for in parameter p; a message saying why not, otherwise.
bo::Value value_of(const bo::Parameter& p, const std::string& text, bool decimal_comma, const std::string& where) {
  if (p.kind == bo::Parameter::Kind::Categorical) {
    for (const auto& choice : p.choices)
      if (bo::to_string(choice) == text) return choice;
    // A numeric choice written another way ("32.0" or "3.2e1" for 32, ".25" for 0.25, as other
    // tools write numbers) is that choice.
    if (const auto x = csv_number(text, decimal_comma))
      for (const auto& choice : p.choices)
        if (!std::holds_alternative<std::string>(choice) && bo::as_double(choice) == *x) return choice;
    // An empty cell or a choice in other letter case is a mistake in the file; any other text is
    // outside the space, as a number beyond a range is (a run whose choices were pruned since).
    if (text.empty()) throw CsvError(where + ": empty cell; expected one of the choices of " + p.name);
    for (const auto& choice : p.choices)
      if (same_ignoring_case(bo::to_string(choice), text))
        throw CsvError(where + ": '" + text + "' is not one of the choices of " + p.name + " (did you mean '" +
                       bo::to_string(choice) + "'?)");
    throw PointOutsideSpace(where + ": '" + text + "' is not one of the choices of " + p.name);
  }
  // An integer's digits read exactly: as a double, 2^53 + 1 became 2^53 and passed the bounds.
  if (p.kind == bo::Parameter::Kind::Integer) {
    std::int64_t whole = 0;
    const char* begin = text.data() + (text.size() > 1 && text[0] == '+' && std::isdigit(static_cast<unsigned char>(text[1])));
    const auto [end, ec] = std::from_chars(begin, text.data() + text.size(), whole);
    if (end == text.data() + text.size() && ec == std::errc()) return whole;
    if (end == text.data() + text.size() && ec == std::errc::result_out_of_range)
      throw PointOutsideSpace(where + ": " + text + " is outside the range of " + p.name);
  }
  const auto x = csv_number(text, decimal_comma);
  if (!x) throw CsvError(where + ": expected a number for " + p.name + ", got " + quoted_field(text));
  // From 2^52 on, doubles are whole numbers: "9007199254740991.5" would round to one.
  if (p.kind == bo::Parameter::Kind::Integer && std::abs(*x) >= 4503599627370496.0 && *x >= p.low && *x <= p.high)  // outside: skipped as such
    throw CsvError(where + ": " + quoted_field(text) + " for " + p.name + " is too large to read exactly in this form: write the integer's digits");
  return bo::as_parameter_value(p, *x);
}

// Whether a cell holds a fixed parameter's value: its text, or the same number written another
// way ("10.0" for 10).
bool is_fixed_value(const bo::Parameter& p, const std::string& text, bool decimal_comma) {
  if (bo::to_string(p.value) == text) return true;
  if (std::holds_alternative<std::string>(p.value)) return false;
  const auto x = csv_number(text, decimal_comma);
  return x && *x == bo::as_double(p.value);
}

}  // namespace

PointColumns::PointColumns(const CsvRecord& header, const bo::Space& space, std::string path, char delimiter)
    : space_(space), path_(std::move(path)), decimal_comma_(delimiter == ';'), header_width_(header.fields.size()) {
  for (const auto& p : space.parameters()) {
    const std::size_t at = find_csv_column(header, p.name, path_);
    if (p.kind != bo::Parameter::Kind::Fixed && at == std::string::npos)
      throw CsvError(csv_location(path_, 1, 1) + ": no column '" + p.name + "' (a parameter of the space)");
    column_.push_back(at == std::string::npos ? header.fields.size() : at);
  }
}

std::string PointColumns::location(const CsvRecord& row, std::size_t column) const {
  return csv_location(path_, row.lines.at(std::min(column, row.lines.size() - 1)), column + 1);
}

void PointColumns::check_width(const CsvRecord& row) const {
  if (row.fields.size() != header_width_)
    throw CsvError(location(row, 0) + ": " + std::to_string(row.fields.size()) + " fields where the header has " +
                   std::to_string(header_width_));
}

bo::Point PointColumns::read(const CsvRecord& row) const {
  check_width(row);
  bo::Point point;
  for (std::size_t i = 0; i < space_.size(); ++i) {
    const bo::Parameter& p = space_.parameters()[i];
    const std::size_t c = column_[i];
    const bool fixed = p.kind == bo::Parameter::Kind::Fixed;
    if (fixed && (c >= row.fields.size() || row.fields[c].empty())) continue;  // a fixed one's column may be left out or blank
    // A conditional parameter that is inactive here has an empty cell (results.csv writes one).
    // Parents come first in the space, so their values are in the point already.
    if (!space_.active(i, point)) {
      if (!row.fields[c].empty())
        throw CsvError(location(row, c) + ": parameter '" + p.name + "' is inactive in this row (it needs " +
                       bo::describe_conditions(p) + "), so its cell must be empty; got " + quoted_field(row.fields[c]));
      continue;
    }
    if (fixed) {
      // Another value is another setting of the objective (it was silently replaced by this one).
      if (!is_fixed_value(p, row.fields[c], decimal_comma_))
        throw PointOutsideSpace(location(row, c) + ": parameter '" + p.name + "' is fixed at " + bo::to_string(p.value) +
                                " in this space; got " + quoted_field(row.fields[c]));
      continue;
    }
    const bo::Value value = value_of(p, row.fields[c], decimal_comma_, location(row, c));
    try {
      bo::check_parameter_value(p, value);  // here, with the cell's column; validate() has only the row
    } catch (const bo::SpaceError& e) {
      throw PointOutsideSpace(location(row, c) + ": " + e.what());
    }
    point[p.name] = value;
  }
  try {
    space_.validate(space_.complete(point));
  } catch (const bo::SpaceError& e) {
    throw PointOutsideSpace(location(row, 0) + ": " + e.what());
  }
  return point;
}

std::vector<bo::Point> read_points(const std::string& text, const std::string& path, const bo::Space& space) {
  const char delimiter = detect_csv_delimiter(text);
  CsvRecordReader reader(text, path, delimiter);
  CsvRecord header;
  if (!reader.next(header)) throw CsvError(path + ": empty file; expected a header row with the parameters");
  const PointColumns columns(header, space, path, delimiter);
  std::vector<bo::Point> points;
  for (CsvRecord row; reader.next(row);) points.push_back(columns.read(row));
  return points;
}

}  // namespace gpbo::tune
