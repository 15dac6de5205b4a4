#include "gpbo/mcmc/models/eight_schools.hpp"

#include <cmath>
#include <stdexcept>

#include "gpbo/mcmc/models/data_checks.hpp"

namespace gpbo::mcmc::models {
namespace {
constexpr double kMuScale = 5.0, kTauScale = 5.0;
}  // namespace

EightSchools::EightSchools(Eigen::VectorXd y, Eigen::VectorXd sigma) : y_(std::move(y)) {
  if (y_.size() != sigma.size()) throw std::invalid_argument("EightSchools: y and sigma have different lengths");
  if (y_.size() < 1) throw std::invalid_argument("EightSchools: needs at least one group");
  for (Eigen::Index j = 0; j < sigma.size(); ++j)
    if (!(sigma(j) > 0.0)) throw std::invalid_argument("EightSchools: sigma(" + std::to_string(j) + ") must be > 0");
  inv_var_ = sigma.array().square().inverse().matrix();
}

EightSchools EightSchools::from_csv(const CsvTable& table) {
  require_columns(table, {"y", "sigma"});
  require_rows(table, 1);
  const Eigen::VectorXd sigma = table.column("sigma");
  for (Eigen::Index j = 0; j < sigma.size(); ++j)  // here, where the error can name the file line
    if (!(sigma(j) > 0.0)) bad_value(table, j, "sigma", "standard errors must be > 0");
  return EightSchools(table.column("y"), sigma);
}

double EightSchools::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const Eigen::Index J = y_.size();
  const double mu = theta(0), log_tau = theta(1), tau = std::exp(log_tau);
  const auto z = theta.tail(J);
  const Eigen::ArrayXd r = (y_.array() - mu - tau * z.array()) * inv_var_.array();  // (y - theta) / sigma^2
  const double t2 = (tau / kTauScale) * (tau / kTauScale);
  double lp = -0.5 * mu * mu / (kMuScale * kMuScale) - std::log1p(t2) + log_tau - 0.5 * z.squaredNorm();
  lp -= 0.5 * (r.square() / inv_var_.array()).sum();
  grad.resize(J + 2);
  grad(0) = -mu / (kMuScale * kMuScale) + r.sum();
  grad(1) = tau * (r * z.array()).sum() - 2.0 * t2 / (1.0 + t2) + 1.0;
  grad.tail(J) = (tau * r - z.array()).matrix();
  return lp;
}

std::vector<std::string> EightSchools::parameter_names() const {
  auto names = indexed_names("theta_raw", static_cast<int>(y_.size()));
  names.insert(names.begin(), {"mu", "log_tau"});
  return names;
}

std::vector<std::string> EightSchools::output_names() const {
  const int J = static_cast<int>(y_.size());
  std::vector<std::string> names{"mu", "tau"};
  for (const auto& n : indexed_names("theta_raw", J)) names.push_back(n);
  for (const auto& n : indexed_names("theta", J)) names.push_back(n);
  return names;
}

void EightSchools::outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const {
  const Eigen::Index J = y_.size();
  const double tau = std::exp(theta(1));
  out.resize(2 + 2 * J);
  out(0) = theta(0);
  out(1) = tau;
  out.segment(2, J) = theta.tail(J);
  out.tail(J) = (theta(0) + tau * theta.tail(J).array()).matrix();
}

}  // namespace gpbo::mcmc::models
