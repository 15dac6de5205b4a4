// bo_bench: the ask/tell optimizer on the standard test functions.
//
//   bo_bench [--function NAME] [--budget N] [--seeds K] [--mode default|fast|mcmc] [--noise auto|none]
//            [--threads T] [--options JSON] [--objective-noise SD] [--fail-rate R] [--fail-above I V]
//            [--fail-value V] [--batch Q]
// Without options: branin, hartmann6, ackley5, rosenbrock4, styblinski_tang8, budgets 50 and
// 200, 20 seeds, every mode. One JSON line per function x mode x budget: the regret (best value
// found minus the global minimum) over seeds, each seed's best value, the median optimizer time
// of a whole run (objective time excluded) and the median optimizer time of the last iteration
// (median_iter_s) and of the last ten on average (median_last10_iter_s: refits on a schedule,
// in the fast preset and in the choice of a log model, make one iteration unrepresentative).
// One run per seed goes to the largest budget; smaller budgets read the same run's prefix.
// Seeds run in parallel threads; each run's result depends only on its seed. Times are wall
// seconds (median_run_s, median_iter_s) and, because the machine may be shared, also the run
// thread's CPU seconds (median_run_cpu_s, median_iter_cpu_s). --options takes optimizer options
// as in a tuning config's "optimizer" object (bayesopt/optimizer_state.hpp) on top of each mode's
// preset, to compare variants on the same seeds. --objective-noise SD adds Gaussian noise of that
// standard deviation to every evaluation (its own stream per seed); the regret is then that of the
// recommended point (Optimizer::recommend(), best posterior mean) at its noise-free value.
// --noise-growth G makes that sd SD (1 + G u0), u0 the first coordinate scaled to [0, 1]
// (heteroscedastic noise), and --tell-noise-sd tells each value with its sd (a known error).
// Failures, told with tell_failure(): --fail-rate R fails each evaluation at random with
// probability R (its own stream per seed, a flaky cluster); --fail-above I V fails wherever
// coordinate I (0-based, the function's units) exceeds V (a region the objective cannot
// evaluate). The line then adds the mean number of failed evaluations ("failures") and the
// largest regret over seeds ("max_regret").
// --batch Q asks Q points at a time with ask(Q) and tells them after all Q are evaluated, as Q
// parallel workers would; the budget counts evaluations, and an evaluation's optimizer time is
// its share of the batch's ask plus its tell. The mixed-space problems (ackley5_int,
// rosenbrock4_mixed, styblinski_tang8_cat; bayesopt/test_functions.hpp) and the conditional one
// (jenatton: its points leave inactive parameters out) run when named, and so do
// the problems with outcome constraints (gramacy_toy, tension_spring): their constraint values are
// told with each result, the best is the best feasible value (infinite, printed null, while none
// is feasible), and the line adds how many seeds found a feasible point ("feasible_seeds") and
// the median evaluation at which each first did ("median_first_feasible"). hartmann6_linear runs
// on a space with a linear constraint (no suggestion breaks it); its regret is to the minimum under it.

#include <CLI/CLI.hpp>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "bench_cli.hpp"
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "gpbo/core/allocator.hpp"
#include "gpbo/core/parallel.hpp"

using namespace gpbo::bo;

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct RunTrace {
  std::vector<double> optimizer_cpu_s;  // cumulative thread CPU seconds of the optimizer
  std::vector<double> iteration_cpu_s;
  std::vector<double> best_so_far;  // after each evaluation
  std::vector<double> optimizer_s;  // cumulative optimizer seconds after each evaluation
  std::vector<double> iteration_s;  // optimizer seconds of each iteration (ask + tell)
  // With objective noise, per budget (in ascending order): noise-free values of recommend() and best().
  std::vector<double> recommended_true, best_observed_true;
  std::vector<std::size_t> failed_so_far;  // failed evaluations after each evaluation
  std::size_t first_feasible = 0;          // evaluation (1-based) of the first feasible result; 0: none
  std::string error;
};

