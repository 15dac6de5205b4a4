#pragma once
// The state file shared by `gpbo tune` (run-directory/state.json) and `gpbo ask`/`gpbo tell`:
// the config it was made from, the optimizer (every trial, pending ids, RNG state, ...), and a
// record of each evaluation's timing and failure details. It is the source of truth of a run:
// results.csv is derived from it. Written atomically after every change.
//
// A state file that cannot be parsed, or that was made from another config, is refused with a
// StateFileError and never overwritten.

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "gpbo/bayesopt/optimizer.hpp"

namespace gpbo::tune {

class StateFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Timing and outcome details of one evaluation run by gpbo (not needed for ask/tell).
struct EvaluationRecord {
  std::string started_at;   // ISO 8601, UTC
  double seconds = 0;
  std::string status;       // ok | failed | crashed | timeout | bad_output
  std::string reason;
  std::string stderr_tail;
};

struct RunState {
  nlohmann::json config;                                // the config document as given
  bo::Optimizer optimizer;
  std::map<std::uint64_t, EvaluationRecord> evaluations;
  /// `gpbo tune` options that replaced config keys (budget, workers, seed), so that --resume
  /// continues the run as it was started.
  nlohmann::json command_line = nlohmann::json::object();
};

nlohmann::json run_state_to_json(const RunState& state);
/// `file` names the state in messages.
RunState run_state_from_json(const nlohmann::json& j, const std::string& file);

/// Atomic write (temp file, fsync, rename).
void save_run_state(const RunState& state, const std::string& path);
/// What makes a config the same run: all of it but how long and how it runs, which may change
/// between sessions of one run (a run stopped by its time limit continues with a larger one):
/// the budget, the worker count, the stopping rules, the run's name, and the objective's timeout
/// and working directory (a project folder may move; the run directory's config.json holds it
/// absolute).
nlohmann::json run_identity(nlohmann::json config);

/// Refuses (StateFileError) a state made from another config than `config` (by run_identity),
/// naming the first JSON path where they differ; `advice` ends the message.
void check_same_run(const RunState& state, const nlohmann::json& config, const std::string& file,
                    const std::string& advice = "");

/// Loads a state; when `expected_config` is given, refuses a state made from another config
/// (by run_identity), naming the first JSON path where they differ.
RunState load_run_state(const std::string& path, const nlohmann::json* expected_config = nullptr);

/// Throws StateFileError, as load_run_state would, when an existing `path` is not a gpbo state
/// (not JSON, or without "format": "gpbo.run"), without building the optimizer. ask and tell
/// check this before they create the state's lock file beside it (a results.csv given by mistake
/// would otherwise leave results.csv.lock behind).
void check_state_file(const std::string& path);

/// Refuses (StateFileError) a state whose optimizer searches another space than the config's,
/// e.g. a hand-edited /optimizer/space, naming the first JSON path where they differ: it would
/// go on to evaluate points outside the configured space.
void check_state_space(const RunState& state, const bo::Space& config_space, const std::string& file);
/// Throws StateFileError when the state minimizes where the config maximizes (or the reverse),
/// or its outcome constraints are not the config's (a hand edit to /optimizer/options: the run
/// went on to report its worst value as the best).
void check_state_objective(const RunState& state, bo::Goal goal, const std::vector<bo::OutcomeConstraint>& constraints,
                           const std::string& file);

/// The status of an evaluation that has started and not ended (state.json, results.csv).
inline constexpr std::string_view kRunningStatus = "running";

/// results.csv's own columns: the first comes before the parameters, the others after them.
/// No parameter may take one of these names.
inline constexpr std::array<std::string_view, 6> kResultsColumns = {"id", "value", "status", "seconds", "start_time", "reason"};

/// The columns `gpbo predict --state` writes after the parameters (the last two only with
/// outcome constraints, and once an evaluation failed). No parameter may take one of these names:
/// the predictions' header would name it twice and not read back.
inline constexpr std::array<std::string_view, 5> kStatePredictionColumns = {"median", "lower95", "upper95", "p_feasible",
                                                                            "p_success"};

/// results.csv's column after the outcome constraints' own (one each, by name), when there are
/// any: whether the result meets them all ("true"/"false"; empty without a result).
inline constexpr std::string_view kFeasibleColumn = "feasible";

/// results.csv's column right after value when values come with their noise sd (the config's
/// objective reports one, or a trial was told with one): the sd, empty where none was known.
/// No parameter or constraint may take this name either.
inline constexpr std::string_view kValueSdColumn = "value_sd";

/// results.csv: id, the parameters, value (and value_sd), with outcome constraints their values (a column each,
/// by name) and feasible, then status, seconds, start_time, reason — one row per completed or
/// failed evaluation, in id order; with `pending`, also the points still being evaluated
/// (status "running" in a tune run, "pending" for an ask/tell state's asked points).
std::string results_csv(const RunState& state, bool pending = false);

/// Whether the run's values carry noise the model knows of: it learns a noise (noise other than
/// "none") or values were told with their sd. The best value is then partly luck.
bool values_noisy(const RunState& state);

/// Why a run stops, for people: "stopping rule 'target' met", or for bo::Optimizer's
/// "exhausted" rule, that every point of the finite search space was suggested. With noisy
/// values, a target met by an observed value the model's median there falls short of says so.
/// An Optimizer::stop_reason() by the config key that sets it ("time" is "max_time_s").
std::string stop_rule_key(const std::string& rule);
std::string describe_stop_rule(const std::string& rule, const RunState& state);
/// Whether nothing is left to suggest in a finite space (every point suggested, no start point
/// queued), whatever the stopping rules say: they are checked before it.
bool space_used_up(const RunState& state);
/// A run that a rule has stopped, for people who try to run it again: why it stopped ("its
/// budget of 30 evaluations is used up") and how it continues ("--resume --budget N with N
/// above 30 continues it"). Nothing when no rule holds (the run has more to do).
std::optional<std::string> stopped_run_advice(const RunState& state);

/// Throws StateFileError naming /evaluations when a `gpbo tune` run's state (one that keeps
/// evaluation records, as below) lacks the record of a trial it asked for: every such trial got
/// its record when it started, so one missing is damage. `gpbo show` reads such a state anyway;
/// what would write it (--resume, ask, tell) refuses it instead of inventing the record.
void check_evaluation_records(const RunState& state, const std::string& file);

/// For a `gpbo tune` run's state (one that keeps evaluation records) that `gpbo ask` or `gpbo
/// tell` changed: a record for each asked trial that has none (started now, running), and each
/// record's status brought in line with its trial's ("ok", or "failed" with the trial's reason,
/// for a result told from outside; seconds unknown, 0), so that `gpbo show` and `--resume` read
/// it as gpbo wrote it. A tune run's state is one with records or whose config names an
/// objective; others (ask/tell's own) are left as they are.
void sync_evaluation_records(RunState& state);

/// Whether `path` is an empty regular file: made by mktemp or touch, holding no state yet (gpbo
/// ask --config starts one there). States are written atomically, so no crash leaves one empty.
bool empty_state_file(const std::string& path);

/// Current time as ISO 8601 UTC ("2026-11-25T06:55:40Z").
std::string utc_now();

}  // namespace gpbo::tune
