// Known per-point noise variances (GaussianProcess::set_data(X, y, point_noise)): the closed
// form, online updates, fitting, JSON and bad input. scikit-learn agreement is in
// test_gp_reference.cpp.
#include <catch2/catch.hpp>

#include <Eigen/Cholesky>
#include <cmath>

#include "gp_test_util.hpp"
#include "gpbo/gp/gp_json.hpp"

using namespace gpbo;

namespace {

Eigen::VectorXd variances(Eigen::Index n) {
  Eigen::VectorXd v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = 0.3 * std::pow(std::fmod(0.73 * static_cast<double>(i), 1.0), 2);
  return v;
}

}  // namespace

TEST_CASE("gp point noise: the posterior and the evidence are those of K + (s2 + v_i) I") {
  const Eigen::MatrixXd X = test::grid_points(15, 2), Xs = test::grid_points(5, 2, 0.31);
  const Eigen::VectorXd y = test::smooth_function(X), v = variances(15);
  const Eigen::Vector2d ls(0.4, 0.7);
  GaussianProcess gp(test::scaled_matern52(2, 1.3, ls), test::raw_options(MeanOptions::Kind::Zero, 0.01));
  gp.set_data(X, y, v);
  CHECK(gp.point_noise() == v);
  // Directly, with Eigen's LLT of the whole covariance.
  const auto k = test::scaled_matern52(2, 1.3, ls);
  Eigen::MatrixXd K = k->gram(X);
  K.diagonal().array() += 0.01 + v.array();
  const Eigen::LLT<Eigen::MatrixXd> llt(K);
  const Eigen::VectorXd alpha = llt.solve(y);
  const Eigen::MatrixXd Ks = k->eval(Xs, X);
  const Eigen::VectorXd mean = Ks * alpha;
  const Eigen::VectorXd var = (k->diag(Xs).array() - (Ks * llt.solve(Ks.transpose())).diagonal().array()).matrix();
  const Prediction p = gp.predict(Xs);
  for (Eigen::Index i = 0; i < Xs.rows(); ++i) {
    CHECK(p.mean(i) == Approx(mean(i)).epsilon(1e-10));
    CHECK(p.variance(i) == Approx(var(i)).epsilon(1e-9));
  }
  const double lml = -0.5 * y.dot(alpha) - llt.matrixL().toDenseMatrix().diagonal().array().log().sum() - 7.5 * std::log(2.0 * M_PI);
  CHECK(gp.log_marginal_likelihood() == Approx(lml).epsilon(1e-10));
  // A new observation adds the model's noise only: it has no known variance.
  CHECK(gp.predict(Xs, {.include_noise = true}).variance(0) == Approx(p.variance(0) + 0.01));

  // Gradient against central differences of the evidence.
  Eigen::VectorXd g;
  const Eigen::VectorXd theta = gp.params();
  (void)gp.lml_and_gradient(theta, &g);
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    Eigen::VectorXd up = theta, down = theta;
    up(j) += 1e-6;
    down(j) -= 1e-6;
    CHECK(g(j) == Approx((gp.lml_and_gradient(up, nullptr) - gp.lml_and_gradient(down, nullptr)) / 2e-6).epsilon(1e-5).margin(1e-7));
  }
}

