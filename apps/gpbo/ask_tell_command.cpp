// gpbo ask / gpbo tell: the optimizer over a state file, for any language and any scheduler.
// Both hold an exclusive lock on the state file while they read, change and rewrite it, so
// workers sharing the file (also over NFS) never lose an observation or get the same point.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <unistd.h>

#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "command.hpp"
#include "tune/file_lock.hpp"
#include "tune/run_state.hpp"
#include "tune/run_summary.hpp"
#include "tune/tune_config.hpp"

namespace gpbo::cli {
namespace {

using nlohmann::json;

/// Exit status of `gpbo ask` when the budget or a stopping rule says there is nothing to ask.
constexpr int kNothingToAsk = 4;

// The state's update lock. A state that a running `gpbo tune` holds fails at once: the run may
// last for days, and it would overwrite any change made beside it.
tune::FileLock lock_state(const std::string& state_path, const std::string& command) {
  try {
    return tune::FileLock(state_path, tune::LockKind::Update, [command](const std::string& message) {
      std::fprintf(stderr, "gpbo %s: note: %s\n", command.c_str(), message.c_str());
    });
  } catch (const tune::LockBusy& e) {
    throw UsageError(state_path + " is in use by a running gpbo tune" +
                     (e.holder > 0 ? " (pid " + std::to_string(e.holder) + ")" : "") +
                     ": ask and tell can use it once that run ends");
  }
}

// Whether `path` holds a state to read (an empty file holds none yet: tune::empty_state_file).
bool holds_state(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec) && !tune::empty_state_file(path);
}

tune::RunState open_state(const std::string& state_path, const std::string& config_path) {
  std::optional<json> config_json;
  std::optional<tune::TuneConfig> config;
  if (!config_path.empty()) {
    config = tune::load_tune_config(config_path, tune::ObjectiveRequirement::Optional);
    config_json = config->source;
  }
  if (holds_state(state_path)) {
    auto state = tune::load_run_state(state_path, config_json ? &*config_json : nullptr);
    tune::check_evaluation_records(state, state_path);
    if (config) {
      tune::check_state_space(state, config->space, state_path);
      const bo::OptimizerOptions configured = tune::optimizer_options(*config);
      tune::check_state_objective(state, configured.goal, configured.constraints, state_path);
      // A config whose budget was raised (or lowered) continues the run with that budget, but not
      // below what the state already holds (as `gpbo tune --resume` refuses it): the state
      // stopped "at" a budget it had passed. An unchanged budget that points told without being
      // asked went past is no error: ask says the budget is used up (exit 4), as loops expect.
      const std::size_t held = state.optimizer.evaluations() + state.optimizer.pending().size();
      const auto budget = static_cast<std::size_t>(config->budget);
      if (budget < held && budget != state.optimizer.options().stop.max_evaluations)
        throw UsageError(config_path + ": /budget: " + std::to_string(config->budget) + " is below the " +
                         std::to_string(held) + " evaluations " + state_path + " already holds (" +
                         std::to_string(state.optimizer.evaluations()) + " done, " +
                         std::to_string(state.optimizer.pending().size()) + " pending): give a budget of " +
                         std::to_string(held) + " or more");
      state.config = *config_json;
      state.optimizer.set_stopping_rules(configured.stop);
    }
    return state;
  }
  if (!config) throw UsageError(state_path + " does not exist: give --config CONFIG.json to create it");
  std::string note;
  tune::RunState state{*config_json, tune::new_optimizer(*config, &note), {}, nlohmann::json::object()};
  if (!note.empty()) std::cerr << "gpbo ask: " << note << '\n';
  return state;
}

// The optimizer's budget, as gpbo show reports it: the state's /config is the record of the
// config it was made from (compared with a --config given), not read for settings.
std::size_t budget_of(const tune::RunState& s) {
  const std::size_t budget = s.optimizer.options().stop.max_evaluations;
  return budget > 0 ? budget : std::numeric_limits<std::size_t>::max();  // 0: no budget
}

std::string id_list(const std::vector<std::uint64_t>& ids) {
  return join_text(ids, [](std::uint64_t id) { return std::to_string(id); });
}

struct AskArgs {
  std::string state, config;
  std::string fix;  // JSON object of parameter values to hold, or empty
  int n = 1;
};

// --fix '{"opt": "sgd", "layers": 4}': the values the suggestions hold, checked against the space.
bo::Point fixed_values(const std::string& text, const bo::Space& space) {
  if (text.empty()) return {};
  try {
    // Paths inside the object as config errors show them: "--fix: /layres: unknown parameter".
    const bo::Point fixed = bo::values_from_json(parse_json_text(text, "--fix"), space, "");
    static_cast<void>(space.slice(fixed));
    return fixed;
  } catch (const bo::SpaceError& e) {
    const std::string message = e.what();
    throw UsageError(message.rfind(": ", 0) == 0 ? "--fix" + message : "--fix: " + message);
  }
}

// What can be refused before the lock file is created beside the state: a state that is missing
// (`missing` says what to do, empty when ask will create it) or a file that is no state.
void check_state_before_lock(const std::string& state_path, const std::string& missing) {
  if (!holds_state(state_path)) {
    if (missing.empty()) return;
    throw UsageError(state_path + (std::filesystem::exists(state_path) ? " is empty (no state yet): " : " does not exist: ") + missing);
  }
  tune::check_state_file(state_path);
}

void run_ask(const AskArgs& a) {
  check_state_before_lock(a.state, a.config.empty() ? "give --config CONFIG.json to create it" : "");
  const auto lock = lock_state(a.state, "ask");
  remove_stale_temporaries(a.state);  // of an ask or tell killed mid-write
  auto state = open_state(a.state, a.config);
  auto& opt = state.optimizer;
  const bo::Point fixed = fixed_values(a.fix, opt.space());
  const std::size_t used = opt.evaluations() + opt.pending().size();
  const std::size_t budget = budget_of(state);
  // Holding every parameter names one point, suggested even when the others are used up (the
  // way back for an abandoned point of a finite space).
  const bool one_point = !fixed.empty() && opt.space().slice(fixed).single_point();
  const auto rule = opt.stop_reason();
  if (used >= budget || (rule && *rule != "budget" && !(*rule == "exhausted" && one_point))) {
    std::cerr << "gpbo ask: nothing to ask: " << (used >= budget ? "budget of " + std::to_string(budget) + " reached" : tune::describe_stop_rule(*rule, state));
    // Pending suggestions hold budget: those of a worker that died are only freed by a tell.
    if (const auto pending = opt.pending(); used >= budget && !pending.empty())
      std::cerr << " (" << pending.size() << " of them pending, " << noun_for(pending.size(), "id") << ' ' << id_list(pending)
                << "; gpbo tell --id ID --abandon withdraws one whose worker is gone)";
    std::cerr << '\n';
    tune::sync_evaluation_records(state);
    tune::save_run_state(state, a.state);
    throw CLI::RuntimeError(kNothingToAsk);
  }
  const auto q = std::min<std::size_t>(static_cast<std::size_t>(a.n), budget - used);
  const auto suggestions = fixed.empty() ? opt.ask(q) : opt.ask(q, fixed);
  tune::sync_evaluation_records(state);  // a tune run's state: its records too
  tune::save_run_state(state, a.state);
  if (suggestions.empty()) {  // the points (with --fix's values) ran out
    std::cerr << "gpbo ask: nothing to ask: every point" << (fixed.empty() ? std::string() : " with " + bo::describe_values(fixed))
              << " was already evaluated or is pending\n";
    throw CLI::RuntimeError(kNothingToAsk);
  }
  for (const auto& s : suggestions)
    std::cout << nlohmann::ordered_json{{"id", s.id}, {"params", bo::point_to_json(s.point, opt.space())}}.dump() << '\n';
  if (!opt.last_warning().empty()) std::cerr << "gpbo ask: note: " << opt.last_warning() << '\n';  // as gpbo tune logs it
  // A script counting on -n lines would otherwise not know why fewer came.
  if (suggestions.size() < static_cast<std::size_t>(a.n))
    std::cerr << "gpbo ask: note: " << suggestions.size() << " of the " << a.n << " suggestions asked for: only "
              << (suggestions.size() == budget - used
                      ? std::to_string(budget - used) + (budget - used == 1 ? " evaluation is" : " evaluations are") + " left in the budget of " + std::to_string(budget) + " (" +
                            std::to_string(used) + " done or pending)"
                      : count_text(suggestions.size(), "point") +
                            (fixed.empty() ? " of the finite search space" : " with " + bo::describe_values(fixed)) +
                            (suggestions.size() == 1 ? " was" : " were") + " left to suggest")
              << '\n';
}

struct TellArgs {
  std::string state;
  std::optional<std::uint64_t> id;
  std::optional<double> value;
  std::vector<std::string> constraints;  // --constraint name=value, repeatable
  std::optional<double> sd;              // --sd: the known sd of the value's noise
  std::optional<std::string> failed;
  bool abandon = false;
};

// How outcome-constraint values were given, for messages: `unknown(name)` starts the message
// about a name the state has no constraint of, `missing` starts the one about constraints left
// out, and `how(names)` says how to give them.
struct ConstraintSource {
  std::function<std::string(const std::string&)> unknown;
  std::string missing;
  std::function<std::string(const std::vector<std::string>&)> how;
};

// The state's outcome constraints' values in their order, from values given by name. A value
// that is not finite is a failed evaluation, which needs none (a diverged run has no figures)
// and keeps none: the list is empty, as Optimizer::tell takes it; unknown names are still refused.
std::vector<double> constraint_values(const tune::RunState& s, double value, const std::map<std::string, double>& given,
                                      const ConstraintSource& source) {
  const auto& constraints = s.optimizer.options().constraints;
  std::vector<std::string> names, missing, missing_described;
  for (const auto& c : constraints) {
    names.push_back(c.name);
    if (given.count(c.name)) continue;
    missing.push_back(c.name);
    missing_described.push_back(c.describe());
  }
  for (const auto& [name, v] : given)
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      const auto hint = did_you_mean(name, names);
      throw UsageError(source.unknown(name) + "unknown constraint" +
                       (names.empty() ? " (this state has no outcome constraints)"
                        : hint.empty() ? " (this state's constraints: " + join_text(names) + ")"
                                       : " (did you mean \"" + hint + "\"?)"));
    }
  if (!std::isfinite(value)) return {};
  if (!missing.empty())
    throw UsageError(source.missing + "a result needs the value of every outcome constraint (" + join_text(missing_described) +
                     "): give " + source.how(missing));
  std::vector<double> values;
  for (const auto& c : constraints) values.push_back(given.at(c.name));
  return values;
}

