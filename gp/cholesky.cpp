#include "gpbo/gp/cholesky.hpp"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

bool try_cholesky_in_place(Eigen::Ref<Eigen::MatrixXd> K) {
  Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>, Eigen::Lower> llt(K);
  if (llt.info() != Eigen::Success) return false;
  const auto d = K.diagonal();
  return d.allFinite() && (d.array() > 0.0).all();
}

namespace {

// The jitter's unit: the mean diagonal, or twice its median where a few entries dwarf the rest.
// A point with a huge known noise variance (1e20 beside 1) made the mean, and so the jitter, as
// large as itself, wiping out every other point's information; a diagonal of similar entries
// keeps the mean, to the bit.
double jitter_scale(const Eigen::VectorXd& diag) {
  const double mean = std::max(diag.mean(), 0.0);
  if (!diag.allFinite()) return mean;  // the factorization fails and says so
  std::vector<double> sorted(diag.data(), diag.data() + diag.size());
  const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
  std::nth_element(sorted.begin(), middle, sorted.end());
  return 2.0 * *middle < mean ? std::max(2.0 * *middle, 0.0) : mean;
}

}  // namespace

double cholesky_with_jitter(Eigen::Ref<Eigen::MatrixXd> K) {
  const Eigen::Index n = K.rows();
  if (n == 0) return 0.0;
  const Eigen::VectorXd diag = K.diagonal();
  const double scale = jitter_scale(diag);
  constexpr double kFirst = 1e-10, kLast = 1e-4;
  double jitter = 0.0;
  double relative = kFirst;
  while (true) {
    if (try_cholesky_in_place(K)) return jitter;
    // A non-finite entry of the lower triangle always reaches a later pivot, so success above
    // proves K finite; only on failure is it worth scanning (the strict upper triangle and the
    // saved diagonal still hold K).
    if (jitter == 0.0 && (!diag.allFinite() || !K.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().allFinite())) {
      throw CholeskyError("covariance matrix has non-finite entries (check the data and the "
                          "kernel hyperparameters for NaN/inf or overflow)", 0.0);
    }
    if (relative > kLast * 1.0001 || scale <= 0.0) break;
    jitter = relative * scale;
    relative *= 10.0;
    // Restore K from its untouched strict upper triangle and the saved diagonal.
    K.triangularView<Eigen::StrictlyLower>() = K.transpose();
    K.diagonal() = diag.array() + jitter;
  }
  std::ostringstream msg;
  msg << "Cholesky factorization of the " << n << "x" << n << " covariance matrix failed even with jitter "
      << jitter << " (" << kLast << " x its diagonal's scale " << scale
      << "); the matrix is numerically singular. Try a larger lower bound on the noise variance, "
         "removing duplicate or near-duplicate points, or bounding the length scales from above.";
  throw CholeskyError(msg.str(), jitter);
}

}  // namespace gpbo
