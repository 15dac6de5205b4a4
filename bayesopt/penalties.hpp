#pragma once
// Penalty values: objectives often return a huge number (1e6, 1e30, DBL_MAX) for points they
// cannot evaluate. Such values form a cluster far above all the others, and a GP that models them
// sees a cliff that dwarfs every difference it has to resolve. The optimizer treats a value that
// is a penalty when it is told as a failure (the failure model learns where they occur, the
// objective's GP does not see them); the output transform caps any left in a model.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <limits>

namespace gpbo::bo {

struct PenaltyCut {
  double from = std::numeric_limits<double>::infinity();  // values >= from are penalties
  double value = 0.0;  // what they count as: the worst other value plus the others' range
};

/// Finds penalties among y (lower is better): a cluster above a gap that is over 100 times the
/// range of the three or more values below it, and at least the range of the values above it (so
/// neither a heavy tail, whose large gaps come with a wide spread above, nor a converged run's
/// tight cluster below ordinary values counts). Penalties of several sizes (1e6 and 1e30) are
/// peeled from the top. Below them, the largest value is a penalty too when it was told at least
/// twice, identically, above a gap of at least the others' range: a constant such as 1000 where
/// the objective's values span 0-300 (a plateau that the values approach is no gap). `from` is
/// infinity when there are none.
PenaltyCut find_penalties(const Eigen::VectorXd& y);

}  // namespace gpbo::bo