struct RunSetup {
  std::string mode, noise;
  nlohmann::json extra;             // optimizer options over the mode's preset
  double objective_noise = 0.0;     // sd of the noise added to every evaluation
  double noise_growth = 0.0;        // the sd grows along the first coordinate: sd (1 + growth u0)
  bool tell_noise_sd = false;       // tell each value with its sd (Optimizer::tell with a Measurement)
  std::vector<std::size_t> budgets;  // ascending; the run goes to the last
  double fail_rate = 0.0;            // probability that an evaluation fails at random
  std::optional<std::pair<std::size_t, double>> fail_above;  // {coordinate, threshold}: above it fails
  std::optional<double> fail_value;  // a failing evaluation returns this penalty instead of failing
  std::size_t batch = 1;             // points asked at once (ask(q)) and told together
  [[nodiscard]] bool failing() const { return fail_rate > 0.0 || fail_above.has_value(); }
};

/// Records one evaluation's outcome and optimizer time into the trace.
struct TraceRecorder {
  RunTrace& tr;
  double best = std::numeric_limits<double>::infinity(), total = 0.0, total_cpu = 0.0;
  std::size_t failed = 0;

  /// `counts`: a successful result that meets the outcome constraints (if any).
  void record(double y, bool fails, bool counts, double optimizer_s, double optimizer_cpu_s) {
    total += optimizer_s;
    total_cpu += optimizer_cpu_s;
    tr.optimizer_s.push_back(total);
    tr.iteration_s.push_back(optimizer_s);
    tr.optimizer_cpu_s.push_back(total_cpu);
    tr.iteration_cpu_s.push_back(optimizer_cpu_s);
    if (fails) ++failed;
    else if (counts) best = std::min(best, y);
    if (!fails && counts && tr.first_feasible == 0) tr.first_feasible = tr.best_so_far.size() + 1;
    tr.best_so_far.push_back(best);
    tr.failed_so_far.push_back(failed);
  }
};

/// Wall and thread-CPU seconds since construction.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall0 = std::chrono::steady_clock::now();
  double cpu0 = thread_cpu_seconds();
  [[nodiscard]] double wall() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count(); }
  [[nodiscard]] double cpu() const { return thread_cpu_seconds() - cpu0; }
};

RunTrace run_once(const TestFunction& f, const RunSetup& setup, std::uint64_t seed) {
  const std::size_t budget = setup.budgets.back();
  std::mt19937_64 noise_rng(seed ^ 0x9e3779b97f4a7c15ULL);
  std::normal_distribution<double> standard_normal;
  std::mt19937_64 failure_rng(seed ^ 0x5851f42d4c957f2dULL);
  std::bernoulli_distribution fails_at_random(setup.fail_rate);
  OptimizerOptions o = options_from_json(setup.extra, "/options", OptimizerOptions::preset(setup.mode));
  o.seed = seed;
  o.surrogate.noise = parse_noise_mode(setup.noise);
  o.constraints = f.constraints;
  RunTrace tr;
  TraceRecorder rec{tr};
  try {
    Optimizer opt(f.space(), o);
    while (tr.best_so_far.size() < budget) {
      // A batch is asked at once and told after all its evaluations, as parallel workers would.
      const std::size_t q = std::min(setup.batch, budget - tr.best_so_far.size());
      const Stopwatch asking;
      const std::vector<Suggestion> batch = opt.ask(q);
      if (batch.empty()) throw std::runtime_error("ask(" + std::to_string(q) + ") returned no point");
      const double ask_s = asking.wall() / static_cast<double>(batch.size());
      const double ask_cpu = asking.cpu() / static_cast<double>(batch.size());
      for (const Suggestion& s : batch) {
        const Eigen::VectorXd x = f.vector_of(s.point);
        double y = f(x);
        const double u0 = (x[0] - f.lower[0]) / (f.upper[0] - f.lower[0]);
        const double sd = setup.objective_noise * (1.0 + setup.noise_growth * u0);
        if (setup.objective_noise > 0.0) y += sd * standard_normal(noise_rng);
        const bool fails = (setup.fail_rate > 0.0 && fails_at_random(failure_rng)) ||
                           (setup.fail_above && x[static_cast<Eigen::Index>(setup.fail_above->first)] > setup.fail_above->second);
        const std::vector<double> c = f.constraints.empty() ? std::vector<double>{} : f.constraint_values(x);
        const Stopwatch telling;
        if (!fails && setup.tell_noise_sd) opt.tell(s.id, Measurement{y, sd}, c);
        else if (!fails) opt.tell(s.id, y, c);
        else if (setup.fail_value) opt.tell(s.id, *setup.fail_value, c);
        else opt.tell_failure(s.id, "bo_bench failure");
        const double told_s = telling.wall(), told_cpu = telling.cpu();
        rec.record(y, fails, opt.feasible(opt.history()[s.id]), ask_s + told_s, ask_cpu + told_cpu);
        const bool checkpoint = std::find(setup.budgets.begin(), setup.budgets.end(), tr.best_so_far.size()) != setup.budgets.end();
        if (setup.objective_noise > 0.0 && checkpoint) {
          tr.recommended_true.push_back(f(f.vector_of(opt.recommend()->point)));
          tr.best_observed_true.push_back(f(f.vector_of(opt.best()->point)));
        }
      }
    }
    if (!opt.last_warning().empty()) tr.error = opt.last_warning();
  } catch (const std::exception& e) {
    tr.error = e.what();
  }
  return tr;
}

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

