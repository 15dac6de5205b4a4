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
#include <new>
#include <optional>
#include <set>
#include <system_error>
#include <thread>

#include "gpbo/core/number_text.hpp"
#include "tune/run_plots.hpp"
#include "tune/run_setup.hpp"
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
  TuningRun(TuneConfig config, RunState state, std::string dir, std::string config_path, bool quiet, bool resumed,
            std::string warm_start_note)
      : config_(std::move(config)), state_(std::move(state)), dir_(std::move(dir)), config_path_(std::move(config_path)), quiet_(quiet),
        tty_(isatty(STDERR_FILENO) != 0), resumed_(resumed), warm_start_note_(std::move(warm_start_note)), start_(Clock::now()) {
    for (const auto id : state_.optimizer.pending()) rerun_.push_back(id);  // interrupted last time
    completed_at_start_ = completed();
    workers_ = static_cast<std::size_t>(config_.workers);
  }
  TuningRun(const TuningRun&) = delete;
  TuningRun& operator=(const TuningRun&) = delete;
  ~TuningRun() { stop_running(); }

  int run();

 private:
  int run_until_stopped();
  // Kills the running evaluations' commands and joins their threads: their points stay pending
  // in the saved state and run again on --resume. Returns how many were running.
  std::size_t stop_running();
  [[nodiscard]] std::size_t completed() const { return state_.optimizer.evaluations(); }
  // "1 evaluation is" or "N evaluations are", before "saved in DIR".
  [[nodiscard]] std::string saved_text() const {
    return count_text(completed(), "evaluation") + (completed() == 1 ? " is" : " are");
  }
  // Whether any evaluation succeeded (one that broke an outcome constraint too: no failure).
  [[nodiscard]] bool any_success() const {
    const auto& h = state_.optimizer.history();
    return std::any_of(h.begin(), h.end(), [](const bo::Trial& t) { return t.status == bo::TrialStatus::Ok; });
  }
  [[nodiscard]] std::optional<std::string> stop_reason() const;
  void start_next();
  void finish(const Finished& f);
  void fewer_workers(std::size_t count, const std::string& why);  // the machine had no room for more: say so
  void note_not_run();
  void save();
  void write_reports();  // results.csv, convergence.svg and parameters.svg from the state
  void warn_if_all_values_equal();
  [[nodiscard]] std::string constraints_note(const std::vector<double>& values) const;
  [[nodiscard]] std::string last_failure_text() const;
  void log(const std::string& line, bool echo);
  void show_progress();
  [[nodiscard]] std::string rerun_text() const;
  int conclude(const std::string& why);
  int interrupted();
  int cannot_start();

  TuneConfig config_;
  RunState state_;
  std::string dir_, config_path_;
  bool quiet_, tty_;
  bool resumed_;  // a session of a run started earlier (not a new run, even one with a warm start)
  std::string warm_start_note_;  // rows of the warm start left out (a new run's), or ""
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
  std::size_t workers_;  // evaluations run at once: the config's, fewer once the machine had no room for more
  std::string resource_shortage_;  // why the last program that found no room found none
  std::size_t shortages_ = 0;      // how many in the batch being told found no room
};

std::optional<std::string> TuningRun::stop_reason() const {
  if (completed() + running_.size() >= static_cast<std::size_t>(config_.budget))
    return "budget of " + count_text(static_cast<std::size_t>(config_.budget), "evaluation") + " reached";
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
    // A finite space too large to count (a grid cut by linear constraints) runs out only when
    // an ask finds no point left; the optimizer's stop_reason() says so from then on. That ends
    // the run, not an error.
    std::optional<bo::Suggestion> asked;
    try {
      asked = state_.optimizer.ask();
    } catch (const bo::SpaceExhausted&) {
      return;
    }
    const bo::Suggestion& s = *asked;
    id = s.id;
    point = s.point;
    if (!state_.optimizer.last_warning().empty()) log("note: " + state_.optimizer.last_warning(), !quiet_);
  }
  state_.evaluations[id] = {utc_now(), 0, std::string(kRunningStatus), "", ""};
  save();  // the pending point is on disk before it runs
  // A signal during the ask (a fit of many points takes seconds) starts nothing more: the point
  // stays pending, and a resume runs it.
  if (interrupt_signal) return;
  std::set<int> taken;
  for (const auto& [other, slot] : worker_of_) taken.insert(slot);
  int worker = 0;  // the lowest free slot
  while (taken.count(worker)) ++worker;
  std::thread thread;
  try {
    thread = std::thread([this, id, worker, point] {
      Finished f{id, {}};
      try {
        f.outcome = evaluate(config_, id, worker, point);
      } catch (const std::bad_alloc&) {
        // gpbo itself ran out of memory (a memory limit), mostly before the program could start:
        // no failure of the point, which runs again when a worker is free.
        f.outcome.status = CommandOutcome::Status::Failed;
        f.outcome.not_started = f.outcome.setup_failed = f.outcome.out_of_resources = true;
        f.outcome.reason = "gpbo ran out of memory for this evaluation";
      } catch (const std::exception& e) {
        f.outcome.status = CommandOutcome::Status::Failed;
        f.outcome.reason = e.what();
      }
      std::lock_guard lock(mutex_);
      done_.push_back(std::move(f));
      done_cv_.notify_one();
    });
  } catch (const std::system_error& e) {
    // No thread for one more worker (a process or memory limit): go on with those running, and
    // run this point when one of them is free. With none running the run stops, the point
    // pending, as when the program cannot be started.
    const std::string why = "no thread could be started for an evaluation (" + std::string(e.what()) + ")";
    if (running_.empty()) {
      cannot_start_ = why;
      return;
    }
    rerun_.push_front(id);
    fewer_workers(running_.size(), why);
    return;
  }
  worker_of_[id] = worker;
  running_[id] = std::move(thread);
}

