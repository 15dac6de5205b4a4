#pragma once
// Samplers by name, for the CLI and for configuration files: "nuts" (default), "hmc" (static
// HMC), "slice" (coordinate-wise stepping-out), "ess" (elliptical slice), "rwm" (adaptive
// random-walk Metropolis), "ensemble" (affine-invariant stretch move).

#include <memory>
#include <string>
#include <vector>

#include "gpbo/mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// The sampler called `name`; throws std::invalid_argument listing the known names otherwise.
std::unique_ptr<Sampler> make_sampler(const std::string& name);

/// Names accepted by make_sampler, in a fixed order.
std::vector<std::string> sampler_names();

}  // namespace gpbo::mcmc
