#include <catch2/catch.hpp>

#include <cmath>

#include "mcmc/chains.hpp"
#include "mcmc/nuts.hpp"

using namespace gpbo::mcmc;

namespace {
// Independent normals with scales 1..d.
FunctionLogDensity scaled_normal(int d) {
  return FunctionLogDensity(d, [d](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g.resize(d);
    double lp = 0;
    for (int i = 0; i < d; ++i) {
      const double s = i + 1.0;
      lp -= 0.5 * x(i) * x(i) / (s * s);
      g(i) = -x(i) / (s * s);
    }
    return lp;
  });
}
}  // namespace

TEST_CASE("nuts: smoke test on independent normals") {
  auto model = scaled_normal(5);
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 500;
  opt.sampler.draws = 1000;
  const auto r = run_chains(model, "nuts", opt);
  for (int j = 0; j < 5; ++j) {
    const auto col = r.column(j);
    const double mean = col.mean();
    const double var = (col.array() - mean).square().mean();
    INFO("j=" << j << " mean " << mean << " var " << var << " step " << r.chains[0].stepsize);
    CHECK(std::abs(mean) < 0.2 * (j + 1));
    CHECK(var == Approx((j + 1.0) * (j + 1.0)).epsilon(0.25));
  }
}
