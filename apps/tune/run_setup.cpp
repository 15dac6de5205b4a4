#include "tune/run_setup.hpp"

#include <cstdio>
#include <filesystem>

#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"
#include "tune/run_summary.hpp"

namespace gpbo::tune {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read_json_file(const std::string& path, JsonKeyOrder* key_order) {
  try {
    return parse_json_text(read_file(path), path, key_order);
  } catch (const JsonTextError& e) {
    throw ConfigError(e.what());
  } catch (const FileError& e) {
    throw ConfigError(path + ": cannot open config file");
  }
}

// --budget below the file's initial_points: said here, where the budget's origin is known, as
// the config check would blame the file for a number it does not hold.
void check_budget_option(const json& file_config, const json& command_line, const std::string& path) {
  if (!command_line.contains("budget") || !file_config.contains("optimizer") || !file_config["optimizer"].is_object())
    return;
  const json& optimizer = file_config["optimizer"];
  const std::int64_t budget = command_line["budget"].get<std::int64_t>();
  if (!optimizer.contains("initial_points") ||
      !json_integer_in(optimizer["initial_points"], budget + 1, std::numeric_limits<std::int64_t>::max()))
    return;
  throw ConfigError(path + ": /optimizer/initial_points: " + optimizer["initial_points"].dump() +
                    " initial points do not fit in the budget of " + std::to_string(budget) +
                    " given by --budget; raise --budget or lower initial_points");
}

// A resumed run keeps the options it was started with; those given now replace them, but the
// seed, which the run keeps, may only be repeated.
json resumed_command_line(const RunState& run, const TuneRunOptions& o) {
  json flags = run.command_line;
  if (o.seed) {
    const std::uint64_t seed = run.optimizer.options().seed;  // the state's /config is checked against the run's later
    if (*o.seed != seed)
      throw ConfigError("--seed cannot change when resuming (the run keeps its seed, " + std::to_string(seed) + ")");
  }
  const json given = command_line_of(o);  // named: a temporary's items() would dangle in the loop
  for (const auto& [key, value] : given.items()) flags[key] = value;
  return flags;
}

// Where the budget of a resumed run came from, for an error that asks to change it.
std::string budget_source(const TuneRunOptions& o, const json& command_line, const std::string& config_path) {
  if (o.budget) return "--budget " + std::to_string(*o.budget);
  if (command_line.contains("budget"))
    return "the run's --budget " + command_line["budget"].dump() + " (given when it started or was last resumed)";
  return "the budget of " + config_path;
}

// The loaded run, checked against the config it is resumed with.
RunState resumed_state(RunState loaded, const json& config_json, const TuneConfig& config, const std::string& state_path,
                       const std::string& budget_from) {
  const std::string dir = fs::path(state_path).parent_path().string();
  check_same_run(loaded, config_json, state_path,
                 " — resume with the config it was made from (" + dir + "/config.json; budget, workers, synchronous, name, stop and the "
                 "objective's timeout_s and cwd may change), or start a new run with --out DIR");
  check_state_space(loaded, config.space, state_path);
  const bo::OptimizerOptions configured = optimizer_options(config);
  check_state_objective(loaded, configured.goal, configured.constraints, state_path);
  check_evaluation_records(loaded, state_path);
  loaded.config = config_json;
  // The budget may have changed; the optimizer kept the old one, which as its first stopping
  // rule hid the others (target, patience, time) for the whole resumed run.
  loaded.optimizer.set_stopping_rules(configured.stop);
  // Refused before anything is written: a lower budget recorded in config.json but not in the
  // state left the two disagreeing, and the run stopped "at" a budget it had passed.
  if (const std::size_t done = loaded.optimizer.evaluations(); static_cast<std::size_t>(config.budget) < done)
    throw ConfigError(budget_from + " is below the " + std::to_string(done) +
                      " evaluations this run has already done: resume with --budget " + std::to_string(done) + " or more");
  return loaded;
}

// A new run never overwrites an earlier one's files.
void refuse_earlier_run(const std::string& dir, const std::string& state_path) {
  if (fs::exists(state_path))
    throw ConfigError(dir + " already holds a run: pass --resume to continue it, or --out DIR for a new run");
  // Files of a run whose state is gone (deleted, or never written) are results too.
  for (const char* file : {"results.csv", "log.txt", "convergence.svg", "parameters.svg", "config.json"})
    if (fs::exists(dir + "/" + file))
      throw ConfigError(dir + " already holds " + file + " from an earlier run (but no state.json to resume): "
                        "refusing to overwrite it; use --out DIR for a new run, or move the files away");
}

[[noreturn]] void refuse_run_in_use(const std::string& dir, long holder) {
  throw StateFileError("run directory " + dir + " is in use by another gpbo process" +
                       (holder > 0 ? " (pid " + std::to_string(holder) + ")" : "") + "; wait for it to end, or stop it first");
}

// A run going on in `dir` refused as its lock would refuse it, before any advice about the run
// (to --resume it, which the lock then refuses); without taking the lock, for --check.
void refuse_run_going_on(const std::string& dir) {
  if (const auto holder = run_lock_holder(dir + "/state.json")) refuse_run_in_use(dir, *holder);
}

// check_tuning with --resume: the run in `dir` read and checked against the (edited) config as
// --resume would, without its lock (nothing is written); a run going on is refused as --resume
// would refuse it.
void check_resume(const TuneRunOptions& o, const ConfigFile& file, const std::string& base_dir, const std::string& dir) {
  const std::string state_path = dir + "/state.json";
  require_run_to_resume(dir, state_path);
  refuse_run_going_on(dir);
  const ResumedRun resumed = read_resumed_run(o, file, base_dir, state_path);
  const RunState& state = resumed.state;
  const TuneConfig& config = resumed.config;
  const json& config_json = resumed.config_json;
  const std::size_t done = state.optimizer.evaluations(), pending = state.optimizer.pending().size();
  std::printf("%s: ok to resume with %s: %s done (%s), %zu pending to run again, budget %d: up to %zu more\n",
              dir.c_str(), o.config_path.c_str(), count_text(done, "evaluation").c_str(), failure_counts(state).c_str(), pending, config.budget,
              static_cast<std::size_t>(config.budget) - done);
  if (const auto rule = state.optimizer.stop_reason(); rule && *rule != "budget")
    std::printf("but it would stop at once: %s\n", describe_stop_rule(*rule, state).c_str());
  else if (rule && space_used_up(state))  // checked after the budget
    std::printf("but it would stop at once: %s\n", describe_stop_rule("exhausted", state).c_str());
  std::printf("the run's config.json would become:\n%s\n", in_text_order(runnable_copy(config_json, base_dir, config.name), file.key_order).dump(2).c_str());
}

}  // namespace