void report(const TestFunction& f, const RunSetup& setup, std::size_t budget, const std::vector<RunTrace>& runs) {
  std::vector<double> regret, best, run_s, iter_s, last10_s, run_cpu, iter_cpu, regret_best_observed, failed;
  const auto checkpoint = static_cast<std::size_t>(
      std::find(setup.budgets.begin(), setup.budgets.end(), budget) - setup.budgets.begin());
  std::vector<std::string> errors;
  std::vector<double> first_feasible;  // evaluation of the first feasible result, runs that had one by `budget`
  for (const auto& r : runs) {
    if (r.first_feasible > 0 && r.first_feasible <= budget) first_feasible.push_back(static_cast<double>(r.first_feasible));
    if (r.best_so_far.size() < budget) {
      errors.push_back(r.error);
      continue;
    }
    if (!r.error.empty()) errors.push_back(r.error);
    const bool noisy = checkpoint < r.recommended_true.size();
    best.push_back(noisy ? r.recommended_true[checkpoint] : r.best_so_far[budget - 1]);
    if (noisy) regret_best_observed.push_back(r.best_observed_true[checkpoint] - f.fmin);
    regret.push_back(best.back() - f.fmin);
    failed.push_back(static_cast<double>(r.failed_so_far[budget - 1]));
    run_s.push_back(r.optimizer_s[budget - 1]);
    iter_s.push_back(r.iteration_s[budget - 1]);
    const std::size_t from = budget - std::min<std::size_t>(10, budget);
    last10_s.push_back(std::accumulate(r.iteration_s.begin() + static_cast<std::ptrdiff_t>(from),
                                       r.iteration_s.begin() + static_cast<std::ptrdiff_t>(budget), 0.0) /
                       static_cast<double>(budget - from));
    run_cpu.push_back(r.optimizer_cpu_s[budget - 1]);
    iter_cpu.push_back(r.iteration_cpu_s[budget - 1]);
  }
  nlohmann::json j = {{"function", f.name}, {"mode", setup.mode}, {"noise", setup.noise}, {"budget", budget},
                      {"seeds", runs.size()}, {"best", best}, {"errors", errors}};
  if (setup.objective_noise > 0.0) {
    j["objective_noise"] = setup.objective_noise;
    if (setup.noise_growth > 0.0) j["noise_growth"] = setup.noise_growth;
    if (setup.tell_noise_sd) j["tell_noise_sd"] = true;
    j["best_is"] = "noise-free value of the recommended point";
    if (!regret_best_observed.empty()) j["median_regret_best_observed"] = quantile(regret_best_observed, 0.5);
  }
  if (!setup.extra.empty()) j["options"] = setup.extra;
  if (!f.constraints.empty()) {
    j["feasible_seeds"] = first_feasible.size();
    if (!first_feasible.empty()) j["median_first_feasible"] = quantile(first_feasible, 0.5);
  }
  if (setup.batch > 1) j["batch"] = setup.batch;
  if (setup.failing()) {
    if (setup.fail_rate > 0.0) j["fail_rate"] = setup.fail_rate;
    if (setup.fail_above) j["fail_above"] = {setup.fail_above->first, setup.fail_above->second};
    if (setup.fail_value) j["fail_value"] = *setup.fail_value;
    if (!failed.empty()) j["failures"] = std::accumulate(failed.begin(), failed.end(), 0.0) / static_cast<double>(failed.size());
    if (!regret.empty()) j["max_regret"] = *std::max_element(regret.begin(), regret.end());
  }
  if (!regret.empty()) {
    j["median_regret"] = quantile(regret, 0.5);
    j["q25_regret"] = quantile(regret, 0.25);
    j["q75_regret"] = quantile(regret, 0.75);
    j["median_run_s"] = quantile(run_s, 0.5);
    j["median_iter_s"] = quantile(iter_s, 0.5);
    j["median_last10_iter_s"] = quantile(last10_s, 0.5);
    j["median_run_cpu_s"] = quantile(run_cpu, 0.5);
    j["median_iter_cpu_s"] = quantile(iter_cpu, 0.5);
  }
  std::cout << j.dump() << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  gpbo::retain_freed_memory();  // see core/allocator.hpp: fewer page faults
  CLI::App app{"Bayesian optimization benchmark on the standard test functions"};
  std::vector<std::string> functions;
  std::vector<std::size_t> budgets;
  std::vector<std::string> modes;
  std::size_t seeds = 20;
  std::string noise = "auto";
  unsigned threads = 0;
  std::string options_text = "{}";
  double objective_noise = 0.0, noise_growth = 0.0;
  bool tell_noise_sd = false;
  double fail_rate = 0.0;
  std::optional<std::pair<std::size_t, double>> fail_above;
  std::optional<double> fail_value;
  std::size_t batch = 1;
  app.add_option("--function", functions, "test function(s) (default: the five benchmark functions)");
  app.add_option("--budget", budgets, "evaluation budget(s) (default: 50 and 200)");
  app.add_option("--seeds", seeds, "seeds per case")->check(CLI::PositiveNumber);
  app.add_option("--mode", modes, "default, fast or mcmc (default: all)");
  app.add_option("--noise", noise, "surrogate noise mode: auto or none")->check(CLI::IsMember({"auto", "none"}));
  app.add_option("--threads", threads, "threads for the seeds (0 = all cores)");
  app.add_option("--options", options_text, "optimizer options (JSON object) over each mode's preset");
  app.add_option("--objective-noise", objective_noise, "sd of Gaussian noise added to every evaluation")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--noise-growth", noise_growth,
                 "G: the noise sd grows along the first coordinate, SD (1 + G u0) with u0 in [0, 1] (heteroscedastic)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--tell-noise-sd", tell_noise_sd, "tell each value with its noise sd (known measurement error)");
  app.add_option("--fail-rate", fail_rate, "probability that an evaluation fails at random")->check(CLI::Range(0.0, 1.0));
  app.add_option("--fail-above", fail_above, "I V: evaluations where coordinate I exceeds V fail");
  app.add_option("--fail-value", fail_value,
                 "failing evaluations return this penalty value (as many objectives do) instead of failing");
  app.add_option("--batch", batch, "points asked at once with ask(q) and told together (parallel workers)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}));
  if (const auto status = gpbo::bench::parse_command_line(app, argc, argv)) return *status;
  if (functions.empty()) functions = {"branin", "hartmann6", "ackley5", "rosenbrock4", "styblinski_tang8"};
  if (budgets.empty()) budgets = {50, 200};
  if (modes.empty()) modes = {"default", "fast", "mcmc"};
  std::sort(budgets.begin(), budgets.end());
  try {
    const nlohmann::json extra = nlohmann::json::parse(options_text);
    (void)options_from_json(extra);  // a typo fails here, before any run
    for (const auto& name : functions) {
      const TestFunction f = test_function(name);
      if (fail_above && fail_above->first >= static_cast<std::size_t>(f.lower.size()))
        throw std::invalid_argument("--fail-above: the coordinate must be an index from 0 to " +
                                    std::to_string(f.lower.size() - 1) + " for " + f.name);
      for (const auto& mode : modes) {
        const RunSetup setup{mode,      noise,     extra,      objective_noise, noise_growth, tell_noise_sd,
                             budgets,   fail_rate, fail_above, fail_value,      batch};
        std::vector<RunTrace> runs(seeds);
        gpbo::parallel_for(seeds, threads, [&](std::size_t s) { runs[s] = run_once(f, setup, s); });
        for (auto b : budgets) report(f, setup, b, runs);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "bo_bench: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
