#include "gpbo/mcmc/models/scaled_gaussian.hpp"

#include <stdexcept>

namespace gpbo::mcmc::models {

ScaledGaussian::ScaledGaussian(int dimension) {
  if (dimension < 1) throw std::invalid_argument("ScaledGaussian: dimension must be >= 1");
  precision_.resize(dimension);
  for (int i = 0; i < dimension; ++i) {
    const double s = (i + 1.0) / dimension;
    precision_(i) = 1.0 / (s * s);
  }
}

double ScaledGaussian::log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad) const {
  grad = -precision_.cwiseProduct(x);
  return 0.5 * grad.dot(x);
}

double ScaledGaussian::log_density(const Eigen::VectorXd& x) const {
  return -0.5 * x.dot(precision_.cwiseProduct(x));
}

std::vector<std::string> ScaledGaussian::parameter_names() const { return indexed_names("x", dimension()); }

std::string ScaledGaussian::name() const { return "gauss" + std::to_string(dimension()); }

double ScaledGaussian::scale(int i) const { return (i + 1.0) / dimension(); }

}  // namespace gpbo::mcmc::models
