#pragma once
// The `gpbo tune` config: a JSON file naming the search space, the goal, the budget and
// stopping rules, the surrogate/acquisition settings, the seed and the objective (a built-in
// test function or an external command). See README.md (Config reference) and configs/schema.json.
//
// Loading validates everything before any evaluation runs. Every error is a ConfigError whose
// message starts with the JSON path of the offending value and says what was expected, with a
// "did you mean" suggestion for unknown keys.

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_options.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "tune/command_objective.hpp"

namespace gpbo::tune {

/// A config error: "<file>: <json path>: <what was expected>".
class ConfigError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Stopping rules besides the budget; each is off when unset.
struct StopRules {
  std::optional<double> target;      // stop once the best value reaches it
  std::optional<int> patience;       // stop after this many evaluations without improvement
  std::optional<double> min_improvement;  // what patience counts as one (objective units); unset: any
  std::optional<double> max_time_s;  // stop starting evaluations after this wall time
};

/// Surrogate and acquisition settings (the "optimizer" section); defaults are the tuned ones.
struct OptimizerSettings {
  std::string preset = "default";            // default | fast
  std::string acquisition = "log_ei";        // log_ei | ei | log_pi | ucb | thompson | noisy_ei | log_nei
  std::optional<double> xi;                  // EI/PI improvement margin (OptimizerOptions::xi); unset: its default
  std::optional<double> ucb_scale;           // factor on GP-UCB's beta_t (OptimizerOptions::ucb_scale); unset: 0.2
  std::string hyperparameters = "map";       // map | mcmc
  std::string noise = "auto";                // auto | none | a fixed noise sd in objective units (as text)
  int initial_points = 10;
  std::string initial_design = "sobol";      // sobol | lhs | random
  bool escape = true;                        // leave a resolved local optimum (bayesopt/basin_escape.hpp)
  bo::ShortRange short_range = bo::ShortRange::Auto;  // the kernel's short-range term (bayesopt/surrogate.hpp)
  bool outliers = false;  // "detect": values the model cannot explain get their own noise (SurrogateOptions::outliers)
};

/// The objective: exactly one of a built-in function name or a command.
struct ObjectiveSpec {
  std::string builtin;                // e.g. "branin"; empty for a command
  double noise_sd = 0;                // built-in only: Gaussian noise added to each value
  bool report_sd = false;             // built-in only: tell the optimizer noise_sd with each value
  std::optional<CommandSpec> command;
};

/// The most parallel evaluations a run takes (config "workers", --workers): the group reaper,
/// which kills a dead run's evaluations, keeps that many process groups.
inline constexpr int kMaxWorkers = 4096;
/// The largest budget a config or --budget may give.
inline constexpr int kMaxBudget = 100000000;

/// Whether j is a seed: an integer from 0 to 2^64 - 1 (as JSON holds it, unsigned above 2^63).
bool is_seed(const nlohmann::json& j);

struct TuneConfig {
  std::string name;                   // for titles and logs; defaults to the file's stem
  bo::Space space;
  std::vector<bo::Point> start_points;  // evaluated first, in order (e.g. the current defaults)
  std::string warm_start;                // CSV of earlier observations (absolute path); "" = none
  bool minimize = true;
  bool has_objective = true;         // false only for ask/tell configs without one
  int budget = 50;                    // evaluations in all, including the initial design
  StopRules stop;
  /// Outcome constraints: the config's "constraints", or a built-in objective's own.
  std::vector<bo::OutcomeConstraint> constraints;
  OptimizerSettings optimizer;
  ObjectiveSpec objective;
  int workers = 1;                    // 1 to kMaxWorkers
  bool synchronous = false;           // workers > 1: ask a whole batch, wait for all its results
  std::uint64_t seed = 0;
  nlohmann::json source;              // the config as read (copied into the run directory)
  std::string file;                   // the config's file name, for messages
};

/// Which configs are acceptable: `gpbo tune` needs an objective; `gpbo ask` (the caller
/// evaluates) needs only the space.
enum class ObjectiveRequirement { Required, Optional };

/// Parses and validates a config document. `file` names it in messages; `base_dir` resolves a
/// relative working directory of the command; `space_order` is the order of the parameters as
/// the file writes them (JSON objects come sorted), kept for the space and thus every output.
TuneConfig tune_config_from_json(const nlohmann::json& j, const std::string& file, const std::string& base_dir,
                                 ObjectiveRequirement objective = ObjectiveRequirement::Required,
                                 const std::vector<std::string>& space_order = {});

/// Checks the keys that command-line options override (budget, workers, seed) as the file
/// writes them, so that an override never hides a bad value that a later run would meet.
void check_overridable_keys(const nlohmann::json& j, const std::string& file);

/// Reads a config file (JSON syntax errors report line and column).
TuneConfig load_tune_config(const std::string& path, ObjectiveRequirement objective = ObjectiveRequirement::Required);

/// The optimizer options a config asks for: its preset, then its optimizer settings, goal,
/// seed, stopping rules (budget = completed evaluations) and outcome constraints.
bo::OptimizerOptions optimizer_options(const TuneConfig& config);

/// The optimizer of a new run of `config`: its options, with the warm start's observations told
/// and the start points enqueued. Throws ConfigError for a warm-start file it cannot use. Rows
/// whose points lie outside the config's space are left out: `warm_start_note`, if given, then
/// gets "note: warm start: left out 12 rows outside the space (the first, ...)" (else unchanged).
bo::Optimizer new_optimizer(const TuneConfig& config, std::string* warm_start_note = nullptr);

}  // namespace gpbo::tune
