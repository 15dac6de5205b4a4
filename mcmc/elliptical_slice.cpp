#include "gpbo/mcmc/elliptical_slice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <utility>

#include <Eigen/Cholesky>

#include "gpbo/mcmc/chain_recorder.hpp"
#include "gpbo/mcmc/slice.hpp"

namespace gpbo::mcmc {
namespace {


// Welford mean and covariance of warmup draws, for the adaptive reference.
class MomentEstimator {
 public:
  explicit MomentEstimator(int d) : mean_(Eigen::VectorXd::Zero(d)), m2_(Eigen::MatrixXd::Zero(d, d)) {}
  void add(const Eigen::VectorXd& x) {
    ++n_;
    const Eigen::VectorXd delta = x - mean_;
    mean_ += delta / static_cast<double>(n_);
    m2_.noalias() += delta * (x - mean_).transpose();
  }
  [[nodiscard]] long count() const { return n_; }
  // N(mean, kInflation * covariance), the covariance shrunk toward 1e-3 I with weight 5 / (n + 5) as
  // Stan regularizes metrics; only its diagonal while there are fewer than 10 d states (a dense
  // estimate from fewer is mostly noise in high dimension).
  [[nodiscard]] GaussianPrior reference() const {
    const double n = static_cast<double>(n_);
    const auto d = mean_.size();
    Eigen::MatrixXd cov = (n / (n + 5.0)) * (m2_ / (n - 1.0));
    if (n_ < 10 * d) cov = Eigen::MatrixXd(cov.diagonal().asDiagonal());
    cov.diagonal().array() += 1e-3 * 5.0 / (n + 5.0);
    return GaussianPrior::from_covariance(mean_, inflation(static_cast<double>(d)) * cov);
  }

  // Reference covariance = k x the estimated posterior covariance. A reference narrower than the
  // target makes log p - log N grow in the tails and the chain sticks there (eight schools'
  // log tau: min bulk ESS 16 with k = 1, 868 with k = 2). But for a Gaussian target the
  // pseudo-likelihood then varies by about d (1 - 1/k)^2 / 4 nats and the slice shrinks to small
  // moves in high dimension, so k = 1 / (1 - 1.5 / sqrt(d)), capped at 2, keeps that about constant.
  static double inflation(double d) { return d <= 9.0 ? 2.0 : std::min(2.0, 1.0 / (1.0 - 1.5 / std::sqrt(d))); }

