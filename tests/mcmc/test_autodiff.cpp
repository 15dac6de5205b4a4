#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "gpbo/mcmc/autodiff.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/summary.hpp"
#include "gpbo/mcmc/distributions.hpp"
#include "gpbo/mcmc/transforms.hpp"

using namespace gpbo::mcmc;

namespace {
// Correlated Gaussian: -x' P x / 2 with a fixed precision P; gradient -P x.
struct Gaussian {
  Eigen::MatrixXd precision;
  template <class T>
  T operator()(const VectorT<T>& x) const {
    const VectorT<T> px = precision.cast<T>() * x;
    return T(-0.5 * x.dot(px));
  }
};

// Logistic regression with a normal(0, 2) prior: data X (n x k), y in {0,1}.
struct Logistic {
  Eigen::MatrixXd X;
  std::vector<int> y;
  template <class T>
  T operator()(const VectorT<T>& beta) const {
    const VectorT<T> eta = X.cast<T>() * beta;
    T lp = bernoulli_logit_lpmf(y, eta);
    lp += normal_lpdf(beta, 0.0, 2.0);
    return lp;
  }
};

// Eight-schools style non-centered model on (mu, log tau, z): tau > 0 via positive_constrain.
struct Hierarchical {
  Eigen::VectorXd y, sigma;
  template <class T>
  T operator()(const VectorT<T>& th) const {
    const Eigen::Index J = y.size();
    T lp(0.0);
    const T tau = positive_constrain(th(1), lp);
    lp += normal_lpdf(th(0), 0.0, 5.0);
    lp += half_cauchy_lpdf(tau, 5.0);
    for (Eigen::Index j = 0; j < J; ++j) {
      lp += normal_lpdf(th(2 + j), 0.0, 1.0);
      lp += normal_lpdf(y(j), T(th(0) + tau * th(2 + j)), sigma(j));
    }
    return lp;
  }
};

// Gamma(2, 1) density: -inf for x <= 0.
struct GammaOnly {
  template <class T>
  T operator()(const VectorT<T>& x) const {
    return gamma_lpdf(x(0), 2.0, 1.0);
  }
};

Eigen::VectorXd central_difference(const LogDensity& m, const Eigen::VectorXd& x) {
  Eigen::VectorXd g(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    Eigen::VectorXd up = x, dn = x;
    up(i) += 1e-6;
    dn(i) -= 1e-6;
    g(i) = (m.log_density(up) - m.log_density(dn)) / 2e-6;
  }
  return g;
}
}  // namespace

TEST_CASE("autodiff: exact gradient of a correlated Gaussian equals -P x") {
  Eigen::MatrixXd P(3, 3);
  P << 2.0, 0.5, -0.3, 0.5, 1.0, 0.2, -0.3, 0.2, 1.5;
  const auto model = make_autodiff_density(Gaussian{P}, 3, {"a", "b", "c"}, "gauss");
  const Eigen::Vector3d x(0.3, -1.2, 0.8);
  Eigen::VectorXd g;
  const double lp = model.log_density_gradient(x, g);
  CHECK(lp == Approx(-0.5 * x.dot(P * x)));
  CHECK(model.log_density(x) == Approx(lp));
  CHECK((g - (-P * x)).norm() < 1e-12);
  CHECK(model.parameter_names() == std::vector<std::string>{"a", "b", "c"});
  CHECK(model.name() == "gauss");
  CHECK_THROWS_AS(model.log_density(Eigen::VectorXd::Zero(2)), std::invalid_argument);
}

TEST_CASE("autodiff: inline (d <= 16) and heap (d > 16) partials give the same exact gradients") {
  // 150 passed glibc's trim threshold; 40 after 150 reuses the kept point at a smaller size.
  for (int d : {kSmallDimension, kSmallDimension + 1, 150, 40}) {
    Eigen::MatrixXd A = Eigen::MatrixXd::Random(d, d);
    const Eigen::MatrixXd P = A * A.transpose() + d * Eigen::MatrixXd::Identity(d, d);
    const auto model = make_autodiff_density(Gaussian{P}, d);
    const Eigen::VectorXd x = Eigen::VectorXd::LinSpaced(d, -1.0, 2.0);
    Eigen::VectorXd g;
    CHECK(model.log_density_gradient(x, g) == Approx(-0.5 * x.dot(P * x)));
    CHECK((g + P * x).norm() < 1e-10 * (P * x).norm());
  }
}

