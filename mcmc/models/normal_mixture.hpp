#pragma once
// Two-component Gaussian mixture with ordered means (the ordering removes label switching):
// y_n ~ w normal(mu_1, sigma_1) + (1 - w) normal(mu_2, sigma_2), mu_1 < mu_2,
// w ~ beta(2, 2), mu_k ~ normal(0, 5), sigma_k ~ lognormal(0, 1).
// Data: a CSV with exactly one column y.
// Unconstrained: logit_w, mu.1, log_mu_gap (mu_2 = mu_1 + exp(log_mu_gap)), log_sigma.1,
// log_sigma.2, each with its log-Jacobian. Reported: w, mu.1, mu.2, sigma.1, sigma.2.

#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::models {

class NormalMixture : public LogDensity {
 public:
  explicit NormalMixture(Eigen::VectorXd y);
  static NormalMixture from_csv(const CsvTable& table);

  [[nodiscard]] int dimension() const override { return 5; }
  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] std::vector<std::string> output_names() const override;
  void outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const override;
  [[nodiscard]] std::string name() const override { return "mixture"; }

 private:
  Eigen::ArrayXd y_;
};

}  // namespace gpbo::mcmc::models
