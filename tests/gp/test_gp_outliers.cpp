// find_outliers (gp/outliers.hpp): the closed form it rests on, what it flags on clean and
// contaminated data, and bad input.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "gp_test_util.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/gp/gp_json.hpp"
#include "gpbo/gp/outliers.hpp"

using namespace gpbo;

namespace {

// A 2-D smooth function observed with noise sd 0.05 at n points (seeded).
struct NoisyData {
  Eigen::MatrixXd X;
  Eigen::VectorXd f, y;
};

NoisyData noisy_data(int n, std::uint64_t seed) {
  Rng rng = make_rng(seed);
  NoisyData d;
  d.X = test::grid_points(n, 2, 0.1 * static_cast<double>(seed));
  d.f = Eigen::VectorXd(n);
  for (int i = 0; i < n; ++i) d.f(i) = std::sin(3.0 * d.X(i, 0)) + std::cos(2.0 * d.X(i, 1));
  d.y = d.f;
  for (int i = 0; i < n; ++i) d.y(i) += 0.05 * standard_normal(rng);
  return d;
}

GaussianProcess fitted_gp(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::VectorXd& point_noise = {}) {
  GpOptions o;
  o.mean.kind = MeanOptions::Kind::Constant;
  o.noise.learn = true;
  o.noise.variance = 0.01;
  GaussianProcess gp(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.5, 0.5)), o);
  if (point_noise.size() > 0)
    gp.set_data(X, y, point_noise);
  else
    gp.set_data(X, y);
  FitOptions f;
  f.restarts = 2;
  f.seed = 3;
  f.threads = 1;
  gp.fit(f);
  return gp;
}

}  // namespace

TEST_CASE("gp outliers: one point's variance has the closed-form optimum and evidence gain") {
  const NoisyData d = noisy_data(30, 1);
  Eigen::VectorXd y = d.y;
  y(7) += 2.0;
  GaussianProcess gp(test::scaled_matern52(2, 1.1, Eigen::Vector2d(0.4, 0.6)), test::raw_options(MeanOptions::Kind::Zero, 0.004));
  gp.set_data(d.X, y);
  const LooPrediction loo = gp.loo();
  const double r2 = std::pow(y(7) - loo.mean(7), 2), v = loo.variance(7), z2 = r2 / v;
  REQUIRE(z2 > 4.0);
  const auto lml_with = [&](double rho) {
    Eigen::VectorXd pn = Eigen::VectorXd::Zero(30);
    pn(7) = rho;
    GaussianProcess g = gp;
    g.set_data(d.X, y, pn);
    return g.log_marginal_likelihood();
  };
  const double rho = r2 - v, lml0 = gp.log_marginal_likelihood();
  CHECK(lml_with(rho) - lml0 == Approx(0.5 * (z2 - 1.0 - std::log(z2))).epsilon(1e-8));
  CHECK(lml_with(rho) > lml_with(rho * 1.01));
  CHECK(lml_with(rho) > lml_with(rho * 0.99));

  const OutlierResult r = find_outliers(gp);
  REQUIRE(r.outliers == std::vector<Eigen::Index>{7});
  CHECK(r.variance(7) == Approx(rho).epsilon(1e-10));  // alone, no other point moved it
  CHECK(r.log_likelihood_gain == Approx(lml_with(rho) - lml0).epsilon(1e-10));
  CHECK((r.variance.array() == 0.0).count() == 29);
}

TEST_CASE("gp outliers: clean data gives next to none, at most one seed in ten with any") {
  int seeds_with_any = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    const NoisyData d = noisy_data(50, seed);
    const OutlierResult r = find_outliers(fitted_gp(d.X, d.y));
    CHECK(r.outliers.size() <= 1);
    seeds_with_any += r.outliers.empty() ? 0 : 1;
  }
  CHECK(seeds_with_any <= 1);
}

