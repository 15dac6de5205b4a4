#pragma once
// exp over a whole array, the one transcendental in the stationary kernels' inner loops.

#include <cstddef>

namespace gpbo {

/// a[i] <- exp(a[i]) for i < n. On x86-64 with glibc this calls glibc's vector math library
/// (libmvec, at most 4 ulp from the true value) with the widest registers the CPU has (AVX2 or
/// the SSE2 baseline, chosen at run time), which measured 2-4x faster than a loop of std::exp;
/// elsewhere it is that loop. NaN, +-inf, overflow and underflow behave as std::exp does.
void exp_in_place(double* a, std::size_t n);

/// The same without the run-time choice: always the x86-64 baseline path (so tests cover it on
/// machines that have AVX2).
void exp_in_place_baseline(double* a, std::size_t n);

/// Which implementation exp_in_place uses on this machine: "avx2", "sse2" or "scalar".
const char* exp_in_place_implementation();

}  // namespace gpbo
