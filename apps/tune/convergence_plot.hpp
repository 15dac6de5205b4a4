#pragma once
// convergence.svg: every evaluation's value (dots) and the best value so far (step line) against
// the evaluation's id; with outcome constraints, results that break one are hollow orange
// rings, outside the best-so-far line. Plain SVG, no dependencies, readable in any browser.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpbo::tune {

/// values[i] is evaluation i's result, nullopt for a failed one (drawn as a red tick on the axis);
/// infeasible[i] (when given) says that the result breaks an outcome constraint; ids[i] (when
/// given) is its id, the x position (otherwise i: ids 0, 1, 2, ...).
std::string convergence_svg(const std::vector<std::optional<double>>& values, bool minimize,
                            const std::string& title, const std::vector<bool>& infeasible = {},
                            const std::vector<std::uint64_t>& ids = {});

}  // namespace gpbo::tune