TEST_CASE("gp outliers: gross errors are found, and a refit with them recovers the clean model") {
  const NoisyData d = noisy_data(60, 4);
  Eigen::VectorXd y = d.y;
  const std::vector<Eigen::Index> bad{3, 17, 18, 40, 55};
  const std::vector<double> shift{5.0, -8.0, 6.0, 30.0, -4.0};
  for (std::size_t k = 0; k < bad.size(); ++k) y(bad[k]) += shift[k];
  const GaussianProcess contaminated = fitted_gp(d.X, y);
  // Fitted to the outliers, the model took them for noise: a first look finds some, a refit
  // with their variances the rest (the loop a caller runs).
  OutlierResult r = find_outliers(contaminated);
  GaussianProcess robust = fitted_gp(d.X, y, r.variance);
  for (int round = 0; round < 2; ++round) {
    GaussianProcess plain = robust;
    plain.set_data(d.X, y);  // the detection looks from the known noise alone
    r = find_outliers(plain);
    robust = fitted_gp(d.X, y, r.variance);
  }
  std::vector<Eigen::Index> found = r.outliers;
  std::sort(found.begin(), found.end());
  CHECK(found == bad);
  for (std::size_t k = 0; k < bad.size(); ++k) CHECK(r.variance(bad[k]) > 0.5 * shift[k] * shift[k]);
  // Predictions at the data's inputs: the robust model's error against f is the clean model's.
  const GaussianProcess clean = fitted_gp(d.X, d.y);
  const auto rmse = [&](const GaussianProcess& g) {
    return std::sqrt((g.predict(d.X).mean - d.f).squaredNorm() / static_cast<double>(d.f.size()));
  };
  CHECK(rmse(robust) < 1.5 * rmse(clean));
  CHECK(rmse(contaminated) > 5.0 * rmse(clean));
  // The noise, in the data's units: the robust model's is the clean model's, the contaminated one's is not.
  const auto noise_sd = [](const GaussianProcess& g) { return std::sqrt(g.noise_variance()) * g.output_map().scale; };
  CHECK(noise_sd(robust) == Approx(noise_sd(clean)).epsilon(0.5));
  CHECK(noise_sd(contaminated) > 5.0 * noise_sd(clean));
}

TEST_CASE("gp outliers: known variances stay, the cap holds, bad options are refused") {
  const NoisyData d = noisy_data(40, 2);
  Eigen::VectorXd y = d.y;
  for (Eigen::Index i = 0; i < 40; i += 3) y(i) += 10.0;  // 14 of 40, more than the cap
  Eigen::VectorXd known = Eigen::VectorXd::Constant(40, 1e-3);
  GaussianProcess gp(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.5, 0.5)), test::raw_options(MeanOptions::Kind::Constant, 0.003));
  gp.set_data(d.X, y, known);
  const OutlierResult r = find_outliers(gp);
  CHECK(r.outliers.size() <= 10);  // floor(0.25 * 40)
  CHECK(!r.outliers.empty());
  CHECK(gp.point_noise() == known);  // the model itself is unchanged
  OutlierOptions none;
  none.max_fraction = 0.0;
  CHECK(find_outliers(gp, none).outliers.empty());

  OutlierOptions bad;
  bad.prior_fraction = 0.0;
  CHECK_THROWS_WITH(find_outliers(gp, bad), Catch::Contains("prior_fraction must be in (0, 0.5]"));
  bad = {};
  bad.max_fraction = 1.0;
  CHECK_THROWS_WITH(find_outliers(gp, bad), Catch::Contains("max_fraction must be in [0, 1)"));
  bad = {};
  bad.rho_decades = std::nan("");
  CHECK_THROWS_WITH(find_outliers(gp, bad), Catch::Contains("rho_decades must be at least 1"));
  GaussianProcess empty(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.5, 0.5)), test::raw_options());
  CHECK_THROWS_WITH(find_outliers(empty), Catch::Contains("no data"));
}