TEST_CASE("autodiff: gradients of a density constant in some coordinates, or outside its support") {
  // Depends on coordinates 0 and 20 only.
  const auto sparse = make_autodiff_density([](const auto& x) { return -x(0) * x(0) + 3.0 * x(20); }, 40);
  Eigen::VectorXd g;
  CHECK(sparse.log_density_gradient(Eigen::VectorXd::Constant(40, 0.5), g) == Approx(-0.25 + 1.5));
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(40);
  expected(0) = -1.0;
  expected(20) = 3.0;
  CHECK((g - expected).norm() == 0.0);
  const auto flat = make_autodiff_density(
      [](const auto& x) { return typename std::decay_t<decltype(x)>::Scalar(2.0); }, 20);
  CHECK(flat.log_density_gradient(Eigen::VectorXd::Zero(20), g) == 2.0);
  CHECK((g.size() == 20 && g.isZero(0.0)));
  // Outside the support: -inf and a zero gradient.
  const auto positive = make_autodiff_density([](const auto& x) { return log(x(30)); }, 40);
  CHECK(positive.log_density_gradient(Eigen::VectorXd::Constant(40, -1.0), g) == -std::numeric_limits<double>::infinity());
  CHECK((g.size() == 40 && g.isZero(0.0)));
}

TEST_CASE("autodiff: logistic regression gradient equals the analytic X'(y - p) - beta/4") {
  Eigen::MatrixXd X(5, 2);
  X << 1, 0.3, 1, -1.2, 1, 2.0, 1, 0.1, 1, -0.7;
  const std::vector<int> y{1, 0, 1, 1, 0};
  const auto model = make_autodiff_density(Logistic{X, y}, 2);
  const Eigen::Vector2d beta(0.4, -0.9);
  Eigen::VectorXd g;
  model.log_density_gradient(beta, g);
  Eigen::VectorXd resid(5);
  for (int i = 0; i < 5; ++i) resid(i) = y[static_cast<std::size_t>(i)] - inv_logit(X.row(i).dot(beta));
  const Eigen::VectorXd analytic = X.transpose() * resid - beta / 4.0;
  CHECK((g - analytic).norm() < 1e-12);
}

TEST_CASE("autodiff: hierarchical model with a transform matches central differences") {
  Hierarchical h;
  h.y = Eigen::Vector3d(28, 8, -3);
  h.sigma = Eigen::Vector3d(15, 10, 16);
  const auto model = make_autodiff_density(h, 5);
  Eigen::VectorXd x(5);
  x << 4.0, 1.2, 0.3, -0.5, 1.1;
  Eigen::VectorXd g;
  model.log_density_gradient(x, g);
  const Eigen::VectorXd fd = central_difference(model, x);
  for (int i = 0; i < 5; ++i) CHECK(g(i) == Approx(fd(i)).epsilon(1e-6).margin(1e-8));
}

TEST_CASE("autodiff: outside the support gives -inf and a zero gradient, and outputs can be mapped") {
  auto model = make_autodiff_density(GammaOnly{}, 1);
  Eigen::VectorXd g;
  CHECK(model.log_density_gradient(Eigen::VectorXd::Constant(1, -1.0), g) == -std::numeric_limits<double>::infinity());
  CHECK(g.size() == 1);
  CHECK(g(0) == 0.0);
  model.with_outputs({"y"}, [](const Eigen::VectorXd& x, Eigen::VectorXd& out) { out = 2.0 * x; });
  Eigen::VectorXd out;
  model.outputs(Eigen::VectorXd::Constant(1, 1.5), out);
  CHECK(out(0) == 3.0);
  CHECK(model.output_names() == std::vector<std::string>{"y"});
}

