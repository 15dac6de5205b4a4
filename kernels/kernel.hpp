#pragma once
// The covariance-function interface every kernel implements.
//
// Conventions
// - Points are rows: X is n x d. K(X1, X2) is n1 x n2.
// - Every hyperparameter theta > 0 is stored and optimized as u = log(theta). All gradients
//   are with respect to u, in the order of hyperparameters() (composites concatenate their
//   children's lists in order, names prefixed like "k1.lengthscale[0]").
// - Fixed hyperparameters still appear in hyperparameters(); callers that optimize skip them.
// - A kernel may act on a subset of input columns (active dimensions); it then ignores the rest
//   of X, and its input gradient is zero in the columns it ignores.

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "gpbo/kernels/hyperparameter.hpp"

namespace gpbo {

class Kernel {
 public:
  virtual ~Kernel() = default;
  [[nodiscard]] virtual std::unique_ptr<Kernel> clone() const = 0;

  // ---- hyperparameters (log space) ----
  [[nodiscard]] virtual std::vector<Hyperparameter> hyperparameters() const = 0;
  [[nodiscard]] std::size_t num_hyperparameters() const { return hyperparameters().size(); }
  /// Current values, log space, in hyperparameters() order.
  [[nodiscard]] virtual Eigen::VectorXd log_params() const = 0;
  /// Sets all values (log space); size must equal num_hyperparameters().
  virtual void set_log_params(const Eigen::VectorXd& u) = 0;
  /// Sum of log prior densities over hyperparameters with a prior (on u, Jacobian included),
  /// and its gradient with respect to u.
  [[nodiscard]] double log_prior(Eigen::VectorXd* gradient = nullptr) const;
  /// Replaces values, bounds, priors and fixed flags at once, in hyperparameters() order; the
  /// names must match hyperparameters() (std::invalid_argument otherwise). The default only
  /// accepts changes of log_value.
  virtual void set_hyperparameters(const std::vector<Hyperparameter>& hyperparameters);

  // ---- hyperparameter metadata by name ----
  // `name` selects the hyperparameters whose full name, or full name without an "[i]" index, is
  // `name`; when none is, every one whose name ends in "." + `name`: "lengthscale" selects all
  // ARD entries of every child, "k1.lengthscale[0]" exactly one (also when a nested child's
  // name ends the same way). Each returns how many it changed and throws
  // std::invalid_argument (listing the names) when none matches.
  /// Indices (hyperparameters() order) of the hyperparameters `name` selects; empty if none.
  [[nodiscard]] std::vector<std::size_t> find_hyperparameters(const std::string& name) const;
  std::size_t set_prior(const std::string& name, const Prior& prior);
  std::size_t clear_prior(const std::string& name);
  /// Bounds on theta (natural units, 0 < lower < upper), stored as log bounds; a current value
  /// outside them moves to the nearest bound.
  std::size_t set_bounds(const std::string& name, double lower, double upper);
  std::size_t fix(const std::string& name, bool fixed = true);
  /// Sets theta (natural units, > 0). Bounds are not checked here (fix() may follow): a free
  /// value left outside its bounds is clamped by a fit, refused by GaussianProcess::set_params,
  /// and makes a saved model fail to load; set_bounds first.
  std::size_t set_value(const std::string& name, double value);

