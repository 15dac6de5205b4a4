#pragma once
// trace.svg of `gpbo sample --trace-plot`: a row each for lp__ and the first parameters, the
// chains in their own colours. Left, the draws against the iteration: chains that mix overlap
// as one band; one that sticks or wanders stands out (bayesplot's mcmc_trace). Right, the rank
// plot (Vehtari et al. 2021; bayesplot's mcmc_rank_overlay, ArviZ's plot_rank): each chain's
// histogram of its draws' ranks among all draws, flat when the chains sample one distribution,
// so a chain that is shifted or mixes slowly shows where a trace plot of many draws hides it.

#include <string>

#include "gpbo/mcmc/chains.hpp"

namespace gpbo::cli {

/// Rows for lp__ and the first `max_panels - 1` output columns (the title says how many are left
/// out); at most 500 points drawn per chain in a trace (every k-th draw); up to 20 rank bins
/// (iterations / 10) with the 99% band of a bin's count, Binomial(iterations, 1 / bins).
std::string trace_svg(const mcmc::MultiChainResult& run, const std::string& title, std::size_t max_panels = 12);

}  // namespace gpbo::cli