// The config keys given as options (--budget, --workers, --seed).
json command_line_of(const TuneRunOptions& o) {
  json flags = json::object();
  if (o.budget) flags["budget"] = *o.budget;
  if (o.workers) flags["workers"] = *o.workers;
  if (o.seed) flags["seed"] = *o.seed;
  return flags;
}

const std::vector<std::string>& ConfigFile::space_order() const {
  static const std::vector<std::string> none;
  const auto it = key_order.find("/space");
  return it == key_order.end() ? none : it->second;
}

// The config file, its overridable keys checked as it writes them.
ConfigFile file_config(const TuneRunOptions& o) {
  ConfigFile file;
  json& j = file.json;
  j = read_json_file(o.config_path, &file.key_order);
  if (is_format(j, "gpbo.run")) {  // the run's state.json given for its config
    const std::string dir = fs::path(o.config_path).parent_path().string();
    const std::string run = dir.empty() ? "." : dir;
    throw ConfigError(o.config_path + ": this is a run's state, not a config; to continue that run: gpbo tune " + run +
                      "/config.json --out " + run + " --resume");
  }
  check_overridable_keys(j, o.config_path);
  return file;
}

// The config with the command-line options written into it, as stored in the run.
json effective_config(json file, const json& command_line, const std::string& path) {
  check_budget_option(file, command_line, path);
  for (const auto& [key, value] : command_line.items()) file[key] = value;
  return file;
}

