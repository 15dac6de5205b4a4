#pragma once
// convergence.svg: every evaluation's value (dots) and the best value so far (step line) against
// the evaluation number. Plain SVG, no dependencies, readable in any browser.

#include <optional>
#include <string>
#include <vector>

namespace gpbo::tune {

/// values[i] is evaluation i's result, nullopt for a failed one (drawn as a red tick on the axis).
std::string convergence_svg(const std::vector<std::optional<double>>& values, bool minimize,
                            const std::string& title);

}  // namespace gpbo::tune
