#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <functional>
#include <limits>
#include <vector>

#include <boost/math/distributions.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <nlohmann/json.hpp>

#include "gpbo/mcmc/distributions.hpp"

namespace bm = boost::math;
using gpbo::mcmc::value_of;
using AD = Eigen::AutoDiffScalar<Eigen::VectorXd>;

namespace {
const double kNegInf = -std::numeric_limits<double>::infinity();
const double kInf = std::numeric_limits<double>::infinity();

// An AD scalar with value v that is the i-th of n independent variables.
AD var(double v, int i, int n) { return AD(v, n, i); }

// Checks the AD gradient of f (a function of n scalars) against central differences at x, once
// with all arguments as variables and once per argument with the others as AD constants (empty
// derivative vectors), the mix that Eigen's AutoDiffScalar is most fragile with.
void check_ad_gradient(const std::function<AD(const std::vector<AD>&)>& f, const std::vector<double>& x) {
  const int n = static_cast<int>(x.size());
  std::vector<double> fd(x.size());
  for (int i = 0; i < n; ++i) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[i]));
    std::vector<AD> up, dn;
    for (int j = 0; j < n; ++j) {
      up.emplace_back(x[j] + (j == i ? h : 0.0));
      dn.emplace_back(x[j] - (j == i ? h : 0.0));
    }
    fd[i] = (f(up).value() - f(dn).value()) / (2 * h);
  }
  std::vector<AD> all;
  for (int i = 0; i < n; ++i) all.push_back(var(x[i], i, n));
  const AD out = f(all);
  REQUIRE(out.derivatives().size() == n);
  for (int i = 0; i < n; ++i) CHECK(out.derivatives()(i) == Approx(fd[i]).epsilon(1e-6).margin(1e-8));
  for (int i = 0; i < n; ++i) {
    std::vector<AD> one;
    for (int j = 0; j < n; ++j) one.push_back(j == i ? var(x[j], 0, 1) : AD(x[j]));
    const AD single = f(one);
    REQUIRE(single.derivatives().size() == 1);
    CHECK(single.derivatives()(0) == Approx(fd[i]).epsilon(1e-6).margin(1e-8));
  }
}
}  // namespace

TEST_CASE("distributions: continuous log densities equal Boost.Math log pdfs") {
  using namespace gpbo::mcmc;
  for (double y : {-2.5, -0.3, 0.0, 1.7, 6.0}) {
    CHECK(normal_lpdf(y, 0.4, 1.3) == Approx(std::log(bm::pdf(bm::normal(0.4, 1.3), y))));
    CHECK(cauchy_lpdf(y, -0.2, 0.7) == Approx(std::log(bm::pdf(bm::cauchy(-0.2, 0.7), y))));
    const double z = (y - 0.5) / 2.0;
    CHECK(student_t_lpdf(y, 3.5, 0.5, 2.0) == Approx(std::log(bm::pdf(bm::students_t(3.5), z) / 2.0)));
  }
  for (double y : {0.05, 0.4, 1.0, 2.2, 9.0}) {
    CHECK(half_normal_lpdf(y, 1.7) == Approx(std::log(2 * bm::pdf(bm::normal(0, 1.7), y))));
    CHECK(half_cauchy_lpdf(y, 2.5) == Approx(std::log(2 * bm::pdf(bm::cauchy(0, 2.5), y))));
    CHECK(lognormal_lpdf(y, 0.3, 0.8) == Approx(std::log(bm::pdf(bm::lognormal(0.3, 0.8), y))));
    CHECK(gamma_lpdf(y, 2.5, 3.0) == Approx(std::log(bm::pdf(bm::gamma_distribution<>(2.5, 1 / 3.0), y))));
    CHECK(inv_gamma_lpdf(y, 3.0, 2.0) == Approx(std::log(bm::pdf(bm::inverse_gamma(3.0, 2.0), y))));
    CHECK(exponential_lpdf(y, 1.4) == Approx(std::log(bm::pdf(bm::exponential(1.4), y))));
  }
  for (double y : {0.01, 0.3, 0.5, 0.92}) {
    CHECK(beta_lpdf(y, 2.5, 0.7) == Approx(std::log(bm::pdf(bm::beta_distribution<>(2.5, 0.7), y))));
  }
}

