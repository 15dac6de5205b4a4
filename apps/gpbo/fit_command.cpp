// gpbo fit: fit a GP to a CSV table and save the model.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "command.hpp"
#include "model_summary.hpp"
#include "output_paths.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/memory_budget.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"
#include "gpbo/gp/default_priors.hpp"
#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/model_file.hpp"
#include "gpbo/gp/outliers.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/kernels/white.hpp"

namespace gpbo::cli {
namespace {

struct FitArgs {
  std::string data, target = "y", kernel = "matern52", out = "model.json";
  std::vector<std::string> inputs;  // empty: every column but the target
  std::string noise_sd_column;       // known measurement sd of each target; empty: none
  int restarts = FitOptions{}.restarts;  // the library's default (4)
  std::size_t subset = 0;
  std::uint64_t seed = 0;
  unsigned threads = 0;
  std::string noise = "learn";
  std::string hyper = "map", sampler = "nuts";
  std::string priors = "weak";
  int samples = 16;
  bool mcmc_option_given = false;  // --samples or --sampler on the command line
  bool outliers = false;           // --outliers: rows the model cannot explain get their own noise
};

// gp/default_priors.hpp: the priors, and what they change.
constexpr const char* kPriorsHelp =
    "Priors (--priors weak, the default): hyperparameters without a prior get weakly-informative ones (inputs are "
    "scaled to the unit cube, targets standardized; D = number of inputs): lengthscale ~ lognormal(sqrt(2) + "
    "log(D)/2, sqrt(3)), other kernel quantities ~ lognormal(0, 2), noise variance ~ lognormal(-4, 2), mean ~ "
    "normal(0, 2). The fit is their posterior mode (MAP), and --hyper mcmc samples that posterior (NUTS or slice; "
    "warmup 64, thin 2). --priors none fits by maximum likelihood, as scikit-learn does (map only).";

GpOptions gp_options(const FitArgs& a) {
  GpOptions o;
  if (a.noise == "learn") return o;
  char* end = nullptr;
  const double v = std::strtod(a.noise.c_str(), &end);
  if (end == a.noise.c_str() || *end != '\0' || !(v > 0) || !std::isfinite(v))
    throw UsageError("--noise: expected 'learn' or a positive, finite variance (standardized units), got '" + a.noise + "'");
  o.noise.learn = false;
  o.noise.variance = v;
  return o;
}

void print_summary(const GpModelFile& m, const FitResult& r, bool priors) {
  const auto& gp = m.gp;
  const std::size_t restarts = r.start_objectives.empty() ? 0 : r.start_objectives.size() - 1;
  std::printf("fitted %s ~ %s on %ld points, %s (%s, best start %d, %d likelihood evaluations)\n", m.target.c_str(),
              kernel_string_with_names(gp.kernel(), m.inputs).c_str(), static_cast<long>(gp.size()),
              count_text(static_cast<std::size_t>(gp.input_dim()), "input").c_str(),
              count_text(restarts, "restart").c_str(), r.best_start, r.evaluations);
  print_evidence(r.log_marginal_likelihood, r.log_posterior, priors,
                 priors ? "MAP fit, weak priors" : "maximum likelihood, no priors");
  print_hyperparameter_table(gp);
  print_map_loo(m);
}

void print_posterior_summary(const FullyBayesianGp& fb, const FullyBayesianOptions& o, double seconds,
                             const std::vector<Eigen::Index>& outliers) {
  std::printf("posterior: %ld draws by %s (warmup %d, thin %d), %lld log-posterior evaluations, %.2f s",
              static_cast<long>(fb.draws().rows()), hyper_sampler_name(o.sampler).c_str(), o.warmup, o.thin,
              fb.evaluations(), seconds);
  if (o.sampler == HyperSampler::Nuts) std::printf(", %d divergences", fb.divergences());
  std::printf("\n");
  print_posterior_table(fb, outliers);
  // As gpbo sample warns: a divergent trajectory left a region it could not follow (a noise
  // variance pressed against its bound on noise-free data, a funnel), so the draws miss it.
  if (o.sampler == HyperSampler::Nuts && fb.divergences() > 0)
    std::fprintf(stderr, "gpbo fit: warning: %d of %d sampling iterations ended with a divergence: the hyperparameter "
                 "draws may be biased, and the predictions average over them; --sampler slice has no divergences "
                 "(compare the two posterior tables), or use the MAP fit (--hyper map)\n",
                 fb.divergences(), o.samples * o.thin);
}

// The input columns (--inputs, in that order, or every column but the target) and their names.
// With --inputs only those columns and the target are parsed, so other columns may hold text
// (names, ids, notes).
std::pair<Eigen::MatrixXd, std::vector<std::string>> fit_inputs(const CsvTable& table, const FitArgs& a) {
  if (a.inputs.empty() && a.noise_sd_column.empty()) return {table.columns_except(a.target), table.names_except(a.target)};
  std::vector<std::string> names = a.inputs;
  if (names.empty())  // every column but the target and the noise sd
    for (const auto& n : table.names_except(a.target))
      if (n != a.noise_sd_column) names.push_back(n);
  Eigen::MatrixXd X(table.values.rows(), static_cast<Eigen::Index>(names.size()));
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == a.target) throw UsageError("--inputs: '" + a.target + "' is the target (--target)");
    if (names[k] == a.noise_sd_column) throw UsageError("--inputs: '" + names[k] + "' is the noise sd column (--noise-sd-column)");
    if (std::count(names.begin(), names.end(), names[k]) > 1)
      throw UsageError("--inputs: '" + names[k] + "' is listed twice");
    X.col(static_cast<Eigen::Index>(k)) = table.column(names[k]);
  }
  return {X, names};
}

