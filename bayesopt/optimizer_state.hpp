#pragma once
// Saving and restoring an Optimizer as JSON (format "gpbo.bo_state", version 2): the space, the
// options, every trial (points, encodings, values and constraint values, failures with reasons,
// pending ids), the
// initial design and its cursor, queued points, the surrogate's hyperparameters and
// standardization (in mcmc mode also its samples and the sampler's adapted step size and metric),
// the random generator's state and the elapsed time. A restored optimizer
// continues exactly as the original would have: same suggestions for the same tells.
// Also the JSON form of OptimizerOptions, usable on its own in configs.
//
// Errors (StateError) name the JSON path and what was expected, e.g.
// "/options/acquisition: unknown acquisition \"pi\", expected one of ...".

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

#include "gpbo/bayesopt/optimizer.hpp"

namespace gpbo::bo {

class StateError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Options as JSON. Keys: goal, seed, initial_points, initial_design, acquisition, ucb_delta,
/// ucb_scale, xi (a number, or null for the acquisition's default), noise ("auto" | "none" | a noise standard deviation in objective units),
/// hyperparameters ("map" | "fast" | "mcmc"), refit_every, fit_restarts, first_fit_restarts,
/// fit_max_evaluations, fit_restart_subset, fit_threads, warp_outputs, categorical_kernel
/// ("overlap" | "one_hot"), short_range ("auto" | true | false), outliers ("off" | "detect"), lengthscale_prior ("short" | "dimension_scaled"), mcmc_samples, mcmc_thin, search {candidates, incumbent_candidates,
/// incumbent_sd, refine_starts, incumbent_starts, max_evaluations, neighbourhood_rounds,
/// duplicate_tolerance, thompson_candidates, nei_samples}, escape (true | false | {enabled, patience, min_improvement,
/// separation, box_halfwidth, every, escalate_after}), stop {max_evaluations, target, patience, min_improvement,
/// max_seconds},
/// constraints [{name, min, max}] (outcome constraints; each needs min, max or both).
nlohmann::json options_to_json(const OptimizerOptions& options);
/// Reads options; missing keys keep the values of `base` (default: the default preset). Unknown
/// keys are errors with a "did you mean" suggestion.
OptimizerOptions options_from_json(const nlohmann::json& j, const std::string& path = "/options",
                                   const OptimizerOptions& base = OptimizerOptions{});
/// "auto", true or false as a ShortRange; none for anything else (the caller names the path).
std::optional<ShortRange> short_range_from_json(const nlohmann::json& j);

nlohmann::json optimizer_to_json(const Optimizer& optimizer);
Optimizer optimizer_from_json(const nlohmann::json& j);

/// Writes optimizer_to_json() atomically (write_file_atomically: a crash leaves the old file or
/// the new one); throws FileError naming the file.
void save_optimizer(const Optimizer& optimizer, const std::string& path);
/// Reads a file written by save_optimizer(); errors name the file: FileError when it cannot be
/// read (missing, a directory), StateError for anything wrong inside.
Optimizer load_optimizer(const std::string& path);

}  // namespace gpbo::bo