void TuningRun::fewer_workers(std::size_t count, const std::string& why) {
  workers_ = count;
  log("note: " + why + "; continuing with " + count_text(workers_, "worker"), true);
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
  const std::string head = "eval " + std::to_string(f.id) + " [" + describe(state_.optimizer.history().at(f.id).point, state_.optimizer.space()) + "]";
  // No pipe, process or memory for one more program while others run (a descriptor, process or
  // memory limit): the point waits for a free worker, and the run goes on with fewer
  // (shortages_, applied once the finished batch is told).
  if (o.out_of_resources && !running_.empty()) {
    rec.status = kRunningStatus;
    rerun_.push_front(f.id);
    resource_shortage_ = o.reason;
    ++shortages_;
    log(head + " NOT RUN: " + o.reason + "; it runs again when a worker is free", true);
    save();
    return;
  }
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

// ", N interrupted ones to run again", or how many of them the budget leaves room for.
std::string TuningRun::rerun_text() const {
  if (rerun_.empty()) return "";
  const std::size_t room = static_cast<std::size_t>(config_.budget) > completed() ? config_.budget - completed() : 0;
  if (room >= rerun_.size()) return ", " + count_text(rerun_.size(), "interrupted one") + " to run again";
  return ", " + count_text(rerun_.size(), "interrupted one") + " (the budget leaves room to run " + std::to_string(room) +
         " again; the rest stay pending for a later --resume with a larger --budget)";
}

// An error out of the loop (a state that can no longer be saved, say on a full disk) with
// evaluations still running: their threads must end before the error goes on, or destroying
// them aborts the process (std::terminate) and the user sees neither the error nor what to do.
int TuningRun::run() {
  try {
    return run_until_stopped();
  } catch (const std::exception&) {
    if (const std::size_t stopped = stop_running(); stopped > 0)
      std::fprintf(stderr, "%sgpbo tune: stopped %s still running; once the error below is mended,\n  gpbo tune %s --out %s --resume\n"
                   "runs %s again from the last saved state\n",
                   tty_ ? "\r\033[K" : "", count_text(stopped, "evaluation").c_str(), config_path_.c_str(), dir_.c_str(),
                   stopped == 1 ? "it" : "them");
    throw;
  }
}

std::size_t TuningRun::stop_running() {
  const std::size_t n = running_.size();
  if (n == 0) return 0;
  kill_running_commands();
  for (auto& [id, thread] : running_) thread.join();
  worker_of_.clear();
  running_.clear();
  return n;
}

int TuningRun::run_until_stopped() {
  // A run killed between saving its state and writing results.csv left the reports one
  // evaluation behind; the state is the truth, so a resumed run rewrites them first.
  if (completed() > 0) write_reports();
  log("run " + config_.name + ": budget " + std::to_string(config_.budget) + ", " +
          count_text(static_cast<std::size_t>(config_.workers), "worker") + ", " + count_text(completed(), "evaluation") +
          " already done" + rerun_text(),
      !quiet_);
  for (const auto& w : config_warnings(config_, completed_at_start_, resumed_)) log(w, true);  // in log.txt too
  if (!warm_start_note_.empty()) log(warm_start_note_, true);
  if (completed() > static_cast<std::size_t>(config_.budget))
    log("warning: the budget (" + std::to_string(config_.budget) + ") is below the " + std::to_string(completed()) +
            " evaluations already done; nothing more will run",
        true);
  // Resumed with nothing to do: the summary alone read as if the resume had worked.
  if (const auto stopped = stopped_run_advice(state_); resumed_ && rerun_.empty() && stopped)
    log("nothing to run: " + *stopped, true);
  std::string why;
  while (true) {
    // The first evaluations all failed: start no more, but let the running ones end (one may yet
    // succeed, and the run then goes on). Leaving their threads running would abort the process.
    const bool every_one_failed = !any_success() && failures_in_a_row_ >= std::min<std::size_t>(5, config_.budget);
    // A synchronous run asks its next batch only once the last one is told (and runs the
    // evaluations a resume found interrupted as a batch of their own): then the points depend on
    // the seed alone, not on which worker finished first.
    if (!every_one_failed && cannot_start_.empty() && (!config_.synchronous || running_.empty())) {
      const bool reruns_only = config_.synchronous && !rerun_.empty();
      while (running_.size() < workers_ && cannot_start_.empty() && !stop_reason() && !interrupt_signal &&
             !(reruns_only && rerun_.empty()))
        start_next();
    }
    if (interrupt_signal) return interrupted();  // also one that came during an ask: nothing started after it
    if (running_.empty() && !cannot_start_.empty()) return cannot_start();
    if (running_.empty()) {
      why = every_one_failed ? kEveryEvaluationFailed : stop_reason().value_or("nothing left to run");
      break;
    }
    show_progress();
    std::unique_lock lock(mutex_);
    done_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return !done_.empty(); });
    if (interrupt_signal) {  // what woke the wait may be the signal's doing: interrupted() judges it
      lock.unlock();
      return interrupted();
    }
    std::deque<Finished> finished;
    finished.swap(done_);
    lock.unlock();
    const std::size_t in_flight = running_.size();  // the batch's too: they ran beside the shortage
    for (const auto& f : finished) finish(f);
    if (shortages_ > 0) {  // as many workers as ran while a program found no room
      fewer_workers(std::max<std::size_t>(1, std::min(workers_, in_flight - shortages_)),
                    "no room for another program (" + resource_shortage_ + ")");
      shortages_ = 0;
    }
  }
  return conclude(why);
}

