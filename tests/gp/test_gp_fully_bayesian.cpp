#include <catch2/catch.hpp>

#include <cmath>

#include "gp/fully_bayesian.hpp"
#include "gp_test_util.hpp"

using namespace gpbo;

namespace {
/// Only the noise variance is free (kernel fixed), with a log-normal prior: a 1-D posterior
/// that quadrature computes exactly.
GaussianProcess one_parameter_model() {
  auto kernel = test::scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3));
  kernel->fix("outputscale");
  kernel->fix("lengthscale");
  GpOptions o = test::raw_options(MeanOptions::Kind::Zero, 0.1);
  o.noise.prior = Prior::log_normal(std::log(0.05), 1.0);
  GaussianProcess gp(std::move(kernel), o);
  const Eigen::MatrixXd X = test::grid_points(15, 1);
  gp.set_data(X, test::smooth_function(X));
  return gp;
}
}  // namespace

TEST_CASE("fully Bayesian: slice draws of the noise match the quadrature posterior") {
  const GaussianProcess gp = one_parameter_model();
  REQUIRE(gp.params().size() == 1);
  // Quadrature of p(u | data) on the bounded log-noise range.
  const double lo = gp.params_lower()(0), hi = gp.params_upper()(0);
  const int grid = 4000;
  Eigen::VectorXd u = Eigen::VectorXd::LinSpaced(grid, lo, hi), lp(grid);
  for (int i = 0; i < grid; ++i) lp(i) = gp.log_posterior_and_gradient(Eigen::VectorXd::Constant(1, u(i)), nullptr);
  const Eigen::ArrayXd w = (lp.array() - lp.maxCoeff()).exp();
  const double mean = (w * u.array()).sum() / w.sum();
  const double sd = std::sqrt((w * (u.array() - mean).square()).sum() / w.sum());

  FullyBayesianGp fb(gp);
  const int S = 600;
  fb.sample({.samples = S, .warmup = 100, .thin = 2, .seed = 4});
  REQUIRE(fb.draws().rows() == S);
  const double m = fb.draws().col(0).mean();
  const double s = std::sqrt((fb.draws().col(0).array() - m).square().sum() / (S - 1));
  CHECK(std::abs(m - mean) < 5.0 * sd * std::sqrt(3.0 / S));  // 5 standard errors at ESS >= S/3
  CHECK(s == Approx(sd).epsilon(0.2));
}

TEST_CASE("fully Bayesian: predictions are the equal-weight mixture of the conditional GPs") {
  GaussianProcess gp = one_parameter_model();
  FullyBayesianGp fb(gp);
  const Eigen::MatrixXd Xs = test::grid_points(5, 1, 0.3);
  CHECK(fb.predict(Xs).mean == gp.predict(Xs).mean);  // before sampling: the base model
  fb.sample({.samples = 8, .warmup = 20, .seed = 1});
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(5), second = Eigen::VectorXd::Zero(5);
  for (const auto& m : fb.models()) {
    const Prediction p = m.predict(Xs, {.include_noise = true});
    mean += p.mean / 8.0;
    second += (p.variance + p.mean.cwiseAbs2()) / 8.0;
  }
  const Prediction mix = fb.predict(Xs, true);
  CHECK(mix.mean.isApprox(mean, 1e-12));
  CHECK(mix.variance.isApprox(second - mean.cwiseAbs2(), 1e-9));
  // The draws differ from each other (the noise is uncertain with 15 points).
  CHECK(fb.draws().col(0).maxCoeff() > fb.draws().col(0).minCoeff());
  // Same seed, same draws.
  FullyBayesianGp again(gp);
  again.sample({.samples = 8, .warmup = 20, .seed = 1});
  CHECK(again.draws() == fb.draws());
}
