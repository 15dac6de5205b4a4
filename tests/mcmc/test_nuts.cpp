#include <catch2/catch.hpp>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <cmath>

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gpbo/mcmc/nuts.hpp"
#include "gpbo/mcmc/sampler_registry.hpp"
#include "gpbo/mcmc/summary.hpp"
#include "gaussian_target.hpp"

using namespace gpbo::mcmc;

namespace {

// A multivariate normal N(mean, cov) as a LogDensity.
FunctionLogDensity gaussian(const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov) {
  const Eigen::MatrixXd precision = cov.inverse();
  return FunctionLogDensity(static_cast<int>(mean.size()), [mean, precision](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = -precision * (x - mean);
    return 0.5 * (x - mean).dot(g);
  });
}

// Checks E[x_j] and E[(x_j - mean_j)(x_k - mean_k)] against closed forms within 4 MCSE.
void check_moments(const MultiChainResult& run, const Eigen::VectorXd& mean, const Eigen::MatrixXd& cov) {
  const int d = static_cast<int>(mean.size());
  for (int j = 0; j < d; ++j) {
    const Eigen::MatrixXd xj = run.column(j);
    INFO("coordinate " << j);
    CHECK(std::abs(xj.mean() - mean(j)) < 4 * mcse_mean(xj));
    CHECK(rhat(xj) < 1.01);
    for (int k = j; k < d; ++k) {
      const Eigen::MatrixXd prod = ((xj.array() - mean(j)) * (run.column(k).array() - mean(k))).matrix();
      INFO("second moment " << j << "," << k << ": " << prod.mean() << " vs " << cov(j, k));
      CHECK(std::abs(prod.mean() - cov(j, k)) < 4 * mcse_mean(prod));
    }
  }
}

ChainOptions short_run(int warmup, int draws, std::uint64_t seed = 1) {
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = warmup;
  opt.sampler.draws = draws;
  opt.sampler.seed = seed;
  return opt;
}

}  // namespace

TEST_CASE("nuts: conjugate normal posterior mean and variance within 4 MCSE of the closed form") {
  // y_i ~ normal(mu, 1), mu ~ normal(0, 10): posterior normal with precision n + 1/100.
  const Eigen::VectorXd y = (Eigen::VectorXd(8) << 1.2, 0.4, 2.1, 1.7, 0.9, 1.4, 2.6, 0.2).finished();
  const double post_prec = static_cast<double>(y.size()) + 0.01, post_mean = y.sum() / post_prec;
  FunctionLogDensity model(1, [&y](const Eigen::VectorXd& mu, Eigen::VectorXd& g) {
    g.resize(1);
    g(0) = (y.array() - mu(0)).sum() - mu(0) / 100.0;
    return -0.5 * (y.array() - mu(0)).square().sum() - 0.5 * mu(0) * mu(0) / 100.0;
  });
  const auto run = run_chains(model, "nuts", short_run(300, 1000));
  check_moments(run, Eigen::VectorXd::Constant(1, post_mean), Eigen::MatrixXd::Constant(1, 1, 1.0 / post_prec));
  CHECK(run.divergences() == 0);
}

TEST_CASE("nuts: correlated 5-D Gaussian with a dense metric matches closed-form moments") {
  Eigen::MatrixXd cov(5, 5);
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 5; ++j) cov(i, j) = std::pow(0.9, std::abs(i - j)) * (i + 1.0) * (j + 1.0) / 4.0;
  const Eigen::VectorXd mean = (Eigen::VectorXd(5) << 1, -2, 0.5, 3, 0).finished();
  auto model = gaussian(mean, cov);
  auto opt = short_run(500, 1000, 7);
  opt.sampler.metric = Metric::dense;
  const auto run = run_chains(model, "nuts", opt);
  check_moments(run, mean, cov);
  // The adapted inverse metric estimates the posterior covariance.
  const Eigen::MatrixXd& inv_metric = run.chains[0].inverse_metric;
  REQUIRE(inv_metric.rows() == 5);
  REQUIRE(inv_metric.cols() == 5);
  for (int i = 0; i < 5; ++i) CHECK(inv_metric(i, i) == Approx(cov(i, i)).epsilon(0.35));
  CHECK(inv_metric(0, 1) / std::sqrt(inv_metric(0, 0) * inv_metric(1, 1)) == Approx(0.9).margin(0.1));
  // Dense adaptation makes the correlated target easy: short trajectories, large step.
  double mean_leapfrog = 0;
  for (const auto& c : run.chains) mean_leapfrog += c.diagnostics.n_leapfrog.cast<double>().mean() / 4;
  CHECK(mean_leapfrog < 8);
}

