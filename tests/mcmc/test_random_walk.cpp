#include <catch2/catch.hpp>

#include <cmath>

#include "gaussian_target.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/random_walk.hpp"

using namespace gpbo::mcmc;

TEST_CASE("rwm: correlated 2-D Gaussian moments within 4 MCSE; acceptance adapted to 0.234") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = 1500;
  opt.sampler.draws = 5000;
  opt.sampler.seed = 21;
  const RandomWalkMetropolis rwm;
  const auto run = run_chains(model, rwm, opt);
  testing::check_against_gaussian(run, g);
  double accept = 0;
  for (const auto& c : run.chains) {
    CHECK(c.sampler == "rwm");
    CHECK(c.density_evaluations == 1 + 6500);
    CHECK(c.diagnostics.n_leapfrog.size() == 0);
    accept += c.diagnostics.accept_stat.mean() / 4.0;
  }
  INFO("mean acceptance probability " << accept);
  CHECK(accept == Approx(0.234).margin(0.06));
  opt.threads = 1;
  CHECK(testing::identical_draws(run, run_chains(model, rwm, opt)));
}

TEST_CASE("rwm: without adaptation a far too small scale mixes badly (the adaptation matters)") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 1500;
  opt.sampler.draws = 2000;
  opt.sampler.stepsize = 0.01;
  opt.inits = {g.mean};
  opt.sampler.adapt = false;
  const RandomWalkMetropolis rwm;
  const auto fixed = run_chains(model, rwm, opt);
  opt.sampler.adapt = true;
  const auto adapted = run_chains(model, rwm, opt);
  const double ess_fixed = ess_bulk(fixed.column(1)), ess_adapted = ess_bulk(adapted.column(1));
  INFO("ess fixed " << ess_fixed << ", adapted " << ess_adapted);
  CHECK(ess_adapted > 10 * ess_fixed);
  CHECK(fixed.chains[0].diagnostics.accept_stat.mean() > 0.9);
  CHECK(fixed.chains[0].stepsize == Approx(0.01));
}
