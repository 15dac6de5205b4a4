#include "gpbo/mcmc/models/linear_regression.hpp"

#include <cmath>
#include <stdexcept>

#include "gpbo/mcmc/models/data_checks.hpp"

namespace gpbo::mcmc::models {

LinearRegression::LinearRegression(Eigen::MatrixXd X, Eigen::VectorXd y, double prior_scale, double sigma_scale)
    : X_(std::move(X)), y_(std::move(y)), prior_precision_(1.0 / (prior_scale * prior_scale)),
      sigma_precision_(1.0 / (sigma_scale * sigma_scale)) {
  if (X_.rows() != y_.size()) throw std::invalid_argument("LinearRegression: X and y have different lengths");
  if (!(prior_scale > 0.0 && sigma_scale > 0.0)) throw std::invalid_argument("LinearRegression: prior scales must be positive");
}

LinearRegression LinearRegression::from_csv(const CsvTable& table) {
  require_columns(table, {"y"});
  require_rows(table, 2);  // y alone: a mean (alpha) and an sd (sigma)
  LinearRegression model(table.columns_except("y"), table.column("y"));
  model.predictors_ = names_except(table, "y");
  return model;
}

double LinearRegression::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const Eigen::Index K = X_.cols();
  const double alpha = theta(0), log_sigma = theta(K + 1), sigma = std::exp(log_sigma);
  const auto beta = theta.segment(1, K);
  Eigen::VectorXd r = y_ - X_ * beta;
  r.array() -= alpha;
  const double inv_var = 1.0 / (sigma * sigma), rr = r.squaredNorm();
  const double n = static_cast<double>(y_.size());
  double lp = -n * log_sigma - 0.5 * rr * inv_var;
  lp -= 0.5 * prior_precision_ * theta.head(K + 1).squaredNorm();
  lp += -0.5 * sigma_precision_ * sigma * sigma + log_sigma;  // half-normal prior + log Jacobian
  grad.resize(K + 2);
  grad(0) = r.sum() * inv_var - prior_precision_ * alpha;
  grad.segment(1, K).noalias() = inv_var * (X_.transpose() * r);
  grad.segment(1, K) -= prior_precision_ * beta;
  grad(K + 1) = -n + rr * inv_var - sigma_precision_ * sigma * sigma + 1.0;
  return lp;
}

std::vector<std::string> LinearRegression::parameter_names() const {
  auto names = indexed_names("beta", static_cast<int>(X_.cols()));
  names.insert(names.begin(), "alpha");
  names.push_back("log_sigma");
  return names;
}

std::vector<std::string> LinearRegression::output_names() const {
  auto names = parameter_names();
  names.back() = "sigma";
  return names;
}

void LinearRegression::outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const {
  out = theta;
  out(out.size() - 1) = std::exp(theta(theta.size() - 1));
}

}  // namespace gpbo::mcmc::models
