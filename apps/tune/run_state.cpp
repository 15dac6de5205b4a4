#include "tune/run_state.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <limits>
#include <optional>
#include <sstream>

#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/text_list.hpp"
#include "tune/run_summary.hpp"
#include "tune/tune_config.hpp"

namespace gpbo::tune {
namespace {

using nlohmann::json;

std::string format_double(double v) { return shortest_text(v); }

// The options a run was started or last resumed with, checked as `gpbo tune` checks them: a
// hand-edited budget of "x" was a type error with no file, and one of 1e300 wrapped to a
// negative budget blamed on the config file.
void check_command_line(const json& flags) {
  for (const auto& [key, v] : flags.items()) {
    const std::string path = "/command_line/" + json_pointer_token(key);
    if (key == "budget" && !json_integer_in(v, 1, kMaxBudget))
      throw std::invalid_argument(path + ": expected an integer from 1 to " + std::to_string(kMaxBudget) + got_json(v));
    if (key == "workers" && !json_integer_in(v, 1, kMaxWorkers))
      throw std::invalid_argument(path + ": expected an integer from 1 to " + std::to_string(kMaxWorkers) + got_json(v));
    if (key == "seed" && !is_seed(v))
      throw std::invalid_argument(path + ": expected an integer from 0 to " +
                                  std::to_string(std::numeric_limits<std::uint64_t>::max()) + got_json(v));
    if (key != "budget" && key != "workers" && key != "seed")
      throw std::invalid_argument(path + ": unknown key (a run's command line holds budget, workers and seed)");
  }
}

// Whole seconds from an ISO 8601 UTC time utc_now() wrote to now; nothing for any other text
// (a hand edit), or a clock that went backwards.
std::optional<double> seconds_since(const std::string& iso_utc) {
  std::tm tm{};
  const char* end = strptime(iso_utc.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  const double elapsed = std::difftime(std::time(nullptr), timegm(&tm));
  if (!(elapsed >= 0.0)) return std::nullopt;
  return elapsed;
}

}  // namespace

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

json run_state_to_json(const RunState& state) {
  json evaluations = json::object();
  for (const auto& [id, e] : state.evaluations)
    evaluations[std::to_string(id)] = {{"started_at", e.started_at}, {"seconds", e.seconds}, {"status", e.status},
                                       {"reason", e.reason}, {"stderr_tail", e.stderr_tail}};
  json j = {{"format", "gpbo.run"}, {"version", 1}, {"config", state.config},
            {"optimizer", bo::optimizer_to_json(state.optimizer)}, {"evaluations", evaluations}};
  if (!state.command_line.empty()) j["command_line"] = state.command_line;  // absent in states of ask/tell
  return j;
}

namespace {

json parse_state_text(const std::string& path) {
  const std::string text = read_file(path);
  try {
    return parse_json_text(text, path);
  } catch (const JsonTextError& e) {
    // A state is a JSON object: text that does not even start like one is another file given
    // by mistake (results.csv, a config in YAML), not a damaged state.
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] != '{')
      throw StateFileError(path + ": not a state file (states are JSON objects written by gpbo tune or gpbo ask)");
    throw StateFileError(std::string(e.what()) + " (corrupt or truncated state file; it was left untouched)");
  }
}

void check_state_format(const json& j, const std::string& file) {
  if (is_format(j, "gpbo.model"))
    throw StateFileError(file + ": a model file written by gpbo fit, not a state (gpbo show --model and gpbo predict --model "
                                "read it)");
  if (!is_format(j, "gpbo.run"))
    throw StateFileError(file + ": /format: expected \"gpbo.run\" (a state file written by gpbo tune or gpbo ask)");
}

// One /evaluations record, checked as the summary and results.csv will read it: its status must
// be one gpbo writes and agree with its trial's (a hand edit to "failed" beside a value was
// listed as failed while counted as a success).
std::pair<std::uint64_t, EvaluationRecord> evaluation_from_json(const std::string& key, const json& e,
                                                                const bo::Optimizer& optimizer) {
  const std::string path = "/evaluations/" + key;
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), id);  // digits only, as written
  if (key.empty() || ec != std::errc() || end != key.data() + key.size() || std::to_string(id) != key ||
      id >= optimizer.history().size())
    throw std::invalid_argument(path + ": expected the id of one of the optimizer's " +
                                std::to_string(optimizer.history().size()) + " trials");
  if (!e.is_object()) throw std::invalid_argument(path + ": expected an object" + got_json(e));
  if (const auto unknown = unknown_key(e, {"started_at", "seconds", "status", "reason", "stderr_tail"}))
    throw std::invalid_argument(path + "/" + json_pointer_token(unknown->first) + ": " + unknown->second);
  const auto text = [&](const char* name) {
    if (!e.contains(name) || !e[name].is_string()) throw std::invalid_argument(path + "/" + name + ": expected a string");
    return e[name].get<std::string>();
  };
  EvaluationRecord r{text("started_at"), 0.0, text("status"), text("reason"), text("stderr_tail")};
  if (!e.contains("seconds") || !e["seconds"].is_number() || !(e["seconds"].get<double>() >= 0.0))
    throw std::invalid_argument(path + "/seconds: expected a number >= 0");
  r.seconds = e["seconds"].get<double>();
  const bo::TrialStatus trial = optimizer.history()[static_cast<std::size_t>(id)].status;
  const bool failure = r.status == "failed" || r.status == "crashed" || r.status == "timeout" || r.status == "bad_output";
  if (!failure && r.status != "ok" && r.status != kRunningStatus)
    throw std::invalid_argument(path + "/status: expected one of ok, failed, crashed, timeout, bad_output, running; got \"" +
                                r.status + "\"");
  if ((trial == bo::TrialStatus::Ok) != (r.status == "ok") || (trial == bo::TrialStatus::Failed && !failure) ||
      (trial == bo::TrialStatus::Pending && r.status != kRunningStatus))
    throw std::invalid_argument(path + "/status: \"" + r.status + "\" disagrees with trial " + key + ", which is " +
                                bo::to_string(trial) + " in /optimizer");
  return {id, r};
}

}  // namespace

