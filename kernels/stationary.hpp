#pragma once
// Base of the stationary kernels k(x, x') = f(r^2), r^2 = sum_k (x_k - x'_k)^2 / l_k^2, over the
// active dimensions, with unit amplitude (f(0) = 1; amplitudes come from a ScaleKernel).
// Length scales are ARD (one per active dimension, named "lengthscale[i]"), grouped ARD (one per
// group of active dimensions, "lengthscale[g]": the dimensions of a group share it, as the one-hot
// columns of one categorical parameter do) or shared (one, named "lengthscale"); they come first
// in hyperparameters(), followed by any extra shape parameters of the subclass (e.g. the rational
// quadratic's "alpha"). A grouped kernel is the product of one shared-length-scale kernel per
// group for the squared exponential, computed in one pass.
//
// Scaled squared distances are summed from exact per-dimension differences of the scaled inputs
// z = x / l (coincident points give exactly 0, and there is no cancellation for inputs far from
// the origin). gram() and gram_gradient_contract() work one lower-triangle column at a time
// (distances, then f on the column while it is in cache), so the contraction forms no n x n
// temporary. Given the Gram matrix the caller already has (gram_gradient_contract_given_gram),
// f'(r^2) comes from K's values through profile_derivative(), without exp; for the ARD length scales it accumulates, with M = W o f'(r^2),
//   s_k = sum_{a>b} M_ab (z_ak - z_bk)^2   one column j at a time (column_distances.hpp),
// O(n^2 d) in all. W must be symmetric (only its lower triangle is read).

#include "gpbo/kernels/leaf_kernel.hpp"

namespace gpbo {

class StationaryKernel : public LeafKernel {
 public:
  [[nodiscard]] bool ard() const { return ard_; }
  [[nodiscard]] std::size_t num_lengthscales() const;
  /// Makes the length scales grouped: the active dimensions become the concatenated groups
  /// (input columns, each group non-empty, no column twice), one length scale per group (value
  /// and settings copied from the first current length scale). Needs ARD (std::invalid_argument
  /// otherwise). An empty list, or set_active_dims(), returns to one length scale per dimension.
  void set_lengthscale_groups(const std::vector<std::vector<int>>& groups);
  /// The groups set by set_lengthscale_groups() (input columns); empty when not grouped.
  [[nodiscard]] const std::vector<std::vector<int>>& lengthscale_groups() const { return groups_; }
  /// Current length scales (natural units), one per active dimension (repeated if shared).
  [[nodiscard]] Eigen::ArrayXd lengthscales() const;
  [[nodiscard]] std::vector<std::string> options() const override;
  /// "[0,1;2,3]" for grouped length scales (';' separates the groups), else as LeafKernel.
  [[nodiscard]] std::string dims_expression() const override;

  [[nodiscard]] Eigen::MatrixXd eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const override;
  [[nodiscard]] Eigen::MatrixXd gram(const Eigen::MatrixXd& X) const override;
  /// Keeps f'(r^2) (df/d(r^2)), lower triangle: the contraction then needs neither the distances
  /// (ARD, no extra hyperparameters) nor a square root per pair.
  [[nodiscard]] Eigen::MatrixXd gram_with_derivative(const Eigen::MatrixXd& X, Eigen::MatrixXd& derivative,
                                                     double factor = 1.0) const override;
  [[nodiscard]] Eigen::VectorXd diag(const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                               double& weighted_sum) const override;
  [[nodiscard]] Eigen::VectorXd gram_gradient_contract_given_gram(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                                  const Eigen::MatrixXd& gram, double factor,
                                                                  double& weighted_sum,
                                                                  const Eigen::MatrixXd* derivative = nullptr) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const override;
  [[nodiscard]] Eigen::MatrixXd input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                         Eigen::VectorXd& value) const override;
  [[nodiscard]] Eigen::RowVectorXd diag_input_gradient(const Eigen::RowVectorXd& x) const override;

 protected:
  /// Creates the length scales (value 1); subclasses append their shape hyperparameters to hp_.
  StationaryKernel(int input_dim, bool ard, std::vector<int> active_dims);
  /// Elementwise over n entries: K = f(D2) and, if dK is not null, dK = df/dD2, for squared
  /// scaled distances D2 >= 0. K may alias D2; dK aliases neither. Where f is not
  /// differentiable at D2 = 0 (Matérn 1/2) dK must be 0 there: its factor (x_k - x'_k)^2
  /// vanishes, so the gradient is still right.
  virtual void profile(const double* D2, Eigen::Index n, double* K, double* dK) const = 0;
  /// Elementwise dK = df/dD2 over n entries from D2 and the values K = f(D2) (no exp needed for
  /// the usual profiles). The default recomputes f with profile().
  virtual void profile_derivative(const double* D2, const double* K, Eigen::Index n, double* dK) const;
  /// Elementwise dK/du_e for extra hyperparameter e (index after the length scales), given D2
  /// and K = f(D2) over n entries.
  virtual void extra_gradient(std::size_t e, const double* D2, const double* K, Eigen::Index n, double* out) const;
  void on_active_dims_changed() override;

 private:
  void make_lengthscales(std::size_t count, const Hyperparameter& like);
  /// Index into the length scales of active dimension k.
  [[nodiscard]] std::size_t lengthscale_index(Eigen::Index k) const;
  /// The contraction; with `gram` (= factor * K, lower triangle), K is read instead of computed,
  /// and with `derivative` (from gram_with_derivative) f'(r^2) as well.
  [[nodiscard]] Eigen::VectorXd contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W, const Eigen::MatrixXd* gram,
                                         double factor, double& weighted_sum, const Eigen::MatrixXd* derivative) const;
  /// factor * the Gram matrix (lower triangle only), and f'(r^2) in the lower triangle of
  /// `derivative` unless null.
  [[nodiscard]] Eigen::MatrixXd gram_impl(const Eigen::MatrixXd& X, Eigen::MatrixXd* derivative, double factor) const;
  /// Active columns of X scaled column-wise by 1/l.
  [[nodiscard]] Eigen::MatrixXd scaled(const Eigen::MatrixXd& X) const;

  bool ard_;
  std::vector<std::vector<int>> groups_;  // empty: not grouped
  std::vector<std::size_t> group_of_;     // per active dimension, when grouped
};

}  // namespace gpbo
