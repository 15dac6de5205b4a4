#pragma once
// Periodic kernel k = exp(-2 sum_k sin^2(pi (x_k - x'_k) / period) / lengthscale^2) over the
// active dimensions, unit amplitude (a product of one-dimensional exp-sine-squared kernels with a
// shared period and length scale). Hyperparameters "lengthscale", "period". String name
// "periodic". sin differences come from products of cos/sin features (no sine per pair), so
// Gram matrices and the gradient contraction cost O(n^2 d) products, accurate to rounding also
// when the period is a million length scales long.

#include "gpbo/kernels/leaf_kernel.hpp"

namespace gpbo {

class PeriodicKernel : public LeafKernel {
 public:
  explicit PeriodicKernel(int input_dim, std::vector<int> active_dims = {}, double lengthscale = 1.0, double period = 1.0);
  [[nodiscard]] std::unique_ptr<Kernel> clone() const override;
  [[nodiscard]] std::string name() const override { return "periodic"; }
  [[nodiscard]] double lengthscale() const { return std::exp(hp_[0].log_value); }
  [[nodiscard]] double period() const { return std::exp(hp_[1].log_value); }

  [[nodiscard]] Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const override;
  [[nodiscard]] Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                               double& weighted_sum) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const override;

 private:
  struct Features;  // centered inputs with their cos/sin features
  [[nodiscard]] Features features(const Eigen::MatrixXd& X, const Eigen::RowVectorXd& center) const;
  /// P_ab = sum_k sin^2(pi (x_ak - x_bk) / period) for rows of two feature sets; with
  /// `lower_only` (the same set twice) only a >= b is filled, the rest is 0.
  [[nodiscard]] static Eigen::MatrixXd sin2_sum(const Features& f1, const Features& f2, bool lower_only);
  /// The Gram matrix exp(-2 P / l^2) from sin2_sum(f, f, true), with an exact unit diagonal.
  [[nodiscard]] static Eigen::MatrixXd gram_from_sin2(const Eigen::MatrixXd& P, double l);
  /// The left (A) or right (B) factor of Q = A B^T, Q_ab = sum_k (x_ak - x_bk) sin(2 pi (x_ak - x_bk) / period),
  /// which the period gradient needs.
  [[nodiscard]] static Eigen::MatrixXd q_matrix_factors(const Features& f, bool left);
};

}  // namespace gpbo
