#include "gpbo/bayesopt/failure_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "gpbo/bayesopt/acquisition.hpp"
#include "gpbo/gp/default_priors.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/scale.hpp"

namespace gpbo::bo {

std::optional<FailureModel> FailureModel::fit(const Eigen::MatrixXd& X, const std::vector<bool>& failed) {
  if (static_cast<std::size_t>(X.rows()) != failed.size())
    throw std::invalid_argument("FailureModel::fit: one outcome per point expected");
  if (std::none_of(failed.begin(), failed.end(), [](bool f) { return f; })) return std::nullopt;
  Eigen::VectorXd labels(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) labels[i] = failed[static_cast<std::size_t>(i)] ? 1.0 : -1.0;

  const int d = static_cast<int>(X.cols());
  auto kernel = std::make_unique<ScaleKernel>(std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d, true), 1.0);
  kernel->fix("outputscale");  // labels have unit scale
  kernel->set_bounds("lengthscale", 1e-2, 1e2);
  kernel->set_prior("lengthscale", dimension_scaled_lengthscale_prior(d));
  // Short at the start: from the prior's median (8.2 at D = 4) the fit stayed where every label
  // is noise; from here it lengthens the scales of the inputs the failures do not depend on.
  kernel->set_value("lengthscale", 0.5);
  GpOptions o;
  o.scale_inputs = false;  // the encoded cube, as the objective's GP sees it
  o.standardize_outputs = false;
  o.mean.kind = MeanOptions::Kind::Constant;
  o.mean.learn = false;
  o.mean.value = labels.mean();
  // Learned label noise: failures that strike at random (a flaky cluster) are explained as
  // noise and leave p nearly flat, instead of carving a hole around each failed point.
  o.noise.learn = true;
  o.noise.variance = kLabelNoise;
  o.noise.lower = 1e-3;
  o.noise.upper = 4.0;
  GaussianProcess gp(std::move(kernel), o);
  gp.set_data(X, labels);
  const Eigen::VectorXd start = gp.params();
  FitOptions f;
  f.restarts = 0;
  f.threads = 1;
  f.max_evaluations = kFitEvaluations;
  try {
    gp.fit(f);
  } catch (const std::exception&) {
    gp.set_params(start);  // the prior-mean length scales
  }
  return FailureModel(std::move(gp));
}

Eigen::VectorXd FailureModel::log_success(const Eigen::MatrixXd& U) const {
  const Prediction p = gp_.predict(U);
  Eigen::VectorXd out(U.rows());
  for (Eigen::Index i = 0; i < U.rows(); ++i)
    out[i] = log_normal_cdf(-p.mean[i] / std::sqrt(kLinkScale * kLinkScale + p.variance[i]));
  return out;
}

std::vector<bool> FailureModel::sample_success(const Eigen::MatrixXd& U, Rng& rng) const {
  const Eigen::VectorXd latent = gp_.sample_posterior(U, 1, rng).col(0);
  std::vector<bool> success(static_cast<std::size_t>(U.rows()));
  for (Eigen::Index i = 0; i < U.rows(); ++i)
    success[static_cast<std::size_t>(i)] = latent[i] + kLinkScale * standard_normal(rng) < 0.0;
  return success;
}

double FailureModel::log_success_and_gradient(const Eigen::RowVectorXd& u, Eigen::RowVectorXd& gradient) const {
  const PointPrediction p = gp_.predict_gradient(u);
  const double s2 = kLinkScale * kLinkScale + p.variance, s = std::sqrt(s2);
  const double z = -p.mean / s;
  // dz = -dm / s + m dv / (2 s^3)
  const Eigen::RowVectorXd dz = -p.mean_gradient / s + (0.5 * p.mean / (s2 * s)) * p.variance_gradient;
  gradient = d_log_normal_cdf(z) * dz;
  return log_normal_cdf(z);
}

}  // namespace gpbo::bo