// Values in a JSON line's "constraints" object; `where` names the line.
ConstraintSource json_line_source(const std::string& where) {
  return {[where](const std::string& name) { return where + "/constraints/" + name + ": "; }, where,
          [](const std::vector<std::string>& names) {
            return "\"constraints\": {" + join_text(names, [](const std::string& n) { return json(n).dump() + ": VALUE"; }) + "}";
          }};
}

// Values in --constraint options.
ConstraintSource option_source() {
  return {[](const std::string& name) { return "--constraint " + name + ": "; }, "",
          [](const std::vector<std::string>& names) {
            std::string flags;
            for (const auto& n : names) flags += (flags.empty() ? "" : " ") + ("--constraint " + n + "=VALUE");
            return flags;
          }};
}

// --constraint name=value options, by name.
std::map<std::string, double> constraint_options(const std::vector<std::string>& options) {
  std::map<std::string, double> given;
  for (const auto& option : options) {
    const auto eq = option.find('=');
    std::string value = eq == std::string::npos ? "" : option.substr(eq + 1);
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--constraint " + option + ": expected NAME=VALUE with a number, e.g. --constraint memory_mb=420");
    // The value's own problem, as --value says it ("within the double range" for 1e400).
    if (const std::string why = number_validator()(value); !why.empty()) throw UsageError("--constraint " + option + ": " + why);
    if (!given.emplace(option.substr(0, eq), std::strtod(value.c_str(), nullptr)).second)
      throw UsageError("--constraint " + option + ": constraint \"" + option.substr(0, eq) + "\" is given twice");
  }
  return given;
}

