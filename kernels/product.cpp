#include "gpbo/kernels/product.hpp"

#include <stdexcept>

namespace gpbo {
ProductKernel::ProductKernel(std::vector<KernelPtr> factors) : CompositeKernel(std::move(factors), {}) {
  if (children_.size() < 2) throw std::invalid_argument("product kernel: needs at least two factors");
}
ProductKernel::ProductKernel(KernelPtr a, KernelPtr b) : ProductKernel(pair_of(std::move(a), std::move(b))) {}

std::unique_ptr<Kernel> ProductKernel::clone() const { return std::make_unique<ProductKernel>(*this); }

std::string ProductKernel::expression() const {
  std::string s;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    // A nested product keeps its parentheses too: flattened, it would parse back as one product
    // with other hyperparameter names (k1.k1.lengthscale would become k1.lengthscale).
    const bool group = children_[i]->additive_terms().size() > 1 || dynamic_cast<const ProductKernel*>(children_[i].get());
    s += (i ? " * " : "") + (group ? "(" + children_[i]->expression() + ")" : children_[i]->expression());
  }
  return s;
}

bool ProductKernel::has_amplitude() const {
  for (const auto& c : children_) {
    if (c->has_amplitude()) return true;
  }
  return false;
}

Eigen::MatrixXd ProductKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  Eigen::MatrixXd K = children_[0]->eval(X1, X2);
  for (std::size_t i = 1; i < children_.size(); ++i) K.array() *= children_[i]->eval(X1, X2).array();
  return K;
}

Eigen::MatrixXd ProductKernel::gram(const Eigen::MatrixXd& X) const {
  Eigen::MatrixXd K = children_[0]->gram(X);
  for (std::size_t i = 1; i < children_.size(); ++i) K.array() *= children_[i]->gram(X).array();
  return K;
}

Eigen::VectorXd ProductKernel::diag(const Eigen::MatrixXd& X) const {
  Eigen::VectorXd d = children_[0]->diag(X);
  for (std::size_t i = 1; i < children_.size(); ++i) d.array() *= children_[i]->diag(X).array();
  return d;
}

Eigen::ArrayXXd ProductKernel::product_except(const std::vector<Eigen::MatrixXd>& grams, std::size_t skip) const {
  Eigen::ArrayXXd P = Eigen::ArrayXXd::Ones(grams[0].rows(), grams[0].cols());
  for (std::size_t i = 0; i < grams.size(); ++i) {
    if (i != skip) P *= grams[i].array();
  }
  return P;
}

Eigen::MatrixXd ProductKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  const auto [c, jc] = locate(j);
  Eigen::MatrixXd G = children_[c]->gram_gradient(X, jc);
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (i != c) G.array() *= children_[i]->gram(X).array();
  }
  return G;
}

Eigen::VectorXd ProductKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  double unused = 0.0;
  return gram_gradient_contract_and_sum(X, W, unused);
}

Eigen::VectorXd ProductKernel::gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                              double& weighted_sum) const {
  std::vector<Eigen::MatrixXd> grams;
  grams.reserve(children_.size());
  for (const auto& c : children_) grams.push_back(c->gram(X));
  const auto offsets = child_offsets();
  Eigen::VectorXd g(static_cast<Eigen::Index>(offsets.back()));
  for (std::size_t i = 0; i < children_.size(); ++i) {
    const Eigen::MatrixXd Wi = (W.array() * product_except(grams, i)).matrix();
    g.segment(static_cast<Eigen::Index>(offsets[i]), static_cast<Eigen::Index>(offsets[i + 1] - offsets[i])) =
        children_[i]->gram_gradient_contract(X, Wi);
  }
  weighted_sum = (W.array() * product_except(grams, children_.size())).sum();
  return g;
}

Eigen::MatrixXd ProductKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  Eigen::VectorXd unused;
  return input_gradient_and_value(x, X, unused);
}

Eigen::MatrixXd ProductKernel::input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                        Eigen::VectorXd& value) const {
  std::vector<Eigen::VectorXd> values(children_.size());
  std::vector<Eigen::MatrixXd> grads(children_.size());
  for (std::size_t i = 0; i < children_.size(); ++i) grads[i] = children_[i]->input_gradient_and_value(x, X, values[i]);
  Eigen::MatrixXd G = Eigen::MatrixXd::Zero(X.rows(), X.cols());
  for (std::size_t i = 0; i < children_.size(); ++i) {
    Eigen::ArrayXd others = Eigen::ArrayXd::Ones(X.rows());
    for (std::size_t o = 0; o < children_.size(); ++o) {
      if (o != i) others *= values[o].array();
    }
    G += (grads[i].array().colwise() * others).matrix();
  }
  value = values[0];
  for (std::size_t i = 1; i < children_.size(); ++i) value.array() *= values[i].array();
  return G;
}

Eigen::RowVectorXd ProductKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  const Eigen::MatrixXd xm = x;
  std::vector<double> values;
  for (const auto& c : children_) values.push_back(c->diag(xm)(0));
  Eigen::RowVectorXd g = Eigen::RowVectorXd::Zero(x.cols());
  for (std::size_t i = 0; i < children_.size(); ++i) {
    double others = 1.0;
    for (std::size_t o = 0; o < children_.size(); ++o) {
      if (o != i) others *= values[o];
    }
    g += others * children_[i]->diag_input_gradient(x);
  }
  return g;
}

}  // namespace gpbo
