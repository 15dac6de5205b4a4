#include "kernels/squared_exponential.hpp"

namespace gpbo {

SquaredExponentialKernel::SquaredExponentialKernel(int input_dim, bool ard, std::vector<int> active_dims)
    : StationaryKernel(input_dim, ard, std::move(active_dims)) {}

std::unique_ptr<Kernel> SquaredExponentialKernel::clone() const { return std::make_unique<SquaredExponentialKernel>(*this); }

void SquaredExponentialKernel::profile(const Eigen::ArrayXXd& D2, Eigen::ArrayXXd& K, Eigen::ArrayXXd* dK) const {
  K = (-0.5 * D2).exp();
  if (dK) *dK = -0.5 * K;
}

}  // namespace gpbo
