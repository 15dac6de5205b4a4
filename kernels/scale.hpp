#pragma once
// ScaleKernel: outputscale * base(x, x'). Hyperparameters: "outputscale" first, then the base
// kernel's own names, unprefixed unless the base has an "outputscale" of its own (a scale of a
// scale): then they are prefixed "base.", so that every name is unique. String form
// "scale(<base>)".

#include "gpbo/kernels/composite.hpp"

namespace gpbo {

class ScaleKernel : public CompositeKernel {
 public:
  explicit ScaleKernel(KernelPtr base, double outputscale = 1.0);
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] const Kernel& base() const { return child(0); }
  [[nodiscard]] double outputscale() const { return std::exp(own_[0].log_value); }
  [[nodiscard]] bool has_amplitude() const override { return true; }
  [[nodiscard]] std::string expression() const override;

  [[nodiscard]] Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const override;
  [[nodiscard]] Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_with_derivative(const Eigen::MatrixXd& X, Eigen::MatrixXd& derivative,
                                                     double factor = 1.0) const override;
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                               double& weighted_sum) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract_given_gram(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                                  const Eigen::MatrixXd& gram, double factor,
                                                                  double& weighted_sum,
                                                                  const Eigen::MatrixXd* derivative = nullptr) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                         Eigen::VectorXd& value) const override;
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const override;

 protected:
  [[nodiscard]] std::string child_prefix(std::size_t) const override;

 private:
  /// The full gradient [outputscale, base...] from the base kernel's contraction and weighted sum.
  [[nodiscard]] Eigen::VectorXd with_outputscale(const Eigen::VectorXd& base_gradient, double base_sum,
                                                 double& weighted_sum) const;
};

}  // namespace gpbo
