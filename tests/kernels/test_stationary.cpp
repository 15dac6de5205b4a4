#include <catch2/catch.hpp>

#include <cmath>

#include "kernel_checks.hpp"
#include "gpbo/kernels/constant.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/squared_exponential.hpp"
#include "gpbo/kernels/white.hpp"

using namespace gpbo;
using gpbo::test::check_kernel;
using gpbo::test::random_matrix;

TEST_CASE("stationary kernels match their closed forms at one pair of points") {
  SquaredExponentialKernel se(2);
  MaternKernel m12(MaternKernel::Nu::Half, 2), m32(MaternKernel::Nu::ThreeHalves, 2), m52(MaternKernel::Nu::FiveHalves, 2);
  for (Kernel* k : std::initializer_list<Kernel*>{&se, &m12, &m32, &m52}) k->set_log_params(Eigen::Vector2d(std::log(0.5), std::log(2.0)));
  Eigen::MatrixXd a(1, 2), b(1, 2);
  a << 0.3, -1.0;
  b << 1.0, 0.5;
  const double r = std::sqrt(std::pow(0.7 / 0.5, 2) + std::pow(1.5 / 2.0, 2));
  CHECK(se.eval(a, b)(0, 0) == Approx(std::exp(-0.5 * r * r)).epsilon(1e-13));
  CHECK(m12.eval(a, b)(0, 0) == Approx(std::exp(-r)).epsilon(1e-13));
  const double s3 = std::sqrt(3.0) * r, s5 = std::sqrt(5.0) * r;
  CHECK(m32.eval(a, b)(0, 0) == Approx((1 + s3) * std::exp(-s3)).epsilon(1e-13));
  CHECK(m52.eval(a, b)(0, 0) == Approx((1 + s5 + s5 * s5 / 3) * std::exp(-s5)).epsilon(1e-13));
  CHECK(m52.diag(a)(0) == 1.0);
}

TEST_CASE("stationary kernels: gradients, contraction, symmetry and PSD (ARD and shared)") {
  auto rng = make_rng(11);
  const Eigen::MatrixXd X = random_matrix(rng, 9, 3);
  for (bool ard : {true, false}) {
    SquaredExponentialKernel se(3, ard);
    MaternKernel m12(MaternKernel::Nu::Half, 3, ard), m32(MaternKernel::Nu::ThreeHalves, 3, ard),
        m52(MaternKernel::Nu::FiveHalves, 3, ard);
    for (Kernel* k : std::initializer_list<Kernel*>{&se, &m12, &m32, &m52}) {
      CHECK(k->num_hyperparameters() == (ard ? 3u : 1u));
      gpbo::test::perturb(*k, rng);
      check_kernel(*k, X, rng);
    }
  }
}

TEST_CASE("stationary kernels on active dimensions ignore the other columns") {
  auto rng = make_rng(12);
  const Eigen::MatrixXd X = random_matrix(rng, 7, 4);
  MaternKernel k(MaternKernel::Nu::FiveHalves, 4, true, {0, 2});
  CHECK(k.num_hyperparameters() == 2u);
  gpbo::test::perturb(k, rng);
  check_kernel(k, X, rng);
  Eigen::MatrixXd Y = X;
  Y.col(1).setRandom();
  Y.col(3).setRandom();
  CHECK(gpbo::test::max_abs(k.gram(X) - k.gram(Y)) == 0.0);
  const Eigen::MatrixXd G = k.input_gradient(X.row(0) * 0.5, X);
  CHECK(G.col(1).cwiseAbs().maxCoeff() == 0.0);
  CHECK(G.col(3).cwiseAbs().maxCoeff() == 0.0);
  CHECK(G.col(0).cwiseAbs().maxCoeff() > 0.0);
  k.set_active_dims({1, 2, 3});
  CHECK(k.num_hyperparameters() == 3u);
  CHECK(k.hyperparameters()[2].name == "lengthscale[2]");
  CHECK_THROWS_AS(k.set_active_dims({4}), std::invalid_argument);
  CHECK_THROWS_AS(k.gram(Eigen::MatrixXd::Zero(3, 2)), std::invalid_argument);
}

