#include "gpbo/mcmc/random_walk.hpp"

#include <cmath>
#include <stdexcept>

#include <Eigen/Cholesky>

#include "gpbo/mcmc/adaptation.hpp"
#include "gpbo/mcmc/chain_recorder.hpp"

namespace gpbo::mcmc {
namespace {

// The adaptive Gaussian proposal: Cholesky factor of (2.38^2 / d) * C, and log lambda.
class RwmProposal {
 public:
  RwmProposal(int d, double initial_scale, int warmup)
      : d_(d), log_lambda_(2.0 * std::log(initial_scale)), estimator_(Metric::dense, d), windows_(warmup), z_(d) {
    chol_ = Eigen::MatrixXd::Identity(d, d) * (2.38 / std::sqrt(static_cast<double>(d)));
  }

  // x' = x + sqrt(lambda) * L z.
  void propose(const Eigen::VectorXd& x, Eigen::VectorXd& out, Rng& rng) {
    for (int i = 0; i < d_; ++i) z_(i) = standard_normal(rng);
    step_.noalias() = chol_.triangularView<Eigen::Lower>() * z_;
    out = x + std::exp(0.5 * log_lambda_) * step_;
  }

  // A warmup iteration ended at state x with acceptance probability alpha.
  void adapt(const Eigen::VectorXd& x, double alpha, double target) {
    log_lambda_ += std::pow(static_cast<double>(++scale_steps_), -0.6) * (alpha - target);
    if (windows_.in_window()) estimator_.add(x);
    if (windows_.window_end()) {
      windows_.next_window();
      update_covariance();
      estimator_.restart();
    }
    windows_.advance();
  }

  [[nodiscard]] double scale() const { return std::exp(0.5 * log_lambda_); }

 private:
  // C from the window's states (dense from at least 10 d states, else its diagonal: a dense
  // estimate from fewer is mostly noise); the global scale restarts at 1 with fresh gains,
  // since 2.38^2 / d * C is already the right size when C is.
  void update_covariance() {
    Eigen::MatrixXd c = estimator_.regularized_inverse();
    if (estimator_.count() < 10L * d_) c = Eigen::MatrixXd(c.diagonal().asDiagonal());
    Eigen::LLT<Eigen::MatrixXd> llt(c * (2.38 * 2.38 / d_));
    if (llt.info() != Eigen::Success) return;
    chol_ = llt.matrixL();
    log_lambda_ = 0.0;
    scale_steps_ = 0;
  }

  int d_;
  double log_lambda_;
  MetricEstimator estimator_;
  WindowSchedule windows_;
  long scale_steps_ = 0;
  Eigen::MatrixXd chol_;
  Eigen::VectorXd z_, step_;
};

}  // namespace

ChainResult RandomWalkMetropolis::run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng,
                                      const SamplerOptions& options, const IterationCallback& progress) const {
  validate(options);
  double lp = checked_initial_log_density(model, initial, "rwm");
  const int d = model.dimension();
  ChainRecorder recorder(model, options, name(), initial, DiagnosticColumns{true, true, false});
  RwmProposal proposal(d, options.stepsize, options.warmup);
  Eigen::VectorXd x = initial, candidate(d);
  long long evaluations = 1;
  const int total = options.warmup + options.draws;
  for (int it = 0; it < total; ++it) {
    if (it == options.warmup) recorder.begin_sampling(0);
    proposal.propose(x, candidate, rng);
    const double lp_candidate = sampled_log_density(model, candidate);
    ++evaluations;
    double alpha = 0.0;
    if (std::isfinite(lp_candidate)) alpha = lp_candidate >= lp ? 1.0 : std::exp(lp_candidate - lp);
    if (alpha >= 1.0 || (alpha > 0.0 && uniform01(rng) < alpha)) {
      x.swap(candidate);
      lp = lp_candidate;
    }
    if (it < options.warmup) {
      if (recorder.kept_warmup(it)) {
        IterationInfo info;
        info.accept_stat = alpha;
        info.stepsize = proposal.scale();  // the scale this iteration proposed with
        recorder.record_warmup(it / options.thin, x, lp, info);
      }
      if (options.adapt) proposal.adapt(x, alpha, options.rwm_target_accept);
    } else {
      const int s = it - options.warmup;
      if (recorder.kept(s)) {
        IterationInfo info;
        info.accept_stat = alpha;
        info.stepsize = proposal.scale();
        recorder.record(s / options.thin, x, lp, info);
      }
    }
    if (progress) progress(it + 1, total);
  }
  recorder.result().stepsize = proposal.scale();
  return recorder.finish(0, evaluations);
}

}  // namespace gpbo::mcmc
