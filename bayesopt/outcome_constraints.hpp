#pragma once
// Outcome constraints: quantities the objective reports beside its value that must stay within
// bounds for a result to count (memory_mb <= 512, accuracy >= 0.9), as Optuna's constraints_func
// or Ax's outcome constraints. An evaluation that breaks one is not a failure: its value still
// teaches the objective's GP, and its constraint values teach one GP per constraint. Only
// feasible results compete for best(), and the acquisition is weighted by the probability that
// every constraint holds (bayesopt/feasibility.hpp; Gardner et al. 2014, Gelbart et al. 2014).
//
// Each constraint's model is a GP on the encoded cube: Matérn 5/2 ARD, standardized values and
// the weak default priors (gp/default_priors.hpp). Its noise follows the objective's noise mode,
// as BoTorch fits constraint models like the objective's: under `none` a fixed tiny variance;
// otherwise a learned noise and none are both fitted and the one of higher evidence kept (the
// learned one's noise integrated out by Laplace's method, as Surrogate weighs the two), so a
// deterministic constraint is interpolated and a noisy one keeps its noise. (An always-learned
// noise under the weak LogNormal(-4, 2) prior smoothed x + y <= 1 near its boundary: between
// results at c = 1.0035-1.0088 the model gave p = 0.29.) Each fit starts from fixed values with
// no random restarts, so the same observations always give the same model and a reloaded
// optimizer rebuilds it exactly. The constraints are modeled as independent.
//
// A one-sided constraint is modeled through its excess e (value - upper, or lower - value;
// feasible where e <= 0), either as it is or as bilog(e / s) = sign(e) log(1 + |e| / s), whichever
// explains the values better: the fit of higher evidence of e itself, the bilog's Jacobian
// included. Both keep the sign, so feasibility is unchanged. The bilog, the transform of SCBO
// (Eriksson & Poloczek 2021) made independent of the constraint's units by s, compresses values
// that span decades (the spring design's deflection constraint runs from -1e6 to 1), which a
// stationary GP models badly: bo_bench, 60 seeds, 50 evaluations (bench/results/2026-12-04-s22),
// tension_spring median regret 1.4e-4 with it, 4.8e-3 on raw values. But it bends a smooth
// constraint into a step at the boundary, the steeper the smaller s, and s, the median |e|,
// shrank as the search crowded the boundary: x + y <= 1 was then modeled with noise or short
// length scales, suggestions went just past the boundary or to the far corner (1, 1), and 24 of
// 30 evaluations broke it. So s is the median |e| of the first `scale_rows` results (the
// optimizer passes initial_points: the first results in the order told, which are the
// space-filling design unless start points, a warm start or points told without asking came
// first; the median of every |e| where those are all 0), and a constraint the raw excess
// explains better is modeled raw.
// In-process runs, 20 seeds, infeasible evaluations in total / median best feasible value (with
// the noise choice above): x + y <= 1 at 30 evaluations 439 / 0.180171 -> 105 / 0.180006 (all 105
// in the 10-point design), the circle 421 / 0.0706053 -> 166 / 0.0705940, gramacy_toy at 50
// 601 / 0.5997919 -> 337 / 0.5997991, tension_spring at 50 775 / 0.0127516 -> 716 / 0.0127403
// (at 60, 40 seeds: 1798 / 0.0127030 -> 1690 / 0.0127031). A two-sided constraint is modeled on
// its raw values. The probability that a constraint holds is that of its latent (noise-free)
// posterior falling within the (modeled) bounds.
#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/acquisition.hpp"
#include "gpbo/bayesopt/feasibility.hpp"
#include "gpbo/bayesopt/surrogate.hpp"
#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::bo {

/// lower <= value <= upper, in the units the objective reports; at least one bound is set.
struct OutcomeConstraint {
  std::string name;
  std::optional<double> lower;
  std::optional<double> upper;

  [[nodiscard]] bool satisfied(double value) const {
    return (!lower || value >= *lower) && (!upper || value <= *upper);
  }
  /// "memory_mb <= 512", "0.9 <= accuracy", "1 <= width <= 3": for messages and reports.
  [[nodiscard]] std::string describe() const;
  bool operator==(const OutcomeConstraint&) const = default;
};

/// What is wrong with the first bad constraint of a list: its index, the field at fault as the
/// JSON form names it ("name", "min", "max", or empty for the constraint as a whole), and why.
struct ConstraintIssue {
  std::size_t index = 0;
  std::string field;
  std::string message;
};
/// The first bad constraint: no name, a name that is not UTF-8 or is used twice, no bound, a
/// non-finite bound, or lower > upper; nullopt when every constraint is valid.
[[nodiscard]] std::optional<ConstraintIssue> find_constraint_issue(const std::vector<OutcomeConstraint>& constraints);
/// Throws std::invalid_argument naming the first bad constraint (find_constraint_issue()).
void validate_constraints(const std::vector<OutcomeConstraint>& constraints);

/// log P(lower <= c <= upper) for c ~ N(mean, var), with its derivatives in mean and var
/// (AcqTerms: value, d_mean, d_var); finite for every finite input and var > 0.
AcqTerms log_probability_within(double mean, double var, const std::optional<double>& lower,
                                const std::optional<double>& upper);

/// One GP per constraint, and the probability that all of them hold.
class ConstraintModels final : public Feasibility {
 public:
  /// X: encoded points (rows, at least 2); values(i, k): constraint k's value at X.row(i), all
  /// finite; noise: the objective's noise mode (Fixed, a known sd of the objective, acts as Auto);
  /// scale_rows: the leading rows that set the bilog's scale (below 2: all). Throws
  /// std::invalid_argument where no model can take a constraint's values.
  static ConstraintModels fit(const std::vector<OutcomeConstraint>& constraints, const Eigen::MatrixXd& X,
                              const Eigen::MatrixXd& values, NoiseMode noise = NoiseMode::Auto,
                              Eigen::Index scale_rows = 0);
  [[nodiscard]] Eigen::VectorXd log_success(const Eigen::MatrixXd& U) const override;
  [[nodiscard]] double log_success_and_gradient(const Eigen::RowVectorXd& u,
                                                Eigen::RowVectorXd& gradient) const override;
  [[nodiscard]] std::vector<bool> sample_success(const Eigen::MatrixXd& U, Rng& rng) const override;
  /// Constraint k's GP: of the excess or bilog(excess / s) for a one-sided constraint, of the
  /// value itself for a two-sided one.
  [[nodiscard]] const GaussianProcess& model(std::size_t k) const { return models_[k]; }

 private:
  ConstraintModels(std::vector<OutcomeConstraint> constraints, std::vector<GaussianProcess> models)
      : constraints_(std::move(constraints)), models_(std::move(models)) {}
  std::vector<OutcomeConstraint> constraints_;  // as modeled: a one-sided one is "excess <= 0"
  std::vector<GaussianProcess> models_;
};

}  // namespace gpbo::bo
