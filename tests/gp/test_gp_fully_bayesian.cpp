#include <catch2/catch.hpp>

#include <cmath>

#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gp_test_util.hpp"

using namespace gpbo;

namespace {
/// Only the noise variance is free (kernel fixed), with a log-normal prior: a 1-D posterior
/// that quadrature computes exactly. The first n of 25 fixed points.
GaussianProcess one_parameter_model(int n = 15) {
  auto kernel = test::scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3));
  kernel->fix("outputscale");
  kernel->fix("lengthscale");
  GpOptions o = test::raw_options(MeanOptions::Kind::Zero, 0.1);
  o.noise.prior = Prior::log_normal(std::log(0.05), 1.0);
  GaussianProcess gp(std::move(kernel), o);
  const Eigen::MatrixXd X = test::grid_points(25, 1).topRows(n);
  gp.set_data(X, test::smooth_function(X));
  return gp;
}

/// Checks draws (S x 1) of a 1-D posterior against its quadrature on the bounded range: mean and
/// standard deviation each within 4 Monte Carlo standard errors of the draws (MCSE from the
/// draws' own ESS; the sd's MCSE by the delta method from that of the squared deviations).
void check_against_quadrature(const GaussianProcess& gp, const Eigen::MatrixXd& draws) {
  const double lo = gp.params_lower()(0), hi = gp.params_upper()(0);
  const int grid = 4000;
  Eigen::VectorXd u = Eigen::VectorXd::LinSpaced(grid, lo, hi), lp(grid);
  for (int i = 0; i < grid; ++i) lp(i) = gp.log_posterior_and_gradient(Eigen::VectorXd::Constant(1, u(i)), nullptr);
  const Eigen::ArrayXd w = (lp.array() - lp.maxCoeff()).exp();
  const double mean = (w * u.array()).sum() / w.sum();
  const double sd = std::sqrt((w * (u.array() - mean).square()).sum() / w.sum());

  const Eigen::MatrixXd x = draws.col(0);
  const double m = x.mean();
  const Eigen::MatrixXd dev2 = (x.array() - m).square().matrix();
  const double s = std::sqrt(dev2.mean());
  const double mcse_m = mcmc::mcse_mean(x), mcse_s = mcmc::mcse_mean(dev2) / (2.0 * s);
  INFO("quadrature mean " << mean << " sd " << sd << "; draws mean " << m << " (mcse " << mcse_m << ") sd " << s
                          << " (mcse " << mcse_s << "), ess " << mcmc::ess_mean(x));
  CHECK(mcmc::ess_mean(x) > 0.2 * static_cast<double>(x.rows()));  // the MCSEs are not vacuous
  CHECK(std::abs(m - mean) < 4.0 * mcse_m);
  CHECK(std::abs(s - sd) < 4.0 * mcse_s);
}
}  // namespace

TEST_CASE("fully Bayesian: slice and NUTS draws of the noise match the quadrature posterior") {
  const GaussianProcess gp = one_parameter_model();
  REQUIRE(gp.params().size() == 1);
  const HyperSampler sampler = GENERATE(HyperSampler::Slice, HyperSampler::Nuts);
  INFO(hyper_sampler_name(sampler));
  FullyBayesianGp fb(gp);
  const int S = 600;
  fb.sample({.samples = S, .warmup = 100, .thin = 2, .seed = 4, .sampler = sampler});
  REQUIRE(fb.draws().rows() == S);
  REQUIRE(fb.draws().cols() == 1);
  CHECK(fb.divergences() == 0);
  check_against_quadrature(gp, fb.draws());
}

TEST_CASE("fully Bayesian: predictions are the equal-weight mixture of the conditional GPs") {
  GaussianProcess gp = one_parameter_model();
  FullyBayesianGp fb(gp);
  const Eigen::MatrixXd Xs = test::grid_points(5, 1, 0.3);
  CHECK(fb.predict(Xs).mean == gp.predict(Xs).mean);  // before sampling: the base model
  fb.sample({.samples = 8, .warmup = 20, .seed = 1});
  REQUIRE(fb.models().size() == 8);
  // Law of total variance, term by term: mean of the variances + (population) variance of the means.
  Eigen::MatrixXd means(5, 8), variances(5, 8);
  for (int s = 0; s < 8; ++s) {
    const Prediction p = fb.models()[static_cast<std::size_t>(s)].predict(Xs, {.include_noise = true});
    means.col(s) = p.mean;
    variances.col(s) = p.variance;
  }
  const Eigen::VectorXd mean_of_means = means.rowwise().mean();
  const Eigen::VectorXd variance_of_means = (means.colwise() - mean_of_means).cwiseAbs2().rowwise().mean();
  const Eigen::VectorXd mean_of_variances = variances.rowwise().mean();
  const Prediction mix = fb.predict(Xs, true);
  CHECK(mix.mean.isApprox(mean_of_means, 1e-12));
  CHECK(mix.variance.isApprox(mean_of_variances + variance_of_means, 1e-12));
  CHECK(variance_of_means.minCoeff() > 0.0);  // the draws disagree, so the mixture is wider
  CHECK((mix.variance.array() > mean_of_variances.array()).all());
  // The draws differ from each other (the noise is uncertain with 15 points).
  CHECK(fb.draws().col(0).maxCoeff() > fb.draws().col(0).minCoeff());
}

