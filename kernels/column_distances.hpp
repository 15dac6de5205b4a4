#pragma once
// The O(n^2 d) loops of the stationary kernels, one Gram column at a time: squared distances
// from one point to a block of rows, and their per-dimension weighted sums (the length-scale
// gradient). Built for AVX2 and for the x86-64 baseline, chosen at run time by the CPU, so a
// portable build still uses the wide registers of the machine it runs on.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

namespace gpbo {

/// out[a] = sum_k (Z(first + a, k) - z[k])^2 for a < Z.rows() - first, from exact differences
/// (coincident points give exactly 0). z has Z.cols() entries.
void squared_distances_to(const Eigen::MatrixXd& Z, Eigen::Index first, const double* z, double* out);

/// s[k] += sum_a w[a] v[a] (Z(first + a, k) - z[k])^2 for every column k of Z, a < Z.rows() - first
/// (two weights, so that the caller forms no product array).
void add_weighted_squared_differences(const Eigen::MatrixXd& Z, Eigen::Index first, const double* z, const double* w,
                                      const double* v, double* s);

}  // namespace gpbo
