#include "tune/run_plots.hpp"

#include <optional>
#include <vector>

#include "gpbo/core/durable_file.hpp"
#include "tune/convergence_plot.hpp"
#include "tune/model_slice.hpp"
#include "tune/parameter_plot.hpp"

namespace gpbo::tune {

void write_plots(const RunState& state, const std::string& dir, const std::string& title) {
  const bo::Optimizer& opt = state.optimizer;
  const bool minimize = opt.options().goal == bo::Goal::Minimize;
  std::vector<std::optional<double>> values;
  std::vector<bool> infeasible;
  std::vector<std::uint64_t> ids;
  for (const auto& t : opt.history())
    if (t.status == bo::TrialStatus::Ok || t.status == bo::TrialStatus::Failed) {
      ids.push_back(t.id);
      values.push_back(t.status == bo::TrialStatus::Ok ? std::optional(t.value) : std::nullopt);
      infeasible.push_back(t.status == bo::TrialStatus::Ok && !opt.feasible(t));
    }
  write_file_atomically(dir + "/convergence.svg", convergence_svg(values, minimize, title, infeasible, ids));
  const auto best = opt.best();
  std::vector<PlottedResult> results;
  for (const auto& t : opt.history())
    if (t.status == bo::TrialStatus::Ok) results.push_back({t.point, t.value, opt.feasible(t), best && best->id == t.id});
  std::vector<ModelSlice> slices;
  try {
    if (best) slices = model_slices(opt, best->point);
  } catch (const std::exception&) {
    // the plot goes without the model's lines; the run and its results do not depend on them
  }
  write_file_atomically(dir + "/parameters.svg", parameters_svg(opt.space(), results, minimize, title, slices));
}

}  // namespace gpbo::tune
