#pragma once
// Scalar special functions written once for both `double` and Eigen's forward-mode
// `Eigen::AutoDiffScalar`, so log densities templated over the scalar type T (distributions.hpp,
// transforms.hpp, user models for autodiff.hpp) can call them as `gpbo::mcmc::log1p_exp(x)`
// and get exact derivatives under AD (Eigen's AutoDiff module has no log1p, expm1 or lgamma).
//
// Conventions: every function takes T = double or T = AutoDiffScalar<D> and returns the plain type
// (`double` or `AutoDiffScalar<PlainObject of D>`), never a lazy expression. Values of the
// special functions come from the C++ standard library and Boost.Math (thread-safe lgamma:
// std::lgamma writes the global `signgam` on glibc, which races between chains), in double
// precision (core/math_policy.hpp: Boost's default long double path is 14x slower).
// AutoDiffScalar caveat: it widens an empty derivative vector (a constant) to match the other
// operand only when both operands are evaluated AD scalars, so in template code combine AD values
// through plain temporaries (T a = ...; a += T(...);) rather than long mixed expressions.

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <unsupported/Eigen/AutoDiff>

#include "gpbo/core/math_policy.hpp"

namespace gpbo::mcmc {

/// A dynamic column vector of scalar type T: the argument type of template log densities.
template <class T>
using VectorT = Eigen::Matrix<T, Eigen::Dynamic, 1>;

/// True for Eigen::AutoDiffScalar<...> (any derivative type).
template <class T>
struct is_autodiff : std::false_type {};
template <class D>
struct is_autodiff<Eigen::AutoDiffScalar<D>> : std::true_type {};
template <class T>
inline constexpr bool is_autodiff_v = is_autodiff<std::remove_cvref_t<T>>::value;

/// The plain (evaluated) scalar type of T: double for arithmetic types, AutoDiffScalar<PlainObject>
/// for AD scalars whose derivative is a lazy expression.
template <class T, class Enable = void>
struct plain_scalar {
  using type = double;
};
template <class D>
struct plain_scalar<Eigen::AutoDiffScalar<D>> {
  using type = Eigen::AutoDiffScalar<typename Eigen::internal::remove_all<D>::type::PlainObject>;
};
template <class T>
using plain_scalar_t = typename plain_scalar<std::remove_cvref_t<T>>::type;

/// The common result type of mixing double and (at most one kind of) AD scalar arguments.
template <class... Ts>
struct promote;
template <class A>
struct promote<A> {
  using type = plain_scalar_t<A>;
};
template <class A, class B, class... Rest>
struct promote<A, B, Rest...> {
  using type = typename promote<std::conditional_t<is_autodiff_v<A>, A, B>, Rest...>::type;
};
template <class... Ts>
using promote_t = typename promote<Ts...>::type;

/// The double part of a scalar (the value of an AD scalar).
inline double value_of(double x) { return x; }
template <class D>
double value_of(const Eigen::AutoDiffScalar<D>& x) {
  return x.value();
}

/// Chain rule helper: the AD scalar with value f and derivative f'(x) * dx.
template <class D>
plain_scalar_t<Eigen::AutoDiffScalar<D>> apply_chain(const Eigen::AutoDiffScalar<D>& x, double f,
                                                     double dfdx) {
  return plain_scalar_t<Eigen::AutoDiffScalar<D>>(f, x.derivatives() * dfdx);
}

/// log(1 + x), accurate for small x.
inline double log1p(double x) { return std::log1p(x); }
template <class D>
auto log1p(const Eigen::AutoDiffScalar<D>& x) {
  return apply_chain(x, std::log1p(x.value()), 1.0 / (1.0 + x.value()));
}

/// exp(x) - 1, accurate for small x.
inline double expm1(double x) { return std::expm1(x); }
template <class D>
auto expm1(const Eigen::AutoDiffScalar<D>& x) {
  return apply_chain(x, std::expm1(x.value()), std::exp(x.value()));
}

/// log(1 + exp(x)) (softplus) without overflow for large x or underflow for very negative x.
inline double log1p_exp(double x) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
/// Logistic sigmoid 1 / (1 + exp(-x)), stable in both tails.
inline double inv_logit(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}
template <class D>
auto log1p_exp(const Eigen::AutoDiffScalar<D>& x) {
  return apply_chain(x, log1p_exp(x.value()), inv_logit(x.value()));
}
template <class D>
auto inv_logit(const Eigen::AutoDiffScalar<D>& x) {
  const double s = inv_logit(x.value());
  return apply_chain(x, s, s * (1.0 - s));
}

/// log(inv_logit(x)) = -log1p_exp(-x).
template <class T>
plain_scalar_t<T> log_inv_logit(const T& x) {
  return -log1p_exp(plain_scalar_t<T>(-x));
}
/// log(1 - inv_logit(x)) = -log1p_exp(x).
template <class T>
plain_scalar_t<T> log1m_inv_logit(const T& x) {
  return -log1p_exp(plain_scalar_t<T>(x));
}
/// log(1 - x) for x < 1.
template <class T>
plain_scalar_t<T> log1m(const T& x) {
  return log1p(plain_scalar_t<T>(-x));
}
/// logit(p) = log(p / (1 - p)).
template <class T>
plain_scalar_t<T> logit(const T& p) {
  using std::log;
  plain_scalar_t<T> out = log(p);
  out -= log1m(p);
  return out;
}

/// log Gamma(x) for x > 0 (Boost.Math; derivative digamma(x)).
inline double lgamma(double x) { return boost::math::lgamma(x, DoublePrecision()); }
template <class D>
auto lgamma(const Eigen::AutoDiffScalar<D>& x) {
  return apply_chain(x, boost::math::lgamma(x.value(), DoublePrecision()), boost::math::digamma(x.value(), DoublePrecision()));
}

namespace detail {
/// lgamma(z) minus Stirling's approximation (z - 1/2) log z - z + log(2 pi) / 2, for z >= 10: the
/// asymptotic series sum_k B_2k / (2k (2k - 1) z^(2k - 1)), seven terms (the next is < 1e-17).
template <class R>
R lgamma_stirling_diff(const R& z) {
  constexpr double c[] = {1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360, 1.0 / 156};
  const R inv = R(1.0) / z, inv2 = R(inv * inv);
  R sum(c[6]);
  for (int k = 5; k >= 0; --k) sum = R(R(sum * inv2) + c[k]);  // Horner in 1/z^2
  return R(sum * inv);
}
}  // namespace detail

/// log Beta(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), without the cancellation of that sum
/// when an argument is large (lgamma(1e12) is 2.6e13; the result, -13): with x <= y and y >= 10,
/// the lgamma differences are taken from Stirling's series analytically, as Stan's lbeta does.
template <class A, class B>
promote_t<A, B> lbeta(const A& a, const B& b) {
  using R = promote_t<A, B>;
  using std::log;
  const bool a_first = value_of(a) <= value_of(b);
  const R x(a_first ? R(a) : R(b)), y(a_first ? R(b) : R(a));
  if (!(value_of(x) > 0.0) || !(value_of(y) >= 10.0) || !std::isfinite(value_of(y))) {
    R sum = lgamma(x);  // plain operands only: see add_terms in distributions.hpp
    sum += lgamma(y);
    sum -= lgamma(R(x + y));
    return sum;
  }
  const R total(x + y), share(x / total);
  const R corrections = R(detail::lgamma_stirling_diff(y) - detail::lgamma_stirling_diff(total));
  if (value_of(x) < 10.0) {
    // lgamma(y) - lgamma(x + y) = (y - 1/2) log1p(-x / (x + y)) + x (1 - log(x + y)) + corrections
    R sum = lgamma(x);
    sum += corrections;
    sum += R(R(y - 0.5) * log1p(R(-share)));
    sum += R(x * R(1.0 - log(total)));
    return sum;
  }
  constexpr double kHalfLogTwoPi = 0.918938533204672741780329736406;
  R sum(-0.5 * log(y));
  sum += kHalfLogTwoPi;
  sum += corrections;
  sum += detail::lgamma_stirling_diff(x);
  sum += R(R(x - 0.5) * log(share));
  sum += R(y * log1p(R(-share)));
  return sum;
}

/// log(exp(a) + exp(b)) without overflow.
template <class A, class B>
promote_t<A, B> log_sum_exp(const A& a, const B& b) {
  using R = promote_t<A, B>;
  const R ra(a), rb(b);
  if (value_of(ra) == -std::numeric_limits<double>::infinity()) return rb;
  if (value_of(rb) == -std::numeric_limits<double>::infinity()) return ra;
  const bool a_larger = value_of(ra) > value_of(rb);
  R sum = a_larger ? ra : rb;
  sum += log1p_exp(a_larger ? R(rb - ra) : R(ra - rb));
  return sum;
}

/// A * x for a constant matrix A and a vector x of double or AD scalars. With AD scalars it runs
/// as two dense products (values and the derivative matrix) instead of A.cast<AD>() * x, which
/// allocates a derivative vector per multiply-add (about 10x slower for a 200 x 10 design).
template <class T>
VectorT<T> multiply(const Eigen::MatrixXd& A, const VectorT<T>& x) {
  if constexpr (!is_autodiff_v<T>) {
    return A * x;
  } else {
    Eigen::Index nd = 0;
    for (Eigen::Index j = 0; j < x.size(); ++j) nd = std::max<Eigen::Index>(nd, x(j).derivatives().size());
    Eigen::VectorXd values(x.size());
    Eigen::MatrixXd jac = Eigen::MatrixXd::Zero(x.size(), nd);  // d x_j / d theta, one row per x_j
    for (Eigen::Index j = 0; j < x.size(); ++j) {
      values(j) = x(j).value();
      if (x(j).derivatives().size() > 0) jac.row(j) = x(j).derivatives().transpose();
    }
    const Eigen::VectorXd v = A * values;
    const Eigen::MatrixXd dv = A * jac;
    VectorT<T> out(A.rows());
    for (Eigen::Index i = 0; i < A.rows(); ++i) out(i) = T(v(i), dv.row(i).transpose());
    return out;
  }
}

/// multiply() of any vector expression (theta.segment(k, n), theta.head(n)), evaluated first.
template <class Derived>
  requires(Derived::ColsAtCompileTime == 1 && !std::is_same_v<Derived, VectorT<typename Derived::Scalar>>)
VectorT<typename Derived::Scalar> multiply(const Eigen::MatrixXd& A, const Eigen::MatrixBase<Derived>& x) {
  return multiply<typename Derived::Scalar>(A, VectorT<typename Derived::Scalar>(x.derived()));
}

/// -infinity as scalar type R (the log density outside the support).
template <class R>
R neg_infinity() {
  return R(-std::numeric_limits<double>::infinity());
}

}  // namespace gpbo::mcmc