// A JSON line's "constraints": {"memory_mb": 420, ...}, by name.
std::map<std::string, double> constraint_members(const json& j, const std::string& where) {
  if (!j.is_object()) throw UsageError(where + "/constraints: expected an object of constraint values by name, e.g. {\"memory_mb\": 420}");
  std::map<std::string, double> given;
  for (const auto& [name, v] : j.items()) {
    if (!v.is_number()) throw UsageError(where + "/constraints/" + name + ": expected a number, got " + v.dump());
    given[name] = v.get<double>();
  }
  return given;
}

// told_in_input: ids told by earlier lines of the same input; nothing is kept when a line is bad,
// so the message lists them as pending still, as the state file has them.
std::uint64_t checked_id(const tune::RunState& s, std::uint64_t id, const std::string& where,
                         const std::map<std::uint64_t, std::size_t>& told_in_input = {}) {
  auto pending = s.optimizer.pending();
  if (std::find(pending.begin(), pending.end(), id) != pending.end()) return id;
  for (const auto& [earlier, line] : told_in_input) pending.push_back(earlier);
  std::sort(pending.begin(), pending.end());
  const auto& trials = s.optimizer.history();
  const bool known = id < trials.size();
  const bool abandoned = known && trials[id].status == bo::TrialStatus::Abandoned;
  throw UsageError(where + "id " + std::to_string(id) +
                   (abandoned ? " was abandoned" : known ? " was already told" : " was never asked") +
                   (pending.empty() ? " (no suggestion is pending)" : " (pending ids: " + id_list(pending) + ")"));
}

