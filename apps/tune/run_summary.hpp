#pragma once
// How a run's results read for people: short values, one-line points, and the answers (best
// observation, and for noisy objectives the model's pick) that `gpbo tune` prints at the end
// and `gpbo show` prints for any state.

#include <optional>
#include <string>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "tune/run_state.hpp"

namespace gpbo::tune {

/// A value for people: reals with 6 significant digits (results.csv keeps full precision).
std::string short_value(const bo::Value& v);
std::string short_number(double v);
/// "lr=0.3, layers=4": the point's values in the space's order.
std::string describe(const bo::Point& p, const bo::Space& space);

/// Evaluations that failed (told as failures, or non-finite values).
std::size_t failed_evaluations(const RunState& state);
/// "3 failed", and with outcome constraints ", 12 infeasible" (results that broke one).
std::string failure_counts(const RunState& state);

/// "memory_mb=420, accuracy=0.93": a result's outcome-constraint values ("" without constraints).
std::string describe_constraint_values(const std::vector<bo::OutcomeConstraint>& constraints, const std::vector<double>& values);
/// "memory_mb <= 512, 0.9 <= accuracy": the constraints that `values` break ("" when none).
std::string broken_constraints(const std::vector<bo::OutcomeConstraint>& constraints, const std::vector<double>& values);
/// What a summary says instead of a best result: "no successful evaluation yet", or with
/// outcome constraints and successes "no result met the constraints yet (memory_mb <= 512)".
std::string no_best_yet(const RunState& state);

/// One answer of a run: a headline ("best value 0.398 at evaluation 12"), its point and, with
/// outcome constraints, its constraint values (describe_constraint_values).
struct RunAnswer {
  std::string headline;
  bo::Point point;
  std::string constraint_values;
};

/// With a noisy objective (noise not "none"), the trial with the best posterior mean when it is
/// not the best observation and was observed at another value; nothing otherwise.
std::optional<bo::Trial> recommended_trial(const RunState& state);

/// The best observation, then recommended_trial() if any; with outcome constraints, only results
/// that meet them all. Empty before any such result.
std::vector<RunAnswer> run_answers(const RunState& state);

/// Whether the value told for `id` is flagged as an outlier (Optimizer::outliers).
bool flagged_outlier(const bo::Optimizer& optimizer, std::uint64_t id);
/// "outliers: 2 values flagged, each given its own noise (evaluations 5, 9)" with outliers:
/// detect and flagged values (Optimizer::outliers); "" otherwise.
std::string describe_outliers(const bo::Optimizer& optimizer);

/// Prints an answer: the headline, then one "  name  value" line per parameter (in the space's
/// order), then the constraint values if any.
void print_answer(const RunAnswer& answer, const bo::Space& space);

/// The model's Sobol' indices (Optimizer::importance), most important first (by total index);
/// empty before the first model or when only one parameter varies.
std::vector<bo::ParameterImportance> ranked_importance(const bo::Optimizer& optimizer);
/// Prints them under a heading, a "  name  first-order  total" line each (nothing when empty;
/// one line saying so when no parameter moves the model's values). `over_box`: the space has
/// linear constraints, which the indices ignore (they are defined for independent inputs, so
/// they are taken over the whole box): the heading says so.
void print_importance(const std::vector<bo::ParameterImportance>& importance, bool over_box = false);
/// "lr 0.84/0.88, layers 0.08/0.12" (first-order/total), for the log.
std::string describe(const std::vector<bo::ParameterImportance>& importance);

}  // namespace gpbo::tune
