// GaussianProcess predictions: batched posterior, point gradients, joint samples, leave-one-out.
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <sstream>

#include "gpbo/core/finite_values.hpp"
#include "gpbo/gp/cholesky.hpp"
#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/gp/spd_inverse.hpp"
#include "gpbo/kernels/white.hpp"

namespace gpbo {
namespace {

// NaN in, NaN out would go unnoticed: say which point is not finite, as set_data does.
void require_finite_points(const Eigen::MatrixXd& Xs, const char* who) {
  if (const auto bad = first_non_finite(Xs))
    throw std::invalid_argument(std::string(who) + ": " + describe_non_finite_point(*bad));
}

// A point far outside the data can overflow a kernel that grows with distance (a linear
// kernel's x'x became inf at 1e155 and the variance inf - inf = NaN, returned as if a number).
// Stationary kernels only decay there, to the prior: no distance limit, the result is checked.
void require_finite_prediction(Eigen::Index point, double mean, double variance, const char* who) {
  if (std::isfinite(mean) && std::isfinite(variance)) return;
  std::ostringstream msg;
  msg << who << ": the prediction at point " << point << " is not finite (mean " << mean << ", variance " << variance
      << "): the kernel's arithmetic overflowed there; is the point far outside the data?";
  throw PredictionOverflow(point, msg.str());
}

void require_finite_predictions(const Eigen::VectorXd& mean, const Eigen::VectorXd& variance, const char* who) {
  if (mean.allFinite() && variance.allFinite()) return;
  for (Eigen::Index i = 0; i < mean.size(); ++i)
    require_finite_prediction(i, mean(i), variance.size() > 0 ? variance(i) : 0.0, who);
}

// The prior (co)variance of what is predicted. A latent (noise-free) prediction leaves out the
// kernel's white parts (without_white), as it leaves out noise_variance(): their
// cross-covariances are zero already, only the prior variance holds them.
class PriorCovariance {
 public:
  PriorCovariance(const Kernel& kernel, bool include_noise) : kernel_(&kernel) {
    if (include_noise || !has_white(kernel)) return;
    latent_ = without_white(kernel);
    kernel_ = latent_.get();  // null: the kernel is all noise
  }
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const {
    return kernel_ ? kernel_->diag(X) : Eigen::VectorXd::Zero(X.rows());
  }
  [[nodiscard]] Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const {
    return kernel_ ? kernel_->gram(X) : Eigen::MatrixXd::Zero(X.rows(), X.rows());
  }
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const {
    return kernel_ ? kernel_->diag_input_gradient(x) : Eigen::RowVectorXd::Zero(x.size());
  }