bool empty_state_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0;
}

namespace {

// A tune run's state: it has records, or its config names the objective (a run whose warm start
// filled the budget has none yet).
bool keeps_evaluation_records(const RunState& state) {
  return !state.evaluations.empty() || (state.config.is_object() && state.config.contains("objective"));
}

}  // namespace

void check_evaluation_records(const RunState& state, const std::string& file) {
  if (!keeps_evaluation_records(state)) return;
  for (const auto& t : state.optimizer.history())
    if (t.asked && state.evaluations.find(t.id) == state.evaluations.end())
      throw StateFileError(file + ": /evaluations: no record of evaluation " + std::to_string(t.id) +
                           ", which this run started; refusing to use a damaged state");
}

void sync_evaluation_records(RunState& state) {
  if (!keeps_evaluation_records(state)) return;
  for (const bo::Trial& t : state.optimizer.history()) {
    if (!t.asked) continue;  // told without asking: a row of its own, as a warm start's
    auto it = state.evaluations.find(t.id);
    if (it == state.evaluations.end())
      it = state.evaluations.emplace(t.id, EvaluationRecord{utc_now(), 0, std::string(kRunningStatus), "", ""}).first;
    EvaluationRecord& r = it->second;
    const bool failure_record = r.status != "ok" && r.status != kRunningStatus;
    // Told after an ask: the time between the two is the evaluation's (to the second).
    if (r.status == kRunningStatus && t.status != bo::TrialStatus::Pending)
      r.seconds = seconds_since(r.started_at).value_or(r.seconds);
    if (t.status == bo::TrialStatus::Ok && r.status != "ok") {
      r.status = "ok";
      r.reason.clear();
    } else if (t.status == bo::TrialStatus::Failed && !failure_record) {
      r.status = "failed";
      r.reason = t.reason;
    }
  }
}

RunState run_state_from_json(const json& j, const std::string& file) {
  check_state_format(j, file);
  if (!j.contains("version") || json_integer_in(j["version"], 1, 1) != 1)
    throw StateFileError(file + ": /version: expected 1" + (j.contains("version") ? got_json(j["version"]) : ""));
  // An unknown key would be dropped at the next save: a typo'd hand edit must not vanish quietly.
  if (const auto unknown = unknown_key(j, {"format", "version", "config", "optimizer", "evaluations", "command_line"}))
    throw StateFileError(file + ": /" + json_pointer_token(unknown->first) + ": " + unknown->second);
  for (const char* key : {"config", "optimizer"})
    if (!j.contains(key) || !j[key].is_object())
      throw StateFileError(file + ": /" + key + ": expected an object (a state file written by gpbo tune or gpbo ask)");
  try {
    RunState state{j.at("config"), bo::optimizer_from_json(j.at("optimizer")), {}, json::object()};
    if (j.contains("command_line")) {
      if (!j["command_line"].is_object()) throw std::invalid_argument("/command_line: expected an object");
      check_command_line(j["command_line"]);
      state.command_line = j["command_line"];
    }
    if (!j.contains("evaluations") || !j["evaluations"].is_object())
      throw std::invalid_argument("/evaluations: expected an object of the evaluations' records by id");
    for (const auto& [key, e] : j["evaluations"].items())
      state.evaluations.insert(evaluation_from_json(key, e, state.optimizer));
    return state;
  } catch (const bo::StateError& e) {
    // The optimizer's own root is "/": "/optimizer/: missing key" read as a key named "".
    const std::string what = e.what();
    throw StateFileError(file + ": /optimizer" + (what.rfind("/: ", 0) == 0 ? what.substr(1) : what));
  } catch (const std::exception& e) {
    throw StateFileError(file + ": malformed state: " + e.what());
  }
}

