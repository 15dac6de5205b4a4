#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/rational_quadratic.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/squared_exponential.hpp"
#include "gpbo/kernels/vector_math.hpp"

using namespace gpbo;

TEST_CASE("exp_in_place agrees with std::exp to a few ulp, special values included") {
  const bool baseline = GENERATE(false, true);
  INFO("implementation: " << (baseline ? "baseline" : exp_in_place_implementation()));
  auto exp_in_place = [&](double* a, std::size_t n) { baseline ? exp_in_place_baseline(a, n) : gpbo::exp_in_place(a, n); };
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-745.0, 709.0);
  // Odd length: the vector loop's scalar tail runs as well.
  std::vector<double> x(1001);
  for (double& v : x) v = u(rng);
  std::vector<double> y = x;
  exp_in_place(y.data(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double want = std::exp(x[i]);
    if (want < std::numeric_limits<double>::min()) {
      CHECK(std::abs(y[i] - want) <= 4 * std::numeric_limits<double>::denorm_min());
    } else {
      CHECK(std::abs(y[i] - want) <= 4e-16 * want);
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> s = {0.0, -0.0, -inf, inf, std::nan(""), 710.0, -746.0, -1e-300, 1.0};
  exp_in_place(s.data(), s.size());
  CHECK(s[0] == 1.0);
  CHECK(s[1] == 1.0);
  CHECK(s[2] == 0.0);
  CHECK(s[3] == inf);
  CHECK(std::isnan(s[4]));
  CHECK(s[5] == inf);
  CHECK(s[6] == 0.0);
  CHECK(s[7] == 1.0);
  CHECK(s[8] == Approx(std::exp(1.0)).epsilon(1e-15));
}

TEST_CASE("log_in_place and log1p_in_place agree with std::log and std::log1p to a few ulp") {
  const bool baseline = GENERATE(false, true);
  INFO("implementation: " << (baseline ? "baseline" : exp_in_place_implementation()));
  std::mt19937_64 rng(6);
  std::uniform_real_distribution<double> exponent(-300.0, 300.0), unit(0.0, 1.0);
  // Magnitudes from 1e-300 to 1e300, and values in (-1, 0) for log1p; odd length for the tails.
  std::vector<double> x(1001), xm(1001);
  for (double& v : x) v = std::pow(10.0, exponent(rng));
  for (double& v : xm) v = -unit(rng);
  std::vector<double> y = x;
  baseline ? log_in_place_baseline(y.data(), y.size()) : log_in_place(y.data(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) CHECK(std::abs(y[i] - std::log(x[i])) <= 4e-16 * std::abs(std::log(x[i])));
  for (const auto* in : {&x, &xm}) {
    std::vector<double> z = *in;
    log1p_in_place(z.data(), z.size());
    for (std::size_t i = 0; i < z.size(); ++i) {
      const double want = std::log1p((*in)[i]);
      INFO("x = " << (*in)[i]);
      CHECK(std::abs(z[i] - want) <= 1e-15 * std::abs(want));
    }
  }
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> s = {0.0, -0.0, 1e-17, -1e-17, 5e-324, inf, -1.0, -2.0, -inf, std::nan(""), 1.0};
  log1p_in_place(s.data(), s.size());
  CHECK((s[0] == 0.0 && !std::signbit(s[0])));
  CHECK((s[1] == 0.0 && std::signbit(s[1])));
  CHECK(s[2] == 1e-17);
  CHECK(s[3] == -1e-17);
  CHECK(s[4] == 5e-324);
  CHECK(s[5] == inf);
  CHECK(s[6] == -inf);
  CHECK(std::isnan(s[7]));
  CHECK(std::isnan(s[8]));
  CHECK(std::isnan(s[9]));
  CHECK(s[10] == Approx(std::log(2.0)).epsilon(1e-15));
  std::vector<double> l = {0.0, 1.0, -1.0, inf};
  log_in_place(l.data(), l.size());
  CHECK(l[0] == -inf);
  CHECK(l[1] == 0.0);
  CHECK(std::isnan(l[2]));
  CHECK(l[3] == inf);
}

TEST_CASE("stationary Gram matrices over many points match the closed forms entry by entry") {
  // 300 points: columns longer than one elementwise chunk (256) and of every length below it.
  std::mt19937_64 rng(9);
  std::normal_distribution<double> g(0.0, 1.0);
  const int n = 300, d = 5;
  Eigen::MatrixXd X(n, d);
  for (Eigen::Index i = 0; i < X.size(); ++i) X.data()[i] = g(rng);
  X.row(7) = X.row(3);  // a duplicate: distance exactly 0
  SquaredExponentialKernel se(d);
  MaternKernel m12(MaternKernel::Nu::Half, d), m32(MaternKernel::Nu::ThreeHalves, d), m52(MaternKernel::Nu::FiveHalves, d);
  RationalQuadraticKernel rq(d, true, {}, 0.7);
  Eigen::VectorXd ls(d);
  ls << 0.5, 1.0, 2.0, 0.8, 3.0;
  auto closed_form = [&](const Kernel& k, double r) {
    if (&k == &se) return std::exp(-0.5 * r * r);
    if (&k == &m12) return std::exp(-r);
    if (&k == &m32) return (1 + std::sqrt(3.0) * r) * std::exp(-std::sqrt(3.0) * r);
    if (&k == &m52) return (1 + std::sqrt(5.0) * r + 5.0 * r * r / 3.0) * std::exp(-std::sqrt(5.0) * r);
    return std::pow(1.0 + r * r / (2.0 * 0.7), -0.7);
  };
  for (Kernel* k : std::initializer_list<Kernel*>{&se, &m12, &m32, &m52, &rq}) {
    Eigen::VectorXd u = k->log_params();
    u.head(d) = ls.array().log().matrix();
    k->set_log_params(u);
    const Eigen::MatrixXd K = k->gram(X);
    const Eigen::MatrixXd C = k->eval(X.topRows(40), X);
    double worst = 0.0;
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b) {
        const double r = ((X.row(a) - X.row(b)).array() / ls.transpose().array()).matrix().norm();
        const double want = closed_form(*k, r);
        worst = std::max(worst, std::abs(K(a, b) - want));
        if (a < 40) worst = std::max(worst, std::abs(C(a, b) - want));
      }
    }
    INFO(k->to_string());
    CHECK(worst < 1e-14);
    CHECK(K(3, 7) == 1.0);
    CHECK(K.isApprox(K.transpose(), 0.0));
    // What the gradient contraction reuses: the profile's slope df/d(r^2), lower triangle.
    Eigen::MatrixXd slope;
    CHECK(Eigen::MatrixXd(k->gram_with_derivative(X, slope).triangularView<Eigen::Lower>()) ==
          Eigen::MatrixXd(K.triangularView<Eigen::Lower>()));
    REQUIRE(slope.rows() == n);
    for (int b = 0; b < n; b += 37) {
      for (int a = b + 1; a < n; a += 11) {
        const double r = ((X.row(a) - X.row(b)).array() / ls.transpose().array()).matrix().norm(), h = 1e-6;
        const double fd = (closed_form(*k, std::sqrt(r * r + h)) - closed_form(*k, std::sqrt(r * r - h))) / (2 * h);
        CHECK(slope(a, b) == Approx(fd).epsilon(1e-6).margin(1e-9));
      }
    }
  }
  // A scaled kernel keeps its base's (unscaled) slope.
  ScaleKernel scaled(std::make_unique<MaternKernel>(m52), 3.0);
  Eigen::MatrixXd slope, base_slope;
  const Eigen::MatrixXd scaled_lower = scaled.gram_with_derivative(X, slope).triangularView<Eigen::Lower>();
  CHECK((scaled_lower - 3.0 * Eigen::MatrixXd(m52.gram(X).triangularView<Eigen::Lower>())).cwiseAbs().maxCoeff() < 1e-14);
  (void)m52.gram_with_derivative(X, base_slope);
  CHECK(slope.triangularView<Eigen::Lower>().toDenseMatrix() == base_slope.triangularView<Eigen::Lower>().toDenseMatrix());
}