TEST_CASE("nuts: 2-D correlated Gaussian with the diagonal metric") {
  Eigen::MatrixXd cov(2, 2);
  cov << 1.0, 0.95 * 2.0, 0.95 * 2.0, 4.0;
  auto model = gaussian(Eigen::VectorXd::Zero(2), cov);
  const auto run = run_chains(model, "nuts", short_run(500, 1000, 3));
  check_moments(run, Eigen::VectorXd::Zero(2), cov);
  CHECK(run.chains[0].inverse_metric.cols() == 1);
  CHECK(run.chains[0].inverse_metric(1, 0) == Approx(4.0).epsilon(0.35));
}

// Mean leapfrog steps per kept iteration over all chains.
double mean_leapfrog_steps(const MultiChainResult& run) {
  double total = 0;
  for (const auto& c : run.chains) total += c.diagnostics.n_leapfrog.cast<double>().mean();
  return total / static_cast<double>(run.chains.size());
}

TEST_CASE("nuts and hmc: a given inverse metric and step size sample without any warmup") {
  // Scales 100 and 0.01 apart: with the identity metric a step small enough for the narrow
  // coordinate needs thousands of steps to cross the wide one. The given metric (the variances)
  // makes the target a standard normal, as CmdStan's metric_file with adaptation off would.
  const Eigen::Vector3d sd(1.0, 100.0, 0.01), mean(0.5, -20.0, 0.003);
  const Eigen::MatrixXd cov = sd.array().square().matrix().asDiagonal();
  auto model = gaussian(mean, cov);
  auto opt = short_run(0, 1000, 5);
  opt.sampler.adapt = false;
  opt.sampler.stepsize = 0.8;
  opt.sampler.inverse_metric = sd.array().square().matrix();
  const auto nuts = run_chains(model, "nuts", opt);
  check_moments(nuts, mean, cov);
  CHECK(mean_leapfrog_steps(nuts) < 8);
  for (const auto& c : nuts.chains) CHECK(c.inverse_metric == opt.sampler.inverse_metric);
  const auto hmc = run_chains(model, "hmc", opt);
  check_moments(hmc, mean, cov);
  CHECK(mean_leapfrog_steps(hmc) < 12);  // 2 pi / 0.8, jittered

  // The same run from the identity metric, with a step the narrow coordinate allows: about 60
  // times the leapfrog steps per iteration.
  opt.sampler.inverse_metric.resize(0, 0);
  opt.sampler.stepsize = 0.01;
  opt.sampler.draws = 50;
  const auto identity = run_chains(model, "nuts", opt);
  CHECK(mean_leapfrog_steps(identity) > 300);
}

TEST_CASE("nuts: a dense inverse metric given without adaptation samples a correlated Gaussian") {
  Eigen::MatrixXd cov(3, 3);
  cov << 1.0, 0.99 * 3, 0.0,  //
      0.99 * 3, 9.0, 0.0,     //
      0.0, 0.0, 1e-4;
  const Eigen::Vector3d mean(1.0, 2.0, 3.0);
  auto model = gaussian(mean, cov);
  auto opt = short_run(0, 1000, 11);
  opt.sampler.adapt = false;
  opt.sampler.metric = Metric::dense;
  opt.sampler.stepsize = 0.8;
  opt.sampler.inverse_metric = cov;
  const auto run = run_chains(model, "nuts", opt);
  check_moments(run, mean, cov);
  CHECK(mean_leapfrog_steps(run) < 8);
}

