#pragma once
// Common base of kernels built from other kernels (sum, product, scale). Owns the children and
// any hyperparameters of its own; hyperparameters() lists its own first, then each child's,
// names prefixed by child_prefix(i) ("k1.", "k2.", ... for sums and products).

#include <string>
#include <vector>

#include "gpbo/kernels/kernel.hpp"

namespace gpbo {

class CompositeKernel : public Kernel {
 public:
  CompositeKernel(const CompositeKernel& other);
  CompositeKernel& operator=(const CompositeKernel&) = delete;

  [[nodiscard]] std::vector<Hyperparameter> hyperparameters() const override;
  [[nodiscard]] Eigen::VectorXd log_params() const override;
  void set_log_params(const Eigen::VectorXd& u) override;
  void set_hyperparameters(const std::vector<Hyperparameter>& hyperparameters) override;
  [[nodiscard]] std::string to_string() const override;

  [[nodiscard]] std::size_t num_children() const { return children_.size(); }
  [[nodiscard]] const Kernel& child(std::size_t i) const { return *children_.at(i); }
  [[nodiscard]] Kernel& child(std::size_t i) { return *children_.at(i); }

 protected:
  CompositeKernel(std::vector<KernelPtr> children, std::vector<Hyperparameter> own);
  /// {a, b} as a children vector (unique_ptr cannot go through an initializer list).
  static std::vector<KernelPtr> pair_of(KernelPtr a, KernelPtr b);
  [[nodiscard]] virtual std::string child_prefix(std::size_t i) const { return "k" + std::to_string(i + 1) + "."; }
  /// Index of the first hyperparameter of child i within hyperparameters(), and the child's count.
  [[nodiscard]] std::vector<std::size_t> child_offsets() const;
  /// Which child hyperparameter j (>= own count) belongs to, and its index within that child.
  [[nodiscard]] std::pair<std::size_t, std::size_t> locate(std::size_t j) const;

  std::vector<KernelPtr> children_;
  std::vector<Hyperparameter> own_;
};

}  // namespace gpbo
