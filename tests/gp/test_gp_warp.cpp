// Warped-GP fits (gp/target_warp.hpp): the joint objective's gradient, and what fit() leaves.
#include <catch2/catch.hpp>

#include <cmath>

#include "gp_test_util.hpp"
#include "gpbo/gp/marginal_likelihood.hpp"

using namespace gpbo;
using gpbo::test::grid_points;
using gpbo::test::scaled_matern52;

namespace {

/// w = b (y + a y^3), a in [0, 2], b in [0.5, 2]: monotone, two parameters (b is redundant with an
/// output scale, which makes it a fair test of the matrix shapes, not of identifiability).
class CubicWarp final : public TargetWarp {
 public:
  explicit CubicWarp(Eigen::VectorXd y) : y_(std::move(y)) {}
  [[nodiscard]] Eigen::Index num_params() const override { return 2; }
  [[nodiscard]] Eigen::Index num_targets() const override { return y_.size(); }
  [[nodiscard]] Eigen::VectorXd lower() const override { return Eigen::Vector2d(0.0, 0.5); }
  [[nodiscard]] Eigen::VectorXd upper() const override { return Eigen::Vector2d(2.0, 2.0); }
  [[nodiscard]] WarpedTargets apply(const Eigen::VectorXd& p, bool derivatives) const override {
    const double a = p[0], b = p[1];
    const Eigen::ArrayXd y = y_.array(), cube = y.cube(), slope = 1.0 + 3.0 * a * y.square();
    WarpedTargets out;
    out.w = (b * (y + a * cube)).matrix();
    out.log_slope = (std::log(b) + slope.log()).matrix();
    if (derivatives) {
      out.dw.resize(y_.size(), 2);
      out.dw.col(0) = (b * cube).matrix();
      out.dw.col(1) = (y + a * cube).matrix();
      out.dlog_slope.resize(y_.size(), 2);
      out.dlog_slope.col(0) = (3.0 * y.square() / slope).matrix();
      out.dlog_slope.col(1).setConstant(1.0 / b);
    }
    return out;
  }

 private:
  Eigen::VectorXd y_;
};

Eigen::VectorXd targets(const Eigen::MatrixXd& X) {
  Eigen::VectorXd y(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) y[i] = std::sin(4.0 * X(i, 0)) + 0.5 * X(i, 1);
  return y;
}

/// 15 points, a cubic warp of their targets, and a fixed kernel, noise and mean.
struct WarpedCase {
  Eigen::MatrixXd X = grid_points(15, 2);
  CubicWarp warp{targets(X)};
  GpOptions o = gpbo::test::raw_options(MeanOptions::Kind::Constant, 0.05);
  KernelPtr k = scaled_matern52(2, 1.3, Eigen::Vector2d(0.3, 0.6));
  ModelValues base{k->log_params(), std::log(0.05), 0.1};
};

// The log posterior's gradient at p against central differences.
void check_gradient(MarginalLikelihood& ml, const Eigen::VectorXd& p, std::size_t rows) {
  Eigen::VectorXd g;
  ml.log_posterior(p, &g);
  REQUIRE(g.size() == p.size());
  for (Eigen::Index j = 0; j < p.size(); ++j) {
    const double h = 1e-6;
    Eigen::VectorXd hi = p, lo = p;
    hi[j] += h;
    lo[j] -= h;
    const double fd = (ml.log_posterior(hi, nullptr) - ml.log_posterior(lo, nullptr)) / (2 * h);
    INFO("parameter " << j << " of " << p.size() << ", rows " << rows);
    CHECK(g[j] == Approx(fd).epsilon(1e-5).margin(1e-6));
  }
}

}  // namespace

TEST_CASE("warped likelihood: value is the LML of the warped targets plus the log Jacobian") {
  const WarpedCase c;
  const auto& [X, warp, o, k, base] = c;
  MarginalLikelihood warped(*k, o, X, warp, {}, base);
  const Eigen::Vector2d wp(0.4, 1.5);
  const WarpedTargets wt = warp.apply(wp, false);
  MarginalLikelihood plain(*k, o, X, wt.w, base);
  const Eigen::VectorXd theta = plain.layout().pack(base);
  Eigen::VectorXd full(theta.size() + 2);
  full << theta, wp;
  CHECK(warped.size() == theta.size() + 2);
  CHECK(warped.lml(full, nullptr) == Approx(plain.lml(theta, nullptr) + wt.log_slope.sum()).epsilon(1e-12));
  CHECK(warped.lower().tail(2) == warp.lower());
  CHECK(warped.upper().tail(2) == warp.upper());
}

