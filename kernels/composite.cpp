#include "gpbo/kernels/composite.hpp"

#include <stdexcept>

namespace gpbo {

std::vector<KernelPtr> CompositeKernel::pair_of(KernelPtr a, KernelPtr b) {
  std::vector<KernelPtr> v;
  v.push_back(std::move(a));
  v.push_back(std::move(b));
  return v;
}

CompositeKernel::CompositeKernel(std::vector<KernelPtr> children, std::vector<Hyperparameter> own)
    : children_(std::move(children)), own_(std::move(own)) {
  for (const auto& c : children_) {
    if (!c) throw std::invalid_argument("composite kernel: null child kernel");
  }
}

CompositeKernel::CompositeKernel(const CompositeKernel& other) : Kernel(other), own_(other.own_) {
  children_.reserve(other.children_.size());
  for (const auto& c : other.children_) children_.push_back(c->clone());
}

std::vector<Hyperparameter> CompositeKernel::hyperparameters() const {
  std::vector<Hyperparameter> all = own_;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    // Once per child: scale(...)'s prefix lists its base's hyperparameters, so asking per
    // hyperparameter made nested scales factorial (4 s for ten levels).
    const std::string prefix = child_prefix(i);
    for (auto h : children_[i]->hyperparameters()) {
      h.name = prefix + h.name;
      all.push_back(std::move(h));
    }
  }
  return all;
}

std::vector<std::size_t> CompositeKernel::child_offsets() const {
  std::vector<std::size_t> offsets(children_.size() + 1);
  offsets[0] = own_.size();
  for (std::size_t i = 0; i < children_.size(); ++i) offsets[i + 1] = offsets[i] + children_[i]->num_hyperparameters();
  return offsets;
}

std::pair<std::size_t, std::size_t> CompositeKernel::locate(std::size_t j) const {
  const auto offsets = child_offsets();
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (j >= offsets[i] && j < offsets[i + 1]) return {i, j - offsets[i]};
  }
  throw std::out_of_range("kernel " + to_string() + ": hyperparameter index " + std::to_string(j) + " out of range");
}

Eigen::VectorXd CompositeKernel::log_params() const {
  const auto offsets = child_offsets();
  Eigen::VectorXd u(static_cast<Eigen::Index>(offsets.back()));
  for (std::size_t i = 0; i < own_.size(); ++i) u(static_cast<Eigen::Index>(i)) = own_[i].log_value;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    u.segment(static_cast<Eigen::Index>(offsets[i]), static_cast<Eigen::Index>(offsets[i + 1] - offsets[i])) = children_[i]->log_params();
  }
  return u;
}

void CompositeKernel::set_log_params(const Eigen::VectorXd& u) {
  const auto offsets = child_offsets();
  if (u.size() != static_cast<Eigen::Index>(offsets.back())) {
    throw std::invalid_argument("kernel " + to_string() + ": expected " + std::to_string(offsets.back()) +
                                " log parameters, got " + std::to_string(u.size()));
  }
  for (std::size_t i = 0; i < own_.size(); ++i) own_[i].log_value = u(static_cast<Eigen::Index>(i));
  for (std::size_t i = 0; i < children_.size(); ++i) {
    children_[i]->set_log_params(u.segment(static_cast<Eigen::Index>(offsets[i]), static_cast<Eigen::Index>(offsets[i + 1] - offsets[i])));
  }
}

void CompositeKernel::set_hyperparameters(const std::vector<Hyperparameter>& hyperparameters) {
  const auto offsets = child_offsets();
  if (hyperparameters.size() != offsets.back()) {
    throw std::invalid_argument("kernel " + to_string() + ": expected " + std::to_string(offsets.back()) +
                                " hyperparameters, got " + std::to_string(hyperparameters.size()));
  }
  for (std::size_t i = 0; i < own_.size(); ++i) {
    if (hyperparameters[i].name != own_[i].name) {
      throw std::invalid_argument("kernel " + to_string() + ": hyperparameter " + std::to_string(i) + " is '" + own_[i].name +
                                  "', not '" + hyperparameters[i].name + "'");
    }
    // As leaves check theirs: a saved kernel with upside-down bounds would not load again.
    if (!(hyperparameters[i].log_lower <= hyperparameters[i].log_upper))
      throw std::invalid_argument("kernel " + to_string() + ": bounds of '" + own_[i].name + "' are not ordered");
  }
  // Validate every child's part before changing anything, so a failure leaves the kernel intact.
  std::vector<std::vector<Hyperparameter>> parts(children_.size());
  for (std::size_t i = 0; i < children_.size(); ++i) {
    const std::string prefix = child_prefix(i);
    for (std::size_t j = offsets[i]; j < offsets[i + 1]; ++j) {
      Hyperparameter h = hyperparameters[j];
      if (h.name.compare(0, prefix.size(), prefix) != 0) {
        throw std::invalid_argument("kernel " + to_string() + ": hyperparameter " + std::to_string(j) + " should start with '" +
                                    prefix + "', got '" + h.name + "'");
      }
      h.name.erase(0, prefix.size());
      parts[i].push_back(std::move(h));
    }
  }
  std::vector<KernelPtr> updated;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    updated.push_back(children_[i]->clone());
    updated.back()->set_hyperparameters(parts[i]);
  }
  children_ = std::move(updated);
  for (std::size_t i = 0; i < own_.size(); ++i) own_[i] = hyperparameters[i];
}

std::string CompositeKernel::to_string() const {
  for (const Kernel* term : additive_terms()) {
    if (!term->has_amplitude()) return "unscaled(" + expression() + ")";
  }
  return expression();
}

}  // namespace gpbo
