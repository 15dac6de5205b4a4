#pragma once
// Constant kernel k(x, x') = variance (hyperparameter "variance"); string name "constant".
// Models an unknown constant offset of the function. Active dimensions may be set (so every
// string form round-trips) but do not change its value.

#include "gpbo/kernels/leaf_kernel.hpp"

namespace gpbo {

class ConstantKernel : public LeafKernel {
 public:
  explicit ConstantKernel(int input_dim, double variance = 1.0);
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string name() const override { return "constant"; }
  [[nodiscard]] bool has_amplitude() const override { return true; }
  [[nodiscard]] double variance() const { return std::exp(hp_[0].log_value); }

  [[nodiscard]] Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const override;
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const override;
};

}  // namespace gpbo
