#include "gpbo/kernels/linear.hpp"

#include <stdexcept>

namespace gpbo {

LinearKernel::LinearKernel(int input_dim, bool offset, std::vector<int> active_dims) : LeafKernel(input_dim, std::move(active_dims)) {
  hp_.push_back(make_hyperparameter("variance", 1.0));
  if (offset) hp_.push_back(make_hyperparameter("offset", 1.0));
}

std::unique_ptr<Kernel> LinearKernel::clone() const { return std::make_unique<LinearKernel>(*this); }

std::vector<std::string> LinearKernel::options() const {
  if (has_offset()) return {"offset"};
  return {};
}

Eigen::MatrixXd LinearKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  check_columns(X1.cols(), "eval");
  check_columns(X2.cols(), "eval");
  Eigen::MatrixXd b1, b2;
  Eigen::MatrixXd K = variance() * active(X1, b1) * active(X2, b2).transpose();
  K.array() += offset();
  return K;
}

Eigen::VectorXd LinearKernel::diag(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "diag");
  Eigen::MatrixXd b;
  return (variance() * active(X, b).rowwise().squaredNorm()).array() + offset();
}

Eigen::MatrixXd LinearKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  check_columns(X.cols(), "gram_gradient");
  if (j >= hp_.size()) throw std::out_of_range("linear kernel: hyperparameter index out of range");
  if (j == 1) return Eigen::MatrixXd::Constant(X.rows(), X.rows(), offset());
  Eigen::MatrixXd b;
  const Eigen::MatrixXd& A = active(X, b);
  return variance() * A * A.transpose();
}

Eigen::VectorXd LinearKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  check_columns(X.cols(), "gram_gradient_contract");
  Eigen::MatrixXd b;
  const Eigen::MatrixXd& A = active(X, b);
  Eigen::VectorXd g(static_cast<Eigen::Index>(hp_.size()));
  g(0) = variance() * (W * A).cwiseProduct(A).sum();
  if (has_offset()) g(1) = offset() * W.sum();
  return g;
}

Eigen::MatrixXd LinearKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  check_columns(x.cols(), "input_gradient");
  check_columns(X.cols(), "input_gradient");
  Eigen::MatrixXd b;
  return scatter_columns(variance() * active(X, b));
}

Eigen::RowVectorXd LinearKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  check_columns(x.cols(), "diag_input_gradient");
  return scatter_columns(Eigen::MatrixXd(2.0 * variance() * active_row(x))).row(0);
}

}  // namespace gpbo