// The evaluations still running are stopped; their points stay pending in the state and run
// again on --resume. Those whose program delivered its result are kept, also when it came while
// the others were stopped (one that finished 30 ms before Ctrl-C was thrown away and run again),
// and so are timeouts (gpbo's own deadline). Any other outcome at this moment may be the
// signal's doing (systemd or Slurm signal the objectives with gpbo: 'killed by signal 15' is no
// failure of the point): run again too.
int TuningRun::interrupted() {
  kill_running_commands();
  std::deque<Finished> ended;
  {
    std::unique_lock lock(mutex_);  // every running evaluation's thread reports once
    done_cv_.wait(lock, [&] { return done_.size() >= running_.size(); });
    ended.swap(done_);
  }
  for (const auto& f : ended) {
    if (f.outcome.status == CommandOutcome::Status::Ok || f.outcome.status == CommandOutcome::Status::TimedOut) {
      finish(f);
      continue;
    }
    running_.at(f.id).join();  // cut short: pending
    running_.erase(f.id);
    worker_of_.erase(f.id);
  }
  save();
  log("interrupted by signal " + std::to_string(interrupt_signal.load()) + "; state saved", false);
  std::fprintf(stderr, "%s\ninterrupted: %s saved in %s; continue with\n  gpbo tune %s --out %s --resume\n",
               tty_ ? "\r\033[K" : "", saved_text().c_str(), dir_.c_str(), config_path_.c_str(), dir_.c_str());
  return kInterruptedBase + interrupt_signal.load();
}

int TuningRun::cannot_start() {
  save();
  write_reports();
  log("stopped: the objective could not be started (" + cannot_start_ + "); the evaluations not run stay pending", false);
  std::fprintf(stderr,
               "%sgpbo tune: %s; the run stopped (%s saved in %s, those not run stay pending).\n"
               "Fix the command or its environment, then continue with\n  gpbo tune %s --out %s --resume\n",
               tty_ ? "\r\033[K" : "", cannot_start_.c_str(), saved_text().c_str(), dir_.c_str(), config_path_.c_str(), dir_.c_str());
  return kCannotStart;
}

// Points interrupted earlier, or waiting for a free worker, when the run stopped: pending, named.
void TuningRun::note_not_run() {
  if (rerun_.empty()) return;
  std::string ids;
  for (const auto id : rerun_) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
  const bool one = rerun_.size() == 1;
  const std::string note = (one ? "evaluation " + ids + " was suggested but not run; it stays"
                                : "evaluations " + ids + " were suggested but not run; they stay") +
                           " pending in the state, and a --resume that continues the run runs " + (one ? "it" : "them") + " first";
  std::printf("%s\n", note.c_str());
  log(note, false);
}

