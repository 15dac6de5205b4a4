#pragma once
// Log densities with gradients for free.
//
// AutoDiffLogDensity wraps a log density written ONCE as a template over the scalar type,
//     struct MyModel {
//       template <class T> T operator()(const VectorT<T>& theta) const;  // VectorT: scalar_math.hpp
//     };
// and evaluates its exact gradient by forward-mode automatic differentiation with Eigen's
// AutoDiff module (Eigen::AutoDiffScalar<Eigen::VectorXd>: each scalar carries its d partial
// derivatives, so one gradient costs about d times one value). Value-only calls use T = double.
// Reverse mode (Stan's) costs a few values whatever d is: for models of hundreds of coordinates
// a hand-written gradient (FunctionLogDensity) is much faster (an iid normal at d = 300: about
// 90 us a gradient here against well under 1 us by hand).
// Use the functions of scalar_math.hpp / distributions.hpp / transforms.hpp inside the functor
// (they have exact AD derivatives); plain std:: functions other than exp, log, sqrt, pow, sin,
// cos, tan, asin, acos, sinh, cosh, tanh and abs have no AutoDiffScalar overload.
//
// FiniteDifferenceLogDensity is the explicit fallback for a value-only log density: central
// differences, 2d + 1 evaluations per gradient, accurate to roughly 1e-7 relative; the summary of
// a run that used its gradients says so.
//
// Both follow LogDensity's conventions: a non-finite value, or a std::domain_error /
// std::overflow_error thrown by the functor (e.g. Boost.Math at a pole), is reported as
// -infinity with a zero gradient. A finite value with a non-finite gradient is returned as it
// is: the HMC samplers reject such a point and say how often it happened (a bug in the model
// inside the support would otherwise cut the posterior off there without a word).

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <unsupported/Eigen/AutoDiff>

#include "gpbo/mcmc/log_density.hpp"
#include "gpbo/mcmc/scalar_math.hpp"

namespace gpbo::mcmc {

/// The forward-mode AD scalars used by AutoDiffLogDensity: heap-allocated partials in general,
/// inline storage for models of at most kSmallDimension coordinates. Template log densities must
/// therefore work for any Eigen::AutoDiffScalar type, not only AutoDiffScalarX.
using AutoDiffScalarX = Eigen::AutoDiffScalar<Eigen::VectorXd>;
inline constexpr int kSmallDimension = 16;
using AutoDiffScalarSmall =
    Eigen::AutoDiffScalar<Eigen::Matrix<double, Eigen::Dynamic, 1, Eigen::ColMajor, kSmallDimension, 1>>;

namespace detail {
/// Calls f, turning non-finite values and Boost.Math / domain exceptions into -infinity.
template <class Fn>
auto guarded_call(Fn&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::domain_error&) {
  } catch (const std::overflow_error&) {
  }
  return decltype(f())(-std::numeric_limits<double>::infinity());
}
}  // namespace detail

/// A LogDensity whose gradient is computed by forward-mode AD of the template functor F.
template <class F>
class AutoDiffLogDensity : public LogDensity {
 public:
  using OutputFn = std::function<void(const Eigen::VectorXd&, Eigen::VectorXd&)>;

  /// `dimension` unconstrained coordinates named `names` (default theta.1..theta.d).
  AutoDiffLogDensity(F functor, int dimension, std::vector<std::string> names = {}, std::string model_name = "model")
      : f_(std::move(functor)), dimension_(dimension), names_(std::move(names)), model_name_(std::move(model_name)) {
    if (dimension_ <= 0) throw std::invalid_argument("AutoDiffLogDensity: dimension must be positive");
    if (names_.empty()) names_ = indexed_names("theta", dimension_);
    if (static_cast<int>(names_.size()) != dimension_)
      throw std::invalid_argument("AutoDiffLogDensity: " + std::to_string(names_.size()) + " names for dimension " +
                                  std::to_string(dimension_));
  }

  /// Reports out_fn(theta) (e.g. the constrained parameters) under out_names instead of theta.
  AutoDiffLogDensity& with_outputs(std::vector<std::string> out_names, OutputFn out_fn) {
    if (!out_fn) throw std::invalid_argument("AutoDiffLogDensity: empty output function");
    out_names_ = std::move(out_names);
    out_fn_ = std::move(out_fn);
    return *this;
  }