// --noise-sd-column: each target's known noise variance (sd squared); empty without the option.
Eigen::VectorXd known_noise_variances(const CsvTable& table, const FitArgs& a) {
  if (a.noise_sd_column.empty()) return {};
  if (a.noise_sd_column == a.target) throw UsageError("--noise-sd-column: '" + a.target + "' is the target (--target)");
  const Eigen::VectorXd sd = table.column(a.noise_sd_column);
  for (Eigen::Index i = 0; i < sd.size(); ++i)
    if (!(sd(i) >= 0.0) || !std::isfinite(sd(i) * sd(i)))  // read_csv already refused NaN and infinities
      throw UsageError(table.location(i, a.noise_sd_column) + ": a noise sd (--noise-sd-column) must be >= 0 with a " +
                       "finite square (the variance), got " + shortest_text(sd(i)));
  return sd.array().square();
}

// The --data table: with --inputs only those columns and the target, else every column.
CsvTable read_fit_table(const FitArgs& a) {
  for (const auto& name : a.inputs)
    if (name.empty()) throw UsageError("--inputs: an empty column name (expected names separated by commas)");
  std::vector<std::string> wanted = a.inputs;
  wanted.push_back(a.target);
  if (!a.noise_sd_column.empty()) wanted.push_back(a.noise_sd_column);
  if (!a.inputs.empty()) {
    CsvTable table = read_csv(a.data, wanted);
    // A list that splits to nothing ("--inputs , --out m.json") makes CLI11 take the next
    // argument as its value: say so rather than look for a column called "--out".
    for (const auto& name : a.inputs)
      if (name.starts_with("-") && !table.has_column(name))
        throw UsageError("--inputs: no column names before '" + name + "', which was taken for one (expected names separated by commas)");
    return table;
  }
  try {
    return read_csv(a.data);
  } catch (const CsvError& e) {  // a text column (names, ids) among the inputs
    const std::string what = e.what();
    // Text in the target itself is not fixed by --inputs: no hint that would send one there.
    if (what.find("expected a number") == std::string::npos || what.find("in column '" + a.target + "',") != std::string::npos)
      throw;
    throw UsageError(what + " (every column but the target is an input unless --inputs names them)");
  }
}

