// gpbo sample: MCMC on a built-in model with data from a CSV file; prints a stansummary-style
// table and writes the draws in CmdStan's CSV layout (one file per chain).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

#include "command.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "gpbo/mcmc/adaptation.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/cmdstan_csv.hpp"
#include "gpbo/mcmc/ensemble.hpp"
#include "gpbo/mcmc/models/linear_regression.hpp"
#include "gpbo/mcmc/models/logistic_regression.hpp"
#include "gpbo/mcmc/models/model_registry.hpp"
#include "gpbo/mcmc/sampler_registry.hpp"
#include "gpbo/mcmc/summary.hpp"
#include "output_paths.hpp"
#include "trace_plot.hpp"
#include "metric_file.hpp"

namespace gpbo::cli {
namespace {

struct SampleArgs {
  std::string model, data, out, sampler = "nuts", metric = "diag";
  std::string trace_plot;  // --trace-plot FILE.svg, or empty
  std::string summary_csv;  // --summary-csv FILE.csv, or empty
  int chains = 4, warmup = 1000, draws = 1000, thin = 1, max_treedepth = 10;
  double adapt_delta = 0.8;
  double int_time = mcmc::SamplerOptions{}.integration_time;
  std::uint64_t seed = 1;
  double init_radius = mcmc::ChainOptions{}.init_radius;
  unsigned threads = 0;
  std::string metric_file;     // CmdStan's metric_file: the initial inverse metric (and step size)
  std::optional<double> stepsize;
  bool no_adapt = false, keep_metric = false, save_metric = false, metric_given = false, save_warmup = false;
  std::vector<std::string> hamiltonian_flags_given;  // of the flags only nuts and hmc read
  bool int_time_given = false, adapt_delta_given = false;
};

// Per-chain progress on one terminal line, redrawn at most every 100 ms.
class Progress {
 public:
  explicit Progress(int chains) : done_(static_cast<std::size_t>(chains), 0), total_(done_) {}
  void update(int chain, int iteration, int total) {
    std::lock_guard lock(mutex_);
    done_[static_cast<std::size_t>(chain)] = iteration;
    total_[static_cast<std::size_t>(chain)] = total;
    const auto now = std::chrono::steady_clock::now();
    if (iteration != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    std::fprintf(stderr, "\r");
    for (std::size_t c = 0; c < done_.size(); ++c)
      std::fprintf(stderr, "chain %zu: %3lld%%  ", c + 1,
                   total_[c] > 0 ? 100LL * done_[c] / total_[c] : 0LL);  // 100 * done overflowed int past 21M iterations
    std::fflush(stderr);
  }
  void finish() { std::fprintf(stderr, "\n"); }

 private:
  std::mutex mutex_;
  std::vector<int> done_, total_;
  std::chrono::steady_clock::time_point last_{};
};

// validate() names SamplerOptions fields ("sampler options: adapt_delta must be in (0, 1)"), but
// the user typed --adapt-delta: name the flag and the value given instead.
std::string flag_message(std::string what, const SampleArgs& a) {
  const std::string prefix = "sampler options: ";
  if (what.rfind(prefix, 0) != 0) return what;
  what.erase(0, prefix.size());
  const auto end = what.find(' ');
  std::string field = what.substr(0, end);
  std::ostringstream given;
  if (field == "warmup") given << a.warmup;
  if (field == "draws") given << a.draws;
  if (field == "thin") given << a.thin;
  if (field == "max_treedepth") given << a.max_treedepth;
  if (field == "adapt_delta") given << a.adapt_delta;
  if (field == "stepsize" && a.stepsize) given << *a.stepsize;
  if (field == "integration_time") {
    given << a.int_time;
    field = "int_time";  // CmdStan's name, the flag's
  }
  if (given.str().empty()) return what;  // an option the command line does not set
  std::replace(field.begin(), field.end(), '_', '-');
  return "--" + field + what.substr(end) + ", got " + given.str();
}

// --metric, --adapt-delta, --max-treedepth and the metric and step-size flags steer NUTS and
// static HMC only; with another sampler they would change nothing, so a user adding
// --adapt-delta 0.99 to rwm is told.
void check_hamiltonian_flags(const SampleArgs& a) {
  if (a.int_time_given && a.sampler != "hmc")
    throw UsageError("--int-time: only hmc uses it; sampler '" + a.sampler + "' would ignore it");
  if (a.sampler == "nuts" || a.sampler == "hmc" || a.hamiltonian_flags_given.empty()) return;
  throw UsageError(join_text(a.hamiltonian_flags_given) + ": only nuts and hmc use " +
                   (a.hamiltonian_flags_given.size() == 1 ? "it" : "them") + "; sampler '" + a.sampler +
                   "' would ignore " + (a.hamiltonian_flags_given.size() == 1 ? "it" : "them"));
}

// Adaptation happens in the warmup: with --no-adapt or no warmup NUTS and HMC run at the initial
// step size (1 unless given), and --adapt-delta set nothing, silently. CmdStan refuses warmup 0
// with adaptation engaged too. The other samplers start from their own scales (ensemble adapts
// nothing), and take no --stepsize: warmup 0 is theirs to use.
void check_adaptation_flags(const SampleArgs& a) {
  if (a.no_adapt && a.adapt_delta_given)
    throw UsageError("--adapt-delta: --no-adapt turns off the step-size adaptation whose target it sets; drop one of them");
  if (a.warmup == 0 && !a.no_adapt && (a.sampler == "nuts" || a.sampler == "hmc"))
    throw UsageError("--warmup 0: adaptation runs in the warmup, so nothing would adapt; give a warmup (the default is "
                     "1000), or --no-adapt with a known step size (--stepsize or --metric-file)");
}

// The kept draws are allocated before sampling: refuse sizes beyond this machine's memory with
// the flags that set them, instead of an out-of-memory failure.
void check_draws_fit_in_memory(const SampleArgs& a, const mcmc::LogDensity& model, const mcmc::SamplerOptions& s) {
  const double walkers = a.sampler == "ensemble" ? mcmc::ensemble_walkers(s, model.dimension()) : 1.0;
  const auto kept_of = [&](int iterations) { return std::ceil(static_cast<double>(iterations) / a.thin); };
  const double kept = kept_of(a.draws) + (a.save_warmup ? kept_of(a.warmup) : 0.0);
  const double rows = kept * walkers * a.chains;
  const double columns = model.output_dimension() + model.dimension() + 7.0;  // + lp__ and 6 diagnostics
  const double bytes = rows * columns * sizeof(double);
  const double physical = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGESIZE));
  if (physical > 0 && bytes > physical) {
    std::ostringstream os;
    os.precision(3);
    os << "--draws " << a.draws << (a.save_warmup ? " and --save-warmup" : "") << " with --thin " << a.thin << " keeps "
       << rows << " rows over " << a.chains
       << " chain(s)" << (walkers > 1 ? " of ensemble walkers" : "") << ", " << bytes / 1e9
       << " GB of draws, more than this machine's " << physical / 1e9 << " GB of memory; lower --draws or raise --thin";
    throw UsageError(os.str());
  }
}

// Takes the initial inverse metric (and the step size, when the file has one) from --metric-file;
// its kind is the file's unless --metric names another, which is refused.
void apply_metric_file(const SampleArgs& a, const mcmc::LogDensity& model, mcmc::SamplerOptions& s) {
  const MetricFile file = read_metric_file(a.metric_file);
  if (a.metric_given && s.metric != file.kind)
    throw UsageError("--metric " + a.metric + ": --metric-file " + a.metric_file + " holds a " +
                     mcmc::metric_name(file.kind) + " metric");
  if (file.dimension > 0 && file.dimension != model.dimension())
    throw UsageError("--metric-file " + a.metric_file + ": the metric is for " + std::to_string(file.dimension) +
                     " parameters, model '" + a.model + "' has " + std::to_string(model.dimension()) +
                     " (unconstrained)" + (a.data.empty() ? std::string() : " on the data of " + a.data));
  s.metric = file.kind;
  s.inverse_metric = file.inverse;
  if (file.stepsize) s.stepsize = *file.stepsize;
}

// "unknown model 'eight_school' (did you mean 'eight_schools'?; known: ...)" for --model and --sampler.
void check_known(const std::string& option, const std::string& what, const std::string& name,
                 const std::vector<std::string>& known) {
  if (std::find(known.begin(), known.end(), name) != known.end()) return;
  const std::string hint = did_you_mean(name, known);
  throw UsageError(option + ": unknown " + what + " '" + name + "' (" + (hint.empty() ? "" : "did you mean '" + hint + "'? ") +
                   "known: " + join_text(known) + ")");
}

// The model and sampler named by --model, --data and --sampler exist and fit together.
void check_model_and_sampler(const SampleArgs& a) {
  check_known("--model", "model", a.model, mcmc::models::model_names());
  if (mcmc::models::model_needs_data(a.model) && a.data.empty())
    throw UsageError("--data: model '" + a.model + "' needs a CSV data file");
  if (!mcmc::models::model_needs_data(a.model) && !a.data.empty())
    throw UsageError("--data: model '" + a.model + "' takes no data");
  check_known("--sampler", "sampler", a.sampler, mcmc::sampler_names());
}

mcmc::SamplerOptions sampler_options(const SampleArgs& a, const mcmc::LogDensity& model) {
  mcmc::SamplerOptions s;
  s.warmup = a.warmup;
  s.draws = a.draws;
  s.thin = a.thin;
  s.save_warmup = a.save_warmup;
  s.seed = a.seed;
  s.max_treedepth = a.max_treedepth;
  s.adapt_delta = a.adapt_delta;
  s.integration_time = a.int_time;
  try {
    s.metric = mcmc::parse_metric(a.metric);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--metric: ") + e.what());
  }
  if (!a.metric_file.empty()) apply_metric_file(a, model, s);
  if (a.stepsize) s.stepsize = *a.stepsize;  // the flag over the file's
  s.adapt = !a.no_adapt;
  s.adapt_metric = !a.keep_metric;
  try {
    mcmc::validate(s);
  } catch (const std::invalid_argument& e) {
    throw UsageError(flag_message(e.what(), a));
  }
  return s;
}

// --out's CmdStan CSV files and, with --save-metric, each chain's adapted metric beside them:
// all or none (a disk that filled up during the run leaves the files of any earlier run whole,
// not some chains of each).
void write_sample_files(const SampleArgs& a, const mcmc::MultiChainResult& run, const mcmc::SamplerOptions& s) {
  if (a.out.empty()) return;
  AtomicFileSet staged;
  std::vector<std::string> draws, metrics;
  try {
    draws = mcmc::stage_cmdstan_csv_files(staged, a.out, run, s);
    const int chains = static_cast<int>(run.chains.size());
    for (int c = 0; a.save_metric && c < chains; ++c) {
      metrics.push_back(mcmc::chain_metric_path(a.out, c, chains));
      staged.add(metrics.back(), metric_file_json(run.chains[static_cast<std::size_t>(c)]));
    }
    staged.commit();
  } catch (const FileError& e) {
    throw UsageError(e.what());
  }
  std::cout << "draws written to " << join_text(draws) << '\n';
  if (a.save_metric) std::cout << "adapted step size and metric written to " << join_text(metrics) << '\n';
}

// Which data column each beta.k of a regression is.
void print_predictors(const mcmc::LogDensity& model) {
  const std::vector<std::string>* names = nullptr;
  if (const auto* linear = dynamic_cast<const mcmc::models::LinearRegression*>(&model)) names = &linear->predictor_names();
  if (const auto* logistic = dynamic_cast<const mcmc::models::LogisticRegression*>(&model)) names = &logistic->predictor_names();
  if (!names || names->empty()) return;
  std::cout << "Predictors:";
  for (std::size_t k = 0; k < names->size(); ++k) std::cout << (k ? ", " : " ") << "beta." << k + 1 << " = " << (*names)[k];
  std::cout << '\n';
}

// The files the run writes, checked before sampling. A directory named as a chain's file (FILE_1.csv,
// ... and their metrics) would lose the whole run at the end, as one named by --out would. And
// none may be an input or another output: --summary-csv naming --data replaced the data with
// the summary, and --out es.csv with two chains wrote chain 1's draws over a --data es_1.csv.
void check_output_files(const SampleArgs& a) {
  const auto refuse_directory = [](const std::string& file, const std::string& what) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec)) throw UsageError("--out: '" + file + "' (" + what + ") is a directory");
  };
  std::vector<NamedFile> outputs;
  if (!a.out.empty())
    for (int c = 0; c < a.chains; ++c) {
      const std::string chain = "chain " + std::to_string(c + 1);
      const std::string draws = mcmc::chain_file_path(a.out, c, a.chains), metric = mcmc::chain_metric_path(a.out, c, a.chains);
      refuse_directory(draws, chain + "'s draws");
      outputs.push_back({"--out", draws, chain + "'s draws", draws == a.out ? "" : a.out});
      if (!a.save_metric) continue;
      refuse_directory(metric, chain + "'s metric");
      outputs.push_back({"--out", metric, chain + "'s metric", a.out});
    }
  outputs.push_back({"--summary-csv", a.summary_csv, "the summary", ""});
  outputs.push_back({"--trace-plot", a.trace_plot, "the trace plot", ""});
  refuse_clobbering(outputs, {{"--data", a.data, "", ""}, {"--metric-file", a.metric_file, "", ""}});
}