// This session's last failure with its stderr tail; when this session ran none (a resumed run
// stopped at once), the last failure the state records, with the evaluation it was.
std::string TuningRun::last_failure_text() const {
  if (!last_failure_.empty()) return last_failure_;
  const auto& history = state_.optimizer.history();
  for (auto t = history.rbegin(); t != history.rend(); ++t)
    if (t->status == bo::TrialStatus::Failed) return t->reason + " (evaluation " + std::to_string(t->id) + ", in an earlier session)";
  return "none recorded";
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
                 outcome.c_str(), last_failure_text().c_str());
    std::fprintf(stderr, "Check the objective by hand; details are in %s/log.txt and results.csv.\n", dir_.c_str());
    note_not_run();
    // The failures stay in the state (the failure model learns from them): resuming keeps them.
    if (early && completed() < static_cast<std::size_t>(config_.budget))
      std::fprintf(stderr, "Once it works, continue with\n  gpbo tune %s --out %s --resume\n", config_path_.c_str(), dir_.c_str());
    return kAllEvaluationsFailed;
  }
  // The run's whole time (what stop.max_time_s counts), and this session's when it was resumed.
  const double session = std::chrono::duration<double>(Clock::now() - start_).count();
  std::string took = format_seconds(state_.optimizer.elapsed_seconds());
  if (resumed_) took += " (" + format_seconds(session) + " in this session)";
  std::printf("%s: %s (%s) in %s; stopped: %s\n", config_.name.c_str(), count_text(completed(), "evaluation").c_str(),
              failure_counts(state_).c_str(), took.c_str(), why.c_str());
  note_not_run();
  if (!state_.optimizer.best()) {  // successes, but none meets the outcome constraints
    std::printf("%s\n", no_best_yet(state_).c_str());
    log(no_best_yet(state_), false);
  }
  for (const auto& answer : run_answers(state_)) {
    print_answer(answer, state_.optimizer.space());
    log(answer.headline + ": " + describe(answer.point, state_.optimizer.space()), false);
  }
  if (const std::string outliers = describe_outliers(state_.optimizer); !outliers.empty()) {
    std::printf("%s\n", outliers.c_str());
    log(outliers, false);
  }
  if (const auto importance = ranked_importance(state_.optimizer); !importance.empty()) {
    print_importance(importance, !state_.optimizer.space().constraints().empty());
    log("parameter importance (first-order/total): " + describe(importance), false);
  }
  std::printf("run directory: %s (results.csv, convergence.svg, parameters.svg, state.json, log.txt, config.json)\n", dir_.c_str());
  return 0;
}

}  // namespace

int run_tuning(const TuneRunOptions& o) {
  const ConfigFile file = file_config(o);
  const std::string base_dir = fs::absolute(o.config_path).parent_path().string();
  const std::string dir = o.out_dir.empty() ? "runs/" + fs::path(o.config_path).stem().string() : o.out_dir;
  const std::string state_path = dir + "/state.json";
  if (o.resume) require_run_to_resume(dir, state_path);
  // A new run's config is checked before its directory is made; a resumed one's once its
  // state (with the options it was started with) is read.
  json command_line = command_line_of(o), config_json;
  std::optional<TuneConfig> config;
  if (!o.resume) {
    config_json = effective_config(file.json, command_line, o.config_path);
    config = tune_config_from_json(config_json, o.config_path, base_dir, ObjectiveRequirement::Required, file.space_order());
    refuse_stopped_run(o, file, base_dir, dir);
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
  std::string warm_start_note;
  RunState state = o.resume ? std::move(*resumed_run_state) : new_state(dir, config_json, *config, state_path, &warm_start_note);
  state.command_line = command_line;
  write_file_atomically(dir + "/config.json", in_text_order(runnable_copy(config_json, base_dir, config->name), file.key_order).dump(2) + "\n");
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // The terminal closed: save and stop like Ctrl-C; but a run under nohup (SIGHUP ignored) goes on.
  struct sigaction hangup {};
  if (sigaction(SIGHUP, nullptr, &hangup) == 0 && hangup.sa_handler != SIG_IGN) sigaction(SIGHUP, &action, nullptr);
  interrupt_signal = 0;
  const GroupReaper reaper;  // before the workers' threads; ends after them
  TuningRun run(std::move(*config), std::move(state), dir, o.config_path, o.quiet, o.resume, std::move(warm_start_note));
  return run.run();
}

}  // namespace gpbo::tune
