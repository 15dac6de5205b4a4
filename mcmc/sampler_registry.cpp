#include "mcmc/sampler_registry.hpp"

#include <stdexcept>

#include "mcmc/nuts.hpp"

namespace gpbo::mcmc {

std::vector<std::string> sampler_names() { return {"nuts"}; }

std::unique_ptr<Sampler> make_sampler(const std::string& name) {
  if (name == "nuts") return std::make_unique<Nuts>();
  std::string known;
  for (const auto& n : sampler_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown sampler '" + name + "' (known: " + known + ")");
}

}  // namespace gpbo::mcmc
