#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>

#include "kernel_checks.hpp"
#include "gpbo/kernels/linear.hpp"
#include "gpbo/kernels/periodic.hpp"
#include "gpbo/kernels/product.hpp"
#include "gpbo/kernels/rational_quadratic.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/squared_exponential.hpp"

using namespace gpbo;
using gpbo::test::check_kernel;
using gpbo::test::random_matrix;

TEST_CASE("rational quadratic: closed form, SE limit, gradients") {
  RationalQuadraticKernel rq(2, true, {}, 2.5);
  rq.set_value("lengthscale[0]", 0.5);
  Eigen::MatrixXd a(1, 2), b(1, 2);
  a << 0.1, 0.2;
  b << 0.6, -0.4;
  const double r2 = 0.25 / 0.25 + 0.36;
  CHECK(rq.eval(a, b)(0, 0) == Approx(std::pow(1 + r2 / 5.0, -2.5)).epsilon(1e-13));
  RationalQuadraticKernel big(2, false, {}, 1e7);
  SquaredExponentialKernel se(2, false);
  CHECK(big.eval(a, b)(0, 0) == Approx(se.eval(a, b)(0, 0)).epsilon(1e-6));
  auto rng = make_rng(31);
  const Eigen::MatrixXd X = random_matrix(rng, 8, 2);
  for (bool ard : {true, false}) {
    RationalQuadraticKernel k(2, ard, {}, 0.8);
    gpbo::test::perturb(k, rng);
    CHECK(k.hyperparameters().back().name == "alpha");
    check_kernel(k, X, rng);
  }
  RationalQuadraticKernel partial(3, true, {2}, 1.3);
  check_kernel(partial, random_matrix(rng, 7, 3), rng);
}

TEST_CASE("periodic: closed form, periodicity, gradients") {
  PeriodicKernel k(2, {}, 0.7, 1.3);
  Eigen::MatrixXd a(1, 2), b(1, 2);
  a << 0.1, 0.2;
  b << 0.9, -0.5;
  const double s = std::pow(std::sin(M_PI * 0.8 / 1.3), 2) + std::pow(std::sin(M_PI * 0.7 / 1.3), 2);
  CHECK(k.eval(a, b)(0, 0) == Approx(std::exp(-2 * s / 0.49)).epsilon(1e-12));
  Eigen::MatrixXd b2 = b;
  b2(0, 0) += 1.3 * 3;
  CHECK(k.eval(a, b2)(0, 0) == Approx(k.eval(a, b)(0, 0)).epsilon(1e-10));
  CHECK(k.hyperparameters()[1].name == "period");
  auto rng = make_rng(32);
  const Eigen::MatrixXd X = random_matrix(rng, 9, 2, -2.0, 2.0);
  gpbo::test::perturb(k, rng);
  check_kernel(k, X, rng);
  PeriodicKernel one(3, {1});
  check_kernel(one, random_matrix(rng, 6, 3), rng);
  ProductKernel prod(std::make_unique<SquaredExponentialKernel>(2), k.clone());
  check_kernel(prod, X, rng);
}

// K, dK/dlog(lengthscale) and dK/dlog(period) from the definition, in long double.
struct PeriodicDirect {
  Eigen::MatrixXd K, dl, dp;
};
PeriodicDirect periodic_direct(const Eigen::MatrixXd& X, double l, double p) {
  const Eigen::Index n = X.rows();
  PeriodicDirect out{Eigen::MatrixXd(n, n), Eigen::MatrixXd(n, n), Eigen::MatrixXd(n, n)};
  const long double pi = 3.141592653589793238462643383279502884L, L = l, P = p;
  for (Eigen::Index a = 0; a < n; ++a)
    for (Eigen::Index b = 0; b < n; ++b) {
      long double s2 = 0, q = 0;
      for (Eigen::Index k = 0; k < X.cols(); ++k) {
        const long double d = static_cast<long double>(X(a, k)) - X(b, k);
        s2 += std::pow(std::sin(pi * d / P), 2);
        q += d * std::sin(2 * pi * d / P);
      }
      const long double K = std::exp(-2 * s2 / (L * L));
      out.K(a, b) = static_cast<double>(K);
      out.dl(a, b) = static_cast<double>(4 * K * s2 / (L * L));
      out.dp(a, b) = static_cast<double>(2 * pi / (L * L * P) * K * q);
    }
  return out;
}

