// Where a matrix holds NaN or an infinity, for messages that name the row and column.
#pragma once

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <optional>
#include <string>

namespace gpbo {

/// One non-finite entry: its row, column (0-based) and value.
struct NonFinite {
  Eigen::Index row = 0, col = 0;
  double value = 0.0;
};

/// The first NaN or infinite entry of `m`, row by row; nullopt when every entry is finite.
/// (A vector is a one-column matrix: `col` is then 0.)
std::optional<NonFinite> first_non_finite(const Eigen::Ref<const Eigen::MatrixXd>& m);

/// "point 3 has a non-finite coordinate (column 1: nan)": an entry of a matrix of points, one a row.
std::string describe_non_finite_point(const NonFinite& entry);

}  // namespace gpbo
