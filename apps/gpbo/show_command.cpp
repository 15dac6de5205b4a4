// gpbo show: what a state holds (a gpbo tune run's or an ask/tell state): counts, the best point,
// the model's pick for noisy objectives, which parameters matter, and optionally results.csv.
// Reads only: states are replaced by atomic renames, so it needs no lock and works beside a
// running tune. With --model, what a model file of gpbo fit holds (model_summary.hpp).
#include <cstdio>
#include <filesystem>
#include <memory>

#include "command.hpp"
#include "model_summary.hpp"
#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "output_paths.hpp"
#include "tune/run_plots.hpp"
#include "tune/run_state.hpp"
#include "tune/run_summary.hpp"

namespace gpbo::cli {
namespace {

struct ShowArgs {
  std::string state, model, csv, plots;
  bool json = false;
};

std::size_t abandoned_count(const bo::Optimizer& opt) {
  std::size_t n = 0;
  for (const auto& t : opt.history()) n += t.status == bo::TrialStatus::Abandoned;
  return n;
}

using OrderedJson = nlohmann::ordered_json;  // keys in the order a reader takes them in

// {id, value, params (in the space's order)}, and with outcome constraints their values by name.
OrderedJson trial_json(const bo::Optimizer& opt, const std::optional<bo::Trial>& t) {
  if (!t) return nullptr;
  OrderedJson j = {{"id", t->id}, {"value", t->value}, {"params", bo::point_to_json(t->point, opt.space())}};
  const auto& constraints = opt.options().constraints;
  if (constraints.empty()) return j;
  j["constraints"] = OrderedJson::object();
  for (std::size_t k = 0; k < constraints.size() && k < t->constraint_values.size(); ++k)
    j["constraints"][constraints[k].name] = t->constraint_values[k];
  return j;
}

OrderedJson importance_json(const std::vector<bo::ParameterImportance>& imp) {
  if (imp.empty()) return nullptr;
  OrderedJson out = OrderedJson::array();
  for (const auto& p : imp) out.push_back({{"name", p.name}, {"first_order", p.first_order}, {"total", p.total}});
  return out;
}

// The pending suggestions with their points, as ask printed them: a restarted worker can run its
// point again and tell its id (the ids alone left only the CSV's text, or --abandon).
OrderedJson pending_points_json(const bo::Optimizer& opt) {
  OrderedJson out = OrderedJson::array();
  for (const auto id : opt.pending())
    out.push_back({{"id", id}, {"params", bo::point_to_json(opt.history().at(id).point, opt.space())}});
  return out;
}

// The stopping rule that holds, by its config key ("budget", "target", "patience", "max_time_s",
// "exhausted"), or null: what ends an ask/tell loop (ask then exits 4).
OrderedJson stop_rule_json(const bo::Optimizer& opt) {
  const auto rule = opt.stop_reason();
  if (!rule) return nullptr;
  return tune::stop_rule_key(*rule);
}

// The summary as one JSON object on stdout, for scripts (Optuna's study.best_params).
void print_json(const tune::RunState& state) {
  const auto& opt = state.optimizer;
  const auto budget = opt.options().stop.max_evaluations;
  const OrderedJson j = {{"evaluations", opt.evaluations()},
                         {"failed", tune::failed_evaluations(state)},
                         {"pending", opt.pending()},
                         {"pending_points", pending_points_json(opt)},
                         {"abandoned", abandoned_count(opt)},
                         {"budget", budget > 0 ? OrderedJson(budget) : OrderedJson(nullptr)},
                         {"goal", bo::to_string(opt.options().goal)},
                         {"best", trial_json(opt, opt.best())},
                         {"recommended", trial_json(opt, tune::recommended_trial(state))},
                         {"outliers", opt.outliers()},
                         {"importance", importance_json(tune::ranked_importance(opt))},
                         {"stop", stop_rule_json(opt)}};
  std::printf("%s\n", j.dump().c_str());
}

// --plots DIR: the plots a tuning run keeps in its directory, for any state (an ask/tell one too).
void write_plots(const tune::RunState& state, const ShowArgs& a) {
  if (a.plots.empty()) return;
  std::filesystem::create_directories(a.plots);
  const std::string name = state.config.is_object() && state.config.contains("name") && state.config["name"].is_string()
                               ? state.config["name"].get<std::string>()
                               : std::filesystem::path(a.state).stem().string();
  tune::write_plots(state, a.plots, name);
  if (!a.json) std::printf("plots written to %s (convergence.svg, parameters.svg)\n", a.plots.c_str());
}

// --model: the model's kernel, data size, evidence and hyperparameters as gpbo fit printed them,
// recomputed from the file.
void show_model(const ShowArgs& a) {
  if (!a.csv.empty() || !a.plots.empty()) throw UsageError("--csv and --plots show a state's evaluations; a model file has none");
  const GpModelFile m = load_gp_model_file(a.model);
  if (a.json) {
    std::printf("%s\n", model_summary_json(m).dump().c_str());
    return;
  }
  const GaussianProcess& gp = m.gp;
  const std::string inputs = join_text(m.inputs);
  std::printf("%s: %s ~ %s on %ld points, %s %s\n", a.model.c_str(), m.target.c_str(),
              kernel_string_with_names(gp.kernel(), m.inputs).c_str(), static_cast<long>(gp.size()),
              noun_for(m.inputs.size(), "input").c_str(), inputs.c_str());
  const ModelEvidence evidence = model_evidence(gp);
  print_evidence(evidence.log_marginal_likelihood, evidence.log_posterior.value_or(0.0), evidence.log_posterior.has_value(),
                 evidence.log_posterior ? "priors as saved" : "no priors");
  print_hyperparameter_table(gp);
  print_map_loo(m);
  if (!m.outliers.empty())  // the fit named them by line; the model file keeps their data rows
    std::printf("outliers: %s given %s own noise variance: data %s %s (0-based)\n", count_text(m.outliers.size(), "row").c_str(),
                m.outliers.size() == 1 ? "its" : "their", noun_for(m.outliers.size(), "row").c_str(),
                join_text(m.outliers, [](Eigen::Index i) { return std::to_string(i); }).c_str());
  if (m.hyperparameter_draws.rows() == 0) return;
  std::printf("posterior: %ld hyperparameter draws (gpbo predict uses their mixture)\n",
              static_cast<long>(m.hyperparameter_draws.rows()));
  print_posterior_table(m.predictor(), m.outliers);
}

void run_show(const ShowArgs& a) {
  if (a.state.empty() == a.model.empty()) throw UsageError("give one of --state (a tuning state) and --model (a model of gpbo fit)");
  if (!a.model.empty()) return show_model(a);
  if (!std::filesystem::exists(a.state)) throw UsageError(a.state + " does not exist");
  const std::string plots = a.plots.empty() ? "" : a.plots + "/";
  refuse_clobbering({{"--csv", a.csv, "the results", ""},
                     {"--plots", a.plots.empty() ? "" : plots + "convergence.svg", "the convergence plot", a.plots},
                     {"--plots", a.plots.empty() ? "" : plots + "parameters.svg", "the parameter plot", a.plots}},
                    {{"--state", a.state, "", ""}});
  // An empty file (mktemp's, before the first ask) is no corrupt state, as ask and tell say.
  if (tune::empty_state_file(a.state))
    throw UsageError(a.state + " is empty (no state yet): create it with gpbo ask --config");
  const auto state = tune::load_run_state(a.state);
  const auto& opt = state.optimizer;
  if (a.json) {
    if (!a.csv.empty()) write_file_atomically(a.csv, tune::results_csv(state, true));
    print_json(state);
    write_plots(state, a);
    return;
  }
  const auto pending = opt.pending();
  std::printf("%s: %s (%s), %zu pending", a.state.c_str(), count_text(opt.evaluations(), "evaluation").c_str(),
              tune::failure_counts(state).c_str(), pending.size());
  if (const std::size_t abandoned = abandoned_count(opt)) std::printf(", %zu abandoned", abandoned);
  if (const auto budget = opt.options().stop.max_evaluations; budget > 0) std::printf(", budget %zu", budget);
  std::printf("\n");
  // A rule besides the budget (which the line above shows used up) ends the loop too: say so.
  if (const auto rule = opt.stop_reason(); rule && *rule != "budget")
    std::printf("stopped: %s (gpbo ask has nothing more to ask)\n", tune::describe_stop_rule(*rule, state).c_str());
  if (!pending.empty()) {
    std::printf("pending ids:");
    for (const auto id : pending) std::printf(" %llu", static_cast<unsigned long long>(id));
    std::printf("\n");
  }
  const auto answers = tune::run_answers(state);
  if (answers.empty()) std::printf("%s\n", tune::no_best_yet(state).c_str());
  for (const auto& answer : answers) tune::print_answer(answer, opt.space());
  if (const std::string outliers = tune::describe_outliers(opt); !outliers.empty()) std::printf("%s\n", outliers.c_str());
  tune::print_importance(tune::ranked_importance(opt), !opt.space().constraints().empty());
  if (!a.csv.empty()) {
    write_file_atomically(a.csv, tune::results_csv(state, true));  // pending ones too: the state's whole picture
    std::printf("results written to %s\n", a.csv.c_str());
  }
  write_plots(state, a);
}

void setup_show(CLI::App& app) {
  auto a = std::make_shared<ShowArgs>();
  auto* cmd = app.add_subcommand(
      "show", "Summarize a state (gpbo tune's state.json or an ask/tell state): best point, counts, parameter importance; "
              "or a model of gpbo fit (--model)");
  auto* state = cmd->add_option("--state", a->state, "state file")->check(state_file_validator());
  cmd->add_option("--model", a->model, "model file written by gpbo fit: its kernel, evidence, hyperparameters and "
                                       "leave-one-out scores instead")
      ->check(CLI::ExistingFile)
      ->excludes(state);
  cmd->add_option("--csv", a->csv, "also write every evaluation as CSV (the columns of results.csv)")
      ->check(output_file_validator());
  cmd->add_option("--plots", a->plots, "also write convergence.svg and parameters.svg into this directory (made if missing)")
      ->check(output_dir_validator());
  cmd->add_flag("--json", a->json,
                 "print the summary as one JSON object instead: evaluations, failed, pending ids, pending_points ([{id, params}]), abandoned, budget, "
                 "goal, best and recommended ({id, value, params} with constraints: values by name; or null), outliers (ids "
                 "of values flagged with outliers: detect; [] otherwise), importance ([{name, first_order, "
                 "total}] or null), stop (the stopping rule that holds: budget, target, patience, max_time_s, exhausted; "
                 "or null); with --model: target, inputs, kernel, points, log_marginal_likelihood, log_posterior, "
                 "hyperparameters ([{name, value, fixed}], natural units), loo ({rmse, nlpd} over the rows not flagged as "
                 "outliers; null below 2), outliers (0-based data rows flagged by gpbo fit --outliers; [] if none), draws");
  cmd->callback([a] { run_show(*a); });
}

}  // namespace

GPBO_COMMAND("show", setup_show);

}  // namespace gpbo::cli
