#include "bayesopt/optimizer_options.hpp"

#include <stdexcept>

namespace gpbo::bo {

OptimizerOptions OptimizerOptions::preset_default() { return OptimizerOptions{}; }

OptimizerOptions OptimizerOptions::preset_fast() {
  OptimizerOptions o;
  o.surrogate.mode = HyperMode::Fast;
  o.surrogate.refit_every = 5;
  o.surrogate.restarts = 0;
  o.surrogate.max_evaluations = 40;
  o.search.candidates = 500;
  o.search.incumbent_candidates = 100;
  o.search.refine_starts = 2;
  o.search.incumbent_starts = 1;
  o.search.max_evaluations = 30;
  return o;
}

OptimizerOptions OptimizerOptions::preset_mcmc() {
  OptimizerOptions o;
  o.surrogate.mode = HyperMode::Mcmc;
  o.search.candidates = 1000;
  o.search.refine_starts = 3;
  return o;
}

OptimizerOptions OptimizerOptions::preset(const std::string& name) {
  if (name == "default") return preset_default();
  if (name == "fast") return preset_fast();
  if (name == "mcmc") return preset_mcmc();
  throw std::invalid_argument("unknown optimizer preset \"" + name + "\", expected default, fast or mcmc");
}

std::string to_string(Goal goal) { return goal == Goal::Minimize ? "minimize" : "maximize"; }

Goal parse_goal(const std::string& name) {
  if (name == "minimize") return Goal::Minimize;
  if (name == "maximize") return Goal::Maximize;
  throw std::invalid_argument("unknown goal \"" + name + "\", expected minimize or maximize");
}

std::string to_string(NoiseMode mode) {
  switch (mode) {
    case NoiseMode::Auto: return "auto";
    case NoiseMode::None: return "none";
    case NoiseMode::Fixed: break;
  }
  return "fixed";
}

NoiseMode parse_noise_mode(const std::string& name) {
  if (name == "auto") return NoiseMode::Auto;
  if (name == "none") return NoiseMode::None;
  if (name == "fixed") return NoiseMode::Fixed;
  throw std::invalid_argument("unknown noise mode \"" + name + "\", expected auto, none or a number");
}

std::string to_string(HyperMode mode) {
  switch (mode) {
    case HyperMode::Map: return "map";
    case HyperMode::Fast: return "fast";
    case HyperMode::Mcmc: break;
  }
  return "mcmc";
}

HyperMode parse_hyper_mode(const std::string& name) {
  if (name == "map") return HyperMode::Map;
  if (name == "fast") return HyperMode::Fast;
  if (name == "mcmc") return HyperMode::Mcmc;
  throw std::invalid_argument("unknown hyperparameter mode \"" + name + "\", expected map, fast or mcmc");
}

}  // namespace gpbo::bo
