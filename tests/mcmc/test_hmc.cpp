#include <catch2/catch.hpp>

#include <cmath>

#include "gaussian_target.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/hmc.hpp"
#include "gpbo/mcmc/summary.hpp"

using namespace gpbo::mcmc;

TEST_CASE("hmc: correlated 2-D Gaussian moments within 4 MCSE with adapted step size and metric") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = 500;
  opt.sampler.draws = 1000;
  opt.sampler.seed = 3;
  opt.sampler.integration_time = 3.0;
  const StaticHmc hmc;  // jittered integration time
  const auto run = run_chains(model, hmc, opt);
  testing::check_against_gaussian(run, g);
  const auto& c = run.chains[0];
  CHECK(c.sampler == "hmc");
  // Dual averaging: acceptance at least near the target 0.8 (on a Gaussian the acceptance of
  // static HMC falls off a cliff near the stability limit, so the averaged step size lands on
  // the safe side) and a step size that did not collapse (sd of the narrow direction is 0.45
  // after the diagonal metric).
  double accept = 0;
  for (const auto& chain : run.chains) accept += chain.diagnostics.accept_stat.mean() / 4.0;
  INFO("mean accept_stat " << accept << ", stepsize " << c.stepsize);
  CHECK(accept > 0.75);
  CHECK(accept < 0.995);
  CHECK(c.stepsize > 0.2);
  // The diagonal metric estimates the marginal variances (1 and 9).
  REQUIRE(c.inverse_metric.size() == 2);
  CHECK(c.inverse_metric(0) == Approx(1.0).epsilon(0.5));
  CHECK(c.inverse_metric(1) == Approx(9.0).epsilon(0.5));
  // L = floor(T / eps) leapfrog steps, T jittered within integration_time * [0.5, 1.5]; one
  // gradient each.
  CHECK(c.diagnostics.n_leapfrog.minCoeff() >= static_cast<int>(std::floor(1.5 / c.stepsize)));
  CHECK(c.diagnostics.n_leapfrog.maxCoeff() <= static_cast<int>(std::floor(4.5 / c.stepsize)));
  CHECK(c.diagnostics.n_leapfrog.maxCoeff() > c.diagnostics.n_leapfrog.minCoeff());
  CHECK(c.sampling_gradient_evaluations == c.diagnostics.n_leapfrog.cast<long long>().sum());
  // int_time__ is the time integrated: L x stepsize, inside the jittered interval.
  const auto& d = c.diagnostics;
  CHECK(d.int_time.isApprox(d.n_leapfrog.cast<double>().cwiseProduct(d.stepsize)));
  CHECK(d.int_time.minCoeff() > 1.5 - c.stepsize);
  CHECK(d.int_time.maxCoeff() <= 4.5);
  CHECK(d.all.treedepth_saturated() == 0);
  CHECK(run.divergences() == 0);
  opt.threads = 1;
  CHECK(testing::identical_draws(run, run_chains(model, hmc, opt)));
}

TEST_CASE("hmc: fixed number of leapfrog steps without adaptation") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = 200;
  opt.sampler.draws = 2000;
  opt.sampler.adapt = false;
  opt.sampler.stepsize = 0.25;
  opt.sampler.metric = Metric::unit;
  const StaticHmc hmc(7);
  const auto run = run_chains(model, hmc, opt);
  testing::check_against_gaussian(run, g);
  for (const auto& c : run.chains) {
    CHECK((c.diagnostics.n_leapfrog.array() == 7).all());
    CHECK((c.diagnostics.stepsize.array() == 0.25).all());
  }
}

