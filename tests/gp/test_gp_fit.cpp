#include <catch2/catch.hpp>

#include <cmath>

#include "gp_test_util.hpp"

using namespace gpbo;
using gpbo::test::grid_points;
using gpbo::test::scaled_matern52;

namespace {
/// 60 noisy observations (noise sd 0.1) of a smooth 2-D function, in the user's odd units.
GaussianProcess noisy_problem(int n = 60) {
  const Eigen::MatrixXd X = grid_points(n, 2);
  Eigen::VectorXd y(n);
  Rng rng = make_rng(5);
  for (int i = 0; i < n; ++i) y(i) = std::sin(5.0 * X(i, 0)) + X(i, 1) * X(i, 1) + 0.1 * standard_normal(rng);
  GaussianProcess gp(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)));
  gp.set_data(10.0 * X, 50.0 + 3.0 * y.array());
  return gp;
}

/// Largest |gradient| over parameters not at a bound.
double interior_gradient_norm(const GaussianProcess& gp, const Eigen::VectorXd& g) {
  const Eigen::VectorXd p = gp.params(), lo = gp.params_lower(), hi = gp.params_upper();
  double worst = 0.0;
  for (Eigen::Index i = 0; i < p.size(); ++i) {
    if (p(i) > lo(i) + 1e-6 && p(i) < hi(i) - 1e-6) worst = std::max(worst, std::abs(g(i)));
  }
  return worst;
}
}  // namespace

TEST_CASE("fit: finds a stationary point of the MAP objective and a sensible noise level") {
  GaussianProcess gp = noisy_problem();
  const double before = gp.log_posterior_and_gradient(gp.params(), nullptr);
  const FitResult r = gp.fit({.restarts = 3, .seed = 1});
  Eigen::VectorXd g;
  const double after = gp.log_posterior_and_gradient(gp.params(), &g);
  CHECK(after > before);
  CHECK(r.log_posterior == Approx(after).epsilon(1e-10));
  CHECK(r.log_marginal_likelihood == Approx(gp.log_marginal_likelihood()).epsilon(1e-12));
  CHECK(r.start_objectives.size() == 4);
  CHECK(interior_gradient_norm(gp, g) < 1e-2);
  // True noise sd 0.1 * 3 = 0.3 in user units.
  const double noise_sd = std::sqrt(gp.noise_variance()) * gp.output_map().scale;
  CHECK(noise_sd > 0.15);
  CHECK(noise_sd < 0.6);
}

TEST_CASE("fit: identical results whatever the number of threads") {
  GaussianProcess a = noisy_problem(), b = noisy_problem();
  const FitResult ra = a.fit({.restarts = 5, .seed = 42, .threads = 1});
  const FitResult rb = b.fit({.restarts = 5, .seed = 42, .threads = 4});
  CHECK(a.params() == b.params());
  CHECK(ra.start_objectives == rb.start_objectives);
  CHECK(ra.best_start == rb.best_start);
  GaussianProcess c = noisy_problem();
  c.fit({.restarts = 5, .seed = 43, .threads = 2});
  CHECK(c.params() != a.params());  // a different seed draws different starts
}

TEST_CASE("fit: subset pre-fit then full refinement reaches a stationary point of the full objective") {
  GaussianProcess gp = noisy_problem(120);
  GaussianProcess full = gp;
  gp.fit({.restarts = 2, .seed = 7, .subset_size = 40});
  full.fit({.restarts = 2, .seed = 7});
  Eigen::VectorXd g;
  const double value = gp.log_posterior_and_gradient(gp.params(), &g);
  CHECK(interior_gradient_norm(gp, g) < 1e-2);
  CHECK(value == Approx(full.log_posterior_and_gradient(full.params(), nullptr)).margin(0.5));
}

TEST_CASE("fit: a warm start from the optimum stays put") {
  GaussianProcess gp = noisy_problem();
  gp.fit({.restarts = 2, .seed = 1});
  const Eigen::VectorXd p = gp.params();
  const FitResult again = gp.fit({.restarts = 0});
  CHECK(again.best_start == 0);
  CHECK((gp.params() - p).norm() < 1e-3);
}