// --kernel for the input columns (active dimensions by name or index), warning when its white
// term would compete with a learned noise.
KernelPtr fit_kernel(const FitArgs& a, const std::vector<std::string>& input_names) {
  KernelPtr kernel;
  try {
    kernel = parse_kernel(a.kernel, input_names);
  } catch (const std::invalid_argument& e) {
    throw UsageError(std::string("--kernel: ") + e.what());
  }
  // scikit-learn's habit (`k + WhiteKernel`): beside a learned noise the two levels model the same
  // thing, and the fit splits it between them arbitrarily.
  if (a.noise == "learn" && has_white(*kernel))
    std::fprintf(stderr, "gpbo fit: warning: the kernel's white term and the learned noise both model the observation "
                 "noise, and their split is arbitrary; drop the white term, or fix the noise with --noise\n");
  return kernel;
}

// The sampler's options for --hyper mcmc, after checking --hyper, --samples, --sampler, --priors.
FullyBayesianOptions hyper_sampling_options(const FitArgs& a) {
  if (a.hyper != "map" && a.hyper != "mcmc") throw UsageError("--hyper: expected 'map' or 'mcmc', got '" + a.hyper + "'");
  const bool mcmc = a.hyper == "mcmc";
  if (!mcmc && a.mcmc_option_given) throw UsageError("--samples and --sampler need --hyper mcmc");
  FullyBayesianOptions fbo;
  if (mcmc) {
    try {
      fbo.sampler = parse_hyper_sampler(a.sampler);
    } catch (const std::invalid_argument& e) {
      throw UsageError(std::string("--sampler: ") + e.what());
    }
    fbo.samples = a.samples;
    fbo.seed = a.seed;
  }
  if (a.priors != "weak" && a.priors != "none") throw UsageError("--priors: expected 'weak' or 'none', got '" + a.priors + "'");
  if (mcmc && a.priors == "none")
    throw UsageError("--priors none needs --hyper map: sampling needs proper priors (flat ones can make the posterior improper)");
  return fbo;
}

// Inputs are scaled to their range: a range below the smallest normal double (1e-310 apart)
// has no finite reciprocal, and the covariance came out non-finite ("internal error"); one
// beyond the largest (-1e308 to 1e308) was refused by the GP in the target's name.
void refuse_unscalable_inputs(const Eigen::MatrixXd& X, const std::vector<std::string>& names, const std::string& data) {
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    const double lo = X.col(j).minCoeff(), hi = X.col(j).maxCoeff(), range = hi - lo;
    const std::string input = data + ", input '" + names[static_cast<std::size_t>(j)] + "': its values ";
    if (range > 0.0 && range < 1e-300)
      throw UsageError(input + "span only " + shortest_text(range) +
                       ", too little to scale; give it in larger units (times a power of ten)");
    if (!std::isfinite(range))
      throw UsageError(input + "span " + shortest_text(lo) + " to " + shortest_text(hi) +
                       ", more than a double holds; give it in smaller units (divided by a power of ten)");
  }
}

// Scaled to its range, an input whose range one extreme value sets (1, 2, 5 and 1e300) has its
// other values squeezed together: the model cannot tell them apart, and fits a constant.
void warn_squeezed_inputs(const Eigen::MatrixXd& X, const std::vector<std::string>& names) {
  constexpr double kResolution = 1e-9;  // of the range: closer values are one point to the kernel
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    const double lo = X.col(j).minCoeff(), hi = X.col(j).maxCoeff(), range = hi - lo;
    if (!(range > 0.0)) continue;
    std::vector<double> values(X.col(j).data(), X.col(j).data() + X.rows());
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::size_t apart = 1;  // distinct values at least kResolution of the range from the previous one kept
    double last = values.front();
    for (const double v : values)
      if ((v - last) / range >= kResolution) { ++apart; last = v; }
    if (2 * apart <= values.size())
      std::fprintf(stderr, "gpbo fit: warning: input '%s' spans %s to %s, and %zu of its %zu distinct values lie within "
                   "1e-9 of that range of another: the model cannot tell them apart; check its extreme values, or give "
                   "it on a log scale\n", names[static_cast<std::size_t>(j)].c_str(), shortest_text(lo).c_str(),
                   shortest_text(hi).c_str(), values.size() - apart, values.size());
  }
}

