#pragma once
// The inverse of a symmetric positive-definite matrix from its lower Cholesky factor, in about
// 2/3 n^3 flops (llt.solve(Identity) costs about 2 n^3). The log-marginal-likelihood gradient
// needs the whole inverse; nothing else in gpbo should form one.
//
// Method: recursive blocked algorithms on [A 0; B C] partitions, all in place, using Eigen's
// triangular solves, triangular products and symmetric rank-k updates:
//   1. M = L^{-1}:   recurse on A and C, then B <- -C^{-1} B A^{-1} (two triangular products);
//   2. K^{-1} = M^T M, lower triangle only: [A^T A + B^T B, .; C^T B, C^T C], recursively.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

namespace gpbo {

/// Replaces the lower triangle of L (a lower-triangular, nonsingular matrix) by that of L^{-1}.
/// The strict upper triangle is neither read nor written.
void invert_lower_triangular(Eigen::Ref<Eigen::MatrixXd> L);

/// Replaces the lower triangle of M (lower triangular) by that of M^T M. The strict upper
/// triangle is neither read nor written.
void lower_gram_in_place(Eigen::Ref<Eigen::MatrixXd> M);

/// Overwrites `factor`, which holds a lower Cholesky factor L of K in its lower triangle, with
/// the full symmetric K^{-1} = L^{-T} L^{-1} (both triangles filled).
void spd_inverse_from_cholesky(Eigen::Ref<Eigen::MatrixXd> factor);

/// The same, lower triangle only (the strict upper triangle is neither read nor written).
void spd_inverse_lower_from_cholesky(Eigen::Ref<Eigen::MatrixXd> factor);

}  // namespace gpbo
