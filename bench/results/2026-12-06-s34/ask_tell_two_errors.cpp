// Session 34: ask/tell on sin(5x) + x over [0, 1] (default options, outliers "detect") where the
// evaluations with ids A and B report BAD instead of the function's value. Prints, per seed,
// the ids flagged as outliers and the recommended point (its true value; the optimum is
// -0.0776 at x = 0.902). TRACE=1 prints every evaluation.
//   ask_tell_two_errors SEEDS BAD A B BUDGET
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "gpbo/bayesopt/optimizer.hpp"

using namespace gpbo::bo;

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: %s SEEDS BAD A B BUDGET\n", argv[0]);
    return 2;
  }
  const int seeds = std::atoi(argv[1]);
  const double bad = std::atof(argv[2]);
  const auto a = static_cast<std::uint64_t>(std::atoi(argv[3])), b = static_cast<std::uint64_t>(std::atoi(argv[4]));
  const int budget = std::atoi(argv[5]);
  const auto f = [](double x) { return std::sin(5.0 * x) + x; };
  for (int seed = 1; seed <= seeds; ++seed) {
    Space space;
    space.add(Parameter::real("x", 0.0, 1.0));
    OptimizerOptions o;
    o.seed = static_cast<std::uint64_t>(seed);
    o.surrogate.outliers = OutlierMode::Detect;
    Optimizer opt(space, o);
    for (int i = 0; i < budget; ++i) {
      const Suggestion s = opt.ask();
      const double x = std::get<double>(s.point.at("x"));
      const double v = s.id == a || s.id == b ? bad : f(x);
      opt.tell(s.id, v);
      if (std::getenv("TRACE")) std::printf("  id %llu x=%.4f v=%.4f\n", static_cast<unsigned long long>(s.id), x, v);
    }
    const auto rec = opt.recommend();
    const double x = std::get<double>(rec->point.at("x"));
    std::printf("seed %d flagged:", seed);
    for (const auto id : opt.outliers()) std::printf(" %llu", static_cast<unsigned long long>(id));
    std::printf("  recommended id %llu x=%.4f f=%.5f\n", static_cast<unsigned long long>(rec->id), x, f(x));
  }
}
