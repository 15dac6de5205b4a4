#pragma once
// trace.svg of `gpbo sample --trace-plot`: each chain's draws of lp__ and the first parameters
// against the iteration, one panel each, the chains in their own colours: chains that mix
// overlap as one band; one that sticks or wanders stands out (what Stan users read in
// bayesplot's mcmc_trace).

#include <string>

#include "gpbo/mcmc/chains.hpp"

namespace gpbo::cli {

/// Panels of lp__ and of the first `max_panels - 1` output columns (the title says how many are
/// left out), two to a row; at most 500 points drawn per chain and panel (every k-th draw).
std::string trace_svg(const mcmc::MultiChainResult& run, const std::string& title, std::size_t max_panels = 12);

}  // namespace gpbo::cli
