#include "gpbo/mcmc/sampler_registry.hpp"

#include <stdexcept>

#include "gpbo/core/text_list.hpp"
#include "gpbo/mcmc/elliptical_slice.hpp"
#include "gpbo/mcmc/ensemble.hpp"
#include "gpbo/mcmc/hmc.hpp"
#include "gpbo/mcmc/nuts.hpp"
#include "gpbo/mcmc/random_walk.hpp"
#include "gpbo/mcmc/slice.hpp"

namespace gpbo::mcmc {

std::vector<std::string> sampler_names() { return {"nuts", "hmc", "slice", "ess", "rwm", "ensemble"}; }

std::unique_ptr<Sampler> make_sampler(const std::string& name) {
  if (name == "nuts") return std::make_unique<Nuts>();
  if (name == "hmc") return std::make_unique<StaticHmc>();
  if (name == "slice") return std::make_unique<SliceSampler>();
  if (name == "ess") return std::make_unique<EllipticalSliceSampler>();
  if (name == "rwm") return std::make_unique<RandomWalkMetropolis>();
  if (name == "ensemble") return std::make_unique<EnsembleSampler>();
  throw std::invalid_argument("unknown sampler '" + name + "' (known: " + join_text(sampler_names()) + ")");
}

}  // namespace gpbo::mcmc
