#pragma once
// The monotone output transform the surrogate models: y -> (psi_lambda((y - m1) / s1) - m2) / s2,
// with psi the Yeo-Johnson power transform (Yeo & Johnson 2000); m1, s1 and m2, s2 are means and
// standard deviations. It keeps the order of values (the best point stays the best). lambda < 1
// compresses heavy upper tails (the huge values of Rosenbrock far from its valley) so that a
// stationary GP can model the region that matters; lambda > 1 compresses the lower tail, which
// rounds a sharp minimum (Ackley's cone) into a bowl. fit() picks lambda by a normal fit to the
// values' histogram (the identity on symmetric data); the surrogate starts there and then fits
// lambda with the GP's hyperparameters, by the warped GP's evidence (PowerWarp below).
//
// Before all that, penalty values (penalties.hpp) are capped: standardizing with them would erase
// every difference among the others. Values from `penalty_from` up count as `penalty_value`.
// Values are internal (lower is better), so for maximization a -1e30 penalty is capped as well.
//
// Positive values spanning many decades (an error falling from 1e6 to 1e-3) may also be modeled
// through a logarithm first (log_offset > 0): standardizing them as they are leaves the values
// near the best within round-off of each other, which no exponent can part again. The surrogate
// fits them and keeps the one of higher evidence (Surrogate::refit). The map is log(y - m + c)
// with m the smallest value fitted: c = m is log y itself (ValueLog::Plain: an exponential of a
// smooth function becomes that function), c the lower quartile of y - m (ValueLog::Shifted) keeps
// the values within c of the best about linear while those far above are compressed decade by
// decade (log y would turn a minimum of 0 into a spike the kernel cannot follow). Below m the
// log's tangent carries on, so that a later, better value maps to a finite, ordered number.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "gpbo/gp/target_warp.hpp"

namespace gpbo::bo {

/// Which logarithm values are modeled through, if any (OutputTransform's log_from, log_offset):
/// log y itself (c = m), or log(y - m + c) with c the lower quartile of y - m.
enum class ValueLog { None, Plain, Shifted };

struct OutputTransform {
  double shift = 0.0, scale = 1.0;        // pre-standardization (m1, s1)
  double lambda = 1.0;                    // Yeo-Johnson exponent
  double post_shift = 0.0, post_scale = 1.0;  // standardization after the power transform (m2, s2)
  double penalty_from = std::numeric_limits<double>::infinity();  // values >= this are penalties
  double penalty_value = 0.0;                                       // ... and count as this
  double log_from = 0.0;    // m: the smallest value fitted (with log_offset)
  double log_offset = 0.0;  // c > 0: values are modeled through log(y - m + c); 0: no log

