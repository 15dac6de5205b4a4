#include "bayesopt/surrogate.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "gp/fully_bayesian.hpp"
#include "kernels/matern.hpp"
#include "kernels/scale.hpp"

namespace gpbo::bo {
namespace {

constexpr double kNoneNoise = 1e-6;  // NoiseMode::None, standardized units

}  // namespace

Surrogate::Surrogate(std::size_t dim, SurrogateOptions options) : dim_(dim), options_(options) {
  if (dim_ == 0) throw std::invalid_argument("Surrogate: the search space has no free dimension");
}

GaussianProcess Surrogate::make_gp() const {
  const int d = static_cast<int>(dim_);
  auto matern = std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d, true);
  auto kernel = std::make_unique<ScaleKernel>(std::move(matern), 1.0);
  const double mu = std::sqrt(2.0) + 0.5 * std::log(static_cast<double>(d));
  kernel->set_bounds("lengthscale", 1e-3, 1e3);
  if (options_.lengthscale_prior == LengthscalePrior::DimensionScaled) {
    kernel->set_prior("lengthscale", Prior::log_normal(mu, std::sqrt(3.0)));
    kernel->set_value("lengthscale", std::exp(mu - 1.0));  // between the prior's mode and median
  } else {
    kernel->set_prior("lengthscale", Prior::gamma(3.0, 6.0));
    kernel->set_value("lengthscale", 0.5);  // the prior mean
  }
  kernel->set_prior("outputscale", Prior::log_normal(0.0, 1.0));
  kernel->set_bounds("outputscale", 1e-3, 1e3);
  GpOptions o;
  o.scale_inputs = false;          // inputs are already the encoded unit cube
  o.standardize_outputs = false;   // Surrogate standardizes itself (kept fixed between refits)
  o.mean.kind = MeanOptions::Kind::Constant;
  o.mean.learn = true;
  o.mean.lower = -10.0;
  o.mean.upper = 10.0;
  switch (options_.noise) {
    case NoiseMode::Auto:
      o.noise.learn = true;
      o.noise.variance = 1e-4;
      o.noise.lower = 1e-6;
      o.noise.upper = 1.0;
      o.noise.prior = Prior::log_normal(-4.0, 1.0);
      break;
    case NoiseMode::None:
      o.noise.learn = false;
      o.noise.variance = kNoneNoise;
      o.noise.lower = kNoneNoise;
      break;
    case NoiseMode::Fixed:
      o.noise.learn = false;
      o.noise.variance = kNoneNoise;  // set from noise_sd at each refit, once the scale is known
      o.noise.lower = 1e-9;
      break;
  }
  return GaussianProcess(std::move(kernel), o);
}

void Surrogate::update(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng) {
  const auto n = static_cast<std::size_t>(X.rows());
  if (n < state_.size) throw std::invalid_argument("Surrogate::update: observations can only be appended");
  if (state_.fitted && n == state_.size) return;
  const bool refit_due = !state_.fitted || options_.mode != HyperMode::Fast ||
                         n - state_.size_at_fit >= options_.refit_every;
  if (refit_due) {
    refit(X, y, rng);
    return;
  }
  for (std::size_t i = state_.size; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    gp_->add_point(X.row(r), standardize(y[r]));
  }
  state_.size = n;
  models_.assign(1, *gp_);
}

void Surrogate::refit(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, Rng& rng) {
  state_.transform = OutputTransform::fit(y, options_.warp_outputs && options_.noise != NoiseMode::Fixed);
  if (!gp_) gp_ = std::make_unique<GaussianProcess>(make_gp());
  if (options_.noise == NoiseMode::Fixed) {
    GpOptions o = gp_->options();
    const double v = std::max(1e-9, std::pow(options_.noise_sd / state_.transform.scale, 2));
    if (o.noise.variance != v) {
      o.noise.variance = v;
      GaussianProcess fresh(gp_->kernel().clone(), o);
      gp_ = std::make_unique<GaussianProcess>(std::move(fresh));
    }
  }
  const Eigen::VectorXd ys = state_.transform.apply(y);
  gp_->set_data(X, ys);
  FitOptions f;
  f.restarts = state_.fitted ? options_.restarts : options_.first_fit_restarts;
  f.seed = draw_seed(rng);
  f.threads = options_.threads;
  f.max_evaluations = options_.max_evaluations;
  // Cheap restarts: with many points every start first runs on a random subset, and only the
  // best is refined on all the data.
  if (state_.fitted && options_.restart_subset > 0 && static_cast<std::size_t>(X.rows()) > 2 * options_.restart_subset)
    f.subset_size = options_.restart_subset;
  gp_->fit(f);
  state_.fitted = true;
  state_.params = gp_->params();
  state_.size = state_.size_at_fit = static_cast<std::size_t>(X.rows());
  models_.assign(1, *gp_);
  if (options_.mode == HyperMode::Mcmc) sample_posterior(rng);
}

void Surrogate::sample_posterior(Rng& rng) {
  FullyBayesianOptions o;
  o.sampler = HyperSampler::Nuts;
  o.seed = draw_seed(rng);
  o.warmup = 60;
  o.samples = static_cast<int>(options_.mcmc_samples);
  o.thin = static_cast<int>(options_.mcmc_thin);
  o.max_treedepth = 5;
  const Eigen::VectorXd start = state_.samples.empty() ? state_.params : state_.samples.back();
  const Eigen::MatrixXd draws = sample_hyperparameters(*gp_, start, o).draws;
  state_.samples.clear();
  for (Eigen::Index i = 0; i < draws.rows(); ++i) state_.samples.push_back(draws.row(i).transpose());
  set_sample_models();
}

void Surrogate::set_sample_models() {
  models_.clear();
  for (const auto& s : state_.samples) {
    GaussianProcess m = *gp_;
    m.set_params(s);
    models_.push_back(std::move(m));
  }
}

void Surrogate::restore(const SurrogateState& state, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  state_ = state;
  models_.clear();
  gp_.reset();
  if (!state_.fitted) return;
  if (static_cast<std::size_t>(X.rows()) < state_.size)
    throw std::invalid_argument("Surrogate::restore: fewer observations than the saved model holds");
  gp_ = std::make_unique<GaussianProcess>(make_gp());
  if (options_.noise == NoiseMode::Fixed) {
    GpOptions o = gp_->options();
    o.noise.variance = std::max(1e-9, std::pow(options_.noise_sd / state_.transform.scale, 2));
    gp_ = std::make_unique<GaussianProcess>(gp_->kernel().clone(), o);
  }
  const auto n = static_cast<Eigen::Index>(state_.size);
  const Eigen::VectorXd ys = state_.transform.apply(Eigen::VectorXd(y.head(n)));
  gp_->set_data(X.topRows(n), ys);
  gp_->set_params(state_.params);
  models_.assign(1, *gp_);
  if (options_.mode == HyperMode::Mcmc && !state_.samples.empty()) set_sample_models();
}

}  // namespace gpbo::bo
