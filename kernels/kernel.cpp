#include "gpbo/kernels/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <stdexcept>

#include "gpbo/core/text_list.hpp"

namespace gpbo {
namespace {

// "lengthscale[3]" -> "lengthscale"; other names unchanged.
std::string strip_index(const std::string& name) {
  if (!name.empty() && name.back() == ']') {
    const auto open = name.rfind('[');
    if (open != std::string::npos) return name.substr(0, open);
  }
  return name;
}

// Whether `pattern` is `full` itself (with or without its "[i]" index), or, with `suffix`, a
// dot-separated ending of it.
bool selects(const std::string& pattern, const std::string& full, bool suffix) {
  const auto matches = [&](const std::string& n) {
    return n == pattern || (suffix && n.size() > pattern.size() &&
                            n.compare(n.size() - pattern.size(), pattern.size(), pattern) == 0 &&
                            n[n.size() - pattern.size() - 1] == '.');
  };
  return matches(full) || matches(strip_index(full));
}

}  // namespace

double Kernel::log_prior(Eigen::VectorXd* gradient) const {
  const auto hps = hyperparameters();
  if (gradient) *gradient = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(hps.size()));
  double total = 0.0;
  for (std::size_t i = 0; i < hps.size(); ++i) {
    if (!hps[i].prior) continue;
    total += hps[i].prior->log_density(hps[i].log_value);
    if (gradient) (*gradient)(static_cast<Eigen::Index>(i)) = hps[i].prior->log_density_gradient(hps[i].log_value);
  }
  return total;
}

void Kernel::set_hyperparameters(const std::vector<Hyperparameter>& hyperparameters) {
  const auto current = this->hyperparameters();
  if (hyperparameters.size() != current.size()) {
    throw std::invalid_argument("set_hyperparameters: expected " + std::to_string(current.size()) + " hyperparameters, got " +
                                std::to_string(hyperparameters.size()));
  }
  Eigen::VectorXd u(static_cast<Eigen::Index>(current.size()));
  for (std::size_t i = 0; i < current.size(); ++i) {
    const auto& a = current[i];
    const auto& b = hyperparameters[i];
    const bool same_prior = a.prior.has_value() == b.prior.has_value() &&
                            (!a.prior || a.prior->to_string() == b.prior->to_string());
    if (a.name != b.name || a.log_lower != b.log_lower || a.log_upper != b.log_upper || a.fixed != b.fixed || !same_prior) {
      throw std::invalid_argument("set_hyperparameters: this kernel only accepts new values (at '" + a.name + "')");
    }
    u(static_cast<Eigen::Index>(i)) = b.log_value;
  }
  set_log_params(u);
}

std::vector<std::size_t> Kernel::find_hyperparameters(const std::string& name) const {
  const auto hps = hyperparameters();
  std::vector<std::size_t> out;
  // A full name selects exactly that one ("k2.lengthscale[0]" of (se + matern32) * matern52 is
  // not also k1.k2.lengthscale[0]); otherwise every name ending in it.
  for (const bool suffix : {false, true}) {
    for (std::size_t i = 0; i < hps.size(); ++i)
      if (selects(name, hps[i].name, suffix)) out.push_back(i);
    if (!out.empty()) break;
  }
  return out;
}

namespace {
std::size_t modify(Kernel& k, const std::string& name, const std::function<void(Hyperparameter&)>& change) {
  auto hps = k.hyperparameters();
  const auto idx = k.find_hyperparameters(name);
  if (idx.empty()) {
    const std::string names = join_text(hps, [](const auto& h) { return h.name; });
    throw std::invalid_argument("no hyperparameter named '" + name + "' in kernel " + k.to_string() +
                                "; it has: " + (names.empty() ? "(none)" : names));
  }
  for (const auto i : idx) change(hps[i]);
  k.set_hyperparameters(hps);
  return idx.size();
}
void require_positive(double v, const std::string& what) {
  if (!(v > 0.0) || !std::isfinite(v)) throw std::invalid_argument(what + " must be positive and finite, got " + std::to_string(v));
}
}  // namespace

std::size_t Kernel::set_prior(const std::string& name, const Prior& prior) {
  return modify(*this, name, [&](Hyperparameter& h) { h.prior = prior; });
}

std::size_t Kernel::clear_prior(const std::string& name) {
  return modify(*this, name, [](Hyperparameter& h) { h.prior.reset(); });
}

std::size_t Kernel::set_bounds(const std::string& name, double lower, double upper) {
  require_positive(lower, "lower bound of '" + name + "'");
  require_positive(upper, "upper bound of '" + name + "'");
  if (!(lower < upper)) throw std::invalid_argument("bounds of '" + name + "': need lower < upper");
  return modify(*this, name, [&](Hyperparameter& h) {
    h.log_lower = std::log(lower);
    h.log_upper = std::log(upper);
    h.log_value = std::clamp(h.log_value, h.log_lower, h.log_upper);  // a fit would clamp it; a saved model must hold it
  });
}

std::size_t Kernel::fix(const std::string& name, bool fixed) {
  return modify(*this, name, [&](Hyperparameter& h) { h.fixed = fixed; });
}

std::size_t Kernel::set_value(const std::string& name, double value) {
  require_positive(value, "value of '" + name + "'");
  return modify(*this, name, [&](Hyperparameter& h) { h.log_value = std::log(value); });
}

Eigen::VectorXd Kernel::gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                       double& weighted_sum) const {
  weighted_sum = W.cwiseProduct(gram(X)).sum();
  return gram_gradient_contract(X, W);
}

Eigen::VectorXd Kernel::gram_gradient_contract_given_gram(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                          const Eigen::MatrixXd&, double, double& weighted_sum,
                                                          const Eigen::MatrixXd*) const {
  return gram_gradient_contract_and_sum(X, W, weighted_sum);
}

Eigen::MatrixXd Kernel::input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                 Eigen::VectorXd& value) const {
  const Eigen::MatrixXd xm = x;
  value = eval(xm, X).row(0).transpose();
  return input_gradient(x, X);
}

}  // namespace gpbo
