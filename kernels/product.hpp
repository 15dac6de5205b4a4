#pragma once
// ProductKernel: k1 * k2 * ... . Hyperparameters are the children's, prefixed "k1.", "k2.", ...
// String form "<k1> * <k2> * ..." (sums in parentheses). The gradient contraction hands each
// child W o (product of the other children's Gram matrices), so no per-hyperparameter n x n
// matrix is formed.

#include "gpbo/kernels/composite.hpp"

namespace gpbo {

class ProductKernel : public CompositeKernel {
 public:
  /// At least two factors.
  explicit ProductKernel(std::vector<KernelPtr> factors);
  ProductKernel(KernelPtr a, KernelPtr b);
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string expression() const override;
  [[nodiscard]] bool has_amplitude() const override;

  [[nodiscard]] Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const override;
  [[nodiscard]] Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                               double& weighted_sum) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                         Eigen::VectorXd& value) const override;
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const override;

 private:
  /// Elementwise product of all children's Gram matrices except child `skip` (none if out of range).
  [[nodiscard]] Eigen::ArrayXXd product_except(const std::vector<Eigen::MatrixXd>& grams, std::size_t skip) const;
};

}  // namespace gpbo