// One result from a JSON line: {"id": 3, "value": 1.2}, {"id": 3, "failed": "out of memory"},
// {"id": 3, "abandon": true} (as --abandon), or {"params": {...}, "value": 1.2} for a point that
// was never asked.
// told_on: the line each id was told on so far in this input (all lines are kept or none).
// Returns whether the line withdrew a suggestion (reported apart from the results recorded).
bool tell_line(tune::RunState& s, const std::string& line, std::size_t line_no, std::map<std::uint64_t, std::size_t>& told_on) {
  const std::string source = "stdin line " + std::to_string(line_no), where = source + ": ";
  const std::string expected = "expected a JSON object like {\"id\": 3, \"value\": 1.5}";
  json j;
  try {
    j = parse_json_text(line, source);  // strict like configs: a key given twice is an error, not "last wins"
  } catch (const JsonTextError& e) {
    const bool syntax = !json::accept(line);  // else a key given twice or a number beyond a double
    // "stdin line 2:1:10: ..." would read as line 1 of something: a stdin line is one line.
    std::string what = e.what();
    if (what.rfind(source + ":1:", 0) == 0) what.replace(0, source.size() + 3, source + ", column ");
    // A NaN from Python's json.dumps is most often a failed evaluation: say how to tell one.
    const bool non_finite = what.find("(JSON numbers are finite: ") != std::string::npos;
    throw UsageError(what + (syntax ? "; " + expected : "") + (non_finite ? " or, for a failed evaluation, {\"id\": 3, \"failed\": \"why\"}" : ""));
  }
  if (!j.is_object()) throw UsageError(where + expected);
  if (const auto unknown = unknown_key(j, {"id", "value", "sd", "constraints", "failed", "abandon", "params"}))
    throw UsageError(where + unknown->second + "; expected id, value, sd, constraints, failed, abandon or params");
  const bool has_value = j.contains("value"), has_failed = j.contains("failed"), abandon = j.contains("abandon");
  if (has_value + has_failed + abandon != 1)
    throw UsageError(where + "expected exactly one of \"value\" (a number), \"failed\" (a reason) or \"abandon\": true");
  if (abandon && j["abandon"] != true) throw UsageError(where + "/abandon: expected true (the suggestion is withdrawn)");
  if (abandon && (j.contains("params") || j.contains("sd") || j.contains("constraints")))
    throw UsageError(where + "\"abandon\" withdraws an asked id's suggestion: it takes only \"id\"");
  if (has_value && !j["value"].is_number()) throw UsageError(where + "/value: expected a number" + got_json(j["value"]));
  if (has_failed && !j["failed"].is_string())  // as strict as a config: 3 or true was stored as the reason "3"
    throw UsageError(where + "/failed: expected the reason, a text such as \"out of memory\"" + got_json(j["failed"]));
  if (has_failed && j["failed"].get<std::string>().empty())  // as --failed ""
    throw UsageError(where + "/failed: give the reason (a non-empty text)");
  if (has_failed && j.contains("constraints")) throw UsageError(where + "/constraints: a failure has no constraint values");
  if (has_failed && j.contains("sd")) throw UsageError(where + "/sd: a failure has no value, so no sd");
  if (j.contains("sd") && !(j["sd"].is_number() && bo::Measurement::valid_sd(j["sd"].get<double>())))
    throw UsageError(where + "/sd: expected the sd of the value's noise, a number >= 0 and below 1e100");
  const bo::Measurement measured{has_value ? j["value"].get<double>() : 0.0, j.contains("sd") ? j["sd"].get<double>() : 0.0};
  const std::vector<double> constraints =
      has_value ? constraint_values(s, measured.value, j.contains("constraints") ? constraint_members(j["constraints"], where) : std::map<std::string, double>{},
                                    json_line_source(where))
                : std::vector<double>{};
  // Both would leave it open whether the point was asked; the id was silently ignored.
  if (j.contains("id") && j.contains("params"))
    throw UsageError(where + "give either \"id\" (a point printed by gpbo ask) or \"params\" (a point never asked), not both");
  if (j.contains("params")) {
    if (has_failed) throw UsageError(where + "a told point (\"params\") needs a \"value\"");
    try {
      s.optimizer.tell(bo::point_from_json(j["params"], s.optimizer.space(), "/params"), measured, constraints);
    } catch (const bo::SpaceError& e) {
      throw UsageError(where + e.what());
    }
    return false;
  }
  // Ids are unsigned; a negative number is no id (and get<uint64_t>() would wrap it around).
  if (!j.contains("id") || !j["id"].is_number_unsigned()) throw UsageError(where + "/id: expected the integer id printed by gpbo ask");
  if (const auto twice = told_on.find(j["id"].get<std::uint64_t>()); twice != told_on.end())
    throw UsageError(where + "id " + std::to_string(twice->first) + " is told twice in this input (also on line " +
                     std::to_string(twice->second) + ")");
  const auto id = checked_id(s, j["id"].get<std::uint64_t>(), where, told_on);
  told_on[id] = line_no;
  if (has_value) s.optimizer.tell(id, measured, constraints);
  else if (abandon) s.optimizer.abandon(id);
  else s.optimizer.tell_failure(id, j["failed"].get<std::string>());
  return abandon;
}

