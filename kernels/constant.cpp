#include "gpbo/kernels/constant.hpp"

#include <cmath>
#include <stdexcept>

namespace gpbo {

ConstantKernel::ConstantKernel(int input_dim, double variance) : LeafKernel(input_dim, {}) {
  if (!(variance > 0.0)) throw std::invalid_argument("constant kernel: variance must be positive");
  hp_.push_back(make_hyperparameter("variance", variance));
}

std::unique_ptr<Kernel> ConstantKernel::clone() const { return std::make_unique<ConstantKernel>(*this); }

Eigen::MatrixXd ConstantKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  check_columns(X1.cols(), "eval");
  check_columns(X2.cols(), "eval");
  return Eigen::MatrixXd::Constant(X1.rows(), X2.rows(), variance());
}

Eigen::VectorXd ConstantKernel::diag(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "diag");
  return Eigen::VectorXd::Constant(X.rows(), variance());
}

Eigen::MatrixXd ConstantKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  if (j != 0) throw std::out_of_range("constant kernel: hyperparameter index out of range");
  return eval(X, X);
}

Eigen::VectorXd ConstantKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  check_columns(X.cols(), "gram_gradient_contract");
  return Eigen::VectorXd::Constant(1, variance() * W.sum());
}

Eigen::MatrixXd ConstantKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  check_columns(x.cols(), "input_gradient");
  return Eigen::MatrixXd::Zero(X.rows(), X.cols());
}

Eigen::RowVectorXd ConstantKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  return Eigen::RowVectorXd::Zero(x.cols());
}

}  // namespace gpbo
