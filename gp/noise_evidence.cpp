#include "gpbo/gp/noise_evidence.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace gpbo {

Eigen::Index noise_param_index(const GaussianProcess& gp) {
  const std::vector<std::string> names = gp.param_names();
  const auto at = std::find(names.begin(), names.end(), "noise_variance");
  return at == names.end() ? -1 : static_cast<Eigen::Index>(at - names.begin());
}

double laplace_noise_log_evidence(const GaussianProcess& gp) {
  const Eigen::Index k = noise_param_index(gp);
  if (k < 0) throw std::invalid_argument("laplace_noise_log_evidence: the GP's noise is not a free hyperparameter");
  const Eigen::VectorXd p = gp.params();
  const double delta = 1e-2;
  const auto slope = [&](double u) {
    Eigen::VectorXd q = p, gradient;
    q(k) = u;
    (void)gp.log_posterior_and_gradient(q, &gradient);
    return gradient(k);
  };
  const double curvature = std::max(1e-6, (slope(p(k) - delta) - slope(p(k) + delta)) / (2.0 * delta));
  return gp.log_posterior_and_gradient(p, nullptr) + 0.5 * std::log(2.0 * std::numbers::pi) - 0.5 * std::log(curvature);
}

bool noise_at_lower_bound(const GaussianProcess& gp) {
  const Eigen::Index k = noise_param_index(gp);
  return k >= 0 && gp.params()(k) <= gp.params_lower()(k) + 0.5;
}

}  // namespace gpbo
