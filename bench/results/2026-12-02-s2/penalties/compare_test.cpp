// The C++ comparison in README.md: penalties (1e30) against NaN failures, Branin, 40 evaluations,
// seeds 1-8, the test suite's small search options. It ran as a temporary Catch2 test case
// (added to tests/bayesopt/CMakeLists.txt for the run, then removed).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
using namespace gpbo::bo;
TEST_CASE("tmp penalty seeds") {
  const TestFunction f = branin();
  for (const char* coord : {"x0", "x1"})
    for (double pen : {1e30, std::nan("")}) {
      std::printf("%s > 5 -> %g:", coord, pen);
      for (int seed = 1; seed <= 8; ++seed) {
        OptimizerOptions o;
        o.seed = static_cast<std::uint64_t>(seed);
        o.search.candidates = 500;
        o.search.incumbent_candidates = 100;
        Optimizer opt(f.space(), o);
        int bad_n = 0;
        for (int i = 0; i < 40; ++i) {
          const Suggestion s = opt.ask();
          const bool bad = std::get<double>(s.point.at(coord)) > 5.0;
          bad_n += bad;
          opt.tell(s.id, bad ? pen : f(f.vector_of(s.point)));
        }
        std::printf(" %.2g(%d)", opt.best()->value - f.fmin, bad_n);
      }
      std::printf("\n");
    }
}
