// Scratch timing (2026-12-02 s6): sobol_design(2000, d) per call, before and after the table scramble.
// Build as bench/results/2026-12-02-s5/categorical_cases.cpp (only libgpbo_bayesopt.a and libgpbo_core.a needed).
#include <chrono>
#include <cstdio>
#include "gpbo/bayesopt/design.hpp"
int main() {
  for (int d : {6, 48}) {
    auto rng = gpbo::make_rng(1);
    double sink = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int k = 0; k < 50; ++k) sink += gpbo::bo::sobol_design(2000, d, rng)(7, 0);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 50;
    std::printf("d=%d %.3f ms per 2000-point design (%g)\n", d, 1e3 * s, sink);
  }
}
