#include "tune/tune_config.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/memory_budget.hpp"
#include "gpbo/core/text_list.hpp"
#include "tune/config_reader.hpp"
#include "tune/run_state.hpp"
#include "tune/warm_start.hpp"

namespace gpbo::tune {
namespace {

using nlohmann::json;
using detail::Reader;
using detail::has_parameter;
using detail::read_command;

StopRules read_stop(const Reader& r, const json& j, const std::string& path) {
  r.check_keys(j, path, {"target", "patience", "min_improvement", "max_time_s"});
  StopRules s;
  if (j.contains("target")) {
    if (!j["target"].is_number()) r.fail(path + "/target", "expected a number");
    s.target = j["target"].get<double>();
  }
  if (j.contains("patience")) s.patience = r.int_at(j, "patience", path, 1);
  if (j.contains("min_improvement")) {
    if (!s.patience) r.fail(path + "/min_improvement", "says what patience counts as an improvement: give stop.patience too");
    const json& v = j["min_improvement"];
    if (!v.is_number() || !(v.get<double>() >= 0.0) || !std::isfinite(v.get<double>()))
      r.fail(path + "/min_improvement", "expected a number >= 0 (in the objective's units)" + got_json(v));
    s.min_improvement = v.get<double>();
  }
  if (j.contains("max_time_s")) s.max_time_s = r.number_at(j, "max_time_s", path, 0);
  return s;
}

OptimizerSettings read_optimizer(const Reader& r, const json& j, const std::string& path) {
  r.check_keys(j, path, {"preset", "acquisition", "xi", "ucb_scale", "hyperparameters", "noise", "initial_points",
                         "initial_design", "escape", "short_range", "outliers"});
  OptimizerSettings o;
  if (j.contains("preset")) o.preset = r.string_at(j, "preset", path, {"default", "fast"});
  if (j.contains("acquisition"))
    o.acquisition = r.string_at(j, "acquisition", path, {"log_ei", "ei", "log_pi", "ucb", "thompson", "noisy_ei", "log_nei"});
  if (j.contains("xi")) {
    const auto& v = j["xi"];
    if (!v.is_number() || !(v.get<double>() >= 0.0))
      r.fail(path + "/xi", "expected an improvement margin >= 0 (in standard deviations of the values)");
    o.xi = v.get<double>();
    // Said, as other settings that would do nothing are (a margin would be silently ignored).
    if (o.acquisition == "ucb" || o.acquisition == "thompson")
      r.fail(path + "/xi", "\"" + o.acquisition + "\" takes no improvement margin (xi is for the EI and PI forms); leave xi out");
  }
  if (j.contains("ucb_scale")) {
    const auto& v = j["ucb_scale"];
    // The library's bound (OptimizerOptions::validate) with the path and what the number means.
    if (!v.is_number() || !(v.get<double>() > 0.0 && v.get<double>() <= 1e6))
      r.fail(path + "/ucb_scale", "expected a number in (0, 1e6] (the factor on GP-UCB's beta_t; larger explores more)" +
                                      got_json(v));
    o.ucb_scale = v.get<double>();
    if (o.acquisition != "ucb")
      r.fail(path + "/ucb_scale", "is for \"acquisition\": \"ucb\" (got \"" + o.acquisition + "\"); leave ucb_scale out");
  }
  if (j.contains("hyperparameters")) o.hyperparameters = r.string_at(j, "hyperparameters", path, {"map", "mcmc"});
  // mcmc is a preset of its own (it was silently chosen over "fast").
  if (o.hyperparameters == "mcmc" && o.preset == "fast")
    r.fail(path + "/preset", "\"fast\" does not combine with \"hyperparameters\": \"mcmc\" (the mcmc mode refits every "
                             "iteration by sampling); leave one out");
  if (j.contains("noise")) {
    const auto& n = j["noise"];
    if (n.is_number()) {
      // 0 reads naturally as "no noise", which is the word "none" (a fixed tiny jitter).
      if (!(n.get<double>() > 0.0))
        r.fail(path + "/noise", "expected a noise standard deviation > 0 (objective units), got " + n.dump() +
                                    (n.get<double>() == 0.0 ? "; for a noiseless objective write \"none\"" : ""));
      const double sd = r.number_at(j, "noise", path, 0);
      // The model works with variances: 1e77^2 is the largest it takes, and 1e-150^2 the smallest
      // (a subnormal sd such as 1e-320 squared to 0, and its text read back threw out_of_range).
      if (sd > 1e77) r.fail(path + "/noise", "expected a noise standard deviation <= 1e77 (objective units), got " + Reader::fmt(sd));
      if (sd < 1e-150)
        r.fail(path + "/noise", "expected a noise standard deviation >= 1e-150 (objective units), got " + n.dump() +
                                    "; for a noiseless objective write \"none\"");
      o.noise = Reader::fmt(sd);
    } else if (n.is_string() && (n == "auto" || n == "none")) {
      o.noise = n.get<std::string>();
    } else {
      // A number is allowed too: say so, which string_at's list of names would not.
      const auto hint = n.is_string() ? did_you_mean(n.get<std::string>(), {"auto", "none"}) : std::string();
      r.fail(path + "/noise", "expected \"auto\", \"none\" or a noise standard deviation > 0 (objective units), got " +
                                  n.dump() + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
  }
  if (j.contains("initial_points")) o.initial_points = r.int_at(j, "initial_points", path, 1);
  if (j.contains("initial_design")) o.initial_design = r.string_at(j, "initial_design", path, {"sobol", "lhs", "random"});
  if (j.contains("escape")) {
    if (!j["escape"].is_boolean()) r.fail(path + "/escape", "expected true or false");
    o.escape = j["escape"].get<bool>();
  }
  if (j.contains("short_range")) {
    const auto short_range = bo::short_range_from_json(j["short_range"]);
    if (!short_range) r.fail(path + "/short_range", "expected \"auto\", true or false");
    o.short_range = *short_range;
  }
  if (j.contains("outliers")) o.outliers = r.string_at(j, "outliers", path, {"off", "detect"}) == "detect";
  return o;
}

std::vector<bo::OutcomeConstraint> read_constraints(const Reader& r, const json& j, const bo::Space& space,
                                                    const std::string& file) {
  std::vector<bo::OutcomeConstraint> constraints;
  try {
    constraints = bo::options_from_json(json{{"constraints", j}}, "").constraints;
  } catch (const bo::StateError& e) {
    throw ConfigError(file + ": " + e.what());
  }
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    const std::string& name = constraints[k].name;
    const std::string path = "/constraints/" + std::to_string(k) + "/name";
    if (has_parameter(space, name))
      r.fail(path, "\"" + name + "\" is a parameter's name; a constraint needs a results.csv column of its own");
    const bool column = name == kFeasibleColumn || name == kValueSdColumn ||
                        std::find(kResultsColumns.begin(), kResultsColumns.end(), name) != kResultsColumns.end();
    if (column) r.fail(path, "the name \"" + name + "\" is taken by a results.csv column; rename the constraint");
  }
  if (!constraints.empty() && has_parameter(space, std::string(kFeasibleColumn)))
    r.fail("/space/" + std::string(kFeasibleColumn), "with constraints, the name \"feasible\" is taken by a results.csv "
                                                      "column; rename the parameter");
  return constraints;
}

// A built-in objective's own constraints; it reports no others.
std::vector<bo::OutcomeConstraint> builtin_constraints(const Reader& r, const json& j, const bo::TestFunction& f) {
  if (!j.contains("constraints")) return f.constraints;
  if (f.constraints.empty())
    r.fail("/constraints", "the built-in " + f.name + " reports no constraint values; outcome constraints need a "
                           "command objective (or gpbo ask/tell)");
  const std::string own = join_text(f.constraints, [](const bo::OutcomeConstraint& c) { return c.describe(); });
  r.fail("/constraints", "the built-in " + f.name + " brings its own constraints (" + own + "); remove \"constraints\"");
}

// A built-in objective: its name, and the domain and outcome constraints it brings.
void read_builtin(const Reader& r, const json& j, const json& o, TuneConfig& c) {
  c.objective.builtin = r.string_at(o, "builtin", "/objective");
  std::optional<bo::TestFunction> f;
  try {
    f = bo::test_function(c.objective.builtin);
  } catch (const std::invalid_argument& e) {
    r.fail("/objective/builtin", e.what());
  }
  c.space = f->space();
  c.constraints = builtin_constraints(r, j, *f);
  if (j.contains("space")) r.fail("/space", "a built-in objective defines its own space (its domain); remove \"space\"");
  for (const char* key : {"cwd", "env", "timeout_s", "params", "result"})  // they would be ignored
    if (o.contains(key)) r.fail(std::string("/objective/") + key, std::string("only a command objective takes ") + key);
}

// The config's "space": at least one parameter that is not fixed, none named like a results.csv
// column or a placeholder.
bo::Space read_space(const Reader& r, const json& j, const std::string& file, const std::vector<std::string>& order) {
  bo::Space space;
  try {
    space = bo::space_from_json(j, "/space", order);
  } catch (const bo::SpaceError& e) {
    throw ConfigError(file + ": " + e.what());
  }
  if (space.size() == 0) r.fail("/space", "expected at least one parameter");
  if (std::all_of(space.parameters().begin(), space.parameters().end(),
                  [](const bo::Parameter& p) { return p.kind == bo::Parameter::Kind::Fixed; }))
    r.fail("/space", "every parameter is fixed: nothing to tune (give at least one a range or choices)");
  // results.csv has one column per parameter beside these; a parameter of the same name
  // would make two columns with one header.
  for (const std::string_view name : kResultsColumns)
    if (const std::string reserved(name); j.contains(reserved))
      r.fail("/space/" + reserved, "the name \"" + reserved + "\" is taken by a results.csv column; rename the parameter");
  for (const std::string_view name : kStatePredictionColumns)
    if (const std::string reserved(name); j.contains(reserved))
      r.fail("/space/" + reserved, "the name \"" + reserved + "\" is taken by a column of gpbo predict --state's output; rename the parameter");
  if (const std::string sd_column(kValueSdColumn); j.contains(sd_column))
    r.fail("/space/" + sd_column, "the name \"" + sd_column + "\" is taken by a results.csv column (the values' noise sd); rename the parameter");
  if (j.contains("params_file"))  // {params_file} would get the file's path, not the value
    r.fail("/space/params_file", "the name \"params_file\" is taken by the {params_file} placeholder; rename the parameter");
  return space;
}

// Any 64-bit unsigned integer.
std::uint64_t read_seed(const Reader& r, const json& seed) {
  if (is_seed(seed)) return seed.is_number_float() ? static_cast<std::uint64_t>(seed.get<double>()) : seed.get<std::uint64_t>();
  if (seed.is_number_float() && seed.get<double>() >= 0.0 && seed.get<double>() == std::floor(seed.get<double>()))
    r.fail("/seed", "expected an integer from 0 to " + std::to_string(std::numeric_limits<std::uint64_t>::max()) +
                        ", got " + seed.dump() + ", which is 2^64 or more");
  r.fail("/seed", "expected a non-negative integer");
}

}  // namespace

bool is_seed(const json& j) {
  if (j.is_number_float()) {  // 1e19 is an integer below 2^64, written as JSON writes big numbers
    const double v = j.get<double>();
    return v >= 0.0 && v == std::floor(v) && v < 18446744073709551616.0;
  }
  return j.is_number_unsigned() || json_integer_in(j, 0, std::numeric_limits<std::int64_t>::max()).has_value();
}

void check_overridable_keys(const json& j, const std::string& file) {
  const Reader r(file);
  if (!j.is_object()) r.fail("", "expected an object");
  if (j.contains("budget")) r.int_at(j, "budget", "", 1, kMaxBudget);
  if (j.contains("workers")) r.int_at(j, "workers", "", 1, kMaxWorkers);
  if (j.contains("seed")) read_seed(r, j["seed"]);
}

TuneConfig tune_config_from_json(const json& j, const std::string& file, const std::string& base_dir,
                                 ObjectiveRequirement requirement, const std::vector<std::string>& space_order) {
  const Reader r(file);
  r.check_keys(j, "", {"$schema", "name", "space", "parameter_constraints", "start_points", "warm_start", "goal", "budget",
                       "stop", "constraints", "optimizer", "objective", "workers", "synchronous", "seed"});
  TuneConfig c;
  c.source = j;
  c.file = file;
  c.name = j.contains("name") ? r.string_at(j, "name", "") : std::filesystem::path(file).stem().string();
  if (!j.contains("objective") && requirement == ObjectiveRequirement::Required)
    r.fail("", "missing key \"objective\" (a built-in function or a command)");
  c.has_objective = j.contains("objective");
  const json& o = c.has_objective ? j["objective"] : json::object();
  r.check_keys(o, "/objective", {"builtin", "noise_sd", "report_sd", "command", "cwd", "env", "timeout_s", "params", "result"});
  if (c.has_objective && o.contains("builtin") == o.contains("command"))
    r.fail("/objective", "expected exactly one of \"builtin\" (a test function name) or \"command\" (an argv array)");
  if (o.contains("builtin")) {
    read_builtin(r, j, o, c);
  } else {
    if (!j.contains("space")) r.fail("", "missing key \"space\" (the parameters to tune)");
    c.space = read_space(r, j["space"], file, space_order);
  }
  if (j.contains("parameter_constraints")) {
    try {
      bo::add_constraints_from_json(c.space, j["parameter_constraints"], "/parameter_constraints");
    } catch (const bo::SpaceError& e) {
      throw ConfigError(file + ": " + e.what());
    }
  }
  if (j.contains("start_points")) {
    const json& points = j["start_points"];
    if (!points.is_array()) r.fail("/start_points", "expected an array of points, each an object of parameter values");
    for (std::size_t i = 0; i < points.size(); ++i) {
      const std::string where = "/start_points/" + std::to_string(i);
      // A point may leave parameters out: the optimizer chooses them when it comes to it.
      try {
        bo::Point given = bo::values_from_json(points[i], c.space, where);
        // A fixed parameter's own value where it is inactive, or where the optimizer is left to
        // choose its parent, says nothing: left out, as earlier builds of gpbo ignored it (runs started
        // with such a point must resume; a point must otherwise leave inactive parameters out).
        const auto& params = c.space.parameters();
        for (std::size_t k = 0; k < params.size(); ++k)
          if (const auto it = given.find(params[k].name); params[k].kind == bo::Parameter::Kind::Fixed && it != given.end() &&
                                                         bo::value_to_json(it->second) == bo::value_to_json(params[k].value) &&
                                                         !c.space.active(k, given))
            given.erase(it);
        if (c.space.is_complete(c.space.complete(given))) {
          c.start_points.push_back(bo::point_from_json(bo::point_to_json(given), c.space, where));
        } else {
          try {
            c.start_points.push_back(c.space.slice(given).held());
          } catch (const bo::SpaceError& e) {
            r.fail(where, e.what());
          }
        }
      } catch (const bo::SpaceError& e) {
        throw ConfigError(file + ": " + e.what());
      }
      // The optimizer suggests a point enqueued twice once: say so rather than drop it unseen.
      const auto whole = [&](const bo::Point& p) { return c.space.is_complete(c.space.complete(p)); };
      const auto same = [&](const bo::Point& a, const bo::Point& b) {
        if (whole(a) != whole(b)) return false;
        return whole(a) ? c.space.encode(a) == c.space.encode(b) : a == b;
      };
      for (std::size_t k = 0; k < i; ++k)
        if (same(c.start_points[k], c.start_points.back()))
          r.fail(where, "the same point as /start_points/" + std::to_string(k) + " (each start point is evaluated once)");
    }
  }
  if (j.contains("warm_start")) {  // read when a run starts: a resumed run has its observations
    const auto file_name = r.string_at(j, "warm_start", "");
    c.warm_start = (std::filesystem::path(base_dir) / file_name).lexically_normal().string();
  }
  if (j.contains("goal")) c.minimize = r.string_at(j, "goal", "", {"minimize", "maximize"}) == "minimize";
  if (j.contains("budget")) c.budget = r.int_at(j, "budget", "", 1, kMaxBudget);
  if (j.contains("stop")) c.stop = read_stop(r, j["stop"], "/stop");
  if (j.contains("optimizer")) c.optimizer = read_optimizer(r, j["optimizer"], "/optimizer");
  if (j.contains("workers")) c.workers = r.int_at(j, "workers", "", 1, kMaxWorkers);
  if (j.contains("synchronous")) {
    if (!j["synchronous"].is_boolean()) r.fail("/synchronous", "expected true or false");
    c.synchronous = j["synchronous"].get<bool>();
  }
  if (j.contains("seed")) c.seed = read_seed(r, j["seed"]);
  if (o.contains("noise_sd")) {
    if (!o.contains("builtin")) r.fail("/objective/noise_sd", "only a built-in objective takes noise_sd");
    c.objective.noise_sd = r.number_at(o, "noise_sd", "/objective", 0);
  }
  if (o.contains("report_sd")) {
    if (!o["report_sd"].is_boolean()) r.fail("/objective/report_sd", "expected true or false");
    c.objective.report_sd = o["report_sd"].get<bool>();
    if (c.objective.report_sd && c.objective.noise_sd <= 0)
      r.fail("/objective/report_sd", o.contains("builtin") ? "a built-in reports the sd of the noise it adds: give it \"noise_sd\" > 0"
                                                          : "only a built-in objective takes report_sd (a command names its sd's line in \"result\": {\"sd\": \"loss_sd\"})");
  }
  if (j.contains("constraints") && !o.contains("builtin")) c.constraints = read_constraints(r, j["constraints"], c.space, file);
  if (o.contains("command")) {
    c.objective.command = read_command(r, o, "/objective", c.space, base_dir);
    for (const auto& constraint : c.constraints) {
      c.objective.command->constraint_names.push_back(constraint.name);
      if (constraint.name == c.objective.command->sd_name)
        r.fail("/objective/result/sd", "\"" + constraint.name + "\" is a constraint's name; the sd needs a name of its own");
    }
  }
  const bool explicit_initial = j.contains("optimizer") && j["optimizer"].contains("initial_points");
  if (explicit_initial && c.optimizer.initial_points > c.budget)
    r.fail("/optimizer/initial_points", "expected at most the budget (" + std::to_string(c.budget) + ")");
  c.optimizer.initial_points = std::min(c.optimizer.initial_points, c.budget);  // the default yields to small budgets
  return c;
}

TuneConfig load_tune_config(const std::string& path, ObjectiveRequirement requirement) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open config file");
  json j;
  JsonKeyOrder order;
  try {
    j = parse_json_text(std::string(std::istreambuf_iterator<char>(in), {}), path, &order);
  } catch (const JsonTextError& e) {
    throw ConfigError(e.what());
  }
  auto base = std::filesystem::absolute(path).parent_path().string();
  return tune_config_from_json(j, path, base, requirement, order["/space"]);
}

bo::Optimizer new_optimizer(const TuneConfig& config, std::string* warm_start_note) {
  bo::Optimizer optimizer(config.space, optimizer_options(config));
  if (!config.warm_start.empty()) {
    WarmStartSkips skips;
    try {
      for (const auto& row : read_warm_start(config.warm_start, config.space, config.constraints, &skips)) {
        if (row.value)
          optimizer.tell(row.point, bo::Measurement{*row.value, row.sd}, row.constraint_values);
        else
          // Once: a run warm-started from a warm-started run's results already says so.
          optimizer.tell_failure(row.point, row.failure.rfind("warm start: ", 0) == 0 ? row.failure : "warm start: " + row.failure);
      }
    } catch (const std::exception& e) {  // CsvError, FileError
      throw ConfigError(config.file + ": /warm_start: " + std::string(e.what()));
    }
    // The model holds every result: 40,000 rows would have the run killed by the system for
    // memory at its first suggestion.
    const std::size_t n = optimizer.evaluations();
    if (const std::string why = exact_gp_memory_refusal(n, "the model's"); !why.empty())
      throw ConfigError(config.file + ": /warm_start: " + std::to_string(n) + " results " + why +
                        "; warm-start from a random sample of the rows (a few thousand)");
    // A space narrowed after a first run: its rows outside the new one say nothing about it.
    if (warm_start_note && skips.rows > 0)
      *warm_start_note = "note: warm start: left out " + count_text(skips.rows, "row") + " outside the space (the first, " + skips.first + ")";
  }
  for (const auto& point : config.start_points) optimizer.enqueue(point);
  return optimizer;
}

bo::OptimizerOptions optimizer_options(const TuneConfig& c) {
  const auto& s = c.optimizer;
  auto o = bo::OptimizerOptions::preset(s.hyperparameters == "mcmc" ? "mcmc" : s.preset);
  o.goal = c.minimize ? bo::Goal::Minimize : bo::Goal::Maximize;
  o.seed = c.seed;
  o.initial_points = static_cast<std::size_t>(s.initial_points);
  o.escape.enabled = s.escape;
  o.surrogate.short_range = s.short_range;
  o.surrogate.outliers = s.outliers ? bo::OutlierMode::Detect : bo::OutlierMode::Off;
  o.initial_design = s.initial_design == "lhs"      ? bo::DesignKind::LatinHypercube
                     : s.initial_design == "random" ? bo::DesignKind::Uniform
                                                    : bo::DesignKind::Sobol;
  o.acquisition = bo::parse_acquisition_kind(s.acquisition);
  o.xi = s.xi;
  if (s.ucb_scale) o.ucb_scale = *s.ucb_scale;
  if (s.noise == "auto" || s.noise == "none") {
    o.surrogate.noise = bo::parse_noise_mode(s.noise);
  } else {
    o.surrogate.noise = bo::NoiseMode::Fixed;
    o.surrogate.noise_sd = std::stod(s.noise);
  }
  o.stop.max_evaluations = static_cast<std::size_t>(c.budget);
  o.stop.target = c.stop.target;
  o.stop.patience = c.stop.patience ? static_cast<std::size_t>(*c.stop.patience) : 0;
  o.stop.min_improvement = c.stop.min_improvement.value_or(0.0);
  o.stop.max_seconds = c.stop.max_time_s.value_or(0.0);
  o.constraints = c.constraints;
  return o;
}

}  // namespace gpbo::tune
