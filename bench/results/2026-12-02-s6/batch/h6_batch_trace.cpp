// Scratch harness (2026-12-02 s6): where Hartmann-6 runs in batches of four spend their
// evaluations. For each seed given, prints every 8th round: evaluations, best value, and how many
// of the round's points lie within 0.15 (Euclidean, unit cube) of the global minimizer and of the
// -3.2032 local one; with TRACE_POINTS set, every point after evaluation 64 that is not near the
// local minimizer. Arguments: seed (11), batch size (4). Build as
// bench/results/2026-12-02-s5/categorical_cases.cpp.
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"

using namespace gpbo::bo;

int main(int argc, char** argv) {
  const TestFunction f = hartmann6();
  const Eigen::VectorXd global = (Eigen::VectorXd(6) << 0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).finished();
  const Eigen::VectorXd local = (Eigen::VectorXd(6) << 0.4047, 0.8824, 0.8461, 0.5739, 0.1389, 0.0385).finished();
  const std::size_t q = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 4;
  for (std::uint64_t seed : std::vector<std::uint64_t>{std::strtoull(argc > 1 ? argv[1] : "11", nullptr, 10)}) {
    OptimizerOptions o = OptimizerOptions::preset("default");
    o.seed = seed;
    Optimizer opt(f.space(), o);
    double best = 1e300;
    int near_g = 0, near_l = 0;
    for (int round = 0; opt.history().size() < 200; ++round) {
      const auto batch = opt.ask(q);
      for (const auto& s : batch) {
        const Eigen::VectorXd x = f.vector_of(s.point);
        const double y = f(x);
        best = std::min(best, y);
        near_g += (x - global).norm() < 0.15;
        near_l += (x - local).norm() < 0.15;
        opt.tell(s.id, y);
        if (std::getenv("TRACE_POINTS") && opt.history().size() > 64 && (x - local).norm() >= 0.15)
          std::printf("  eval %3zu value %8.4f  to global %.3f  to local %.3f\n", opt.history().size(), y, (x - global).norm(), (x - local).norm());
      }
      if (round % 8 == 7) {
        std::printf("seed %llu evals %3zu best %.4f  near global %2d  near local %2d\n", static_cast<unsigned long long>(seed),
                    opt.history().size(), best, near_g, near_l);
        near_g = near_l = 0;
      }
    }
  }
}