TEST_CASE("gp point noise: online updates, standardized outputs and JSON keep the variances") {
  const Eigen::MatrixXd X = test::grid_points(12, 2);
  const Eigen::VectorXd y = 40.0 * test::smooth_function(X).array() + 7.0, v = 25.0 * variances(12);
  GpOptions o = test::raw_options(MeanOptions::Kind::Constant, 0.02);
  o.standardize_outputs = true;  // variances are in y's units; the model divides them by sd^2
  GaussianProcess whole(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.3, 0.5)), o);
  whole.set_data(X, y, v);
  GaussianProcess grown(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.3, 0.5)), o);
  grown.set_data(X.topRows(8), y.head(8), v.head(8));
  for (Eigen::Index i = 8; i < 12; ++i) grown.add_point(X.row(i), y(i), v(i));
  grown.set_data(grown.X(), grown.y(), grown.point_noise());  // the maps of all 12 points, as whole's
  const Eigen::MatrixXd Xs = test::grid_points(4, 2, 0.2);
  CHECK(grown.predict(Xs).mean.isApprox(whole.predict(Xs).mean, 1e-10));
  CHECK(grown.log_marginal_likelihood() == Approx(whole.log_marginal_likelihood()).epsilon(1e-12));

  // Points without a variance next to points with one: zeros.
  GaussianProcess mixed(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.3, 0.5)), test::raw_options());
  mixed.set_data(X.topRows(3), y.head(3));
  CHECK(mixed.point_noise().size() == 0);
  mixed.add_point(X.row(3), y(3), 0.5);
  CHECK(mixed.point_noise() == Eigen::Vector4d(0, 0, 0, 0.5));
  mixed.add_point(X.row(4), y(4));
  CHECK(mixed.point_noise().size() == 5);
  CHECK(mixed.point_noise()(4) == 0.0);

  const GaussianProcess back = gp_from_json(gp_to_json(whole));
  CHECK(back.point_noise() == whole.point_noise());
  CHECK(back.predict(Xs).mean.isApprox(whole.predict(Xs).mean, 1e-12));
  nlohmann::json bad = gp_to_json(whole);
  bad["point_noise"][3] = -1.0;
  CHECK_THROWS_WITH(gp_from_json(bad), "GP JSON /point_noise/3: expected a variance >= 0");
  bad["point_noise"] = {1.0, 2.0};
  CHECK_THROWS_WITH(gp_from_json(bad), "GP JSON /point_noise: expected one noise variance per value of /y");
}

TEST_CASE("gp point noise: fitting learns only the noise the known variances leave unexplained") {
  // Heteroscedastic data: each point's noise has a known sd from 0 to 0.6.
  const Eigen::MatrixXd X = test::grid_points(40, 1);
  Eigen::VectorXd y(40), v(40);
  for (Eigen::Index i = 0; i < 40; ++i) {
    const double sd = 0.6 * std::fmod(0.37 * static_cast<double>(i), 1.0);
    v(i) = sd * sd;
    y(i) = std::sin(6.0 * X(i, 0)) + sd * std::sin(91.0 * static_cast<double>(i));  // |error| <= sd
  }
  GpOptions o = test::raw_options(MeanOptions::Kind::Zero, 0.1);
  o.noise.learn = true;
  o.noise.lower = 1e-8;
  GaussianProcess plain(test::scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)), o);
  plain.set_data(X, y);
  plain.fit({.restarts = 2, .seed = 1, .use_priors = false});
  GaussianProcess known(test::scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)), o);
  known.set_data(X, y, v);
  known.fit({.restarts = 2, .seed = 1, .use_priors = false});
  CHECK(known.point_noise() == v);
  // Without the variances one noise level must cover them all; with them little is left over.
  CHECK(plain.noise_variance() > 0.02);
  CHECK(known.noise_variance() < 0.2 * plain.noise_variance());
  // Near the exact points the known-noise model is the more certain one.
  Eigen::Index exact = 0;
  v.minCoeff(&exact);
  CHECK(known.predict(X.row(exact)).variance(0) < plain.predict(X.row(exact)).variance(0));
}

TEST_CASE("gp point noise: bad variances are rejected and leave the model as it was") {
  const Eigen::MatrixXd X = test::grid_points(6, 2);
  const Eigen::VectorXd y = test::smooth_function(X);
  GaussianProcess gp(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.3, 0.5)), test::raw_options());
  gp.set_data(X, y, Eigen::VectorXd::Constant(6, 0.1));
  CHECK_THROWS_WITH(gp.set_data(X, y, Eigen::VectorXd::Constant(5, 0.1)),
                    Catch::Contains("point_noise has 5 variances but y has 6 values"));
  Eigen::VectorXd negative = Eigen::VectorXd::Constant(6, 0.1);
  negative(2) = -0.1;
  CHECK_THROWS_WITH(gp.set_data(X, y, negative), Catch::Contains("the noise variances must be finite and >= 0"));
  CHECK_THROWS_WITH(gp.add_point(X.row(0), 1.0, std::nan("")), Catch::Contains("the noise variance must be finite and >= 0"));
  CHECK(gp.size() == 6);
  CHECK(gp.point_noise() == Eigen::VectorXd::Constant(6, 0.1));
}

