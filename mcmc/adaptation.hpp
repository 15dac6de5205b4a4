#pragma once
// Warmup adaptation as in Stan: step-size dual averaging (Nesterov / Hoffman & Gelman) and the
// windowed estimation of the inverse metric (diagonal variances or dense covariance of the
// unconstrained draws), regularized toward 1e-3 * I with weight 5 / (n + 5).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// Dual averaging of log step size toward a target mean acceptance statistic `delta`.
class StepsizeAdaptation {
 public:
  explicit StepsizeAdaptation(double delta, double gamma = 0.05, double kappa = 0.75, double t0 = 10.0)
      : delta_(delta), gamma_(gamma), kappa_(kappa), t0_(t0) {}

  /// Shrinkage target: mu = log(10 * stepsize), set at the start and after every metric update.
  void set_mu(double mu) { mu_ = mu; }
  /// Forgets the running averages (keeps mu).
  void restart();
  /// One update from the acceptance statistic of the last iteration; returns the next step size.
  double learn(double accept_stat);
  /// The final step size exp(x_bar) to use after warmup.
  [[nodiscard]] double final_stepsize() const;

 private:
  double delta_, gamma_, kappa_, t0_;
  double mu_ = 0.0, s_bar_ = 0.0, x_bar_ = 0.0;
  long counter_ = 0;
};

/// Stan's warmup windows: an initial fast buffer (75), slow windows starting at 25 iterations
/// and doubling (the last one stretched to the terminal buffer), a terminal fast buffer (50).
/// With warmup < 150 the buffers become 15% / 10% of warmup and the one window the rest.
class WindowSchedule {
 public:
  explicit WindowSchedule(int num_warmup, int init_buffer = 75, int term_buffer = 50, int base_window = 25);

  /// True when the current iteration's draw enters the metric estimate.
  [[nodiscard]] bool in_window() const;
  /// True when the current iteration closes a slow window (the metric is updated then).
  [[nodiscard]] bool window_end() const;
  /// Advances to the next iteration (call once per warmup iteration, after the checks).
  void advance();
  /// Moves to the next window boundary (call when window_end()).
  void next_window();
  /// True when the warmup (20 iterations or more) was too short for the three stages as given,
  /// which were then cut to 15% / 75% / 10% of it, as Stan cuts them.
  [[nodiscard]] bool stages_cut() const { return stages_cut_; }
  /// Warmup iterations between the two buffers, whose draws estimate the metric.
  [[nodiscard]] int window_iterations() const { return num_warmup_ - init_buffer_ - term_buffer_; }

 private:
  int num_warmup_, init_buffer_, term_buffer_, base_window_;
  bool stages_cut_ = false;
  int counter_ = 0, window_size_ = 0, next_window_ = 0;
};

/// Welford accumulator of draws for the metric: variances (diag) or covariance (dense).
class MetricEstimator {
 public:
  MetricEstimator(Metric kind, int dimension);
  void add(const Eigen::VectorXd& q);
  [[nodiscard]] long count() const { return n_; }
  /// The regularized inverse metric from the draws so far (diag: d x 1, dense: d x d).
  [[nodiscard]] Eigen::MatrixXd regularized_inverse() const;
  void restart();

 private:
  Metric kind_;
  long n_ = 0;
  Eigen::VectorXd mean_;
  Eigen::MatrixXd m2_;  // diag: d x 1 sums of squares; dense: d x d
  Eigen::VectorXd delta_;
};

}  // namespace gpbo::mcmc