TEST_CASE("autodiff: finite-difference fallback is close to the exact gradient, quiet, and named in the summary") {
  Eigen::MatrixXd P(2, 2);
  P << 1.5, 0.4, 0.4, 0.8;
  const Gaussian gauss{P};
  FiniteDifferenceLogDensity model(2, [&](const Eigen::VectorXd& x) { return gauss(x); }, {}, "fd_gauss");
  std::ostringstream captured;
  auto* old = std::cerr.rdbuf(captured.rdbuf());
  Eigen::VectorXd g;
  const Eigen::Vector2d x(0.7, -2.0);
  model.log_density_gradient(x, g);
  std::cerr.rdbuf(old);
  CHECK((g - (-P * x)).norm() < 1e-7);
  CHECK(captured.str().empty());  // a library does not write to the application's stderr
  CHECK(model.approximate_gradient());
  gpbo::mcmc::ChainOptions options;
  options.chains = 2;
  options.sampler.warmup = 100;
  options.sampler.draws = 100;
  const auto has_warning = [](const gpbo::mcmc::Summary& s) {
    return std::any_of(s.warnings.begin(), s.warnings.end(), [](const std::string& w) {
      return w.find("model 'fd_gauss' is differentiated by finite differences") != std::string::npos;
    });
  };
  CHECK(has_warning(gpbo::mcmc::summarize(gpbo::mcmc::run_chains(model, "nuts", options))));
  // A sampler that never asks for a gradient has nothing to warn about.
  CHECK_FALSE(has_warning(gpbo::mcmc::summarize(gpbo::mcmc::run_chains(model, "slice", options))));
}

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gpbo/mcmc/hmc.hpp"
#include "gpbo/mcmc/slice.hpp"

namespace {
// sigma ~ Gamma(3, rate 2) and p ~ Beta(2, 5), sampled on the unconstrained scale through
// positive_constrain and interval_constrain (Jacobians included); outputs are (sigma, p).
struct GammaBeta {
  template <class T>
  T operator()(const VectorT<T>& u) const {
    T lp(0.0);
    const T sigma = positive_constrain(u(0), lp);
    const T p = interval_constrain(u(1), 0.0, 1.0, lp);
    lp += gamma_lpdf(sigma, 3.0, 2.0);
    lp += beta_lpdf(p, 2.0, 5.0);
    return lp;
  }
};
}  // namespace

TEST_CASE("autodiff: constrained AD model sampled by HMC and slice recovers closed-form means") {
  auto model = make_autodiff_density(GammaBeta{}, 2, {"log_sigma", "logit_p"});
  model.with_outputs({"sigma", "p"}, [](const Eigen::VectorXd& u, Eigen::VectorXd& out) {
    double unused = 0.0;
    out.resize(2);
    out(0) = positive_constrain(u(0), unused);
    out(1) = interval_constrain(u(1), 0.0, 1.0, unused);
  });
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = 300;
  opt.sampler.draws = 1000;
  const double mean_sigma = 3.0 / 2.0, var_sigma = 3.0 / 4.0;
  const double mean_p = 2.0 / 7.0, var_p = 2.0 * 5.0 / (49.0 * 8.0);
  const StaticHmc hmc;
  const SliceSampler slice;
  for (const Sampler* sampler : {static_cast<const Sampler*>(&hmc), static_cast<const Sampler*>(&slice)}) {
    const auto run = run_chains(model, *sampler, opt);
    const Eigen::MatrixXd s = run.column(0), p = run.column(1);
    INFO(sampler->name() << ": E[sigma] " << s.mean() << " mcse " << mcse_mean(s) << ", E[p] " << p.mean() << " mcse "
                         << mcse_mean(p));
    CHECK(std::abs(s.mean() - mean_sigma) < 4 * mcse_mean(s));
    CHECK(std::abs(p.mean() - mean_p) < 4 * mcse_mean(p));
    CHECK(mcse_mean(s) < 0.05 * std::sqrt(var_sigma));
    CHECK(mcse_mean(p) < 0.05 * std::sqrt(var_p));
    const Eigen::MatrixXd vs = (s.array() - mean_sigma).square(), vp = (p.array() - mean_p).square();
    CHECK(std::abs(vs.mean() - var_sigma) < 4 * mcse_mean(vs));
    CHECK(std::abs(vp.mean() - var_p) < 4 * mcse_mean(vp));
  }
}

namespace {
// Uniform on the 3-simplex (Dirichlet(1, 1, 1)) through simplex_constrain: only the Jacobian.
struct UniformSimplex {
  template <class T>
  T operator()(const VectorT<T>& u) const {
    T lp(0.0);
    simplex_constrain(u, lp);
    return lp;
  }
};
// Two iid N(0, 1) values, sorted: density 2 N(y1) N(y2) on y1 < y2 through ordered_constrain.
struct SortedNormals {
  template <class T>
  T operator()(const VectorT<T>& u) const {
    T lp(0.0);
    const VectorT<T> y = ordered_constrain(u, lp);
    lp += normal_lpdf(y, 0.0, 1.0);
    return lp;
  }
};
}  // namespace

