#include "gpbo/core/random.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

namespace gpbo {
namespace {
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

Rng make_rng(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t state = seed ^ (0xd1b54a32d192ed03ULL * (stream + 1));
  std::uint32_t words[8];
  for (int i = 0; i < 8; i += 2) {
    const std::uint64_t v = splitmix64(state);
    words[i] = static_cast<std::uint32_t>(v);
    words[i + 1] = static_cast<std::uint32_t>(v >> 32);
  }
  std::seed_seq seq(std::begin(words), std::end(words));
  return Rng(seq);
}

std::uint64_t draw_seed(Rng& rng) { return rng(); }

double uniform01(Rng& rng) { return boost::random::uniform_01<double>()(rng); }

double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * uniform01(rng); }

double standard_normal(Rng& rng) { return boost::random::normal_distribution<double>(0.0, 1.0)(rng); }

std::uint64_t uniform_index(Rng& rng, std::uint64_t n) {
  return boost::random::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng);
}

}  // namespace gpbo
