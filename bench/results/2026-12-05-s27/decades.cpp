#include <cmath>
#include <cstdio>
#include "gpbo/bayesopt/optimizer.hpp"
using namespace gpbo::bo;
int main() {
  Space space;
  space.add(Parameter::real("x", 0.0, 1.0)).add(Parameter::real("y", 0.0, 1.0));
  for (int told_log = 0; told_log < 2; ++told_log) {
    std::printf(told_log ? "told log1p(f):" : "told f:      ");
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      OptimizerOptions o;
      o.seed = seed;
      Optimizer opt(space, o);
      double best = 1e300;
      for (int i = 0; i < 40; ++i) {
        const Suggestion s = opt.ask();
        const double x = std::get<double>(s.point.at("x")), y = std::get<double>(s.point.at("y"));
        const double f = std::expm1(25.0 * ((x - 0.3) * (x - 0.3) + (y - 0.6) * (y - 0.6)));
        best = std::min(best, f);
        opt.tell(s.id, told_log ? std::log1p(f) : f);
      }
      std::printf(" %.2g", best);
    }
    std::printf("\n");
  }
}
