#include <catch2/catch.hpp>

#include <limits>

#include <cmath>

#include "gaussian_target.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/slice.hpp"

using namespace gpbo::mcmc;

TEST_CASE("slice: correlated 2-D Gaussian moments within 4 MCSE, reproducible from the seed") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = 300;
  opt.sampler.draws = 1500;
  opt.sampler.seed = 11;
  const SliceSampler slice;
  const auto run = run_chains(model, slice, opt);
  REQUIRE(run.chains.size() == 4);
  CHECK(run.chains[0].sampler == "slice");
  CHECK(run.chains[0].draws.rows() == 1500);
  CHECK(run.chains[0].diagnostics.accept_stat.size() == 0);  // no CmdStan diagnostics
  CHECK(run.chains[0].density_evaluations > 2 * 1800);
  CHECK(run.chains[0].gradient_evaluations == 0);
  testing::check_against_gaussian(run, g);
  // Adapted widths are of the order of the marginal standard deviations (1 and 3).
  CHECK(run.chains[0].stepsize > 0.5);
  CHECK(run.chains[0].stepsize < 6.0);
  opt.threads = 1;
  CHECK(testing::identical_draws(run, run_chains(model, slice, opt)));
}

TEST_CASE("slice: direct call on a bounded density with a warm start") {
  // Beta(3, 2) on (0, 1) as a density in x itself: -inf outside, so the bracket must shrink.
  const FunctionLogDensity model(1, [](const Eigen::VectorXd& x, Eigen::VectorXd& grad) {
    grad = Eigen::VectorXd::Zero(1);
    if (!(x(0) > 0 && x(0) < 1)) return -std::numeric_limits<double>::infinity();
    return 2.0 * std::log(x(0)) + std::log1p(-x(0));
  });
  auto rng = gpbo::make_rng(5);
  SliceOptions o;
  o.warmup = 50;
  o.draws = 4000;
  o.width = 5.0;  // far too wide: stepping out stops at once, shrinkage does the work
  const SliceDraws first = slice_sample(model, Eigen::VectorXd::Constant(1, 0.5), rng, o);
  REQUIRE(first.draws.rows() == 4000);
  CHECK((first.draws.array() > 0).all());
  CHECK((first.draws.array() < 1).all());
  CHECK(first.widths(0) < 1.0);  // adapted toward the scale of the posterior (sd 0.2)
  const double mean = first.draws.mean();
  const double se = mcse_mean(first.draws);
  CHECK(std::abs(mean - 0.6) < 4 * se);
  CHECK(se < 0.01);
  CHECK(first.lp(3999) == Approx(2.0 * std::log(first.draws(3999, 0)) + std::log1p(-first.draws(3999, 0))));
  CHECK(first.last(0) == first.draws(3999, 0));

  // Warm start: no warmup, previous widths and state.
  SliceOptions warm;
  warm.warmup = 0;
  warm.draws = 10;
  warm.thin = 3;
  warm.widths = first.widths;
  const SliceDraws second = slice_sample(model, first.last, rng, warm);
  CHECK(second.draws.rows() == 4);
  CHECK(second.widths(0) == first.widths(0));
  CHECK_THROWS_AS(slice_sample(model, Eigen::VectorXd::Constant(1, 2.0), rng, warm), std::invalid_argument);
  warm.widths = Eigen::VectorXd::Constant(2, 1.0);
  CHECK_THROWS_AS(slice_sample(model, first.last, rng, warm), std::invalid_argument);
  // An infinite width made the bracket NaN and every draw the start point, silently.
  warm.widths = Eigen::VectorXd::Constant(1, std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH(slice_sample(model, first.last, rng, warm), Catch::Contains("widths must be positive and finite"));
  SliceOptions infinite;
  infinite.width = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(slice_sample(model, first.last, rng, infinite), std::invalid_argument);
}

TEST_CASE("slice: value-only callable overload gives the same draws as the LogDensity form") {
  const auto logp = [](const Eigen::VectorXd& x) { return -0.5 * x.squaredNorm() / 4.0; };  // N(0, 2^2 I)
  const FunctionLogDensity model(3, [&](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = -x / 4.0;
    return logp(x);
  });
  SliceOptions o;
  o.warmup = 20;
  o.draws = 3000;
  auto rng_a = gpbo::make_rng(3), rng_b = gpbo::make_rng(3);
  const SliceDraws a = slice_sample(logp, Eigen::VectorXd::Zero(3), rng_a, o);
  const SliceDraws b = slice_sample(model, Eigen::VectorXd::Zero(3), rng_b, o);
  CHECK(a.draws == b.draws);
  CHECK(a.density_evaluations == b.density_evaluations);
  const Eigen::VectorXd var = a.draws.array().square().colwise().mean();
  for (int i = 0; i < 3; ++i) {
    const Eigen::MatrixXd sq = a.draws.col(i).array().square();
    CHECK(std::abs(var(i) - 4.0) < 4 * mcse_mean(sq));
  }
  CHECK_THROWS_AS(slice_sample(std::function<double(const Eigen::VectorXd&)>{}, Eigen::VectorXd::Zero(3), rng_a, o),
                  std::invalid_argument);
}
