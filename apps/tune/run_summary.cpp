#include "tune/run_summary.hpp"

#include <algorithm>
#include <cstdio>

#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"

namespace gpbo::tune {

std::string short_value(const bo::Value& v) {
  if (const double* d = std::get_if<double>(&v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", *d == 0.0 ? 0.0 : *d);  // -0 as "0": for people, a zero is a zero
    return buf;
  }
  // A long text (a fixed parameter holding a prompt or a file's content) would fill every eval
  // line; results.csv and state.json keep it whole.
  constexpr std::size_t kShown = 40;
  std::string text = bo::to_string(v);
  if (text.size() <= kShown + 20) return text;
  std::size_t cut = kShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return text.substr(0, cut) + "... (" + std::to_string(text.size()) + " bytes)";
}

std::string short_number(double v) { return short_value(bo::Value(v)); }

std::string describe(const bo::Point& p, const bo::Space& space) {
  std::vector<std::string> parts;
  for (const auto& param : space.parameters())
    if (const auto it = p.find(param.name); it != p.end()) parts.push_back(param.name + "=" + short_value(it->second));
  return join_text(parts);
}

namespace {
// A result value as the summary prints it (10 significant digits).
std::string result_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v == 0.0 ? 0.0 : v);  // not "-0"; results.csv keeps the sign
  return buf;
}
}  // namespace

std::size_t failed_evaluations(const RunState& state) {
  std::size_t failed = 0;
  for (const auto& t : state.optimizer.history()) failed += t.status == bo::TrialStatus::Failed;
  return failed;
}

std::string failure_counts(const RunState& state) {
  std::string out = std::to_string(failed_evaluations(state)) + " failed";
  const auto& opt = state.optimizer;
  if (opt.options().constraints.empty()) return out;
  std::size_t infeasible = 0;
  for (const auto& t : opt.history()) infeasible += t.status == bo::TrialStatus::Ok && !opt.feasible(t);
  return out + ", " + std::to_string(infeasible) + " infeasible";
}

std::string describe_constraint_values(const std::vector<bo::OutcomeConstraint>& constraints, const std::vector<double>& values) {
  const std::size_t n = std::min(constraints.size(), values.size());
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < n; ++k) parts.push_back(constraints[k].name + "=" + short_number(values[k]));
  return join_text(parts);
}

std::string broken_constraints(const std::vector<bo::OutcomeConstraint>& constraints, const std::vector<double>& values) {
  std::vector<std::string> broken;
  for (std::size_t k = 0; k < constraints.size() && k < values.size(); ++k)
    if (!constraints[k].satisfied(values[k])) broken.push_back(constraints[k].describe());
  return join_text(broken);
}

std::string no_best_yet(const RunState& state) {
  const auto& opt = state.optimizer;
  const auto& history = opt.history();
  const bool any_ok = std::any_of(history.begin(), history.end(), [](const bo::Trial& t) { return t.status == bo::TrialStatus::Ok; });
  if (!any_ok || opt.options().constraints.empty()) return "no successful evaluation yet";
  return "no result met the constraints yet (" +
         join_text(opt.options().constraints, [](const bo::OutcomeConstraint& c) { return c.describe(); }) + ")";
}

std::optional<bo::Trial> recommended_trial(const RunState& state) {
  // With a noisy objective the best observation is partly luck; the model's pick may differ. A
  // pick observed at the best value itself (ties of a rounded score) adds nothing.
  // Flagged outliers (outliers: detect) make the model's pick worth showing even without noise.
  // Values told with their noise sd are noisy whatever the noise setting ("none" adds no noise
  // of its own to theirs).
  const auto best = state.optimizer.best();
  if (!best || (!values_noisy(state) && state.optimizer.options().surrogate.outliers == bo::OutlierMode::Off)) return std::nullopt;
  auto pick = state.optimizer.recommend();
  if (!pick || pick->id == best->id || pick->value == best->value) return std::nullopt;
  return pick;
}

// A trial's value as the summary shows it, with its noise sd when one was told ("0.27 +- 0.026").
std::string observed(const bo::Trial& t) {
  return result_number(t.value) + (t.noise_sd > 0 ? " +- " + short_number(t.noise_sd) : "");
}

std::vector<RunAnswer> run_answers(const RunState& state) {
  std::vector<RunAnswer> answers;
  const auto best = state.optimizer.best();
  if (!best) return answers;
  const auto& constraints = state.optimizer.options().constraints;
  answers.push_back({"best value " + observed(*best) + " at evaluation " + std::to_string(best->id) +
                         (flagged_outlier(state.optimizer, best->id) ? " (flagged an outlier)" : ""),
                     best->point, describe_constraint_values(constraints, best->constraint_values)});
  if (const auto pick = recommended_trial(state))
    answers.push_back({"recommended (best posterior mean): evaluation " + std::to_string(pick->id) +
                           ", observed value " + observed(*pick),
                       pick->point, describe_constraint_values(constraints, pick->constraint_values)});
  return answers;
}

bool flagged_outlier(const bo::Optimizer& optimizer, std::uint64_t id) {
  const auto ids = optimizer.outliers();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string describe_outliers(const bo::Optimizer& optimizer) {
  const auto ids = optimizer.outliers();
  if (ids.empty()) return "";
  const std::string list = join_text(ids, [](std::uint64_t id) { return std::to_string(id); });
  return "outliers: " + count_text(ids.size(), "value") + " flagged, each given its own noise (" +
         noun_for(ids.size(), "evaluation") + " " + list + ")";
}

void print_answer(const RunAnswer& answer, const bo::Space& space) {
  std::printf("%s\n", answer.headline.c_str());
  for (const auto& param : space.parameters())
    if (const auto it = answer.point.find(param.name); it != answer.point.end())
      std::printf("  %-16s %s\n", param.name.c_str(), short_value(it->second).c_str());
  if (!answer.constraint_values.empty()) std::printf("  constraints: %s (all met)\n", answer.constraint_values.c_str());
}

std::vector<bo::ParameterImportance> ranked_importance(const bo::Optimizer& optimizer) {
  if (optimizer.surrogate().models().empty()) return {};
  std::vector<bo::ParameterImportance> importance;
  try {
    importance = optimizer.importance();
  } catch (const PredictionOverflow&) {  // a broken model has none to show; the run's end stays
    return {};
  }
  if (importance.size() < 2) return {};
  std::stable_sort(importance.begin(), importance.end(), [](const auto& a, const auto& b) { return a.total > b.total; });
  return importance;
}

void print_importance(const std::vector<bo::ParameterImportance>& importance, bool over_box) {
  if (importance.empty()) return;
  if (std::all_of(importance.begin(), importance.end(), [](const auto& p) { return p.total == 0.0; })) {
    std::printf("parameter importance: none (the model's values do not vary: every value observed was alike)\n");
    return;
  }
  std::printf("parameter importance (share of the model's variance%s: alone, with interactions)\n",
              over_box ? " over the whole box, the linear constraints ignored" : "");
  for (const auto& p : importance) std::printf("  %-16s %.2f  %.2f\n", p.name.c_str(), p.first_order, p.total);
}

std::string describe(const std::vector<bo::ParameterImportance>& importance) {
  return join_text(importance, [](const bo::ParameterImportance& p) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.2f/%.2f", p.first_order, p.total);
    return p.name + buf;
  });
}

}  // namespace gpbo::tune
