// The C++ API at its edges, as a reviewer drove it: samplers called directly, expressions as
// vectorized arguments, counts held as doubles, options at infinity, errors outside log_density.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <chrono>
#include <limits>
#include <thread>

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/distributions.hpp"
#include "gpbo/mcmc/elliptical_slice.hpp"
#include "gpbo/mcmc/ensemble.hpp"
#include "gpbo/mcmc/hmc.hpp"
#include "gpbo/mcmc/nuts.hpp"
#include "gpbo/mcmc/summary.hpp"
#include "gaussian_target.hpp"

using namespace gpbo::mcmc;
using gpbo::mcmc::testing::standard_normal;

namespace {
using AD = Eigen::AutoDiffScalar<Eigen::VectorXd>;
constexpr double kInf = std::numeric_limits<double>::infinity();

ChainOptions short_run(int chains, int warmup, int draws) {
  ChainOptions opt;
  opt.chains = chains;
  opt.sampler.warmup = warmup;
  opt.sampler.draws = draws;
  return opt;
}
}  // namespace

TEST_CASE("mcmc api: a gradient callable that leaves grad unsized is an error in Sampler::run too") {
  // Only run_chains checked it; Nuts().run went on to read an empty gradient (a segfault).
  const FunctionLogDensity lazy(2, [](const Eigen::VectorXd& x, Eigen::VectorXd&) { return -0.5 * x.squaredNorm(); });
  SamplerOptions so;
  so.warmup = 10;
  so.draws = 10;
  gpbo::Rng rng = gpbo::make_rng(1);
  CHECK_THROWS_WITH(Nuts().run(lazy, Eigen::VectorXd::Zero(2), rng, so), Catch::Contains("a log-density callable must resize grad"));
  CHECK_THROWS_WITH(StaticHmc().run(lazy, Eigen::VectorXd::Zero(2), rng, so), Catch::Contains("the gradient has size 0"));
}

TEST_CASE("mcmc api: vectorized densities and multiply() take segments, heads and tails of AD vectors") {
  Eigen::Matrix<AD, -1, 1> theta(4);
  for (int i = 0; i < 4; ++i) theta(i) = AD(0.1 * (i + 1), 4, i);
  // Hierarchical models write theta.tail(n - 1) ~ normal(0, 1): it did not compile (VectorBlock).
  const AD tail = normal_lpdf(theta.tail(3), 0.0, 1.0);
  const AD copied = normal_lpdf(Eigen::Matrix<AD, -1, 1>(theta.tail(3)), 0.0, 1.0);
  CHECK(tail.value() == Approx(copied.value()));
  CHECK((tail.derivatives() - copied.derivatives()).norm() < 1e-14);
  CHECK(tail.derivatives()(0) == 0.0);
  CHECK(tail.derivatives()(3) == Approx(-0.4));
  const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(4, -1.0, 1.0);
  CHECK(normal_lpdf(y.segment(1, 2), 0.0, 2.0) == Approx(normal_lpdf(y(1), 0.0, 2.0) + normal_lpdf(y(2), 0.0, 2.0)));
  Eigen::MatrixXd X(2, 2);
  X << 1.0, 2.0, -1.0, 0.5;
  const Eigen::Matrix<AD, -1, 1> xb = multiply(X, theta.segment(1, 2));
  const Eigen::Matrix<AD, -1, 1> reference = multiply(X, Eigen::Matrix<AD, -1, 1>(theta.segment(1, 2)));
  for (int i = 0; i < 2; ++i) {
    CHECK(xb(i).value() == reference(i).value());
    CHECK(xb(i).derivatives() == reference(i).derivatives());
  }
  CHECK(multiply(X, y.head(2)).isApprox(X * y.head(2)));
}

