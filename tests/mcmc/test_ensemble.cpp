#include <catch2/catch.hpp>

#include <cmath>

#include "gaussian_target.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/ensemble.hpp"

using namespace gpbo::mcmc;

TEST_CASE("ensemble: correlated 2-D Gaussian moments within 4 MCSE in both walker layouts") {
  const testing::Gaussian2 g;
  const auto model = g.density();
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = 500;
  opt.sampler.draws = 2000;
  opt.sampler.thin = 2;
  opt.sampler.ensemble_walkers = 8;
  opt.sampler.seed = 17;
  const EnsembleSampler ensemble;
  const auto run = run_chains(model, ensemble, opt);
  REQUIRE(run.chains.size() == 4);
  const auto& c = run.chains[0];
  CHECK(c.sampler == "ensemble");
  CHECK(c.draws.rows() == 8 * 1000);  // walker-major: 8 blocks of 1000 kept iterations
  CHECK(c.diagnostics.accept_stat.size() == 8 * 1000);
  CHECK(c.density_evaluations == 1 + 7 + 8 * 2500);  // initial + other walkers + one proposal each
  CHECK(c.stepsize == 2.0);
  const double ess_joined = testing::check_against_gaussian(run, g);

  const auto per_walker = split_walkers(run, 8);
  REQUIRE(per_walker.chains.size() == 32);
  CHECK(per_walker.chains[9].draws == run.chains[1].draws.middleRows(1000, 1000));
  CHECK(per_walker.chains[9].chain == 9);
  CHECK(per_walker.gradient_evaluations() == run.gradient_evaluations());
  CHECK(per_walker.chain_seconds_sum() == Approx(run.chain_seconds_sum()));
  const double ess_split = testing::check_against_gaussian(per_walker, g);
  // The two layouts see the same autocorrelation: their ESS agree to within a factor 1.5.
  INFO("bulk ESS walker-major " << ess_joined << ", one chain per walker " << ess_split);
  CHECK(ess_joined / ess_split > 1 / 1.5);
  CHECK(ess_joined / ess_split < 1.5);
  // Acceptance of the stretch move on a 2-D Gaussian is moderate (emcee reports ~0.5-0.7).
  double accept = 0;
  for (const auto& chain : run.chains) accept += chain.diagnostics.accept_stat.mean() / 4.0;
  CHECK(accept > 0.3);
  CHECK(accept < 0.9);
  opt.threads = 1;
  CHECK(testing::identical_draws(run, run_chains(model, ensemble, opt)));
}

TEST_CASE("ensemble: walker count, option errors, and split_walkers shape errors") {
  SamplerOptions o;
  CHECK(ensemble_walkers(o, 1) == 4);
  CHECK(ensemble_walkers(o, 5) == 10);
  o.ensemble_walkers = 11;
  CHECK(ensemble_walkers(o, 5) == 12);
  // Fewer than 2d walkers stay in a subspace: refused, as emcee refuses them (1 became 4 silently).
  o.ensemble_walkers = 4;
  CHECK_THROWS_WITH(ensemble_walkers(o, 10),
                    "ensemble: ensemble_walkers is 4; it must be at least max(4, 2 x dimension) = 20 (or 0 for that default)");
  o.ensemble_walkers = 1;
  CHECK_THROWS_AS(ensemble_walkers(o, 1), std::invalid_argument);
  MultiChainResult bad;
  bad.chains.resize(1);
  bad.chains[0].draws = Eigen::MatrixXd::Zero(7, 2);
  CHECK_THROWS_AS(split_walkers(bad, 2), std::invalid_argument);
  const testing::Gaussian2 g;
  auto rng = gpbo::make_rng(1);
  o.ensemble_stretch = 1.0;
  CHECK_THROWS_AS(EnsembleSampler().run(g.density(), g.mean, rng, o), std::invalid_argument);
}
