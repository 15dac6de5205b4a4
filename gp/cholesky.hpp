#pragma once
// Cholesky factorization with escalating jitter, in place, for covariance matrices.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

namespace gpbo {

/// Factorizes the symmetric matrix K = L L^T in place: on return the lower triangle holds L and
/// the strict upper triangle still holds K's values. K must be full (both triangles) on entry.
/// Tries no jitter first, then adds 1e-10 x s to the diagonal, x10 per retry up to 1e-4 x
/// mean(diag K), where s is mean(diag K), or 2 x median(diag K) when that is smaller and
/// positive (a few huge entries, such as points with an enormous known noise, do not set the
/// first jitter for all). Returns the jitter that was added (0 if none). Throws CholeskyError
/// (gp/gaussian_process.hpp) when every attempt fails, or when K has non-finite entries.
double cholesky_with_jitter(Eigen::Ref<Eigen::MatrixXd> K);

/// One attempt without jitter, reading only the lower triangle of K: true if K = L L^T with L
/// (in the lower triangle) finite and with a positive diagonal; on false the lower triangle is
/// overwritten with partial results and K must be rebuilt before cholesky_with_jitter.
bool try_cholesky_in_place(Eigen::Ref<Eigen::MatrixXd> K);

}  // namespace gpbo
