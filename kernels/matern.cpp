#include "gpbo/kernels/matern.hpp"

#include <cmath>

#include "gpbo/kernels/elementwise.hpp"

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
void MaternKernel::profile(const double* D2, Eigen::Index n, double* K, double* dK) const {
  const Eigen::Map<const Eigen::ArrayXd> d2(D2, n);
  Eigen::Map<Eigen::ArrayXd> k(K, n);
  switch (nu_) {
    case Nu::Half: {
      const Eigen::ArrayXd r = d2.sqrt();
      k = -r;
      exp_in_place(k);
      if (dK) Eigen::Map<Eigen::ArrayXd>(dK, n) = (r > 0.0).select(-0.5 * k / r, 0.0);
      return;
    }
    case Nu::ThreeHalves: {
      const Eigen::ArrayXd s = (3.0 * d2).sqrt();
      Eigen::ArrayXd e = -s;
      exp_in_place(e);
      k = (1.0 + s) * e;
      if (dK) Eigen::Map<Eigen::ArrayXd>(dK, n) = -1.5 * e;
      return;
    }
    case Nu::FiveHalves: {
      const Eigen::ArrayXd s = (5.0 * d2).sqrt();
      Eigen::ArrayXd e = -s;
      exp_in_place(e);
      k = (1.0 + s + s.square() * (1.0 / 3.0)) * e;
      if (dK) Eigen::Map<Eigen::ArrayXd>(dK, n) = (-5.0 / 6.0) * (1.0 + s) * e;
      return;
    }
  }
}

// The same derivatives from k: e = k / (polynomial in s), so no exp is needed.
void MaternKernel::profile_derivative(const double* D2, const double* K, Eigen::Index n, double* dK) const {
  const Eigen::Map<const Eigen::ArrayXd> d2(D2, n), k(K, n);
  Eigen::Map<Eigen::ArrayXd> dk(dK, n);
  switch (nu_) {
    case Nu::Half:
      dk = d2.sqrt();
      dk = (dk > 0.0).select(-0.5 * k / dk, 0.0);
      return;
    case Nu::ThreeHalves:
      dk = -1.5 * k / (1.0 + (3.0 * d2).sqrt());
      return;
    case Nu::FiveHalves:
      dk = (5.0 * d2).sqrt();
      dk = (-5.0 / 6.0) * (1.0 + dk) * k / (1.0 + dk + dk.square() * (1.0 / 3.0));
      return;
  }
}

}  // namespace gpbo
