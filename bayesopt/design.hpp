#pragma once
// Space-filling initial designs on the unit cube [0, 1]^d, all reproducible from an Rng.
// Points are rows (n x d), ready for Space::decode() (after Space::snap() for discrete spaces).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <cstddef>
#include <string>

#include "gpbo/core/random.hpp"

namespace gpbo::bo {

enum class DesignKind { Sobol, LatinHypercube, Uniform };

/// The most dimensions Boost.Random's Sobol generator has direction numbers for.
inline constexpr std::size_t kSobolMaxDimension = 3667;

/// Scrambled Sobol points: the first n points of Boost.Random's Sobol sequence (the origin
/// included), with a random linear matrix scramble and a random digital shift per dimension.
/// Scrambling keeps the net property: for n = 2^m every dimension has exactly one point in each
/// interval [k/n, (k+1)/n). Values lie strictly inside (0, 1). d must be in [1, 3667].
Eigen::MatrixXd sobol_design(std::size_t n, std::size_t d, Rng& rng);

/// Scrambled Sobol points up to kSobolMaxDimension dimensions, Latin hypercube points beyond
/// (a categorical parameter with thousands of choices): one point per interval in every
/// dimension still, without Sobol's joint net property.
Eigen::MatrixXd quasi_random_design(std::size_t n, std::size_t d, Rng& rng);

/// Latin hypercube: in every dimension exactly one point per interval [k/n, (k+1)/n), placed
/// uniformly inside it, with independent random permutations per dimension.
Eigen::MatrixXd latin_hypercube_design(std::size_t n, std::size_t d, Rng& rng);

/// Independent uniform points.
Eigen::MatrixXd uniform_design(std::size_t n, std::size_t d, Rng& rng);

/// The design of `kind` (Sobol as quasi_random_design: Latin hypercube beyond 3667 dimensions).
Eigen::MatrixXd make_design(DesignKind kind, std::size_t n, std::size_t d, Rng& rng);

/// "sobol", "lhs", "uniform" and back; parse throws std::invalid_argument for other names.
std::string to_string(DesignKind kind);
DesignKind parse_design_kind(const std::string& name);

}  // namespace gpbo::bo
