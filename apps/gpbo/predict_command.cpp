// gpbo predict: predictions of a saved model (gpbo fit) or of a tuning state's surrogate (gpbo
// tune, gpbo ask/tell) at the rows of a CSV table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "command.hpp"
#include "output_paths.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/model_file.hpp"
#include "gpbo/gp/normal_mixture.hpp"
#include "gpbo/gp/predictive_scores.hpp"
#include "tune/model_slice.hpp"
#include "tune/point_columns.hpp"
#include "tune/run_state.hpp"

namespace gpbo::cli {
namespace {

struct PredictArgs {
  std::string model, state, data, out;
  std::string slice;  // with --state: the parameter to slice along, through the best result
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

// The parts of the block of rows from `start`; a row whose prediction overflows (far outside
// the data for a kernel that grows with distance: NaN written with exit status 0 before) is
// named by file and line.
std::vector<Prediction> predict_block(const FullyBayesianGp& model, const Eigen::MatrixXd& X, Eigen::Index start, Eigen::Index n,
                                      bool noisy, const CsvTable& table, const GpModelFile& m) {
  try {
    return model.predict_parts(X.middleRows(start, n), noisy);
  } catch (const PredictionOverflow& e) {
    const Eigen::Index row = start + e.point();
    std::string inputs;
    for (std::size_t k = 0; k < m.inputs.size(); ++k)
      inputs += (k ? ", " : "") + m.inputs[k] + " = " + shortest_text(X(row, static_cast<Eigen::Index>(k)));
    throw UsageError(table.source + ":" + std::to_string(table.lines.at(static_cast<std::size_t>(row))) +
                     ": the model's prediction there is not finite (" + inputs +
                     "): the kernel's arithmetic overflows so far outside the training data");
  }
}

// Scores over every block of test rows: sums weighted by the blocks' row counts.
class TestScores {
 public:
  void add(const PredictiveScores& s, Eigen::Index rows) {
    const auto n = static_cast<double>(rows);
    squared_error_ += n * s.rmse * s.rmse;
    nlpd_ += n * s.nlpd;
    covered_ += n * s.coverage95;
    rows_ += n;
  }
  void report() const {
    std::fprintf(stderr, "test targets present: rmse %.6g, nlpd %.6g, 95%% interval coverage %.1f%%\n",
                 std::sqrt(squared_error_ / rows_), nlpd_ / rows_, 100 * covered_ / rows_);
  }

