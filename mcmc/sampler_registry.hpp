#pragma once
// Samplers by name, for the CLI and for configuration files. Known names: "nuts" (default),
// and whichever of "hmc", "slice", "ess" (elliptical slice), "rwm", "ensemble" are built in.

#include <memory>
#include <string>
#include <vector>

#include "mcmc/sampler.hpp"

namespace gpbo::mcmc {

/// The sampler called `name`; throws std::invalid_argument listing the known names otherwise.
std::unique_ptr<Sampler> make_sampler(const std::string& name);

/// Names accepted by make_sampler, in a fixed order.
std::vector<std::string> sampler_names();

}  // namespace gpbo::mcmc
