#pragma once
// Squared exponential (RBF) kernel k = exp(-r^2 / 2), unit amplitude; string name "se" or "rbf".

#include "gpbo/kernels/stationary.hpp"

namespace gpbo {

class SquaredExponentialKernel : public StationaryKernel {
 public:
  /// ARD (one length scale per active dimension) unless ard = false; active_dims empty = all.
  explicit SquaredExponentialKernel(int input_dim, bool ard = true, std::vector<int> active_dims = {});
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string name() const override { return "se"; }

 protected:
  void profile(const double* D2, Eigen::Index n, double* K, double* dK) const override;
  void profile_derivative(const double* D2, const double* K, Eigen::Index n, double* dK) const override;
};

}  // namespace gpbo
