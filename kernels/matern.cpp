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
  // In stack-sized chunks: one Gram column at a time is too short to amortize heap temporaries.
  // D2 and K may be the same array; each chunk reads D2 before it writes K.
  for_each_chunk(n, [&](Eigen::Index i0, Eigen::Index m) {
    double s_buf[kElementwiseChunk], e_buf[kElementwiseChunk];
    const Eigen::Map<const Eigen::ArrayXd> d2(D2 + i0, m);
    Eigen::Map<Eigen::ArrayXd> s(s_buf, m), e(e_buf, m), k(K + i0, m);
    switch (nu_) {
      case Nu::Half: s = d2.sqrt(); break;
      case Nu::ThreeHalves: s = (3.0 * d2).sqrt(); break;
      case Nu::FiveHalves: s = (5.0 * d2).sqrt(); break;
    }
    e = -s;
    exp_in_place(e);
    switch (nu_) {
      case Nu::Half:
        k = e;
        if (dK) Eigen::Map<Eigen::ArrayXd>(dK + i0, m) = (s > 0.0).select(-0.5 * e / s, 0.0);
        return;
      case Nu::ThreeHalves:
        k = (1.0 + s) * e;
        if (dK) Eigen::Map<Eigen::ArrayXd>(dK + i0, m) = -1.5 * e;
        return;
      case Nu::FiveHalves:
        k = (1.0 + s + s.square() * (1.0 / 3.0)) * e;
        if (dK) Eigen::Map<Eigen::ArrayXd>(dK + i0, m) = (-5.0 / 6.0) * (1.0 + s) * e;
        return;
    }
  });
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