TEST_CASE("warped likelihood: the gradient over kernel, noise, mean and warp matches finite differences") {
  const WarpedCase c;
  const auto& [X, warp, o, k, base] = c;
  // All rows, and a subset of them (as a subset pre-fit evaluates).
  for (const std::vector<Eigen::Index>& rows : {std::vector<Eigen::Index>{}, std::vector<Eigen::Index>{0, 2, 3, 7, 11, 14}}) {
    const Eigen::MatrixXd Xr = rows.empty() ? X : Eigen::MatrixXd(X(rows, Eigen::all));
    MarginalLikelihood ml(*k, o, Xr, warp, rows, base);
    Eigen::VectorXd p(ml.size());
    p << ml.layout().pack(base), 0.4, 1.5;
    check_gradient(ml, p, rows.size());
  }
}

TEST_CASE("warped fit: the GP models the warp's targets at the optimum, a stationary point") {
  const Eigen::MatrixXd X = grid_points(30, 2);
  // y + 0.5 y^3 is the smooth function: the warp's optimum lies inside its bounds.
  Eigen::VectorXd y = targets(X);
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double f = 2.0 * y[i] + 0.1 * std::cos(17.0 * static_cast<double>(i));
    double v = 0.0;
    for (int it = 0; it < 60; ++it) v -= (v + 0.5 * v * v * v - f) / (1.0 + 1.5 * v * v);
    y[i] = v;
  }
  const CubicWarp warp(y);
  GaussianProcess gp(scaled_matern52(2, 1.0, Eigen::Vector2d(0.5, 0.5)), gpbo::test::raw_options(MeanOptions::Kind::Constant, 0.01));
  gp.set_data(X, y);
  FitOptions f{.restarts = 2, .seed = 3};
  f.warp = &warp;
  f.warp_start = Eigen::Vector2d(1.0, 1.0);
  const FitResult r = gp.fit(f);
  REQUIRE(r.warp_params.size() == 2);
  CHECK(r.warp_params[0] > 0.2);  // generated with 0.5
  CHECK(r.warp_params[0] < 1.0);
  CHECK((r.warp_params.array() >= warp.lower().array()).all());
  CHECK((r.warp_params.array() <= warp.upper().array()).all());
  const Eigen::VectorXd w = warp.apply(r.warp_params, false).w;
  CHECK((gp.y() - w).cwiseAbs().maxCoeff() < 1e-12);
  // The fit's objective is the warped one: at the optimum no interior coordinate can climb.
  MarginalLikelihood ml(gp.kernel(), gp.options(), X, warp, {}, ModelValues{gp.kernel().log_params(), std::log(gp.noise_variance()), gp.mean_value()});
  Eigen::VectorXd p(ml.size());
  p << gp.params(), r.warp_params;
  Eigen::VectorXd g;
  CHECK(ml.log_posterior(p, &g) == Approx(r.log_posterior).epsilon(1e-10));
  const Eigen::VectorXd lo = ml.lower(), hi = ml.upper();
  for (Eigen::Index j = 0; j < p.size(); ++j)
    if (p[j] > lo[j] + 1e-6 && p[j] < hi[j] - 1e-6) {
      INFO("parameter " << j << " at " << p[j] << " in [" << lo[j] << ", " << hi[j] << "]");
      CHECK(std::abs(g[j]) < 1e-2);
    }
  // A warp with the wrong number of targets is refused.
  const CubicWarp short_warp(y.head(10));
  f.warp = &short_warp;
  CHECK_THROWS_AS(gp.fit(f), std::invalid_argument);
}

namespace {
// Known noise variances of the 15 unwarped targets: varied, some zero.
Eigen::VectorXd known_variances() {
  Eigen::VectorXd v(15);
  for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = (i % 4 == 0) ? 0.0 : 0.002 * static_cast<double>(1 + i % 5);
  return v;
}
}  // namespace