// Says so when a told value was not finite: the optimizer records it as a failure.
void report_non_finite(const tune::RunState& s, std::uint64_t id) {
  const auto& t = s.optimizer.history().at(id);
  if (t.status == bo::TrialStatus::Failed && t.reason.rfind("non-finite value", 0) == 0)
    std::cerr << "gpbo tell: id " << id << ": " << t.reason << " recorded as a failure\n";
}

void run_tell(const TellArgs& a) {
  if (a.id && a.value.has_value() + a.failed.has_value() + a.abandon != 1)
    throw UsageError("with --id, give exactly one of --value, --failed or --abandon");
  if (!a.id && (a.value || a.failed || a.abandon)) throw UsageError("--value, --failed and --abandon need --id");
  if (a.failed && a.failed->empty()) throw UsageError("--failed: give the reason (a non-empty text)");
  if (!a.constraints.empty() && !a.value) throw UsageError("--constraint goes with --value (the result it belongs to)");
  if (a.sd && !a.value) throw UsageError("--sd goes with --value (the result whose noise it gives)");
  if (a.sd && !bo::Measurement::valid_sd(*a.sd)) throw UsageError("--sd: expected the sd of the value's noise, a number >= 0 and below 1e100");
  // Results on stdin are read in full before the state is touched: in `gpbo ask | evaluate |
  // gpbo tell` the tell starts before the ask has created (or released) the state, and holding
  // the lock while waiting for input would leave the ask waiting for it forever. A person typing
  // lines hears at once about a missing state.
  const bool from_stdin = !a.id;
  if (from_stdin && isatty(STDIN_FILENO)) check_state_before_lock(a.state, "create it with gpbo ask --config");
  std::vector<std::string> lines;
  if (from_stdin)
    for (std::string line; std::getline(std::cin, line);) lines.push_back(std::move(line));
  check_state_before_lock(a.state, "create it with gpbo ask --config");
  const auto lock = lock_state(a.state, "tell");
  remove_stale_temporaries(a.state);  // of an ask or tell killed mid-write
  if (!holds_state(a.state)) throw UsageError(a.state + " does not exist: create it with gpbo ask --config");
  auto state = tune::load_run_state(a.state);
  tune::check_evaluation_records(state, a.state);
  std::size_t told = 0, abandoned = 0;  // results recorded, suggestions withdrawn
  if (a.id) {
    const auto id = checked_id(state, *a.id, "");
    if (a.value)
      state.optimizer.tell(id, bo::Measurement{*a.value, a.sd.value_or(0.0)},
                           constraint_values(state, *a.value, constraint_options(a.constraints), option_source()));
    else if (a.failed) state.optimizer.tell_failure(id, *a.failed);
    else state.optimizer.abandon(id);
    report_non_finite(state, id);
    (a.abandon ? abandoned : told) = 1;
  } else {
    std::map<std::uint64_t, std::size_t> told_on;
    for (std::size_t n = 1; n <= lines.size(); ++n) {
      const std::string& line = lines[n - 1];
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        ++(tell_line(state, line, n, told_on) ? abandoned : told);
      } catch (const UsageError& e) {  // all lines or none: say that the good ones were not kept either
        throw UsageError(std::string(e.what()) +
                         (told + abandoned > 0 ? "; nothing was recorded, not the lines before it either: fix it and send them all again"
                                   : "; nothing was recorded"));
      }
    }
  }
  tune::sync_evaluation_records(state);  // a tune run's state: its records too
  tune::save_run_state(state, a.state);  // all lines or none: nothing is saved when one is bad
  const auto best = state.optimizer.best();
  if (a.abandon) std::cerr << "gpbo tell: abandoned id " << *a.id;
  else if (told == 0 && abandoned > 0) std::cerr << "gpbo tell: abandoned " << count_text(abandoned, "suggestion");
  else std::cerr << "gpbo tell: recorded " << count_text(told, "result") << (abandoned > 0 ? ", abandoned " + std::to_string(abandoned) : "");
  std::cerr << "; " << count_text(state.optimizer.evaluations(), "evaluation");
  if (best)
    std::cerr << ", best " << tune::short_number(best->value) << " (id " << best->id
              << (tune::flagged_outlier(state.optimizer, best->id) ? ", flagged an outlier" : "") << ")";
  else if (!state.optimizer.options().constraints.empty()) std::cerr << ", " << tune::no_best_yet(state);
  // A rule besides the budget ends the loop here: the next ask exits 4.
  if (const auto rule = state.optimizer.stop_reason(); rule && *rule != "budget")
    std::cerr << "; " << tune::describe_stop_rule(*rule, state) << ": gpbo ask has nothing more to ask";
  std::cerr << '\n';
}

