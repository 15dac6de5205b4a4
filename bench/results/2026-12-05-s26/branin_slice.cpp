#include <cstdio>
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
using namespace gpbo::bo;
int main() {
  auto f = test_function("branin"); auto sp = f.space();
  for (int seed = 0; seed < 5; ++seed) {
    OptimizerOptions o; o.seed = seed;
    Optimizer opt(sp, o);
    const double pi = 3.141592653589793;
    for (int i = 0; i < 20; ++i) { auto s = opt.ask(Point{{"x0", pi}}); opt.tell(s.id, f(f.vector_of(s.point))); if (std::get<double>(s.point.at("x0")) != pi) std::printf("BAD\n"); }
    auto b = opt.best();
    std::printf("seed %d best %.10g regret %.3g x1 %.6f\n", seed, b->value, b->value - f.fmin, std::get<double>(b->point.at("x1")));
  }
}