TEST_CASE("distributions: discrete log masses equal Boost.Math log pmfs") {
  using namespace gpbo::mcmc;
  for (double alpha : {-40.0, -2.0, 0.0, 0.7, 40.0}) {
    const double p = 1 / (1 + std::exp(-alpha));
    if (std::abs(alpha) < 30) {
      CHECK(bernoulli_logit_lpmf(1, alpha) == Approx(std::log(bm::pdf(bm::bernoulli(p), 1))));
      CHECK(bernoulli_logit_lpmf(0, alpha) == Approx(std::log(bm::pdf(bm::bernoulli(p), 0))));
    }
  }
  // Stable tails: log(1 - inv_logit(40)) = -40 - log1p(exp(-40)); a naive form gives -inf.
  CHECK(bernoulli_logit_lpmf(0, 40.0) == Approx(-40.0));
  CHECK(bernoulli_logit_lpmf(1, -800.0) == Approx(-800.0));
  CHECK(bernoulli_logit_lpmf(1, 800.0) == Approx(0.0).margin(1e-300));
  for (int n : {0, 1, 4, 10}) {
    CHECK(binomial_lpmf(n, 10, 0.35) == Approx(std::log(bm::pdf(bm::binomial(10, 0.35), n))));
    CHECK(poisson_log_lpmf(n, std::log(3.2)) == Approx(std::log(bm::pdf(bm::poisson(3.2), n))));
  }
  CHECK(binomial_lpmf(0, 5, 0.0) == Approx(0.0).margin(1e-12));
  CHECK(binomial_lpmf(5, 5, 1.0) == Approx(0.0).margin(1e-12));
  // Outcomes held as doubles: whole ones as the ints, others -inf (the int parameter truncated
  // 0.7 to 0, 2.5 to 2 and 1.5 to 1).
  CHECK(bernoulli_logit_lpmf(1.0, 0.3) == bernoulli_logit_lpmf(1, 0.3));
  CHECK(binomial_lpmf(2.0, 5.0, 0.3) == binomial_lpmf(2, 5, 0.3));
  CHECK(poisson_log_lpmf(3.0, 0.1) == poisson_log_lpmf(3, 0.1));
  CHECK(bernoulli_logit_lpmf(0.7, 0.3) == kNegInf);
  CHECK(binomial_lpmf(2.5, 5, 0.3) == kNegInf);
  CHECK(binomial_lpmf(2, 5.5, 0.3) == kNegInf);
  CHECK(poisson_log_lpmf(1.5, 0.1) == kNegInf);
  CHECK(poisson_log_lpmf(3e9, 0.1) == kNegInf);  // beyond an int: not clamped to INT_MAX
  // Unsigned outcomes are counts too (a comparison with INT_MIN made each one -inf).
  CHECK(poisson_log_lpmf(std::size_t{3}, 0.1) == poisson_log_lpmf(3, 0.1));
  CHECK(binomial_lpmf(2u, 5u, 0.3) == binomial_lpmf(2, 5, 0.3));
  CHECK(bernoulli_logit_lpmf(true, 0.3) == bernoulli_logit_lpmf(1, 0.3));
  CHECK(poisson_log_lpmf(char{3}, 0.1) == poisson_log_lpmf(3, 0.1));  // std::in_range refused char types
  CHECK(poisson_log_lpmf(std::uint64_t{3000000000}, 0.1) == kNegInf);
  CHECK(poisson_log_lpmf(std::vector<unsigned>{1, 2}, 0.1) == Approx(poisson_log_lpmf(1, 0.1) + poisson_log_lpmf(2, 0.1)));
  // Rate 0 (log rate -inf): outcome 0 is certain, others impossible (0 * -inf was NaN).
  CHECK(poisson_log_lpmf(0, -kInf) == 0.0);
  CHECK(poisson_log_lpmf(2, -kInf) == kNegInf);
}

