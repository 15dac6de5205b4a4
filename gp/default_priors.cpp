#include "gpbo/gp/default_priors.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace gpbo {

Prior dimension_scaled_lengthscale_prior(int input_dim) {
  if (input_dim < 1) throw std::invalid_argument("dimension_scaled_lengthscale_prior: input_dim must be >= 1");
  return Prior::log_normal(std::sqrt(2.0) + 0.5 * std::log(static_cast<double>(input_dim)), std::sqrt(3.0));
}

void set_weak_default_priors(Kernel& kernel, GpOptions& options, int input_dim) {
  if (input_dim < 1) throw std::invalid_argument("set_weak_default_priors: input_dim must be >= 1");
  const Prior lengthscale = dimension_scaled_lengthscale_prior(input_dim);
  for (const auto& h : kernel.hyperparameters()) {
    if (h.prior || h.fixed) continue;
    const bool is_lengthscale = h.name.rfind("lengthscale") != std::string::npos;
    kernel.set_prior(h.name, is_lengthscale ? lengthscale : Prior::log_normal(0.0, 2.0));
  }
  if (options.noise.learn && !options.noise.prior) options.noise.prior = Prior::log_normal(-4.0, 2.0);
  if (options.mean.kind == MeanOptions::Kind::Constant && options.mean.learn && !options.mean.prior_sd)
    options.mean.prior_sd = 2.0;
}

}  // namespace gpbo
