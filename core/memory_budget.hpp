#pragma once
// How much memory an exact GP needs, against what the machine has: so that a data set too large
// for it is refused up front with the sizes, not killed by the system's out-of-memory killer
// after minutes of reading and telling.

#include <cstddef>
#include <string>

namespace gpbo {

/// The machine's physical memory in bytes; 0 when the system does not say.
double physical_memory_bytes();

/// Bytes an exact GP on n points holds at once: three n x n matrices of doubles (the covariance,
/// its Cholesky factor, and a fit's gradient work matrix).
constexpr double exact_gp_bytes(std::size_t n) { return 3.0 * static_cast<double>(n) * static_cast<double>(n) * 8.0; }

/// Whether an exact GP on n points needs more than 80% of physical memory (false when unknown).
bool exact_gp_exceeds_memory(std::size_t n);

/// When it does, why, for a refusal: "need about 540 GB for <whose> covariance matrices, more
/// than 80% of this machine's 25 GB"; empty otherwise.
std::string exact_gp_memory_refusal(std::size_t n, const std::string& whose);

}  // namespace gpbo
