#include "gpbo/mcmc/models/data_checks.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "gpbo/core/text_list.hpp"

namespace gpbo::mcmc::models {
void require_columns(const CsvTable& table, const std::vector<std::string>& required) {
  std::vector<std::string> missing;
  for (const auto& r : required)
    if (std::find(table.columns.begin(), table.columns.end(), r) == table.columns.end()) missing.push_back(r);
  if (missing.empty()) return;
  throw std::invalid_argument(table.source + ": missing column(s) " + join_text(missing) + " (expected columns: " + join_text(required) +
                              "; found: " + join_text(table.header) + ")");
}

std::vector<std::string> names_except(const CsvTable& table, const std::string& excluded) {
  std::vector<std::string> names;
  for (const auto& c : table.columns)
    if (c != excluded) names.push_back(c);
  return names;
}

void require_rows(const CsvTable& table, int min_rows) {
  if (table.values.rows() < min_rows)
    throw std::invalid_argument(table.source + ": needs at least " + std::to_string(min_rows) + " data row(s), found " +
                                std::to_string(table.values.rows()));
}

void bad_value(const CsvTable& table, Eigen::Index row, const std::string& column, const std::string& message) {
  std::ostringstream os;
  os << table.location(row, column) << ": value " << table.values(row, table.column_index(column)) << " in column '"
     << column << "': " << message;
  throw std::invalid_argument(os.str());
}

}  // namespace gpbo::mcmc::models
