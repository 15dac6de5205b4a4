#pragma once
// Shared helpers for the gp tests: small deterministic data sets and standard kernels.
#include <Eigen/Core>
#include <cmath>

#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/scale.hpp"
#include "gpbo/kernels/squared_exponential.hpp"

namespace gpbo::test {

/// outputscale * Matern 5/2 ARD over d inputs, with the given length scales.
inline KernelPtr scaled_matern52(int d, double outputscale, const Eigen::VectorXd& lengthscales) {
  auto base = std::make_unique<MaternKernel>(MaternKernel::Nu::FiveHalves, d, true);
  Eigen::VectorXd u = lengthscales.array().log();
  base->set_log_params(u);
  return std::make_unique<ScaleKernel>(std::move(base), outputscale);
}

inline KernelPtr scaled_rbf(int d, double outputscale, const Eigen::VectorXd& lengthscales) {
  auto base = std::make_unique<SquaredExponentialKernel>(d, true);
  Eigen::VectorXd u = lengthscales.array().log();
  base->set_log_params(u);
  return std::make_unique<ScaleKernel>(std::move(base), outputscale);
}

/// Options with both data maps off (the model works in raw units).
inline GpOptions raw_options(MeanOptions::Kind mean = MeanOptions::Kind::Zero, double noise = 0.1) {
  GpOptions o;
  o.mean.kind = mean;
  o.noise.variance = noise;
  o.scale_inputs = false;
  o.standardize_outputs = false;
  return o;
}

/// n points in [0,1]^d from a fixed low-discrepancy-like rule, and a smooth function of them.
inline Eigen::MatrixXd grid_points(int n, int d, double offset = 0.0) {
  Eigen::MatrixXd X(n, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j) X(i, j) = std::fmod(offset + (i + 0.5) * (0.6180339887 + 0.1234 * j), 1.0);
  return X;
}

inline Eigen::VectorXd smooth_function(const Eigen::MatrixXd& X) {
  Eigen::VectorXd y(X.rows());
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    double s = 0.0;
    for (Eigen::Index j = 0; j < X.cols(); ++j) s += std::sin(3.0 * X(i, j) + static_cast<double>(j));
    y(i) = s + 0.05 * std::cos(17.0 * static_cast<double>(i));
  }
  return y;
}

}  // namespace gpbo::test
