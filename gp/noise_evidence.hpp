#pragma once
// The evidence of a learned noise: log p(y) of a fitted GP whose noise variance is a free
// hyperparameter, integrated over u = log variance by Laplace's method with the other
// hyperparameters at their optimum,
//   log Z ~ g(u*) + log(2 pi)/2 - log(-g''(u*))/2,   g = log likelihood + log priors,
// to weigh it against the same GP with its noise fixed, whose evidence is taken as its MAP
// objective g (the kernel's Occam factors are taken to be alike in both and cancel). Used by the
// objective's surrogate (noise: auto) and by the outcome-constraint models.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

/// The index of "noise_variance" among gp's free hyperparameters, or -1 when its noise is fixed.
Eigen::Index noise_param_index(const GaussianProcess& gp);

/// The Laplace evidence above at gp's current (fitted) hyperparameters; g'' from central
/// differences of the gradient (step 0.01 in u), its magnitude floored at 1e-6. gp must have a
/// learned noise (std::invalid_argument otherwise); throws CholeskyError where the fit cannot
/// be factorized.
double laplace_noise_log_evidence(const GaussianProcess& gp);

/// Whether gp's learned noise sits at its lower bound (within a factor e^0.5): the fit is the
/// fixed-noise model already, and the Laplace evidence (a Gaussian cut at the bound) overstates it.
bool noise_at_lower_bound(const GaussianProcess& gp);

}  // namespace gpbo