// An exact GP holds a few n x n matrices and factorizes one per likelihood evaluation (n^3 / 3
// operations): 100000 rows asked for 80 GB each and failed as a bare "out of memory" after
// reading; 20000 ran silently for hours.
void check_exact_gp_size(Eigen::Index rows, const std::string& data) {
  const double n = static_cast<double>(rows), gigabytes = exact_gp_bytes(static_cast<std::size_t>(rows)) / 1e9;
  if (const std::string why = exact_gp_memory_refusal(static_cast<std::size_t>(rows), "an exact GP's"); !why.empty())
    throw UsageError(data + ": " + std::to_string(rows) + " rows " + why + "; fit a random sample of the rows (a few thousand)");
  if (rows > 10000)
    std::fprintf(stderr, "gpbo fit: warning: %ld rows: an exact GP needs %.1f GB and n^3/3 = %.2g operations a likelihood "
                 "evaluation (hundreds per fit): expect a long fit; a random sample of a few thousand rows is much faster\n",
                 static_cast<long>(rows), gigabytes, n * n * n / 3.0);
}

// The factorization's jitter (gp/cholesky.hpp: from 1e-10 x the mean diagonal, x10 per retry) is
// noise the summary does not report. It grows with the output scale, so a fixed --noise far
// below the scatter of repeated inputs' values lets the fit raise the output scale until the
// jitter covers that scatter: outputscale 4.9e8 with 0.049 added, reported as noise 1e-12 (fixed)
// with a fine likelihood and leave-one-out, and test predictions worse than the mean. Such a fit
// is refused when the jitter is larger than the fixed noise (the model's real noise is more than
// twice the one reported) and than 1e-6 of the targets' variance (the learned noise's lower
// bound: noise sd 0.1% of the targets'); smaller, it only rounds and is warned of. Smooth
// noise-free data with distinct inputs and a tiny fixed noise need none at the optimum.
void check_jitter(const GaussianProcess& gp, const FitArgs& a) {
  const double jitter = gp.jitter();
  if (jitter == 0.0) return;
  if (!gp.options().noise.learn && jitter > gp.noise_variance() && jitter > NoiseOptions{}.lower) {
    const double decade = std::stod("1e" + std::to_string(static_cast<int>(std::ceil(std::log10(jitter)))));
    char added[32];
    std::snprintf(added, sizeof added, "%.3g", jitter);
    throw UsageError(a.data + ": with --noise " + a.noise + " the fitted covariance matrix factorizes only with " + added +
                     " added to its diagonal (standardized units): noise the reported model lacks, and which the fit "
                     "exploits by raising the output scale. Repeated or nearly repeated inputs with different values need "
                     "a noise: learn it (--noise learn, the default) or fix one of " + shortest_text(decade) + " or more");
  }
  std::fprintf(stderr, "gpbo fit: warning: the covariance matrix was not positive definite at the fitted "
               "hyperparameters; %g was added to its diagonal (standardized units). Repeated inputs with different "
               "values need a larger --noise, or 'learn'\n", jitter);
}

void print_outliers(const std::vector<Eigen::Index>& rows, const CsvTable& table, const GaussianProcess& gp) {
  if (rows.empty()) {
    std::printf("outliers: none found\n");
    return;
  }
  const std::string lines = join_text(rows, [&](Eigen::Index i) { return std::to_string(table.lines.at(static_cast<std::size_t>(i))); });
  const std::string values = join_text(rows, [&](Eigen::Index i) {
    char value[32];
    std::snprintf(value, sizeof value, "%.6g", gp.y()[i]);
    return std::string(value);
  });
  std::printf("outliers: %s given %s own noise variance: %s %s of %s (%s %s)\n", count_text(rows.size(), "row").c_str(),
              rows.size() == 1 ? "its" : "their", noun_for(rows.size(), "line").c_str(), lines.c_str(), table.source.c_str(),
              noun_for(rows.size(), "target").c_str(), values.c_str());
}

