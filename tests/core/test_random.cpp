#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <vector>

#include "gpbo/core/parallel.hpp"
#include "gpbo/core/random.hpp"

TEST_CASE("random: same seed and stream give the same draws; streams differ") {
  auto a = gpbo::make_rng(42, 3), b = gpbo::make_rng(42, 3), c = gpbo::make_rng(42, 4);
  for (int i = 0; i < 10; ++i) {
    const double x = gpbo::standard_normal(a);
    CHECK(x == gpbo::standard_normal(b));
    CHECK(x != gpbo::standard_normal(c));
  }
}

TEST_CASE("random: standard normal and uniform have the right first two moments") {
  auto rng = gpbo::make_rng(7);
  const int n = 200000;
  double s = 0, s2 = 0, u = 0;
  for (int i = 0; i < n; ++i) {
    const double z = gpbo::standard_normal(rng);
    s += z;
    s2 += z * z;
    u += gpbo::uniform(rng, 2.0, 4.0);
  }
  // Tolerances are 5 standard errors.
  CHECK(std::abs(s / n) < 5 / std::sqrt(n));
  CHECK(std::abs(s2 / n - 1) < 5 * std::sqrt(2.0 / n));
  CHECK(std::abs(u / n - 3) < 5 * std::sqrt(1.0 / 3 / n));
}

TEST_CASE("parallel_for: runs every task once and rethrows a task's exception") {
  std::vector<std::atomic<int>> hits(100);
  gpbo::parallel_for(100, 4, [&](std::size_t i) { hits[i]++; });
  for (auto& h : hits) CHECK(h == 1);
  CHECK_THROWS_WITH(gpbo::parallel_for(10, 2, [](std::size_t i) {
                      if (i == 7) throw std::runtime_error("task 7 failed");
                    }),
                    "task 7 failed");
}
