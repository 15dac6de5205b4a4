#include "mcmc/models/logistic_regression.hpp"

#include <stdexcept>

#include "mcmc/models/data_checks.hpp"

namespace gpbo::mcmc::models {

LogisticRegression::LogisticRegression(Eigen::MatrixXd X, Eigen::VectorXd y, double prior_scale)
    : X_(std::move(X)), y_(std::move(y)), prior_precision_(1.0 / (prior_scale * prior_scale)) {
  if (X_.rows() != y_.size()) throw std::invalid_argument("LogisticRegression: X and y have different lengths");
  if (X_.cols() < 1) throw std::invalid_argument("LogisticRegression: needs at least one predictor");
  if (!(prior_scale > 0.0)) throw std::invalid_argument("LogisticRegression: prior scale must be positive");
  for (Eigen::Index n = 0; n < y_.size(); ++n)
    if (y_(n) != 0.0 && y_(n) != 1.0) bad_value("LogisticRegression", static_cast<int>(n + 1), "y", y_(n), "must be 0 or 1");
}

LogisticRegression LogisticRegression::from_csv(const CsvTable& table, const std::string& source) {
  require_columns(table, {"y"}, source, true);
  if (table.columns.size() < 2)
    throw std::invalid_argument(source + ": needs at least one predictor column besides y");
  require_rows(table, 1, source);
  const Eigen::VectorXd y = table.column("y");
  for (Eigen::Index n = 0; n < y.size(); ++n)
    if (y(n) != 0.0 && y(n) != 1.0) bad_value(source, static_cast<int>(n + 1), "y", y(n), "must be 0 or 1 (binary outcome)");
  return LogisticRegression(table.columns_except("y"), y);
}

double LogisticRegression::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const double alpha = theta(0);
  const auto beta = theta.tail(theta.size() - 1);
  Eigen::ArrayXd eta = (X_ * beta).array() + alpha;
  // log p(y | eta) = y * eta - log(1 + exp(eta)); with e = exp(-|eta|):
  // log(1 + exp(eta)) = max(eta, 0) + log1p(e), and y - inv_logit(eta) uses the same e.
  const Eigen::ArrayXd e = (-eta.abs()).exp();
  const Eigen::ArrayXd inv1pe = (1.0 + e).inverse();
  const Eigen::ArrayXd p = (eta >= 0.0).select(inv1pe, e * inv1pe);
  // log(1 + e) rather than log1p(e): vectorized, and its absolute error (< 1e-16 per
  // observation) is far below what matters for a sum of log likelihoods.
  double lp = (y_.array() * eta - eta.max(0.0) - (1.0 + e).log()).sum();
  lp -= 0.5 * prior_precision_ * theta.squaredNorm();
  const Eigen::VectorXd resid = (y_.array() - p).matrix();
  grad.resize(theta.size());
  grad(0) = resid.sum();
  grad.tail(theta.size() - 1).noalias() = X_.transpose() * resid;
  grad -= prior_precision_ * theta;
  return lp;
}

std::vector<std::string> LogisticRegression::parameter_names() const {
  auto names = indexed_names("beta", static_cast<int>(X_.cols()));
  names.insert(names.begin(), "alpha");
  return names;
}

}  // namespace gpbo::mcmc::models
