#pragma once
// `gpbo tune`: a whole tuning run in a run directory, crash-safe and resumable.
//
// The run directory holds config.json (the effective config), state.json (the source of truth,
// written atomically after every suggestion and every result), results.csv (derived from the
// state after every result), convergence.svg and log.txt. Workers evaluate in parallel and
// asynchronously: when one finishes, the next suggestion is asked with the others pending.
// On --resume, completed evaluations are kept and interrupted ones (pending in the state) are
// run again with the same id and point: nothing is lost or counted twice.

#include <cstdint>
#include <optional>
#include <string>

namespace gpbo::tune {

struct TuneRunOptions {
  std::string config_path;
  std::string out_dir;                  // empty = runs/<config file stem>
  bool resume = false;
  std::optional<int> workers;           // overrides the config
  std::optional<int> budget;            // overrides the config (may be raised on resume)
  std::optional<std::uint64_t> seed;    // overrides the config (not on resume)
  bool quiet = false;                   // no per-evaluation lines
};

/// Exit statuses of run_tuning besides 0 (finished).
constexpr int kAllEvaluationsFailed = 3;
/// The objective's program could not be started mid-run (it was there when the run began); the
/// points not run stay pending for --resume.
constexpr int kCannotStart = 2;
/// Interrupted by a signal (SIGINT, SIGTERM, SIGHUP), state saved: 128 + the signal's number, as
/// a shell reports a process the signal killed (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
constexpr int kInterruptedBase = 128;

/// Runs or resumes a tuning run; prints progress and the result; returns the exit status.
/// Config and state problems throw ConfigError / StateFileError (exit status 2 in the CLI).
int run_tuning(const TuneRunOptions& options);

/// `gpbo tune --check`: reads and checks the config as a new run would (with the command-line
/// overrides, its start points and warm-start file), prints what the run would do and the
/// config.json it would write, and writes nothing. Problems throw ConfigError as run_tuning does.
void check_tuning(const TuneRunOptions& options);

}  // namespace gpbo::tune
