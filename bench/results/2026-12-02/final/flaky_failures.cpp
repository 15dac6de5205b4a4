#include <cstdio>
#include <random>
#include <vector>
#include <algorithm>
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
using namespace gpbo::bo;
int main(int argc, char** argv) {
  const int budget = argc > 1 ? std::atoi(argv[1]) : 40;
  const double rate = argc > 2 ? std::atof(argv[2]) : 0.2;
  const std::string fn = argc > 3 ? argv[3] : "branin";
  const TestFunction f = fn == "hartmann6" ? hartmann6() : branin();
  std::vector<double> regrets; int failed_total = 0;
  for (int seed = 1; seed <= 20; ++seed) {
    OptimizerOptions o; o.seed = seed;
    Optimizer opt(f.space(), o);
    std::mt19937_64 flaky(1000 + seed);
    std::bernoulli_distribution fails(rate);
    for (int i = 0; i < budget; ++i) {
      const Suggestion s = opt.ask();
      const Eigen::VectorXd x = f.vector_of(s.point);
      if (fails(flaky)) { opt.tell_failure(s.id, "flaky"); ++failed_total; } else opt.tell(s.id, f(x));
    }
    regrets.push_back(opt.best()->value - f.fmin);
  }
  std::sort(regrets.begin(), regrets.end());
  std::printf("%s budget %d rate %.2f: median regret %.3g (q25 %.3g, q75 %.3g, max %.3g), failed %d\n", fn.c_str(), budget, rate, regrets[9], regrets[5], regrets[14], regrets[19], failed_total);
}
