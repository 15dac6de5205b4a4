#pragma once
// Reproducible randomness. Every random choice in gpbo flows from one user seed: each independent
// task (a chain, a restart, a candidate batch) gets its own stream derived from (seed, stream id),
// so results do not depend on how many threads run the tasks. Distributions come from
// Boost.Random, whose algorithms are fixed (std:: distributions differ between standard libraries).

#include <cstdint>
#include <random>

namespace gpbo {

using Rng = std::mt19937_64;

/// An independent generator for stream `stream` of `seed` (SplitMix64-mixed seed sequence).
Rng make_rng(std::uint64_t seed, std::uint64_t stream = 0);

/// A fresh 64-bit seed drawn from `rng`, for handing a sub-task its own stream family.
std::uint64_t draw_seed(Rng& rng);

/// Uniform on [0, 1).
double uniform01(Rng& rng);
/// Uniform on [lo, hi).
double uniform(Rng& rng, double lo, double hi);
/// Standard normal N(0, 1).
double standard_normal(Rng& rng);
/// Uniform integer in [0, n).
std::uint64_t uniform_index(Rng& rng, std::uint64_t n);

}  // namespace gpbo
