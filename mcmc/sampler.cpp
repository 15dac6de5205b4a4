#include "gpbo/mcmc/sampler.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace gpbo::mcmc {

Metric parse_metric(const std::string& text) {
  if (text == "unit" || text == "unit_e") return Metric::unit;
  if (text == "diag" || text == "diag_e") return Metric::diag;
  if (text == "dense" || text == "dense_e") return Metric::dense;
  throw std::invalid_argument("unknown metric '" + text + "' (expected unit, diag or dense)");
}

std::string metric_name(Metric metric) {
  switch (metric) {
    case Metric::unit: return "unit_e";
    case Metric::diag: return "diag_e";
    case Metric::dense: return "dense_e";
  }
  return "unit_e";
}

void HamiltonianTally::add(bool divergent, bool treedepth_saturated, double energy) {
  ++iterations_;
  divergences_ += divergent;
  saturated_ += treedepth_saturated;
  // Energies are summed in units of a power of two near the largest seen: squares of energies
  // beyond 1e154 overflowed to a NaN E-BFMI, which as a ratio of squares ignores the unit.
  // Rescaling by powers of two is exact, and ordinary energies never trigger it.
  constexpr double kRescaleAbove = 0x1p64;
  if (const double size = std::abs(energy); std::isfinite(size) && size > unit_ * kRescaleAbove) {
    const double factor = unit_ / std::ldexp(1.0, std::ilogb(size));
    unit_ = std::ldexp(1.0, std::ilogb(size));
    mean_ *= factor;
    last_ *= factor;
    m2_ *= factor * factor;
    diff2_ *= factor * factor;
  }
  energy /= unit_;
  if (iterations_ > 1) diff2_ += (energy - last_) * (energy - last_);
  last_ = energy;
  const double delta = energy - mean_;
  mean_ += delta / static_cast<double>(iterations_);
  m2_ += delta * (energy - mean_);
}

double HamiltonianTally::ebfmi() const {
  if (iterations_ < 2) return std::numeric_limits<double>::quiet_NaN();
  const auto n = static_cast<double>(iterations_);
  return (diff2_ / (n - 1.0)) / (m2_ / n);  // mean squared step over the (population) variance
}

std::optional<std::string> inverse_metric_problem(Metric metric, const Eigen::MatrixXd& inverse) {
  if (inverse.size() == 0) return std::nullopt;
  const auto shape = std::to_string(inverse.rows()) + " x " + std::to_string(inverse.cols());
  if (metric == Metric::unit) return "given with the unit metric, which has none; use diag or dense";
  if (!inverse.allFinite()) return "has a non-finite element";
  if (metric == Metric::diag) {
    if (inverse.cols() != 1) return "a diag metric needs a d x 1 column, got " + shape;
    if (!(inverse.array() > 0.0).all()) return "a diag metric's elements must be positive";
    return std::nullopt;
  }
  if (inverse.rows() != inverse.cols()) return "a dense metric needs a square matrix, got " + shape;
  // Eigen's LLT reads one triangle only: check the symmetry it assumes (to rounding).
  if ((inverse - inverse.transpose()).cwiseAbs().maxCoeff() > 1e-10 * inverse.cwiseAbs().maxCoeff())
    return "a dense metric must be symmetric";
  if (Eigen::LLT<Eigen::MatrixXd>(inverse).info() != Eigen::Success) return "a dense metric must be positive definite";
  return std::nullopt;
}

long long divergent_iterations(const ChainResult& chain) {
  const auto& d = chain.diagnostics;
  return d.all.iterations() > 0 ? d.all.divergences() : d.divergent.sum();
}

int kept_draws(const SamplerOptions& options) {
  return static_cast<int>((static_cast<long long>(options.draws) + options.thin - 1) / options.thin);
}

int kept_warmup_draws(const SamplerOptions& options) {
  if (!options.save_warmup) return 0;
  return static_cast<int>((static_cast<long long>(options.warmup) + options.thin - 1) / options.thin);
}

bool adapts(const SamplerOptions& options) { return options.adapt && options.warmup > 0; }

void validate(const SamplerOptions& options) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("sampler options: " + what); };
  if (options.warmup < 0) fail("warmup must be >= 0");
  if (options.draws < 1) fail("draws must be >= 1");
  if (options.thin < 1) fail("thin must be >= 1");
  // The samplers count iterations in int: warmup + draws must not wrap around (2^31 - 1 gave a
  // chain of no iterations and uninitialized draws).
  constexpr long long kMaxIterations = 1'000'000'000;
  if (static_cast<long long>(options.warmup) + options.draws > kMaxIterations)
    fail("iterations per chain (warmup + draws) must be at most 1e9, got " +
         std::to_string(static_cast<long long>(options.warmup) + options.draws));
  if (options.max_treedepth < 1 || options.max_treedepth > 30) fail("max_treedepth must be in [1, 30]");
  if (!(options.adapt_delta > 0.0 && options.adapt_delta < 1.0)) fail("adapt_delta must be in (0, 1)");
  if (!(options.stepsize > 0.0) || !std::isfinite(options.stepsize)) fail("stepsize must be positive and finite");
  if (const auto problem = inverse_metric_problem(options.metric, options.inverse_metric))
    fail("inverse_metric: " + *problem);
  if (!(options.integration_time > 0.0) || !std::isfinite(options.integration_time))
    fail("integration_time must be positive and finite");
  if (!(options.max_energy_error > 0.0)) fail("max_energy_error must be positive");  // infinity: never divergent
  if (!(options.slice_width > 0.0) || !std::isfinite(options.slice_width)) fail("slice_width must be positive and finite");
  if (options.slice_max_steps < 1) fail("slice_max_steps must be >= 1");
  if (!(options.rwm_target_accept > 0.0 && options.rwm_target_accept < 1.0)) fail("rwm_target_accept must be in (0, 1)");
  if (options.ensemble_walkers < 0) fail("ensemble_walkers must be >= 0");
  // A huge stretch never proposes an accepted move (the chain would stand still for the whole run).
  if (!(options.ensemble_stretch > 1.0 && options.ensemble_stretch <= 1e3)) fail("ensemble_stretch must be in (1, 1000]");
}

}  // namespace gpbo::mcmc