TEST_CASE("warped likelihood with known noise: each variance enters as v (dw/dy)^2; gradient matches finite differences") {
  const WarpedCase c;
  const auto& [X, warp, o, k, base] = c;
  const Eigen::VectorXd v = known_variances();
  const Eigen::Vector2d wp(0.4, 1.5);
  // The value: the plain LML of the warped targets with the carried variances, plus the Jacobian.
  MarginalLikelihood warped(*k, o, X, warp, {}, base);
  warped.set_warped_point_noise(v);
  const WarpedTargets wt = warp.apply(wp, false);
  MarginalLikelihood plain(*k, o, X, wt.w, base);
  plain.set_point_noise((v.array() * (2.0 * wt.log_slope.array()).exp()).matrix());
  const Eigen::VectorXd theta = plain.layout().pack(base);
  Eigen::VectorXd full(theta.size() + 2);
  full << theta, wp;
  CHECK(warped.lml(full, nullptr) == Approx(plain.lml(theta, nullptr) + wt.log_slope.sum()).epsilon(1e-12));
  for (const std::vector<Eigen::Index>& rows : {std::vector<Eigen::Index>{}, std::vector<Eigen::Index>{0, 2, 3, 7, 11, 14}}) {
    const Eigen::MatrixXd Xr = rows.empty() ? X : Eigen::MatrixXd(X(rows, Eigen::all));
    MarginalLikelihood ml(*k, o, Xr, warp, rows, base);
    ml.set_warped_point_noise(v);  // all 15 targets' variances; the rows pick theirs
    Eigen::VectorXd p(ml.size());
    p << ml.layout().pack(base), 0.4, 1.5;
    check_gradient(ml, p, rows.size());
  }
  CHECK_THROWS_AS(warped.set_warped_point_noise(v.head(3)), std::invalid_argument);
  MarginalLikelihood unwarped(*k, o, X, wt.w, base);
  CHECK_THROWS_AS(unwarped.set_warped_point_noise(v), std::invalid_argument);
}

TEST_CASE("warped fit with known noise: the fitted GP holds the variances as the evidence took them") {
  const WarpedCase c;
  const Eigen::VectorXd y = targets(c.X), v = known_variances();
  GaussianProcess gp(scaled_matern52(2, 1.0, Eigen::Vector2d(0.5, 0.5)), gpbo::test::raw_options(MeanOptions::Kind::Constant, 0.01));
  gp.set_data(c.X, y);
  FitOptions f{.restarts = 1, .seed = 5};
  f.warp = &c.warp;
  f.warp_start = Eigen::Vector2d(0.5, 1.0);
  f.warp_point_noise = v;
  const FitResult r = gp.fit(f);
  const WarpedTargets at = c.warp.apply(r.warp_params, false);
  REQUIRE(gp.point_noise().size() == 15);
  CHECK((gp.point_noise().array() - v.array() * (2.0 * at.log_slope.array()).exp()).abs().maxCoeff() < 1e-12);
  // The fit's objective is the warped evidence with the carried variances, at its optimum.
  MarginalLikelihood ml(gp.kernel(), gp.options(), c.X, c.warp, {}, ModelValues{gp.kernel().log_params(), std::log(gp.noise_variance()), gp.mean_value()});
  ml.set_warped_point_noise(v);
  Eigen::VectorXd p(ml.size());
  p << gp.params(), r.warp_params;
  CHECK(ml.log_posterior(p, nullptr) == Approx(r.log_posterior).epsilon(1e-10));
  // ... and the GP's own evidence is that of the warped targets with those variances.
  CHECK(gp.log_marginal_likelihood() + at.log_slope.sum() == Approx(ml.lml(p, nullptr)).epsilon(1e-10));
  // The variances need a warp, one per row, finite and >= 0; the GP's own point noise is refused.
  FitOptions no_warp{.restarts = 0};
  no_warp.warp_point_noise = v;
  CHECK_THROWS_AS(gp.fit(no_warp), std::invalid_argument);
  f.warp_point_noise = v.head(10);
  CHECK_THROWS_AS(gp.fit(f), std::invalid_argument);
  f.warp_point_noise = -v;
  f.warp_point_noise[1] = -1.0;
  CHECK_THROWS_AS(gp.fit(f), std::invalid_argument);
}
