#pragma once
// Warm start: observations from an earlier run (its results.csv, or any CSV with one column per
// parameter and a "value" column) told to a new run's optimizer before its first suggestion, so
// that the model starts from what is already known.

#include <optional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/outcome_constraints.hpp"
#include "gpbo/bayesopt/space.hpp"

namespace gpbo::tune {

/// One earlier observation: a value (with its outcome constraints' values), or (value unset) a
/// failure and its reason.
struct WarmStartRow {
  bo::Point point;
  std::optional<double> value;
  std::vector<double> constraint_values;  // one per outcome constraint, in their order, with a value
  double sd = 0;        // the value's noise sd from a value_sd column; 0 where none is known
  std::string failure;  // when value is unset: the row's reason, or its status if it gives none
};

/// Rows of a warm start left out because their points lie outside the space (PointOutsideSpace):
/// how many, and the first one's reason.
struct WarmStartSkips {
  std::size_t rows = 0;
  std::string first;
};

/// The rows of `path`. Without a "status" column every row is a success with a finite "value".
/// With one (as results.csv has), "ok" rows are successes, the failure statuses of results.csv
/// (failed, crashed, timeout, bad_output) are failures, so that the failure model learns where
/// evaluations fail, "running" and "pending" rows (gpbo show --csv) are skipped, and any other
/// status is an error. Every non-fixed parameter of `space` and every outcome constraint (named
/// by `constraints`, as results.csv names their columns) needs a column; categorical values are
/// matched by their text, numbers must lie in the space, and a success needs a number for each
/// constraint. A value_sd column (results.csv has one when values came with their noise sd) gives
/// each value's sd: a number >= 0, or empty where none is known. Throws CsvError ("FILE:LINE:COLUMN: ...") for a row it cannot use.
/// With `skips`, rows whose points lie outside the space (a run over a wider range, then
/// narrowed) are left out and counted there instead, unless every row is (then the first is
/// the error); without it they are errors too.
std::vector<WarmStartRow> read_warm_start(const std::string& path, const bo::Space& space,
                                          const std::vector<bo::OutcomeConstraint>& constraints = {},
                                          WarmStartSkips* skips = nullptr);

}  // namespace gpbo::tune
