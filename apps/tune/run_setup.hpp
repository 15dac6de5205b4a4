#pragma once
// Reading a `gpbo tune` run's config and state before it runs, new or resumed, and --check's
// report of either: the run and its check refuse the same things in the same words.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gpbo/core/json_text.hpp"
#include "tune/file_lock.hpp"
#include "tune/run_state.hpp"
#include "tune/tune_config.hpp"
#include "tune/tuning_run.hpp"

namespace gpbo::tune {

/// The config keys given as options (--budget, --workers, --seed).
nlohmann::json command_line_of(const TuneRunOptions& o);
/// A config file as read: its document, and its objects' keys in the text's order (the
/// parameters' order is the space's; the run's config.json is written in that order).
struct ConfigFile {
  nlohmann::json json;
  JsonKeyOrder key_order;
  /// The parameters in the order the file lists them.
  const std::vector<std::string>& space_order() const;
};
/// The config file, its overridable keys checked as it writes them.
ConfigFile file_config(const TuneRunOptions& o);
/// The config with the command-line options written into it, as stored in the run.
nlohmann::json effective_config(nlohmann::json file, const nlohmann::json& command_line, const std::string& path);

/// The run's lock, held until the run ends; a second process fails at once (StateFileError).
FileLock lock_run(const std::string& dir, const std::string& state_path);
/// The config as run, for the run directory: a command's working directory made absolute and
/// the run's name kept, so that `gpbo tune DIR/config.json --out DIR --resume` works anywhere.
nlohmann::json runnable_copy(nlohmann::json config, const std::string& base_dir, const std::string& name);

/// A new run's state, saved at state_path; refuses a directory holding an earlier run's files.
/// warm_start_note: as new_optimizer() gives it.
RunState new_state(const std::string& dir, const nlohmann::json& config_json, const TuneConfig& config,
                   const std::string& state_path, std::string* warm_start_note = nullptr);
/// Refuses a new run where `dir` holds one that --resume (with this command's options) would not
/// continue either, because a stopping rule holds: the error says which, and what continues it
/// ("--resume" alone ran nothing). Any other earlier run is new_state()'s to refuse.
void refuse_stopped_run(const TuneRunOptions& o, const ConfigFile& file, const std::string& base_dir, const std::string& dir);
/// Refuses --resume where `dir` holds no run.
void require_run_to_resume(const std::string& dir, const std::string& state_path);

/// The run in state_path read and checked against the config file as --resume gives it.
struct ResumedRun {
  nlohmann::json command_line, config_json;
  TuneConfig config;
  RunState state;
};
ResumedRun read_resumed_run(const TuneRunOptions& o, const ConfigFile& file, const std::string& base_dir,
                            const std::string& state_path);

/// Warnings about a run's config, each a line "warning: ...": for a new run, start points past
/// what the budget leaves after `done` warm-start results (they never run); for any run,
/// categorical parameters with a single choice (never varied: a fixed parameter, or a forgotten
/// choice).
std::vector<std::string> config_warnings(const TuneConfig& config, std::size_t done, bool resumed = false);

}  // namespace gpbo::tune
