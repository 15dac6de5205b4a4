#pragma once
// Log densities (and log mass functions) of the usual distributions, templated over the scalar
// type so a model written once works with `double` and with Eigen::AutoDiffScalar (autodiff.hpp).
//
// Conventions (all functions):
//  - They return the full normalized log density, constants included, so values equal
//    log(boost::math::pdf(...)) and models can be compared across parameterizations.
//  - A point outside the support, or an invalid parameter (non-positive scale, shape, ...), gives
//    -infinity: the density is zero there and samplers treat it as a rejected proposal.
//  - Parameterizations: normal(mu, sigma = sd); student_t(nu, mu, sigma); cauchy(mu, sigma);
//    half_normal(sigma) and half_cauchy(sigma) on [0, inf); lognormal(mu, sigma) of log y;
//    gamma(alpha = shape, beta = RATE); inv_gamma(alpha = shape, beta = scale); beta(a, b);
//    exponential(lambda = rate); bernoulli_logit(alpha = log-odds); binomial(N, theta);
//    poisson_log(alpha = log rate).
//  - Each argument may be a scalar (double, int, AD scalar) or, for the vectorized overloads, an
//    Eigen vector or std::vector; vectorized calls return the sum over elements of the scalar
//    form, broadcasting scalar arguments (all vector arguments must have the same length).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "gpbo/mcmc/scalar_math.hpp"

