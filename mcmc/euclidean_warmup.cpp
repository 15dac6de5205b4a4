#include "gpbo/mcmc/euclidean_warmup.hpp"

#include <cmath>

namespace gpbo::mcmc {

EuclideanWarmup::EuclideanWarmup(const SamplerOptions& options, int dimension, double initial_stepsize)
    : adapt_metric_(options.adapt_metric && options.metric != Metric::unit),
      warmup_(options.warmup),
      stepsize_(options.adapt_delta),
      windows_(options.warmup),
      estimator_(options.metric, dimension) {
  stepsize_.set_mu(std::log(10.0 * initial_stepsize));
}

double EuclideanWarmup::update(int iteration, double accept_stat, const PhasePoint& z, Hamiltonian& ham,
                               EuclideanMetric& metric, Rng& rng) {
  double eps = stepsize_.learn(accept_stat);
  if (adapt_metric_) {
    if (windows_.in_window()) estimator_.add(z.q);
    if (windows_.window_end()) {
      windows_.next_window();
      metric.set_inverse(estimator_.regularized_inverse());
      estimator_.restart();
      eps = ham.init_stepsize(z, eps, rng);
      stepsize_.set_mu(std::log(10.0 * eps));
      stepsize_.restart();
    }
    windows_.advance();
  }
  if (iteration == warmup_ - 1) eps = stepsize_.final_stepsize();
  return eps;
}

}  // namespace gpbo::mcmc
