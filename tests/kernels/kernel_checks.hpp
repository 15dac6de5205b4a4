#pragma once
// Shared checks for kernel tests: finite-difference gradients, contraction, symmetry, PSD.

#include <catch2/catch.hpp>

#include <Eigen/Eigenvalues>
#include <string>

#include "gpbo/core/random.hpp"
#include "gpbo/kernels/kernel.hpp"

namespace gpbo::test {

inline Eigen::MatrixXd random_matrix(Rng& rng, Eigen::Index rows, Eigen::Index cols, double lo = -1.0, double hi = 1.0) {
  Eigen::MatrixXd M(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) M(i, j) = uniform(rng, lo, hi);
  return M;
}

inline double max_abs(const Eigen::MatrixXd& M) { return M.size() ? M.cwiseAbs().maxCoeff() : 0.0; }

/// Moves every hyperparameter off its default value so gradient checks are not at a special point.
inline void perturb(Kernel& k, Rng& rng) {
  Eigen::VectorXd u = k.log_params();
  for (Eigen::Index i = 0; i < u.size(); ++i) u(i) += uniform(rng, -0.4, 0.4);
  k.set_log_params(u);
}

/// The Gram matrix on X (distinct rows) is symmetric, PSD, and agrees with eval() and diag().
inline void check_gram(Kernel& k, const Eigen::MatrixXd& X) {
  const Eigen::Index n = X.rows();
  const Eigen::MatrixXd K = k.gram(X);
  REQUIRE(K.rows() == n);
  REQUIRE(K.cols() == n);
  CHECK(max_abs(K - K.transpose()) <= 1e-14 * (1.0 + max_abs(K)));
  // Off the diagonal (X has distinct rows) gram and eval agree; on it a white term is in gram only
  // (eval between two sets of points leaves out their independent noises).
  Eigen::MatrixXd off_diagonal = K - k.eval(X, X);
  off_diagonal.diagonal().setZero();
  CHECK(max_abs(off_diagonal) <= 1e-10 * (1.0 + max_abs(K)));
  CHECK(max_abs(K.diagonal() - k.diag(X)) <= 1e-12 * (1.0 + max_abs(K)));
  const double min_eig = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(K).eigenvalues().minCoeff();
  CHECK(min_eig >= -1e-10 * (1.0 + max_abs(K)));
}

/// Each hyperparameter's Gram gradient against central differences, and every contraction entry
/// point (plain, given the Gram, given what gram_with_derivative keeps) against W : dK/du.
inline void check_hyperparameter_gradients(const KernelPtr& k, const Eigen::MatrixXd& X, Rng& rng, double h) {
  const Eigen::Index n = X.rows();
  const Eigen::MatrixXd K = k->gram(X);
  const Eigen::VectorXd u0 = k->log_params();
  const Eigen::Index p = u0.size();
  REQUIRE(static_cast<std::size_t>(p) == k->num_hyperparameters());
  Eigen::MatrixXd W = random_matrix(rng, n, n);
  W = (W + W.transpose()).eval();
  Eigen::VectorXd expected(p);
  for (Eigen::Index j = 0; j < p; ++j) {
    INFO("hyperparameter " << k->hyperparameters()[static_cast<std::size_t>(j)].name);
    Eigen::VectorXd u = u0;
    u(j) += h;
    k->set_log_params(u);
    const Eigen::MatrixXd Kp = k->gram(X);
    u(j) -= 2 * h;
    k->set_log_params(u);
    const Eigen::MatrixXd Km = k->gram(X);
    k->set_log_params(u0);
    const Eigen::MatrixXd fd = (Kp - Km) / (2 * h);
    const Eigen::MatrixXd G = k->gram_gradient(X, static_cast<std::size_t>(j));
    CHECK(max_abs(G - fd) <= 1e-6 * (1.0 + max_abs(fd)));
    expected(j) = W.cwiseProduct(G).sum();
  }
  double weighted = 0.0;
  const Eigen::VectorXd g = k->gram_gradient_contract_and_sum(X, W, weighted);
  const Eigen::VectorXd g2 = k->gram_gradient_contract(X, W);
  REQUIRE(g.size() == p);
  CHECK((g - expected).cwiseAbs().maxCoeff() <= 1e-9 * (1.0 + expected.cwiseAbs().maxCoeff()));
  CHECK((g2 - expected).cwiseAbs().maxCoeff() <= 1e-9 * (1.0 + expected.cwiseAbs().maxCoeff()));
  CHECK(weighted == Approx(W.cwiseProduct(K).sum()).epsilon(1e-10).margin(1e-10));
  // The same from a Gram matrix the caller already holds, scaled by a factor the kernel divides out.
  double weighted_given = 0.0;
  const Eigen::MatrixXd K_given = 2.5 * K;
  const Eigen::VectorXd g3 = k->gram_gradient_contract_given_gram(X, W, K_given, 2.5, weighted_given);
  REQUIRE(g3.size() == p);
  CHECK((g3 - expected).cwiseAbs().maxCoeff() <= 1e-9 * (1.0 + expected.cwiseAbs().maxCoeff()));
  CHECK(weighted_given == Approx(W.cwiseProduct(K).sum()).epsilon(1e-10).margin(1e-10));
  // And with what the kernel keeps beside its Gram matrix (e.g. the stationary profiles' slope).
  Eigen::MatrixXd kept;
  const Eigen::MatrixXd K_kept = k->gram_with_derivative(X, kept, 2.5);
  const Eigen::MatrixXd K_kept_lower = K_kept.triangularView<Eigen::Lower>(), K_lower = K.triangularView<Eigen::Lower>();
  CHECK(max_abs(K_kept_lower - 2.5 * K_lower) <= 1e-14 * (1.0 + max_abs(K)));
  double weighted_kept = 0.0;
  const Eigen::VectorXd g4 = k->gram_gradient_contract_given_gram(X, W, K_kept, 2.5, weighted_kept, &kept);
  REQUIRE(g4.size() == p);
  CHECK((g4 - expected).cwiseAbs().maxCoeff() <= 1e-9 * (1.0 + expected.cwiseAbs().maxCoeff()));
  CHECK(weighted_kept == Approx(W.cwiseProduct(K).sum()).epsilon(1e-10).margin(1e-10));
}

/// Input gradients of k(x, X) and of k(x, x) at a point x that coincides with no row of X.
inline void check_input_gradients(const KernelPtr& k, const Eigen::MatrixXd& X, Rng& rng, double h) {
  const Eigen::Index n = X.rows(), d = X.cols();
  const Eigen::RowVectorXd x = random_matrix(rng, 1, d);
  const Eigen::MatrixXd Gx = k->input_gradient(x, X);
  REQUIRE(Gx.rows() == n);
  REQUIRE(Gx.cols() == d);
  Eigen::VectorXd values;
  const Eigen::MatrixXd Gv = k->input_gradient_and_value(x, X, values);
  CHECK(max_abs(Gv - Gx) <= 1e-14 * (1.0 + max_abs(Gx)));
  REQUIRE(values.size() == n);
  CHECK(max_abs(values - k->eval(x, X).row(0).transpose()) <= 1e-14 * (1.0 + max_abs(values)));
  CHECK(max_abs(values - k->eval(X, x).col(0)) <= 1e-14 * (1.0 + max_abs(values)));
  const Eigen::RowVectorXd gdiag = k->diag_input_gradient(x);
  REQUIRE(gdiag.cols() == d);
  for (Eigen::Index c = 0; c < d; ++c) {
    Eigen::RowVectorXd xp = x, xm = x;
    xp(c) += h;
    xm(c) -= h;
    const Eigen::VectorXd fd = (k->eval(xp, X) - k->eval(xm, X)).row(0).transpose() / (2 * h);
    CHECK(max_abs(Gx.col(c) - fd) <= 1e-6 * (1.0 + max_abs(fd)));
    const double fdd = (k->diag(xp)(0) - k->diag(xm)(0)) / (2 * h);
    CHECK(gdiag(c) == Approx(fdd).margin(1e-6));
  }
}

/// Every gradient of `k` on the points X (n x d) against central finite differences, plus
/// symmetry, PSD, diag, and the contraction identity.
inline void check_kernel(const Kernel& kernel, const Eigen::MatrixXd& X, Rng& rng) {
  INFO("kernel " << kernel.to_string());
  KernelPtr k = kernel.clone();
  check_gram(*k, X);
  const double h = 1e-5;
  check_hyperparameter_gradients(k, X, rng, h);
  check_input_gradients(k, X, rng, h);
}

}  // namespace gpbo::test
