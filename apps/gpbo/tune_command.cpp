// gpbo tune: a tuning run from a JSON config (see "Config reference" in README.md).
#include "command.hpp"
#include "tune/run_state.hpp"
#include "tune/tune_config.hpp"
#include "tune/tuning_run.hpp"

namespace gpbo::cli {
namespace {

struct TuneArgs {
  tune::TuneRunOptions run;
  bool check = false;
  int workers = 0, budget = 0;
  std::optional<std::uint64_t> seed;
};

void setup(CLI::App& app) {
  auto a = std::make_shared<TuneArgs>();
  auto* cmd = app.add_subcommand("tune", "Tune a black-box objective described by a JSON config");
  cmd->add_option("config", a->run.config_path, "config file (see configs/)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", a->run.out_dir, "run directory, created when missing (default: runs/<config file name without .json>)")->check(output_dir_validator());
  cmd->add_flag("--resume", a->run.resume, "continue the run in the run directory (interrupted evaluations run again)");
  cmd->add_option("--workers", a->workers, "parallel evaluations (overrides the config; kept by later --resume)")->check(whole_number_in(1, tune::kMaxWorkers));
  cmd->add_option("--budget", a->budget, "evaluations in all (overrides the config; kept by later --resume)")->check(whole_number_in(1, tune::kMaxBudget));
  cmd->add_option("--seed", a->seed, "random seed, an integer >= 0 (overrides the config; cannot change on --resume)")->check(whole_number_validator());
  cmd->add_flag("--quiet", a->run.quiet, "no opening line and no line per successful evaluation (failures and warnings are still reported)");
  cmd->add_flag("--check", a->check,
                "check the config as a new run would (overrides, start points, warm start), print the config.json it "
                "would write, and stop; with --resume, check it against the run in --out as resuming would (same "
                "space, budget not below what is done) and say what the resumed run would do; nothing is written or run");
  cmd->footer(
      "Exit status: 0 done; 2 bad config, state or usage, or the objective's program could no longer be started\n"
      "(its point stays pending); 3 every evaluation failed; 128 + signal number when\n"
      "interrupted by SIGINT, SIGTERM or SIGHUP (state saved: continue with --resume).");
  cmd->callback([a] {
    if (a->workers > 0) a->run.workers = a->workers;
    if (a->budget > 0) a->run.budget = a->budget;
    if (a->seed) a->run.seed = *a->seed;
    int status = 0;
    try {
      if (a->check) return tune::check_tuning(a->run);
      status = tune::run_tuning(a->run);
    } catch (const tune::ConfigError& e) {
      throw UsageError(e.what());
    } catch (const tune::StateFileError& e) {
      throw UsageError(e.what());
    }
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

GPBO_COMMAND("tune", setup);

}  // namespace
}  // namespace gpbo::cli