  // ---- evaluation ----
  /// Cross-covariance K(X1, X2), n1 x n2.
  [[nodiscard]] virtual Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const = 0;
  /// Symmetric Gram matrix K(X, X); may be faster than eval(X, X).
  [[nodiscard]] virtual Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const { return eval(X, X); }
  /// factor * gram(X), for a caller that will then call gram_gradient_contract_given_gram at the
  /// same hyperparameters: a kernel may also fill `derivative` with what makes that contraction
  /// cheaper (the stationary kernels, alone or scaled: df/d(r^2) of their unit-amplitude profile,
  /// lower triangle). Kernels with nothing to keep leave it empty (the default). Only the lower
  /// triangle of the result is guaranteed: kernels that keep a derivative skip the mirror copy.
  /// (Sums and products keep nothing: keeping each term's n x n matrices cost more in copies and
  /// memory than recomputing them saved, 2.5x the time of an n = 2000 fit.)
  [[nodiscard]] virtual Eigen::MatrixXd gram_with_derivative(const Eigen::MatrixXd& X, Eigen::MatrixXd& derivative,
                                                             double factor = 1.0) const {
    derivative.resize(0, 0);
    Eigen::MatrixXd K = gram(X);
    if (factor != 1.0) K *= factor;
    return K;
  }
  /// diag K(X, X) without forming the matrix.
  [[nodiscard]] virtual Eigen::VectorXd diag(const Eigen::MatrixXd& X) const = 0;

  // ---- gradients ----
  /// dK(X, X)/du_j for one hyperparameter j (n x n). For tests and small problems.
  [[nodiscard]] virtual Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const = 0;
  /// g_j = sum_ab W_ab dK(X,X)_ab/du_j for every j, for a symmetric W, without storing one
  /// n x n matrix per hyperparameter. This is what the log-marginal-likelihood gradient needs.
  /// W must be stored in full (both triangles); some kernels read only its lower triangle.
  [[nodiscard]] virtual Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X,
                                                               const Eigen::MatrixXd& W) const = 0;
  /// gram_gradient_contract(X, W), and also sets weighted_sum = sum_ab W_ab K(X,X)_ab (what an
  /// outputscale gradient needs) — in one pass where a kernel can; the default calls gram().
  [[nodiscard]] virtual Eigen::VectorXd gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                                       double& weighted_sum) const;
  /// gram_gradient_contract_and_sum(X, W, weighted_sum) for a caller that already holds
  /// gram = factor * K(X, X) at the current hyperparameters (factor > 0; only the lower triangle
  /// is read). Kernels whose derivative follows from the values of K use them instead of
  /// recomputing K (the stationary kernels then need no exp at all); the default ignores gram.
  /// `derivative`, if not null, is what gram_with_derivative() filled at these hyperparameters.
  [[nodiscard]] virtual Eigen::VectorXd gram_gradient_contract_given_gram(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                                          const Eigen::MatrixXd& gram, double factor,
                                                                          double& weighted_sum,
                                                                          const Eigen::MatrixXd* derivative = nullptr) const;
  /// Gradient of k(x, X_i) with respect to the point x (a 1 x d row): returns n x d, row i is
  /// d k(x, X_i) / dx. Acquisition functions use it.
  [[nodiscard]] virtual Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const = 0;
  /// input_gradient(x, X), and k(x, X_i) for every row i in `value` (n entries): one pass where a
  /// kernel can (the stationary kernels compute the values on the way); the default calls eval().
  [[nodiscard]] virtual Eigen::MatrixXd input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                                 Eigen::VectorXd& value) const;
  /// Gradient of k(x, x) with respect to x (zero for stationary kernels), 1 x d.
  [[nodiscard]] virtual Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const = 0;

  // ---- description ----
  /// Short string form, parseable by parse_kernel() (kernels/kernel_parser.hpp), e.g. "matern52 * periodic + white".
  [[nodiscard]] virtual std::string to_string() const = 0;
  /// to_string() without the top-level "unscaled(...)" marker (see kernel_parser.hpp);
  /// composites print their children with it.
  [[nodiscard]] virtual std::string expression() const { return to_string(); }
  /// True if the kernel carries its own amplitude (scale, constant, white, linear, or a product
  /// with such a factor): parse_kernel() does not wrap such a term in a ScaleKernel.
  [[nodiscard]] virtual bool has_amplitude() const { return false; }
  /// The additive terms of this kernel: a SumKernel's children, otherwise the kernel itself.
  [[nodiscard]] virtual std::vector<const Kernel*> additive_terms() const { return {this}; }
};

using KernelPtr = std::unique_ptr<Kernel>;

}  // namespace gpbo
