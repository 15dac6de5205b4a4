#pragma once
// Where the objective fails: the probability that an evaluation at a point succeeds.
//
// Failed evaluations (tell_failure, or a NaN/inf value) stay out of the objective's GP: they have
// no value to model. Without more, nothing stops the acquisition from proposing the same failing
// region again and again (an unexplored corner looks most promising precisely because nothing
// succeeded there). This model learns the failing regions from the outcomes alone, the
// "probability of feasibility" of BO with unknown constraints (Gelbart, Snoek & Adams 2014),
// and the acquisition is weighted by its square (Optimizer, through PoweredFeasibility).
//
// The model is a GP regression on labels (+1 failed, -1 succeeded) over the encoded points:
// Matérn 5/2 ARD with unit amplitude and its own length scales (MAP under the dimension-scaled
// LogNormal prior of gp/default_priors.hpp, which lets the scales of the inputs the failures do
// not depend on grow long: a run that fails where C > 10 has nothing to say about gamma; a
// failing region's extent has nothing to do with the objective's smoothness), a
// learned label noise (failures at random, as from a flaky cluster, become noise and leave the
// probability nearly flat), and a constant prior mean at the observed label average, so that far
// from every evaluation the success probability is the overall success rate.
// The label posterior (mean m, variance v) becomes a probability through a probit link,
// p(x) = Phi(-m / sqrt(kLinkScale^2 + v)): next to a failure (m near +1, v small) p is tiny, next
// to a success it is near 1, and where nothing was evaluated (v near 1) it stays moderate.
// The fit starts from fixed values with no random restarts: the same outcomes always give the
// same model, so a reloaded optimizer rebuilds it exactly.
#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <optional>
#include <vector>

#include "gpbo/bayesopt/feasibility.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::bo {

class FailureModel final : public Feasibility {
 public:
  /// Scale of the probit link in label units: at a failed point (m ~ 0.95) p ~ Phi(-3.8) ~ 1e-4.
  /// A failing region is discouraged by orders of magnitude, never made impossible (log p stays
  /// finite, so a great enough expected improvement may still go there).
  static constexpr double kLinkScale = 0.25;
  /// Starting label noise variance; the fit learns it (1e-3 to 4).
  static constexpr double kLabelNoise = 0.05;
  /// L-BFGS evaluations of the length-scale fit.
  static constexpr int kFitEvaluations = 40;

  /// X: encoded points evaluated (rows, in [0, 1]^D), failed: true where the evaluation failed.
  /// Returns nothing when no evaluation failed (every point is then equally likely to succeed).
  static std::optional<FailureModel> fit(const Eigen::MatrixXd& X, const std::vector<bool>& failed);
  /// Success probability at the rows of U (for reports and tests).
  [[nodiscard]] Eigen::VectorXd success(const Eigen::MatrixXd& U) const { return log_success(U).array().exp(); }

  /// log p(success) at the rows of U.
  [[nodiscard]] Eigen::VectorXd log_success(const Eigen::MatrixXd& U) const override;
  /// One joint draw of the outcomes at the rows of U (true = success): a posterior sample of the
  /// label function plus the link's N(0, kLinkScale^2) noise, negative for a success. This is
  /// how Thompson sampling respects the failing regions.
  [[nodiscard]] std::vector<bool> sample_success(const Eigen::MatrixXd& U, Rng& rng) const override;
  /// log p(success) at u and its gradient in u (1 x D).
  [[nodiscard]] double log_success_and_gradient(const Eigen::RowVectorXd& u, Eigen::RowVectorXd& gradient) const override;

 private:
  explicit FailureModel(GaussianProcess gp) : gp_(std::move(gp)) {}
  GaussianProcess gp_;
};

}  // namespace gpbo::bo