TEST_CASE("fully Bayesian: mixture variance stays exact for large means") {
  // Outputs offset by 1e8 (model in raw units, zero mean replaced by a fixed constant): the
  // spread of the means is tiny next to their size, where E[m^2] - E[m]^2 would cancel.
  auto kernel = test::scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3));
  GpOptions o = test::raw_options(MeanOptions::Kind::Constant, 0.01);
  o.mean.value = 1e8;
  o.mean.learn = false;
  GaussianProcess gp(std::move(kernel), o);
  const Eigen::MatrixXd X = test::grid_points(10, 1);
  gp.set_data(X, test::smooth_function(X).array() + 1e8);
  Eigen::MatrixXd draws(2, gp.params().size());
  draws.row(0) = gp.params().transpose();
  draws.row(1) = gp.params().transpose().array() + 0.5;
  FullyBayesianGp fb(gp);
  fb.set_draws(draws);
  const Eigen::MatrixXd Xs = test::grid_points(4, 1, 0.37);
  const Prediction a = fb.models()[0].predict(Xs), b = fb.models()[1].predict(Xs);
  const Eigen::VectorXd expected =
      0.5 * (a.variance + b.variance) + 0.25 * (a.mean - b.mean).cwiseAbs2();  // variance of two means: (d/2)^2
  CHECK(fb.predict(Xs).variance.isApprox(expected, 1e-9));
}

TEST_CASE("fully Bayesian: draws are reproducible from the seed") {
  const GaussianProcess gp = one_parameter_model();
  const HyperSampler sampler = GENERATE(HyperSampler::Slice, HyperSampler::Nuts);
  INFO(hyper_sampler_name(sampler));
  const FullyBayesianOptions o{.samples = 8, .warmup = 20, .seed = 1, .sampler = sampler};
  FullyBayesianGp a(gp), b(gp), c(gp);
  a.sample(o);
  b.sample(o);
  c.sample({.samples = 8, .warmup = 20, .seed = 2, .sampler = sampler});
  CHECK(a.draws() == b.draws());
  CHECK(a.draws() != c.draws());
  // The free function is what the class runs.
  CHECK(sample_hyperparameters(gp, gp.params(), o).draws == a.draws());
}

TEST_CASE("fully Bayesian: data can grow; the next sample warm-starts from the last draws") {
  const HyperSampler sampler = GENERATE(HyperSampler::Slice, HyperSampler::Nuts);
  INFO(hyper_sampler_name(sampler));
  const GaussianProcess full = one_parameter_model(25);
  FullyBayesianGp fb(one_parameter_model(15));
  fb.sample({.samples = 200, .warmup = 100, .seed = 3, .sampler = sampler});
  const Eigen::MatrixXd old_draws = fb.draws();
  const HyperSamplerAdaptation adapted = fb.adaptation();
  if (sampler == HyperSampler::Nuts) {
    CHECK(adapted.stepsize > 0.0);
    REQUIRE(adapted.inverse_metric.size() == 1);
    CHECK(adapted.inverse_metric(0) > 0.0);
  } else {
    CHECK(adapted.widths.size() == 1);
  }

  // add_point extends every conditional model; the draws stay until the next sample().
  for (Eigen::Index i = 15; i < 25; ++i) fb.add_point(full.X().row(i), full.y()(i));
  REQUIRE(fb.base_model().size() == 25);
  CHECK(fb.draws() == old_draws);
  const Eigen::MatrixXd Xs = test::grid_points(6, 1, 0.21);
  FullyBayesianGp rebuilt(full);
  rebuilt.set_draws(old_draws);
  CHECK(fb.predict(Xs).mean.isApprox(rebuilt.predict(Xs).mean, 1e-8));
  CHECK(fb.predict(Xs).variance.isApprox(rebuilt.predict(Xs).variance, 1e-8));

  // The next sample starts at the last draw with the adapted step size / widths: exactly the
  // free function called with them. No warmup is needed to sample the new posterior correctly.
  const FullyBayesianOptions next{.samples = 600, .warmup = 0, .thin = 2, .seed = 5, .sampler = sampler};
  const Eigen::VectorXd last = old_draws.row(old_draws.rows() - 1).transpose();
  const HyperparameterDraws expected = sample_hyperparameters(full, last, next, adapted);
  fb.sample(next);
  CHECK(fb.draws() == expected.draws);
  CHECK(fb.models().size() == 600);
  check_against_quadrature(full, fb.draws());
  if (sampler == HyperSampler::Nuts) {  // no warmup: the metric is the one adapted on 15 points
    CHECK(fb.adaptation().inverse_metric == adapted.inverse_metric);
    // A short warmup that tunes only the step size keeps the metric too, and still samples the
    // posterior of all 25 points.
    fb.sample({.samples = 600, .warmup = 20, .thin = 2, .seed = 6, .sampler = sampler, .adapt_metric = false});
    CHECK(fb.adaptation().inverse_metric == adapted.inverse_metric);
    check_against_quadrature(full, fb.draws());
  }

  // set_data replaces the data the same way.
  fb.set_data(full.X().topRows(15), full.y().head(15));
  CHECK(fb.base_model().size() == 15);
  CHECK(fb.models().front().size() == 15);
}
