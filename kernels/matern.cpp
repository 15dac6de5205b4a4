#include "gpbo/kernels/matern.hpp"

#include <cmath>

#include "gpbo/kernels/elementwise.hpp"
#include "gpbo/kernels/matern_loops.hpp"

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

namespace {
int two_nu(MaternKernel::Nu nu) {
  switch (nu) {
    case MaternKernel::Nu::Half: return 1;
    case MaternKernel::Nu::ThreeHalves: return 3;
    case MaternKernel::Nu::FiveHalves: return 5;
  }
  return 5;
}
}  // namespace

// dK = dk/d(r^2) = k'(r) / (2 r):
//   nu = 1/2: -exp(-r) / (2 r), set to 0 at r = 0;  3/2: -(3/2) exp(-sqrt3 r);
//   5/2: -(5/6) (1 + sqrt5 r) exp(-sqrt5 r).
void MaternKernel::profile(const double* D2, Eigen::Index n, double* K, double* dK) const {
  // In stack-sized chunks: one Gram column at a time is too short to amortize heap temporaries.
  // D2 and K may be the same array; each chunk reads D2 before it writes K.
  const int nu2 = two_nu(nu_);
  for_each_chunk(n, [&](Eigen::Index i0, Eigen::Index m) {
    double s[kElementwiseChunk], e[kElementwiseChunk];
    matern_loops::roots(D2 + i0, m, static_cast<double>(nu2), s, e);
    exp_in_place(e, static_cast<std::size_t>(m));
    matern_loops::values(nu2, s, e, m, K + i0, dK ? dK + i0 : nullptr);
  });
}

// The same derivatives from k: e = k / (polynomial in s), so no exp is needed.
void MaternKernel::profile_derivative(const double* D2, const double* K, Eigen::Index n, double* dK) const {
  matern_loops::derivative_from_values(two_nu(nu_), D2, K, n, dK);
}

}  // namespace gpbo
