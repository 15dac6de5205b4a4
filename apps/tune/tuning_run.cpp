#include "tune/tuning_run.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "gpbo/core/json_text.hpp"
#include "tune/run_plots.hpp"
#include "tune/evaluation.hpp"
#include "tune/file_lock.hpp"
#include "tune/run_summary.hpp"
#include "tune/group_reaper.hpp"
#include "tune/run_state.hpp"
#include "tune/tune_config.hpp"

namespace gpbo::tune {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The stop reason when no evaluation has succeeded after several tries.
constexpr const char* kEveryEvaluationFailed = "every evaluation failed";

std::atomic<int> interrupt_signal{0};
extern "C" void on_interrupt(int sig) { interrupt_signal = sig; }

json read_json_file(const std::string& path) {
  try {
    return parse_json_text(read_file(path), path);
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

// The config keys given as options (--budget, --workers, --seed).
json command_line_of(const TuneRunOptions& o) {
  json flags = json::object();
  if (o.budget) flags["budget"] = *o.budget;
  if (o.workers) flags["workers"] = *o.workers;
  if (o.seed) flags["seed"] = *o.seed;
  return flags;
}

// The config file, its overridable keys checked as it writes them.
json file_config(const TuneRunOptions& o) {
  json j = read_json_file(o.config_path);
  if (is_format(j, "gpbo.run")) {  // the run's state.json given for its config
    const std::string dir = fs::path(o.config_path).parent_path().string();
    const std::string run = dir.empty() ? "." : dir;
    throw ConfigError(o.config_path + ": this is a run's state, not a config; to continue that run: gpbo tune " + run +
                      "/config.json --out " + run + " --resume");
  }
  check_overridable_keys(j, o.config_path);
  return j;
}

// The config with the command-line options written into it, as stored in the run.
json effective_config(json file, const json& command_line, const std::string& path) {
  check_budget_option(file, command_line, path);
  for (const auto& [key, value] : command_line.items()) file[key] = value;
  return file;
}

// A resumed run keeps the options it was started with; those given now replace them, but the
// seed, which the run keeps, may only be repeated.
json resumed_command_line(const RunState& run, const TuneRunOptions& o) {
  json flags = run.command_line;
  if (o.seed) {
    const std::uint64_t seed = run.config.contains("seed") ? run.config["seed"].get<std::uint64_t>() : 0;
    if (*o.seed != seed)
      throw ConfigError("--seed cannot change when resuming (the run keeps its seed, " + std::to_string(seed) + ")");
  }
  const json given = command_line_of(o);  // named: a temporary's items() would dangle in the loop
  for (const auto& [key, value] : given.items()) flags[key] = value;
  return flags;
}

std::string trimmed(const std::string& s) {
  const auto end = s.find_last_not_of(" \t\r\n");
  return end == std::string::npos ? "" : s.substr(0, end + 1);
}

// Every line after the first starts with `indent`. A program's stderr is shown as a terminal
// would show it, without its control bytes: each line from its last '\r' (a progress bar's
// redraws), other control characters (colour escapes, bells) as '?'.
std::string indented(const std::string& text, const std::string& indent) {
  std::string out;
  std::size_t line_start = 0;
  for (const char ch : text) {
    if (ch == '\n') {
      out += "\n" + indent;
      line_start = out.size();
    } else if (ch == '\r') {
      out.resize(line_start);
    } else {
      const auto byte = static_cast<unsigned char>(ch);
      out += (byte < 0x20 && ch != '\t') || byte == 0x7f ? '?' : ch;
    }
  }
  return out;
}

std::string format_seconds(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

}  // namespace

namespace {

struct Finished {
  std::uint64_t id;
  CommandOutcome outcome;
};

class TuningRun {
 public:
  TuningRun(TuneConfig config, RunState state, std::string dir, std::string config_path, bool quiet, bool resumed)
      : config_(std::move(config)), state_(std::move(state)), dir_(std::move(dir)), config_path_(std::move(config_path)), quiet_(quiet),
        tty_(isatty(STDERR_FILENO) != 0), resumed_(resumed), start_(Clock::now()) {
    for (const auto id : state_.optimizer.pending()) rerun_.push_back(id);  // interrupted last time
    completed_at_start_ = completed();
  }

  int run();

 private:
  [[nodiscard]] std::size_t completed() const { return state_.optimizer.evaluations(); }
  // Whether any evaluation succeeded (one that broke an outcome constraint too: no failure).
  [[nodiscard]] bool any_success() const {
    const auto& h = state_.optimizer.history();
    return std::any_of(h.begin(), h.end(), [](const bo::Trial& t) { return t.status == bo::TrialStatus::Ok; });
  }
  [[nodiscard]] std::optional<std::string> stop_reason() const;
  void start_next();
  void finish(const Finished& f);
  void save();
  void write_reports();  // results.csv, convergence.svg and parameters.svg from the state
  void warn_if_all_values_equal();
  [[nodiscard]] std::string constraints_note(const std::vector<double>& values) const;
  void log(const std::string& line, bool echo);
  void show_progress();
  int conclude(const std::string& why);
  int interrupted();
  int cannot_start();

  TuneConfig config_;
  RunState state_;
  std::string dir_, config_path_;
  bool quiet_, tty_;
  bool resumed_;  // a session of a run started earlier (not a new run, even one with a warm start)
  Clock::time_point start_;
  std::deque<std::uint64_t> rerun_;
  std::map<std::uint64_t, std::thread> running_;
  std::map<std::uint64_t, int> worker_of_;  // the worker slot each running evaluation holds
  std::mutex mutex_;
  std::condition_variable done_cv_;
  std::deque<Finished> done_;
  std::size_t failures_in_a_row_ = 0;
  std::size_t completed_at_start_ = 0;  // evaluations done before this process (resume)
  std::string cannot_start_;  // why the objective's program could not be started: the run stops
  std::string last_failure_;
};

std::optional<std::string> TuningRun::stop_reason() const {
  if (completed() + running_.size() >= static_cast<std::size_t>(config_.budget))
    return "budget of " + std::to_string(config_.budget) + " evaluations reached";
  const auto rule = state_.optimizer.stop_reason();
  if (rule && *rule != "budget") return describe_stop_rule(*rule, state_);
  return std::nullopt;
}

void TuningRun::start_next() {
  std::uint64_t id;
  bo::Point point;
  if (!rerun_.empty()) {
    id = rerun_.front();
    rerun_.pop_front();
    point = state_.optimizer.history().at(id).point;
  } else {
    const auto s = state_.optimizer.ask();
    id = s.id;
    point = s.point;
    if (!state_.optimizer.last_warning().empty()) log("note: " + state_.optimizer.last_warning(), !quiet_);
  }
  state_.evaluations[id] = {utc_now(), 0, std::string(kRunningStatus), "", ""};
  save();  // the pending point is on disk before it runs
  std::set<int> taken;
  for (const auto& [other, slot] : worker_of_) taken.insert(slot);
  int worker = 0;  // the lowest free slot
  while (taken.count(worker)) ++worker;
  worker_of_[id] = worker;
  running_[id] = std::thread([this, id, worker, point] {
    Finished f{id, {}};
    try {
      f.outcome = evaluate(config_, id, worker, point);
    } catch (const std::exception& e) {
      f.outcome.status = CommandOutcome::Status::Failed;
      f.outcome.reason = e.what();
    }
    std::lock_guard lock(mutex_);
    done_.push_back(std::move(f));
    done_cv_.notify_one();
  });
}

void TuningRun::finish(const Finished& f) {
  running_.at(f.id).join();
  running_.erase(f.id);
  worker_of_.erase(f.id);
  const auto& o = f.outcome;
  auto& rec = state_.evaluations[f.id];
  rec.seconds = o.seconds;
  rec.status = to_string(o.status);
  rec.reason = o.reason;
  rec.stderr_tail = o.stderr_tail;
  const std::string head = "eval " + std::to_string(f.id) + " [" + describe(state_.optimizer.history().at(f.id).point) + "]";
  // The program itself could not be started (deleted, made non-executable, an environment gone
  // mid-run): every further evaluation would "fail" at once, burn the budget and teach the
  // failure model a region that never failed. Unless the program's name comes from a parameter,
  // the point stays pending (rerun by --resume) and the run stops. Nothing was evaluated.
  if (o.not_started && (o.setup_failed || placeholders_in({config_.objective.command->argv.front()}).empty())) {
    rec.status = kRunningStatus;
    cannot_start_ = o.reason;
    log(head + " NOT RUN: " + o.reason, true);
    save();
    return;
  }
  if (o.status == CommandOutcome::Status::Ok) {
    state_.optimizer.tell(f.id, bo::Measurement{*o.value, o.sd.value_or(0.0)}, o.constraint_values);
    failures_in_a_row_ = 0;
    log(head + " -> " + short_number(*o.value) + (o.sd ? " +- " + short_number(*o.sd) : "") + " (" + format_seconds(o.seconds) + ")" + constraints_note(o.constraint_values),
        !quiet_);
    warn_if_all_values_equal();
  } else {
    state_.optimizer.tell_failure(f.id, rec.status + ": " + o.reason);
    ++failures_in_a_row_;
    last_failure_ = rec.status + ": " + o.reason;
    // The stderr tail's lines are indented, so that in log.txt every event starts a line with its time.
    if (const auto tail = trimmed(o.stderr_tail); !tail.empty()) last_failure_ += "\n  stderr: " + indented(tail, "    ");
    log(head + " FAILED " + last_failure_, true);
  }
  save();
  write_reports();
}

// " [memory_mb=420]", and for a result that breaks a constraint " [memory_mb=620] INFEASIBLE:
// breaks memory_mb <= 512" ("" without constraints).
std::string TuningRun::constraints_note(const std::vector<double>& values) const {
  const auto& constraints = config_.constraints;
  if (constraints.empty()) return "";
  const std::string broken = broken_constraints(constraints, values);
  return " [" + describe_constraint_values(constraints, values) + "]" + (broken.empty() ? "" : " INFEASIBLE: breaks " + broken);
}

// Five different points that all score the same usually mean the score is read from the wrong
// place (a "result: 0.02 ... exit 0" line read by last_number as 0), not a flat objective.
void TuningRun::warn_if_all_values_equal() {
  constexpr std::size_t kSameValues = 5;
  std::vector<double> values;
  for (const auto& t : state_.optimizer.history()) {
    if (t.status == bo::TrialStatus::Ok && t.asked) values.push_back(t.value);
    if (values.size() > kSameValues) return;  // warned (or not) when the fifth came in
  }
  if (values.size() != kSameValues || std::any_of(values.begin(), values.end(), [&](double v) { return v != values[0]; }))
    return;
  log("warning: the first " + std::to_string(kSameValues) + " evaluations all scored " + short_number(values[0]) +
          "; if the objective does vary, check which number objective.result reads (a last number such as 'exit 0' "
          "is read as the score)",
      true);
}

void TuningRun::write_reports() {
  write_file_atomically(dir_ + "/results.csv", results_csv(state_));
  write_plots(state_, dir_, config_.name);
}

void TuningRun::save() { save_run_state(state_, dir_ + "/state.json"); }

void TuningRun::log(const std::string& line, bool echo) {
  append_line_durably(dir_ + "/log.txt", utc_now() + " " + line);
  if (!echo) return;
  if (tty_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "%s\n", line.c_str());
}

void TuningRun::show_progress() {
  if (!tty_) return;
  const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  const auto best = state_.optimizer.best();
  const std::size_t done = completed();
  std::string eta = "?";
  const std::size_t left = static_cast<std::size_t>(config_.budget) > done ? config_.budget - done : 0;
  if (done > completed_at_start_)
    eta = format_seconds(elapsed / static_cast<double>(done - completed_at_start_) * static_cast<double>(left));
  std::fprintf(stderr, "\r\033[K[%zu/%d] best %s | running %zu | elapsed %s | ETA %s", done, config_.budget,
               best ? short_number(best->value).c_str() : "-", running_.size(), format_seconds(elapsed).c_str(),
               eta.c_str());
  std::fflush(stderr);
}

int TuningRun::run() {
  // A run killed between saving its state and writing results.csv left the reports one
  // evaluation behind; the state is the truth, so a resumed run rewrites them first.
  if (completed() > 0) write_reports();
  log("run " + config_.name + ": budget " + std::to_string(config_.budget) + ", " + std::to_string(config_.workers) +
          " worker(s), " + std::to_string(completed()) + " evaluations already done" +
          (rerun_.empty() ? ""
                          : ", " + std::to_string(rerun_.size()) + (rerun_.size() == 1 ? " interrupted one" : " interrupted ones") +
                                " to run again"),
      !quiet_);
  if (completed() > static_cast<std::size_t>(config_.budget))
    log("warning: the budget (" + std::to_string(config_.budget) + ") is below the " + std::to_string(completed()) +
            " evaluations already done; nothing more will run",
        true);
  std::string why;
  while (true) {
    if (interrupt_signal) return interrupted();
    // The first evaluations all failed: start no more, but let the running ones end (one may yet
    // succeed, and the run then goes on). Leaving their threads running would abort the process.
    const bool every_one_failed = !any_success() && failures_in_a_row_ >= std::min<std::size_t>(5, config_.budget);
    // A synchronous run asks its next batch only once the last one is told (and runs the
    // evaluations a resume found interrupted as a batch of their own): then the points depend on
    // the seed alone, not on which worker finished first.
    if (!every_one_failed && cannot_start_.empty() && (!config_.synchronous || running_.empty())) {
      const bool reruns_only = config_.synchronous && !rerun_.empty();
      while (running_.size() < static_cast<std::size_t>(config_.workers) && !stop_reason() &&
             !(reruns_only && rerun_.empty()))
        start_next();
    }
    if (running_.empty() && !cannot_start_.empty()) return cannot_start();
    if (running_.empty()) {
      why = every_one_failed ? kEveryEvaluationFailed : stop_reason().value_or("nothing left to run");
      break;
    }
    show_progress();
    std::unique_lock lock(mutex_);
    done_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return !done_.empty(); });
    std::deque<Finished> finished;
    finished.swap(done_);
    lock.unlock();
    for (const auto& f : finished) finish(f);
  }
  return conclude(why);
}

int TuningRun::interrupted() {
  kill_running_commands();
  for (auto& [id, thread] : running_) thread.join();
  worker_of_.clear();
  running_.clear();  // their points stay pending in the state and run again on --resume
  save();
  log("interrupted by signal " + std::to_string(interrupt_signal.load()) + "; state saved", false);
  std::fprintf(stderr, "%s\ninterrupted: %zu evaluations are saved in %s; continue with\n  gpbo tune %s --out %s --resume\n",
               tty_ ? "\r\033[K" : "", completed(), dir_.c_str(), config_path_.c_str(), dir_.c_str());
  return kInterruptedBase + interrupt_signal.load();
}

int TuningRun::cannot_start() {
  save();
  write_reports();
  log("stopped: the objective could not be started (" + cannot_start_ + "); the evaluations not run stay pending", false);
  std::fprintf(stderr,
               "%sgpbo tune: %s; the run stopped (%zu evaluations are saved in %s, those not run stay pending).\n"
               "Fix the command or its environment, then continue with\n  gpbo tune %s --out %s --resume\n",
               tty_ ? "\r\033[K" : "", cannot_start_.c_str(), completed(), dir_.c_str(), config_path_.c_str(), dir_.c_str());
  return kCannotStart;
}

int TuningRun::conclude(const std::string& why) {
  if (tty_) std::fprintf(stderr, "\r\033[K");
  log("stopped: " + why, false);
  if (!any_success()) {
    const bool early = why == kEveryEvaluationFailed;
    const std::string outcome = !early ? "stopped: " + why
                                : completed() < static_cast<std::size_t>(config_.budget) ? "stopping early"
                                                                                          : "the budget is used up";
    std::fprintf(stderr, "gpbo tune: every evaluation failed (%zu of %zu); %s. Last failure: %s\n", completed(), completed(),
                 outcome.c_str(), last_failure_.c_str());
    std::fprintf(stderr, "Check the objective by hand; details are in %s/log.txt and results.csv.\n", dir_.c_str());
    // The failures stay in the state (the failure model learns from them): resuming keeps them.
    if (early && completed() < static_cast<std::size_t>(config_.budget))
      std::fprintf(stderr, "Once it works, continue with\n  gpbo tune %s --out %s --resume\n", config_path_.c_str(), dir_.c_str());
    return kAllEvaluationsFailed;
  }
  // The run's whole time (what stop.max_time_s counts), and this session's when it was resumed.
  const double session = std::chrono::duration<double>(Clock::now() - start_).count();
  std::string took = format_seconds(state_.optimizer.elapsed_seconds());
  if (resumed_) took += " (" + format_seconds(session) + " in this session)";
  std::printf("%s: %zu evaluations (%s) in %s; stopped: %s\n", config_.name.c_str(), completed(),
              failure_counts(state_).c_str(), took.c_str(), why.c_str());
  if (!state_.optimizer.best()) {  // successes, but none meets the outcome constraints
    std::printf("%s\n", no_best_yet(state_).c_str());
    log(no_best_yet(state_), false);
  }
  for (const auto& answer : run_answers(state_)) {
    print_answer(answer);
    log(answer.headline + ": " + describe(answer.point), false);
  }
  if (const auto importance = ranked_importance(state_.optimizer); !importance.empty()) {
    print_importance(importance, !state_.optimizer.space().constraints().empty());
    log("parameter importance (first-order/total): " + describe(importance), false);
  }
  std::printf("run directory: %s (results.csv, convergence.svg, parameters.svg, state.json, log.txt, config.json)\n", dir_.c_str());
  return 0;
}

}  // namespace

namespace {

// The run's lock, held until the run ends, so that no second `gpbo tune` (or `gpbo ask`/`tell`)
// changes the state under it: their changes would be lost at its next save, or the same
// evaluation would run twice. A second process fails at once instead of waiting.
FileLock lock_run(const std::string& dir, const std::string& state_path) {
  try {
    return FileLock(state_path, LockKind::Run);
  } catch (const LockBusy& e) {
    throw StateFileError("run directory " + dir + " is in use by another gpbo process" +
                         (e.holder > 0 ? " (pid " + std::to_string(e.holder) + ")" : "") +
                         "; wait for it to end, or stop it first");
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
  check_same_run(loaded, config_json, state_path);
  check_state_space(loaded, config.space, state_path);
  loaded.config = config_json;
  // The budget may have changed; the optimizer kept the old one, which as its first stopping
  // rule hid the others (target, patience, time) for the whole resumed run.
  loaded.optimizer.set_stopping_rules(optimizer_options(config).stop);
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

RunState new_state(const std::string& dir, const json& config_json, const TuneConfig& config, const std::string& state_path) {
  refuse_earlier_run(dir, state_path);
  RunState state{config_json, new_optimizer(config), {}};
  save_run_state(state, state_path);  // from now on the directory holds a run that --resume continues
  return state;
}

void require_run_to_resume(const std::string& dir, const std::string& state_path) {
  if (!fs::exists(state_path)) throw ConfigError(dir + ": no run to resume (no state.json); start one without --resume");
}

// The run in state_path read and checked against the config file as --resume gives it.
struct ResumedRun {
  json command_line, config_json;
  TuneConfig config;
  RunState state;
};

ResumedRun read_resumed_run(const TuneRunOptions& o, const json& file, const std::string& base_dir, const std::string& state_path) {
  RunState loaded = load_run_state(state_path);
  json command_line = resumed_command_line(loaded, o);
  json config_json = effective_config(file, command_line, o.config_path);
  TuneConfig config = tune_config_from_json(config_json, o.config_path, base_dir);
  RunState state = resumed_state(std::move(loaded), config_json, config, state_path, budget_source(o, command_line, o.config_path));
  return ResumedRun{std::move(command_line), std::move(config_json), std::move(config), std::move(state)};
}

// check_tuning with --resume: the run in `dir` read and checked against the (edited) config as
// --resume would, without its lock (nothing is written; a run going on is fine to read).
// Start points past what the budget leaves after the warm start never run (they were dropped
// without a word).
std::optional<std::string> start_points_beyond_budget(const TuneConfig& config, std::size_t done) {
  const std::size_t left = static_cast<std::size_t>(config.budget) > done ? static_cast<std::size_t>(config.budget) - done : 0;
  if (config.start_points.size() <= left) return std::nullopt;
  return "warning: " + std::to_string(config.start_points.size()) + " start points, but the budget (" +
         std::to_string(config.budget) + ") leaves room for " + std::to_string(left) +
         (done > 0 ? " after the warm start's " + std::to_string(done) + " results" : "") + ": the last " +
         std::to_string(config.start_points.size() - left) + " will not run";
}

void check_resume(const TuneRunOptions& o, const json& file, const std::string& base_dir, const std::string& dir) {
  const std::string state_path = dir + "/state.json";
  require_run_to_resume(dir, state_path);
  const ResumedRun resumed = read_resumed_run(o, file, base_dir, state_path);
  const RunState& state = resumed.state;
  const TuneConfig& config = resumed.config;
  const json& config_json = resumed.config_json;
  const std::size_t done = state.optimizer.evaluations(), pending = state.optimizer.pending().size();
  std::printf("%s: ok to resume with %s: %zu evaluations done (%s), %zu pending to run again, budget %d: up to %zu more\n",
              dir.c_str(), o.config_path.c_str(), done, failure_counts(state).c_str(), pending, config.budget,
              static_cast<std::size_t>(config.budget) - done);
  if (const auto rule = state.optimizer.stop_reason(); rule && *rule != "budget")
    std::printf("but it would stop at once: %s\n", describe_stop_rule(*rule, state).c_str());
  std::printf("the run's config.json would become:\n%s\n", runnable_copy(config_json, base_dir, config.name).dump(2).c_str());
}

}  // namespace

void check_tuning(const TuneRunOptions& o) {
  const json file = file_config(o);
  const std::string base_dir = fs::absolute(o.config_path).parent_path().string();
  const std::string dir = o.out_dir.empty() ? "runs/" + fs::path(o.config_path).stem().string() : o.out_dir;
  if (o.resume) return check_resume(o, file, base_dir, dir);
  const json config_json = effective_config(file, command_line_of(o), o.config_path);
  const TuneConfig config = tune_config_from_json(config_json, o.config_path, base_dir);
  const bo::Optimizer optimizer = new_optimizer(config);  // reads the warm start, enqueues the start points
  refuse_earlier_run(dir, dir + "/state.json");  // as the run would, so a script can take --check as a gate
  std::size_t searched = 0;
  for (const auto& p : config.space.parameters()) searched += p.kind != bo::Parameter::Kind::Fixed;
  std::printf("%s: ok: %zu parameters (%zu searched), budget %d, %zu start point(s), %zu result(s) from the warm start\n",
              o.config_path.c_str(), config.space.size(), searched, config.budget, config.start_points.size(),
              optimizer.history().size());
  if (const std::size_t done = optimizer.evaluations(); done > static_cast<std::size_t>(config.budget))
    std::printf("warning: the budget (%d) is below the %zu evaluations the warm start brings; nothing more would run\n",
                config.budget, done);
  else if (const auto w = start_points_beyond_budget(config, done))
    std::printf("%s\n", w->c_str());
  std::printf("a run would write %s/ with this config.json:\n", dir.c_str());
  std::printf("%s\n", runnable_copy(config_json, base_dir, config.name).dump(2).c_str());
}

int run_tuning(const TuneRunOptions& o) {
  const json file = file_config(o);
  const std::string base_dir = fs::absolute(o.config_path).parent_path().string();
  const std::string dir = o.out_dir.empty() ? "runs/" + fs::path(o.config_path).stem().string() : o.out_dir;
  const std::string state_path = dir + "/state.json";
  if (o.resume) require_run_to_resume(dir, state_path);
  // A new run's config is checked before its directory is made; a resumed one's once its
  // state (with the options it was started with) is read.
  json command_line = command_line_of(o), config_json;
  std::optional<TuneConfig> config;
  if (!o.resume) {
    config_json = effective_config(file, command_line, o.config_path);
    config = tune_config_from_json(config_json, o.config_path, base_dir);
    fs::create_directories(dir);
  }
  const FileLock lock = lock_run(dir, state_path);
  // A run killed mid-write left `state.json.tmp.PID` and the like beside its files.
  for (const char* file : {"state.json", "results.csv", "config.json", "convergence.svg", "parameters.svg"})
    remove_stale_temporaries(dir + "/" + file);
  remove_orphaned_params_files();  // and {params_file}s of a gpbo killed by SIGKILL
  std::optional<RunState> resumed_run_state;
  if (o.resume) {
    ResumedRun r = read_resumed_run(o, file, base_dir, state_path);
    command_line = std::move(r.command_line);
    config_json = std::move(r.config_json);
    config = std::move(r.config);
    resumed_run_state = std::move(r.state);
  }
  RunState state = o.resume ? std::move(*resumed_run_state) : new_state(dir, config_json, *config, state_path);
  if (!o.resume)
    if (const auto w = start_points_beyond_budget(*config, state.optimizer.evaluations()))
      std::fprintf(stderr, "gpbo tune: %s\n", w->c_str());
  state.command_line = command_line;
  write_file_atomically(dir + "/config.json", runnable_copy(config_json, base_dir, config->name).dump(2) + "\n");
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // The terminal closed: save and stop like Ctrl-C; but a run under nohup (SIGHUP ignored) goes on.
  struct sigaction hangup {};
  if (sigaction(SIGHUP, nullptr, &hangup) == 0 && hangup.sa_handler != SIG_IGN) sigaction(SIGHUP, &action, nullptr);
  interrupt_signal = 0;
  const GroupReaper reaper;  // before the workers' threads; ends after them
  TuningRun run(std::move(*config), std::move(state), dir, o.config_path, o.quiet, o.resume);
  return run.run();
}

}  // namespace gpbo::tune
