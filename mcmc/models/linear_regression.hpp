#pragma once
// Bayesian linear regression: y_n ~ normal(alpha + x_n' beta, sigma), with weakly informative
// priors alpha ~ normal(0, prior_scale), beta_k ~ normal(0, prior_scale),
// sigma ~ half-normal(0, sigma_scale) (defaults 10 and 10: put y and x on roughly unit scale or
// pass other scales). Data: a CSV with column y and any number of predictor columns (none: y ~
// normal(alpha, sigma), a mean and an sd).
// Unconstrained: alpha, beta.1..K, log_sigma. Reported: alpha, beta.1..K, sigma.

#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::models {

class LinearRegression : public LogDensity {
 public:
  LinearRegression(Eigen::MatrixXd X, Eigen::VectorXd y, double prior_scale = 10.0, double sigma_scale = 10.0);
  static LinearRegression from_csv(const CsvTable& table);

  [[nodiscard]] int dimension() const override { return static_cast<int>(X_.cols()) + 2; }
  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  /// The data columns beta.1, beta.2, ... belong to, in order (from_csv; empty otherwise).
  [[nodiscard]] const std::vector<std::string>& predictor_names() const { return predictors_; }
  [[nodiscard]] std::vector<std::string> output_names() const override;
  void outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const override;
  [[nodiscard]] std::string name() const override { return "linear"; }

 private:
  Eigen::MatrixXd X_;
  Eigen::VectorXd y_;
  std::vector<std::string> predictors_;
  double prior_precision_, sigma_precision_;
};

}  // namespace gpbo::mcmc::models