TEST_CASE("gp outliers: a gross error flagged by fit_with_outliers leaves the fit of the clean data") {
  // The refit kept the standardization of all the values: sd(y) set by the error, the noise at
  // its floor relative to it, and at 1e30 the other values rounded to one.
  const NoisyData d = noisy_data(60, 5);
  const GaussianProcess clean = fitted_gp(d.X, d.y);
  const auto rmse = [&](const GaussianProcess& g) {
    return std::sqrt((g.predict(d.X).mean - d.f).squaredNorm() / static_cast<double>(d.f.size()));
  };
  const auto noise_sd = [](const GaussianProcess& g) { return std::sqrt(g.noise_variance()) * g.output_map().scale; };
  FitOptions f;
  f.restarts = 2;
  f.seed = 3;
  f.threads = 1;
  for (const double spike : {1e5, 1e30}) {
    INFO("y[21] = " << spike);
    Eigen::VectorXd y = d.y;
    y(21) = spike;
    GaussianProcess robust = fitted_gp(d.X, y);
    REQUIRE(fit_with_outliers(robust, f) == std::vector<Eigen::Index>{21});
    CHECK(robust.output_map().scale == Approx(clean.output_map().scale).epsilon(0.05));
    CHECK(rmse(robust) < 1.2 * rmse(clean));
    CHECK(noise_sd(robust) == Approx(noise_sd(clean)).epsilon(0.2));
    CHECK(robust.noise_variance() > 10.0 * robust.options().noise.lower);
    // Saved and loaded, the model predicts the same (its map and the row's variance with it).
    const GaussianProcess back = gp_from_json(gp_to_json(robust));
    CHECK(back.predict(d.X).mean.isApprox(robust.predict(d.X).mean, 1e-12));
  }
  // Beyond 1e100 of the others' sd no variance in modeled units holds the value: refused by row.
  Eigen::VectorXd y = d.y;
  y(21) = 1e120;
  GaussianProcess far = fitted_gp(d.X, y);
  try {
    (void)fit_with_outliers(far, f);
    FAIL("no OutlierOutOfReach");
  } catch (const OutlierOutOfReach& e) {
    CHECK(e.row() == 21);
    CHECK_THAT(e.what(), Catch::Contains("observation 21 (1e+120) lies"));
  }
  // Values near 1e100 and one at 1e155: its squared residual was inf, so the row went unpicked
  // and other rows were flagged instead. It is found, and refused by row (its variance overflows).
  Eigen::VectorXd scaled = 1e100 * d.y;
  scaled(21) = 1e155;
  GaussianProcess overflowing = fitted_gp(d.X, scaled);
  const OutlierResult found = find_outliers(overflowing);
  REQUIRE_FALSE(found.outliers.empty());
  CHECK(found.outliers.front() == 21);
  try {
    (void)fit_with_outliers(overflowing, f);
    FAIL("no OutlierOutOfReach");
  } catch (const OutlierOutOfReach& e) {
    CHECK(e.row() == 21);
    CHECK_THAT(e.what(), Catch::Contains("overflows the data's units"));
  }
}

TEST_CASE("gp outliers: without_rows keeps the other entries in order") {
  const Eigen::VectorXd v = (Eigen::VectorXd(5) << 10, 11, 12, 13, 14).finished();
  CHECK(without_rows(v, {3, 0}) == (Eigen::VectorXd(3) << 11, 12, 14).finished());
  CHECK(without_rows(v, {}) == v);
  CHECK(without_rows(v, {0, 1, 2, 3, 4}).size() == 0);
  CHECK_THROWS_AS(without_rows(v, {5}), std::invalid_argument);
  CHECK_THROWS_AS(without_rows(v, {-1}), std::invalid_argument);
  CHECK_THROWS_WITH(without_rows(v, {1, 1}), "without_rows: row 1 is out of range [0, 5) or given twice");
}
