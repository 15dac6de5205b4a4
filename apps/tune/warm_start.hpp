#pragma once
// Warm start: observations from an earlier run (its results.csv, or any CSV with one column per
// parameter and a "value" column) told to a new run's optimizer before its first suggestion, so
// that the model starts from what is already known.

#include <string>
#include <utility>
#include <vector>

#include "gpbo/bayesopt/space.hpp"

namespace gpbo::tune {

/// The successful rows of `path`: those with a finite "value" and, when the file has a "status"
/// column (as results.csv does), status "ok". Every non-fixed parameter of `space` needs a
/// column; categorical values are matched by their text, numbers must lie in the space. Throws
/// CsvError ("FILE:LINE:COLUMN: ...") for a row it cannot use.
std::vector<std::pair<bo::Point, double>> read_warm_start(const std::string& path, const bo::Space& space);

}  // namespace gpbo::tune
