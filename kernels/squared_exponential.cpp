#include "gpbo/kernels/squared_exponential.hpp"

#include "gpbo/kernels/elementwise.hpp"

namespace gpbo {

SquaredExponentialKernel::SquaredExponentialKernel(int input_dim, bool ard, std::vector<int> active_dims)
    : StationaryKernel(input_dim, ard, std::move(active_dims)) {}

std::unique_ptr<Kernel> SquaredExponentialKernel::clone() const { return std::make_unique<SquaredExponentialKernel>(*this); }

void SquaredExponentialKernel::profile(const double* D2, Eigen::Index n, double* K, double* dK) const {
  Eigen::Map<Eigen::ArrayXd> k(K, n);
  k = -0.5 * Eigen::Map<const Eigen::ArrayXd>(D2, n);
  exp_in_place(k);
  if (dK) Eigen::Map<Eigen::ArrayXd>(dK, n) = -0.5 * k;
}

void SquaredExponentialKernel::profile_derivative(const double*, const double* K, Eigen::Index n, double* dK) const {
  Eigen::Map<Eigen::ArrayXd>(dK, n) = -0.5 * Eigen::Map<const Eigen::ArrayXd>(K, n);
}

}  // namespace gpbo
