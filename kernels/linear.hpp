#pragma once
// Linear (dot-product) kernel k(x, x') = variance * x.x' (+ offset, if enabled) over the active
// dimensions. Hyperparameters "variance" and, with offset, "offset". String name "linear",
// with offset "linear(offset)". Not stationary: k(x, x) grows with |x|.

#include "gpbo/kernels/leaf_kernel.hpp"

namespace gpbo {

class LinearKernel : public LeafKernel {
 public:
  explicit LinearKernel(int input_dim, bool offset = false, std::vector<int> active_dims = {});
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string name() const override { return "linear"; }
  [[nodiscard]] std::vector<std::string> options() const override;
  [[nodiscard]] bool has_amplitude() const override { return true; }
  [[nodiscard]] bool has_offset() const { return hp_.size() == 2; }

  [[nodiscard]] Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const override;
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const override;

 private:
  [[nodiscard]] double variance() const { return std::exp(hp_[0].log_value); }
  [[nodiscard]] double offset() const { return has_offset() ? std::exp(hp_[1].log_value) : 0.0; }
};

}  // namespace gpbo