TEST_CASE("distributions: outside the support or invalid parameters give -inf") {
  using namespace gpbo::mcmc;
  CHECK(normal_lpdf(0.0, 0.0, -1.0) == kNegInf);
  CHECK(half_normal_lpdf(-0.1, 1.0) == kNegInf);
  CHECK(half_cauchy_lpdf(-0.1, 1.0) == kNegInf);
  CHECK(lognormal_lpdf(0.0, 0.0, 1.0) == kNegInf);
  CHECK(gamma_lpdf(-1.0, 2.0, 1.0) == kNegInf);
  CHECK(gamma_lpdf(1.0, 0.0, 1.0) == kNegInf);
  CHECK(inv_gamma_lpdf(1.0, 2.0, std::nan("")) == kNegInf);
  CHECK(beta_lpdf(1.0, 2.0, 2.0) == kNegInf);
  CHECK(exponential_lpdf(-1e-9, 2.0) == kNegInf);
  CHECK(bernoulli_logit_lpmf(2, 0.0) == kNegInf);
  CHECK(binomial_lpmf(3, 2, 0.5) == kNegInf);
  CHECK(binomial_lpmf(1, 2, 1.5) == kNegInf);
  CHECK(poisson_log_lpmf(-1, 0.0) == kNegInf);
  CHECK(value_of(normal_lpdf(AD(0.0), var(-1.0, 0, 1), AD(1.0))) == Approx(normal_lpdf(0.0, -1.0, 1.0)));
  CHECK(value_of(student_t_lpdf(0.0, AD(0.0), 0.0, 1.0)) == kNegInf);
  // nu = inf is the normal (lbeta threw an overflow error); its derivative in nu is 0 there.
  CHECK(student_t_lpdf(0.8, kInf, 0.5, 2.0) == normal_lpdf(0.8, 0.5, 2.0));
  const AD t = student_t_lpdf(var(0.8, 0, 4), var(kInf, 1, 4), var(0.5, 2, 4), var(2.0, 3, 4));
  const AD n = normal_lpdf(var(0.8, 0, 3), var(0.5, 1, 3), var(2.0, 2, 3));
  CHECK(value_of(t) == value_of(n));
  REQUIRE(t.derivatives().size() == 4);
  CHECK(t.derivatives()[0] == Approx(n.derivatives()[0]));  // -0.075
  CHECK(t.derivatives()[1] == 0.0);
  CHECK(t.derivatives()[2] == Approx(n.derivatives()[1]));
  CHECK(t.derivatives()[3] == Approx(n.derivatives()[2]));
}

TEST_CASE("distributions: AD derivatives match central differences") {
  using namespace gpbo::mcmc;
  using V = std::vector<AD>;
  check_ad_gradient([](const V& a) { return normal_lpdf(a[0], a[1], a[2]); }, {0.3, -0.4, 1.2});
  check_ad_gradient([](const V& a) { return student_t_lpdf(a[0], a[1], a[2], a[3]); }, {0.3, 4.5, -0.4, 1.2});
  check_ad_gradient([](const V& a) { return cauchy_lpdf(a[0], a[1], a[2]); }, {2.3, -0.4, 0.6});
  check_ad_gradient([](const V& a) { return half_normal_lpdf(a[0], a[1]); }, {0.8, 1.5});
  check_ad_gradient([](const V& a) { return half_cauchy_lpdf(a[0], a[1]); }, {0.8, 1.5});
  check_ad_gradient([](const V& a) { return lognormal_lpdf(a[0], a[1], a[2]); }, {1.9, 0.2, 0.7});
  check_ad_gradient([](const V& a) { return gamma_lpdf(a[0], a[1], a[2]); }, {1.9, 2.7, 0.8});
  check_ad_gradient([](const V& a) { return inv_gamma_lpdf(a[0], a[1], a[2]); }, {1.9, 2.7, 0.8});
  check_ad_gradient([](const V& a) { return beta_lpdf(a[0], a[1], a[2]); }, {0.35, 2.7, 0.8});
  check_ad_gradient([](const V& a) { return exponential_lpdf(a[0], a[1]); }, {0.35, 2.7});
  check_ad_gradient([](const V& a) { return AD(bernoulli_logit_lpmf(1, a[0]) + bernoulli_logit_lpmf(0, a[0])); },
                    {0.6});
  check_ad_gradient([](const V& a) { return binomial_lpmf(3, 7, a[0]); }, {0.42});
  check_ad_gradient([](const V& a) { return poisson_log_lpmf(4, a[0]); }, {0.9});
}

