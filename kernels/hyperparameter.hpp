#pragma once
// A kernel hyperparameter: a positive quantity theta stored as u = log(theta), with box bounds
// (also in log space) and an optional prior. Priors are defined on theta (as users state them:
// "lengthscale ~ LogNormal(0, 1)") and evaluated on u with the Jacobian log|dtheta/du| = u.

#include <optional>
#include <string>

#include "gpbo/kernels/prior.hpp"

namespace gpbo {

struct Hyperparameter {
  std::string name;              // e.g. "lengthscale[2]", "variance", "k1.period"
  double log_value = 0.0;        // u = log(theta)
  double log_lower = -20.0;      // bounds on u
  double log_upper = 20.0;
  std::optional<Prior> prior;    // on theta; none = flat in u within the bounds
  bool fixed = false;            // kept at log_value by optimizers and samplers
};

}  // namespace gpbo
