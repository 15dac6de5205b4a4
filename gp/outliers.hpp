#pragma once
// Outlier detection for a fitted GP: each observation may get a noise variance of its own, on
// top of the model's noise, and an observation gets one only when the evidence says so. The
// model with those variances is the robust GP of "relevance pursuit" (Ament et al., NeurIPS
// 2024, BoTorch's RobustRelevancePursuitSingleTaskGP), found here with the hyperparameters
// held fixed:
//
// - The evidence as a function of one point's extra variance rho_i alone is
//   log N(y_i | m_i, v_i + rho_i) + const, with m_i, v_i that point's leave-one-out predictive
//   mean and variance at rho_i = 0. Its maximum is at rho_i = (y_i - m_i)^2 - v_i when that is
//   positive, and the gain over rho_i = 0 is (z^2 - 1 - log z^2) / 2 with z^2 = (y_i - m_i)^2 / v_i.
// - Greedy forward selection: the point with the largest gain joins the outliers while its
//   gain, plus the Occam factor of its variance (Laplace over log rho_i, log-uniform prior over
//   `rho_decades` decades), exceeds the prior odds log((1 - p) / p) against an outlier
//   (p = prior_fraction). After each step the variances of the points already chosen are set
//   again to their closed-form optimum given the others.
//
// The caller refits the hyperparameters with the variances found (set_data's point_noise) and,
// if it likes, looks again: hyperparameters fitted to data with outliers in it have a large
// noise and short length scales, which hide the outliers from a first look.

#include <stdexcept>
#include <string>
#include <vector>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

struct OutlierOptions {
  double prior_fraction = 0.05;  // prior probability of each observation being an outlier, in (0, 0.5]
  double max_fraction = 0.25;    // at most this share of the observations (rounded down) is flagged
  double rho_decades = 8.0;      // width of the log-uniform prior of an outlier's variance, decades
};

struct OutlierResult {
  /// Each observation's extra noise variance (the GP's user units squared); 0 for inliers.
  Eigen::VectorXd variance;
  std::vector<Eigen::Index> outliers;  // indices of the observations with variance > 0, in the order found
  double log_likelihood_gain = 0.0;    // log marginal likelihood with the variances minus without
                                       // (inf when a variance overflows the data's units: the
                                       // search then ends, and later outliers are not looked for)
};

/// Finds the outliers of `gp`'s data at its current hyperparameters (its own point_noise, if
/// any, is kept and the extra variances come on top of it). The model itself is not changed.
/// Throws std::invalid_argument on options out of range or a model without data.
OutlierResult find_outliers(const GaussianProcess& gp, const OutlierOptions& options = {});

/// Thrown by fit_with_outliers when an observation it flags lies more than
/// GaussianProcess::kMappedLimit standard deviations of the others from their mean, or its
/// variance as an outlier overflows in the data's units: too far to model even with a variance
/// of its own. row() is its index; reason() says why, after the value ("lies ...").
class OutlierOutOfReach : public std::invalid_argument {
 public:
  OutlierOutOfReach(Eigen::Index row, const std::string& what, std::string reason)
      : std::invalid_argument(what), row_(row), reason_(std::move(reason)) {}
  [[nodiscard]] Eigen::Index row() const { return row_; }
  [[nodiscard]] const std::string& reason() const { return reason_; }

 private:
  Eigen::Index row_;
  std::string reason_;
};

/// A fitted `gp` made robust: the observations find_outliers flags (looking from the known noise
/// `known`, the GP's user units squared, empty for none) get their variances on top of it and
/// the hyperparameters are refitted with `fit`, until the observations flagged no longer change
/// (three looks at most): hyperparameters fitted with gross errors in the data have a large
/// noise, which hides some of them from the first look. With standardize_outputs each refit's
/// output map is the standardization of the observations not flagged (one of all of them was
/// the gross errors' own). Returns the indices flagged, ascending; `result`, if given, receives
/// the last refit's result (untouched when none was needed). Throws OutlierOutOfReach.
std::vector<Eigen::Index> fit_with_outliers(GaussianProcess& gp, const FitOptions& fit, const Eigen::VectorXd& known = {},
                                            FitResult* result = nullptr, const OutlierOptions& options = {});

/// The entries of `v` but those at the indices in `rows` (any order): e.g. the inliers' targets
/// or scores after fit_with_outliers. Throws std::invalid_argument for an index out of range or
/// given twice.
[[nodiscard]] Eigen::VectorXd without_rows(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& rows);

}  // namespace gpbo