TEST_CASE("distributions: vectorized forms sum the elementwise densities") {
  using namespace gpbo::mcmc;
  Eigen::VectorXd y(3), mu(3);
  y << 0.1, -1.2, 2.0;
  mu << 0.0, 0.5, 1.5;
  CHECK(normal_lpdf(y, mu, 0.8) ==
        Approx(normal_lpdf(0.1, 0.0, 0.8) + normal_lpdf(-1.2, 0.5, 0.8) + normal_lpdf(2.0, 1.5, 0.8)));
  CHECK(normal_lpdf(y, 0.3, 0.8) ==
        Approx(normal_lpdf(0.1, 0.3, 0.8) + normal_lpdf(-1.2, 0.3, 0.8) + normal_lpdf(2.0, 0.3, 0.8)));
  CHECK(student_t_lpdf(y, 3.0, mu, 2.0) == Approx(student_t_lpdf(0.1, 3.0, 0.0, 2.0) +
                                                  student_t_lpdf(-1.2, 3.0, 0.5, 2.0) +
                                                  student_t_lpdf(2.0, 3.0, 1.5, 2.0)));
  const std::vector<int> yb{1, 0, 1};
  CHECK(bernoulli_logit_lpmf(yb, mu) ==
        Approx(bernoulli_logit_lpmf(1, 0.0) + bernoulli_logit_lpmf(0, 0.5) + bernoulli_logit_lpmf(1, 1.5)));
  Eigen::VectorXi counts(3);
  counts << 0, 3, 7;
  CHECK(poisson_log_lpmf(counts, mu) ==
        Approx(poisson_log_lpmf(0, 0.0) + poisson_log_lpmf(3, 0.5) + poisson_log_lpmf(7, 1.5)));
  // Expressions of AD vectors (a regression's X * beta) work and carry derivatives.
  Eigen::Matrix<AD, -1, 1> beta(2);
  beta << var(0.5, 0, 2), var(-0.25, 1, 2);
  Eigen::MatrixXd X(3, 2);
  X << 1, 0.2, 1, -0.4, 1, 1.3;
  const AD lp = normal_lpdf(y, (X.cast<AD>() * beta).eval(), 0.8);
  const Eigen::VectorXd resid = y - X * Eigen::Vector2d(0.5, -0.25);
  const Eigen::VectorXd grad = X.transpose() * resid / (0.8 * 0.8);
  CHECK(lp.value() == Approx(normal_lpdf(y, (X * Eigen::Vector2d(0.5, -0.25)).eval(), 0.8)));
  CHECK(lp.derivatives()(0) == Approx(grad(0)));
  CHECK(lp.derivatives()(1) == Approx(grad(1)));
  CHECK_THROWS_AS(normal_lpdf(y, Eigen::VectorXd::Zero(2).eval(), 1.0), std::invalid_argument);
}

TEST_CASE("distributions: vectorized AD sums equal the sum of scalar AD terms (broadcast scalars too)") {
  using namespace gpbo::mcmc;
  // theta = (m1, m2, m3, log-free sigma, nu): 5 variables.
  const int n = 5;
  Eigen::Matrix<AD, -1, 1> mu(3);
  mu << var(0.2, 0, n), var(-0.4, 1, n), var(1.1, 2, n);
  const AD sigma = var(1.3, 3, n), nu = var(4.0, 4, n);
  Eigen::VectorXd y(3);
  y << 0.5, -1.0, 2.5;
  const AD vec = student_t_lpdf(y, nu, mu, sigma);
  AD loop(0.0);
  for (int i = 0; i < 3; ++i) loop += AD(student_t_lpdf(y(i), nu, mu(i), sigma));
  CHECK(vec.value() == Approx(loop.value()));
  REQUIRE(vec.derivatives().size() == n);
  for (int j = 0; j < n; ++j) CHECK(vec.derivatives()(j) == Approx(loop.derivatives()(j)));
  // A vector of AD values where some elements are constants (empty derivatives).
  Eigen::Matrix<AD, -1, 1> eta(3);
  eta << var(0.3, 0, 2), AD(-0.2), var(0.9, 1, 2);
  const std::vector<int> yb{1, 1, 0};
  const AD b = bernoulli_logit_lpmf(yb, eta);
  CHECK(b.derivatives()(0) == Approx(1.0 - inv_logit(0.3)));
  CHECK(b.derivatives()(1) == Approx(-inv_logit(0.9)));
}

