#include "gpbo/kernels/white.hpp"

#include <cmath>
#include <stdexcept>

#include "gpbo/kernels/scale.hpp"

namespace gpbo {

WhiteKernel::WhiteKernel(int input_dim, double noise_variance, std::vector<int> active_dims)
    : LeafKernel(input_dim, std::move(active_dims)) {
  if (!(noise_variance > 0.0)) throw std::invalid_argument("white kernel: noise_variance must be positive");
  hp_.push_back(make_hyperparameter("noise_variance", noise_variance));
}

std::unique_ptr<Kernel> WhiteKernel::clone() const { return std::make_unique<WhiteKernel>(*this); }

Eigen::MatrixXd WhiteKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  check_columns(X1.cols(), "eval");
  check_columns(X2.cols(), "eval");
  return Eigen::MatrixXd::Zero(X1.rows(), X2.rows());  // independent noises (see the header)
}

Eigen::MatrixXd WhiteKernel::gram(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "gram");
  return Eigen::MatrixXd(diag(X).asDiagonal());
}

Eigen::VectorXd WhiteKernel::diag(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "diag");
  return Eigen::VectorXd::Constant(X.rows(), noise_variance());
}

Eigen::MatrixXd WhiteKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  if (j != 0) throw std::out_of_range("white kernel: hyperparameter index out of range");
  return gram(X);
}

Eigen::VectorXd WhiteKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  check_columns(X.cols(), "gram_gradient_contract");
  return Eigen::VectorXd::Constant(1, noise_variance() * W.trace());
}

Eigen::MatrixXd WhiteKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  check_columns(x.cols(), "input_gradient");
  return Eigen::MatrixXd::Zero(X.rows(), X.cols());
}

Eigen::RowVectorXd WhiteKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  return Eigen::RowVectorXd::Zero(x.cols());
}

double white_terms_variance(const Kernel& kernel) {
  double v = 0.0;
  for (const Kernel* term : kernel.additive_terms()) {
    if (const auto* white = dynamic_cast<const WhiteKernel*>(term)) v += white->noise_variance();
    // scale(se + white) = scale*se + scale*white: its white part is noise too.
    else if (const auto* scaled = dynamic_cast<const ScaleKernel*>(term)) v += scaled->outputscale() * white_terms_variance(scaled->base());
  }
  return v;
}

}  // namespace gpbo