void run_sample(const SampleArgs& a) {
  check_model_and_sampler(a);
  // Before the flags' values: "--adapt-delta: only nuts and hmc use it" is the news for a slice
  // run, not that 1.5 is outside (0, 1).
  check_hamiltonian_flags(a);
  check_adaptation_flags(a);
  check_output_files(a);
  const auto model = mcmc::models::load_model(a.model, a.data);
  mcmc::ChainOptions opt;
  opt.chains = a.chains;
  opt.threads = a.threads;
  if (!(a.init_radius >= 0.0 && a.init_radius <= 1e6))
    throw UsageError("--init-radius: expected a number in [0, 1e6], the half-width of the initial points' box (0: every "
                     "chain starts at 0), got " + shortest_text(a.init_radius));
  opt.init_radius = a.init_radius;
  opt.sampler = sampler_options(a, *model);
  const mcmc::SamplerOptions& s = opt.sampler;
  if (a.save_metric && a.out.empty()) throw UsageError("--save-metric: give --out too; the metric files go beside its CSV files");
  if (a.save_warmup && a.out.empty()) throw UsageError("--save-warmup: give --out too; the warmup draws go into its CSV files");
  check_draws_fit_in_memory(a, *model, s);
  std::unique_ptr<Progress> progress;
  if (isatty(STDERR_FILENO)) {
    progress = std::make_unique<Progress>(a.chains);
    opt.progress = [p = progress.get()](int chain, int it, int total) { p->update(chain, it, total); };
  }
  const auto run = [&] {
    try {
      return mcmc::run_chains(*model, *mcmc::make_sampler(a.sampler), opt);
    } catch (const mcmc::InitializationError& e) {
      // With a built-in model the code is known to be right: the data make the density unusable.
      throw UsageError((a.data.empty() ? "" : a.data + ": ") + e.what() + "; the log density is -inf or NaN there, most likely because "
                       "values in the data overflow in double precision (such as 1e200, or an sd of 1e-300): rescale them");
    }
  }();
  if (progress) progress->finish();
  const mcmc::Summary summary = mcmc::summarize(run);
  std::cout << mcmc::format_summary(summary);
  print_predictors(*model);
  // Stan's windowed adaptation needs 20 warmup iterations to estimate a metric; with fewer only
  // the step size adapts (CmdStan warns about it too).
  if ((a.sampler == "nuts" || a.sampler == "hmc") && s.metric != mcmc::Metric::unit && mcmc::adapts(s) && a.warmup < 20)
    std::cout << "Warning: a warmup of " << a.warmup << " < 20 iterations adapts the step size only: the "
              << (s.metric == mcmc::Metric::dense ? "dense" : "diag") << " metric stayed "
              << (a.metric_file.empty() ? "the identity" : "--metric-file's")
              << "; give --warmup 20 or more (150 for the full windows)\n";
  // From 20 to 149 the schedule cuts its three stages to 15%/75%/10%, as CmdStan does and says:
  // the metric then comes from few draws.
  else if (const mcmc::WindowSchedule schedule(a.warmup);
           (a.sampler == "nuts" || a.sampler == "hmc") && s.metric != mcmc::Metric::unit && s.adapt && s.adapt_metric &&
           schedule.stages_cut())
    std::cout << "Warning: a warmup of " << a.warmup << " < 150 iterations cuts the adaptation's stages to 15%/75%/10% "
              << "(the metric is estimated from about " << schedule.window_iterations() << " draws); the default is 1000\n";
  if (a.sampler == "ensemble") {  // its "draws per chain" count every walker's
    const int walkers = mcmc::ensemble_walkers(s, model->dimension());
    std::cout << "Each chain is one ensemble of " << walkers << " walkers x " << run.chains.front().draws.rows() / walkers
              << " kept iterations, walker after walker; ESS and R-hat read them as consecutive segments"
              << (a.out.empty() ? "" : ", as the CSV files list them") << ".\n";
  }
  write_sample_files(a, run, s);
  if (!a.summary_csv.empty()) {
    write_file_atomically(a.summary_csv, mcmc::format_summary_csv(summary));
    std::cout << "summary written to " << a.summary_csv << '\n';
  }
  if (!a.trace_plot.empty()) {
    write_file_atomically(a.trace_plot, trace_svg(run, a.model + ", " + a.sampler));
    std::cout << "trace plot written to " << a.trace_plot << '\n';
  }
}

