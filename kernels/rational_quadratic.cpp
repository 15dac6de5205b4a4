#include "gpbo/kernels/rational_quadratic.hpp"

#include <cmath>
#include <stdexcept>

#include "gpbo/kernels/elementwise.hpp"

namespace gpbo {

RationalQuadraticKernel::RationalQuadraticKernel(int input_dim, bool ard, std::vector<int> active_dims, double alpha)
    : StationaryKernel(input_dim, ard, std::move(active_dims)) {
  if (!(alpha > 0.0)) throw std::invalid_argument("rq kernel: alpha must be positive");
  hp_.push_back(make_hyperparameter("alpha", alpha));
}

std::unique_ptr<Kernel> RationalQuadraticKernel::clone() const { return std::make_unique<RationalQuadraticKernel>(*this); }

// With t = D2 / (2 alpha): k = exp(-alpha log1p(t)), dk/dD2 = -k / (2 (1 + t)).
void RationalQuadraticKernel::profile(const double* D2, Eigen::Index n, double* K, double* dK) const {
  const double a = alpha();
  for_each_chunk(n, [&](Eigen::Index i0, Eigen::Index m) {
    double t_buf[kElementwiseChunk];
    Eigen::Map<Eigen::ArrayXd> t(t_buf, m), k(K + i0, m);
    t = Eigen::Map<const Eigen::ArrayXd>(D2 + i0, m) * (0.5 / a);  // read before K (may alias D2) is written
    k = t;
    log1p_in_place(k);
    k *= -a;
    exp_in_place(k);
    if (dK) Eigen::Map<Eigen::ArrayXd>(dK + i0, m) = -0.5 * k / (1.0 + t);
  });
}

void RationalQuadraticKernel::profile_derivative(const double* D2, const double* K, Eigen::Index n, double* dK) const {
  Eigen::Map<Eigen::ArrayXd>(dK, n) =
      -0.5 * Eigen::Map<const Eigen::ArrayXd>(K, n) / (1.0 + Eigen::Map<const Eigen::ArrayXd>(D2, n) * (0.5 / alpha()));
}

// dk/du_alpha = alpha dk/dalpha = alpha k (t / (1 + t) - log1p(t)).
void RationalQuadraticKernel::extra_gradient(std::size_t e, const double* D2, const double* K, Eigen::Index n, double* out) const {
  if (e != 0) throw std::out_of_range("rq kernel: no extra hyperparameter " + std::to_string(e));
  const double a = alpha();
  for_each_chunk(n, [&](Eigen::Index i0, Eigen::Index m) {
    double t_buf[kElementwiseChunk], l_buf[kElementwiseChunk];
    Eigen::Map<Eigen::ArrayXd> t(t_buf, m), l(l_buf, m);
    t = Eigen::Map<const Eigen::ArrayXd>(D2 + i0, m) * (0.5 / a);
    l = t;
    log1p_in_place(l);
    const Eigen::Map<const Eigen::ArrayXd> k(K + i0, m);
    // Where k underflowed to 0 (t may be inf: inf / inf), the derivative is 0, not NaN.
    Eigen::Map<Eigen::ArrayXd>(out + i0, m) = (k == 0.0).select(0.0, a * k * (t / (1.0 + t) - l));
  });
}

}  // namespace gpbo
