#include <catch2/catch.hpp>

#include <cmath>
#include <functional>

#include <Eigen/Dense>

#include "gpbo/mcmc/transforms.hpp"

using namespace gpbo::mcmc;
using AD = Eigen::AutoDiffScalar<Eigen::VectorXd>;

namespace {
using VecFn = std::function<Eigen::VectorXd(const Eigen::VectorXd&, double&)>;

// log|det J| of the square map f at x by central differences of the columns.
double fd_log_abs_det(const VecFn& f, const Eigen::VectorXd& x) {
  const Eigen::Index n = x.size();
  Eigen::MatrixXd J(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double h = 1e-6;
    Eigen::VectorXd up = x, dn = x;
    up(i) += h;
    dn(i) -= h;
    double unused = 0;
    J.col(i) = (f(up, unused) - f(dn, unused)) / (2 * h);
  }
  return std::log(std::abs(J.determinant()));
}

// Gradient of the log-Jacobian by AD against central differences of the double version.
void check_log_jac_gradient(const std::function<AD(const VectorT<AD>&)>& ad_logj,
                            const std::function<double(const Eigen::VectorXd&)>& logj, const Eigen::VectorXd& x) {
  const Eigen::Index n = x.size();
  VectorT<AD> xa(n);
  for (Eigen::Index i = 0; i < n; ++i) xa(i) = AD(x(i), n, i);
  const AD out = ad_logj(xa);
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::VectorXd up = x, dn = x;
    up(i) += 1e-6;
    dn(i) -= 1e-6;
    CHECK(out.derivatives()(i) == Approx((logj(up) - logj(dn)) / 2e-6).epsilon(1e-6).margin(1e-7));
  }
}
}  // namespace

TEST_CASE("transforms: scalar bounds round-trip and their log-Jacobians are log|dy/dx|") {
  for (double x : {-3.0, -0.4, 0.0, 1.1, 4.0}) {
    double lj = 0.0;
    const double y = lower_bound_constrain(x, -2.0, lj);
    CHECK(y > -2.0);
    CHECK(lower_bound_free(y, -2.0) == Approx(x));
    CHECK(lj == Approx(std::log((std::exp(x + 1e-6) - std::exp(x - 1e-6)) / 2e-6)).margin(1e-8));

    lj = 0.0;
    const double u = upper_bound_constrain(x, 3.0, lj);
    CHECK(u < 3.0);
    CHECK(upper_bound_free(u, 3.0) == Approx(x));
    CHECK(lj == Approx(x));

    lj = 0.0;
    const double p = positive_constrain(x, lj);
    CHECK(positive_free(p) == Approx(x));

    lj = 0.0;
    const double v = interval_constrain(x, -1.0, 4.0, lj);
    CHECK((v > -1.0 && v < 4.0));
    CHECK(interval_free(v, -1.0, 4.0) == Approx(x));
    double unused = 0.0;
    const double dv =
        (interval_constrain(x + 1e-6, -1.0, 4.0, unused) - interval_constrain(x - 1e-6, -1.0, 4.0, unused)) / 2e-6;
    CHECK(lj == Approx(std::log(dv)).epsilon(1e-7).margin(1e-8));
  }
  CHECK_THROWS_AS(positive_free(0.0), std::domain_error);
  CHECK_THROWS_AS(interval_free(4.0, -1.0, 4.0), std::domain_error);
  // The accumulator adds, it does not overwrite.
  double lj = 10.0;
  positive_constrain(0.5, lj);
  CHECK(lj == Approx(10.5));
}

TEST_CASE("transforms: ordered vectors round-trip with log-Jacobian equal to finite-difference log|det J|") {
  Eigen::VectorXd x(4);
  x << -0.7, 0.3, -1.5, 0.9;
  double lj = 0.0;
  const Eigen::VectorXd y = ordered_constrain<double>(x, lj);
  for (Eigen::Index k = 1; k < y.size(); ++k) CHECK(y(k) > y(k - 1));
  CHECK((ordered_free(y) - x).norm() < 1e-12);
  const VecFn f = [](const Eigen::VectorXd& v, double& l) { return ordered_constrain<double>(v, l); };
  CHECK(lj == Approx(fd_log_abs_det(f, x)).epsilon(1e-6));
  Eigen::VectorXd bad(2);
  bad << 1.0, 1.0;
  CHECK_THROWS_AS(ordered_free(bad), std::domain_error);
  check_log_jac_gradient(
      [](const VectorT<AD>& v) {
        AD l(0.0);
        ordered_constrain(v, l);
        return l;
      },
      [](const Eigen::VectorXd& v) {
        double l = 0.0;
        ordered_constrain<double>(v, l);
        return l;
      },
      x);
}

TEST_CASE("transforms: simplex stick-breaking round-trips, centers at uniform, log-Jacobian matches FD") {
  Eigen::VectorXd x(3);
  x << 0.4, -1.2, 0.7;
  double lj = 0.0;
  const Eigen::VectorXd y = simplex_constrain<double>(x, lj);
  REQUIRE(y.size() == 4);
  CHECK(y.sum() == Approx(1.0));
  CHECK((y.array() > 0).all());
  CHECK((simplex_free(y) - x).norm() < 1e-10);
  double lj0 = 0.0;
  const Eigen::VectorXd uniform = simplex_constrain<double>(Eigen::VectorXd::Zero(3), lj0);
  CHECK((uniform.array() - 0.25).abs().maxCoeff() < 1e-14);
  // The Jacobian of x -> (y_1, ..., y_{K-1}) (y_K is determined by the others).
  const VecFn head = [](const Eigen::VectorXd& v, double& l) {
    const Eigen::VectorXd s = simplex_constrain<double>(v, l);
    return Eigen::VectorXd(s.head(v.size()));
  };
  CHECK(lj == Approx(fd_log_abs_det(head, x)).epsilon(1e-6));
  CHECK_THROWS_AS(simplex_free(Eigen::Vector3d(0.5, 0.6, -0.1)), std::domain_error);
  check_log_jac_gradient(
      [](const VectorT<AD>& v) {
        AD l(0.0);
        simplex_constrain(v, l);
        return l;
      },
      [](const Eigen::VectorXd& v) {
        double l = 0.0;
        simplex_constrain<double>(v, l);
        return l;
      },
      x);
}

TEST_CASE("transforms: AD through constrain gives the derivative of the constrained value") {
  // d/dx of interval_constrain and of its log-Jacobian, by AD and by central differences.
  const double x = 0.37;
  AD lj(0.0);
  const AD y = interval_constrain(AD(x, 1, 0), 2.0, 5.0, lj);
  double unused = 0.0;
  const double dy = (interval_constrain(x + 1e-6, 2.0, 5.0, unused) - interval_constrain(x - 1e-6, 2.0, 5.0, unused)) / 2e-6;
  CHECK(y.derivatives()(0) == Approx(dy).epsilon(1e-7));
  double lu = 0.0, ld = 0.0;
  interval_constrain(x + 1e-6, 2.0, 5.0, lu);
  interval_constrain(x - 1e-6, 2.0, 5.0, ld);
  CHECK(lj.derivatives()(0) == Approx((lu - ld) / 2e-6).epsilon(1e-6));
}
