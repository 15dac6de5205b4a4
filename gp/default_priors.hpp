#pragma once
// Weakly-informative default priors for a GP's hyperparameters, for fits where the data are thin.
//
// With the data maps on (inputs scaled to the unit cube, targets standardized: GpOptions'
// defaults) one set of priors suits any data set:
// - length scales ~ LogNormal(sqrt(2) + log(D)/2, sqrt(3)), D = number of inputs (Hvarfner et
//   al. 2024, BoTorch's default: median 4.1 at D = 1, 9.2 at D = 5, wide);
// - every other kernel quantity (output scales, variances, periods, alpha) ~ LogNormal(0, 2);
// - a learned noise variance ~ LogNormal(-4, 2); a learned constant mean ~ Normal(0, 2).
// fit() then finds the posterior mode (MAP) instead of the maximum likelihood, and the posterior
// is proper for FullyBayesianGp. They matter where the data are thin: with 40 points and 100
// inputs, maximum likelihood drove the noise to its bound (test NLPD 10.9-45.4 over 3 data sets),
// the MAP fit did not (3.2-5.4); on 150 points and 5 inputs the two differ by 0.5%. `gpbo fit`
// uses them unless --priors none.

#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/kernels/kernel.hpp"

namespace gpbo {

/// The length-scale prior above for D inputs on the unit cube: LogNormal(sqrt(2) + log(D)/2, sqrt(3)).
Prior dimension_scaled_lengthscale_prior(int input_dim);

/// Gives every free hyperparameter of `kernel` and `options` that has no prior the default one
/// above; priors already set are kept. Call before constructing the GaussianProcess (it copies
/// the options). `input_dim` is D.
void set_weak_default_priors(Kernel& kernel, GpOptions& options, int input_dim);

}  // namespace gpbo
