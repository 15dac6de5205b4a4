#include "gpbo/gp/fully_bayesian.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "gpbo/mcmc/log_density.hpp"
#include "gpbo/mcmc/nuts.hpp"
#include "gpbo/mcmc/slice.hpp"

namespace gpbo {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// log p(params | data) within the bounds, -infinity outside them or where K cannot be factorized
// (or the value / gradient is not finite), so both samplers simply reject such points.
double bounded_log_posterior(const GaussianProcess& gp, const Eigen::VectorXd& lo, const Eigen::VectorXd& hi,
                             const Eigen::VectorXd& p, Eigen::VectorXd* grad) {
  if (grad) grad->setZero(p.size());
  if ((p.array() < lo.array()).any() || (p.array() > hi.array()).any()) return kNegInf;
  try {
    const double v = gp.log_posterior_and_gradient(p, grad);
    return std::isfinite(v) && (!grad || grad->allFinite()) ? v : kNegInf;
  } catch (const std::exception&) {
    return kNegInf;
  }
}

}  // namespace

HyperSampler parse_hyper_sampler(const std::string& text) {
  if (text == "nuts") return HyperSampler::Nuts;
  if (text == "slice") return HyperSampler::Slice;
  throw std::invalid_argument("unknown hyperparameter sampler '" + text + "' (expected nuts or slice)");
}

std::string hyper_sampler_name(HyperSampler sampler) { return sampler == HyperSampler::Nuts ? "nuts" : "slice"; }

HyperparameterDraws sample_hyperparameters(const GaussianProcess& gp, const Eigen::VectorXd& start,
                                           const FullyBayesianOptions& options, const HyperSamplerAdaptation& warm) {
  if (options.samples < 1 || options.warmup < 0 || options.thin < 1 || options.max_treedepth < 1) {
    throw std::invalid_argument(
        "FullyBayesianOptions: need samples >= 1, warmup >= 0, thin >= 1, max_treedepth >= 1");
  }
  const Eigen::VectorXd lo = gp.params_lower(), hi = gp.params_upper();
  if (lo.size() == 0) throw std::invalid_argument("sample_hyperparameters: the model has no free hyperparameters");
  if (start.size() != lo.size()) {
    throw std::invalid_argument("sample_hyperparameters: start has " + std::to_string(start.size()) +
                                " entries, the model has " + std::to_string(lo.size()) + " free hyperparameters");
  }
  if (!std::isfinite(bounded_log_posterior(gp, lo, hi, start, nullptr))) {
    throw std::invalid_argument("sample_hyperparameters: the start has a non-finite log posterior");
  }
  Rng rng = make_rng(options.seed, 0);
  HyperparameterDraws out;
  if (options.sampler == HyperSampler::Slice) {
    mcmc::SliceOptions so;
    so.warmup = options.warmup;
    so.draws = options.samples * options.thin;
    so.thin = options.thin;
    so.widths = warm.widths.size() == lo.size() ? warm.widths : Eigen::VectorXd();
    auto density = [&](const Eigen::VectorXd& p) { return bounded_log_posterior(gp, lo, hi, p, nullptr); };
    mcmc::SliceDraws r = mcmc::slice_sample(density, start, rng, so);
    out.draws = std::move(r.draws);
    out.adaptation.widths = std::move(r.widths);
    out.adaptation.stepsize = warm.stepsize;
    out.adaptation.inverse_metric = warm.inverse_metric;
    out.evaluations = r.density_evaluations;
    return out;
  }
  const mcmc::FunctionLogDensity density(static_cast<int>(lo.size()),
                                         [&](const Eigen::VectorXd& p, Eigen::VectorXd& grad) {
                                           return bounded_log_posterior(gp, lo, hi, p, &grad);
                                         });
  mcmc::SamplerOptions so;
  so.warmup = options.warmup;
  so.draws = options.samples * options.thin;
  so.thin = options.thin;
  so.seed = options.seed;
  so.max_treedepth = options.max_treedepth;
  so.adapt_metric = options.adapt_metric;
  if (warm.stepsize > 0.0) so.stepsize = warm.stepsize;
  if (warm.inverse_metric.size() == lo.size()) so.inverse_metric = warm.inverse_metric;
  mcmc::validate(so);
  mcmc::ChainResult r = mcmc::Nuts().run(density, start, rng, so);
  out.draws = std::move(r.unconstrained_draws);
  out.adaptation.widths = warm.widths;
  out.adaptation.stepsize = r.stepsize;
  out.adaptation.inverse_metric = r.inverse_metric.reshaped();
  out.evaluations = r.gradient_evaluations;
  out.divergences = static_cast<int>(mcmc::divergent_iterations(r));
  return out;
}

