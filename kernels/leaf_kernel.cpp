#include "gpbo/kernels/leaf_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace gpbo {
namespace {
void validate_dims(const std::vector<int>& dims, int input_dim) {
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < 0 || dims[i] >= input_dim) {
      throw std::invalid_argument("active dimension " + std::to_string(dims[i]) + " is outside [0, " +
                                  std::to_string(input_dim) + ")");
    }
    if (std::find(dims.begin(), dims.begin() + static_cast<std::ptrdiff_t>(i), dims[i]) != dims.begin() + static_cast<std::ptrdiff_t>(i)) {
      throw std::invalid_argument("active dimension " + std::to_string(dims[i]) + " is listed twice");
    }
  }
}
}  // namespace

LeafKernel::LeafKernel(int input_dim, std::vector<int> active_dims) : input_dim_(input_dim), active_dims_(std::move(active_dims)) {
  if (input_dim < 1) throw std::invalid_argument("kernel input dimension must be at least 1, got " + std::to_string(input_dim));
  validate_dims(active_dims_, input_dim_);
}

Eigen::VectorXd LeafKernel::log_params() const {
  Eigen::VectorXd u(static_cast<Eigen::Index>(hp_.size()));
  for (std::size_t i = 0; i < hp_.size(); ++i) u(static_cast<Eigen::Index>(i)) = hp_[i].log_value;
  return u;
}

void LeafKernel::set_log_params(const Eigen::VectorXd& u) {
  if (u.size() != static_cast<Eigen::Index>(hp_.size())) {
    throw std::invalid_argument(name() + ": expected " + std::to_string(hp_.size()) + " log parameters, got " +
                                std::to_string(u.size()));
  }
  for (std::size_t i = 0; i < hp_.size(); ++i) hp_[i].log_value = u(static_cast<Eigen::Index>(i));
}

void LeafKernel::set_hyperparameters(const std::vector<Hyperparameter>& hyperparameters) {
  if (hyperparameters.size() != hp_.size()) {
    throw std::invalid_argument(name() + ": expected " + std::to_string(hp_.size()) + " hyperparameters, got " +
                                std::to_string(hyperparameters.size()));
  }
  for (std::size_t i = 0; i < hp_.size(); ++i) {
    if (hyperparameters[i].name != hp_[i].name) {
      throw std::invalid_argument(name() + ": hyperparameter " + std::to_string(i) + " is '" + hp_[i].name + "', not '" +
                                  hyperparameters[i].name + "'");
    }
    if (!(hyperparameters[i].log_lower <= hyperparameters[i].log_upper)) {
      throw std::invalid_argument(name() + ": bounds of '" + hp_[i].name + "' are not ordered");
    }
  }
  hp_ = hyperparameters;
}

int LeafKernel::num_active() const { return active_dims_.empty() ? input_dim_ : static_cast<int>(active_dims_.size()); }

void LeafKernel::set_active_dims(std::vector<int> dims) {
  validate_dims(dims, input_dim_);
  active_dims_ = std::move(dims);
  on_active_dims_changed();
}

std::string LeafKernel::expression() const {
  std::string s = name();
  const auto opts = options();
  if (!opts.empty()) {
    s += "(";
    for (std::size_t i = 0; i < opts.size(); ++i) s += (i ? "," : "") + opts[i];
    s += ")";
  }
  return s + dims_expression();
}

std::string LeafKernel::dims_expression() const {
  if (active_dims_.empty()) return "";
  std::string s = "[";
  for (std::size_t i = 0; i < active_dims_.size(); ++i) s += (i ? "," : "") + std::to_string(active_dims_[i]);
  return s + "]";
}

std::string LeafKernel::to_string() const { return has_amplitude() ? expression() : "unscaled(" + expression() + ")"; }

const Eigen::MatrixXd& LeafKernel::active(const Eigen::MatrixXd& X, Eigen::MatrixXd& buffer) const {
  if (active_dims_.empty()) return X;
  buffer = X(Eigen::all, active_dims_);
  return buffer;
}

Eigen::RowVectorXd LeafKernel::active_row(const Eigen::RowVectorXd& x) const {
  if (active_dims_.empty()) return x;
  return x(active_dims_);
}

Eigen::MatrixXd LeafKernel::scatter_columns(const Eigen::MatrixXd& G) const {
  if (active_dims_.empty()) return G;
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(G.rows(), input_dim_);
  out(Eigen::all, active_dims_) = G;
  return out;
}

void LeafKernel::check_columns(Eigen::Index cols, const char* where) const {
  if (cols != input_dim_) {
    throw std::invalid_argument(name() + "::" + where + ": inputs have " + std::to_string(cols) + " columns, the kernel expects " +
                                std::to_string(input_dim_));
  }
}

Hyperparameter LeafKernel::make_hyperparameter(const std::string& name, double theta) {
  Hyperparameter h;
  h.name = name;
  h.log_value = std::log(theta);
  return h;
}

}  // namespace gpbo
