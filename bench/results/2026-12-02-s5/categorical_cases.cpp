// Scratch harness (2026-12-02 s5): categorical spaces beyond bo_bench's styblinski_tang8_cat, to
// compare the overlap kernel with one-hot ARD (argument "one_hot"). Prints, per case, the median,
// quartiles and range of the best value over 20 seeds at 50 evaluations (lower is better).
// Build from the repository root after a Release build:
//   g++ -std=c++20 -O2 -DNDEBUG -I build/include -I /usr/include/eigen3 <this file> -o cases \
//     build/bayesopt/libgpbo_bayesopt.a build/gp/libgpbo_gp.a build/kernels/libgpbo_kernels.a \
//     build/mcmc/libgpbo_mcmc.a build/core/libgpbo_core.a -lnlopt -lmvec -lpthread
//   st4_allcat: Styblinski-Tang over 4 categorical coordinates with choices -5..5 (min -156)
//   h6_cat2:    Hartmann-6 with x0, x1 categorical over {0, 0.1, ..., 1}, x2..x5 real in [0, 1]
//   h6_cat6:    Hartmann-6 with every coordinate categorical over {0, 0.2, ..., 1} (6^6 points)
//   branin_cat: Branin with x0 real in [-5, 10] and x1 categorical over 16 values 0..15
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "gpbo/core/parallel.hpp"

using namespace gpbo::bo;

struct Case {
  std::string name;
  Space space;
  std::function<double(const Point&)> f;
};

Parameter cat(const std::string& name, int n, double step) {
  std::vector<Value> c;
  for (int i = 0; i < n; ++i) c.emplace_back(i * step);
  return Parameter::categorical(name, c);
}

int main(int argc, char** argv) {
  const bool one_hot = argc > 1 && std::string(argv[1]) == "one_hot";
  const TestFunction st = styblinski_tang(4), h6 = hartmann6(), br = branin();
  auto vec = [](const Point& p, int d) {
    Eigen::VectorXd x(d);
    for (int i = 0; i < d; ++i) x[i] = as_double(p.at("x" + std::to_string(i)));
    return x;
  };
  std::vector<Case> cases;
  {
    Space s;
    std::vector<Value> c;
    for (int v = -5; v <= 5; ++v) c.emplace_back(static_cast<double>(v));
    for (int i = 0; i < 4; ++i) s.add(Parameter::categorical("x" + std::to_string(i), c));
    cases.push_back({"st4_allcat", s, [&](const Point& p) { return st(vec(p, 4)); }});
  }
  {
    Space s;
    s.add(cat("x0", 11, 0.1)).add(cat("x1", 11, 0.1));
    for (int i = 2; i < 6; ++i) s.add(Parameter::real("x" + std::to_string(i), 0, 1));
    cases.push_back({"h6_cat2", s, [&](const Point& p) { return h6(vec(p, 6)); }});
  }
  {
    Space s;
    for (int i = 0; i < 6; ++i) s.add(cat("x" + std::to_string(i), 6, 0.2));
    cases.push_back({"h6_cat6", s, [&](const Point& p) { return h6(vec(p, 6)); }});
  }
  {
    Space s;
    s.add(Parameter::real("x0", -5, 10)).add(cat("x1", 16, 1.0));
    cases.push_back({"branin_cat", s, [&](const Point& p) { return br(vec(p, 2)); }});
  }
  for (const auto& c : cases) {
    std::vector<double> best(20);
    gpbo::parallel_for(20, 2, [&](std::size_t seed) {
      OptimizerOptions o;
      o.seed = seed;
      o.initial_points = 10;
      if (one_hot) o.surrogate.categorical_kernel = CategoricalKernel::OneHot;
      Optimizer opt(c.space, o);
      for (int i = 0; i < 50; ++i) {
        const Suggestion s = opt.ask();
        opt.tell(s.id, c.f(s.point));
      }
      best[seed] = opt.best()->value;
    });
    std::sort(best.begin(), best.end());
    std::printf("%-12s median %.5g  q25 %.5g  q75 %.5g  min %.5g  max %.5g\n", c.name.c_str(), 0.5 * (best[9] + best[10]),
                best[5], best[14], best[0], best[19]);
  }
}
