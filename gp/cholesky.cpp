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

// Where the jitter starts: the mean diagonal, or twice its median where a few entries dwarf the
// rest. A point with a huge known noise variance (1e20 beside 1) made the mean, and so the
// first jitter, as large as itself, wiping out every other point's information. The ladder
// still climbs to 1e-4 of the mean (a matrix that factorized before still does), and a
// diagonal of similar entries starts at the mean, to the bit.
double jitter_start(const Eigen::VectorXd& diag, double mean) {
  if (!diag.allFinite()) return mean;  // the factorization fails and says so
  std::vector<double> sorted(diag.data(), diag.data() + diag.size());
  const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2);
  std::nth_element(sorted.begin(), middle, sorted.end());
  return 2.0 * *middle < mean && *middle > 0.0 ? 2.0 * *middle : mean;
}

}  // namespace

double cholesky_with_jitter(Eigen::Ref<Eigen::MatrixXd> K) {
  const Eigen::Index n = K.rows();
  if (n == 0) return 0.0;
  const Eigen::VectorXd diag = K.diagonal();
  const double scale = std::max(diag.mean(), 0.0), start = jitter_start(diag, scale);
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
    if (relative * start > kLast * 1.0001 * scale || scale <= 0.0) break;
    jitter = relative * start;
    relative *= 10.0;
    // Restore K from its untouched strict upper triangle and the saved diagonal.
    K.triangularView<Eigen::StrictlyLower>() = K.transpose();
    K.diagonal() = diag.array() + jitter;
  }
  std::ostringstream msg;
  msg << "Cholesky factorization of the " << n << "x" << n << " covariance matrix failed even with jitter "
      << jitter << " (" << kLast << " x its mean diagonal " << scale
      << "); the matrix is numerically singular. Try a larger lower bound on the noise variance, "
         "removing duplicate or near-duplicate points, or bounding the length scales from above.";
  throw CholeskyError(msg.str(), jitter);
}

}  // namespace gpbo