// Iteration counts are ints (the library then refuses warmup + draws above 1e9).
constexpr long long kMaxIterations = std::numeric_limits<int>::max();

void setup(CLI::App& app) {
  auto args = std::make_shared<SampleArgs>();
  auto* cmd = app.add_subcommand("sample", "Sample the posterior of a built-in model (NUTS by default) and summarize");
  cmd->add_option("--model", args->model, "model: " + join_text(mcmc::models::model_names()))->required();
  std::string columns;  // each model's, so that an installed gpbo's help says them
  for (const auto& name : mcmc::models::model_names())
    if (mcmc::models::model_needs_data(name)) columns += "; " + name + ": " + mcmc::models::model_data_columns(name);
  cmd->add_option("--data", args->data, "CSV data file, with a header row" + columns);
  cmd->add_option("--chains", args->chains, "number of chains")->capture_default_str()->check(whole_number_in(1, 100000));
  cmd->add_option("--warmup", args->warmup, "warmup iterations per chain (0 needs --no-adapt with nuts and hmc)")->capture_default_str()->check(whole_number_in(0, kMaxIterations));
  cmd->add_option("--draws", args->draws, "sampling iterations per chain (ensemble: per walker)")
      ->capture_default_str()
      ->check(whole_number_in(1, kMaxIterations));
  cmd->add_option("--thin", args->thin, "keep every n-th draw")->capture_default_str()->check(whole_number_in(1, kMaxIterations));
  cmd->add_option("--seed", args->seed, "random seed (same seed, same draws, any thread count)")->capture_default_str()->check(whole_number_validator());
  cmd->add_option("--init-radius", args->init_radius,
                  "chains start at points drawn uniformly in (-R, R) on the unconstrained scale; 0: all at 0 (CmdStan's init=R)")
      ->capture_default_str()
      ->check(number_validator());
  cmd->add_option("--sampler", args->sampler, "sampler: " + join_text(mcmc::sampler_names()))->capture_default_str();
  cmd->add_option("--metric", args->metric, "nuts/hmc metric: unit, diag or dense")->capture_default_str();
  cmd->add_option("--metric-file", args->metric_file,
                  "nuts/hmc: start from this inverse metric (and step size), CmdStan's metric-file JSON "
                  "such as --save-metric writes")
      ->check(CLI::ExistingFile);
  cmd->add_option("--stepsize", args->stepsize, "nuts/hmc: initial step size (default 1, or --metric-file's)")
      ->check(number_validator());
  cmd->add_flag("--no-adapt", args->no_adapt,
                "no adaptation: warmup iterations only move the chain (CmdStan's adapt engaged=0)");
  cmd->add_flag("--keep-metric", args->keep_metric,
                "nuts/hmc: warmup adapts only the step size; --metric-file's metric is kept")
      ->excludes("--no-adapt")
      ->needs("--metric-file");  // alone it kept the identity, under a CSV header saying diag_e
  cmd->add_flag("--save-metric", args->save_metric,
                "nuts/hmc: also write each chain's adapted step size and metric beside --out (FILE_metric.json)");
  cmd->add_flag("--save-warmup", args->save_warmup,
                "also write every thin-th warmup iteration into --out's CSV files, before the adaptation comments "
                "(CmdStan's save_warmup; summaries leave them out)");
  cmd->add_option("--adapt-delta", args->adapt_delta, "nuts/hmc: target acceptance of step-size adaptation")->capture_default_str();
  cmd->add_option("--max-treedepth", args->max_treedepth, "nuts: maximum tree depth; hmc: at most 2^depth leapfrog steps")
      ->capture_default_str()
      ->check(whole_number_in(1, 30));
  cmd->add_option("--int-time", args->int_time,
                  "hmc: integration time (stepsize x leapfrog steps), each iteration's drawn in [0.5, 1.5] x this")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "worker threads (0 = all cores)")->capture_default_str()->check(whole_number_in(0, 4096));
  cmd->add_option("--trace-plot", args->trace_plot,
                  "also draw each chain's lp__ and first parameters against the iteration, and their rank plots, into this SVG file")
      ->check(output_file_validator());
  cmd->add_option("--summary-csv", args->summary_csv,
                  "also write the summary as CSV, every digit, with the MCSEs of the sd and quantiles (stansummary's --csv_filename)")
      ->check(output_file_validator());
  cmd->add_option("--out", args->out, "write draws as CmdStan CSV (several chains: FILE_1.csv, FILE_2.csv, ...)")
      ->check(output_file_validator());
  cmd->callback([args, cmd] {
    for (const char* flag : {"--metric", "--metric-file", "--stepsize", "--keep-metric", "--save-metric", "--adapt-delta", "--max-treedepth"})
      if (cmd->count(flag) > 0) args->hamiltonian_flags_given.push_back(flag);
    args->metric_given = cmd->count("--metric") > 0;
    args->int_time_given = cmd->count("--int-time") > 0;
    args->adapt_delta_given = cmd->count("--adapt-delta") > 0;
    run_sample(*args);
  });
}

}  // namespace

GPBO_COMMAND("sample", setup);

}  // namespace gpbo::cli
