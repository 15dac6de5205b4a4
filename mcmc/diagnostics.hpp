#pragma once
// Convergence and efficiency diagnostics of MCMC draws, following the definitions of R's
// `posterior` package (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization,
// folding, and localization"): rank-normalized split R-hat (max of bulk and folded/tail), bulk and
// tail effective sample sizes (Geyer's initial monotone sequence on FFT autocovariances), the
// Monte Carlo standard errors of the mean, the sd and quantiles, quantiles (R's type 7), and
// sampler health checks (divergences, tree-depth saturation, E-BFMI).
//
// Draws of one scalar quantity are a matrix with one column per chain and one row per kept
// iteration. Functions return NaN where posterior returns NA (constant or non-finite draws,
// fewer than 3 iterations).

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <vector>

namespace gpbo::mcmc {

struct MultiChainResult;

/// Splits every chain into its first and second half (the middle draw of an odd-length chain is
/// dropped): iterations x chains -> floor(iterations/2) x (2 * chains).
Eigen::MatrixXd split_chains(const Eigen::MatrixXd& draws);
/// The 1-based rank of every draw among all draws (S of them, every chain pooled), ties given
/// their average rank. Draws must not be NaN.
Eigen::MatrixXd pooled_ranks(const Eigen::MatrixXd& draws);
/// Rank-normalizes all draws jointly: qnorm((rank - 3/8) / (S + 1/4)), average ranks for ties.
Eigen::MatrixXd z_scale(const Eigen::MatrixXd& draws);
/// The rank plot's counts (Vehtari et al. 2021, section 4.3; ArviZ's plot_rank): pooled_ranks
/// cut into `bins` equal ranges of [1, S], each chain's draws counted per range (bins x chains).
/// Chains that sample the same distribution spread evenly, about iterations / bins a bin; a chain
/// that is shifted, or sticks, piles up at one end or in a few bins. Throws
/// std::invalid_argument for bins < 1 or a NaN draw.
Eigen::MatrixXi rank_histogram(const Eigen::MatrixXd& draws, int bins);
/// |x - median(x)| over all draws.
Eigen::MatrixXd fold(const Eigen::MatrixXd& draws);
/// Biased autocovariance estimate (divisor n) at lags 0..n-1.
Eigen::VectorXd autocovariance(const Eigen::VectorXd& x);

/// Classic R-hat of the given chains (no splitting or ranking).
double rhat_basic(const Eigen::MatrixXd& draws);
/// ESS of the given chains as they are (no splitting or ranking): posterior's internal .ess.
double ess_basic(const Eigen::MatrixXd& draws);

/// max(bulk R-hat, tail R-hat), both rank-normalized and split. posterior::rhat. Unlike
/// posterior (NA), the bulk R-hat alone where the tail one is undefined: folded draws that are
/// all equal, as a two-valued quantity symmetric about its median gives.
double rhat(const Eigen::MatrixXd& draws);
/// Rank-normalized split ESS. posterior::ess_bulk.
double ess_bulk(const Eigen::MatrixXd& draws);
/// min of the ESS of the 5% and 95% quantile indicators. posterior::ess_tail.
double ess_tail(const Eigen::MatrixXd& draws);
/// Split ESS of the raw draws. posterior::ess_mean.
double ess_mean(const Eigen::MatrixXd& draws);
/// sd / sqrt(ess_mean). posterior::mcse_mean.
double mcse_mean(const Eigen::MatrixXd& draws);
/// ESS of the indicator draws <= quantile(draws, prob), split: posterior::ess_quantile. A prob
/// of 1 is taken as (S - 1/2) / S, as posterior does. Throws std::invalid_argument for a prob
/// outside [0, 1].
double ess_quantile(const Eigen::MatrixXd& draws, double prob);
/// Monte Carlo standard error of the prob-quantile: half the distance between the order
/// statistics at the 15.9% and 84.1% quantiles of Beta(ess q + 1, ess (1 - q) + 1), an interval
/// of +-1 sd that needs no density estimate. posterior::mcse_quantile.
double mcse_quantile(const Eigen::MatrixXd& draws, double prob);
/// Monte Carlo standard error of the sd by the delta method, with the ESS of the squared centred
/// draws: posterior 1.4's mcse_sd (Debian 12's; posterior 1.5 changed the estimator).
double mcse_sd(const Eigen::MatrixXd& draws);
/// Mean of all draws, finite for any finite draws (the sum of 4000 draws near 5e306 is not).
double mean(const Eigen::MatrixXd& draws);
/// Sample standard deviation of all draws (n - 1 denominator), finite for any finite draws; NaN
/// for fewer than two.
double sd(const Eigen::MatrixXd& draws);
/// Median absolute deviation from the median, scaled by 1.4826 to estimate a normal's sd (R's
/// mad, what stansummary's MAD column shows); NaN when any draw is NaN.
double mad(const Eigen::MatrixXd& draws);
/// Sample quantile of all draws, R's type 7 (linear interpolation of order statistics); NaN when
/// any draw is NaN. Throws std::invalid_argument for a prob outside [0, 1].
double quantile(const Eigen::MatrixXd& draws, double prob);

/// Energy Bayesian fraction of missing information of one chain: mean squared successive
/// difference of energy__ over its variance. Values below 0.3 indicate poor exploration.
double ebfmi(const Eigen::VectorXd& energy);

/// Sampler health over all chains of a run (NaN / 0 entries when the sampler has no such
/// diagnostic).
struct SamplerHealth {
  long long divergences = 0;          ///< sampling iterations that diverged, thinned away or kept
  long long treedepth_saturated = 0;  ///< sampling iterations that hit max_treedepth
  long long iterations = 0;           ///< sampling iterations over all chains
  long long kept_divergences = 0;     ///< divergences among the kept draws (what a CSV shows)
  long long kept_iterations = 0;      ///< kept draws over all chains (= iterations when thin is 1)
  bool hamiltonian = false;           ///< the chains report divergent__ / treedepth__ (HMC family)
  std::vector<double> ebfmi;          ///< per chain, of every sampling iteration (empty without energy__)
  int stuck_chains = 0;               ///< chains with >= 2 kept draws, all at the same unconstrained point
  long long nonfinite_gradients = 0;  ///< gradient calls with a finite value but a non-finite gradient
  int first_nonfinite_gradient_chain = -1;  ///< 0-based chain of the first of them
  Eigen::VectorXd first_nonfinite_gradient; ///< its unconstrained point
};

/// Health checks of a run; `max_treedepth` is the option the chains ran with.
SamplerHealth sampler_health(const MultiChainResult& run, int max_treedepth);

}  // namespace gpbo::mcmc