TEST_CASE("nuts: adaptation starts from a given metric and replaces it by its own estimate") {
  const Eigen::Vector2d sd(1.0, 30.0);
  auto model = gaussian(Eigen::Vector2d::Zero(), Eigen::MatrixXd(sd.array().square().matrix().asDiagonal()));
  auto opt = short_run(300, 200, 2);
  opt.sampler.inverse_metric = Eigen::Vector2d(1e4, 1e-4);  // badly wrong on purpose
  const auto run = run_chains(model, "nuts", opt);
  for (const auto& c : run.chains) {
    CHECK(c.inverse_metric(0) == Approx(1.0).epsilon(0.5));
    CHECK(c.inverse_metric(1) == Approx(900.0).epsilon(0.5));
  }
}

TEST_CASE("nuts: with adapt_metric off, a short warmup tunes the step size and keeps the given metric") {
  // A warm start from a metric adapted before: 30 warmup iterations suffice to tune the step
  // size, and the metric is used as given, wrong or right.
  const Eigen::Vector2d sd(1.0, 30.0);
  const Eigen::MatrixXd cov = sd.array().square().matrix().asDiagonal();
  auto model = gaussian(Eigen::Vector2d(1.0, -3.0), cov);
  auto opt = short_run(30, 1000, 4);
  opt.sampler.adapt_metric = false;
  opt.sampler.stepsize = 0.05;  // far off: the dual averaging has to move it
  opt.sampler.inverse_metric = sd.array().square().matrix();
  const auto run = run_chains(model, "nuts", opt);
  check_moments(run, Eigen::Vector2d(1.0, -3.0), cov);
  CHECK(mean_leapfrog_steps(run) < 8);
  for (const auto& c : run.chains) {
    CHECK(c.inverse_metric == opt.sampler.inverse_metric);
    CHECK(c.stepsize > 0.3);
  }
  opt.sampler.inverse_metric = Eigen::Vector2d(1e4, 1e-4);
  for (const auto& c : run_chains(model, "nuts", opt).chains) CHECK(c.inverse_metric == opt.sampler.inverse_metric);
}

TEST_CASE("sampler options: unusable initial inverse metrics are refused with the reason") {
  auto model = gaussian(Eigen::VectorXd::Zero(2), Eigen::MatrixXd::Identity(2, 2));
  auto opt = short_run(0, 5);
  const auto refused = [&](const Eigen::MatrixXd& m, Metric kind) {
    opt.sampler.metric = kind;
    opt.sampler.inverse_metric = m;
    return run_chains(model, "nuts", opt);
  };
  CHECK_THROWS_WITH(refused(Eigen::Vector2d(1, 1), Metric::unit), Catch::Contains("inverse_metric: given with the unit metric"));
  CHECK_THROWS_WITH(refused(Eigen::Vector2d(1, 0), Metric::diag), Catch::Contains("must be positive"));
  CHECK_THROWS_WITH(refused(Eigen::Vector2d(1, NAN), Metric::diag), Catch::Contains("non-finite"));
  CHECK_THROWS_WITH(refused(Eigen::Matrix2d::Identity(), Metric::diag), Catch::Contains("d x 1 column, got 2 x 2"));
  CHECK_THROWS_WITH(refused(Eigen::Vector3d(1, 1, 1), Metric::diag), Catch::Contains("inverse_metric is 3 x 1, model dimension is 2"));
  CHECK_THROWS_WITH(refused(Eigen::Vector2d(1, 1), Metric::dense), Catch::Contains("square matrix, got 2 x 1"));
  Eigen::Matrix2d m;
  m << 1, 0.5, 0.4, 1;
  CHECK_THROWS_WITH(refused(m, Metric::dense), Catch::Contains("must be symmetric"));
  m << 1, 2, 2, 1;
  CHECK_THROWS_WITH(refused(m, Metric::dense), Catch::Contains("positive definite"));
  m << 2, 0.5, 0.5, 1;
  CHECK_NOTHROW(refused(m, Metric::dense));
}

