#pragma once
// Runs one evaluation of an external objective command and reads its score and any outcome-constraint
// values from its stdout (stdout_readers.hpp).
//
// The command is an argv template: each "{name}" in an argument is replaced by the value of the
// parameter `name` (and "{params_file}" by the path of a JSON file holding all parameters).
// Parameters can also be sent as one JSON object on the child's stdin. The child runs in its own
// process group so a timeout kills it and everything it started. On Linux the child also gets
// SIGKILL when gpbo dies (PR_SET_PDEATHSIG), even by kill -9; the processes it started are left
// to the group reaper (group_reaper.hpp), when a run has one.

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tune/stdout_readers.hpp"

namespace gpbo::tune {

/// Everything needed to run the objective command.
struct CommandSpec {
  std::vector<std::string> argv;              // template with {param} placeholders
  std::string working_directory;              // empty = current directory
  std::map<std::string, std::string> env;     // added to (and overriding) the inherited environment
  double timeout_s = 0;                       // 0 = no timeout
  bool params_on_stdin = false;               // write the parameters as JSON to stdin
  ResultReader reader;
  std::vector<std::string> constraint_names;  // outcome constraints whose values stdout reports
  /// The quantity on stdout that is the sd of the score's noise (a standard error over seeds or
  /// folds), read as a constraint's value is; empty: the command reports none.
  std::string sd_name;
};

/// Outcome of one run. `value` (and `constraint_values`) are set only when status is Ok.
struct CommandOutcome {
  enum class Status { Ok, Failed, Crashed, TimedOut, BadOutput };
  Status status = Status::Failed;
  std::optional<double> value;
  std::vector<double> constraint_values;  // one per CommandSpec::constraint_names, in order
  std::optional<double> sd;               // the value's noise sd, when the objective reports one
  std::string reason;       // human-readable: "exit status 3", "killed by signal 11", ...
  std::string stderr_tail;  // last ~2 kB of stderr, for the log and results
  double seconds = 0;
  bool not_started = false;  // the program could not be started (exec failed): nothing was evaluated
  bool setup_failed = false; // ... because gpbo could not make its {params_file}: never the point's fault
  bool out_of_resources = false;  // ... because gpbo had no pipe or process for it (a descriptor or process limit)
};

const char* to_string(CommandOutcome::Status status);

/// Replaces {name} placeholders; throws std::invalid_argument for a placeholder naming no
/// parameter (config validation calls placeholders_in() first, so users see it before any run).
/// An argument with a placeholder of an `omitted` parameter (a conditional one that is inactive
/// here) is left out whole: "--momentum={momentum}" disappears where momentum has no value.
std::vector<std::string> expand_argv(const std::vector<std::string>& argv_template,
                                     const std::map<std::string, std::string>& params,
                                     const std::set<std::string>& omitted = {});

/// Whether {name} is a placeholder: letters, digits, '_', '.', '-', not starting with a digit
/// (other braces, e.g. JSON in an argument, are passed on as they are).
bool is_placeholder_name(const std::string& name);

/// Names of all {placeholders} used in the template, in order of first appearance.
std::vector<std::string> placeholders_in(const std::vector<std::string>& argv_template);

/// Runs the command with the given parameter values (already formatted as text) and the JSON
/// text of all parameters (for stdin or {params_file}); `omitted` as in expand_argv(). Never
/// throws for a failing child.
CommandOutcome run_command(const CommandSpec& spec, const std::map<std::string, std::string>& params,
                           const std::string& params_json, const std::set<std::string>& omitted = {});

/// Removes the {params_file} files (in $TMPDIR, else /tmp) of gpbo processes that no longer run:
/// an evaluation removes its own when it ends, but not when gpbo was killed by SIGKILL. Returns
/// how many were removed. gpbo tune calls it as a run starts.
int remove_orphaned_params_files();

/// Kills (SIGKILL) the process groups of all commands running now, from any thread; their
/// run_command() calls then return Crashed (Ok or another outcome for a program that had
/// already ended by itself). From then on no command starts (run_command() returns
/// "not started"; one forked at that moment is killed at once): a worker thread a moment from its
/// fork must not start a program that the run, ending, would then wait for. Used when a run is
/// interrupted or stops on an error.
void kill_running_commands();

}  // namespace gpbo::tune