 private:
  long n_ = 0;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd m2_;
};

}  // namespace

GaussianPrior GaussianPrior::from_covariance(const Eigen::VectorXd& mean, const Eigen::MatrixXd& covariance) {
  if (covariance.rows() != mean.size() || covariance.cols() != mean.size() || mean.size() == 0)
    throw std::invalid_argument("GaussianPrior: covariance must be d x d for a mean of size d >= 1");
  if (!covariance.isApprox(covariance.transpose(), 1e-10))
    throw std::invalid_argument("GaussianPrior: covariance is not symmetric");
  Eigen::LLT<Eigen::MatrixXd> llt(covariance);
  if (llt.info() != Eigen::Success) throw std::invalid_argument("GaussianPrior: covariance is not positive definite");
  return GaussianPrior{mean, llt.matrixL()};
}

GaussianPrior GaussianPrior::standard(int d) {
  if (d < 1) throw std::invalid_argument("GaussianPrior: dimension must be >= 1");
  return GaussianPrior{Eigen::VectorXd::Zero(d), Eigen::MatrixXd::Identity(d, d)};
}

double GaussianPrior::log_density(const Eigen::VectorXd& f) const {
  const Eigen::VectorXd z = chol.triangularView<Eigen::Lower>().solve(f - mean);
  const double log_det_half = chol.diagonal().array().log().sum();
  return -0.5 * z.squaredNorm() - log_det_half - 0.5 * static_cast<double>(mean.size()) * std::log(2 * std::numbers::pi);
}

Eigen::VectorXd GaussianPrior::gradient(const Eigen::VectorXd& f) const {
  Eigen::VectorXd z = chol.triangularView<Eigen::Lower>().solve(f - mean);
  chol.triangularView<Eigen::Lower>().transpose().solveInPlace(z);
  return -z;
}

void GaussianPrior::draw_centered(Rng& rng, Eigen::VectorXd& nu) const {
  Eigen::VectorXd z(mean.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) z(i) = standard_normal(rng);
  nu.noalias() = chol.triangularView<Eigen::Lower>() * z;
}

GaussianPriorModel::GaussianPriorModel(GaussianPrior prior, LogLikelihood log_likelihood, std::vector<std::string> names,
                                       std::string model_name)
    : prior_(std::move(prior)), value_(std::move(log_likelihood)), names_(std::move(names)),
      model_name_(std::move(model_name)) {
  if (!value_) throw std::invalid_argument("GaussianPriorModel: empty log-likelihood");
  if (prior_.chol.rows() != prior_.dimension() || prior_.chol.cols() != prior_.dimension() || prior_.dimension() < 1)
    throw std::invalid_argument("GaussianPriorModel: prior Cholesky factor must be d x d");
  if (names_.empty()) names_ = indexed_names("f", prior_.dimension());
  if (static_cast<int>(names_.size()) != prior_.dimension())
    throw std::invalid_argument("GaussianPriorModel: names do not match the dimension");
}

GaussianPriorModel::GaussianPriorModel(GaussianPrior prior, LogLikelihoodGradient log_likelihood_gradient,
                                       std::vector<std::string> names, std::string model_name)
    : GaussianPriorModel(
          std::move(prior),
          [fn = log_likelihood_gradient](const Eigen::VectorXd& f) {
            Eigen::VectorXd unused;
            return fn(f, unused);
          },
          std::move(names), std::move(model_name)) {
  if (!log_likelihood_gradient) throw std::invalid_argument("GaussianPriorModel: empty log-likelihood");
  value_gradient_ = std::move(log_likelihood_gradient);
}

double GaussianPriorModel::log_likelihood(const Eigen::VectorXd& f) const { return as_sampled_log_density(value_(f)); }

double GaussianPriorModel::log_density(const Eigen::VectorXd& f) const {
  return as_sampled_log_density(prior_.log_density(f) + log_likelihood(f));
}

double GaussianPriorModel::log_density_gradient(const Eigen::VectorXd& f, Eigen::VectorXd& grad) const {
  if (!value_gradient_)
    throw std::logic_error("GaussianPriorModel '" + model_name_ +
                           "': no likelihood gradient given; use a gradient-free sampler (ess, slice, rwm, ensemble)");
  Eigen::VectorXd lik_grad;
  const double lik = value_gradient_(f, lik_grad);
  grad = prior_.gradient(f) + lik_grad;
  return as_sampled_log_density(prior_.log_density(f) + lik);
}

int elliptical_slice_step(const GaussianPrior& prior, const std::function<double(const Eigen::VectorXd&)>& log_likelihood,
                          Eigen::VectorXd& f, double& loglik_f, Rng& rng) {
  Eigen::VectorXd nu;
  prior.draw_centered(rng, nu);
  const Eigen::VectorXd centered = f - prior.mean;
  const double log_level = loglik_f + std::log1p(-uniform01(rng));
  double theta = uniform(rng, 0.0, 2.0 * std::numbers::pi);
  double lo = theta - 2.0 * std::numbers::pi, hi = theta;
  int evaluations = 0;
  Eigen::VectorXd proposal(f.size());
  while (hi - lo > 1e-12) {
    proposal = prior.mean + centered * std::cos(theta) + nu * std::sin(theta);
    const double ll = as_sampled_log_density(log_likelihood(proposal));
    ++evaluations;
    if (ll > log_level) {
      f.swap(proposal);
      loglik_f = ll;
      return evaluations;
    }
    if (theta < 0.0) {
      lo = theta;
    } else {
      hi = theta;
    }
    theta = uniform(rng, lo, hi);
  }
  return evaluations;  // bracket shrank to the current point (pathological likelihood): stay
}

ChainResult EllipticalSliceSampler::run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng,
                                        const SamplerOptions& options, const IterationCallback& progress) const {
  validate(options);
  checked_initial_log_density(model, initial, "ess");
  const int d = model.dimension();
  const auto* native = dynamic_cast<const GaussianPriorModel*>(&model);
  GaussianPrior prior = native ? native->prior() : (reference_ ? *reference_ : GaussianPrior::standard(d));
  if (prior.dimension() != d) throw std::invalid_argument("ess: reference dimension differs from the model's");
  const bool adaptive = !native && !reference_ && options.adapt;
  long long evaluations = 0;
  const std::function<double(const Eigen::VectorXd&)> loglik = [&](const Eigen::VectorXd& f) {
    ++evaluations;
    // Stan's rule for the native likelihood too: a domain_error is zero density, other errors say where.
    return native ? sampled_log_density_part(model, f, [&] { return native->log_likelihood(f); })
                  : as_sampled_log_density(sampled_log_density(model, f) - prior.log_density(f));
  };
  ChainRecorder recorder(model, options, name(), initial, DiagnosticColumns{});
  Eigen::VectorXd f = initial;
  int start = 0;
  if (adaptive) {
    // First half of warmup: coordinate-wise slice sampling (its own width adaptation in the
    // first quarter), whose draws in the second quarter estimate the reference. Estimating it
    // from elliptical-slice states instead feeds back: a too-narrow reference makes small moves,
    // whose sample covariance is narrower still (gauss100: sd 0.23 for a true 0.5).
    start = options.warmup / 2;
    SliceOptions so;
    so.warmup = start / 2;
    so.draws = start - start / 2;
    so.width = options.slice_width;
    so.max_steps = options.slice_max_steps;
    if (so.draws >= 1) {
      // Progress each sweep, as in the elliptical phase: a model error says which warmup
      // iteration it met (it said 1 throughout this phase), and a cancelled run stops here.
      const auto keep_warmup = [&](int sweep, const Eigen::VectorXd& state, double lp) {
        if (recorder.kept_warmup(sweep)) recorder.record_warmup(sweep / options.thin, state, lp);
        if (progress) progress(sweep + 1, options.warmup + options.draws);
      };
      const SliceDraws phase1 = slice_sample(model, initial, rng, so, keep_warmup);
      evaluations += phase1.density_evaluations;
      f = phase1.last;
      if (phase1.draws.rows() >= 20) {
        MomentEstimator moments(d);
        for (Eigen::Index r = 0; r < phase1.draws.rows(); ++r) moments.add(phase1.draws.row(r).transpose());
        prior = moments.reference();
      }
    } else {
      start = 0;
    }
  }
  double ll = loglik(f);
  const int total = options.warmup + options.draws;
  for (int it = start; it < total; ++it) {
    if (it == options.warmup) recorder.begin_sampling(0);
    elliptical_slice_step(prior, loglik, f, ll, rng);
    if (it >= options.warmup) {
      const int s = it - options.warmup;
      if (recorder.kept(s)) recorder.record(s / options.thin, f, ll + prior.log_density(f));  // = log p(f)
    } else if (recorder.kept_warmup(it)) {
      recorder.record_warmup(it / options.thin, f, ll + prior.log_density(f));
    }
    if (progress) progress(it + 1, total);
  }
  return recorder.finish(0, evaluations);
}

}  // namespace gpbo::mcmc
