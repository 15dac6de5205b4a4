#pragma once
// Building blocks shared by the Hamiltonian samplers (NUTS, static HMC): a phase-space point, a
// Euclidean metric (unit, diagonal or dense inverse mass matrix), the leapfrog integrator and
// Stan's step-size initialization heuristic.
//
// Conventions: the potential is U(q) = -log p(q); the Hamiltonian is H = U(q) + p' M^-1 p / 2;
// a point's `lp` and `grad` are the log density and its gradient (not the potential). A point
// whose log density is not finite has energy +infinity.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/core/random.hpp"
#include "gpbo/mcmc/log_density.hpp"
#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// Position, momentum, and the log density with its gradient at the position.
struct PhasePoint {
  Eigen::VectorXd q, p, grad;
  double lp = 0.0;
};

/// The kinetic energy p' M^-1 p / 2 and momentum draws p ~ N(0, M) for a fixed inverse metric.
class EuclideanMetric {
 public:
  /// Identity inverse metric of the given kind and dimension.
  EuclideanMetric(Metric kind, int dimension);
  /// The metric a chain starts from: options.metric's kind with options.inverse_metric, or the
  /// identity when that is empty. Throws std::invalid_argument, prefixed with `sampler`, when
  /// its size does not match `dimension`.
  static EuclideanMetric initial(const SamplerOptions& options, int dimension, const std::string& sampler);

  /// Sets M^-1: for diag a vector (d x 1, positive), for dense a symmetric positive-definite
  /// d x d matrix; ignored for unit. Throws std::invalid_argument when unusable.
  void set_inverse(const Eigen::MatrixXd& inverse_metric);

  [[nodiscard]] Metric kind() const { return kind_; }
  /// M^-1 as stored (diag: d x 1, dense: d x d, unit: empty).
  [[nodiscard]] Eigen::MatrixXd inverse() const;

  [[nodiscard]] double kinetic(const Eigen::VectorXd& p) const;
  /// v = M^-1 p, the time derivative of q ("p sharp" in Stan's NUTS).
  void velocity(const Eigen::VectorXd& p, Eigen::VectorXd& v) const;
  /// p ~ N(0, M).
  void sample_momentum(Rng& rng, Eigen::VectorXd& p) const;

 private:
  Metric kind_;
  int dimension_;
  Eigen::VectorXd inverse_diag_;
  Eigen::MatrixXd inverse_dense_;
  Eigen::MatrixXd chol_upper_;  // U with M^-1 = U'U; p = U^-1 z gives cov M
  Eigen::VectorXd scratch_;
};

/// A LogDensity with a metric: energies and leapfrog steps, counting gradient evaluations.
/// One per chain (it counts evaluations, so it is not shared between threads).
class Hamiltonian {
 public:
  Hamiltonian(const LogDensity& model, const EuclideanMetric& metric) : model_(model), metric_(metric) {}

  /// Recomputes z.lp and z.grad at z.q. A finite log density with a non-finite gradient (a bug
  /// in a hand-written gradient, say) is rejected as outside the support, and tallied.
  void evaluate(PhasePoint& z);
  /// H(z); +infinity when z.lp is not finite.
  [[nodiscard]] double energy(const PhasePoint& z) const;
  /// One leapfrog step of size eps (negative eps integrates backward in time).
  void leapfrog(PhasePoint& z, double eps);
  /// Stan's heuristic: starting from `stepsize`, doubles or halves it until the acceptance
  /// probability of one leapfrog step from z (fresh momentum) crosses 0.8. z is left unchanged.
  /// Throws std::runtime_error when the step size leaves [1e-300, 1e7] (a broken posterior).
  double init_stepsize(const PhasePoint& z, double stepsize, Rng& rng);

  [[nodiscard]] long long gradient_evaluations() const { return gradient_evaluations_; }
  /// Evaluations that met a finite log density with a non-finite gradient, and the first such point.
  [[nodiscard]] long long nonfinite_gradients() const { return nonfinite_gradients_; }
  [[nodiscard]] const Eigen::VectorXd& first_nonfinite_gradient() const { return first_nonfinite_gradient_; }
  [[nodiscard]] const EuclideanMetric& metric() const { return metric_; }

 private:
  const LogDensity& model_;
  const EuclideanMetric& metric_;
  long long gradient_evaluations_ = 0;
  long long nonfinite_gradients_ = 0;
  Eigen::VectorXd first_nonfinite_gradient_;
  Eigen::VectorXd velocity_;
};

}  // namespace gpbo::mcmc
