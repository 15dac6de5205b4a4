#include "gpbo/bayesopt/basin_escape.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace gpbo::bo {

std::size_t evaluations_since_improvement(const Eigen::VectorXd& y, double min_improvement) {
  if (y.size() == 0) return 0;
  const double step = min_improvement * (y.maxCoeff() - y.minCoeff());
  double best = y[0];
  std::size_t since = 0;
  for (Eigen::Index i = 1; i < y.size(); ++i) {
    if (y[i] < best - step) {
      since = 0;
    } else {
      ++since;
    }
    best = std::min(best, y[i]);
  }
  return since;
}

namespace {

// The best observed point at least `separation` length scales from the incumbent with no better
// point within half that distance (the best of its own basin), or -1.
Eigen::Index basin_leader(const Eigen::MatrixXd& X, const Eigen::VectorXd& y, const Eigen::ArrayXd& inv_ls,
                          double separation) {
  Eigen::Index incumbent = 0;
  y.minCoeff(&incumbent);
  auto dist = [&](Eigen::Index a, Eigen::Index b) { return ((X.row(a) - X.row(b)).transpose().array() * inv_ls).matrix().norm(); };
  Eigen::Index leader = -1;
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    if (dist(i, incumbent) < separation) continue;
    if (leader >= 0 && y[i] >= y[leader]) continue;
    bool leads = true;
    for (Eigen::Index j = 0; j < X.rows() && leads; ++j)
      if (y[j] < y[i] && dist(i, j) < 0.5 * separation) leads = false;
    if (leads) leader = i;
  }
  return leader;
}

}  // namespace

std::optional<EscapeRegion> find_escape_region(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                               const Eigen::VectorXd& lengthscales, const EscapeOptions& options) {
  if (y.size() < 2) return std::nullopt;
  const Eigen::ArrayXd inv_ls = lengthscales.array().inverse();
  Eigen::Index leader = basin_leader(X, y, inv_ls, options.separation);
  // In few dimensions the separation can span most of the cube (3 length scales of 0.4 in 2-D),
  // and a run would polish a local optimum with no way out: take a nearer leader then.
  if (leader < 0) leader = basin_leader(X, y, inv_ls, 0.5 * options.separation);
  if (leader < 0) return std::nullopt;
  EscapeRegion r;
  r.center = X.row(leader).transpose();
  const Eigen::VectorXd half = (options.box_halfwidth * lengthscales).cwiseMin(0.5);
  r.lower = (r.center - half).cwiseMax(0.0);
  r.upper = (r.center + half).cwiseMin(1.0);
  r.target = y[leader];
  return r;
}

std::optional<Eigen::VectorXd> ard_lengthscales(const GaussianProcess& gp, Eigen::Index dim,
                                                const std::vector<std::vector<int>>& categorical_groups) {
  std::vector<double> indexed, shared;
  for (const auto& h : gp.hyperparameters()) {
    const double v = h.log_scale ? std::exp(h.value) : h.value;
    if (h.name.find("lengthscale[") != std::string::npos) indexed.push_back(v);
    else if (h.name.ends_with(".lengthscale")) shared.push_back(v);
  }
  std::vector<bool> categorical(static_cast<std::size_t>(dim), false);
  for (const auto& g : categorical_groups)
    for (int c : g) {
      if (c < 0 || c >= dim) return std::nullopt;
      categorical[static_cast<std::size_t>(c)] = true;
    }
  const auto n_other = static_cast<std::size_t>(std::count(categorical.begin(), categorical.end(), false));
  // Without groups every index must be there exactly; with them the interaction term repeats some.
  if (categorical_groups.empty() ? indexed.size() != n_other : indexed.size() < n_other) return std::nullopt;
  if (shared.size() < categorical_groups.size()) return std::nullopt;
  Eigen::VectorXd ls(dim);
  std::size_t next = 0;
  for (Eigen::Index c = 0; c < dim; ++c)
    if (!categorical[static_cast<std::size_t>(c)]) ls[c] = indexed[next++];
  for (std::size_t g = 0; g < categorical_groups.size(); ++g)
    for (int c : categorical_groups[g]) ls[c] = shared[g];
  if (!(ls.array() > 0).all()) return std::nullopt;
  return ls;
}

}  // namespace gpbo::bo