TEST_CASE("periodic: values and gradients stay accurate when the period is a million length scales") {
  // sin^2 of a tiny angle must not come from 1 - cos (which cancels): at period 1e6 and length
  // scale 1e-5 that lost 2e-6 relative accuracy in K, and more in its gradients.
  auto rng = make_rng(34);
  for (const auto& [l, p, offset] : {std::tuple{1e-5, 1e6, 0.0}, std::tuple{1e-5, 1e6, 1e3}, std::tuple{0.7, 1.3, 0.0},
                                     std::tuple{0.3, 0.05, 0.0}}) {
    INFO("lengthscale " << l << ", period " << p << ", inputs offset by " << offset);
    PeriodicKernel k(2, {}, l, p);
    const Eigen::MatrixXd X = (random_matrix(rng, 12, 2, 0.0, 3.0).array() + offset).matrix();
    const auto direct = periodic_direct(X, l, p);
    const double tol = 1e-12;
    CHECK((k.gram(X) - direct.K).cwiseAbs().maxCoeff() < tol);
    CHECK((k.eval(X, X.topRows(5)) - direct.K.leftCols(5)).cwiseAbs().maxCoeff() < tol);
    const double scale_l = direct.dl.cwiseAbs().maxCoeff() + 1.0, scale_p = direct.dp.cwiseAbs().maxCoeff() + 1.0;
    CHECK((k.gram_gradient(X, 0) - direct.dl).cwiseAbs().maxCoeff() < tol * scale_l);
    CHECK((k.gram_gradient(X, 1) - direct.dp).cwiseAbs().maxCoeff() < 1e-10 * scale_p);
    const Eigen::MatrixXd W = random_matrix(rng, 12, 12);
    const Eigen::VectorXd g = k.gram_gradient_contract(X, W);
    CHECK(std::abs(g(0) - (W.array() * direct.dl.array()).sum()) < tol * 144 * scale_l);
    CHECK(std::abs(g(1) - (W.array() * direct.dp.array()).sum()) < 1e-10 * 144 * scale_p);
  }
}

TEST_CASE("periodic: a test point's covariances do not depend on the other test points") {
  // eval(train, test) as GaussianProcess::predict calls it. A centre taken from the test block
  // let one far row (1e15) move every other row's covariances, and a prediction by 0.1.
  auto rng = make_rng(35);
  PeriodicKernel k(1, {}, 0.8, 1.7);
  const Eigen::MatrixXd train = random_matrix(rng, 10, 1, 0.0, 5.0);
  const Eigen::MatrixXd test = random_matrix(rng, 4, 1, 0.0, 5.0);
  Eigen::MatrixXd with_far(6, 1);
  with_far << test, 1e15, -1e308;
  const Eigen::MatrixXd alone = k.eval(train, test), beside_far = k.eval(train, with_far);
  CHECK((alone - beside_far.leftCols(4)).cwiseAbs().maxCoeff() == 0.0);
  // Reduced modulo the period, features of points many periods out stay finite (1e308 gave NaN).
  CHECK(beside_far.allFinite());
  CHECK(beside_far.minCoeff() > 0.0);
  CHECK(beside_far.maxCoeff() <= 1.0);
  // Nor does the order of the arguments matter (predict_gradient calls eval(test point, train)).
  CHECK((k.eval(with_far, train) - beside_far.transpose()).cwiseAbs().maxCoeff() == 0.0);
  // Whole periods away is the same point: exactly so for 1e17 with period 1 (centred first, it
  // gave 0.223 for 0.952), and for the input gradient at 1e15 + 0.25 (it gave 2.58 for 0).
  PeriodicKernel unit(1, {}, 0.8, 1.0);
  REQUIRE(unit.period() == 1.0);
  const Eigen::MatrixXd zero = Eigen::MatrixXd::Zero(1, 1), far = Eigen::MatrixXd::Constant(1, 1, 1e17);
  CHECK((unit.eval(train, far) - unit.eval(train, zero)).cwiseAbs().maxCoeff() < 1e-12);
  const Eigen::RowVectorXd near_x = Eigen::RowVectorXd::Constant(1, 0.25), far_x = Eigen::RowVectorXd::Constant(1, 1e15 + 0.25);
  CHECK((unit.input_gradient(far_x, train) - unit.input_gradient(near_x, train)).cwiseAbs().maxCoeff() < 1e-12);
}

TEST_CASE("linear: closed form, offset, gradients") {
  LinearKernel k(3, true, {0, 2});
  k.set_value("variance", 2.0);
  k.set_value("offset", 0.5);
  Eigen::MatrixXd a(1, 3), b(1, 3);
  a << 1, 100, 2;
  b << 3, -7, 4;
  CHECK(k.eval(a, b)(0, 0) == Approx(2.0 * (3 + 8) + 0.5));
  CHECK(k.to_string() == "linear(offset)[0,2]");
  auto rng = make_rng(33);
  const Eigen::MatrixXd X = random_matrix(rng, 8, 3);
  check_kernel(k, X, rng);
  LinearKernel plain(3);
  CHECK(plain.num_hyperparameters() == 1u);
  gpbo::test::perturb(plain, rng);
  check_kernel(plain, X, rng);
  ProductKernel lp(plain.clone(), std::make_unique<PeriodicKernel>(3));
  check_kernel(lp, X, rng);
}