void save_run_state(const RunState& state, const std::string& path) {
  write_file_atomically(path, run_state_to_json(state).dump(1) + "\n");
}

json run_identity(json config) {
  if (!config.is_object()) return config;
  for (const char* how_long : {"budget", "workers", "synchronous", "stop", "name"}) config.erase(how_long);
  config.erase("$schema");  // editor metadata; the run directory's copy makes its path absolute
  if (config.contains("objective") && config["objective"].is_object())
    for (const char* where : {"timeout_s", "cwd"}) config["objective"].erase(where);
  // The space as read, not as spelled: "float" and "real", "scale": "log" and "log": true are one.
  if (config.contains("space")) {
    try {
      config["space"] = bo::space_to_json(bo::space_from_json(config["space"]));
    } catch (const std::exception&) {  // a space that does not read stays as written (the config check says why)
    }
  }
  return config;
}

void check_state_file(const std::string& path) { check_state_format(parse_state_text(path), path); }

RunState load_run_state(const std::string& path, const json* expected_config) {
  const json j = parse_state_text(path);
  auto state = run_state_from_json(j, path);
  if (expected_config) check_same_run(state, *expected_config, path, " — use another state file or run directory");
  return state;
}

namespace {

// Where a JSON patch operation changes a document, for a message: an element appended to a list
// is a change of the list (the patch's own path ends in "/-", JSON Patch's end of an array).
std::string changed_place(const json& op) {
  std::string path = op.value("path", "/");
  if (path.size() >= 2 && path.ends_with("/-")) path.resize(path.size() - 2);
  return path.empty() ? "/" : path;
}

}  // namespace

void check_same_run(const RunState& state, const json& config, const std::string& file, const std::string& advice) {
  const json saved = run_identity(state.config), given = run_identity(config);
  if (saved == given) return;
  // Up to three places: the first alone hid a changed space behind a changed seed.
  const auto patch = json::diff(saved, given);
  std::vector<std::string> where;
  for (const auto& op : patch)
    if (const std::string path = changed_place(op); std::find(where.begin(), where.end(), path) == where.end()) where.push_back(path);
  if (where.empty()) where.push_back("/");
  const std::size_t shown = std::min<std::size_t>(where.size(), 3);
  std::string places = join_text(std::vector<std::string>(where.begin(), where.begin() + static_cast<std::ptrdiff_t>(shown)));
  if (where.size() > shown) places += " and " + std::to_string(where.size() - shown) + " more";
  throw StateFileError(file + ": made from a different config (they differ at " + places +
                       "); refusing to use or overwrite it" + advice);
}

void check_state_space(const RunState& state, const bo::Space& config_space, const std::string& file) {
  // The parameters and the linear constraints on them (a state without its constraints went on
  // to suggest points that break the config's).
  static constexpr std::string_view kParameters = "/parameters", kConstraints = "/constraints";
  const auto with_constraints = [](const bo::Space& space) {
    json j = {{kParameters.substr(1), bo::space_to_json(space)}};
    if (!space.constraints().empty()) j[kConstraints.substr(1)] = bo::constraints_to_json(space);
    return j;
  };
  const json in_state = with_constraints(state.optimizer.space()), in_config = with_constraints(config_space);
  const auto patch = json::diff(in_state, in_config);
  if (patch.empty()) return;
  const std::string place = changed_place(patch[0]);
  const json::json_pointer where(place == "/" ? std::string() : place);
  const auto shown = [&](const json& space) { return space.contains(where) ? space[where].dump() : std::string("nothing"); };
  // /parameters/x/high is /optimizer/space/x/high, /constraints/0 /optimizer/parameter_constraints/0.
  std::string path = where.to_string();
  path = path.rfind(kParameters, 0) == 0 ? "/optimizer/space" + path.substr(kParameters.size())
                                         : "/optimizer/parameter_constraints" + path.substr(kConstraints.size());
  throw StateFileError(file + ": " + path + ": the state has " + shown(in_state) + " where the config's space has " +
                       shown(in_config) + "; refusing to use or overwrite a state that searches another space");
}

