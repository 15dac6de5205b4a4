#include "gpbo/mcmc/log_density.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace gpbo::mcmc {

namespace {

// "model 'm': log density threw at theta = (1, 2, ...): message"; at most 10 coordinates.
[[noreturn]] void rethrow_with_context(const LogDensity& model, const Eigen::VectorXd& theta, const std::exception& e,
                                      const char* what = "log density") {
  throw ModelEvaluationError("model '" + model.name() + "': " + what + " threw at theta = " + point_text(theta) + ": " + e.what());
}

template <class Eval>
double evaluated(const LogDensity& model, const Eigen::VectorXd& theta, Eval&& eval) {
  try {
    return as_sampled_log_density(eval());
  } catch (const std::domain_error&) {
  } catch (const std::overflow_error&) {
  } catch (const ModelEvaluationError&) {
    throw;  // a nested model already said where
  } catch (const std::exception& e) {
    rethrow_with_context(model, theta, e);
  }
  return -std::numeric_limits<double>::infinity();
}

}  // namespace

std::string point_text(const Eigen::VectorXd& theta) {
  std::ostringstream os;
  os.precision(6);
  os << '(';
  const Eigen::Index shown = std::min<Eigen::Index>(theta.size(), 10);
  for (Eigen::Index i = 0; i < shown; ++i) os << (i ? ", " : "") << theta(i);
  if (shown < theta.size()) os << ", ... " << theta.size() - shown << " more";
  os << ')';
  return os.str();
}

double sampled_log_density(const LogDensity& model, const Eigen::VectorXd& theta) {
  return evaluated(model, theta, [&] { return model.log_density(theta); });
}

double sampled_log_density_part(const LogDensity& model, const Eigen::VectorXd& theta, const std::function<double()>& part) {
  return evaluated(model, theta, part);
}

double sampled_log_density_gradient(const LogDensity& model, const Eigen::VectorXd& theta, Eigen::VectorXd& grad) {
  return evaluated(model, theta, [&] { return model.log_density_gradient(theta, grad); });
}

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
  try {
    model.outputs(theta, out);
  } catch (const ModelEvaluationError&) {
    throw;
  } catch (const std::exception& e) {  // as Stan's generated quantities: an error, with where it happened
    rethrow_with_context(model, theta, e, "outputs()");
  }
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
