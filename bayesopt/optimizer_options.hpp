#pragma once
// Options of the ask/tell optimizer (bayesopt/optimizer.hpp), with the defaults that should be
// left alone by most users, and the named presets "default", "fast" and "mcmc".

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "gpbo/bayesopt/acquisition.hpp"
#include "gpbo/bayesopt/acquisition_search.hpp"
#include "gpbo/bayesopt/basin_escape.hpp"
#include "gpbo/bayesopt/design.hpp"
#include "gpbo/bayesopt/outcome_constraints.hpp"
#include "gpbo/bayesopt/surrogate.hpp"

namespace gpbo::bo {

enum class Goal { Minimize, Maximize };

/// When should_stop() says to stop. Zero / empty means "no such rule".
struct StoppingRules {
  std::size_t max_evaluations = 0;   // budget: completed evaluations (successes and failures, also of
                                     // points told without being asked, as a warm start)
  std::optional<double> target;      // stop once the best value reaches it (<= for minimize, >= for maximize)
  std::size_t patience = 0;          // stop after this many successful evaluations of suggested points
                                     // without improvement, counted after the best and after the first
                                     // initial_points successful evaluations (those may include points
                                     // told without asking; after them, told points do not count)
  double min_improvement = 0.0;      // what patience counts as an improvement: a feasible value better
                                     // than the last one that counted by more than this (objective
                                     // units; 0: any better value), as EarlyStopping's min_delta
  double max_seconds = 0.0;          // wall time alive, summed over sessions (as elapsed_seconds())
};

/// What OptimizerOptions::validate throws: the field ("surrogate.mcmc_samples") and what it must
/// be, apart, so that a reader of saved options can name the field's JSON path.
class InvalidOption : public std::invalid_argument {
 public:
  InvalidOption(std::string field, std::string requirement)
      : std::invalid_argument("OptimizerOptions: " + field + " must be " + requirement),
        field_(std::move(field)), requirement_(std::move(requirement)) {}
  [[nodiscard]] const std::string& field() const { return field_; }
  /// "in [0, 0.5), got -1"
  [[nodiscard]] const std::string& requirement() const { return requirement_; }

 private:
  std::string field_, requirement_;
};

struct OptimizerOptions {
  Goal goal = Goal::Minimize;
  std::uint64_t seed = 0;
  std::size_t initial_points = 10;               // space-filling points before the first model
                                                 // (0 and 1 act as 2: a model needs two values)
  DesignKind initial_design = DesignKind::Sobol;
  AcquisitionKind acquisition = AcquisitionKind::LogEI;
  double ucb_delta = 0.1;                        // GP-UCB confidence parameter
  double ucb_scale = 0.2;                        // multiplies the theoretical beta (which over-explores)
  /// Improvement margin xi of the EI and PI forms, in standardized units (standard deviations of
  /// the modelled values): improvement is counted beyond best - xi. Unset: improvement_margin()
  /// picks 0.01 for log_pi (PI without a margin only polishes the incumbent) and 0 for the EI
  /// forms (a margin measured worse for log-EI). Ignored by UCB and Thompson sampling.
  std::optional<double> xi;
  SurrogateOptions surrogate;
  SearchOptions search;
  EscapeOptions escape;                          // leaving a resolved local optimum (basin_escape.hpp)
  StoppingRules stop;
  /// Outcome constraints (bayesopt/outcome_constraints.hpp): with any, every result is told with
  /// one value per constraint, in this order, and only results that meet them all count as best.
  std::vector<OutcomeConstraint> constraints;

  /// MAP hyperparameters refitted after every observation (the default).
  static OptimizerOptions preset_default();
  /// Refit every 8 observations, cheaper acquisition search: for cheap objectives.
  static OptimizerOptions preset_fast();
  /// Fully Bayesian hyperparameters (NUTS samples), acquisition averaged over them.
  static OptimizerOptions preset_mcmc();
  /// preset_default / preset_fast / preset_mcmc by name; throws std::invalid_argument otherwise.
  static OptimizerOptions preset(const std::string& name);

  /// Throws InvalidOption naming the first field outside its valid range (e.g.
  /// "OptimizerOptions: surrogate.mcmc_samples must be >= 1, got 0"), and std::invalid_argument
  /// for a bad outcome constraint ("OptimizerOptions: constraints: outcome constraint 0: needs a
  /// name"). The Optimizer calls it, so options set in C++ are checked as strictly as options
  /// read from JSON.
  void validate() const;

  /// The margin in effect: xi if set, otherwise the acquisition's default (see xi).
  [[nodiscard]] double improvement_margin() const;
};

std::string to_string(Goal goal);
Goal parse_goal(const std::string& name);             // "minimize" | "maximize"
std::string to_string(NoiseMode mode);
NoiseMode parse_noise_mode(const std::string& name);  // "auto" | "none" | "fixed"
std::string to_string(HyperMode mode);
HyperMode parse_hyper_mode(const std::string& name);  // "map" | "fast" | "mcmc"

}  // namespace gpbo::bo
