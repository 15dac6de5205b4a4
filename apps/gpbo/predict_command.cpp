// gpbo predict: predictions of a saved model at the rows of a CSV table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "command.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/model_file.hpp"
#include "gpbo/gp/predictive_scores.hpp"

namespace gpbo::cli {
namespace {

struct PredictArgs {
  std::string model, data, out;
  std::vector<std::string> keep;  // columns copied to the output as they are (ids, names)
  bool latent = false;
};

// Inputs picked by name, in the model's order, whatever the column order of the file.
Eigen::MatrixXd model_inputs(const CsvTable& table, const GpModelFile& m) {
  Eigen::MatrixXd X(table.values.rows(), static_cast<Eigen::Index>(m.inputs.size()));
  for (std::size_t k = 0; k < m.inputs.size(); ++k) {
    try {
      X.col(static_cast<Eigen::Index>(k)) = table.column(m.inputs[k]);
    } catch (const std::invalid_argument& e) {  // e names the file
      throw UsageError("the model needs input column '" + m.inputs[k] + "': " + e.what());
    }
  }
  return X;
}

void report_test_metrics(const Eigen::VectorXd& y, const Prediction& p) {
  const PredictiveScores s = score_predictions(y, p.mean, p.variance);
  std::fprintf(stderr, "test targets present: rmse %.6g, nlpd %.6g, 95%% interval coverage %.1f%%\n", s.rmse, s.nlpd,
               100 * s.coverage95);
}

// --out naming one of the inputs would destroy it (a slip like `--out model.json`).
void refuse_overwriting_inputs(const PredictArgs& a) {
  if (a.out.empty() || !std::filesystem::exists(a.out)) return;
  for (const auto& [option, path] : {std::pair{"--model", a.model}, {"--data", a.data}})
    if (std::filesystem::equivalent(a.out, path))
      throw UsageError("--out " + a.out + " is the " + option + " file; predictions would overwrite it");
}

// The target column's values when every row has one; otherwise (no such column, or blank / NA
// fields in it, as in a file of rows to score) nothing, and no test metrics.
std::optional<Eigen::VectorXd> test_targets(const std::string& text, const std::string& path, const std::string& target) {
  try {
    const auto table = parse_csv(text, path, {target});
    if (table.has_column(target)) return table.column(target);
  } catch (const CsvError& e) {
    std::fprintf(stderr, "note: no test metrics, the target column is not complete (%s)\n", e.what());
  }
  return std::nullopt;
}

// The output's header must name each column once, so that the file reads back (gpbo fit and
// pandas refuse or rename repeated names).
void check_kept_columns(const std::vector<std::string>& keep, const std::vector<std::string>& inputs) {
  std::set<std::string> seen;
  for (const std::string& name : keep) {
    if (!seen.insert(name).second) throw UsageError("--keep: column '" + name + "' is named twice");
    if (std::find(inputs.begin(), inputs.end(), name) != inputs.end())
      throw UsageError("--keep: '" + name + "' is an input of the model, written to the output anyway");
    for (const char* out : {"mean", "sd", "lower95", "upper95"})
      if (name == out) throw UsageError("--keep: a column named '" + name + "' would clash with the predictions' own");
  }
}

void run_predict(const PredictArgs& a) {
  refuse_overwriting_inputs(a);
  const auto m = load_gp_model_file(a.model);
  check_kept_columns(a.keep, m.inputs);
  // Read once: --data may be a pipe (/dev/stdin). Only the columns used are parsed, so other
  // columns may hold anything (names, notes, blanks).
  const std::string text = read_csv_file(a.data);
  const auto table = parse_csv(text, a.data, m.inputs);
  if (table.values.rows() == 0) throw UsageError(a.data + ": no data rows to predict");
  const Eigen::MatrixXd X = model_inputs(table, m);
  // With hyperparameter draws (gpbo fit --hyper mcmc): their equal-weight mixture.
  const FullyBayesianGp model = m.predictor();
  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out);
    if (!file) throw UsageError(a.out + ": cannot open for writing");
  }
  std::ostream& out = a.out.empty() ? std::cout : file;
  const auto kept = a.keep.empty() ? std::vector<std::vector<std::string>>{} : csv_text_columns(text, a.data, a.keep);
  for (const auto& name : a.keep) out << csv_field(name) << ',';
  for (const auto& name : m.inputs) out << csv_field(name) << ',';  // names may hold commas
  out << "mean,sd,lower95,upper95\n";
  // Blocks of rows bound the memory of the cross-covariances (rows x training points x draws).
  constexpr Eigen::Index kBlock = 4096;
  Prediction all;
  all.mean.resize(X.rows());
  all.variance.resize(X.rows());
  for (Eigen::Index start = 0; start < X.rows(); start += kBlock) {
    const Eigen::Index n = std::min(kBlock, X.rows() - start);
    const auto p = model.predict(X.middleRows(start, n), !a.latent);
    all.mean.segment(start, n) = p.mean;
    all.variance.segment(start, n) = p.variance;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!kept.empty())
        for (const auto& field : kept[static_cast<std::size_t>(start + i)]) out << csv_field(field) << ',';
      // Full precision: inputs match their rows exactly, and large means keep their small changes.
      for (Eigen::Index k = 0; k < X.cols(); ++k) out << shortest_text(X(start + i, k)) << ',';
      const double sd = std::sqrt(std::max(p.variance(i), 0.0)), half = 1.959963984540054 * sd;
      out << shortest_text(p.mean(i)) << ',' << shortest_text(sd) << ',' << shortest_text(p.mean(i) - half) << ','
          << shortest_text(p.mean(i) + half) << '\n';
    }
  }
  if (!out) throw UsageError((a.out.empty() ? std::string("standard output") : a.out) + ": write failed");
  if (m.hyperparameter_draws.rows() > 0)
    std::fprintf(stderr, "predictions: mixture of %ld hyperparameter posterior draws\n",
                 static_cast<long>(m.hyperparameter_draws.rows()));
  if (a.latent) return;
  if (const auto y = test_targets(text, a.data, m.target)) report_test_metrics(*y, all);
}

void setup(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "Predict with a model saved by `gpbo fit`: CSV of mean, sd and 95% interval");
  cmd->add_option("--model", args->model, "model file written by gpbo fit")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data", args->data, "CSV with the model's input columns (by name; other columns are ignored)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "output CSV (default: standard output)")->check(output_file_validator());
  cmd->add_option("--keep", args->keep, "columns to copy to the output first, as they are (e.g. an id), comma-separated")
      ->delimiter(',');
  cmd->add_flag("--latent", args->latent, "predict the noise-free function instead of new noisy observations");
  cmd->callback([args] { run_predict(*args); });
}

GPBO_COMMAND("predict", setup);

}  // namespace
}  // namespace gpbo::cli