 private:
  const Kernel* kernel_;
  KernelPtr latent_;
};

void require_target_weights(const Eigen::MatrixXd& W, Eigen::Index n, const char* who) {
  if (W.rows() != n)
    throw std::invalid_argument(std::string(who) + ": target weights have " + std::to_string(W.rows()) +
                                " rows but the model has " + std::to_string(n) + " points");
}

}  // namespace

Prediction GaussianProcess::predict(const Eigen::MatrixXd& Xs, const PredictOptions& options) const {
  if (dim_ >= 0 && Xs.cols() != dim_) {
    throw std::invalid_argument("GaussianProcess::predict: points have " + std::to_string(Xs.cols()) +
                                " columns but the model has " + std::to_string(dim_) + " inputs");
  }
  require_finite_points(Xs, "GaussianProcess::predict");
  if (options.mean_only && options.full_cov) throw std::invalid_argument("GaussianProcess::predict: mean_only excludes full_cov");
  const Eigen::MatrixXd Xm = input_map_.apply(Xs);
  Prediction p;
  Eigen::MatrixXd cov;
  const PriorCovariance prior(*kernel_, options.include_noise);
  if (options.full_cov) {
    cov = prior.gram(Xm);
    p.variance = cov.diagonal();
  } else if (!options.mean_only) {
    p.variance = prior.diag(Xm);
  }
  p.mean = Eigen::VectorXd::Constant(Xs.rows(), mean_);
  const Eigen::MatrixXd* W = options.target_weights;
  if (W) {
    require_target_weights(*W, size(), "GaussianProcess::predict");
    p.target_means = Eigen::MatrixXd::Constant(Xs.rows(), W->cols(), mean_);
  }
  if (size() > 0) {
    // Test points in blocks of at most ~kBlockEntries cross-covariances (n x block, 64 MB):
    // one block is matrix-matrix work already, and 100k points beside 1000 training points no
    // longer need 1.6 GB. A full covariance needs every column at once.
    constexpr Eigen::Index kBlockEntries = Eigen::Index{1} << 23;
    const Eigen::Index m = Xm.rows();
    const Eigen::Index block = options.full_cov          ? std::max<Eigen::Index>(m, 1)
                               : options.block_rows > 0 ? options.block_rows
                                                        : std::max<Eigen::Index>(256, kBlockEntries / size());
    const auto L = factor().triangularView<Eigen::Lower>();
    for (Eigen::Index start = 0; start < m; start += block) {
      const Eigen::Index rows = std::min(block, m - start);
      const Eigen::MatrixXd Ks = kernel_->eval(Xm_, Xm.middleRows(start, rows));  // n x rows
      p.mean.segment(start, rows).noalias() += Ks.transpose() * alpha_;
      if (W) p.target_means.middleRows(start, rows).noalias() += Ks.transpose() * *W;
      if (options.mean_only) continue;
      const Eigen::MatrixXd V = L.solve(Ks);  // the block's test points at once
      p.variance.segment(start, rows) -= V.colwise().squaredNorm().transpose();
      if (options.full_cov) cov.noalias() -= V.transpose() * V;
    }
  }
  require_finite_predictions(p.mean, p.variance, "GaussianProcess::predict");  // before the clamp hides a NaN
  p.variance = p.variance.cwiseMax(0.0);
  if (options.include_noise && !options.mean_only) {
    p.variance.array() += noise_variance();
    if (options.full_cov) cov.diagonal().array() += noise_variance();
  }
  const double s = output_map_.scale;
  p.mean = p.mean.array() * s + output_map_.shift;
  if (W) p.target_means = p.target_means.array() * s + output_map_.shift;
  p.variance *= s * s;
  if (options.full_cov) {
    p.covariance = cov * (s * s);
    p.covariance.diagonal() = p.variance;
  }
  require_finite_predictions(p.mean, p.variance, "GaussianProcess::predict");  // the output map's scale too
  return p;
}

PointPrediction GaussianProcess::predict_gradient(const Eigen::RowVectorXd& x, bool include_noise,
                                                  const Eigen::MatrixXd* target_weights) const {
  const Eigen::Index d = x.size();
  if (dim_ >= 0 && d != dim_) {
    throw std::invalid_argument("GaussianProcess::predict_gradient: point has " + std::to_string(d) +
                                " coordinates but the model has " + std::to_string(dim_) + " inputs");
  }
  require_finite_points(x, "GaussianProcess::predict_gradient");
  const Eigen::RowVectorXd xm = input_map_.apply(x);
  PointPrediction out;
  out.mean = mean_;
  const PriorCovariance prior(*kernel_, include_noise);
  out.variance = prior.diag(xm)(0);
  out.mean_gradient = Eigen::RowVectorXd::Zero(d);
  out.variance_gradient = prior.diag_input_gradient(xm);
  const Eigen::MatrixXd* W = target_weights;
  if (W) {
    require_target_weights(*W, size(), "GaussianProcess::predict_gradient");
    out.target_means = Eigen::VectorXd::Constant(W->cols(), mean_);
    out.target_mean_gradients = Eigen::MatrixXd::Zero(W->cols(), d);
  }
  if (size() > 0) {
    Eigen::VectorXd k;                                               // k(x, X_i), n
    const Eigen::MatrixXd G = kernel_->input_gradient_and_value(xm, Xm_, k);  // n x d, row i = dk(x, X_i)/dx
    const auto L = factor().triangularView<Eigen::Lower>();
    Eigen::VectorXd w = L.solve(k);
    out.mean += k.dot(alpha_);
    out.variance -= w.squaredNorm();
    L.transpose().solveInPlace(w);                                   // w = K^{-1} k
    out.mean_gradient = alpha_.transpose() * G;
    if (W) {
      out.target_means.noalias() += W->transpose() * k;
      out.target_mean_gradients.noalias() = W->transpose() * G;
    }
    out.variance_gradient -= 2.0 * (w.transpose() * G);
  }
  require_finite_prediction(0, out.mean, out.variance, "GaussianProcess::predict_gradient");
  if (out.variance < 0.0) {  // round-off below zero: clamp, and the gradient is that of the clamp
    out.variance = 0.0;
    out.variance_gradient.setZero();
  }
  if (include_noise) out.variance += noise_variance();
  const double s = output_map_.scale;
  const Eigen::RowVectorXd J = input_map_.jacobian(d);
  out.mean = out.mean * s + output_map_.shift;
  out.variance *= s * s;
  out.mean_gradient = (out.mean_gradient.array() * J.array() * s).matrix();
  out.variance_gradient = (out.variance_gradient.array() * J.array() * (s * s)).matrix();
  if (W) {
    out.target_means = out.target_means.array() * s + output_map_.shift;
    out.target_mean_gradients = (out.target_mean_gradients.array().rowwise() * (J.array() * s)).matrix();
  }
  require_finite_prediction(0, out.mean, out.variance, "GaussianProcess::predict_gradient");
  return out;
}

Eigen::MatrixXd GaussianProcess::representer_weights(const Eigen::MatrixXd& Y) const {
  if (Y.rows() != size())
    throw std::invalid_argument("GaussianProcess::representer_weights: targets have " + std::to_string(Y.rows()) +
                                " rows but the model has " + std::to_string(size()) + " points");
  if (!Y.allFinite()) throw std::invalid_argument("GaussianProcess::representer_weights: targets must be finite");
  Eigen::MatrixXd W = ((Y.array() - output_map_.shift) / output_map_.scale - mean_).matrix();
  if (size() == 0) return W;
  const auto L = factor().triangularView<Eigen::Lower>();
  L.solveInPlace(W);
  L.transpose().solveInPlace(W);
  return W;
}

Eigen::MatrixXd GaussianProcess::sample_posterior(const Eigen::MatrixXd& Xs, int n_samples, Rng& rng,
                                                  bool include_noise) const {
  if (n_samples < 0) throw std::invalid_argument("GaussianProcess::sample_posterior: n_samples must be >= 0");
  const Prediction p = predict(Xs, {.full_cov = true, .include_noise = include_noise});
  const Eigen::Index m = Xs.rows();
  Eigen::MatrixXd root;
  Eigen::MatrixXd c = p.covariance;
  try {
    cholesky_with_jitter(c);
    root = c.triangularView<Eigen::Lower>();
  } catch (const CholeskyError&) {
    // Rank-deficient posterior covariance: a symmetric square root with clamped eigenvalues.
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(p.covariance);
    root = es.eigenvectors() * es.eigenvalues().cwiseMax(0.0).cwiseSqrt().asDiagonal();
  }
  Eigen::MatrixXd z(m, n_samples);
  for (int j = 0; j < n_samples; ++j) {
    for (Eigen::Index i = 0; i < m; ++i) z(i, j) = standard_normal(rng);
  }
  Eigen::MatrixXd draws = root * z;
  draws.colwise() += p.mean;
  return draws;
}

LooPrediction GaussianProcess::loo() const {
  const Eigen::Index n = size();
  LooPrediction out;
  if (n == 0) return out;
  Eigen::MatrixXd kinv = factor();
  spd_inverse_from_cholesky(kinv);
  const Eigen::VectorXd dinv = kinv.diagonal().cwiseInverse();
  const double s = output_map_.scale;
  out.mean = ((ym_ - alpha_.cwiseProduct(dinv)).array() * s + output_map_.shift).matrix();
  out.variance = dinv * (s * s);
  return out;
}

}  // namespace gpbo