// The GP's refusal of a target column (values beyond double precision), said of the file's column.
UsageError target_column_error(const std::string& data, const std::string& target, const std::invalid_argument& e,
                               const std::string& context = "") {
  std::string what = e.what();
  if (const auto colon = what.find(": "); what.rfind("GaussianProcess", 0) == 0 && colon != std::string::npos)
    what.erase(0, colon + 2);
  return UsageError(data + ", column '" + target + "': " + context + what);
}

// fit_with_outliers, with a value too far to model named by its line rather than its index.
std::vector<Eigen::Index> fit_robustly(GaussianProcess& gp, const FitOptions& fit, const Eigen::VectorXd& known, FitResult& result,
                                       const CsvTable& table, const std::string& target) {
  try {
    return fit_with_outliers(gp, fit, known, &result);
  } catch (const OutlierOutOfReach& e) {
    throw UsageError(table.location(e.row(), target) + ": target " + shortest_text(gp.y()[e.row()]) + " " + e.reason());
  } catch (const std::invalid_argument& e) {  // the refit standardizes the inliers: they may vary too little
    const bool outputs = std::string(e.what()).find("the outputs") != std::string::npos;
    throw target_column_error(table.source, target, e, outputs ? "without the rows flagged as outliers, " : "");
  }
}

// The model file (JSON) names the columns: a Latin-1 header was an internal error when saved.
// An input named as a prediction column made gpbo predict write a header that did not read back.
void check_column_names(const std::vector<std::string>& input_names, const FitArgs& a) {
  std::vector<std::string> named = input_names;
  named.push_back(a.target);
  for (const auto& name : named)
    if (valid_utf8(name) != name)
      throw UsageError(a.data + ": column name '" + valid_utf8(name) + "' is not UTF-8 text (the model file names its "
                       "columns in JSON); save the file as UTF-8");
  for (const auto& name : input_names)
    if (std::find(kModelPredictionColumns.begin(), kModelPredictionColumns.end(), name) != kModelPredictionColumns.end())
      throw UsageError(a.data + ": input column '" + name + "' has the name of a column gpbo predict writes beside the "
                       "inputs (mean, sd, lower95, upper95), so its predictions would not read back: rename the column, "
                       "or leave it out with --inputs");
}

// Warnings about columns that tell the model nothing, and refusals of what it cannot scale.
void check_fit_inputs(const Eigen::MatrixXd& X, const std::vector<std::string>& input_names, const Eigen::VectorXd& y,
                      const FitArgs& a) {
  if (y.maxCoeff() == y.minCoeff())
    std::fprintf(stderr, "gpbo fit: warning: every value of '%s' is %g; the model can only predict that constant, "
                 "and its uncertainty means little\n", a.target.c_str(), y[0]);
  for (Eigen::Index j = 0; j < X.cols(); ++j)
    if (X.col(j).maxCoeff() == X.col(j).minCoeff())
      std::fprintf(stderr, "gpbo fit: warning: every value of input '%s' is %g; it tells the model nothing, and "
                   "predictions at other values of it rest on its length scale's prior alone (drop it with --inputs)\n",
                   input_names[static_cast<std::size_t>(j)].c_str(), X(0, j));
  refuse_unscalable_inputs(X, input_names, a.data);
  warn_squeezed_inputs(X, input_names);
  check_exact_gp_size(X.rows(), a.data);
}

