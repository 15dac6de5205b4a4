#include "mcmc/random_walk.hpp"

#include <cmath>
#include <stdexcept>

#include <Eigen/Cholesky>

#include "mcmc/adaptation.hpp"
#include "mcmc/chain_recorder.hpp"

namespace gpbo::mcmc {
namespace {

// The adaptive Gaussian proposal: Cholesky factor of (2.38^2 / d) * C, and log lambda.
class RwmProposal {
 public:
  RwmProposal(int d, double initial_scale)
      : d_(d), log_lambda_(2.0 * std::log(initial_scale)), estimator_(Metric::dense, d), z_(d) {
    chol_ = Eigen::MatrixXd::Identity(d, d) * (2.38 / std::sqrt(static_cast<double>(d)));
  }

  // x' = x + sqrt(lambda) * L z.
  void propose(const Eigen::VectorXd& x, Eigen::VectorXd& out, Rng& rng) {
    for (int i = 0; i < d_; ++i) z_(i) = standard_normal(rng);
    step_.noalias() = chol_.triangularView<Eigen::Lower>() * z_;
    out = x + std::exp(0.5 * log_lambda_) * step_;
  }

  // Warmup iteration t (0-based) ended at state x with acceptance probability alpha.
  void adapt(int t, int warmup, const Eigen::VectorXd& x, double alpha, double target) {
    log_lambda_ += std::pow(t + 1.0, -0.6) * (alpha - target);
    if (t == warmup / 4) estimator_.restart();  // forget the transient
    estimator_.add(x);
    if (estimator_.count() >= 2 * d_ + 2 && (t + 1) % 25 == 0) {
      const Eigen::MatrixXd c = estimator_.regularized_inverse();
      Eigen::LLT<Eigen::MatrixXd> llt(c * (2.38 * 2.38 / d_));
      if (llt.info() == Eigen::Success) chol_ = llt.matrixL();
    }
  }

  [[nodiscard]] double scale() const { return std::exp(0.5 * log_lambda_); }

 private:
  int d_;
  double log_lambda_;
  MetricEstimator estimator_;
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
  RwmProposal proposal(d, options.stepsize);
  Eigen::VectorXd x = initial, candidate(d);
  long long evaluations = 1;
  const int total = options.warmup + options.draws;
  for (int it = 0; it < total; ++it) {
    if (it == options.warmup) recorder.begin_sampling(0);
    proposal.propose(x, candidate, rng);
    const double lp_candidate = model.log_density(candidate);
    ++evaluations;
    double alpha = 0.0;
    if (std::isfinite(lp_candidate)) alpha = lp_candidate >= lp ? 1.0 : std::exp(lp_candidate - lp);
    if (alpha >= 1.0 || (alpha > 0.0 && uniform01(rng) < alpha)) {
      x.swap(candidate);
      lp = lp_candidate;
    }
    if (it < options.warmup) {
      if (options.adapt) proposal.adapt(it, options.warmup, x, alpha, options.rwm_target_accept);
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