TEST_CASE("hmc: trajectories cut at 2^max_treedepth leapfrog steps are counted and warned about") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 0;
  opt.sampler.draws = 40;
  opt.sampler.thin = 4;  // the count covers the thinned-away iterations too
  opt.sampler.adapt = false;
  opt.sampler.stepsize = 0.1;
  opt.sampler.integration_time = 10.0;  // T / eps >= 50 steps, the cap is 2^3 = 8
  opt.sampler.max_treedepth = 3;
  const auto run = run_chains(model, StaticHmc(), opt);
  for (const auto& c : run.chains) {
    CHECK((c.diagnostics.n_leapfrog.array() == 8).all());
    CHECK((c.diagnostics.int_time.array() == 0.8).all());
    CHECK(c.diagnostics.all.treedepth_saturated() == 40);
  }
  const auto summary = summarize(run);
  CHECK(summary.health.treedepth_saturated == 80);
  const std::string text = format_summary(summary);
  INFO(text);
  CHECK(text.find("; leapfrog cap hit: 80") != std::string::npos);
  CHECK(text.find("80 of 80 sampling iterations were cut at 2^max_treedepth leapfrog steps") != std::string::npos);
  // A fixed step count is what the user asked for: never counted as cut.
  opt.sampler.max_treedepth = 2;
  for (const auto& c : run_chains(model, StaticHmc(7), opt).chains) CHECK(c.diagnostics.all.treedepth_saturated() == 0);
}

TEST_CASE("hmc: a too-large step size diverges and is reported, not silently accepted") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  StaticHmc hmc(20);
  SamplerOptions o;
  o.warmup = 0;
  o.draws = 50;
  o.adapt = false;
  o.stepsize = 3.0;  // beyond the leapfrog stability limit 2 * sd_min (0.6 * 2 = 1.2)
  o.metric = Metric::unit;
  auto rng = gpbo::make_rng(1);
  const auto r = hmc.run(model, g.mean, rng, o);
  CHECK(r.diagnostics.divergent.sum() == 50);
  CHECK((r.unconstrained_draws.rowwise() - g.mean.transpose()).norm() == 0.0);
  CHECK_THROWS_AS(StaticHmc(-1), std::invalid_argument);
  CHECK_THROWS_AS(StaticHmc(0, 1.0), std::invalid_argument);
}

TEST_CASE("hmc and nuts: divergences of a run that adapted nothing advise a smaller step size, not adapt_delta") {
  // adapt_delta sets nothing without adaptation (adapt off, or no warmup to adapt in): its advice
  // sent a --no-adapt run at step size 3 after a knob it had turned off.
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.draws = 20;
  opt.sampler.stepsize = 3.0;  // beyond the leapfrog stability limit
  opt.sampler.metric = Metric::unit;
  for (const char* sampler : {"hmc", "nuts"})
    for (const int warmup : {0, 10}) {
      opt.sampler.warmup = warmup;
      opt.sampler.adapt = warmup == 0;  // warmup 0: on, but with nothing to adapt in
      const auto run = run_chains(model, sampler, opt);
      CHECK_FALSE(run.adapted);
      const auto s = summarize(run);
      INFO(sampler << " warmup " << warmup << "\n" << format_summary(s));
      REQUIRE(s.health.divergences > 0);
      CHECK(s.warnings.front().find("the draws may be biased; nothing adapted the step size: lower it (stepsize) or "
                                    "reparameterize") != std::string::npos);
    }
  opt.sampler.warmup = 100;
  opt.sampler.adapt = true;
  CHECK(run_chains(model, "nuts", opt).adapted);
}

TEST_CASE("hmc: jittered integration time avoids the periodicity of T = 2 pi on a standard normal") {
  // With the identity metric and T = 2 pi a standard normal returns (nearly) to its start every
  // iteration; jitter restores mixing. Compare the ESS of the two.
  const FunctionLogDensity model = testing::standard_normal(1);
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 0;
  opt.sampler.draws = 1000;
  opt.sampler.adapt = false;
  opt.sampler.stepsize = 0.1;
  opt.sampler.metric = Metric::unit;
  const auto periodic = run_chains(model, StaticHmc(0, 0.0), opt);
  const auto jittered = run_chains(model, StaticHmc(0, 0.5), opt);
  const double ess_periodic = ess_bulk(periodic.column(0)), ess_jittered = ess_bulk(jittered.column(0));
  INFO("bulk ESS periodic " << ess_periodic << ", jittered " << ess_jittered);
  CHECK(ess_jittered > 1000);
  CHECK(ess_periodic < 0.25 * ess_jittered);
}