void run_fit(const FitArgs& a) {
  refuse_clobbering({{"--out", a.out, "the model", ""}}, {{"--data", a.data, "", ""}});
  const CsvTable table = read_fit_table(a);
  if (table.values.rows() == 0) throw UsageError(a.data + ": no data rows to fit");
  const auto [X, input_names] = fit_inputs(table, a);
  if (X.cols() == 0) throw UsageError(a.data + ": no input columns besides the target '" + a.target + "'");
  check_column_names(input_names, a);
  // One row says nothing about length scales, output scale or noise: the fitted model would be
  // arbitrarily over- or under-confident.
  if (table.values.rows() < 2) throw UsageError(a.data + ": 1 data row; fitting hyperparameters needs at least 2");
  check_fit_inputs(X, input_names, table.column(a.target), a);
  KernelPtr kernel = fit_kernel(a, input_names);
  const FullyBayesianOptions fbo = hyper_sampling_options(a);
  const bool mcmc = a.hyper == "mcmc";
  GpOptions options = gp_options(a);
  if (a.priors == "weak") set_weak_default_priors(*kernel, options, static_cast<int>(X.cols()));
  GaussianProcess gp(std::move(kernel), options);
  const Eigen::VectorXd known_noise = known_noise_variances(table, a);
  try {
    gp.set_data(X, table.column(a.target), known_noise);
  } catch (const std::invalid_argument& e) {  // targets beyond double precision: say which column of which file
    throw target_column_error(a.data, a.target, e);
  }
  if (a.subset > 0 && a.subset >= static_cast<std::size_t>(X.rows()))
    std::fprintf(stderr, "gpbo fit: note: --subset %zu is not below the %lld rows: every start fits all of them\n", a.subset,
                 static_cast<long long>(X.rows()));
  // Ten rows per input is the usual least design for a GP (Loeppky et al. 2009); on fewer the
  // starts' pre-fits rank them badly (Friedman's 5 inputs, --subset 10: log posterior -107
  // where the full fit reaches -57, one input's length scale run off to 30).
  else if (const auto per_input = 10 * static_cast<std::size_t>(X.cols()); a.subset > 0 && a.subset < per_input)
    std::fprintf(stderr,
                 "gpbo fit: note: --subset %zu is few rows to rank the starts on with %lld inputs: give %zu or more (ten an "
                 "input), or the best pre-fit may lead to a poor optimum\n",
                 a.subset, static_cast<long long>(X.cols()), per_input);
  FitOptions fo;
  fo.restarts = a.restarts;
  fo.subset_size = a.subset;
  fo.seed = a.seed;
  fo.threads = a.threads;
  FitResult result = gp.fit(fo);
  std::vector<Eigen::Index> outliers;
  if (a.outliers) outliers = fit_robustly(gp, fo, known_noise, result, table, a.target);
  check_jitter(gp, a);
  GpModelFile m{input_names, a.target, std::move(gp), {}, std::move(outliers)};
  const auto print_known_noise = [&] {
    if (a.outliers) print_outliers(m.outliers, table, m.gp);
    if (a.noise_sd_column.empty()) return;
    const Eigen::VectorXd sd = known_noise.cwiseSqrt();  // the point noise holds outliers' variances too
    std::printf("known noise: column '%s', sd %.6g to %.6g (target units), in addition to noise_variance\n",
                a.noise_sd_column.c_str(), sd.minCoeff(), sd.maxCoeff());
  };
  if (!mcmc) {
    save_gp_model_file(m, a.out);
    print_summary(m, result, a.priors == "weak");
    print_known_noise();
    std::printf("model saved to %s\n", a.out.c_str());
    return;
  }
  FullyBayesianGp fb(m.gp);  // starts at the MAP fit
  const auto t0 = std::chrono::steady_clock::now();
  fb.sample(fbo);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  m.hyperparameter_draws = fb.draws();
  save_gp_model_file(m, a.out);
  print_summary(m, result, a.priors == "weak");
  print_known_noise();
  print_posterior_summary(fb, fbo, seconds, m.outliers);
  std::printf("model saved to %s (with %ld hyperparameter draws; gpbo predict uses their mixture)\n", a.out.c_str(),
              static_cast<long>(fb.draws().rows()));
}

