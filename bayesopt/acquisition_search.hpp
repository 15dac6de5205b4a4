#pragma once
// Maximizing an acquisition function over the encoded search space [0, 1]^D.
//
// The search scores many scrambled-Sobol candidates (plus Gaussian perturbations of the
// incumbent) in one batched prediction per model, refines the best few and the best
// incumbent perturbations with NLopt L-BFGS (analytic gradient, inside the bounds), snaps each
// result onto the space (integers rounded, categories one-hot), improves discrete coordinates
// by a neighbourhood search, and returns the best point that is not a duplicate of an
// evaluated or pending point. With linear constraints on the parameters (Space::add_constraint)
// only candidates that meet them are scored, refinement is NLopt SLSQP under them, and the point
// returned meets them exactly.
//
// The GP models see the encoded cube as their inputs and standardized values as their outputs;
// the objective is minimized (acquisitions in bayesopt/acquisition.hpp). With several models
// (hyperparameter posterior samples) the acquisition is averaged over them: log-mean-exp for
// the log forms, the plain mean otherwise. Where evaluations have failed, the acquisition is
// weighted by the probability of success (bayesopt/failure_model.hpp).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <vector>

#include "gpbo/bayesopt/acquisition.hpp"
#include "gpbo/bayesopt/failure_model.hpp"
#include "gpbo/bayesopt/feasibility.hpp"
#include "gpbo/bayesopt/shared_covariance.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::bo {

/// Evaluates one acquisition for one or more GP models (not Thompson sampling).
class AcquisitionEvaluator {
 public:
  /// `best[m]` is the incumbent for model m (best observed standardized value, or the best
  /// posterior mean for NoisyEI); `beta` is the UCB parameter.
  /// `failures`, if given (it must outlive the evaluator), weights the acquisition by the
  /// probability p that an evaluation gives a usable result (bayesopt/feasibility.hpp: it
  /// succeeds and meets the outcome constraints): EI and PI are multiplied by p (a log p term for
  /// the log forms). UCB's value (the negated lower confidence bound, which may be negative)
  /// becomes log(tau softplus((best - LCB) / tau)) + log p, tau = 0.03 standardized units: its
  /// optimistic improvement on the incumbent, kept positive and smooth, weighted by p. That is increasing in the UCB value, so where p
  /// is 1 everywhere the best point is UCB's own.
  AcquisitionEvaluator(const std::vector<const GaussianProcess*>& models, AcquisitionKind kind,
                       std::vector<double> best, double beta, const Feasibility* failures = nullptr);
  /// The same over every member of `models` (bayesopt/shared_covariance.hpp), in order: `best`
  /// has one incumbent per member.
  AcquisitionEvaluator(std::vector<SharedCovarianceModels> models, AcquisitionKind kind, std::vector<double> best,
                       double beta, const Feasibility* failures = nullptr);
  /// The probability of a usable result alone (log p; for plain EI and PI, p): what to maximize
  /// while no observed point meets the outcome constraints, so that there is no incumbent to
  /// improve on (Gelbart et al. 2014). The models are kept only for the evaluator's shape; with
  /// kind Thompson the value is log p.
  [[nodiscard]] static AcquisitionEvaluator feasibility_only(std::vector<SharedCovarianceModels> models,
                                                             AcquisitionKind kind, const Feasibility& feasibility);
  /// Acquisition values at the rows of U (one batched prediction per model; members that share
  /// a covariance share it).
  [[nodiscard]] Eigen::VectorXd values(const Eigen::MatrixXd& U) const;
  /// Value at u and its gradient in u (1 x D).
  [[nodiscard]] double value_and_gradient(const Eigen::RowVectorXd& u, Eigen::RowVectorXd& gradient) const;
  [[nodiscard]] AcquisitionKind kind() const { return kind_; }

 private:
  [[nodiscard]] bool log_form() const;
  /// Applies the failure model's weight to values (and gradients) of the acquisition.
  [[nodiscard]] bool weighted() const { return failures_ != nullptr; }
  /// value (and its gradient at u, in place) weighted by the success probability at u.
  double weigh(double value, Eigen::RowVectorXd& gradient, const Eigen::RowVectorXd& u) const;
  /// One column per member: the acquisition terms' values at the rows of U, or at u with their
  /// gradients in `gradients`.
  [[nodiscard]] Eigen::MatrixXd member_values(const Eigen::MatrixXd& U) const;
  [[nodiscard]] std::vector<double> member_values(const Eigen::RowVectorXd& u,
                                                  std::vector<Eigen::RowVectorXd>& gradients) const;
  std::vector<SharedCovarianceModels> models_;
  AcquisitionKind kind_;
  std::vector<double> best_;
  double beta_;
  const Feasibility* failures_;
  bool feasibility_only_ = false;
};

struct SearchOptions {
  std::size_t candidates = 2000;         // scrambled Sobol candidates scored in one batch
  std::size_t incumbent_candidates = 200;  // Gaussian perturbations of the incumbent
  double incumbent_sd = 0.05;            // their standard deviation (unit-cube units); half get a tenth of it
  std::size_t refine_starts = 5;         // best candidates refined by L-BFGS
  std::size_t incumbent_starts = 2;      // best incumbent perturbations refined in addition
  int max_evaluations = 60;              // per L-BFGS run
  int neighbourhood_rounds = 10;         // hill-climbing rounds over discrete coordinates
  double duplicate_tolerance = 1e-7;     // max-norm distance under which two points are the same
  std::size_t thompson_candidates = 1000;  // candidate set of a joint posterior sample
  std::size_t nei_samples = 16;          // log_nei: posterior draws at the evaluated points (noisy_ei.hpp)
};

/// A box of the encoded cube that restricts a search (bayesopt/basin_escape.hpp uses it).
struct SearchBox {
  Eigen::VectorXd lower, upper;
};

struct SearchResult {
  Eigen::VectorXd u;        // snapped point of the encoded cube
  double value = 0.0;       // acquisition value there (posterior sample value for Thompson)
};

/// Maximizes the acquisition. `avoid` holds evaluated and pending encoded points (rows);
/// `incumbent` the encoded best point (may be empty). Throws std::runtime_error when every point
/// tried duplicates one in `avoid` (a small discrete space that is exhausted). With `box`, the
/// candidates are drawn inside it and only points inside it are returned.
SearchResult search_acquisition(const AcquisitionEvaluator& acquisition, const Space& space,
                                const Eigen::MatrixXd& avoid, const Eigen::VectorXd& incumbent, Rng& rng,
                                const SearchOptions& options = {}, const SearchBox* box = nullptr);

/// Thompson sampling: one joint posterior sample of `model` on a candidate set (Sobol points and
/// incumbent perturbations, snapped), minimized over the candidates that are not duplicates.
/// With `failures`, also one draw of the outcomes there, and only candidates drawn as successes
/// compete (all of them if none is).
SearchResult thompson_search(const GaussianProcess& model, const Space& space, const Eigen::MatrixXd& avoid,
                             const Eigen::VectorXd& incumbent, Rng& rng, const SearchOptions& options = {},
                             const Feasibility* failures = nullptr);

/// True if u is within `tolerance` (max norm) of a row of `points`.
bool is_duplicate(const Eigen::VectorXd& u, const Eigen::MatrixXd& points, double tolerance);
/// Whether u may be suggested: no duplicate of a row of `avoid` (evaluated and pending points)
/// and inside the space's linear constraints.
bool admissible(const Space& space, const Eigen::VectorXd& u, const Eigen::MatrixXd& avoid, double tolerance);

}  // namespace gpbo::bo
