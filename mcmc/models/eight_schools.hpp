#pragma once
// The hierarchical "eight schools" model, non-centered: mu ~ normal(0, 5), tau ~ half-Cauchy(0, 5),
// theta_raw_j ~ normal(0, 1), theta_j = mu + tau * theta_raw_j, y_j ~ normal(theta_j, sigma_j).
// Data: a CSV with columns y (estimated effect) and sigma (its standard error, > 0).
// Unconstrained: mu, log_tau, theta_raw.1..J (tau = exp(log_tau), log-Jacobian log_tau).
// Reported: mu, tau, theta_raw.1..J, theta.1..J (Stan's order: parameters, then transformed).

#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::models {

class EightSchools : public LogDensity {
 public:
  EightSchools(Eigen::VectorXd y, Eigen::VectorXd sigma);
  /// From a table with exactly the columns y and sigma.
  static EightSchools from_csv(const CsvTable& table);

  [[nodiscard]] int dimension() const override { return static_cast<int>(y_.size()) + 2; }
  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] std::vector<std::string> output_names() const override;
  void outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const override;
  [[nodiscard]] std::string name() const override { return "eight_schools"; }

 private:
  Eigen::VectorXd y_, inv_var_;
};

}  // namespace gpbo::mcmc::models
