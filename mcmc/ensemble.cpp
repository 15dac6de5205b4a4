#include "gpbo/mcmc/ensemble.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "gpbo/mcmc/chain_recorder.hpp"

namespace gpbo::mcmc {
namespace {

// The walkers' positions (columns) and log densities.
struct Ensemble {
  Eigen::MatrixXd x;  // d x W
  Eigen::VectorXd lp;
  long long evaluations = 0;
};

Ensemble initialize(const LogDensity& model, const Eigen::VectorXd& initial, double lp0, int walkers, Rng& rng) {
  const int d = model.dimension();
  Ensemble e{Eigen::MatrixXd(d, walkers), Eigen::VectorXd(walkers), 1};
  e.x.col(0) = initial;
  e.lp(0) = lp0;
  Eigen::VectorXd q(d);
  for (int w = 1; w < walkers; ++w) {
    bool found = false;
    for (int attempt = 0; attempt < 100 && !found; ++attempt) {
      for (int i = 0; i < d; ++i) q(i) = initial(i) + uniform(rng, -0.5, 0.5);
      const double lp = sampled_log_density(model, q);
      ++e.evaluations;
      if (std::isfinite(lp)) {
        e.x.col(w) = q;
        e.lp(w) = lp;
        found = true;
      }
    }
    if (!found)
      throw std::runtime_error("ensemble: no finite log density within uniform(-0.5, 0.5) of the initial point for walker " +
                               std::to_string(w + 1) + " in 100 draws");
  }
  return e;
}

// Moves walkers [begin, begin + half) against the complementary half [other, other + half);
// stores each walker's acceptance probability in accept.
void stretch_half(const LogDensity& model, Ensemble& e, int begin, int other, int half, double a,
                  Eigen::VectorXd& accept, Eigen::VectorXd& proposal, Rng& rng) {
  const double d_minus_1 = static_cast<double>(e.x.rows()) - 1.0;
  for (int k = begin; k < begin + half; ++k) {
    const int j = other + static_cast<int>(uniform_index(rng, static_cast<std::uint64_t>(half)));
    const double u = uniform01(rng);
    const double z = std::pow((a - 1.0) * u + 1.0, 2) / a;  // density ∝ 1/sqrt(z) on [1/a, a]
    proposal = e.x.col(j) + z * (e.x.col(k) - e.x.col(j));
    const double lp = sampled_log_density(model, proposal);
    ++e.evaluations;
    const double log_ratio = d_minus_1 * std::log(z) + lp - e.lp(k);
    const double alpha = std::isfinite(lp) ? (log_ratio >= 0.0 ? 1.0 : std::exp(log_ratio)) : 0.0;
    accept(k) = alpha;
    if (alpha >= 1.0 || (alpha > 0.0 && uniform01(rng) < alpha)) {
      e.x.col(k) = proposal;
      e.lp(k) = lp;
    }
  }
}

}  // namespace

int ensemble_walkers(const SamplerOptions& options, int dimension) {
  const int least = std::max(4, 2 * dimension);
  // The stretch move proposes along lines through walkers of the other half: with fewer than
  // 2d walkers the ensemble stays in a subspace and never samples the whole posterior (emcee
  // refuses such ensembles too). 4 walkers in 10-D returned an sd of 1.25 for a true 1.
  if (options.ensemble_walkers > 0 && options.ensemble_walkers < least)
    throw std::invalid_argument("ensemble: ensemble_walkers is " + std::to_string(options.ensemble_walkers) +
                                "; it must be at least max(4, 2 x dimension) = " + std::to_string(least) +
                                " (or 0 for that default)");
  const int w = options.ensemble_walkers > 0 ? options.ensemble_walkers : least;
  return w + (w % 2);
}

ChainResult EnsembleSampler::run(const LogDensity& model, const Eigen::VectorXd& initial, Rng& rng,
                                 const SamplerOptions& options, const IterationCallback& progress) const {
  validate(options);
  const double lp0 = checked_initial_log_density(model, initial, "ensemble");
  const int d = model.dimension(), walkers = ensemble_walkers(options, d), half = walkers / 2;
  const int kept = kept_draws(options);
  ChainRecorder recorder(model, options, name(), initial, DiagnosticColumns{true, false, false}, walkers);
  Ensemble e = initialize(model, initial, lp0, walkers, rng);
  Eigen::VectorXd accept = Eigen::VectorXd::Zero(walkers), proposal(d);
  const int total = options.warmup + options.draws;
  for (int it = 0; it < total; ++it) {
    if (it == options.warmup) recorder.begin_sampling(0);
    stretch_half(model, e, 0, half, half, options.ensemble_stretch, accept, proposal, rng);
    stretch_half(model, e, half, 0, half, options.ensemble_stretch, accept, proposal, rng);
    if (it >= options.warmup) {
      const int s = it - options.warmup;
      if (recorder.kept(s)) {
        for (int w = 0; w < walkers; ++w) {
          IterationInfo info;
          info.accept_stat = accept(w);
          recorder.record(w * kept + s / options.thin, e.x.col(w), e.lp(w), info);
        }
      }
    } else if (recorder.kept_warmup(it)) {  // walker-major too
      for (int w = 0; w < walkers; ++w) {
        IterationInfo info;
        info.accept_stat = accept(w);
        recorder.record_warmup(w * recorder.warmup_rows() + it / options.thin, e.x.col(w), e.lp(w), info);
      }
    }
    if (progress) progress(it + 1, total);
  }
  recorder.result().stepsize = options.ensemble_stretch;
  return recorder.finish(0, e.evaluations);
}

MultiChainResult split_walkers(const MultiChainResult& run, int walkers) {
  if (walkers < 1) throw std::invalid_argument("split_walkers: walkers must be >= 1");
  MultiChainResult out;
  out.model = run.model;
  out.output_names = run.output_names;
  out.max_treedepth = run.max_treedepth;
  out.approximate_gradient = run.approximate_gradient;
  for (const auto& c : run.chains) {
    if (c.draws.rows() % walkers != 0)
      throw std::invalid_argument("split_walkers: chain " + std::to_string(c.chain + 1) + " has " +
                                  std::to_string(c.draws.rows()) + " rows, not a multiple of " + std::to_string(walkers));
    const Eigen::Index k = c.draws.rows() / walkers;
    for (int w = 0; w < walkers; ++w) {
      ChainResult part;
      part.sampler = c.sampler;
      part.chain = c.chain * walkers + w;
      part.draws = c.draws.middleRows(w * k, k);
      part.unconstrained_draws = c.unconstrained_draws.middleRows(w * k, k);
      part.lp = c.lp.segment(w * k, k);
      if (c.diagnostics.accept_stat.size() == c.draws.rows())
        part.diagnostics.accept_stat = c.diagnostics.accept_stat.segment(w * k, k);
      part.stepsize = c.stepsize;
      if (const Eigen::Index kw = c.warmup.draws.rows() / walkers; kw > 0) {  // save_warmup's rows, walker-major too
        part.warmup.draws = c.warmup.draws.middleRows(w * kw, kw);
        part.warmup.lp = c.warmup.lp.segment(w * kw, kw);
        if (c.warmup.diagnostics.accept_stat.size() == c.warmup.draws.rows())
          part.warmup.diagnostics.accept_stat = c.warmup.diagnostics.accept_stat.segment(w * kw, kw);
      }
      if (w == 0) {  // keep run totals (evaluations, seconds) unchanged: the ensemble's go to walker 0
        part.initial = c.initial;
        part.gradient_evaluations = c.gradient_evaluations;
        part.sampling_gradient_evaluations = c.sampling_gradient_evaluations;
        part.density_evaluations = c.density_evaluations;
        part.warmup_seconds = c.warmup_seconds;
        part.sampling_seconds = c.sampling_seconds;
        part.cpu_seconds = c.cpu_seconds;
      }
      out.chains.push_back(std::move(part));
    }
  }
  return out;
}

}  // namespace gpbo::mcmc
