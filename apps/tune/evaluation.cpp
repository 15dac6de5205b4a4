#include "tune/evaluation.hpp"

#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "gpbo/core/random.hpp"
#include "tune/run_summary.hpp"

namespace gpbo::tune {

CommandOutcome evaluate(const TuneConfig& config, std::uint64_t id, int worker, const bo::Point& point) {
  if (config.objective.command) {
    std::map<std::string, std::string> values;
    for (const auto& [name, value] : point) values[name] = bo::to_string(value);
    values["id"] = std::to_string(id);
    std::set<std::string> inactive;  // conditional parameters without a value at this point
    for (const auto& p : config.space.parameters())
      if (!point.count(p.name)) inactive.insert(p.name);
    CommandSpec spec = *config.objective.command;
    spec.env["GPBO_EVAL_ID"] = std::to_string(id);
    spec.env["GPBO_WORKER"] = std::to_string(worker);
    return run_command(spec, values, bo::point_to_json(point, config.space).dump(), inactive);
  }
  const auto start = std::chrono::steady_clock::now();
  const auto f = bo::test_function(config.objective.builtin);
  const Eigen::VectorXd x = f.vector_of(point);
  double value = f(x);
  if (config.objective.noise_sd > 0) {
    auto rng = make_rng(config.seed, 0x6e6f697365ULL + id);  // the same noise for the same id
    value += config.objective.noise_sd * standard_normal(rng);
  }
  CommandOutcome out;
  out.status = CommandOutcome::Status::Ok;
  out.value = value;
  if (config.objective.report_sd) out.sd = config.objective.noise_sd;
  if (f.constraint_values) out.constraint_values = f.constraint_values(x);
  for (std::size_t k = 0; k < out.constraint_values.size(); ++k)
    if (!std::isfinite(out.constraint_values[k])) {  // tension_spring's shear stress where x0 = x1
      out.status = CommandOutcome::Status::Failed;
      out.reason = "constraint '" + f.constraints[k].name + "' is undefined here (" + short_number(out.constraint_values[k]) + ")";
      out.value.reset();
      out.constraint_values.clear();
      break;
    }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace gpbo::tune
