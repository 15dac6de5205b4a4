#pragma once
// The "gauss100" benchmark target: D independent normals x_i ~ normal(0, i / D), i = 1..D —
// scales spread over two orders of magnitude, which tests metric adaptation. No data.
// Parameters (unconstrained = reported): x.1 ... x.D.

#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::models {

class ScaledGaussian : public LogDensity {
 public:
  explicit ScaledGaussian(int dimension = 100);
  [[nodiscard]] int dimension() const override { return static_cast<int>(precision_.size()); }
  double log_density_gradient(const Eigen::VectorXd& x, Eigen::VectorXd& grad) const override;
  [[nodiscard]] double log_density(const Eigen::VectorXd& x) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] std::string name() const override;
  /// The marginal standard deviation of x_i (0-based i): (i + 1) / D.
  [[nodiscard]] double scale(int i) const;

 private:
  Eigen::VectorXd precision_;  // 1 / scale^2
};

}  // namespace gpbo::mcmc::models