void check_state_objective(const RunState& state, bo::Goal goal, const std::vector<bo::OutcomeConstraint>& constraints,
                           const std::string& file) {
  const bo::OptimizerOptions& saved = state.optimizer.options();
  const auto refuse = [&](const std::string& path, const std::string& in_state, const std::string& in_config) {
    throw StateFileError(file + ": " + path + ": the state has " + in_state + " where the config has " + in_config +
                         "; refusing to use or overwrite a state that optimizes something else");
  };
  if (saved.goal != goal) refuse("/optimizer/options/goal", bo::to_string(saved.goal), bo::to_string(goal));
  const auto listed = [](const std::vector<bo::OutcomeConstraint>& cs) {
    return cs.empty() ? std::string("none") : join_text(cs, [](const bo::OutcomeConstraint& c) { return c.describe(); });
  };
  if (saved.constraints != constraints)
    refuse("/optimizer/options/constraints", listed(saved.constraints), listed(constraints));
}

namespace {

// Whether results.csv shows each value's noise sd: the config's objective reports one (a
// command's "result": {"sd": ...}, a built-in's "report_sd"), or some trial was told with one.
bool shows_value_sd(const RunState& state) {
  const json objective = state.config.is_object() ? state.config.value("objective", json::object()) : json::object();
  if (objective.is_object() && ((objective.contains("report_sd") && objective["report_sd"] == true) ||
                                (objective.contains("result") && objective["result"].is_object() && objective["result"].contains("sd"))))
    return true;
  const auto& trials = state.optimizer.history();
  return std::any_of(trials.begin(), trials.end(), [](const bo::Trial& t) { return t.noise_sd > 0; });
}

}  // namespace

std::string results_csv(const RunState& state, bool pending) {
  const auto& params = state.optimizer.space().parameters();
  std::ostringstream out;
  const auto& constraints = state.optimizer.options().constraints;
  const bool with_sd = shows_value_sd(state);
  out << kResultsColumns[0];
  for (const auto& p : params) out << ',' << csv_field(p.name);
  out << ',' << kResultsColumns[1];  // value, then what the sd and outcome constraints add to it
  if (with_sd) out << ',' << kValueSdColumn;
  for (const auto& c : constraints) out << ',' << csv_field(c.name);
  if (!constraints.empty()) out << ',' << kFeasibleColumn;
  for (std::size_t c = 2; c < kResultsColumns.size(); ++c) out << ',' << kResultsColumns[c];
  out << '\n';
  for (const auto& t : state.optimizer.history()) {
    // Pending and abandoned suggestions are no evaluations: only `gpbo show --csv` lists them.
    if ((t.status == bo::TrialStatus::Pending || t.status == bo::TrialStatus::Abandoned) && !pending) continue;
    const auto rec = state.evaluations.find(t.id);
    out << t.id;
    for (const auto& p : params) {
      const auto v = t.point.find(p.name);
      out << ',' << (v == t.point.end() ? "" : csv_field(bo::to_string(v->second)));
    }
    const bool ok = t.status == bo::TrialStatus::Ok;
    out << ',' << (ok ? format_double(t.value) : "");
    if (with_sd) out << ',' << (ok && t.noise_sd > 0 ? format_double(t.noise_sd) : "");
    for (std::size_t k = 0; k < constraints.size(); ++k)
      out << ',' << (ok && k < t.constraint_values.size() ? format_double(t.constraint_values[k]) : "");
    if (!constraints.empty()) out << ',' << (ok ? (state.optimizer.feasible(t) ? "true" : "false") : "");
    out << ','
        // A withdrawn suggestion's record still says "running": the trial says what became of it.
        << (rec != state.evaluations.end() && t.status != bo::TrialStatus::Abandoned ? rec->second.status
                                                                                    : bo::to_string(t.status))
        << ','
        << (rec != state.evaluations.end() && t.status != bo::TrialStatus::Pending ? format_double(rec->second.seconds) : "")
        << ','
        << (rec != state.evaluations.end() ? rec->second.started_at : "") << ',' << csv_field(t.reason) << '\n';
  }
  return out.str();
}

