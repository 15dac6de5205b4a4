#pragma once
// The target of every sampler: an unnormalized log posterior density on an unconstrained space
// R^d, with its gradient. Constrained parameters (a positive scale, a probability, ordered means)
// are sampled through transforms to R^d whose log-Jacobians are part of the density; the values
// reported to the user (draws written to CSV, summarized, returned) are the "outputs": the
// constrained parameters plus any derived quantities (e.g. eight schools' theta = mu + tau * z).
//
// Conventions
// - theta is the unconstrained point, size dimension().
// - Densities are natural-log and need only be known up to an additive constant.
// - A point outside the support, or where the density cannot be evaluated, returns -infinity;
//   samplers treat it as zero density. They evaluate models through sampled_log_density(), which
//   applies Stan's rule: NaN, +infinity, std::domain_error and std::overflow_error mean the same.
// - Every method is const and must be safe to call concurrently from several threads (chains run
//   in parallel on the same object): no shared mutable state, no caches without synchronization.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace gpbo::mcmc {

/// A log density value as the samplers use it: NaN and +infinity (a model bug, or an evaluation
/// that failed) count as outside the support, -infinity; every sampler treats them alike.
[[nodiscard]] inline double as_sampled_log_density(double v) {
  return v < std::numeric_limits<double>::infinity() ? v : -std::numeric_limits<double>::infinity();
}

class LogDensity;

/// A model's log density threw something other than std::domain_error / std::overflow_error: a
/// bug in the model. The message names the model, the point and the original message.
class ModelEvaluationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// "(1.37559, 2.10853, ... 3 more)": a point's first 10 coordinates, for messages.
[[nodiscard]] std::string point_text(const Eigen::VectorXd& theta);

/// The model's log density at theta as every sampler evaluates it (Stan's rule): NaN, +infinity,
/// and std::domain_error or std::overflow_error from the model (what Boost.Math throws at the edge
/// of a support) are all -infinity, outside the support. Any other std::exception is rethrown as
/// ModelEvaluationError. The gradient form leaves `grad` unspecified when the result is -infinity.
[[nodiscard]] double sampled_log_density(const LogDensity& model, const Eigen::VectorXd& theta);
double sampled_log_density_gradient(const LogDensity& model, const Eigen::VectorXd& theta, Eigen::VectorXd& grad);
/// `part`, a term of the model's log density at theta (a likelihood without its prior), under
/// the same rule: what sampled_log_density would make of it.
double sampled_log_density_part(const LogDensity& model, const Eigen::VectorXd& theta, const std::function<double()>& part);

/// A differentiable log density on R^d. Subclass it (built-in models, AD wrappers) or build one
/// from two callables with FunctionLogDensity.
class LogDensity {
 public:
  virtual ~LogDensity() = default;

  /// d: the number of unconstrained coordinates.
  [[nodiscard]] virtual int dimension() const = 0;

  /// Log density at theta; fills `grad` (resized by the callee to dimension()) with its
  /// gradient with respect to theta. Counts as one gradient evaluation.
  virtual double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const = 0;

  /// Log density only. The default calls log_density_gradient; override when the value alone
  /// is cheaper.
  [[nodiscard]] virtual double log_density(const Eigen::VectorXd& theta) const;

  /// Names of the unconstrained coordinates (Stan style, e.g. "mu", "log_tau", "z.1").
  /// Default: "theta.1" ... "theta.d".
  [[nodiscard]] virtual std::vector<std::string> parameter_names() const;

  /// Names of the reported values (constrained parameters, then derived quantities), Stan style
  /// with 1-based indices ("sigma", "theta.1"). Default: parameter_names().
  [[nodiscard]] virtual std::vector<std::string> output_names() const;

  /// Maps an unconstrained draw to the reported values; `out` is resized by the callee to
  /// output_names().size(). Default: out = theta.
  virtual void outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const;

  /// A short model name for output headers (CmdStan's "model = ..."). Default: "model".
  [[nodiscard]] virtual std::string name() const;

  /// True when log_density_gradient only approximates the gradient (finite differences): the
  /// run summary of a gradient-based sampler then warns. Default: false.
  [[nodiscard]] virtual bool approximate_gradient() const { return false; }

  /// The number of reported values, output_names().size().
  [[nodiscard]] int output_dimension() const { return static_cast<int>(output_names().size()); }
};

/// A LogDensity from callables, for user models written inline and for tests.
/// `value_and_gradient(theta, grad)` returns log p(theta) and fills grad (the callable must
/// resize it). Optional: names of the coordinates and an output map (with its names).
class FunctionLogDensity : public LogDensity {
 public:
  using GradientFn = std::function<double(const Eigen::VectorXd&, Eigen::VectorXd&)>;
  using OutputFn = std::function<void(const Eigen::VectorXd&, Eigen::VectorXd&)>;

  FunctionLogDensity(int dimension, GradientFn value_and_gradient, std::vector<std::string> names = {},
                     std::string model_name = "model");

  /// Reports out_fn(theta) under `out_names` instead of theta itself.
  FunctionLogDensity& with_outputs(std::vector<std::string> out_names, OutputFn out_fn);

  [[nodiscard]] int dimension() const override { return dimension_; }
  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] std::vector<std::string> output_names() const override;
  void outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const override;
  [[nodiscard]] std::string name() const override { return model_name_; }

 private:
  int dimension_;
  GradientFn fn_;
  std::vector<std::string> names_;
  std::string model_name_;
  std::vector<std::string> out_names_;
  OutputFn out_fn_;
};

/// model.outputs(theta, out), checked: throws std::invalid_argument naming the model when `out`
/// does not come back with `expected` entries (output_names().size(), passed in so that the
/// per-draw check does not build the names).
void checked_outputs(const LogDensity& model, const Eigen::VectorXd& theta, Eigen::VectorXd& out, Eigen::Index expected);

/// Throws std::invalid_argument naming the model when a gradient does not have the model's
/// dimension (a user's callable that forgot to resize it).
void check_gradient_size(const LogDensity& model, const Eigen::VectorXd& grad);

/// Stan-style indexed names: indexed_names("x", 3) = {"x.1", "x.2", "x.3"}.
std::vector<std::string> indexed_names(const std::string& base, int count);

}  // namespace gpbo::mcmc