  /// Fits the transform to values y: lambda maximizes the likelihood in [lambda_min, lambda_max],
  /// and is kept at 1 unless that gains more than 3 log-likelihood units. With warp = false
  /// lambda stays 1 and the map is plain standardization (of the capped values).
  static OutputTransform fit(const Eigen::VectorXd& y, bool warp, double lambda_min = -1.0, double lambda_max = 2.0,
                             ValueLog log = ValueLog::None);
  /// The transform of values y with a given exponent (as fit() builds it, lambda not chosen);
  /// with a log, of log(y - m + c) (m, c as above, of the capped values).
  static OutputTransform with_lambda(const Eigen::VectorXd& y, double lambda, ValueLog log = ValueLog::None);
  /// Whether modeling log y is worth a try: every capped value positive, spanning at least four
  /// decades (below that, the power transform alone resolves the values near the best).
  static bool log_worth_trying(const Eigen::VectorXd& y);
  /// Which logarithm this transform models values through (ValueLog::Plain: c = m).
  [[nodiscard]] ValueLog value_log() const {
    return !(log_offset > 0.0) ? ValueLog::None : log_offset == log_from ? ValueLog::Plain : ValueLog::Shifted;
  }
  [[nodiscard]] double apply(double y) const;
  /// A noise variance v of the value y in the transform's output units, by the map's slope at y
  /// (the delta method): v (psi'(z) / (scale post_scale))^2 with z y's pre-standardized (capped)
  /// value (and the log's slope with log_offset). Exact while lambda is 1 and there is no log
  /// (the map is then affine); to first order otherwise, so a
  /// value where the warp compresses (the tail it tames) counts as less noisy in the model.
  /// At most kMaxCarriedVariance.
  [[nodiscard]] double variance_to_model(double v, double y) const;
  /// y, or penalty_value for a penalty.
  [[nodiscard]] double capped(double y) const { return y >= penalty_from ? penalty_value : y; }
  /// capped(y), through the log when log_offset > 0: what is standardized.
  [[nodiscard]] double premapped(double y) const;
  /// With a log, y - m + c (c below m, where the log's tangent carries on): the log's argument,
  /// whose inverse is the log's slope at y.
  [[nodiscard]] double log_argument(double y) const { return std::max(capped(y) - log_from, 0.0) + log_offset; }
  [[nodiscard]] Eigen::VectorXd apply(const Eigen::VectorXd& y) const;
  /// The value whose transform is w: apply's inverse on values below penalty_from (a monotone
  /// map, so it carries quantiles of the model's belief back to the objective's units). +-inf
  /// beyond the range of the power transform (lambda < 0 bounds it above, lambda > 2 below).
  [[nodiscard]] double invert(double w) const;
};

/// The Yeo-Johnson transform psi_lambda(x).
double yeo_johnson(double x, double lambda);
/// d psi_lambda(x) / dx (> 0: the transform is increasing).
double yeo_johnson_slope(double x, double lambda);
/// The x with psi_lambda(x) = z (+-inf where no x has it).
double yeo_johnson_inverse(double z, double lambda);
/// d psi_lambda(x) / d lambda.
double yeo_johnson_lambda_derivative(double x, double lambda);

/// The transform's exponent as a warp fitted with the GP's hyperparameters (gp/target_warp.hpp):
/// the evidence of the warped GP, not the normality of the values' histogram, picks lambda. On
/// Ackley-5 the histogram looks normal (lambda 1) while the evidence prefers lambda near 3, which
/// turns the cone at the optimum into a rounded bowl the Matérn kernel can follow. One parameter,
/// lambda in [lower, upper]; the targets are OutputTransform::with_lambda(y, lambda).apply(y).
class PowerWarp final : public TargetWarp {
 public:
  /// Nothing when y has fewer than 3 values or they are constant (no warp is fitted then). With
  /// a log, warps the log (OutputTransform::with_lambda's), the log's Jacobian included, so
  /// that the evidence is of y itself either way and the two fits compare.
  static std::optional<PowerWarp> make(const Eigen::VectorXd& y, double lower, double upper, ValueLog log = ValueLog::None);
  [[nodiscard]] Eigen::Index num_params() const override { return 1; }
  [[nodiscard]] Eigen::Index num_targets() const override { return z_.size(); }
  [[nodiscard]] Eigen::VectorXd lower() const override { return Eigen::VectorXd::Constant(1, lower_); }
  [[nodiscard]] Eigen::VectorXd upper() const override { return Eigen::VectorXd::Constant(1, upper_); }
  [[nodiscard]] WarpedTargets apply(const Eigen::VectorXd& p, bool derivatives) const override;

 private:
  PowerWarp(Eigen::VectorXd z, Eigen::VectorXd signed_log, Eigen::VectorXd log_premap_slope, double scale, double lower, double upper)
      : z_(std::move(z)), signed_log_(std::move(signed_log)), log_premap_slope_(std::move(log_premap_slope)),
        log_scale_(std::log(scale)), lower_(lower), upper_(upper) {}
  Eigen::VectorXd z_;           // the capped (and logged) values, pre-standardized
  Eigen::VectorXd signed_log_;  // sign(z) log(1 + |z|): log psi'(z) = (lambda - 1) times this
  Eigen::VectorXd log_premap_slope_;  // -log(y - m + c) with the log, else 0: its Jacobian
  double log_scale_;   // log of the pre-standardization's scale (its Jacobian)
  double lower_, upper_;
};

}  // namespace gpbo::bo
