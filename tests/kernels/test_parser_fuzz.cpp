// Mutated kernel strings: every one parses into a usable kernel or is rejected with a message;
// none may crash or hang (the suite also runs under AddressSanitizer and UBSan).
#include <catch2/catch.hpp>

#include <Eigen/Core>
#include <random>
#include <string>
#include <vector>

#include "gpbo/kernels/kernel_parser.hpp"

TEST_CASE("kernel parser: random edits of valid strings parse into usable kernels or are rejected") {
  const std::vector<std::string> seeds = {"matern52 * periodic + white", "scale(se(ard)[0,2]) + linear(offset)",
                                          "unscaled(rq + constant) * matern32[1]", "(matern12 + se) * (linear + white)"};
  // Pieces an edit may insert: the grammar's tokens, numbers at the edges of int, stray bytes.
  const std::vector<std::string> pieces = {"(", ")", "[", "]", ",", "+", "*", " ", "se", "ard", "iso", "offset", "scale",
                                           "unscaled", "0", "-1", "2147483648", "99999999999999999999", "\x01", "\xff", "",
                                           "\"", "a", "b c", ";"};
  const std::vector<std::string> columns = {"a", "b c", "0"};  // names for every other trial
  std::mt19937_64 rng(7);
  const Eigen::MatrixXd X = Eigen::MatrixXd::Random(4, 3);
  std::size_t parsed = 0, rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string s = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = s.empty() ? 0 : rng() % (s.size() + 1);
      const std::string& piece = pieces[rng() % pieces.size()];
      switch (rng() % 3) {
        case 0: s.insert(at, piece); break;                                   // insert
        case 1: if (at < s.size()) s.erase(at, 1 + rng() % 4); break;         // delete a few characters
        default: if (at < s.size()) s.replace(at, 1, piece); break;           // replace one
      }
    }
    INFO("kernel string: '" << s << "'");
    try {
      const gpbo::KernelPtr k = trial % 2 ? gpbo::parse_kernel(s, columns) : gpbo::parse_kernel(s, 3);
      if (trial % 2) CHECK(gpbo::parse_kernel(gpbo::kernel_string_with_names(*k, columns), columns)->to_string() == k->to_string());
      const Eigen::MatrixXd K = k->gram(X);
      CHECK(K.rows() == 4);
      CHECK(K.allFinite());
      ++parsed;
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).size() > 10);
      ++rejected;
    }
  }
  INFO(parsed << " parsed, " << rejected << " rejected");
  CHECK(parsed > 50);
  CHECK(rejected > 100);
}
