#include "gpbo/mcmc/log_density.hpp"

#include <stdexcept>
#include <utility>

namespace gpbo::mcmc {

double LogDensity::log_density(const Eigen::VectorXd& theta) const {
  Eigen::VectorXd grad;
  return log_density_gradient(theta, grad);
}

std::vector<std::string> LogDensity::parameter_names() const { return indexed_names("theta", dimension()); }

std::vector<std::string> LogDensity::output_names() const { return parameter_names(); }

void LogDensity::outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const { out = theta; }

std::string LogDensity::name() const { return "model"; }

FunctionLogDensity::FunctionLogDensity(int dimension, GradientFn value_and_gradient, std::vector<std::string> names,
                                       std::string model_name)
    : dimension_(dimension), fn_(std::move(value_and_gradient)), names_(std::move(names)),
      model_name_(std::move(model_name)) {
  if (dimension_ <= 0) throw std::invalid_argument("FunctionLogDensity: dimension must be positive");
  if (!fn_) throw std::invalid_argument("FunctionLogDensity: empty log-density function");
  if (names_.empty()) names_ = indexed_names("theta", dimension_);
  if (static_cast<int>(names_.size()) != dimension_)
    throw std::invalid_argument("FunctionLogDensity: " + std::to_string(names_.size()) + " names for dimension " +
                                std::to_string(dimension_));
}

FunctionLogDensity& FunctionLogDensity::with_outputs(std::vector<std::string> out_names, OutputFn out_fn) {
  if (!out_fn) throw std::invalid_argument("FunctionLogDensity: empty output function");
  out_names_ = std::move(out_names);
  out_fn_ = std::move(out_fn);
  return *this;
}

double FunctionLogDensity::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  return fn_(theta, grad);
}

std::vector<std::string> FunctionLogDensity::parameter_names() const { return names_; }

std::vector<std::string> FunctionLogDensity::output_names() const { return out_fn_ ? out_names_ : names_; }

void FunctionLogDensity::outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const {
  if (out_fn_) {
    out_fn_(theta, out);
  } else {
    out = theta;
  }
}

void checked_outputs(const LogDensity& model, const Eigen::VectorXd& theta, Eigen::VectorXd& out, Eigen::Index expected) {
  model.outputs(theta, out);
  if (out.size() != expected)
    throw std::invalid_argument("model '" + model.name() + "': outputs() gave " + std::to_string(out.size()) +
                                " values for " + std::to_string(expected) + " output names");
}

void check_gradient_size(const LogDensity& model, const Eigen::VectorXd& grad) {
  if (grad.size() != model.dimension())
    throw std::invalid_argument("model '" + model.name() + "': the gradient has size " + std::to_string(grad.size()) +
                                ", expected the dimension " + std::to_string(model.dimension()) +
                                " (a log-density callable must resize grad)");
}

std::vector<std::string> indexed_names(const std::string& base, int count) {
  std::vector<std::string> names;
  names.reserve(static_cast<std::size_t>(count));
  for (int i = 1; i <= count; ++i) names.push_back(base + "." + std::to_string(i));
  return names;
}

}  // namespace gpbo::mcmc