TEST_CASE("distributions: multiply(A, x) with AD x carries the derivatives of A x") {
  using namespace gpbo::mcmc;
  Eigen::MatrixXd A(3, 2);
  A << 1, 2, -1, 0.5, 3, -2;
  Eigen::Matrix<AD, -1, 1> x(2);
  x << var(0.7, 0, 3), AD(AD(-1.2, 3, 1) * 2.0 + AD(0.1, 3, 2));
  const Eigen::Matrix<AD, -1, 1> ax = multiply(A, x);
  const Eigen::Matrix<AD, -1, 1> reference = A.cast<AD>() * x;
  for (int i = 0; i < 3; ++i) {
    CHECK(ax(i).value() == Approx(reference(i).value()));
    CHECK((ax(i).derivatives() - reference(i).derivatives()).norm() < 1e-14);
  }
  const Eigen::VectorXd xd = Eigen::Vector2d(0.7, -2.3);
  CHECK((multiply(A, xd) - A * xd).norm() == 0.0);
}

TEST_CASE("distributions: lbeta, Student-t, beta and binomial stay exact where lgammas cancel (mpmath reference)") {
  // tests/reference/mcmc_lbeta_reference.py: mpmath at 60 digits. The plain lgamma sum lost
  // 1e-3 in lbeta(1e12, 0.5) and 0.92 nats in student_t(0.3 | 1e15, 0, 1).
  using namespace gpbo::mcmc;
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/mcmc_lbeta_reference.json");
  REQUIRE(in);
  const auto ref = nlohmann::json::parse(in);
  const auto close = [](double got, double want) { return std::abs(got - want) <= 1e-13 * std::max(1.0, std::abs(want)); };
  for (const auto& c : ref["lbeta"]) {
    const double a = c["a"], b = c["b"], want = c["value"];
    INFO("lbeta(" << a << ", " << b << ") = " << lbeta(a, b) << ", reference " << want);
    CHECK(close(lbeta(a, b), want));
  }
  for (const auto& c : ref["student_t"]) {
    const double y = c["y"], nu = c["nu"], mu = c["mu"], s = c["sigma"], want = c["value"];
    INFO("student_t(" << y << " | " << nu << ", " << mu << ", " << s << ") = " << student_t_lpdf(y, nu, mu, s) << ", reference " << want);
    CHECK(close(student_t_lpdf(y, nu, mu, s), want));
  }
  for (const auto& c : ref["beta"]) {
    const double y = c["y"], a = c["a"], b = c["b"], want = c["value"];
    INFO("beta(" << y << " | " << a << ", " << b << ") = " << beta_lpdf(y, a, b) << ", reference " << want);
    // (a - 1) log y itself is 7e7 at a = 1e8: its rounding, not lbeta's, bounds the accuracy.
    CHECK(std::abs(beta_lpdf(y, a, b) - want) <= 1e-13 * std::max(1.0, std::abs(want)) + 1e-15 * (a + b));
  }
  for (const auto& c : ref["binomial"]) {
    const int n = c["n"], N = c["N"];
    const double t = c["theta"], want = c["value"];
    INFO("binomial(" << n << " | " << N << ", " << t << ") = " << binomial_lpmf(n, N, t) << ", reference " << want);
    CHECK(std::abs(binomial_lpmf(n, N, t) - want) <= 1e-13 * std::max(1.0, std::abs(want)) + 1e-15 * N);  // as for beta
  }
}

TEST_CASE("distributions: lbeta's derivatives are digamma differences in each of its three regimes") {
  using namespace gpbo::mcmc;
  for (const auto& [a, b] : std::vector<std::pair<double, double>>{{3.0, 7.5}, {2.5, 40.0}, {45.0, 12.0}, {300.0, 1e4}}) {
    INFO("lbeta(" << a << ", " << b << ")");
    const AD v = lbeta(var(a, 0, 2), var(b, 1, 2));
    CHECK(v.value() == Approx(std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b)).epsilon(1e-12));
    CHECK(v.derivatives()(0) == Approx(bm::digamma(a) - bm::digamma(a + b)).epsilon(1e-9));
    CHECK(v.derivatives()(1) == Approx(bm::digamma(b) - bm::digamma(a + b)).epsilon(1e-9));
    check_ad_gradient([](const std::vector<AD>& x) { return AD(lbeta(x[0], x[1])); }, {a, b});
  }
  check_ad_gradient([](const std::vector<AD>& x) { return AD(student_t_lpdf(x[0], x[1], x[2], x[3])); }, {0.3, 60.0, 0.1, 1.5});
}
