#include "gpbo/bayesopt/design.hpp"

#include <boost/random/sobol.hpp>
#include <bit>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <vector>

namespace gpbo::bo {
namespace {

std::uint32_t random_word(Rng& rng) { return static_cast<std::uint32_t>(rng() >> 32); }

// Linear matrix scramble of one 32-bit coordinate: output bit i (counting from the most
// significant) is the parity of (row_i AND v), where row_i is a random lower-triangular row with
// a unit diagonal (rows[i], a bit mask), then XOR a random shift. The map is linear over GF(2),
// so it is applied a byte at a time from four 256-entry tables of its images: four lookups per
// coordinate instead of 32 parities (the candidate sets of the acquisition search are 2000
// points in every iteration).
class LinearScramble {
 public:
  LinearScramble(const std::vector<std::uint32_t>& rows, std::uint32_t shift) : shift_(shift) {
    std::uint32_t column[32];  // image of input bit k
    for (int k = 0; k < 32; ++k) {
      column[k] = 0;
      for (int i = 0; i < 32; ++i) column[k] |= ((rows[static_cast<std::size_t>(i)] >> k) & 1u) << (31 - i);
    }
    for (int b = 0; b < 4; ++b) {
      table_[b][0] = 0;
      for (unsigned x = 1; x < 256; ++x) {
        const int low = std::countr_zero(x);
        table_[b][x] = table_[b][x & (x - 1)] ^ column[8 * b + low];
      }
    }
  }
  std::uint32_t operator()(std::uint32_t v) const {
    return table_[0][v & 0xffu] ^ table_[1][(v >> 8) & 0xffu] ^ table_[2][(v >> 16) & 0xffu] ^ table_[3][v >> 24] ^ shift_;
  }

 private:
  std::uint32_t table_[4][256];
  std::uint32_t shift_;
};

std::vector<std::uint32_t> random_lower_triangular(Rng& rng) {
  std::vector<std::uint32_t> rows(32);
  for (int i = 0; i < 32; ++i) {
    const std::uint32_t diagonal = 1u << (31 - i);
    const std::uint32_t above = i == 0 ? 0u : ~((diagonal << 1) - 1u);  // more significant bits
    rows[static_cast<std::size_t>(i)] = (random_word(rng) & above) | diagonal;
  }
  return rows;
}

}  // namespace

Eigen::MatrixXd sobol_design(std::size_t n, std::size_t d, Rng& rng) {
  if (d == 0 || d > kSobolMaxDimension) throw std::invalid_argument("sobol_design: dimension must be in [1, 3667]");
  std::vector<LinearScramble> scrambles;
  scrambles.reserve(d);
  for (std::size_t j = 0; j < d; ++j) {
    const auto rows = random_lower_triangular(rng);
    scrambles.emplace_back(rows, random_word(rng));
  }
  boost::random::sobol_engine<std::uint32_t, 32> engine(d);
  Eigen::MatrixXd X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  constexpr double scale = 1.0 / 4294967296.0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const std::uint32_t v = i == 0 ? 0u : engine();  // Boost starts after the origin
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = (scrambles[j](v) + 0.5) * scale;
    }
  return X;
}

Eigen::MatrixXd latin_hypercube_design(std::size_t n, std::size_t d, Rng& rng) {
  Eigen::MatrixXd X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  std::vector<std::size_t> perm(n);
  for (std::size_t j = 0; j < d; ++j) {
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[uniform_index(rng, i)]);  // Fisher-Yates
    for (std::size_t i = 0; i < n; ++i)
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          (static_cast<double>(perm[i]) + uniform01(rng)) / static_cast<double>(n);
  }
  return X;
}

Eigen::MatrixXd uniform_design(std::size_t n, std::size_t d, Rng& rng) {
  Eigen::MatrixXd X(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  for (Eigen::Index i = 0; i < X.rows(); ++i)
    for (Eigen::Index j = 0; j < X.cols(); ++j) X(i, j) = uniform01(rng);
  return X;
}

Eigen::MatrixXd quasi_random_design(std::size_t n, std::size_t d, Rng& rng) {
  return d <= kSobolMaxDimension ? sobol_design(n, d, rng) : latin_hypercube_design(n, d, rng);
}

Eigen::MatrixXd make_design(DesignKind kind, std::size_t n, std::size_t d, Rng& rng) {
  switch (kind) {
    case DesignKind::Sobol: return quasi_random_design(n, d, rng);
    case DesignKind::LatinHypercube: return latin_hypercube_design(n, d, rng);
    case DesignKind::Uniform: break;
  }
  return uniform_design(n, d, rng);
}

std::string to_string(DesignKind kind) {
  switch (kind) {
    case DesignKind::Sobol: return "sobol";
    case DesignKind::LatinHypercube: return "lhs";
    case DesignKind::Uniform: break;
  }
  return "uniform";
}

DesignKind parse_design_kind(const std::string& name) {
  if (name == "sobol") return DesignKind::Sobol;
  if (name == "lhs" || name == "latin_hypercube") return DesignKind::LatinHypercube;
  if (name == "uniform" || name == "random") return DesignKind::Uniform;
  throw std::invalid_argument("unknown initial design \"" + name + "\", expected sobol, lhs or uniform");
}

}  // namespace gpbo::bo