TEST_CASE("nuts: draws are identical whatever the number of threads, and depend on the seed") {
  Eigen::MatrixXd cov = Eigen::MatrixXd::Identity(3, 3);
  cov(0, 1) = cov(1, 0) = 0.5;
  auto model = gaussian(Eigen::VectorXd::Zero(3), cov);
  auto opt = short_run(100, 100, 42);
  opt.threads = 1;
  const auto one = run_chains(model, "nuts", opt);
  opt.threads = 4;
  const auto four = run_chains(model, "nuts", opt);
  for (int c = 0; c < 4; ++c) {
    CHECK(one.chains[c].draws == four.chains[c].draws);
    CHECK(one.chains[c].diagnostics.n_leapfrog == four.chains[c].diagnostics.n_leapfrog);
    CHECK(one.chains[c].initial == four.chains[c].initial);
  }
  CHECK(one.chains[0].draws != one.chains[1].draws);
  opt.sampler.seed = 43;
  CHECK(run_chains(model, "nuts", opt).chains[0].draws != one.chains[0].draws);
}

TEST_CASE("nuts: Neal's funnel (centered) reports divergences instead of staying silent") {
  const FunctionLogDensity funnel = testing::centered_funnel();
  const auto run = run_chains(funnel, "nuts", short_run(300, 300, 5));
  CHECK(run.divergences() > 0);
  const auto summary = summarize(run);
  bool warned = false;
  for (const auto& w : summary.warnings) warned = warned || w.find("divergence") != std::string::npos;
  CHECK(warned);
  CHECK(format_summary(summary).find("Divergences: " + std::to_string(run.divergences())) != std::string::npos);
}

TEST_CASE("nuts: sampler diagnostics are filled and consistent") {
  auto model = gaussian(Eigen::VectorXd::Zero(4), Eigen::MatrixXd::Identity(4, 4));
  auto opt = short_run(200, 200);
  opt.sampler.thin = 3;
  opt.sampler.max_treedepth = 2;
  const auto run = run_chains(model, "nuts", opt);
  for (const auto& c : run.chains) {
    const auto& d = c.diagnostics;
    REQUIRE(c.draws.rows() == 67);  // ceil(200 / 3)
    CHECK(d.treedepth.maxCoeff() <= 2);
    CHECK((d.n_leapfrog.array() <= 3).all());  // at most 2^2 - 1 steps
    CHECK((d.accept_stat.array() >= 0).all());
    CHECK((d.accept_stat.array() <= 1).all());
    CHECK((d.stepsize.array() == c.stepsize).all());
    CHECK(c.sampling_gradient_evaluations >= d.n_leapfrog.sum());
    CHECK(c.gradient_evaluations > c.sampling_gradient_evaluations);
    for (Eigen::Index i = 0; i < c.draws.rows(); ++i) CHECK(c.lp(i) == Approx(-0.5 * c.draws.row(i).squaredNorm()));
  }
  CHECK(sampler_health(run, 2).treedepth_saturated > 0);
}

TEST_CASE("run_chains: user inits, bad options and unknown samplers are rejected clearly") {
  auto model = gaussian(Eigen::VectorXd::Zero(2), Eigen::MatrixXd::Identity(2, 2));
  auto opt = short_run(0, 5);
  opt.inits = {Eigen::Vector2d(0.25, -0.5)};
  opt.sampler.adapt = false;
  const auto run = run_chains(model, "nuts", opt);
  for (const auto& c : run.chains) CHECK(c.initial == Eigen::Vector2d(0.25, -0.5));
  opt.inits = {Eigen::Vector3d(0, 0, 0)};
  CHECK_THROWS_WITH(run_chains(model, "nuts", opt), Catch::Contains("has size 3"));
  opt.inits = {Eigen::Vector2d(0.25, std::nan(""))};  // the point is named, not its density
  CHECK_THROWS_WITH(run_chains(model, "nuts", opt), "initial point for chain 1 has a non-finite coordinate (1: nan)");
  opt.inits.clear();
  opt.sampler.adapt_delta = 1.5;
  CHECK_THROWS_WITH(run_chains(model, "nuts", opt), Catch::Contains("adapt_delta"));
  CHECK_THROWS_WITH(make_sampler("gibbs"), Catch::Contains("unknown sampler 'gibbs'") && Catch::Contains("nuts"));
  FunctionLogDensity nowhere(1, [](const Eigen::VectorXd&, Eigen::VectorXd& g) {
    g = Eigen::VectorXd::Zero(1);
    return -std::numeric_limits<double>::infinity();
  });
  CHECK_THROWS_WITH(run_chains(nowhere, "nuts", short_run(10, 10)), Catch::Contains("no initial point"));
}
