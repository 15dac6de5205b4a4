#pragma once
// Matérn kernels with smoothness nu = 1/2, 3/2, 5/2 and unit amplitude, r = scaled distance:
//   nu = 1/2: exp(-r);  3/2: (1 + sqrt3 r) exp(-sqrt3 r);  5/2: (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r).
// String names "matern12", "matern32", "matern52". Matérn 1/2 is not differentiable where
// x = x'; its input gradient there is reported as 0.

#include "gpbo/kernels/stationary.hpp"

namespace gpbo {

class MaternKernel : public StationaryKernel {
 public:
  enum class Nu { Half, ThreeHalves, FiveHalves };
  /// ARD (one length scale per active dimension) unless ard = false; active_dims empty = all.
  MaternKernel(Nu nu, int input_dim, bool ard = true, std::vector<int> active_dims = {});
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string name() const override;
  [[nodiscard]] Nu nu() const { return nu_; }

 protected:
  void profile(const double* D2, Eigen::Index n, double* K, double* dK) const override;
  void profile_derivative(const double* D2, const double* K, Eigen::Index n, double* dK) const override;

 private:
  Nu nu_;
};

}  // namespace gpbo