// The run's lock, held until the run ends, so that no second `gpbo tune` (or `gpbo ask`/`tell`)
// changes the state under it: their changes would be lost at its next save, or the same
// evaluation would run twice. A second process fails at once instead of waiting.
FileLock lock_run(const std::string& dir, const std::string& state_path) {
  try {
    return FileLock(state_path, LockKind::Run);
  } catch (const LockBusy& e) {
    refuse_run_in_use(dir, e.holder);
  }
}

// The config as run, for the run directory: a command's working directory made absolute, so
// that `gpbo tune DIR/config.json --out DIR --resume` runs the same program from there, and the
// run's name kept (it would otherwise become "config", the copy's stem).
json runnable_copy(json config, const std::string& base_dir, const std::string& name) {
  if (!config.contains("name")) config["name"] = name;
  // An editor's "$schema": "./schema.json" would point nowhere from the run directory.
  if (const auto it = config.find("$schema"); it != config.end() && it->is_string()) {
    const std::string schema = it->get<std::string>();
    if (schema.find("://") == std::string::npos && !fs::path(schema).is_absolute())
      *it = (fs::path(base_dir) / schema).lexically_normal().string();
  }
  if (!config.contains("objective") || !config["objective"].is_object() || !config["objective"].contains("command"))
    return config;
  json& objective = config["objective"];
  const json cwd = objective.value("cwd", json("."));
  if (!cwd.is_string()) return config;
  fs::path absolute = (fs::path(base_dir) / cwd.get<std::string>()).lexically_normal();
  if (!absolute.has_filename() && absolute.has_parent_path() && absolute != absolute.root_path())
    absolute = absolute.parent_path();  // "/work/project/" -> "/work/project"
  objective["cwd"] = absolute.string();
  return config;
}

RunState new_state(const std::string& dir, const json& config_json, const TuneConfig& config, const std::string& state_path,
                   std::string* warm_start_note) {
  refuse_earlier_run(dir, state_path);
  RunState state{config_json, new_optimizer(config, warm_start_note), {}};
  save_run_state(state, state_path);  // from now on the directory holds a run that --resume continues
  return state;
}

void refuse_stopped_run(const TuneRunOptions& o, const ConfigFile& file, const std::string& base_dir, const std::string& dir) {
  refuse_run_going_on(dir);  // also one starting, before its state is saved
  const std::string state_path = dir + "/state.json";
  if (!fs::exists(state_path)) return;
  // The run as this command with --resume would continue it (its config, budget and stopping
  // rules as given now); one that --resume would refuse gets refuse_earlier_run's plain advice,
  // and --resume then says what is wrong.
  std::optional<std::string> stopped;
  try {
    stopped = stopped_run_advice(read_resumed_run(o, file, base_dir, state_path).state);
  } catch (const std::exception&) {
  }
  if (stopped) throw ConfigError(dir + " already holds a run that has stopped: " + *stopped + ", or --out DIR starts a new run");
}

void require_run_to_resume(const std::string& dir, const std::string& state_path) {
  if (!fs::exists(state_path)) throw ConfigError(dir + ": no run to resume (no state.json); start one without --resume");
}

ResumedRun read_resumed_run(const TuneRunOptions& o, const ConfigFile& file, const std::string& base_dir, const std::string& state_path) {
  RunState loaded = load_run_state(state_path);
  json command_line = resumed_command_line(loaded, o);
  json config_json = effective_config(file.json, command_line, o.config_path);
  std::vector<std::string> saved_order;  // the run's parameters keep the order they were started in
  for (const auto& p : loaded.optimizer.space().parameters()) saved_order.push_back(p.name);
  TuneConfig config = tune_config_from_json(config_json, o.config_path, base_dir, ObjectiveRequirement::Required, saved_order);
  RunState state = resumed_state(std::move(loaded), config_json, config, state_path, budget_source(o, command_line, o.config_path));
  return ResumedRun{std::move(command_line), std::move(config_json), std::move(config), std::move(state)};
}

