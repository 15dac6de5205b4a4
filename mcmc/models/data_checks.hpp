#pragma once
// Validation of the CSV tables the built-in models read. Every failure throws
// std::invalid_argument whose message starts with the table's source (the file name) and, for a
// bad value, its file line and column ("FILE:LINE:COLUMN: ...", as read_csv's own errors), so a
// user can fix the file.

#include <string>
#include <vector>

#include "gpbo/core/csv.hpp"

namespace gpbo::mcmc::models {

/// Requires the columns `required` (any order); other columns are ignored, as Stan ignores data
/// a model does not declare (a school's name beside y and sigma). The message lists the missing
/// columns, the required ones and every column of the file.
void require_columns(const CsvTable& table, const std::vector<std::string>& required);

/// The table's column names but `excluded`, in file order: the names of columns_except's columns.
std::vector<std::string> names_except(const CsvTable& table, const std::string& excluded);

/// Requires at least `min_rows` data rows.
void require_rows(const CsvTable& table, int min_rows);

/// Throws "FILE:LINE:COLUMN: value V in column 'NAME': MESSAGE" for the value in 0-based `row`.
[[noreturn]] void bad_value(const CsvTable& table, Eigen::Index row, const std::string& column,
                            const std::string& message);

}  // namespace gpbo::mcmc::models
