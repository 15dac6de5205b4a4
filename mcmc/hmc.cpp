#include "gpbo/mcmc/hmc.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "gpbo/mcmc/euclidean_warmup.hpp"
#include "gpbo/mcmc/chain_recorder.hpp"
#include "gpbo/mcmc/hamiltonian.hpp"

namespace gpbo::mcmc {
namespace {

struct HmcTransition {
  double accept_stat = 0.0;
  int n_leapfrog = 0;
  bool divergent = false;
};

// One static HMC transition of `steps` leapfrog steps from z; z becomes the new state.
HmcTransition transition(Hamiltonian& ham, PhasePoint& z, PhasePoint& trial, double eps, int steps,
                         double max_error, Rng& rng) {
  ham.metric().sample_momentum(rng, z.p);
  const double h0 = ham.energy(z);
  trial = z;
  HmcTransition t;
  for (int l = 0; l < steps; ++l) {
    ham.leapfrog(trial, eps);
    ++t.n_leapfrog;
    if (ham.energy(trial) - h0 > max_error) {
      t.divergent = true;
      return t;  // accept_stat 0: stay at z
    }
  }
  const double log_ratio = h0 - ham.energy(trial);
  t.accept_stat = log_ratio >= 0.0 ? 1.0 : std::exp(log_ratio);
  if (t.accept_stat >= 1.0 || uniform01(rng) < t.accept_stat) z = trial;
  return t;
}

struct LeapfrogCount {
  int steps = 1;
  bool capped = false;  // T / eps exceeded 2^max_treedepth
};

LeapfrogCount leapfrog_steps(int fixed_steps, double integration_time, double jitter, double eps, int max_treedepth,
                             Rng& rng) {
  if (fixed_steps > 0) return {fixed_steps, false};
  const double time = jitter > 0.0 ? integration_time * uniform(rng, 1.0 - jitter, 1.0 + jitter) : integration_time;
  const double cap = std::ldexp(1.0, max_treedepth);
  const double wanted = std::floor(time / eps);
  return {static_cast<int>(std::clamp(wanted, 1.0, cap)), wanted > cap};
}

}  // namespace

StaticHmc::StaticHmc(int fixed_steps, double time_jitter) : fixed_steps_(fixed_steps), time_jitter_(time_jitter) {
  if (fixed_steps_ < 0) throw std::invalid_argument("hmc: fixed_steps must be >= 0");
  if (!(time_jitter_ >= 0.0 && time_jitter_ < 1.0)) throw std::invalid_argument("hmc: time_jitter must be in [0, 1)");
}

ChainResult StaticHmc::run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng,
                           const SamplerOptions& options, const IterationCallback& progress) const {
  validate(options);
  checked_initial_log_density(model, initial, "hmc");
  const int d = model.dimension();
  ChainRecorder recorder(model, options, name(), initial, DiagnosticColumns{true, true, true, true});
  EuclideanMetric metric = EuclideanMetric::initial(options, d, "hmc");
  Hamiltonian ham(model, metric);
  PhasePoint z, trial;
  z.q = initial;
  ham.evaluate(z);
  if (!std::isfinite(z.lp))  // evaluate() makes a point with a non-finite gradient -inf
    throw std::invalid_argument("hmc: non-finite log density or gradient at the initial point");

  const bool adapt = adapts(options);
  double eps = options.stepsize;
  EuclideanWarmup warmup(options, d, eps);  // mu from the user's step size, before the search (as Stan)
  if (adapt) eps = ham.init_stepsize(z, eps, rng);
  const int total = options.warmup + options.draws;
  for (int it = 0; it < total; ++it) {
    if (it == options.warmup) recorder.begin_sampling(ham.gradient_evaluations());
    const LeapfrogCount steps =
        leapfrog_steps(fixed_steps_, options.integration_time, time_jitter_, eps, options.max_treedepth, rng);
    const HmcTransition t = transition(ham, z, trial, eps, steps.steps, options.max_energy_error, rng);
    if (it >= options.warmup) {
      const int s = it - options.warmup;
      const double energy = ham.energy(z);
      recorder.result().diagnostics.all.add(t.divergent, steps.capped, energy);
      if (recorder.kept(s)) {
        const double int_time = steps.steps * eps;  // the time asked for, also when a divergence cut it short
        recorder.record(s / options.thin, z.q, z.lp,
                        IterationInfo{t.accept_stat, eps, int_time, t.n_leapfrog, t.divergent, energy});
      }
    } else {
      if (recorder.kept_warmup(it))
        recorder.record_warmup(it / options.thin, z.q, z.lp,
                               IterationInfo{t.accept_stat, eps, steps.steps * eps, t.n_leapfrog, t.divergent, ham.energy(z)});
      if (adapt) eps = warmup.update(it, t.accept_stat, z, ham, metric, rng);
    }
    if (progress) progress(it + 1, total);
  }
  auto& result = recorder.result();
  result.stepsize = eps;
  result.metric = options.metric;
  result.inverse_metric = metric.inverse();
  result.nonfinite_gradients = ham.nonfinite_gradients();
  result.first_nonfinite_gradient = ham.first_nonfinite_gradient();
  return recorder.finish(ham.gradient_evaluations(), 1);
}

}  // namespace gpbo::mcmc
