#pragma once
// Common base of the basic (non-composite) kernels: owns the hyperparameter list and the active
// input dimensions. A leaf is built for inputs with `input_dim` columns and acts on the columns
// listed in active_dims (all of them when the list is empty); evaluating it on X with another
// number of columns is an error (std::invalid_argument).

#include <string>
#include <vector>

#include "gpbo/kernels/kernel.hpp"

namespace gpbo {

class LeafKernel : public Kernel {
 public:
  [[nodiscard]] std::vector<Hyperparameter> hyperparameters() const override { return hp_; }
  [[nodiscard]] Eigen::VectorXd log_params() const override;
  void set_log_params(const Eigen::VectorXd& u) override;
  void set_hyperparameters(const std::vector<Hyperparameter>& hyperparameters) override;

  /// Number of input columns this kernel expects.
  [[nodiscard]] int input_dim() const { return input_dim_; }
  /// Columns the kernel acts on; empty means all.
  [[nodiscard]] const std::vector<int>& active_dims() const { return active_dims_; }
  /// Number of columns the kernel acts on.
  [[nodiscard]] int num_active() const;
  /// Restricts the kernel to these columns (distinct, each in [0, input_dim)); empty = all.
  /// ARD kernels resize their length-scale list (new entries copy the first one's settings).
  void set_active_dims(std::vector<int> dims);

  /// The kernel's name in the string form ("matern52", "se", "white", ...).
  [[nodiscard]] virtual std::string name() const = 0;
  /// Options in the string form, e.g. {"iso"} for a shared length scale; empty by default.
  [[nodiscard]] virtual std::vector<std::string> options() const { return {}; }
  [[nodiscard]] std::string expression() const override;
  /// The active dimensions in the string form, "[0,2]"; empty when all are active.
  [[nodiscard]] virtual std::string dims_expression() const;
  [[nodiscard]] std::string to_string() const override;

 protected:
  LeafKernel(int input_dim, std::vector<int> active_dims);
  /// Called after the active dimensions changed.
  virtual void on_active_dims_changed() {}
  /// The active columns of X (X itself when all are active; `buffer` holds a selection).
  const Eigen::MatrixXd& active(const Eigen::MatrixXd& X, Eigen::MatrixXd& buffer) const;
  /// The active entries of the row x.
  [[nodiscard]] Eigen::RowVectorXd active_row(const Eigen::RowVectorXd& x) const;
  /// Places a gradient over active columns (n x num_active) into an n x input_dim matrix.
  [[nodiscard]] Eigen::MatrixXd scatter_columns(const Eigen::MatrixXd& G) const;
  /// Throws std::invalid_argument unless X has input_dim columns.
  void check_columns(Eigen::Index cols, const char* where) const;
  /// A hyperparameter with default bounds and value theta.
  static Hyperparameter make_hyperparameter(const std::string& name, double theta);

  std::vector<Hyperparameter> hp_;

 private:
  int input_dim_;
  std::vector<int> active_dims_;
};

}  // namespace gpbo
