#pragma once
// Bayesian logistic regression: y_n ~ bernoulli_logit(alpha + x_n' beta), alpha ~ normal(0, 2.5),
// beta_k ~ normal(0, 2.5) (the shared "logistic" case). Data: a CSV with a 0/1 column `y` and one
// or more predictor columns (any names, in file order). Parameters: alpha, beta.1 ... beta.K
// (unconstrained = reported).

#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::models {

class LogisticRegression : public LogDensity {
 public:
  /// X: N x K predictors (K = 0: an intercept alone); y: N labels in {0, 1}; prior_scale: sd of the
/// normal priors.
  LogisticRegression(Eigen::MatrixXd X, Eigen::VectorXd y, double prior_scale = 2.5);
  /// From a table with column y plus predictors; errors name the table's source.
  static LogisticRegression from_csv(const CsvTable& table);

  [[nodiscard]] int dimension() const override { return static_cast<int>(X_.cols()) + 1; }
  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  /// The data columns beta.1, beta.2, ... belong to, in order (from_csv; empty otherwise).
  [[nodiscard]] const std::vector<std::string>& predictor_names() const { return predictors_; }
  [[nodiscard]] std::string name() const override { return "logistic"; }

 private:
  Eigen::MatrixXd X_;
  Eigen::VectorXd y_;
  std::vector<std::string> predictors_;
  double prior_precision_;
};

}  // namespace gpbo::mcmc::models