TEST_CASE("autodiff: simplex and ordered Jacobians give the right distributions when sampled") {
  ChainOptions opt;
  opt.chains = 4;
  opt.sampler.warmup = 300;
  opt.sampler.draws = 1000;
  opt.sampler.seed = 9;
  const StaticHmc hmc;

  auto simplex = make_autodiff_density(UniformSimplex{}, 2);
  simplex.with_outputs({"y.1", "y.2", "y.3"}, [](const Eigen::VectorXd& u, Eigen::VectorXd& out) {
    double unused = 0.0;
    out = simplex_constrain<double>(u, unused);
  });
  const auto s = run_chains(simplex, hmc, opt);
  for (int k = 0; k < 3; ++k) {
    const Eigen::MatrixXd y = s.column(k);
    const Eigen::MatrixXd dev = (y.array() - 1.0 / 3.0).square();
    INFO("simplex y." << k + 1 << ": mean " << y.mean() << " mcse " << mcse_mean(y) << ", var " << dev.mean());
    CHECK(std::abs(y.mean() - 1.0 / 3.0) < 4 * mcse_mean(y));            // Dirichlet(1,1,1) mean
    CHECK(std::abs(dev.mean() - 1.0 / 18.0) < 4 * mcse_mean(dev));       // and variance
    CHECK(mcse_mean(y) < 0.01);
  }

  auto sorted = make_autodiff_density(SortedNormals{}, 2);
  sorted.with_outputs({"lo", "hi"}, [](const Eigen::VectorXd& u, Eigen::VectorXd& out) {
    double unused = 0.0;
    out = ordered_constrain<double>(u, unused);
  });
  const auto o = run_chains(sorted, hmc, opt);
  const Eigen::MatrixXd lo = o.column(0), hi = o.column(1);
  CHECK((hi.array() > lo.array()).all());
  const double expected_max = 1.0 / std::sqrt(M_PI);  // E[max of two iid N(0, 1)]
  INFO("E[hi] " << hi.mean() << " mcse " << mcse_mean(hi) << ", E[lo] " << lo.mean());
  CHECK(std::abs(hi.mean() - expected_max) < 4 * mcse_mean(hi));
  CHECK(std::abs(lo.mean() + expected_max) < 4 * mcse_mean(lo));
  CHECK(mcse_mean(hi) < 0.03);
}


#include "gpbo/mcmc/models/model_registry.hpp"

TEST_CASE("autodiff: AD of a template eight-schools model equals the built-in analytic gradient") {
  // The built-in model (hand-written gradient) and the template functor above describe the same
  // density (non-centered, tau = exp(log_tau) with its Jacobian): gradients must agree and the
  // log densities differ by a constant.
  const std::string data = std::string(GPBO_SOURCE_DIR) + "/tests/reference/mcmc_data/eight_schools.csv";
  const auto builtin = models::load_model("eight_schools", data);
  Hierarchical h;
  h.y.resize(8);
  h.sigma.resize(8);
  h.y << 28, 8, -3, 7, -1, 1, 18, 12;
  h.sigma << 15, 10, 16, 11, 9, 11, 10, 18;
  const auto ad = make_autodiff_density(h, 10);
  REQUIRE(builtin->dimension() == 10);
  auto rng = gpbo::make_rng(12);
  double offset = 0.0;
  for (int trial = 0; trial < 5; ++trial) {
    Eigen::VectorXd x(10);
    for (int i = 0; i < 10; ++i) x(i) = gpbo::uniform(rng, -2.0, 2.0);
    Eigen::VectorXd g_ad, g_builtin;
    const double v_ad = ad.log_density_gradient(x, g_ad);
    const double v_builtin = builtin->log_density_gradient(x, g_builtin);
    for (int i = 0; i < 10; ++i) CHECK(g_ad(i) == Approx(g_builtin(i)).epsilon(1e-10).margin(1e-12));
    if (trial == 0) offset = v_ad - v_builtin;
    CHECK(v_ad - v_builtin == Approx(offset).epsilon(1e-10));
  }
}
