// Bad data, points and options: clear errors, naming the point or field.
#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "gpbo/kernels/kernel_parser.hpp"
#include "gp_test_util.hpp"

using namespace gpbo;
using gpbo::test::grid_points;
using gpbo::test::scaled_matern52;
using gpbo::test::smooth_function;

TEST_CASE("gp: bad input gets clear errors") {
  GaussianProcess gp(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)));
  CHECK_THROWS_AS(gp.set_data(Eigen::MatrixXd::Zero(3, 2), Eigen::VectorXd::Zero(2)), std::invalid_argument);
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(2, 2);
  X(1, 1) = std::nan("");
  CHECK_THROWS_AS(gp.set_data(X, Eigen::VectorXd::Zero(2)), std::invalid_argument);
  gp.set_data(grid_points(3, 2), Eigen::Vector3d(1, 2, 3));
  CHECK_THROWS_AS(gp.predict(Eigen::MatrixXd::Zero(1, 3)), std::invalid_argument);
  CHECK_THROWS_AS(gp.set_params(Eigen::VectorXd::Zero(2)), std::invalid_argument);
  GpOptions bad;
  bad.noise.lower = 0.0;
  CHECK_THROWS_AS(GaussianProcess(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)), bad), std::invalid_argument);
  // A fixed noise is checked by itself: its (unused) bounds do not matter, a negative value does.
  GpOptions fixed_zero;
  fixed_zero.noise.learn = false;
  fixed_zero.noise.variance = 0.0;
  fixed_zero.noise.lower = 0.0;
  CHECK_NOTHROW(GaussianProcess(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)), fixed_zero));
  fixed_zero.noise.variance = -1.0;
  CHECK_THROWS_WITH(GaussianProcess(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)), fixed_zero),
                    Catch::Contains("a fixed noise variance must be >= 0 and finite"));
  CHECK_THROWS_WITH(gp.fit({.max_evaluations = 0}), Catch::Contains("max_evaluations must be >= 1"));
  // Accepted before: NaN stopped L-BFGS at once, and a subset of one point is no fit.
  CHECK_THROWS_WITH(gp.fit({.ftol_rel = std::nan("")}), "FitOptions::ftol_rel must be finite and >= 0");
  CHECK_THROWS_WITH(gp.fit({.subset_size = 1}), "FitOptions::subset_size must be 0 (all the points) or at least 2");
}

TEST_CASE("gp: non-finite test points are refused, naming the point") {
  GaussianProcess gp(test::scaled_rbf(2, 1.0, Eigen::Vector2d(0.3, 0.5)));
  gp.set_data(grid_points(9, 2), smooth_function(grid_points(9, 2)));
  Eigen::MatrixXd Xs = grid_points(4, 2);
  Xs(2, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(gp.predict(Xs), Catch::Contains("GaussianProcess::predict: point 2 has a non-finite coordinate (column 1"));
  gpbo::Rng rng = gpbo::make_rng(1);
  CHECK_THROWS_AS(gp.sample_posterior(Xs, 2, rng), std::invalid_argument);
  const Eigen::RowVectorXd inf = Eigen::RowVectorXd::Constant(2, std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH(gp.predict_gradient(inf), Catch::Contains("point 0 has a non-finite coordinate (column 0"));
}

TEST_CASE("gp: a prediction that overflows far outside the data is refused, naming the point") {
  // A linear kernel's prior variance x'x overflowed to inf at x = 1e155 and the variance came
  // out NaN; linear * linear overflows already at 1e90. Stationary kernels decay to the prior
  // there instead: their far predictions are finite and given.
  GpOptions raw = test::raw_options();
  for (const auto& [kernel, far] : {std::pair{"linear", 1e155}, std::pair{"linear * linear", 1e90}}) {
    INFO(kernel);
    GaussianProcess gp(parse_kernel(kernel, 1), raw);
    gp.set_data(grid_points(5, 1), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
    Eigen::MatrixXd Xs(3, 1);
    Xs << 0.5, 1e20, far;
    try {
      (void)gp.predict(Xs);
      FAIL("no exception");
    } catch (const PredictionOverflow& e) {
      CHECK(e.point() == 2);
      CHECK_THAT(e.what(), Catch::StartsWith("GaussianProcess::predict: the prediction at point 2 is not finite (mean "));
      CHECK_THAT(e.what(), Catch::EndsWith("): the kernel's arithmetic overflowed there; is the point far outside the data?"));
    }
    CHECK(gp.predict(Xs.topRows(2)).variance.allFinite());
    CHECK_THROWS_AS(gp.predict_gradient(Xs.row(2)), PredictionOverflow);
  }
  GaussianProcess mapped(parse_kernel("matern52", 1));
  mapped.set_data(grid_points(5, 1), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
  const Prediction prior = mapped.predict(Eigen::MatrixXd::Constant(1, 1, 1e300));
  CHECK(prior.mean(0) == Approx(mapped.predict(Eigen::MatrixXd::Constant(1, 1, 1e6)).mean(0)));
  CHECK(std::isfinite(prior.variance(0)));
}

TEST_CASE("gp: add_point refuses a point too far out for the kernel's arithmetic, leaving the model as it was") {
  // The point noise grew before the refusal: 3 points with 4 noise variances.
  GpOptions raw = test::raw_options();
  GaussianProcess gp(parse_kernel("linear", 1), raw);
  gp.set_data(grid_points(3, 1), Eigen::Vector3d(0.1, 0.5, 0.9), Eigen::Vector3d(0.01, 0.01, 0.02));
  CHECK_THROWS_WITH(gp.add_point(Eigen::RowVectorXd::Constant(1, 1e120), 1.0, 0.02),
                    "GaussianProcess: the point has a coordinate of magnitude 1e100 or more");
  CHECK_THROWS_WITH(gp.add_point(Eigen::RowVectorXd::Constant(1, 0.5), 1e200, 0.02), Catch::Contains("1e100 standard deviations"));
  CHECK(gp.size() == 3);
  CHECK(gp.point_noise().size() == 3);
  GaussianProcess mapped(parse_kernel("matern52", 1));
  mapped.set_data(grid_points(5, 1), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
  CHECK_THROWS_WITH(mapped.add_point(Eigen::RowVectorXd::Constant(1, 1e120), 1.0),
                    Catch::Contains("more than 1e100 times the input map's range outside it"));
}
