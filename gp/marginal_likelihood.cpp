#include "gpbo/gp/marginal_likelihood.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <numbers>

#include "gpbo/gp/cholesky.hpp"
#include "gpbo/gp/spd_inverse.hpp"

namespace gpbo {

MarginalLikelihood::MarginalLikelihood(const Kernel& kernel, const GpOptions& options, Eigen::MatrixXd X,
                                       Eigen::VectorXd y, ModelValues base)
    : kernel_(kernel.clone()), layout_(kernel, options), X_(std::move(X)), y_(std::move(y)), base_(std::move(base)) {}

MarginalLikelihood::MarginalLikelihood(const Kernel& kernel, const GpOptions& options, Eigen::MatrixXd X,
                                       const TargetWarp& warp, std::vector<Eigen::Index> rows, ModelValues base)
    : kernel_(kernel.clone()), layout_(kernel, options), X_(std::move(X)), base_(std::move(base)), warp_(&warp),
      rows_(std::move(rows)) {
  if (rows_.empty())
    for (Eigen::Index i = 0; i < warp.num_targets(); ++i) rows_.push_back(i);
  if (static_cast<Eigen::Index>(rows_.size()) != X_.rows())
    throw std::invalid_argument("MarginalLikelihood: the warp's rows do not match the rows of X");
}

void MarginalLikelihood::set_point_noise(Eigen::VectorXd point_noise) {
  if (point_noise.size() != 0 && point_noise.size() != X_.rows())
    throw std::invalid_argument("MarginalLikelihood: " + std::to_string(point_noise.size()) + " noise variances for " +
                                std::to_string(X_.rows()) + " rows");
  point_noise_ = std::move(point_noise);
}

void MarginalLikelihood::set_warped_point_noise(Eigen::VectorXd variances) {
  if (!warp_ || (variances.size() != 0 && variances.size() != warp_->num_targets()))
    throw std::invalid_argument("MarginalLikelihood: warped point noise needs a warp and one variance per target");
  warped_point_noise_ = std::move(variances);
}

Eigen::Index MarginalLikelihood::size() const { return layout_.size() + (warp_ ? warp_->num_params() : 0); }

Eigen::VectorXd MarginalLikelihood::lower() const {
  if (!warp_) return layout_.lower();
  Eigen::VectorXd b(size());
  b << layout_.lower(), warp_->lower();
  return b;
}

Eigen::VectorXd MarginalLikelihood::upper() const {
  if (!warp_) return layout_.upper();
  Eigen::VectorXd b(size());
  b << layout_.upper(), warp_->upper();
  return b;
}

double MarginalLikelihood::lml(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) {
  const Eigen::Index nl = layout_.size();
  const ModelValues v = layout_.unpack(params.head(nl), base_);
  kernel_->set_log_params(v.kernel_u);
  const Eigen::Index n = X_.rows();
  if (gradient) gradient->setZero(size());
  if (n == 0) return 0.0;
  WarpedTargets warped;
  double log_jacobian = 0.0;
  if (warp_) {
    warped = warp_->apply(params.tail(warp_->num_params()), gradient != nullptr);
    y_ = warped.w(rows_);
    log_jacobian = warped.log_slope(rows_).sum();
    if (warped_point_noise_.size() > 0)  // v_i (dw_i/dy_i)^2
      point_noise_ = carried_variances(warped_point_noise_(rows_), warped.log_slope(rows_));
  }
  const double noise = std::exp(v.log_noise);
  bool factored = false;
  if (gradient) {
    // Kept: the gradient reads them instead of recomputing. Only their lower triangles are set.
    gram_ = kernel_->gram_with_derivative(X_, derivative_);
    work_.resize(n, n);
    work_.triangularView<Eigen::Lower>() = gram_;
    work_.diagonal().array() += noise;
    if (point_noise_.size() > 0) work_.diagonal() += point_noise_;
    factored = try_cholesky_in_place(work_);
    // The jitter escalation restores K from its upper triangle: it needs the full K.
    if (!factored) work_ = gram_.selfadjointView<Eigen::Lower>();
  } else {
    work_ = kernel_->gram(X_);
  }
  if (!factored) {
    work_.diagonal().array() += noise;
    if (point_noise_.size() > 0) work_.diagonal() += point_noise_;
    cholesky_with_jitter(work_);
  }
  auto L = work_.triangularView<Eigen::Lower>();
  const Eigen::VectorXd r = y_.array() - v.mean;
  Eigen::VectorXd alpha = L.solve(r);
  const double quad = alpha.squaredNorm();
  L.transpose().solveInPlace(alpha);
  const double logdet_half = work_.diagonal().array().log().sum();
  const double value =
      -0.5 * quad - logdet_half - 0.5 * static_cast<double>(n) * std::log(2.0 * std::numbers::pi) + log_jacobian;
  if (!gradient) return value;
  if (warp_) {
    gradient->tail(warp_->num_params()) =
        -warped.dw(rows_, Eigen::all).transpose() * alpha + warped.dlog_slope(rows_, Eigen::all).colwise().sum().transpose();
  }

  // work_ <- W = alpha alpha^T - K^{-1}
  spd_inverse_lower_from_cholesky(work_);
  for (Eigen::Index j = 0; j < n; ++j) work_.col(j).tail(n - j) = alpha.tail(n - j) * alpha(j) - work_.col(j).tail(n - j);
  work_.triangularView<Eigen::StrictlyUpper>() = work_.transpose();  // some kernels read W's upper triangle
  if (layout_.num_kernel() > 0) {
    double unused = 0.0;
    const Eigen::VectorXd g = kernel_->gram_gradient_contract_given_gram(X_, work_, gram_, 1.0, unused, &derivative_);
    for (Eigen::Index i = 0; i < layout_.num_kernel(); ++i) {
      (*gradient)(i) = 0.5 * g(layout_.kernel_free()[static_cast<std::size_t>(i)]);
    }
  }
  if (layout_.noise_index() >= 0) (*gradient)(layout_.noise_index()) = 0.5 * noise * work_.trace();
  if (warp_ && warped_point_noise_.size() > 0) {  // the known variances move with the warp's slope, unless capped
    const Eigen::ArrayXd moving = (point_noise_.array() < kMaxCarriedVariance).cast<double>();
    gradient->tail(warp_->num_params()) +=
        warped.dlog_slope(rows_, Eigen::all).transpose() * (work_.diagonal().array() * point_noise_.array() * moving).matrix();
  }
  if (layout_.mean_index() >= 0) (*gradient)(layout_.mean_index()) = alpha.sum();
  return value;
}

double MarginalLikelihood::log_prior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) {
  const ModelValues v = layout_.unpack(params.head(layout_.size()), base_);
  kernel_->set_log_params(v.kernel_u);
  const double lp = layout_.log_prior(*kernel_, v, gradient);
  if (gradient && warp_) gradient->conservativeResizeLike(Eigen::VectorXd::Zero(size()));  // flat in the warp
  return lp;
}

double MarginalLikelihood::log_posterior(const Eigen::VectorXd& params, Eigen::VectorXd* gradient) {
  Eigen::VectorXd gp;
  const double lp = log_prior(params, gradient ? &gp : nullptr);
  const double value = lml(params, gradient);
  if (gradient) *gradient += gp;
  return value + lp;
}

}  // namespace gpbo
