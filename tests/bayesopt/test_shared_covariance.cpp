// Models that differ only in their targets (bayesopt/shared_covariance.hpp) against the same
// models built and factorized one by one, and their gradients against finite differences.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "gpbo/bayesopt/shared_covariance.hpp"
#include "gpbo/kernels/kernel_parser.hpp"

using namespace gpbo;
using namespace gpbo::bo;

namespace {

// A 2-D GP with the default maps (unit cube, standardized outputs) on nine points of a smooth
// function, noise 0.01, and three other target vectors at the same points.
struct Fixture {
  GaussianProcess model{parse_kernel("matern52", 2), [] {
                          GpOptions o;
                          o.noise.learn = false;
                          o.noise.variance = 0.01;
                          o.mean.learn = false;
                          o.mean.value = 0.2;
                          return o;
                        }()};
  Eigen::MatrixXd targets;
  Fixture() {
    Eigen::MatrixXd X(9, 2);
    X << 0.1, 0.2, 0.4, 0.9, 0.8, 0.3, 0.55, 0.5, 0.2, 0.7, 0.9, 0.95, 0.3, 0.05, 0.65, 0.75, 0.05, 0.45;
    X = 3.0 * X.array() - 1.0;  // inputs in [-1, 2]: the input map is not the identity
    const Eigen::VectorXd y = (X.col(0).array().sin() + X.col(1).array().square()).matrix();
    model.set_data(X, 5.0 * y);
    targets.resize(9, 3);
    targets.col(0) = 5.0 * y;
    targets.col(1) = -2.0 * y.array() + 1.0;
    targets.col(2) = (X.col(0) - X.col(1)).array().cos();
  }
  // Member s built on its own: the same kernel, options and maps, conditioned on column s.
  [[nodiscard]] GaussianProcess alone(Eigen::Index s) const {
    GaussianProcess g(model.kernel().clone(), model.options());
    g.set_data(model.X(), targets.col(s), model.input_map(), model.output_map());
    return g;
  }
};

const Eigen::MatrixXd kTestPoints = (Eigen::MatrixXd(4, 2) << -0.5, 0.3, 1.9, -0.9, 0.7, 0.7, 0.2, 1.5).finished();

}  // namespace

TEST_CASE("shared covariance: members predict as models factorized one by one") {
  const Fixture fx;
  const SharedCovarianceModels shared(fx.model, fx.targets);
  REQUIRE(shared.members() == 3);
  const MemberPredictions p = shared.predict(kTestPoints);
  REQUIRE(p.means.rows() == 4);
  REQUIRE(p.means.cols() == 3);
  for (Eigen::Index s = 0; s < 3; ++s) {
    const Prediction q = fx.alone(s).predict(kTestPoints);
    CHECK((p.means.col(s) - q.mean).cwiseAbs().maxCoeff() < 1e-9);
    CHECK((p.variance - q.variance).cwiseAbs().maxCoeff() < 1e-12);
  }
  // Without targets the model is its one member.
  const SharedCovarianceModels single(fx.model);
  REQUIRE(single.members() == 1);
  const Prediction own = fx.model.predict(kTestPoints);
  CHECK(single.predict(kTestPoints).means.col(0) == own.mean);
}

TEST_CASE("shared covariance: point gradients match the batch and finite differences") {
  const Fixture fx;
  const SharedCovarianceModels shared(fx.model, fx.targets);
  for (Eigen::Index r = 0; r < kTestPoints.rows(); ++r) {
    const Eigen::RowVectorXd u = kTestPoints.row(r);
    INFO("point " << u);
    const MemberPointPredictions p = shared.predict_gradient(u);
    const MemberPredictions batch = shared.predict(Eigen::MatrixXd(u));
    CHECK((p.means.transpose() - batch.means.row(0)).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(p.variance == Approx(batch.variance[0]).margin(1e-14));
    for (Eigen::Index j = 0; j < 2; ++j) {
      Eigen::RowVectorXd a = u, b = u;
      const double h = 1e-6;
      a[j] += h;
      b[j] -= h;
      const MemberPredictions pa = shared.predict(Eigen::MatrixXd(a)), pb = shared.predict(Eigen::MatrixXd(b));
      const Eigen::VectorXd fd = (pa.means.row(0) - pb.means.row(0)).transpose() / (2 * h);
      for (Eigen::Index s = 0; s < 3; ++s) CHECK(p.mean_gradients(s, j) == Approx(fd[s]).epsilon(1e-6).margin(1e-8));
      CHECK(p.variance_gradient[j] == Approx((pa.variance[0] - pb.variance[0]) / (2 * h)).epsilon(1e-6).margin(1e-8));
    }
  }
}

TEST_CASE("shared covariance: believing a point adds it to every member at its own mean") {
  const Fixture fx;
  SharedCovarianceModels shared(fx.model, fx.targets);
  const Eigen::RowVectorXd u = kTestPoints.row(2);
  const Eigen::VectorXd believed = shared.believe(u);
  REQUIRE(believed.size() == 3);
  CHECK(shared.model().size() == 10);
  const MemberPredictions p = shared.predict(kTestPoints);
  for (Eigen::Index s = 0; s < 3; ++s) {
    GaussianProcess g = fx.alone(s);
    CHECK(believed[s] == Approx(g.predict(Eigen::MatrixXd(u)).mean[0]).epsilon(1e-10));
    g.add_point(u, believed[s]);
    const Prediction q = g.predict(kTestPoints);
    CHECK((p.means.col(s) - q.mean).cwiseAbs().maxCoeff() < 1e-9);
    CHECK((p.variance - q.variance).cwiseAbs().maxCoeff() < 1e-12);
  }
}

TEST_CASE("shared covariance: targets of the wrong shape are rejected") {
  const Fixture fx;
  CHECK_THROWS_AS(SharedCovarianceModels(fx.model, Eigen::MatrixXd::Zero(8, 2)), std::invalid_argument);
  CHECK_THROWS_AS(SharedCovarianceModels(fx.model, Eigen::MatrixXd::Zero(9, 0)), std::invalid_argument);
  CHECK_THROWS_AS(fx.model.representer_weights(Eigen::MatrixXd::Zero(3, 1)), std::invalid_argument);
  const Eigen::MatrixXd wrong = Eigen::MatrixXd::Zero(5, 2);
  CHECK_THROWS_AS(fx.model.predict(kTestPoints, {.target_weights = &wrong}), std::invalid_argument);
  CHECK_THROWS_AS(fx.model.predict_gradient(kTestPoints.row(0), false, &wrong), std::invalid_argument);
}
