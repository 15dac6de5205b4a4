#include "gpbo/mcmc/autodiff.hpp"

#include <algorithm>

namespace gpbo::mcmc {

FiniteDifferenceLogDensity::FiniteDifferenceLogDensity(int dimension, ValueFn value, std::vector<std::string> names,
                                                       std::string model_name, double rel_step)
    : dimension_(dimension), value_(std::move(value)), names_(std::move(names)), model_name_(std::move(model_name)),
      rel_step_(rel_step) {
  if (dimension_ <= 0) throw std::invalid_argument("FiniteDifferenceLogDensity: dimension must be positive");
  if (!value_) throw std::invalid_argument("FiniteDifferenceLogDensity: empty log-density function");
  if (!(rel_step_ > 0.0 && rel_step_ < 1.0)) throw std::invalid_argument("FiniteDifferenceLogDensity: rel_step in (0, 1)");
  if (names_.empty()) names_ = indexed_names("theta", dimension_);
  if (static_cast<int>(names_.size()) != dimension_)
    throw std::invalid_argument("FiniteDifferenceLogDensity: " + std::to_string(names_.size()) +
                                " names for dimension " + std::to_string(dimension_));
}

double FiniteDifferenceLogDensity::log_density(const Eigen::VectorXd& theta) const {
  if (theta.size() != dimension_)
    throw std::invalid_argument("FiniteDifferenceLogDensity: point of size " + std::to_string(theta.size()) +
                                ", expected " + std::to_string(dimension_));
  const double v = detail::guarded_call([&] { return value_(theta); });
  return std::isfinite(v) ? v : -std::numeric_limits<double>::infinity();
}

double FiniteDifferenceLogDensity::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const double value = log_density(theta);
  grad = Eigen::VectorXd::Zero(dimension_);
  if (!std::isfinite(value)) return value;
  Eigen::VectorXd x = theta;
  for (int i = 0; i < dimension_; ++i) {
    const double h = rel_step_ * std::max(1.0, std::abs(theta(i)));
    x(i) = theta(i) + h;
    const double up = log_density(x);
    x(i) = theta(i) - h;
    const double dn = log_density(x);
    x(i) = theta(i);
    // One-sided differences within h of the edge of the support.
    if (std::isfinite(up) && std::isfinite(dn)) {
      grad(i) = (up - dn) / (2.0 * h);
    } else if (std::isfinite(up)) {
      grad(i) = (up - value) / h;
    } else if (std::isfinite(dn)) {
      grad(i) = (value - dn) / h;
    }
  }
  return value;
}

}  // namespace gpbo::mcmc
