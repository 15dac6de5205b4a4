#include "gpbo/kernels/scale.hpp"

#include <cmath>
#include <stdexcept>

namespace gpbo {
namespace {
std::vector<KernelPtr> one(KernelPtr k) {
  std::vector<KernelPtr> v;
  v.push_back(std::move(k));
  return v;
}
Hyperparameter outputscale_hp(double value) {
  if (!(value > 0.0)) throw std::invalid_argument("scale kernel: outputscale must be positive");
  Hyperparameter h;
  h.name = "outputscale";
  h.log_value = std::log(value);
  return h;
}
}  // namespace

ScaleKernel::ScaleKernel(KernelPtr base, double outputscale) : CompositeKernel(one(std::move(base)), {outputscale_hp(outputscale)}) {}

std::string ScaleKernel::child_prefix(std::size_t) const {
  // Only a scale(...) base names a hyperparameter "outputscale" unprefixed; asking the base for
  // its list here made nested scales exponential in their depth.
  return dynamic_cast<const ScaleKernel*>(&base()) ? "base." : "";
}

std::unique_ptr<Kernel> ScaleKernel::clone() const { return std::make_unique<ScaleKernel>(*this); }

std::string ScaleKernel::expression() const { return "scale(" + base().expression() + ")"; }

Eigen::MatrixXd ScaleKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  return outputscale() * base().eval(X1, X2);
}
Eigen::MatrixXd ScaleKernel::gram(const Eigen::MatrixXd& X) const {
  Eigen::MatrixXd K = base().gram(X);
  K *= outputscale();  // in place: no second n x n matrix
  return K;
}
Eigen::MatrixXd ScaleKernel::gram_with_derivative(const Eigen::MatrixXd& X, Eigen::MatrixXd& derivative,
                                                  double factor) const {
  return base().gram_with_derivative(X, derivative, factor * outputscale());  // derivative: the base's own
}
Eigen::VectorXd ScaleKernel::diag(const Eigen::MatrixXd& X) const { return outputscale() * base().diag(X); }

Eigen::MatrixXd ScaleKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  if (j == 0) return gram(X);
  const auto [c, jc] = locate(j);
  return outputscale() * children_[c]->gram_gradient(X, jc);
}

Eigen::VectorXd ScaleKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  double unused = 0.0;
  return gram_gradient_contract_and_sum(X, W, unused);
}

Eigen::VectorXd ScaleKernel::gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                            double& weighted_sum) const {
  double base_sum = 0.0;
  const Eigen::VectorXd gb = base().gram_gradient_contract_and_sum(X, W, base_sum);
  return with_outputscale(gb, base_sum, weighted_sum);
}

Eigen::VectorXd ScaleKernel::gram_gradient_contract_given_gram(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                               const Eigen::MatrixXd& gram, double factor,
                                                               double& weighted_sum, const Eigen::MatrixXd* derivative) const {
  double base_sum = 0.0;
  const Eigen::VectorXd gb =
      base().gram_gradient_contract_given_gram(X, W, gram, factor * outputscale(), base_sum, derivative);
  return with_outputscale(gb, base_sum, weighted_sum);
}

Eigen::VectorXd ScaleKernel::with_outputscale(const Eigen::VectorXd& base_gradient, double base_sum,
                                              double& weighted_sum) const {
  // d(s k)/du_s = s k for u_s = log s; the base's gradients scale by s.
  const double s = outputscale();
  Eigen::VectorXd g(base_gradient.size() + 1);
  g(0) = s * base_sum;
  g.tail(base_gradient.size()) = s * base_gradient;
  weighted_sum = s * base_sum;
  return g;
}

Eigen::MatrixXd ScaleKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  Eigen::VectorXd unused;
  return input_gradient_and_value(x, X, unused);
}

Eigen::MatrixXd ScaleKernel::input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                      Eigen::VectorXd& value) const {
  Eigen::MatrixXd G = base().input_gradient_and_value(x, X, value);
  value *= outputscale();
  G *= outputscale();
  return G;
}

Eigen::RowVectorXd ScaleKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  return outputscale() * base().diag_input_gradient(x);
}

}  // namespace gpbo