 private:
  double squared_error_ = 0.0, nlpd_ = 0.0, covered_ = 0.0, rows_ = 0.0;
};

// --out naming one of the inputs would destroy it (a slip like `--out model.json`).
void refuse_overwriting_inputs(const PredictArgs& a) {
  refuse_clobbering({{"--out", a.out, "the predictions", ""}},
                    {{"--model", a.model, "", ""}, {"--state", a.state, "", ""}, {"--data", a.data, "", ""}});
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
void check_output_columns(const std::vector<std::string>& keep, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs) {
  for (const std::string& name : inputs)  // a model file of an earlier build, or a space's parameter
    if (std::find(outputs.begin(), outputs.end(), name) != outputs.end())
      throw UsageError("input '" + name + "' has the name of a column the predictions add, so the output would name it "
                       "twice and not read back: rename it (in the data and fit again, or in the config)");
  std::set<std::string> seen;
  for (const std::string& name : keep) {
    if (!seen.insert(name).second) throw UsageError("--keep: column '" + name + "' is named twice");
    if (std::find(inputs.begin(), inputs.end(), name) != inputs.end())
      throw UsageError("--keep: '" + name + "' is an input of the model, written to the output anyway");
    if (std::find(outputs.begin(), outputs.end(), name) != outputs.end())
      throw UsageError("--keep: a column named '" + name + "' would clash with the predictions' own");
  }
}

// A header without rows is a table of no points (a filter upstream that kept none): its
// predictions are the header alone, so that a pipeline reads an empty table, not a failure.
void note_no_rows(const std::string& data) {
  std::fprintf(stderr, "note: %s has no data rows: 0 rows predicted, the output is the header alone\n", data.c_str());
}

// Standard output, or the --out file: written whole at the end (write_file_atomically), so an
// error on the way (a --keep column missing, a point outside the space) or a crash leaves an
// existing file as it was.
class Output {
 public:
  explicit Output(std::string path) : path_(std::move(path)) {}
  std::ostream& stream() { return path_.empty() ? std::cout : static_cast<std::ostream&>(buffer_); }
  void finish() {
    if (path_.empty()) {
      if (!std::cout.flush()) throw UsageError("standard output: write failed");
      return;
    }
    write_file_atomically(path_, buffer_.str());
  }

 private:
  std::string path_;
  std::ostringstream buffer_;
};

void run_predict(const PredictArgs& a) {
  refuse_overwriting_inputs(a);
  const auto m = load_gp_model_file(a.model);
  check_output_columns(a.keep, m.inputs, kModelPredictionColumns);
  // Read once: --data may be a pipe (/dev/stdin). Only the columns used are parsed, so other
  // columns may hold anything (names, notes, blanks).
  const std::string text = read_csv_file(a.data);
  const auto table = parse_csv(text, a.data, m.inputs);
  const Eigen::MatrixXd X = model_inputs(table, m);
  // With hyperparameter draws (gpbo fit --hyper mcmc): their equal-weight mixture.
  const FullyBayesianGp model = m.predictor();
  Output output(a.out);
  std::ostream& out = output.stream();
  const auto kept = a.keep.empty() ? std::vector<std::vector<std::string>>{} : csv_text_columns(text, a.data, a.keep);
  for (const auto& name : a.keep) out << csv_field(name) << ',';
  for (const auto& name : m.inputs) out << csv_field(name) << ',';  // names may hold commas
  out << "mean,sd,lower95,upper95\n";
  const std::optional<Eigen::VectorXd> targets =
      a.latent ? std::nullopt : test_targets(text, a.data, m.target);
  TestScores scores;
  // Blocks of rows bound the memory of the cross-covariances (rows x training points x draws).
  constexpr Eigen::Index kBlock = 4096;
  for (Eigen::Index start = 0; start < X.rows(); start += kBlock) {
    const Eigen::Index n = std::min(kBlock, X.rows() - start);
    // One part per hyperparameter draw: the interval is the mixture's own quantiles.
    const std::vector<Prediction> parts = predict_block(model, X, start, n, !a.latent, table, m);
    const Prediction p = mixture_of(parts);
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!kept.empty())
        for (const auto& field : kept[static_cast<std::size_t>(start + i)]) out << csv_field(field) << ',';
      // Full precision: inputs match their rows exactly, and large means keep their small changes.
      for (Eigen::Index k = 0; k < X.cols(); ++k) out << shortest_text(X(start + i, k)) << ',';
      out << shortest_text(p.mean(i)) << ',' << shortest_text(std::sqrt(std::max(p.variance(i), 0.0))) << ','
          << shortest_text(mixture_quantile(parts, i, 0.025)) << ',' << shortest_text(mixture_quantile(parts, i, 0.975))
          << '\n';
    }
    if (targets) scores.add(score_mixture_predictions(targets->segment(start, n), parts), n);
  }
  output.finish();
  if (X.rows() == 0) return note_no_rows(a.data);
  if (m.hyperparameter_draws.rows() > 0)
    std::fprintf(stderr, "predictions: mixture of %s\n",
                 count_text(static_cast<std::size_t>(m.hyperparameter_draws.rows()), "hyperparameter posterior draw").c_str());
  if (targets) scores.report();
}

// --slice NAME: the points along parameter NAME through the best result, the others held (as
// parameters.svg draws the model's line).
std::vector<bo::Point> slice_through_best(const PredictArgs& a, const bo::Optimizer& opt) {
  const bo::Space& space = opt.space();
  const auto& params = space.parameters();
  const auto p = std::find_if(params.begin(), params.end(), [&](const bo::Parameter& q) { return q.name == a.slice; });
  if (p == params.end() || p->kind == bo::Parameter::Kind::Fixed) {
    std::vector<std::string> names;
    for (const auto& q : params)
      if (q.kind != bo::Parameter::Kind::Fixed) names.push_back(q.name);
    const std::string hint = did_you_mean(a.slice, names);
    throw UsageError("--slice " + a.slice + ": not a parameter of the state's space that varies" +
                     (hint.empty() ? "" : " (did you mean " + hint + "?)"));
  }
  const auto best = opt.best();
  if (!best) throw UsageError(a.state + ": no successful result yet to slice through");
  if (!best->point.count(a.slice))
    throw UsageError("--slice " + a.slice + ": inactive at the best result (it needs " + bo::describe_conditions(*p) + ")");
  return tune::slice_points(space, best->point, *p, 41);
}

// A tuning state's surrogate at points of its space: the noise-free objective's median and 95%
// interval in the objective's units (Optimizer::predict: exact under the output warp), with
// outcome constraints the probability that all of them hold (Optimizer::feasibility), and once
// an evaluation failed the probability that one there succeeds (Optimizer::success_probability).
void run_predict_state(const PredictArgs& a) {
  refuse_overwriting_inputs(a);
  const auto state = tune::load_run_state(a.state);
  const bo::Optimizer& opt = state.optimizer;
  const bo::Space& space = opt.space();
  std::vector<std::string> names;
  for (const auto& p : space.parameters()) names.push_back(p.name);
  const auto& columns = tune::kStatePredictionColumns;
  std::vector<std::string> outputs(columns.begin(), columns.begin() + 3);  // median and the 95% interval
  const bool constrained = !opt.options().constraints.empty();
  if (constrained) outputs.emplace_back(columns[3]);
  // Where evaluations failed (or returned penalty values), where they are likely to: the failure
  // model the suggestions avoid.
  const bool failures = opt.any_failed();
  if (failures) outputs.emplace_back(columns[4]);
  check_output_columns(a.keep, names, outputs);
  const std::string text = a.slice.empty() ? read_csv_file(a.data) : std::string();
  const std::vector<bo::Point> points = a.slice.empty() ? tune::read_points(text, a.data, space) : slice_through_best(a, opt);
  if (opt.surrogate().models().empty()) {
    // The initial design lasts until enough evaluations succeed: with failures, past its size.
    const auto& history = opt.history();
    const auto ok = std::count_if(history.begin(), history.end(), [](const bo::Trial& t) { return t.status == bo::TrialStatus::Ok; });
    throw UsageError(a.state + ": no model yet; the optimizer fits one for its first suggestion after the initial design (" +
                     std::to_string(opt.options().initial_points) + " successful evaluations, fewer where many fail), and this state has " +
                     std::to_string(ok) + " successful of " + std::to_string(opt.evaluations()) + " evaluations and no such suggestion");
  }
  // Each model is fitted once for all the points (the optimizer bounds the memory by predicting
  // a block of rows at a time).
  const auto predictions = opt.predict(points);
  const std::vector<double> p_success = failures ? opt.success_probability(points) : std::vector<double>{};
  std::vector<double> p_feasible;
  try {
    if (constrained) p_feasible = opt.feasibility(points);
  } catch (const std::logic_error& e) {
    throw UsageError(a.state + ": " + e.what());
  }
  Output output(a.out);
  std::ostream& out = output.stream();
  const auto kept = a.keep.empty() ? std::vector<std::vector<std::string>>{} : csv_text_columns(text, a.data, a.keep);
  for (const auto& name : a.keep) out << csv_field(name) << ',';
  for (const auto& name : names) out << csv_field(name) << ',';
  for (std::size_t k = 0; k < outputs.size(); ++k) out << outputs[k] << (k + 1 < outputs.size() ? ',' : '\n');
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!kept.empty())
      for (const auto& field : kept[i]) out << csv_field(field) << ',';
    const bo::Point point = space.complete(points[i]);
    for (const auto& name : names) {
      const auto v = point.find(name);
      out << (v == point.end() ? "" : csv_field(bo::to_string(v->second))) << ',';  // empty: inactive
    }
    const bo::ObjectivePrediction& q = predictions[i];
    out << shortest_text(q.median) << ',' << shortest_text(q.lower95) << ',' << shortest_text(q.upper95);
    if (constrained) out << ',' << shortest_text(p_feasible[i]);
    if (failures) out << ',' << shortest_text(p_success[i]);
    out << '\n';
  }
  output.finish();
  if (points.empty()) note_no_rows(a.data);
}