namespace gpbo::mcmc {

/// A scalar argument: arithmetic or an AD scalar.
template <class T>
concept ScalarArg = std::is_arithmetic_v<std::remove_cvref_t<T>> || is_autodiff_v<T>;

namespace detail {
inline constexpr double kLogSqrtTwoPi = 0.91893853320467274178;  // log(sqrt(2 pi))
inline constexpr double kLogPi = 1.14472988584940017414;         // log(pi)
inline constexpr double kLogTwo = std::numbers::ln2;

template <class T>
bool positive(const T& x) {
  return value_of(x) > 0;  // false for NaN too
}

/// Sum of terms, each first evaluated to the plain scalar R. Eigen's AutoDiffScalar resizes an
/// empty derivative (a constant) to match the other operand only when both are plain, so every
/// binary operation on two AD operands in this file combines plain values.
template <class R, class... Ts>
R add_terms(const Ts&... terms) {
  R sum(0.0);
  ((sum += R(terms)), ...);
  return sum;
}

/// Whether an outcome held as a number is a count (a whole number an int holds): 0.7 is no
/// outcome of a discrete distribution, and truncating it to 0 would hide the bad data.
template <class N>
bool is_whole(const N& n) {
  if constexpr (std::is_integral_v<N> && std::is_signed_v<N>) {
    return n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max();
  } else if constexpr (std::is_integral_v<N>) {  // unsigned, bool: a comparison with INT_MIN made each -inf
    return static_cast<std::uintmax_t>(n) <= static_cast<std::uintmax_t>(std::numeric_limits<int>::max());
  } else {
    return n == std::floor(n) && std::abs(n) <= static_cast<double>(std::numeric_limits<int>::max());
  }
}
}  // namespace detail

/// An outcome of a discrete distribution: an int, or any number (data are often doubles); one
/// that is not a whole number an int holds gives -infinity (truncating 0.7 to 0 hid bad data).
template <class T>
concept CountArg = std::is_arithmetic_v<std::remove_cvref_t<T>>;

// ---------------------------------------------------------------- continuous, unbounded support

/// Normal(y | mu, sigma), sigma = standard deviation.
template <ScalarArg Y, ScalarArg M, ScalarArg S>
promote_t<Y, M, S> normal_lpdf(const Y& y, const M& mu, const S& sigma) {
  using R = promote_t<Y, M, S>;
  using std::log;
  if (!detail::positive(sigma)) return neg_infinity<R>();
  const R z = R(R(y) - R(mu)) / R(sigma);
  return detail::add_terms<R>(-0.5 * z * z, -log(R(sigma)), -detail::kLogSqrtTwoPi);
}

/// Student-t(y | nu, mu, sigma) with nu degrees of freedom, location mu, scale sigma.
template <ScalarArg Y, ScalarArg N, ScalarArg M, ScalarArg S>
promote_t<Y, N, M, S> student_t_lpdf(const Y& y, const N& nu, const M& mu, const S& sigma) {
  using R = promote_t<Y, N, M, S>;
  using std::log;
  if (!detail::positive(sigma) || !detail::positive(nu)) return neg_infinity<R>();
  // The limit nu -> inf is the normal (lbeta threw an overflow error at inf).
  if (std::isinf(value_of(nu))) return R(normal_lpdf(y, mu, sigma));
  const R n(nu), z = R(R(y) - R(mu)) / R(sigma);
  // lgamma((n + 1) / 2) - lgamma(n / 2) - log(pi) / 2 = -lbeta(n / 2, 1/2): no cancellation for a
  // large n, where the density tends to the normal (it lost 0.9 nats at n = 1e15).
  return detail::add_terms<R>(-lbeta(R(0.5 * n), 0.5), -0.5 * log(n), -log(R(sigma)),
                              R(-0.5 * (n + 1.0)) * log1p(R(R(z * z) / n)));
}

/// Cauchy(y | mu, sigma).
template <ScalarArg Y, ScalarArg M, ScalarArg S>
promote_t<Y, M, S> cauchy_lpdf(const Y& y, const M& mu, const S& sigma) {
  using R = promote_t<Y, M, S>;
  using std::log;
  if (!detail::positive(sigma)) return neg_infinity<R>();
  const R z = R(R(y) - R(mu)) / R(sigma);
  return detail::add_terms<R>(-detail::kLogPi, -log(R(sigma)), -log1p(R(z * z)));
}

// ---------------------------------------------------------------- continuous, positive support

/// Half-normal(y | sigma) on y >= 0: twice the N(0, sigma) density.
template <ScalarArg Y, ScalarArg S>
promote_t<Y, S> half_normal_lpdf(const Y& y, const S& sigma) {
  using R = promote_t<Y, S>;
  if (value_of(y) < 0) return neg_infinity<R>();
  return R(normal_lpdf(y, 0.0, sigma) + detail::kLogTwo);
}

/// Half-Cauchy(y | sigma) on y >= 0: twice the Cauchy(0, sigma) density.
template <ScalarArg Y, ScalarArg S>
promote_t<Y, S> half_cauchy_lpdf(const Y& y, const S& sigma) {
  using R = promote_t<Y, S>;
  if (value_of(y) < 0) return neg_infinity<R>();
  return R(cauchy_lpdf(y, 0.0, sigma) + detail::kLogTwo);
}

/// Log-normal(y | mu, sigma): log y ~ Normal(mu, sigma), y > 0.
template <ScalarArg Y, ScalarArg M, ScalarArg S>
promote_t<Y, M, S> lognormal_lpdf(const Y& y, const M& mu, const S& sigma) {
  using R = promote_t<Y, M, S>;
  using std::log;
  if (!detail::positive(y)) return neg_infinity<R>();
  const R ly = log(R(y));
  return detail::add_terms<R>(normal_lpdf(ly, mu, sigma), -ly);
}

/// Gamma(y | alpha, beta) with shape alpha and RATE beta (mean alpha / beta), y > 0.
template <ScalarArg Y, ScalarArg A, ScalarArg B>
promote_t<Y, A, B> gamma_lpdf(const Y& y, const A& alpha, const B& beta) {
  using R = promote_t<Y, A, B>;
  using std::log;
  if (!detail::positive(alpha) || !detail::positive(beta) || !detail::positive(y)) return neg_infinity<R>();
  const R a(alpha), b(beta), yy(y);
  return detail::add_terms<R>(a * R(log(b)), -lgamma(a), R(a - 1.0) * R(log(yy)), -(b * yy));
}

/// Inverse-gamma(y | alpha, beta) with shape alpha and SCALE beta (1/y ~ Gamma(alpha, rate beta)).
template <ScalarArg Y, ScalarArg A, ScalarArg B>
promote_t<Y, A, B> inv_gamma_lpdf(const Y& y, const A& alpha, const B& beta) {
  using R = promote_t<Y, A, B>;
  using std::log;
  if (!detail::positive(alpha) || !detail::positive(beta) || !detail::positive(y)) return neg_infinity<R>();
  const R a(alpha), b(beta), yy(y);
  return detail::add_terms<R>(a * R(log(b)), -lgamma(a), -(R(a + 1.0) * R(log(yy))), -(b / yy));
}

/// Exponential(y | lambda) with RATE lambda, y >= 0.
template <ScalarArg Y, ScalarArg L>
promote_t<Y, L> exponential_lpdf(const Y& y, const L& lambda) {
  using R = promote_t<Y, L>;
  using std::log;
  if (!detail::positive(lambda) || value_of(y) < 0) return neg_infinity<R>();
  return detail::add_terms<R>(log(R(lambda)), -(R(lambda) * R(y)));
}

// ---------------------------------------------------------------- continuous, (0, 1) support

/// Beta(y | a, b), 0 < y < 1.
template <ScalarArg Y, ScalarArg A, ScalarArg B>
promote_t<Y, A, B> beta_lpdf(const Y& y, const A& a, const B& b) {
  using R = promote_t<Y, A, B>;
  using std::log;
  if (!detail::positive(a) || !detail::positive(b) || !(value_of(y) > 0 && value_of(y) < 1))
    return neg_infinity<R>();
  const R ra(a), rb(b), yy(y);
  return detail::add_terms<R>(R(ra - 1.0) * R(log(yy)), R(rb - 1.0) * log1m(yy), -lbeta(ra, rb));
}

// ---------------------------------------------------------------- discrete

/// Bernoulli(n | inv_logit(alpha)) for n in {0, 1}, computed as -log1p(exp(-+alpha)) (no overflow).
template <CountArg C, ScalarArg A>
plain_scalar_t<A> bernoulli_logit_lpmf(const C& n, const A& alpha) {
  using R = plain_scalar_t<A>;
  if (n != 0 && n != 1) return neg_infinity<R>();
  return n == 1 ? log_inv_logit(R(alpha)) : log1m_inv_logit(R(alpha));
}

/// Binomial(n | N, theta): n successes in N trials with success probability theta in [0, 1].
template <CountArg C, CountArg T, ScalarArg P>
plain_scalar_t<P> binomial_lpmf(const C& successes, const T& trials, const P& theta) {
  using R = plain_scalar_t<P>;
  using std::log;
  const double t = value_of(theta);
  if (!detail::is_whole(successes) || !detail::is_whole(trials)) return neg_infinity<R>();
  const int n = static_cast<int>(successes), N = static_cast<int>(trials);
  if (N < 0 || n < 0 || n > N || !(t >= 0 && t <= 1)) return neg_infinity<R>();
  // log choose(N, n) = -log(N + 1) - lbeta(n + 1, N - n + 1), exact where the lgammas cancel.
  R lp(-std::log(N + 1.0) - lbeta(n + 1.0, N - n + 1.0));
  if (n > 0) lp += R(static_cast<double>(n) * log(R(theta)));  // 0 * log(0) = 0 at the boundary
  if (n < N) lp += R(static_cast<double>(N - n) * log1m(R(theta)));
  return lp;
}

/// Poisson(n | exp(alpha)) with log rate alpha.
template <CountArg C, ScalarArg A>
plain_scalar_t<A> poisson_log_lpmf(const C& count, const A& alpha) {
  using R = plain_scalar_t<A>;
  using std::exp;
  if (!detail::is_whole(count) || count < 0) return neg_infinity<R>();
  const int n = static_cast<int>(count);
  const R a(alpha);
  // n * alpha is 0 at n = 0 (rate 0: log mass 0, where 0 * -inf was NaN).
  return detail::add_terms<R>(n == 0 ? R(0.0) : R(static_cast<double>(n) * a), -exp(a), -lgamma(n + 1.0));
}

// ---------------------------------------------------------------- vectorized sums

namespace detail {
template <class T>
struct is_vector_arg : std::false_type {};
template <class T, class Alloc>
struct is_vector_arg<std::vector<T, Alloc>> : std::true_type {};
// Any Eigen dense expression, also those whose DenseBase is a base class's (theta.segment(i, n)
// is a VectorBlock, a Block underneath: is_base_of<EigenBase<VectorBlock>> is false for it).
template <class Derived>
void eigen_dense_probe(const Eigen::DenseBase<Derived>&);
template <class T>
concept EigenDense = requires(const std::remove_cvref_t<T>& x) { eigen_dense_probe(x); };
template <class T>
concept VectorArg = is_vector_arg<std::remove_cvref_t<T>>::value || EigenDense<T>;

/// Element type of an argument (the scalar itself for scalars).
template <class T>
struct element {
  using type = std::remove_cvref_t<T>;
};
template <VectorArg T>
struct element<T> {
  using type = std::remove_cvref_t<decltype(std::declval<const std::remove_cvref_t<T>&>()[0])>;
};
template <class T>
using element_t = typename element<T>::type;

/// Evaluated argument: Eigen expressions are evaluated once (plain vectors are not copied).
template <class T>
decltype(auto) evaluated(const T& x) {
  if constexpr (EigenDense<T>) {
    return x.eval();
  } else {
    return (x);
  }
}
template <class T>
decltype(auto) at(const T& x, std::size_t i) {
  if constexpr (VectorArg<T>) {
    return x[static_cast<decltype(x.size())>(i)];
  } else {
    (void)i;
    return (x);
  }
}
/// Common length of the vector arguments; throws std::invalid_argument when they differ.
template <class... Ts>
std::size_t common_size(const Ts&... xs) {
  std::size_t n = 0;
  bool seen = false;
  auto visit = [&](const auto& x) {
    if constexpr (VectorArg<decltype(x)>) {
      const auto m = static_cast<std::size_t>(x.size());
      if (seen && m != n) throw std::invalid_argument("vectorized log density: arguments differ in length");
      n = m;
      seen = true;
    }
  };
  (visit(xs), ...);
  return n;
}
/// AD scalar with at most 4 partials stored inline (no heap allocation): the per-element scalar
/// of vectorized sums, one partial per argument position.
using ElementAD = Eigen::AutoDiffScalar<Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 4, 1>>;

/// Argument J of an element as seen by the per-element density: AD elements become ElementAD
/// seeded in slot J, constants pass through.
template <std::size_t J, class E>
auto lift(const E& e, int slots) {
  if constexpr (is_autodiff_v<E>) {
    return ElementAD(e.value(), slots, static_cast<Eigen::Index>(J));
  } else {
    return e;
  }
}

/// Adds partial J of the element density r times the derivatives of argument element e.
template <std::size_t J, class E, class G>
void accumulate(const ElementAD& r, const E& e, G& grad) {
  if constexpr (is_autodiff_v<E>) {
    if (r.derivatives().size() <= static_cast<Eigen::Index>(J) || e.derivatives().size() == 0) return;
    if (grad.size() == 0) grad.setZero(e.derivatives().size());
    grad += r.derivatives()(static_cast<Eigen::Index>(J)) * e.derivatives();
  }
}

/// Sum over elements of f(args_i...). With AD arguments, each element is differentiated with
/// respect to its (at most 4) arguments in inline storage and the chain rule is applied once per
/// element (an axpy into one gradient), instead of building a heap-allocated AD scalar per
/// operation.
template <class F, class... Ts>
auto sum_over(F&& f, const Ts&... raw) {
  using R = promote_t<element_t<decltype(evaluated(raw))>...>;
  static_assert(sizeof...(Ts) <= 4, "sum_over: at most 4 arguments");
  return [&]<std::size_t... J>(std::index_sequence<J...>, const auto&... xs) {
    const std::size_t n = common_size(xs...);
    if constexpr (!is_autodiff_v<R>) {
      R total(0.0);
      for (std::size_t i = 0; i < n; ++i) total += f(at(xs, i)...);
      return total;
    } else {
      constexpr int slots = static_cast<int>(sizeof...(J));
      double value = 0.0;
      typename R::DerType grad;  // the result's partials: inline for AutoDiffLogDensity's scalars
      for (std::size_t i = 0; i < n; ++i) {
        const ElementAD r(f(lift<J>(at(xs, i), slots)...));
        value += r.value();
        (accumulate<J>(r, at(xs, i), grad), ...);
      }
      return grad.size() == 0 ? R(value) : R(value, grad);
    }
  }(std::index_sequence_for<Ts...>{}, evaluated(raw)...);
}
template <class... Ts>
concept AnyVector = (VectorArg<Ts> || ...);
}  // namespace detail

/// Sum of normal_lpdf over elements (e.g. y ~ normal(X * beta, sigma)).
template <class Y, class M, class S>
  requires detail::AnyVector<Y, M, S>
auto normal_lpdf(const Y& y, const M& mu, const S& sigma) {
  return detail::sum_over([](const auto& a, const auto& b, const auto& c) { return normal_lpdf(a, b, c); }, y,
                          mu, sigma);
}
/// Sum of student_t_lpdf over elements.
template <class Y, class N, class M, class S>
  requires detail::AnyVector<Y, N, M, S>
auto student_t_lpdf(const Y& y, const N& nu, const M& mu, const S& sigma) {
  return detail::sum_over(
      [](const auto& a, const auto& b, const auto& c, const auto& d) { return student_t_lpdf(a, b, c, d); }, y,
      nu, mu, sigma);
}

/// Sum of bernoulli_logit_lpmf over elements (e.g. y ~ bernoulli_logit(X * beta)); an outcome
/// that is not a whole number gives -infinity, as one outside {0, 1} does.
template <class Y, class A>
  requires detail::AnyVector<Y, A>
auto bernoulli_logit_lpmf(const Y& y, const A& alpha) {
  return detail::sum_over(
      [](const auto& n, const auto& a) { return bernoulli_logit_lpmf(n, a); },
      y, alpha);
}
/// Sum of poisson_log_lpmf over elements (-infinity for an outcome that is not a whole number).
template <class Y, class A>
  requires detail::AnyVector<Y, A>
auto poisson_log_lpmf(const Y& y, const A& alpha) {
  return detail::sum_over(
      [](const auto& n, const auto& a) { return poisson_log_lpmf(n, a); },
      y, alpha);
}

}  // namespace gpbo::mcmc