TEST_CASE("mcmc api: counts held as doubles must be whole numbers") {
  // static_cast<int> made poisson(0.7) the mass of 0 and poisson(-0.5) that of 0.
  Eigen::VectorXd y(2), eta(2);
  y << 0.7, 2.9;
  eta << 0.0, 0.5;
  CHECK(poisson_log_lpmf(y, eta) == -kInf);
  CHECK(poisson_log_lpmf((Eigen::VectorXd(1) << -0.5).finished(), Eigen::VectorXd::Zero(1).eval()) == -kInf);
  y << 0.0, 3.0;
  CHECK(poisson_log_lpmf(y, eta) == Approx(poisson_log_lpmf(0, 0.0) + poisson_log_lpmf(3, 0.5)));
  Eigen::VectorXd b(2);
  b << 1.0, 0.5;
  CHECK(bernoulli_logit_lpmf(b, eta) == -kInf);
  Eigen::Matrix<AD, -1, 1> a(2);
  a << AD(0.3, 2, 0), AD(-0.1, 2, 1);
  CHECK(bernoulli_logit_lpmf(b, a).value() == -kInf);
  b << 1.0, 0.0;
  CHECK(bernoulli_logit_lpmf(b, a).value() == Approx(bernoulli_logit_lpmf(1, 0.3) + bernoulli_logit_lpmf(0, -0.1)));
}

TEST_CASE("mcmc api: an infinite slice width or ensemble stretch is refused, not a chain that never moves") {
  const auto model = standard_normal(1);
  ChainOptions opt = short_run(1, 10, 10);
  opt.sampler.slice_width = kInf;
  CHECK_THROWS_WITH(run_chains(model, "slice", opt), Catch::Contains("slice_width must be positive and finite"));
  opt.sampler.slice_width = 1.0;
  opt.sampler.ensemble_stretch = 1e300;
  CHECK_THROWS_WITH(run_chains(model, "ensemble", opt), Catch::Contains("ensemble_stretch must be in (1, 1000]"));
}

TEST_CASE("mcmc api: the elliptical slice sampler applies Stan's support rule to a native likelihood") {
  // y ~ N(f, 1) observed at 1, f ~ N(0, 1), f > 0 (a domain_error below): the posterior is
  // N(1/2, 1/2) truncated to f > 0, whose mean is 1/2 + s phi(a) / (1 - Phi(a)), a = -1/2 / s,
  // s = sqrt(1/2): 0.789.
  const GaussianPriorModel truncated(GaussianPrior::standard(1), [](const Eigen::VectorXd& f) {
    if (f(0) < 0) throw std::domain_error("f < 0");
    return -0.5 * (f(0) - 1.0) * (f(0) - 1.0);
  });
  ChainOptions opt = short_run(2, 500, 4000);
  opt.sampler.seed = 3;
  opt.inits = {Eigen::VectorXd::Constant(1, 0.5)};
  const auto run = run_chains(truncated, "ess", opt);
  const double s = std::sqrt(0.5), alpha = -0.5 / s;
  const double phi = std::exp(-0.5 * alpha * alpha) / std::sqrt(2 * M_PI), tail = 0.5 * std::erfc(alpha / std::sqrt(2.0));
  const double mean = 0.5 + s * phi / tail;
  CHECK(run.column(0).minCoeff() >= 0.0);
  CHECK(run.column(0).mean() == Approx(mean).margin(0.03));
  // Any other exception names the model and the point, as for every other sampler.
  const GaussianPriorModel buggy(GaussianPrior::standard(1), [](const Eigen::VectorXd&) -> double { throw std::out_of_range("index"); },
                                 {}, "buggy");
  CHECK_THROWS_WITH(run_chains(buggy, "ess", opt), Catch::Contains("model 'buggy': log density threw at theta = ("));
}

TEST_CASE("mcmc api: an output function that throws names the model and the point") {
  auto model = standard_normal(1);
  model.with_outputs({"log_x"}, [](const Eigen::VectorXd& x, Eigen::VectorXd& out) {
    if (x(0) < 0) throw std::domain_error("log of negative");
    out = x.array().log();
  });
  const ChainOptions opt = short_run(1, 20, 50);
  CHECK_THROWS_WITH(run_chains(model, "nuts", opt), Catch::Contains("outputs() threw at theta = (") && Catch::Contains("log of negative"));
}

TEST_CASE("mcmc api: split_walkers keeps the run's totals and settings") {
  const auto model = standard_normal(2);
  ChainOptions opt = short_run(2, 50, 40);
  opt.sampler.ensemble_walkers = 4;
  opt.sampler.max_treedepth = 7;
  const auto run = run_chains(model, "ensemble", opt);
  const auto split = split_walkers(run, 4);
  CHECK(split.chains.size() == 8);
  CHECK(split.max_treedepth == 7);
  CHECK(split.chain_cpu_seconds_sum() == run.chain_cpu_seconds_sum());
  CHECK(split.chain_seconds_sum() == Approx(run.chain_seconds_sum()));
}