TEST_CASE("gp point noise: a variance too large for modeled units carries no weight, and nothing overflows") {
  // Targets near 1e-100 with one known sd of 1e60: 1e120 / sd(y)^2 was inf, and the
  // factorization failed ("covariance matrix has non-finite entries").
  const Eigen::MatrixXd X = test::grid_points(12, 2);
  const Eigen::VectorXd y = 1e-100 * (test::smooth_function(X).array() + 2.0);
  GpOptions o = test::raw_options(MeanOptions::Kind::Constant, 0.01);
  o.standardize_outputs = true;
  const auto model = [&](double variance) {
    Eigen::VectorXd v = Eigen::VectorXd::Zero(12);
    v(5) = variance;
    GaussianProcess gp(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.3, 0.5)), o);
    gp.set_data(X, y, v);
    return gp;
  };
  GaussianProcess huge = model(1e120);
  const double scale = huge.output_map().scale;
  // The same point told with a variance of 1e100 in modeled units: as good as none.
  const GaussianProcess large = model(1e100 * scale * scale);
  const Eigen::MatrixXd Xs = test::grid_points(5, 2, 0.27);
  const Prediction p = huge.predict(Xs), q = large.predict(Xs);
  CHECK(p.mean.isApprox(q.mean, 1e-12));
  CHECK(p.variance.isApprox(q.variance, 1e-12));
  CHECK(std::isfinite(huge.log_marginal_likelihood()));
  REQUIRE_NOTHROW(huge.fit({.restarts = 1, .seed = 2, .threads = 1}));
  CHECK(huge.predict(Xs).mean.allFinite());
  const GaussianProcess back = gp_from_json(gp_to_json(huge));
  CHECK(back.predict(Xs).mean.isApprox(huge.predict(Xs).mean, 1e-12));
  // Online: the point added with such a variance leaves the model's predictions as they were.
  GaussianProcess grown = model(0.0);
  const Eigen::VectorXd before = grown.predict(Xs).mean;
  grown.add_point(Eigen::RowVector2d(0.5, 0.5), 5e-100, 1e120);
  CHECK(grown.predict(Xs).mean.isApprox(before, 1e-12));
}

TEST_CASE("gp point noise: a huge known variance does not set the jitter for every point") {
  // 100 points of sin(4x) under a long SE length scale and a noise of 1e-15 need jitter; one
  // point told with sd 1e10 made the mean diagonal, and so the jitter, 3.7e8: the model forgot
  // every point and predicted its mean everywhere. The same data built with add_point kept
  // 1e-10 and predicted well, so a saved model did not reproduce the one in memory.
  const int n = 100;
  Eigen::MatrixXd X(n, 1);
  Eigen::VectorXd y(n), v = Eigen::VectorXd::Zero(n);
  for (int i = 0; i < n; ++i) {
    X(i, 0) = i / double(n - 1);
    y(i) = std::sin(4.0 * X(i, 0));
  }
  v(n / 2) = 1e20;
  GpOptions o = test::raw_options(MeanOptions::Kind::Zero, 1e-15);
  o.noise.learn = false;  // held at 1e-15, below its bounds for a fit
  GaussianProcess gp(test::scaled_rbf(1, 1.0, Eigen::VectorXd::Constant(1, 1.5)), o);
  gp.set_data(X, y, v);
  CHECK(gp.jitter() < 1e-8);
  Eigen::MatrixXd Xs(5, 1);
  Xs << 0.1, 0.3, 0.5, 0.7, 0.9;
  const Prediction p = gp.predict(Xs);
  for (Eigen::Index i = 0; i < Xs.rows(); ++i) CHECK(p.mean(i) == Approx(std::sin(4.0 * Xs(i, 0))).margin(1e-3));
  GaussianProcess grown(test::scaled_rbf(1, 1.0, Eigen::VectorXd::Constant(1, 1.5)), o);
  for (int i = 0; i < n; ++i) grown.add_point(X.row(i), y(i), v(i));
  // (Each path's jitter, 1e-10 or 2e-10 of the diagonal, moves these ill-conditioned means by 2e-4.)
  CHECK((grown.predict(Xs).mean - p.mean).cwiseAbs().maxCoeff() < 1e-3);
  CHECK((gp_from_json(gp_to_json(grown)).predict(Xs).mean - p.mean).cwiseAbs().maxCoeff() < 1e-3);
}