Prediction mixture_of(const std::vector<Prediction>& parts) {
  if (parts.empty()) throw std::invalid_argument("mixture_of: no predictions");
  const auto S = static_cast<double>(parts.size());
  Prediction out;
  out.mean = Eigen::VectorXd::Zero(parts.front().mean.size());
  for (const auto& p : parts) out.mean += p.mean;
  out.mean /= S;
  // Mean of the variances plus the variance of the means, each summed around the mixture mean
  // (no E[m^2] - E[m]^2 cancellation when the means are large).
  out.variance = Eigen::VectorXd::Zero(out.mean.size());
  for (const auto& p : parts) out.variance += p.variance + (p.mean - out.mean).cwiseAbs2();
  out.variance /= S;
  return out;
}

std::vector<Prediction> predict_each(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& Xs,
                                     bool include_noise) {
  std::vector<Prediction> parts;
  parts.reserve(models.size());
  for (const auto& m : models) parts.push_back(m.predict(Xs, {.include_noise = include_noise}));
  return parts;
}

Prediction mixture_predict(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& Xs, bool include_noise) {
  if (models.empty()) throw std::invalid_argument("mixture_predict: no models");
  return mixture_of(predict_each(models, Xs, include_noise));
}

FullyBayesianGp::FullyBayesianGp(GaussianProcess model) : base_(std::move(model)) {}

void FullyBayesianGp::sample(const FullyBayesianOptions& options) {
  const Eigen::VectorXd start =
      draws_.rows() > 0 ? Eigen::VectorXd(draws_.row(draws_.rows() - 1).transpose()) : base_.params();
  HyperparameterDraws r = sample_hyperparameters(base_, start, options, adaptation_);
  adaptation_ = std::move(r.adaptation);
  divergences_ = r.divergences;
  evaluations_ = r.evaluations;
  draws_ = std::move(r.draws);
  rebuild_models();
}

void FullyBayesianGp::set_draws(const Eigen::MatrixXd& draws) {
  if (draws.rows() < 1 || draws.cols() != base_.params().size() || !draws.allFinite()) {
    throw std::invalid_argument("FullyBayesianGp::set_draws: expected finite S x " +
                                std::to_string(base_.params().size()) + " draws (S >= 1)");
  }
  draws_ = draws;
  rebuild_models();
}

void FullyBayesianGp::set_data(const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  base_.set_data(X, y);
  rebuild_models();
}

void FullyBayesianGp::add_point(const Eigen::RowVectorXd& x, double y) {
  base_.add_point(x, y);
  for (auto& m : models_) m.add_point(x, y);
}

void FullyBayesianGp::rebuild_models() {
  models_.clear();
  models_.reserve(static_cast<std::size_t>(draws_.rows()));
  for (Eigen::Index s = 0; s < draws_.rows(); ++s) {
    GaussianProcess m = base_;
    m.set_params(draws_.row(s).transpose());
    models_.push_back(std::move(m));
  }
}

Prediction FullyBayesianGp::predict(const Eigen::MatrixXd& Xs, bool include_noise) const {
  if (models_.empty()) return base_.predict(Xs, {.include_noise = include_noise});
  return mixture_predict(models_, Xs, include_noise);
}

std::vector<Prediction> FullyBayesianGp::predict_parts(const Eigen::MatrixXd& Xs, bool include_noise) const {
  if (models_.empty()) return {base_.predict(Xs, {.include_noise = include_noise})};
  return predict_each(models_, Xs, include_noise);
}

}  // namespace gpbo
