#pragma once
// White-noise kernel: independent noise of variance "noise_variance" on every observation;
// string name "white". gram(X) and diag(X) carry the variance on the diagonal (also for repeated
// points, whose noises are independent); eval(X1, X2) between two sets of points is zero, even
// where rows coincide: a new observation's noise is independent of the training noise. So a
// `white` term acts like the GP's own noise: predictions at training inputs smooth the data
// instead of repeating it, and the variance it adds to predictions (diag) is that of a new noisy
// observation. (scikit-learn's WhiteKernel and GPyTorch's noise work the same way.) Its input
// gradient is zero.

#include "gpbo/kernels/leaf_kernel.hpp"

namespace gpbo {

class WhiteKernel : public LeafKernel {
 public:
  explicit WhiteKernel(int input_dim, double noise_variance = 1.0, std::vector<int> active_dims = {});
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string name() const override { return "white"; }
  [[nodiscard]] bool has_amplitude() const override { return true; }
  [[nodiscard]] double noise_variance() const { return std::exp(hp_[0].log_value); }

  [[nodiscard]] Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const override;
  [[nodiscard]] Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const override;
};

/// Whether `kernel` has a white part anywhere: a white term or factor, also inside scale(...).
[[nodiscard]] bool has_white(const Kernel& kernel);

/// `kernel` without its white parts: the prior covariance of the noise-free function, which a
/// latent prediction's variance uses (cross-covariances are the same with or without them). A
/// white term of a sum is dropped; a product with a white factor is noise as a whole (zero
/// between any two points) and dropped; a factor (k + white) of a product becomes k. nullptr when
/// nothing is left (the kernel is all noise). Hyperparameter values are kept; bounds and priors
/// are not (the result is for evaluation, not for fitting).
[[nodiscard]] KernelPtr without_white(const Kernel& kernel);

}  // namespace gpbo
