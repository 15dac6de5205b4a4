#include "gp/fully_bayesian.hpp"

#include <cmath>
#include <limits>

#include "mcmc/slice.hpp"

namespace gpbo {

FullyBayesianGp::FullyBayesianGp(GaussianProcess model) : base_(std::move(model)) {}

void FullyBayesianGp::sample(const FullyBayesianOptions& options) {
  if (options.samples < 1 || options.warmup < 0 || options.thin < 1) {
    throw std::invalid_argument("FullyBayesianOptions: need samples >= 1, warmup >= 0, thin >= 1");
  }
  const Eigen::VectorXd lo = base_.params_lower(), hi = base_.params_upper();
  auto log_density = [&](const Eigen::VectorXd& p) {
    if ((p.array() < lo.array()).any() || (p.array() > hi.array()).any()) {
      return -std::numeric_limits<double>::infinity();
    }
    try {
      return base_.log_posterior_and_gradient(p, nullptr);
    } catch (const CholeskyError&) {
      return -std::numeric_limits<double>::infinity();
    }
  };
  mcmc::SliceOptions so;
  so.warmup = options.warmup;
  so.draws = options.samples * options.thin;
  so.thin = options.thin;
  so.widths = widths_;
  Rng rng = make_rng(options.seed, 0);
  const Eigen::VectorXd start = draws_.rows() > 0 ? Eigen::VectorXd(draws_.row(draws_.rows() - 1).transpose())
                                                  : base_.params();
  const mcmc::SliceDraws result = mcmc::slice_sample(log_density, start, rng, so);
  widths_ = result.widths;
  draws_ = result.draws;
  models_.clear();
  for (Eigen::Index s = 0; s < draws_.rows(); ++s) {
    GaussianProcess m = base_;
    m.set_params(draws_.row(s).transpose());
    models_.push_back(std::move(m));
  }
}

Prediction FullyBayesianGp::predict(const Eigen::MatrixXd& Xs, bool include_noise) const {
  if (models_.empty()) return base_.predict(Xs, {.include_noise = include_noise});
  Prediction out;
  out.mean = Eigen::VectorXd::Zero(Xs.rows());
  Eigen::VectorXd second = Eigen::VectorXd::Zero(Xs.rows());
  for (const auto& m : models_) {
    const Prediction p = m.predict(Xs, {.include_noise = include_noise});
    out.mean += p.mean;
    second += p.variance + p.mean.cwiseAbs2();
  }
  const auto S = static_cast<double>(models_.size());
  out.mean /= S;
  out.variance = (second / S - out.mean.cwiseAbs2()).cwiseMax(0.0);
  return out;
}

}  // namespace gpbo
