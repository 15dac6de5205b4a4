#pragma once
// parameters.svg: one panel per parameter, each successful evaluation's value against that
// parameter's value (Optuna's plot_slice), so that a glance shows where each parameter's good
// values lie and how the search moved (dots darken with the evaluation number). Log-scale
// parameters get a log axis, categories a slot each; an evaluation where a conditional
// parameter was inactive is left out of its panel. Results that break an outcome constraint
// are orange rings; the best result is circled in red. Positive values spanning more than two
// decades get a log value axis. Given the model's slices through the best result
// (model_slice.hpp), each panel also draws its median as a line in a band of its 95% interval
// (an error bar per category).

#include <string>
#include <vector>

#include "gpbo/bayesopt/space.hpp"
#include "tune/model_slice.hpp"

namespace gpbo::tune {

/// One successful evaluation as the plot draws it.
struct PlottedResult {
  bo::Point point;
  double value = 0.0;
  bool feasible = true;  // meets every outcome constraint
  bool best = false;     // the run's best result
};

/// The panels of every parameter of `space` that is not fixed, in the space's order, three to
/// a row; `results` in evaluation order.
std::string parameters_svg(const bo::Space& space, const std::vector<PlottedResult>& results, bool minimize,
                           const std::string& title, const std::vector<ModelSlice>& slices = {});

}  // namespace gpbo::tune