  [[nodiscard]] int dimension() const override { return dimension_; }

  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override {
    check_size(theta);
    // Small models keep the partials inline (no heap allocation per operation): ~5x faster.
    if (dimension_ <= kSmallDimension) return gradient_as<AutoDiffScalarSmall>(theta, grad);
    return gradient_as<AutoDiffScalarX>(theta, grad);
  }

  [[nodiscard]] double log_density(const Eigen::VectorXd& theta) const override {
    check_size(theta);
    const double value = detail::guarded_call([&] { return static_cast<double>(f_(theta)); });
    return std::isfinite(value) ? value : -std::numeric_limits<double>::infinity();
  }

  [[nodiscard]] std::vector<std::string> parameter_names() const override { return names_; }
  [[nodiscard]] std::vector<std::string> output_names() const override { return out_fn_ ? out_names_ : names_; }
  void outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const override {
    if (out_fn_) {
      out_fn_(theta, out);
    } else {
      out = theta;
    }
  }
  [[nodiscard]] std::string name() const override { return model_name_; }

  /// The wrapped functor.
  [[nodiscard]] const F& functor() const { return f_; }

 private:
  void check_size(const Eigen::VectorXd& theta) const {
    if (theta.size() != dimension_)
      throw std::invalid_argument("AutoDiffLogDensity: point of size " + std::to_string(theta.size()) +
                                  ", expected " + std::to_string(dimension_));
  }

  template <class AD>
  double gradient_as(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
    // The seeded point is kept from one call to the next (per thread: chains run in parallel).
    // Made afresh, its d partial vectors (d^2 doubles) were freed at the end of every call, and
    // above d = 128 glibc gave that memory back to the system each time and faulted it in again
    // (an iid normal at d = 300: 1777 us a gradient, 90 us kept).
    thread_local Eigen::Matrix<AD, Eigen::Dynamic, 1> x;
    x.resize(dimension_);
    for (int i = 0; i < dimension_; ++i) {
      x(i).value() = theta(i);
      x(i).derivatives().setZero(dimension_);
      x(i).derivatives()(i) = 1.0;
    }
    const AD lp = detail::guarded_call([&] { return AD(f_(x)); });
    const double value = lp.value();
    if (!std::isfinite(value)) {  // outside the support
      grad = Eigen::VectorXd::Zero(dimension_);
      return -std::numeric_limits<double>::infinity();
    }
    if (lp.derivatives().size() == 0) grad = Eigen::VectorXd::Zero(dimension_);  // a constant density
    else grad = lp.derivatives();  // non-finite partials go to the sampler, which rejects and counts them
    return value;
  }

  F f_;
  int dimension_;
  std::vector<std::string> names_;
  std::string model_name_;
  std::vector<std::string> out_names_;
  OutputFn out_fn_;
};

/// Convenience: AutoDiffLogDensity with the functor type deduced.
template <class F>
AutoDiffLogDensity<F> make_autodiff_density(F functor, int dimension, std::vector<std::string> names = {},
                                            std::string model_name = "model") {
  return AutoDiffLogDensity<F>(std::move(functor), dimension, std::move(names), std::move(model_name));
}

/// Explicit, slow fallback: gradient of a value-only log density by central differences with
/// step rel_step * max(1, |theta_i|). Marked approximate_gradient(): the summary of a run that used
/// its gradients says so (the library writes nothing to stderr).
class FiniteDifferenceLogDensity : public LogDensity {
 public:
  using ValueFn = std::function<double(const Eigen::VectorXd&)>;

  FiniteDifferenceLogDensity(int dimension, ValueFn value, std::vector<std::string> names = {},
                             std::string model_name = "model", double rel_step = 6e-6);

  [[nodiscard]] int dimension() const override { return dimension_; }
  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override;
  [[nodiscard]] double log_density(const Eigen::VectorXd& theta) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override { return names_; }
  [[nodiscard]] std::string name() const override { return model_name_; }
  [[nodiscard]] bool approximate_gradient() const override { return true; }

 private:
  int dimension_;
  ValueFn value_;
  std::vector<std::string> names_;
  std::string model_name_;
  double rel_step_;
};

}  // namespace gpbo::mcmc
