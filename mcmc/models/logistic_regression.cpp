#include "gpbo/mcmc/models/logistic_regression.hpp"

#include <cmath>
#include <stdexcept>

#include "gpbo/mcmc/models/data_checks.hpp"
#include "gpbo/mcmc/models/log_product.hpp"

namespace gpbo::mcmc::models {

LogisticRegression::LogisticRegression(Eigen::MatrixXd X, Eigen::VectorXd y, double prior_scale)
    : X_(std::move(X)), y_(std::move(y)), prior_precision_(1.0 / (prior_scale * prior_scale)) {
  if (X_.rows() != y_.size()) throw std::invalid_argument("LogisticRegression: X and y have different lengths");
  if (!(prior_scale > 0.0)) throw std::invalid_argument("LogisticRegression: prior scale must be positive");
  for (Eigen::Index n = 0; n < y_.size(); ++n)
    if (y_(n) != 0.0 && y_(n) != 1.0)
      throw std::invalid_argument("LogisticRegression: y(" + std::to_string(n) + ") must be 0 or 1");
}

LogisticRegression LogisticRegression::from_csv(const CsvTable& table) {
  require_columns(table, {"y"});
  require_rows(table, 1);
  const Eigen::VectorXd y = table.column("y");
  for (Eigen::Index n = 0; n < y.size(); ++n)
    if (y(n) != 0.0 && y(n) != 1.0) bad_value(table, n, "y", "must be 0 or 1 (binary outcome)");
  LogisticRegression model(table.columns_except("y"), y);
  model.predictors_ = names_except(table, "y");
  return model;
}

double LogisticRegression::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const Eigen::Index N = X_.rows(), K = X_.cols();
  const auto beta = theta.tail(K);
  Eigen::VectorXd eta = X_ * beta;  // becomes the residual y - inv_logit(eta) below
  // log p(y | eta) = y * eta - log(1 + exp(eta)) = y * eta - max(eta, 0) - log(1 + e) with
  // e = exp(-|eta|); inv_logit(eta) comes from the same e. One pass, one exp per observation.
  double lp = 0.0;
  LogProduct log1p_e;
  for (Eigen::Index n = 0; n < N; ++n) {
    const double en = eta(n) + theta(0);
    const double e = std::exp(-std::abs(en));
    const double inv = 1.0 / (1.0 + e);
    lp += y_(n) * en - (en > 0.0 ? en : 0.0);
    log1p_e.add(1.0 + e);
    eta(n) = y_(n) - (en >= 0.0 ? inv : e * inv);
  }
  lp -= log1p_e.value();
  lp -= 0.5 * prior_precision_ * theta.squaredNorm();
  grad.resize(K + 1);
  grad(0) = eta.sum();
  grad.tail(K).noalias() = X_.transpose() * eta;
  grad -= prior_precision_ * theta;
  return lp;
}

std::vector<std::string> LogisticRegression::parameter_names() const {
  auto names = indexed_names("beta", static_cast<int>(X_.cols()));
  names.insert(names.begin(), "alpha");
  return names;
}

}  // namespace gpbo::mcmc::models
