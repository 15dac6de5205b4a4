#pragma once
// Validation of the CSV tables the built-in models read. Every failure throws
// std::invalid_argument whose message starts with the table's source (the file name) and, for a
// bad value, its file line and column ("FILE:LINE:COLUMN: ...", as read_csv's own errors), so a
// user can fix the file.

#include <string>
#include <vector>

#include "gpbo/core/csv.hpp"

namespace gpbo::mcmc::models {

/// Requires exactly the columns `required` (any order) plus, when `allow_others`, other columns.
/// The message lists the missing and unexpected columns and the expected schema.
void require_columns(const CsvTable& table, const std::vector<std::string>& required, bool allow_others = false);

/// Requires at least `min_rows` data rows.
void require_rows(const CsvTable& table, int min_rows);

/// Throws "FILE:LINE:COLUMN: value V in column 'NAME': MESSAGE" for the value in 0-based `row`.
[[noreturn]] void bad_value(const CsvTable& table, Eigen::Index row, const std::string& column,
                            const std::string& message);

}  // namespace gpbo::mcmc::models
