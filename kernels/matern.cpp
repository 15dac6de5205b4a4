#include "kernels/matern.hpp"

#include <cmath>

namespace gpbo {

MaternKernel::MaternKernel(Nu nu, int input_dim, bool ard, std::vector<int> active_dims)
    : StationaryKernel(input_dim, ard, std::move(active_dims)), nu_(nu) {}

std::unique_ptr<Kernel> MaternKernel::clone() const { return std::make_unique<MaternKernel>(*this); }

std::string MaternKernel::name() const {
  switch (nu_) {
    case Nu::Half: return "matern12";
    case Nu::ThreeHalves: return "matern32";
    case Nu::FiveHalves: return "matern52";
  }
  return "matern52";
}

// dK = dk/d(r^2) = k'(r) / (2 r):
//   nu = 1/2: -exp(-r) / (2 r), set to 0 at r = 0;  3/2: -(3/2) exp(-sqrt3 r);
//   5/2: -(5/6) (1 + sqrt5 r) exp(-sqrt5 r).
void MaternKernel::profile(const Eigen::ArrayXXd& D2, Eigen::ArrayXXd& K, Eigen::ArrayXXd* dK) const {
  switch (nu_) {
    case Nu::Half: {
      const Eigen::ArrayXXd r = D2.sqrt();
      K = (-r).exp();
      if (dK) *dK = (r > 0.0).select(-0.5 * K / r, 0.0);
      return;
    }
    case Nu::ThreeHalves: {
      const Eigen::ArrayXXd s = (3.0 * D2).sqrt();
      const Eigen::ArrayXXd e = (-s).exp();
      K = (1.0 + s) * e;
      if (dK) *dK = -1.5 * e;
      return;
    }
    case Nu::FiveHalves: {
      const Eigen::ArrayXXd s = (5.0 * D2).sqrt();
      const Eigen::ArrayXXd e = (-s).exp();
      K = (1.0 + s + s.square() * (1.0 / 3.0)) * e;
      if (dK) *dK = (-5.0 / 6.0) * (1.0 + s) * e;
      return;
    }
  }
}

}  // namespace gpbo
