// gpbo show: what a state holds (a gpbo tune run's or an ask/tell state): counts, the best point,
// the model's pick for noisy objectives, and optionally results.csv. Reads only: states are
// replaced by atomic renames, so it needs no lock and works beside a running tune.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "command.hpp"
#include "gpbo/core/durable_file.hpp"
#include "tune/run_state.hpp"
#include "tune/run_summary.hpp"

namespace gpbo::cli {
namespace {

struct ShowArgs {
  std::string state, csv;
};

void run_show(const ShowArgs& a) {
  if (!std::filesystem::exists(a.state)) throw UsageError(a.state + " does not exist");
  const auto state = tune::load_run_state(a.state);
  const auto& opt = state.optimizer;
  const std::size_t failed = tune::failed_evaluations(state);
  const auto pending = opt.pending();
  std::printf("%s: %zu evaluations (%zu failed), %zu pending", a.state.c_str(), opt.evaluations(), failed, pending.size());
  const auto& trials = opt.history();
  if (const auto abandoned = std::count_if(trials.begin(), trials.end(), [](const bo::Trial& t) { return t.status == bo::TrialStatus::Abandoned; }))
    std::printf(", %td abandoned", abandoned);
  if (const auto budget = opt.options().stop.max_evaluations; budget > 0) std::printf(", budget %zu", budget);
  std::printf("\n");
  if (!pending.empty()) {
    std::printf("pending ids:");
    for (const auto id : pending) std::printf(" %llu", static_cast<unsigned long long>(id));
    std::printf("\n");
  }
  const auto answers = tune::run_answers(state);
  if (answers.empty()) std::printf("no successful evaluation yet\n");
  for (const auto& answer : answers) tune::print_answer(answer);
  if (!a.csv.empty()) {
    write_file_atomically(a.csv, tune::results_csv(state, true));  // pending ones too: the state's whole picture
    std::printf("results written to %s\n", a.csv.c_str());
  }
}

void setup_show(CLI::App& app) {
  auto a = std::make_shared<ShowArgs>();
  auto* cmd = app.add_subcommand("show", "Summarize a state (gpbo tune's state.json or an ask/tell state): best point, counts");
  cmd->add_option("--state", a->state, "state file")->required();
  cmd->add_option("--csv", a->csv, "also write every evaluation as CSV (the columns of results.csv)")
      ->check(output_file_validator());
  cmd->callback([a] { run_show(*a); });
}

}  // namespace

GPBO_COMMAND("show", setup_show);

}  // namespace gpbo::cli