TEST_CASE("mcmc api: summaries of chains of different lengths are refused, not read out of bounds") {
  const auto model = standard_normal(1);
  auto run = run_chains(model, "nuts", short_run(2, 50, 40));
  auto& second = run.chains[1];
  second.draws.conservativeResize(20, Eigen::NoChange);  // combined by hand from a shorter run
  second.lp.conservativeResize(20);
  CHECK_THROWS_WITH(summarize(run), Catch::Contains("chain 2 has 20 x 1 draws and 20 lp values, chain 1 40 x 1"));
  CHECK_THROWS_AS(run.column(0), std::invalid_argument);
}

TEST_CASE("mcmc api: a chain that fails stops the others at once, and its error is the one reported") {
  // The other chains ran to the end before the error came out: hours, on a long run.
  std::atomic<long> evaluations{0};
  std::atomic<bool> failed{false};
  const FunctionLogDensity flaky(2, [&](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    if (evaluations.fetch_add(1) == 500) {
      failed = true;
      throw std::runtime_error("a bug in the model");
    }
    // After the failure the other chains' evaluations wait a little: the count then measures when
    // they stop, not how long a loaded machine kept the failing thread from raising the alarm
    // (14315 evaluations once, beside a sanitizer build, where an idle machine gave a few hundred).
    if (failed) std::this_thread::sleep_for(std::chrono::microseconds(200));
    g = -x;
    return -0.5 * x.squaredNorm();
  });
  for (const unsigned threads : {1u, 2u}) {
    INFO(threads << " threads");
    evaluations = 0;
    failed = false;
    ChainOptions opt = short_run(4, 2000, 2000);
    opt.threads = threads;
    CHECK_THROWS_WITH(run_chains(flaky, "nuts", opt), Catch::Contains("a bug in the model"));
    CHECK(evaluations.load() < 1500);  // 4 whole chains take about 60000
  }
}

TEST_CASE("mcmc api: a sampler's own failure names the model and the chain") {
  // An improper (flat) density: NUTS's initial step size search grows without bound.
  const FunctionLogDensity flat(1, [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = Eigen::VectorXd::Zero(x.size());
    return 0.0;
  }, {}, "flat");
  ChainOptions opt = short_run(2, 20, 10);
  opt.threads = 1;
  CHECK_THROWS_WITH(run_chains(flat, "nuts", opt),
                    Catch::Contains("model 'flat', chain 1, warmup iteration 1: step size search diverged to > 1e7"));
}

TEST_CASE("mcmc api: a model error names the iteration as warmup and draws count them") {
  // Random-walk Metropolis evaluates the density once an iteration: a model that throws at its
  // 160th evaluation (the initial point took two) does so in sampling iteration 58 of 100; the
  // message said 158, counting warmup in.
  int calls = 0;
  const FunctionLogDensity late(1, [&calls](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    if (++calls == 160) throw std::runtime_error("boom");
    g = -x;
    return -0.5 * x.squaredNorm();
  }, {}, "late");
  ChainOptions opt = short_run(1, 100, 100);
  opt.threads = 1;
  CHECK_THROWS_WITH(run_chains(late, "rwm", opt), Catch::StartsWith("chain 1, sampling iteration 58: model 'late'"));
  // Elliptical slice's adaptive first phase (slice sweeps) counts its iterations too: on the
  // slice sampler's random stream it meets the throw where slice does (it said iteration 1).
  const FunctionLogDensity edge(1, [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    if (x(0) > 2.5) throw std::runtime_error("boom");
    g = -x;
    return -0.5 * x.squaredNorm();
  }, {}, "edge");
  opt = short_run(1, 200, 10);
  std::string slice_message, ess_message;
  try {
    (void)run_chains(edge, "slice", opt);
  } catch (const std::exception& e) {
    slice_message = e.what();
  }
  try {
    (void)run_chains(edge, "ess", opt);
  } catch (const std::exception& e) {
    ess_message = e.what();
  }
  CHECK_THAT(slice_message, Catch::StartsWith("chain 1, warmup iteration "));
  CHECK(ess_message == slice_message);
  CHECK_FALSE(slice_message.starts_with("chain 1, warmup iteration 1:"));
}
