#pragma once
// Points of a search space in the rows of a CSV table: one column per parameter (by name, in any
// order; other columns are left alone), as results.csv writes them. Read by the warm start
// (earlier observations) and by `gpbo predict --state` (points to predict at).

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "gpbo/bayesopt/space.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/core/csv_records.hpp"

namespace gpbo::tune {

/// A row whose values are well-formed but lie outside the space: a number beyond its
/// parameter's range or off its grid, a categorical value that is none of the choices, or a
/// point that breaks a linear constraint (a warm start from a run over a wider space, or one
/// with more choices, has such rows).
class PointOutsideSpace : public CsvError {
 public:
  using CsvError::CsvError;
};

class PointColumns {
 public:
  /// Finds every non-fixed parameter's column in `header`: CsvError ("PATH:1:1: no column
  /// 'lr' (a parameter of the space)") for a missing one.
  PointColumns(const CsvRecord& header, const bo::Space& space, std::string path, char delimiter);

  /// "PATH:LINE:COLUMN" of field `column` of `row`.
  [[nodiscard]] std::string location(const CsvRecord& row, std::size_t column) const;
  /// CsvError when `row` has another number of fields than the header.
  void check_width(const CsvRecord& row) const;
  /// The point of `row`, validated against the space (the linear constraints included):
  /// categorical values by their text, numbers in the file's decimal convention, a conditional
  /// parameter's cell empty where it is inactive. CsvError at the offending field otherwise
  /// (PointOutsideSpace for well-formed values outside the space).
  [[nodiscard]] bo::Point read(const CsvRecord& row) const;

 private:
  const bo::Space& space_;
  std::string path_;
  bool decimal_comma_;
  std::size_t header_width_;
  std::vector<std::size_t> column_;  // per parameter of the space; unused for fixed ones
};

/// Every row of CSV `text` (read from `path`) as a point of `space`, in order.
std::vector<bo::Point> read_points(const std::string& text, const std::string& path, const bo::Space& space);

}  // namespace gpbo::tune
