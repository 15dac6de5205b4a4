#pragma once
// Noisy expected improvement (Letham, Karrer, Ottoni and Bakshy 2019, "Constrained Bayesian
// optimization with noisy experiments"). With noisy observations the best observed value is a
// lucky draw, and plain EI measured against it under-explores; NEI instead averages EI over the
// joint posterior of the latent objective f at the evaluated points X:
//
//   NEI(x) = E_{f(X) ~ posterior} [ EI(x | GP conditioned on f(X) without noise, best = min f(X)) ]
//
// estimated with a fixed set of draws f_1..f_S (fixed for one acquisition search, so the surface
// being maximized is deterministic and smooth). Each draw gives a noise-free "fantasy" model and
// its incumbent; AcquisitionEvaluator's log-mean-exp over models then gives log NEI and its
// gradient. Every fantasy has the same posterior variance; only the means differ, so they are
// held as one model and the matrix of draws (bayesopt/shared_covariance.hpp) and a candidate
// costs about one prediction, not one per draw.

#include <vector>

#include "gpbo/bayesopt/shared_covariance.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo::bo {

/// Noise variance (modeled units) of the fantasy models, and the level below which a model is
/// taken to be noise-free already.
inline constexpr double kFantasyNoiseVariance = 1e-6;

/// Noise-free models, one per posterior draw at the training inputs, and each one's incumbent.
struct NoisyEiFantasies {
  SharedCovarianceModels models;  // one member per draw; targets() are the draws
  std::vector<double> best;       // min over the training inputs of each draw (user units of the model)
};

/// `samples` (>= 1) joint posterior draws f_s of the latent objective at model.X(): members of a
/// copy of `model` (same kernel, mean and maps) with noise kFantasyNoiseVariance, conditioned on
/// f_s. A model whose noise is at most that is its own single fantasy, with the smallest
/// posterior mean at X as incumbent: NEI is EI there. Needs a model with data.
/// `incumbent_rows`, if not empty, says which rows of model.X() may be the incumbent (those that
/// met the outcome constraints; at least one): the minima are taken over them only.
NoisyEiFantasies noisy_ei_fantasies(const GaussianProcess& model, int samples, Rng& rng,
                                    const std::vector<bool>& incumbent_rows = {});

}  // namespace gpbo::bo
