#include "gpbo/kernels/sum.hpp"

#include <stdexcept>

namespace gpbo {
SumKernel::SumKernel(std::vector<KernelPtr> terms) : CompositeKernel(std::move(terms), {}) {
  if (children_.size() < 2) throw std::invalid_argument("sum kernel: needs at least two terms");
}
SumKernel::SumKernel(KernelPtr a, KernelPtr b) : SumKernel(pair_of(std::move(a), std::move(b))) {}

std::unique_ptr<Kernel> SumKernel::clone() const { return std::make_unique<SumKernel>(*this); }

std::string SumKernel::expression() const {
  std::string s;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    // A nested sum keeps its parentheses, as a nested product does: flattened, it would parse
    // back as one sum with other hyperparameter names (k2.k1.noise_variance would become k2.noise_variance).
    const bool group = dynamic_cast<const SumKernel*>(children_[i].get()) != nullptr;
    s += (i ? " + " : "") + (group ? "(" + children_[i]->expression() + ")" : children_[i]->expression());
  }
  return s;
}

std::vector<const Kernel*> SumKernel::additive_terms() const {
  std::vector<const Kernel*> terms;
  for (const auto& c : children_) {
    for (const Kernel* t : c->additive_terms()) terms.push_back(t);
  }
  return terms;
}

bool SumKernel::has_amplitude() const {
  for (const auto& c : children_) {
    if (!c->has_amplitude()) return false;
  }
  return true;
}

Eigen::MatrixXd SumKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  Eigen::MatrixXd K = children_[0]->eval(X1, X2);
  for (std::size_t i = 1; i < children_.size(); ++i) K += children_[i]->eval(X1, X2);
  return K;
}

Eigen::MatrixXd SumKernel::gram(const Eigen::MatrixXd& X) const {
  Eigen::MatrixXd K = children_[0]->gram(X);
  for (std::size_t i = 1; i < children_.size(); ++i) K += children_[i]->gram(X);
  return K;
}

Eigen::VectorXd SumKernel::diag(const Eigen::MatrixXd& X) const {
  Eigen::VectorXd d = children_[0]->diag(X);
  for (std::size_t i = 1; i < children_.size(); ++i) d += children_[i]->diag(X);
  return d;
}

Eigen::MatrixXd SumKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  const auto [c, jc] = locate(j);
  return children_[c]->gram_gradient(X, jc);
}

Eigen::VectorXd SumKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  const auto offsets = child_offsets();
  Eigen::VectorXd g(static_cast<Eigen::Index>(offsets.back()));
  for (std::size_t i = 0; i < children_.size(); ++i) {
    g.segment(static_cast<Eigen::Index>(offsets[i]), static_cast<Eigen::Index>(offsets[i + 1] - offsets[i])) =
        children_[i]->gram_gradient_contract(X, W);
  }
  return g;
}

Eigen::VectorXd SumKernel::gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                          double& weighted_sum) const {
  const auto offsets = child_offsets();
  Eigen::VectorXd g(static_cast<Eigen::Index>(offsets.back()));
  weighted_sum = 0.0;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    double s = 0.0;
    g.segment(static_cast<Eigen::Index>(offsets[i]), static_cast<Eigen::Index>(offsets[i + 1] - offsets[i])) =
        children_[i]->gram_gradient_contract_and_sum(X, W, s);
    weighted_sum += s;
  }
  return g;
}

Eigen::MatrixXd SumKernel::input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                    Eigen::VectorXd& value) const {
  Eigen::MatrixXd G = children_[0]->input_gradient_and_value(x, X, value);
  Eigen::VectorXd v;
  for (std::size_t i = 1; i < children_.size(); ++i) {
    G += children_[i]->input_gradient_and_value(x, X, v);
    value += v;
  }
  return G;
}

Eigen::MatrixXd SumKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  Eigen::VectorXd unused;
  return input_gradient_and_value(x, X, unused);
}

Eigen::RowVectorXd SumKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  Eigen::RowVectorXd g = children_[0]->diag_input_gradient(x);
  for (std::size_t i = 1; i < children_.size(); ++i) g += children_[i]->diag_input_gradient(x);
  return g;
}

}  // namespace gpbo