TEST_CASE("grouped length scales: one per group, the product of shared-scale kernels over the groups") {
  auto rng = make_rng(13);
  const Eigen::MatrixXd X = random_matrix(rng, 8, 5);
  SquaredExponentialKernel grouped(5);
  grouped.set_lengthscale_groups({{0, 2}, {4}, {1, 3}});
  REQUIRE(grouped.num_hyperparameters() == 3u);
  CHECK(grouped.hyperparameters()[2].name == "lengthscale[2]");
  CHECK(grouped.active_dims() == std::vector<int>{0, 2, 4, 1, 3});
  CHECK(grouped.to_string() == "unscaled(se[0,2;4;1,3])");
  const Eigen::Vector3d u(std::log(0.7), std::log(1.9), std::log(0.4));
  grouped.set_log_params(u);
  // exp(-sum_g r_g^2 / 2) is the product over the groups of shared-scale SE kernels.
  Eigen::MatrixXd product = Eigen::MatrixXd::Ones(8, 8);
  const std::vector<std::vector<int>> groups = {{0, 2}, {4}, {1, 3}};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    SquaredExponentialKernel part(5, false, groups[g]);
    part.set_log_params(Eigen::VectorXd::Constant(1, u(static_cast<Eigen::Index>(g))));
    product.array() *= part.gram(X).array();
  }
  CHECK(gpbo::test::max_abs(grouped.gram(X) - product) <= 1e-15);
  CHECK(gpbo::test::max_abs(grouped.lengthscales().matrix() - Eigen::Vector<double, 5>(0.7, 0.7, 1.9, 0.4, 0.4)) <= 1e-15);
  check_kernel(grouped, X, rng);
  MaternKernel m52(MaternKernel::Nu::FiveHalves, 5);
  m52.set_lengthscale_groups({{3}, {0, 1, 4}});
  gpbo::test::perturb(m52, rng);
  check_kernel(m52, X, rng);
  // Back to one length scale per dimension, by an empty grouping or new active dimensions.
  m52.set_lengthscale_groups({});
  CHECK(m52.num_hyperparameters() == 4u);
  CHECK(m52.lengthscale_groups().empty());
  grouped.set_active_dims({0, 1});
  CHECK(grouped.num_hyperparameters() == 2u);
  CHECK(grouped.to_string() == "unscaled(se[0,1])");
  CHECK_THROWS_WITH(grouped.set_lengthscale_groups({{0}, {}}), Catch::Contains("group 1 is empty"));
  CHECK_THROWS_WITH(grouped.set_lengthscale_groups({{0}, {0}}), Catch::Contains("listed twice"));
  CHECK(grouped.num_hyperparameters() == 2u);  // unchanged by the refused groupings
  SquaredExponentialKernel iso(5, false);
  CHECK_THROWS_WITH(iso.set_lengthscale_groups({{0}, {1}}), Catch::Contains("need ARD"));
}

TEST_CASE("stationary gram stays accurate for inputs far from the origin and for duplicates") {
  SquaredExponentialKernel k(1);
  Eigen::MatrixXd X(3, 1);
  X << 1e6, 1e6 + 0.5, 1e6;
  const Eigen::MatrixXd K = k.gram(X);
  CHECK(K(0, 1) == Approx(std::exp(-0.125)).epsilon(1e-9));
  CHECK(K(0, 2) == 1.0);
  MaternKernel m12(MaternKernel::Nu::Half, 1);
  Eigen::MatrixXd W = Eigen::MatrixXd::Ones(3, 3);
  const Eigen::VectorXd g = m12.gram_gradient_contract(X, W);
  CHECK(std::isfinite(g(0)));
  CHECK(g(0) == Approx(W.cwiseProduct(m12.gram_gradient(X, 0)).sum()).epsilon(1e-8));
}

TEST_CASE("stationary kernels give 0, not NaN, for points very far apart") {
  // A distance whose square overflows (1e300) used to give (1 + s + s^2/3) exp(-s) = inf * 0.
  SquaredExponentialKernel se(1);
  MaternKernel m12(MaternKernel::Nu::Half, 1), m32(MaternKernel::Nu::ThreeHalves, 1), m52(MaternKernel::Nu::FiveHalves, 1);
  Eigen::MatrixXd X(3, 1), far(2, 1);
  X << 0.0, 0.3, 1.0;
  far << 1e154, 1e300;
  for (Kernel* k : std::initializer_list<Kernel*>{&se, &m12, &m32, &m52}) {
    INFO(k->to_string());
    CHECK(k->eval(far, X).cwiseAbs().maxCoeff() == 0.0);
    CHECK(k->input_gradient(far.row(1), X).cwiseAbs().maxCoeff() == 0.0);
    Eigen::MatrixXd Y(4, 1);
    Y << 0.0, 0.5, 1e160, -1e160;
    const Eigen::MatrixXd K = k->gram(Y);
    CHECK(K.allFinite());
    CHECK(K(0, 2) == 0.0);
  }
}

TEST_CASE("constant and white kernels") {
  auto rng = make_rng(13);
  const Eigen::MatrixXd X = random_matrix(rng, 6, 2);
  ConstantKernel c(2, 0.7);
  WhiteKernel w(2, 0.3);
  check_kernel(c, X, rng);
  check_kernel(w, X, rng);
  CHECK(c.gram(X)(1, 4) == Approx(0.7));
  Eigen::MatrixXd D(3, 2);
  D << 1, 2, 1, 2, 3, 4;
  const Eigen::MatrixXd Kg = w.gram(D), Ke = w.eval(D, D);
  CHECK(Kg(0, 1) == 0.0);          // repeated observations get independent noise
  CHECK(Kg(2, 2) == Approx(0.3));
  CHECK(w.diag(D)(1) == Approx(0.3));
  CHECK(Ke.isZero(0.0));            // and a new observation's noise is independent of the training noise
  CHECK(w.input_gradient(D.row(0), D).isZero(0.0));
}
