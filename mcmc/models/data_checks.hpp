#pragma once
// Validation of the CSV tables the built-in models read. Every failure throws
// std::invalid_argument whose message starts with the data source (the file name) and, for a bad
// value, the 1-based data row (header excluded) and column, so a user can fix the file.

#include <string>
#include <vector>

#include "core/csv.hpp"

namespace gpbo::mcmc::models {

/// Requires exactly the columns `required` (any order) plus, when `allow_others`, other columns.
/// The message lists the missing and unexpected columns and the expected schema.
void require_columns(const CsvTable& table, const std::vector<std::string>& required, const std::string& source,
                     bool allow_others = false);

/// Requires at least `min_rows` data rows.
void require_rows(const CsvTable& table, int min_rows, const std::string& source);

/// Throws "SOURCE: row R, column NAME: value V: MESSAGE".
[[noreturn]] void bad_value(const std::string& source, int row, const std::string& column, double value,
                            const std::string& message);

}  // namespace gpbo::mcmc::models
