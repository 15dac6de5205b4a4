#include "mcmc/models/bradley_terry.hpp"

#include <cmath>
#include <stdexcept>

#include "mcmc/models/data_checks.hpp"

namespace gpbo::mcmc::models {

BradleyTerry::BradleyTerry(int players, std::vector<int> winner, std::vector<int> loser)
    : players_(players), winner_(std::move(winner)), loser_(std::move(loser)) {
  if (players_ < 2) throw std::invalid_argument("BradleyTerry: needs at least 2 players");
  if (winner_.size() != loser_.size()) throw std::invalid_argument("BradleyTerry: winner and loser lengths differ");
  for (std::size_t m = 0; m < winner_.size(); ++m)
    if (winner_[m] < 0 || winner_[m] >= players_ || loser_[m] < 0 || loser_[m] >= players_ || winner_[m] == loser_[m])
      throw std::invalid_argument("BradleyTerry: match " + std::to_string(m + 1) + " has invalid player ids");
}

BradleyTerry BradleyTerry::from_csv(const CsvTable& table, const std::string& source, int players) {
  require_columns(table, {"winner", "loser"}, source);
  require_rows(table, 1, source);
  const Eigen::VectorXd w = table.column("winner"), l = table.column("loser");
  const double max_id = std::max(w.maxCoeff(), l.maxCoeff());
  const int P = players > 0 ? players : static_cast<int>(std::floor(max_id));
  std::vector<int> winner, loser;
  for (Eigen::Index m = 0; m < w.size(); ++m) {
    const int row = static_cast<int>(m + 1);
    for (const auto& [col, v] : {std::pair<const char*, double>{"winner", w(m)}, {"loser", l(m)}}) {
      if (v != std::floor(v)) bad_value(source, row, col, v, "player ids must be integers");
      if (v < 1 || v > P)
        bad_value(source, row, col, v, "player id out of range [1, " + std::to_string(P) + "]");
    }
    if (w(m) == l(m)) bad_value(source, row, "loser", l(m), "a player cannot play against themself");
    winner.push_back(static_cast<int>(w(m)) - 1);
    loser.push_back(static_cast<int>(l(m)) - 1);
  }
  if (P < 2) throw std::invalid_argument(source + ": needs at least 2 players");
  return BradleyTerry(P, std::move(winner), std::move(loser));
}

double BradleyTerry::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const double log_sigma = theta(0), sigma = std::exp(log_sigma);
  const auto skill = theta.tail(players_);
  const double ss = skill.squaredNorm(), inv_var = 1.0 / (sigma * sigma);
  double lp = -0.5 * sigma * sigma + log_sigma - players_ * log_sigma - 0.5 * ss * inv_var;
  grad.resize(players_ + 1);
  grad(0) = -sigma * sigma + 1.0 - players_ + ss * inv_var;
  grad.tail(players_) = -inv_var * skill;
  // d_m = skill[winner] - skill[loser]; log inv_logit(d) = -(max(-d, 0) + log(1 + e)) and its
  // derivative inv_logit(-d), both from e = exp(-|d|) (vectorized; log(1 + e) has absolute
  // error < 1e-16, negligible in a sum of log likelihoods).
  const auto M = static_cast<Eigen::Index>(winner_.size());
  Eigen::ArrayXd d(M);
  for (Eigen::Index m = 0; m < M; ++m) d(m) = skill(winner_[m]) - skill(loser_[m]);
  const Eigen::ArrayXd e = (-d.abs()).exp();
  const Eigen::ArrayXd inv1pe = (1.0 + e).inverse();
  const Eigen::ArrayXd g = (d >= 0.0).select(e * inv1pe, inv1pe);
  lp -= ((-d).max(0.0) + (1.0 + e).log()).sum();
  auto grad_skill = grad.tail(players_);
  for (Eigen::Index m = 0; m < M; ++m) {
    grad_skill(winner_[m]) += g(m);
    grad_skill(loser_[m]) -= g(m);
  }
  return lp;
}

std::vector<std::string> BradleyTerry::parameter_names() const {
  auto names = indexed_names("skill", players_);
  names.insert(names.begin(), "log_sigma");
  return names;
}

std::vector<std::string> BradleyTerry::output_names() const {
  auto names = indexed_names("skill", players_);
  names.insert(names.begin(), "sigma");
  return names;
}

void BradleyTerry::outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const {
  out = theta;
  out(0) = std::exp(theta(0));
}

}  // namespace gpbo::mcmc::models