namespace {
bool single_choice(const bo::Parameter& p) { return p.kind == bo::Parameter::Kind::Categorical && p.choices.size() == 1; }
// Results from which a warm start is worth a warning: measured in session 45 on 2 cores (a
// warm start of two parameters, one suggestion), 20 s at 1000 results, 138 s at 2000.
constexpr std::size_t kLargeWarmStart = 1000;
}  // namespace

std::vector<std::string> config_warnings(const TuneConfig& config, std::size_t done, bool resumed) {
  std::vector<std::string> warnings;
  const std::size_t left = static_cast<std::size_t>(config.budget) > done ? static_cast<std::size_t>(config.budget) - done : 0;
  if (!resumed && config.start_points.size() > left)
    warnings.push_back("warning: " + std::to_string(config.start_points.size()) + " start points, but the budget (" +
                       std::to_string(config.budget) + ") leaves room for " + std::to_string(left) +
                       (done > 0 ? " after the warm start's " + std::to_string(done) + " results" : "") + ": the last " +
                       std::to_string(config.start_points.size() - left) + " will not run");
  // Every suggestion refits the model on every result, in time growing as n^3: a warm start of
  // thousands of rows made the first suggestion take hours with nothing said.
  if (!resumed && done > kLargeWarmStart)
    warnings.push_back("warning: the warm start brings " + std::to_string(done) + " results: every suggestion refits the "
                       "model on all of them, in time growing as their number cubed (some 20 s a suggestion at 1000, "
                       "minutes at 2000, hours past a few thousand); a random sample of about " + std::to_string(kLargeWarmStart) +
                       " rows is much faster");
  for (const auto& p : config.space.parameters())
    if (single_choice(p))
      warnings.push_back("warning: parameter \"" + p.name + "\" is a categorical with one choice, " +
                         bo::value_to_json(p.choices.front()).dump() + ": it is never varied (a forgotten choice? "
                         "{\"type\": \"fixed\", \"value\": ...} says it is meant)");
  return warnings;
}

void check_tuning(const TuneRunOptions& o) {
  const ConfigFile file = file_config(o);
  const std::string base_dir = fs::absolute(o.config_path).parent_path().string();
  const std::string dir = o.out_dir.empty() ? "runs/" + fs::path(o.config_path).stem().string() : o.out_dir;
  if (o.resume) return check_resume(o, file, base_dir, dir);
  const json config_json = effective_config(file.json, command_line_of(o), o.config_path);
  const TuneConfig config = tune_config_from_json(config_json, o.config_path, base_dir, ObjectiveRequirement::Required, file.space_order());
  std::string warm_start_note;
  const bo::Optimizer optimizer = new_optimizer(config, &warm_start_note);  // reads the warm start, enqueues the start points
  refuse_stopped_run(o, file, base_dir, dir);  // as the run would, so a script can take --check as a gate
  refuse_earlier_run(dir, dir + "/state.json");
  std::size_t searched = 0;  // a categorical of one choice is not searched either
  for (const auto& p : config.space.parameters())
    searched += p.kind != bo::Parameter::Kind::Fixed && !single_choice(p);
  std::printf("%s: ok: %zu parameters (%zu searched), budget %d, %s, %s from the warm start\n", o.config_path.c_str(),
              config.space.size(), searched, config.budget, count_text(config.start_points.size(), "start point").c_str(),
              count_text(optimizer.history().size(), "result").c_str());
  const std::size_t done = optimizer.evaluations();
  if (done > static_cast<std::size_t>(config.budget))
    std::printf("warning: the budget (%d) is below the %zu evaluations the warm start brings; nothing more would run\n",
                config.budget, done);
  for (const auto& w : config_warnings(config, done)) std::printf("%s\n", w.c_str());
  if (!warm_start_note.empty()) std::printf("%s\n", warm_start_note.c_str());
  std::printf("a run would write %s/ with this config.json:\n", dir.c_str());
  std::printf("%s\n", in_text_order(runnable_copy(config_json, base_dir, config.name), file.key_order).dump(2).c_str());
}

}  // namespace gpbo::tune
