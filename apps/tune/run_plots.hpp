#pragma once
// The plots of a state: convergence.svg and parameters.svg, as a tuning run writes them into its
// directory after every result and as `gpbo show --plots DIR` writes them for any state.

#include <string>

#include "tune/run_state.hpp"

namespace gpbo::tune {

/// Writes DIR/convergence.svg and DIR/parameters.svg (atomically) for `state`, titled `title`.
void write_plots(const RunState& state, const std::string& dir, const std::string& title);

}  // namespace gpbo::tune
