#pragma once
// Stan's warmup for one Euclidean HMC chain (static HMC and NUTS share it): after every warmup
// transition the step size is learned from the acceptance statistic by dual averaging; inside
// the slow windows the draws feed the metric estimate, and when a window closes the new inverse
// metric is installed and the step-size search restarts from a fresh guess at the current point.

#include "gpbo/core/random.hpp"
#include "gpbo/mcmc/adaptation.hpp"
#include "gpbo/mcmc/hamiltonian.hpp"

namespace gpbo::mcmc {

class EuclideanWarmup {
 public:
  /// `initial_stepsize` sets the dual-averaging target mu = log(10 * initial_stepsize).
  EuclideanWarmup(const SamplerOptions& options, int dimension, double initial_stepsize);

  /// Call after warmup iteration `iteration` with its acceptance statistic and the chain's state;
  /// returns the step size for the next iteration (the final averaged one after the last).
  double update(int iteration, double accept_stat, const PhasePoint& z, Hamiltonian& ham,
                EuclideanMetric& metric, Rng& rng);

 private:
  bool adapt_metric_;
  int warmup_;
  StepsizeAdaptation stepsize_;
  WindowSchedule windows_;
  MetricEstimator estimator_;
};

}  // namespace gpbo::mcmc
