// Temporary: failure-region and flaky-failure runs (not committed).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <random>
#include <string>
#include <vector>
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
using namespace gpbo::bo;
static void region(const char* coord) {
  const TestFunction f = branin();
  std::printf("%s > 5 -> nan:", coord);
  for (int seed = 1; seed <= 20; ++seed) {
    OptimizerOptions o;
    o.seed = static_cast<std::uint64_t>(seed);
    o.search.candidates = 500;
    o.search.incumbent_candidates = 100;
    if (std::getenv("ACQ")) o.acquisition = parse_acquisition_kind(std::getenv("ACQ"));
    Optimizer opt(f.space(), o);
    int bad_n = 0;
    for (int i = 0; i < 40; ++i) {
      const Suggestion s = opt.ask();
      const bool bad = std::get<double>(s.point.at(coord)) > 5.0;
      bad_n += bad;
      if (bad) opt.tell_failure(s.id, "region"); else opt.tell(s.id, f(f.vector_of(s.point)));
    }
    std::printf(" %.2g(%d)", opt.best()->value - f.fmin, bad_n);
    std::fflush(stdout);
  }
  std::printf("\n");
}
static void flaky(const std::string& fn, int budget, double rate) {
  const TestFunction f = fn == "hartmann6" ? hartmann6() : branin();
  std::vector<double> regrets; int failed_total = 0;
  const int seeds = std::getenv("SEEDS") ? std::atoi(std::getenv("SEEDS")) : 20;
  for (int seed = 1; seed <= seeds; ++seed) {
    OptimizerOptions o; o.seed = seed;
    Optimizer opt(f.space(), o);
    std::mt19937_64 fl(1000 + seed);
    std::bernoulli_distribution fails(rate);
    for (int i = 0; i < budget; ++i) {
      const Suggestion s = opt.ask();
      const Eigen::VectorXd x = f.vector_of(s.point);
      if (fails(fl)) { opt.tell_failure(s.id, "flaky"); ++failed_total; } else opt.tell(s.id, f(x));
    }
    regrets.push_back(opt.best()->value - f.fmin);
    if (std::getenv("PER_SEED")) std::printf("seed %d regret %.3g\n", seed, regrets.back());
    if (std::getenv("TRACE") && std::atoi(std::getenv("TRACE")) == seed) {
      for (const auto& t : opt.history()) { std::printf("  %zu: %s v=%.5g u=", (size_t)t.id, t.status == TrialStatus::Failed ? "F" : "ok", t.value); for (int k = 0; k < t.u.size(); ++k) std::printf(" %.3f", t.u[k]); std::printf("\n"); }
    }
  }
  std::sort(regrets.begin(), regrets.end());
  std::printf("%s budget %d rate %.2f: median regret %.3g (q25 %.3g, q75 %.3g, max %.3g), failed %d\n", fn.c_str(), budget, rate, regrets[regrets.size() / 2], regrets[regrets.size() / 4], regrets[3 * regrets.size() / 4], regrets.back(), failed_total);
  int above = 0;
  for (double r : regrets) above += r > 0.1;
  std::printf("  seeds above 0.1: %d of %zu\n", above, regrets.size());
  std::fflush(stdout);
}
int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "all";
  if (what == "all" || what == "region") { region("x0"); region("x1"); }
  if (what == "all" || what == "flaky") { flaky("branin", 40, 0.2); flaky("hartmann6", 60, 0.3); }
  if (what == "h65") flaky("hartmann6", 60, 0.5);
  if (what == "heavy") { flaky("branin", 40, 0.5); flaky("hartmann6", 60, 0.5); flaky("branin", 40, 0.65); }
}
