#pragma once
// White-noise kernel k(x, x') = noise_variance * [x == x'] (hyperparameter "noise_variance");
// string name "white".
// gram(X) puts the variance on the diagonal only (independent noise per observation, even for
// repeated points); eval(X1, X2) is nonzero where two rows are exactly equal on the active
// columns. Its input gradient is zero.

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

}  // namespace gpbo
