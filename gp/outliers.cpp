#include "gpbo/gp/outliers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>

namespace gpbo {
namespace {

void check(const OutlierOptions& o) {
  if (!(o.prior_fraction > 0.0 && o.prior_fraction <= 0.5))
    throw std::invalid_argument("find_outliers: prior_fraction must be in (0, 0.5], got " + std::to_string(o.prior_fraction));
  if (!(o.max_fraction >= 0.0 && o.max_fraction < 1.0))
    throw std::invalid_argument("find_outliers: max_fraction must be in [0, 1), got " + std::to_string(o.max_fraction));
  if (!(o.rho_decades >= 1.0 && std::isfinite(o.rho_decades)))
    throw std::invalid_argument("find_outliers: rho_decades must be at least 1, got " + std::to_string(o.rho_decades));
}

// The log evidence for making point i an outlier, its variance at the optimum, against leaving it
// out (outliers.hpp): the likelihood gain plus the Occam factor of Laplace's approximation over
// u = log rho, whose curvature at the optimum is (rho / r^2)^2 / 2. -inf while z^2 <= 4: there the
// gain is below 0.9 and the Laplace approximation (whose optimum nears rho = 0) is poor.
double outlier_log_evidence(double z2, double log_prior_width) {
  if (!(z2 > 4.0)) return -std::numeric_limits<double>::infinity();
  if (std::isinf(z2)) return std::numeric_limits<double>::infinity();  // z beyond 1e154: inf - inf below
  const double gain = 0.5 * (z2 - 1.0 - std::log(z2));
  return gain + 0.5 * std::log(4.0 * std::numbers::pi) + std::log(z2 / (z2 - 1.0)) - log_prior_width;
}

}  // namespace

OutlierResult find_outliers(const GaussianProcess& gp, const OutlierOptions& options) {
  check(options);
  const Eigen::Index n = gp.size();
  if (n == 0) throw std::invalid_argument("find_outliers: the model has no data");
  OutlierResult out;
  out.variance = Eigen::VectorXd::Zero(n);
  const auto max_outliers = static_cast<std::size_t>(std::floor(options.max_fraction * static_cast<double>(n)));
  if (max_outliers == 0) return out;

  const Eigen::VectorXd base = gp.point_noise().size() == n ? gp.point_noise() : Eigen::VectorXd::Zero(n);
  const double prior_odds = std::log((1.0 - options.prior_fraction) / options.prior_fraction);
  const double log_prior_width = std::log(options.rho_decades * std::numbers::ln10);
  GaussianProcess work = gp;
  // The maps stay as they are (a loaded model's were given, not computed from the data).
  const auto refactor = [&] { work.set_data(gp.X(), gp.y(), gp.input_map(), gp.output_map(), base + out.variance); };
  std::vector<bool> flagged(static_cast<std::size_t>(n), false);
  std::vector<Eigen::Index> found;
  bool overflowed = false;
  for (;;) {
    const LooPrediction loo = work.loo();
    const Eigen::VectorXd r2 = (gp.y() - loo.mean).array().square();
    // The chosen points' variances at their optimum given the others (loo's variance holds each
    // point's current extra variance: take it out first).
    for (Eigen::Index i = 0; i < n; ++i)
      if (flagged[static_cast<std::size_t>(i)])
        out.variance[i] = std::max(0.0, r2[i] - (loo.variance[i] - out.variance[i]));
    Eigen::Index pick = -1;
    double best = -std::numeric_limits<double>::infinity();
    if (found.size() < max_outliers)
      for (Eigen::Index i = 0; i < n; ++i) {
        if (flagged[static_cast<std::size_t>(i)]) continue;
        // (r / sd)^2, not r^2 / var: a residual beyond 1e154 squared to inf and went unpicked.
        const double z = (gp.y()[i] - loo.mean[i]) / std::sqrt(loo.variance[i]);
        const double e = outlier_log_evidence(z * z, log_prior_width);
        if (e > best) best = e, pick = i;
      }
    const bool grows = pick >= 0 && best > prior_odds;
    if (grows) {
      flagged[static_cast<std::size_t>(pick)] = true;
      found.push_back(pick);
      out.variance[pick] = r2[pick] - loo.variance[pick];
      // A residual beyond about 1e154 has a variance no double holds in the data's units: no
      // refit takes it, so the search ends with it flagged (fit_with_outliers refuses the row).
      overflowed = !std::isfinite(out.variance[pick]);
      if (overflowed) break;
    }
    if (!found.empty()) refactor();
    if (!grows) break;
  }
  // Points whose variance fell back to 0 as others joined are inliers again.
  for (const Eigen::Index i : found)
    if (out.variance[i] > 0.0) out.outliers.push_back(i);
  if (overflowed)
    out.log_likelihood_gain = std::numeric_limits<double>::infinity();
  else if (!out.outliers.empty())
    out.log_likelihood_gain = work.log_marginal_likelihood() - gp.log_marginal_likelihood();
  return out;
}

namespace {

// The output map of a refit that gives the `flagged` rows variances of their own: the
// standardization of the others. One of all the rows was set by the gross errors themselves,
// and the noise floor and priors (standardized units) then no longer fit the inliers: a 1e30
// left them rounded to one value.
OutputMap inlier_map(const GaussianProcess& gp, const Eigen::VectorXd& y, const std::vector<Eigen::Index>& flagged) {
  if (!gp.options().standardize_outputs) return gp.output_map();
  return GaussianProcess::standardization(without_rows(y, flagged));
}

// A flagged value that the map puts beyond kMappedLimit, whose variance would pass the modeled
// cap (kMappedLimit^2): refused by name, where set_data would call the model damaged.
void check_within_reach(const Eigen::VectorXd& y, const Eigen::VectorXd& variance, const OutputMap& map,
                        const std::vector<Eigen::Index>& flagged) {
  for (const Eigen::Index i : flagged) {
    const double z = (y[i] - map.shift) / map.scale;
    if (std::abs(z) < GaussianProcess::kMappedLimit && std::isfinite(variance[i])) continue;
    std::ostringstream reason, msg;
    if (std::abs(z) < GaussianProcess::kMappedLimit)
      reason << "lies " << std::abs(z) << " standard deviations of the other rows from their mean, and its variance as an "
             << "outlier overflows the data's units: divide the targets by a power of ten, or correct or remove it";
    else
      reason << "lies more than 1e100 standard deviations of the other rows from their mean, too far to model even as an "
                "outlier: correct or remove it";
    msg << "fit_with_outliers: observation " << i << " (" << y[i] << ") " << reason.str();
    throw OutlierOutOfReach(i, msg.str(), reason.str());
  }
}

}  // namespace

Eigen::VectorXd without_rows(const Eigen::VectorXd& v, const std::vector<Eigen::Index>& rows) {
  std::vector<bool> dropped(static_cast<std::size_t>(v.size()), false);
  for (const Eigen::Index i : rows) {
    if (i < 0 || i >= v.size() || dropped[static_cast<std::size_t>(i)])
      throw std::invalid_argument("without_rows: row " + std::to_string(i) + " is out of range [0, " + std::to_string(v.size()) +
                                  ") or given twice");
    dropped[static_cast<std::size_t>(i)] = true;
  }
  Eigen::VectorXd kept(v.size() - static_cast<Eigen::Index>(rows.size()));
  Eigen::Index k = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (!dropped[static_cast<std::size_t>(i)]) kept[k++] = v[i];
  return kept;
}

std::vector<Eigen::Index> fit_with_outliers(GaussianProcess& gp, const FitOptions& fit, const Eigen::VectorXd& known,
                                            FitResult* result, const OutlierOptions& options) {
  const Eigen::MatrixXd X = gp.X();
  const Eigen::VectorXd y = gp.y();
  const Eigen::VectorXd base = known.size() > 0 ? known : Eigen::VectorXd::Zero(y.size());
  std::vector<Eigen::Index> flagged;
  for (int look = 0; look < 3; ++look) {
    GaussianProcess probe = gp;
    probe.set_data(X, y, gp.input_map(), gp.output_map(), base);
    OutlierResult found = find_outliers(probe, options);
    std::sort(found.outliers.begin(), found.outliers.end());
    if (found.outliers == flagged) break;  // as fitted already (at first: nothing to refit for)
    flagged = found.outliers;
    const OutputMap map = inlier_map(gp, y, flagged);
    check_within_reach(y, found.variance, map, flagged);
    gp.set_data(X, y, gp.input_map(), map, base + found.variance);
    const FitResult r = gp.fit(fit);
    if (result) *result = r;
  }
  return flagged;
}

}  // namespace gpbo