void setup_ask(CLI::App& app) {
  auto a = std::make_shared<AskArgs>();
  auto* cmd = app.add_subcommand("ask", "Print the next suggestions as JSON lines {\"id\": ..., \"params\": {...}}");
  cmd->add_option("--state", a->state, "state file (created from --config on first use)")
      ->required()
      ->check(state_file_validator())
      ->check(second_check(output_file_validator()));
  cmd->add_option("--config", a->config, "config with the space, goal, budget and optimizer settings")->check(CLI::ExistingFile);
  cmd->add_option("-n", a->n, "number of suggestions (they account for each other)")->check(whole_number_in(1, 1000));
  cmd->add_option("--fix", a->fix,
                  "hold some parameters at given values, a JSON object such as '{\"opt\": \"sgd\", \"layers\": 4}': the "
                  "suggestions choose the others (a context you set, or a value you want tried)");
  cmd->footer("Exit status 4 when the budget, a stopping rule or an exhausted finite space leaves nothing to ask.");
  cmd->callback([a] { run_ask(*a); });
}

void setup_tell(CLI::App& app) {
  auto a = std::make_shared<TellArgs>();
  auto* cmd = app.add_subcommand("tell", "Record results: --id ID --value Y, --id ID --failed REASON, or JSON lines on stdin");
  cmd->add_option("--state", a->state, "state file written by gpbo ask")->required()->check(state_file_validator());
  cmd->add_option("--id", a->id, "id printed by gpbo ask")->check(whole_number_validator());
  add_number_option(cmd, "--value", a->value, "the objective's value");
  cmd->add_option("--constraint", a->constraints,
                  "with --value: an outcome constraint's value, NAME=VALUE (once per constraint of the config; none with a nan or inf value)");
  add_number_option(cmd, "--sd", a->sd, "with --value: the known sd of the value's noise (a standard error, objective units)");
  cmd->add_option("--failed", a->failed, "the evaluation failed, for this reason");
  cmd->add_flag("--abandon", a->abandon,
                "withdraw the suggestion without a result (its worker died): it frees its place in the budget and "
                "teaches nothing, unlike --failed");
  cmd->footer("Without --id, reads lines {\"id\": 3, \"value\": 1.5}, {\"id\": 4, \"failed\": \"oom\"},\n"
               "{\"id\": 5, \"abandon\": true} or {\"params\": {...}, \"value\": 2.0} (a point that was never asked;\n"
               "no id) from stdin, all recorded or, when one is bad, none. With outcome\n"
               "constraints, a value comes with \"constraints\": {\"memory_mb\": 420, ...} (every constraint by name).\n"
               "\"sd\": 0.02 (or --sd) gives the value's known noise sd, e.g. the standard error of a mean of runs.");
  cmd->callback([a] { run_tell(*a); });
}

GPBO_COMMAND("ask", setup_ask);
GPBO_COMMAND("tell", setup_tell);

}  // namespace
}  // namespace gpbo::cli
