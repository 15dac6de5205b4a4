#include "gpbo/core/finite_values.hpp"

#include <cmath>

namespace gpbo {

std::optional<NonFinite> first_non_finite(const Eigen::Ref<const Eigen::MatrixXd>& m) {
  if (m.allFinite()) return std::nullopt;
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c)
      if (!std::isfinite(m(r, c))) return NonFinite{r, c, m(r, c)};
  return std::nullopt;  // unreachable: allFinite() was false
}

std::string describe_non_finite_point(const NonFinite& entry) {
  return "point " + std::to_string(entry.row) + " has a non-finite coordinate (column " + std::to_string(entry.col) + ": " +
         std::to_string(entry.value) + ")";
}

}  // namespace gpbo
