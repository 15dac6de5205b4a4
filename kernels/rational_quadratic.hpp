#pragma once
// Rational quadratic kernel k = (1 + r^2 / (2 alpha))^(-alpha), unit amplitude: a scale mixture of
// squared exponentials (alpha -> infinity gives the SE kernel). Hyperparameters: the length
// scales, then "alpha". String name "rq".

#include "gpbo/kernels/stationary.hpp"

namespace gpbo {

class RationalQuadraticKernel : public StationaryKernel {
 public:
  /// ARD (one length scale per active dimension) unless ard = false; active_dims empty = all.
  explicit RationalQuadraticKernel(int input_dim, bool ard = true, std::vector<int> active_dims = {}, double alpha = 1.0);
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string name() const override { return "rq"; }
  [[nodiscard]] double alpha() const { return std::exp(hp_.back().log_value); }

 protected:
  void profile(const double* D2, Eigen::Index n, double* K, double* dK) const override;
  void profile_derivative(const double* D2, const double* K, Eigen::Index n, double* dK) const override;
  void extra_gradient(std::size_t e, const double* D2, const double* K, Eigen::Index n, double* out) const override;
};

}  // namespace gpbo
