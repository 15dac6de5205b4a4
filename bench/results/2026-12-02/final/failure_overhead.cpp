#include <chrono>
#include <cstdio>
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
using namespace gpbo::bo;
int main(int argc, char** argv) {
  const int budget = argc > 1 ? std::atoi(argv[1]) : 200;
  const bool fail = argc > 2 ? std::atoi(argv[2]) : 1;
  const TestFunction f = branin();
  OptimizerOptions o; o.seed = 1;
  Optimizer opt(f.space(), o);
  int failed = 0; double last_ask = 0;
  for (int i = 0; i < budget; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    const Suggestion s = opt.ask();
    last_ask = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const Eigen::VectorXd x = f.vector_of(s.point);
    if (fail && x[0] > 5.0) { opt.tell_failure(s.id, "x"); ++failed; } else opt.tell(s.id, f(x));
  }
  std::printf("failed %d, last ask %.4f s, regret %.3g\n", failed, last_ask, opt.best()->value - f.fmin);
}
