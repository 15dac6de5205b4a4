#pragma once
// Elementwise helpers for the kernels' inner loops.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <algorithm>

#include "gpbo/kernels/vector_math.hpp"

namespace gpbo {

/// a <- exp(a) entrywise (see vector_math.hpp).
inline void exp_in_place(Eigen::Ref<Eigen::ArrayXd> a) { exp_in_place(a.data(), static_cast<std::size_t>(a.size())); }
/// a <- log1p(a) entrywise (see vector_math.hpp).
inline void log1p_in_place(Eigen::Ref<Eigen::ArrayXd> a) { log1p_in_place(a.data(), static_cast<std::size_t>(a.size())); }

/// Calls f(offset, length) over [0, n) in pieces of at most kElementwiseChunk, so that a kernel's
/// profile can keep its intermediate arrays on the stack (no heap allocation per Gram column).
inline constexpr Eigen::Index kElementwiseChunk = 256;
template <class F>
void for_each_chunk(Eigen::Index n, F&& f) {
  for (Eigen::Index i = 0; i < n; i += kElementwiseChunk) f(i, std::min(kElementwiseChunk, n - i));
}

}  // namespace gpbo