void setup(CLI::App& app) {
  auto args = std::make_shared<PredictArgs>();
  auto* cmd = app.add_subcommand(
      "predict",
      "Predict with a model saved by `gpbo fit` (CSV of mean, sd and 95% interval), or with a tuning state's model (median and 95% interval of the objective)");
  auto* model = cmd->add_option("--model", args->model, "model file written by gpbo fit")->check(CLI::ExistingFile);
  auto* state = cmd->add_option("--state", args->state,
                                "a tuning state instead (gpbo tune's state.json or an ask/tell state): predicts the noise-free "
                                "objective at points of its space (a column per parameter, as in results.csv); writes the "
                                "parameters, then median, lower95, upper95 in the objective's units, p_feasible (all outcome "
                                "constraints met) when it has some, and p_success (an evaluation there does not fail) once "
                                "one has failed or returned a penalty value")
                    ->check(state_file_validator())
                    ->check(second_check(CLI::ExistingFile))
                    ->excludes(model);
  auto* data = cmd->add_option("--data", args->data, "CSV with the model's input columns, or the state's parameters (by name; other columns are ignored)")
                   ->check(CLI::ExistingFile);
  cmd->add_option("--slice", args->slice,
                  "with --state, instead of --data: the model along this parameter through the best result, the others "
                  "held (41 values of a real, every integer up to 41, every category; in a conditional space the children "
                  "a value switches off are left out, and values that switch on a child the best result lacks are "
                  "skipped), as parameters.svg draws it")
      ->needs(state)
      ->excludes(data);
  cmd->add_option("--out", args->out, "output CSV (default: standard output)")->check(output_file_validator());
  cmd->add_option("--keep", args->keep, "columns to copy to the output first, as they are (e.g. an id), comma-separated")
      ->delimiter(',')
      ->needs(data);
  cmd->add_flag("--latent", args->latent, "predict the noise-free function instead of new noisy observations")->excludes(state);
  cmd->callback([args] {
    if (args->model.empty() && args->state.empty()) throw UsageError("give --model (a gpbo fit model) or --state (a tuning state)");
    if (args->data.empty() && args->slice.empty())
      throw UsageError(args->state.empty() ? "give --data: a CSV of points to predict at"
                                           : "give --data (a CSV of points to predict at) or --slice PARAMETER");
    if (!args->state.empty()) return run_predict_state(*args);
    run_predict(*args);
  });
}

GPBO_COMMAND("predict", setup);

}  // namespace
}  // namespace gpbo::cli
