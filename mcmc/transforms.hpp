#pragma once
// Transforms from the unconstrained space R^k (where samplers move) to constrained parameters,
// with the log absolute Jacobian determinant that the log density must include so the
// constrained parameters keep their intended distribution. Templated over the scalar type T
// (double or Eigen::AutoDiffScalar, see autodiff.hpp).
//
// Conventions:
//  - `*_constrain(x, ..., log_jac)` maps unconstrained x to the constrained value and ADDS
//    log|det d(value)/dx| to `log_jac` (so a model accumulates all its Jacobians in one scalar).
//  - `*_free(value, ...)` is the inverse (constrained -> unconstrained), on doubles: used for
//    initial values given by the user and for tests. It throws std::domain_error when the
//    value is outside the constrained set.
//  - Transforms (as in Stan):
//      lower bound   y = lb + exp(x)                      log J = x
//      upper bound   y = ub - exp(x)                      log J = x
//      positive      lower bound 0
//      interval      y = lo + (hi - lo) inv_logit(x)      log J = log(hi - lo) + log s + log(1 - s)
//      ordered       y_1 = x_1, y_k = y_{k-1} + exp(x_k)  log J = sum_{k>=2} x_k
//      simplex       K-1 free -> K on the simplex by stick-breaking with the centering offset
//                    -log(K - k) so x = 0 maps to the uniform simplex.

#include <cmath>
#include <stdexcept>
#include <string>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/mcmc/scalar_math.hpp"

namespace gpbo::mcmc {

// ---------------------------------------------------------------- scalar bounds

/// y = lb + exp(x); adds x to log_jac.
template <class T>
T lower_bound_constrain(const T& x, double lb, T& log_jac) {
  using std::exp;
  log_jac += x;
  return T(exp(x) + lb);
}
/// Inverse of lower_bound_constrain: x = log(y - lb), y > lb.
inline double lower_bound_free(double y, double lb) {
  if (!(y > lb)) throw std::domain_error("lower_bound_free: value " + std::to_string(y) + " not above bound");
  return std::log(y - lb);
}

/// y = ub - exp(x); adds x to log_jac.
template <class T>
T upper_bound_constrain(const T& x, double ub, T& log_jac) {
  using std::exp;
  log_jac += x;
  return T(ub - exp(x));
}
/// Inverse of upper_bound_constrain: x = log(ub - y), y < ub.
inline double upper_bound_free(double y, double ub) {
  if (!(y < ub)) throw std::domain_error("upper_bound_free: value " + std::to_string(y) + " not below bound");
  return std::log(ub - y);
}

/// y = exp(x) > 0; adds x to log_jac.
template <class T>
T positive_constrain(const T& x, T& log_jac) {
  return lower_bound_constrain(x, 0.0, log_jac);
}
/// x = log(y), y > 0.
inline double positive_free(double y) { return lower_bound_free(y, 0.0); }

/// y = lo + (hi - lo) * inv_logit(x) in (lo, hi); adds log(hi - lo) + log s + log(1 - s).
template <class T>
T interval_constrain(const T& x, double lo, double hi, T& log_jac) {
  if (!(hi > lo)) throw std::invalid_argument("interval_constrain: need lo < hi");
  log_jac += std::log(hi - lo);
  log_jac += log_inv_logit(x);
  log_jac += log1m_inv_logit(x);
  return T(inv_logit(x) * (hi - lo) + lo);
}
/// x = logit((y - lo) / (hi - lo)), lo < y < hi.
inline double interval_free(double y, double lo, double hi) {
  if (!(y > lo && y < hi)) throw std::domain_error("interval_free: value " + std::to_string(y) + " outside interval");
  return logit((y - lo) / (hi - lo));
}

// ---------------------------------------------------------------- vectors

/// Strictly increasing vector: y_1 = x_1, y_k = y_{k-1} + exp(x_k); adds sum_{k>=2} x_k.
template <class T>
VectorT<T> ordered_constrain(const VectorT<T>& x, T& log_jac) {
  using std::exp;
  VectorT<T> y(x.size());
  if (x.size() == 0) return y;
  y(0) = x(0);
  for (Eigen::Index k = 1; k < x.size(); ++k) {
    log_jac += x(k);
    y(k) = y(k - 1);
    y(k) += T(exp(x(k)));
  }
  return y;
}
/// Inverse of ordered_constrain; y must be strictly increasing.
inline Eigen::VectorXd ordered_free(const Eigen::VectorXd& y) {
  Eigen::VectorXd x(y.size());
  if (y.size() == 0) return x;
  x(0) = y(0);
  for (Eigen::Index k = 1; k < y.size(); ++k) {
    if (!(y(k) > y(k - 1))) throw std::domain_error("ordered_free: vector is not strictly increasing");
    x(k) = std::log(y(k) - y(k - 1));
  }
  return x;
}

/// Unit simplex of size K = x.size() + 1 by stick-breaking: break off z_k = inv_logit(x_k -
/// log(K - 1 - k)) of the remaining stick (k = 0..K-2), the last element takes the rest; adds the
/// log Jacobian of x -> (y_0, ..., y_{K-2}).
template <class T>
VectorT<T> simplex_constrain(const VectorT<T>& x, T& log_jac) {
  using std::log;
  const Eigen::Index km1 = x.size();
  VectorT<T> y(km1 + 1);
  T stick(1.0);
  for (Eigen::Index k = 0; k < km1; ++k) {
    const T shifted = x(k) - std::log(static_cast<double>(km1 - k));
    const T z = inv_logit(shifted);
    y(k) = stick * z;
    log_jac += T(log(stick));
    log_jac += log_inv_logit(shifted);
    log_jac += log1m_inv_logit(shifted);
    stick -= y(k);
  }
  y(km1) = stick;
  return y;
}
/// Inverse of simplex_constrain; y must be positive and sum to 1 (within 1e-8).
inline Eigen::VectorXd simplex_free(const Eigen::VectorXd& y) {
  if (y.size() < 1 || (y.array() <= 0).any() || std::abs(y.sum() - 1.0) > 1e-8)
    throw std::domain_error("simplex_free: not a point in the open unit simplex");
  const Eigen::Index km1 = y.size() - 1;
  Eigen::VectorXd x(km1);
  double stick = 1.0;
  for (Eigen::Index k = 0; k < km1; ++k) {
    x(k) = logit(y(k) / stick) + std::log(static_cast<double>(km1 - k));
    stick -= y(k);
  }
  return x;
}

}  // namespace gpbo::mcmc
