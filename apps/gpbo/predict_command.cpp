// gpbo predict: predictions of a saved model at the rows of a CSV table.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "command.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/predictive_scores.hpp"
#include "model_file.hpp"

namespace gpbo::cli {
namespace {

struct PredictArgs {
  std::string model, data, out;
  bool latent = false;
};

// Inputs picked by name, in the model's order, whatever the column order of the file.
Eigen::MatrixXd model_inputs(const CsvTable& table, const ModelFile& m) {
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

void run_predict(const PredictArgs& a) {
  refuse_overwriting_inputs(a);
  const auto m = load_model_file(a.model);
  // Only the columns used are read, so other columns may hold anything (names, notes, blanks).
  std::vector<std::string> wanted = m.inputs;
  wanted.push_back(m.target);
  const auto table = read_csv(a.data, wanted);
  if (table.values.rows() == 0) throw UsageError(a.data + ": no data rows to predict");
  const Eigen::MatrixXd X = model_inputs(table, m);
  // With hyperparameter draws (gpbo fit --hyper mcmc): their equal-weight mixture.
  FullyBayesianGp model(m.gp);
  if (m.hyperparameter_draws.rows() > 0) model.set_draws(m.hyperparameter_draws);
  const auto p = model.predict(X, !a.latent);
  const Eigen::VectorXd sd = p.variance.cwiseMax(0).cwiseSqrt();
  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out);
    if (!file) throw UsageError(a.out + ": cannot open for writing");
  }
  std::ostream& out = a.out.empty() ? std::cout : file;
  out.precision(10);
  for (const auto& name : m.inputs) out << csv_field(name) << ',';  // names may hold commas
  out << "mean,sd,lower95,upper95\n";
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    for (Eigen::Index k = 0; k < X.cols(); ++k) out << X(i, k) << ',';
    const double half = 1.959963984540054 * sd(i);
    out << p.mean(i) << ',' << sd(i) << ',' << p.mean(i) - half << ',' << p.mean(i) + half << '\n';
  }
  if (m.hyperparameter_draws.rows() > 0)
    std::fprintf(stderr, "predictions: mixture of %ld hyperparameter posterior draws\n",
                 static_cast<long>(m.hyperparameter_draws.rows()));
  if (table.has_column(m.target) && !a.latent) report_test_metrics(table.column(m.target), p);
}

void setup(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand("predict", "Predict with a model saved by `gpbo fit`: CSV of mean, sd and 95% interval");
  cmd->add_option("--model", args->model, "model file written by gpbo fit")->required()->check(CLI::ExistingFile);
  cmd->add_option("--data", args->data, "CSV with the model's input columns (by name; other columns are ignored)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "output CSV (default: standard output)")->check(output_file_validator());
  cmd->add_flag("--latent", args->latent, "predict the noise-free function instead of new noisy observations");
  cmd->callback([args] { run_predict(*args); });
}

GPBO_COMMAND("predict", setup);

}  // namespace
}  // namespace gpbo::cli
