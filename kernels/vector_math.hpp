#pragma once
// exp and log over whole arrays: the transcendentals in the stationary kernels' inner loops.

#include <cstddef>

namespace gpbo {

/// a[i] <- exp(a[i]) for i < n. On x86-64 with glibc this calls glibc's vector math library
/// (libmvec, at most 4 ulp from the true value) with the widest registers the CPU has (AVX2 or
/// the SSE2 baseline, chosen at run time), which measured 2-4x faster than a loop of std::exp;
/// elsewhere it is that loop. NaN, +-inf, overflow and underflow behave as std::exp does.
void exp_in_place(double* a, std::size_t n);

/// a[i] <- log(a[i]) for i < n, the same way (libmvec's log, at most 4 ulp). log(0) = -inf,
/// log(negative) = NaN, as std::log.
void log_in_place(double* a, std::size_t n);

/// a[i] <- log1p(a[i]) for i < n: log(u) * a / (u - 1) with u = 1 + a (Goldberg's correction
/// of u's rounding) on the vector log, within a few ulp of std::log1p; a itself where u rounds
/// to 1, and +inf, -1, NaN and a < -1 as std::log1p.
void log1p_in_place(double* a, std::size_t n);

/// exp_in_place / log_in_place without the run-time choice: always the x86-64 baseline path (so
/// tests cover it on machines that have AVX2).
void exp_in_place_baseline(double* a, std::size_t n);
void log_in_place_baseline(double* a, std::size_t n);

/// Which implementation exp_in_place and log_in_place use on this machine: "avx2", "sse2" or "scalar".
const char* exp_in_place_implementation();

}  // namespace gpbo
