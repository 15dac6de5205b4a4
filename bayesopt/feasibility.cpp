#include "gpbo/bayesopt/feasibility.hpp"

#include <algorithm>
#include <limits>

namespace gpbo::bo {

double min_where(const Eigen::VectorXd& v, const std::vector<bool>& allowed) {
  if (allowed.empty()) return v.minCoeff();
  double m = std::numeric_limits<double>::infinity();
  for (Eigen::Index i = 0; i < v.size(); ++i)
    if (allowed[static_cast<std::size_t>(i)]) m = std::min(m, v[i]);
  return m;
}

Eigen::VectorXd JointFeasibility::log_success(const Eigen::MatrixXd& U) const {
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(U.rows());
  for (const Feasibility* part : parts_) sum += part->log_success(U);
  return sum;
}

double JointFeasibility::log_success_and_gradient(const Eigen::RowVectorXd& u, Eigen::RowVectorXd& gradient) const {
  gradient = Eigen::RowVectorXd::Zero(u.size());
  double sum = 0.0;
  for (const Feasibility* part : parts_) {
    Eigen::RowVectorXd g;
    sum += part->log_success_and_gradient(u, g);
    gradient += g;
  }
  return sum;
}

std::vector<bool> JointFeasibility::sample_success(const Eigen::MatrixXd& U, Rng& rng) const {
  std::vector<bool> all(static_cast<std::size_t>(U.rows()), true);
  for (const Feasibility* part : parts_) {
    const std::vector<bool> s = part->sample_success(U, rng);
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = all[i] && s[i];
  }
  return all;
}

}  // namespace gpbo::bo