bool values_noisy(const RunState& state) {
  const auto& history = state.optimizer.history();
  return state.optimizer.options().surrogate.noise != bo::NoiseMode::None ||
         std::any_of(history.begin(), history.end(), [](const bo::Trial& t) { return t.noise_sd > 0; });
}

namespace {

// " (by an observed value; the model's median there, 0.997, falls short of it: ...)" when a
// noisy run's target was met by a lucky draw, else "".
std::string target_caveat(const RunState& state) {
  const auto& opt = state.optimizer;
  const auto target = opt.options().stop.target;
  const auto best = opt.best_unflagged();  // the value that met the target
  if (!target || !best) return "";
  // The summary's best may be a flagged value: say which one the rule took.
  if (const auto observed = opt.best(); observed && observed->id != best->id)
    return " (by evaluation " + std::to_string(best->id) + ", value " + short_number(best->value) +
           "; the better values are flagged outliers)";
  if (!values_noisy(state)) return "";
  double median = 0.0;
  try {
    median = opt.predict({best->point}).at(0).median;
  } catch (const std::logic_error&) {  // no model yet: nothing to compare with
    return "";
  }
  const bool meets = opt.options().goal == bo::Goal::Minimize ? median <= *target : median >= *target;
  if (meets) return "";
  return " (by observed value " + short_number(best->value) + "; the model's median there, " + short_number(median) +
         ", falls short of it: with noise, a lucky draw can meet a target)";
}

// " (25 evaluations without an improvement above 0.001 since evaluation 19)" for stop.patience.
std::string patience_detail(const RunState& state) {
  const bo::Optimizer& opt = state.optimizer;
  const auto& stop = opt.options().stop;
  const auto since = opt.last_improvement();
  if (!since) return "";
  const bool in_design = *since + 1 < opt.options().initial_points;
  return " (" + count_text(stop.patience, "evaluation") + " without an improvement" +
         (stop.min_improvement > 0 ? " above " + short_number(stop.min_improvement) : std::string()) +
         (in_design ? " since the initial design" : " since evaluation " + std::to_string(*since)) + ")";
}

}  // namespace

std::string stop_rule_key(const std::string& rule) { return rule == "time" ? "max_time_s" : rule; }

std::string describe_stop_rule(const std::string& rule, const RunState& state) {
  // Named by the config key that set it (the optimizer says "time" for stop.max_time_s).
  if (rule == "target") return "stopping rule 'target' met" + target_caveat(state);
  if (rule == "patience") return "stopping rule 'patience' met" + patience_detail(state);
  if (rule != "exhausted") return "stopping rule '" + stop_rule_key(rule) + "' met";
  if (state.optimizer.points_left() != std::optional<std::uint64_t>(0))  // a space too large to count, or continuous
    return "no point of the search space was found that was not already suggested";
  const auto n = state.optimizer.space().cardinality().value_or(0);
  return "all " + std::to_string(n) + " points of the finite search space were suggested";
}

bool space_used_up(const RunState& state) {
  if (state.optimizer.points_left() != std::optional<std::uint64_t>(0)) return false;  // spares the copy
  // The optimizer's own rule (its enqueued start points count too), with no other rule to hide it.
  bo::Optimizer probe = state.optimizer;
  probe.set_stopping_rules({});
  return probe.stop_reason() == std::optional<std::string>("exhausted");
}

std::optional<std::string> stopped_run_advice(const RunState& state) {
  const auto rule = state.optimizer.stop_reason();
  if (!rule) return std::nullopt;
  const std::string done = std::to_string(state.optimizer.evaluations());
  const std::string why =
      *rule == "budget" ? "its budget of " + count_text(state.optimizer.options().stop.max_evaluations, "evaluation") + " is used up"
                        : describe_stop_rule(*rule, state);
  // A used-up finite space is checked after the other rules: changing one would not help.
  if (*rule != "exhausted" && space_used_up(state))
    return why + ", and " + describe_stop_rule("exhausted", state) + ": there is nothing left to try";
  if (*rule == "budget") return why + "; --resume --budget N with N above " + done + " continues it";
  if (*rule == "exhausted") return why + "; there is nothing left to try";
  return why + "; --resume continues it once stop." + stop_rule_key(*rule) + " is changed in the config";
}

}  // namespace gpbo::tune
