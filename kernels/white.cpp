#include "gpbo/kernels/white.hpp"

#include <cmath>
#include <stdexcept>

#include "gpbo/kernels/product.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/sum.hpp"

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

bool has_white(const Kernel& kernel) {
  if (dynamic_cast<const WhiteKernel*>(&kernel)) return true;
  const auto* composite = dynamic_cast<const CompositeKernel*>(&kernel);
  if (!composite) return false;
  for (std::size_t i = 0; i < composite->num_children(); ++i)
    if (has_white(composite->child(i))) return true;
  return false;
}

KernelPtr without_white(const Kernel& kernel) {
  if (!has_white(kernel)) return kernel.clone();
  if (dynamic_cast<const WhiteKernel*>(&kernel)) return nullptr;
  if (const auto* scaled = dynamic_cast<const ScaleKernel*>(&kernel)) {
    KernelPtr base = without_white(scaled->base());
    return base ? std::make_unique<ScaleKernel>(std::move(base), scaled->outputscale()) : nullptr;
  }
  const auto* composite = dynamic_cast<const CompositeKernel*>(&kernel);
  const bool product = dynamic_cast<const ProductKernel*>(&kernel) != nullptr;
  if (!composite || (!product && !dynamic_cast<const SumKernel*>(&kernel)))
    throw std::logic_error("without_white: unknown composite kernel " + kernel.to_string());
  std::vector<KernelPtr> parts;
  for (std::size_t i = 0; i < composite->num_children(); ++i) {
    KernelPtr part = without_white(composite->child(i));
    if (part) {
      parts.push_back(std::move(part));
    } else if (product) {
      return nullptr;  // a white factor: the product is zero between distinct points
    }
  }
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return std::move(parts.front());
  if (product) return std::make_unique<ProductKernel>(std::move(parts));
  return std::make_unique<SumKernel>(std::move(parts));
}

}  // namespace gpbo