void setup(CLI::App& app) {
  auto args = std::make_shared<FitArgs>();
  auto* cmd = app.add_subcommand("fit", "Fit a Gaussian process to a CSV table and save the model as JSON");
  cmd->add_option("--data", args->data, "CSV with a header row: input columns and the target")->required()->check(CLI::ExistingFile);
  cmd->add_option("--target", args->target, "name of the target column")->capture_default_str();
  cmd->add_option("--inputs", args->inputs, "input columns, comma-separated (default: every column but the target); "
                  "other columns are not read, so they may hold text")->delimiter(',');
  cmd->add_option("--kernel", args->kernel,
                  "kernel, e.g. \"matern52\", \"se + linear\", \"matern52 * periodic\", \"matern52[x1,x2] + periodic[t]\" "
                  "(active inputs by column name or 0-based index)")
      ->capture_default_str();
  const NoiseOptions noise_bounds;
  cmd->add_option("--noise", args->noise, "'learn' (a noise variance fitted within [" + shortest_text(noise_bounds.lower) + ", " +
                  shortest_text(noise_bounds.upper) + "], standardized units: the summary says when it ends at the lower "
                  "bound), or a fixed noise variance > 0 in standardized units (e.g. 1e-10 for noise-free data)")
      ->capture_default_str();
  cmd->add_option("--noise-sd-column", args->noise_sd_column,
                  "column with each target's known noise sd (measurement error, the target's units, >= 0), added to "
                  "the learned or fixed noise; not an input");
  cmd->add_flag("--outliers", args->outliers,
                "find rows the model cannot explain (gross errors) and give each its own noise variance, when the evidence "
                "says so (relevance pursuit, prior outlier rate 5%), refitting until the rows found no longer change; the "
                "model file keeps those variances with the known noise");
  cmd->add_option("--restarts", args->restarts, "random restarts of the hyperparameter search")->capture_default_str()->check(whole_number_in(0, 1000));
  cmd->add_option("--subset", args->subset, "pre-fit every start on this many random rows, then refine the best on all "
                                           "(0 = off; speeds up large data, e.g. 256 for thousands of rows)")
      ->capture_default_str()
      ->check(whole_number_in(0, 1000000000))  // CLI11 wrapped -1 around to 2^64 - 1: an internal error
      ->check(CLI::Validator(
          [](std::string& text) {  // a subset of one row is no fit (the library refuses it)
            return std::strtoull(text.c_str(), nullptr, 10) == 1 ? std::string("expected 0 (off) or at least 2 rows, got '" + text + "'")
                                                                  : std::string();
          },
          ""));
  cmd->add_option("--seed", args->seed, "random seed")->capture_default_str()->check(whole_number_validator());
  cmd->add_option("--threads", args->threads, "threads for the restarts (0 = all cores); results do not depend on it")
      ->check(whole_number_in(0, 4096));
  cmd->add_option("--hyper", args->hyper, "hyperparameters: 'map' (one MAP fit) or 'mcmc' (posterior draws, starting at the MAP fit)")->capture_default_str();
  // Each draw is a conditioned GP that predict keeps in memory: 10000 already hold 10000 factors.
  auto* samples = cmd->add_option("--samples", args->samples, "--hyper mcmc: posterior draws S to keep")
                      ->capture_default_str()
                      ->check(whole_number_in(1, 10000));
  auto* sampler = cmd->add_option("--sampler", args->sampler, "--hyper mcmc: 'nuts' or 'slice'")->capture_default_str();
  cmd->add_option("--out", args->out, "where to save the model")->capture_default_str()->check(output_file_validator());
  cmd->add_option("--priors", args->priors, "'weak' (default priors, below; MAP fit) or 'none' (maximum likelihood)")->capture_default_str();
  cmd->footer(kPriorsHelp);
  cmd->callback([args, samples, sampler] {
    args->mcmc_option_given = samples->count() > 0 || sampler->count() > 0;
    // "--inputs 'a, b'" names columns a and b, as a header "a, b" does (read_csv trims names).
    for (auto& name : args->inputs) {
      name.erase(0, name.find_first_not_of(" \t"));
      name.erase(name.find_last_not_of(" \t") + 1);
    }
    run_fit(*args);
  });
}

GPBO_COMMAND("fit", setup);

}  // namespace
}  // namespace gpbo::cli
