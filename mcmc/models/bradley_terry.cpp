#include "gpbo/mcmc/models/bradley_terry.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "gpbo/mcmc/models/data_checks.hpp"
#include "gpbo/mcmc/models/log_product.hpp"

namespace gpbo::mcmc::models {

BradleyTerry::BradleyTerry(int players, std::vector<int> winner, std::vector<int> loser) : players_(players) {
  if (players_ < 2) throw std::invalid_argument("BradleyTerry: needs at least 2 players");
  if (winner.size() != loser.size()) throw std::invalid_argument("BradleyTerry: winner and loser lengths differ");
  std::map<std::pair<int, int>, std::size_t> index;
  for (std::size_t m = 0; m < winner.size(); ++m) {
    const int w = winner[m], l = loser[m];
    if (w < 0 || w >= players_ || l < 0 || l >= players_ || w == l)
      throw std::invalid_argument("BradleyTerry: match " + std::to_string(m + 1) + " has invalid player ids");
    const auto key = std::minmax(w, l);
    auto [it, inserted] = index.try_emplace(key, pairs_.size());
    if (inserted) pairs_.push_back({key.first, key.second, 0.0, 0.0});
    Pair& p = pairs_[it->second];
    (w == p.a ? p.wins_ab : p.wins_ba) += 1.0;
  }
}

namespace {
// With the number of players taken from the largest id, a player who is in no match is almost
// always a typo in an id (a 99 among players 1..40): say which ids are missing and where the
// largest one is.
void check_every_player_plays(int players, const std::vector<int>& winner, const std::vector<int>& loser,
                              const CsvTable& table) {
  std::vector<bool> plays(static_cast<std::size_t>(players), false);
  for (std::size_t m = 0; m < winner.size(); ++m) plays[static_cast<std::size_t>(winner[m])] = plays[static_cast<std::size_t>(loser[m])] = true;
  std::vector<int> missing;
  for (int p = 0; p < players; ++p)
    if (!plays[static_cast<std::size_t>(p)]) missing.push_back(p + 1);
  if (missing.empty()) return;
  std::size_t row = 0;  // the first match of the largest id, which sets `players`
  while (winner[row] != players - 1 && loser[row] != players - 1) ++row;
  const char* column = winner[row] == players - 1 ? "winner" : "loser";
  std::string list = std::to_string(missing.front());
  if (missing.size() > 1) list += (missing.size() == 2 ? ", " : " ... ") + std::to_string(missing.back());
  bad_value(table, static_cast<Eigen::Index>(row), column,
            "the largest player id makes " + std::to_string(players) + " players, but " + std::to_string(missing.size()) +
                " of them (" + list + ") are in no match; player ids must number the players 1..P");
}
}  // namespace

BradleyTerry BradleyTerry::from_csv(const CsvTable& table, int players) {
  require_columns(table, {"winner", "loser"});
  require_rows(table, 1);
  const Eigen::VectorXd w = table.column("winner"), l = table.column("loser");
  const double max_id = std::max(w.maxCoeff(), l.maxCoeff());
  if (players <= 0 && !(max_id <= 1e6)) {  // point at the cell (bad_value prints the value as %g)
    Eigen::Index row = 0;
    const bool in_winner = w.maxCoeff(&row) == max_id;
    if (!in_winner) l.maxCoeff(&row);
    bad_value(table, row, in_winner ? "winner" : "loser", "an implausible player id (ids are 1-based player numbers, at most 1e6)");
  }
  const int P = players > 0 ? players : static_cast<int>(std::floor(max_id));
  std::vector<int> winner, loser;
  for (Eigen::Index m = 0; m < w.size(); ++m) {
    for (const auto& [col, v] : {std::pair<const char*, double>{"winner", w(m)}, {"loser", l(m)}}) {
      if (v != std::floor(v)) bad_value(table, m, col, "player ids must be integers");
      // Ids below 1 get their own message: with no id >= 1 in the file, P is 0 or negative and
      // "out of range [1, 0]" would tell the user nothing.
      if (v < 1) bad_value(table, m, col, "player ids are 1-based (players 1..P), so must be >= 1");
      if (v > P) bad_value(table, m, col, "player id out of range [1, " + std::to_string(P) + "]");
    }
    if (w(m) == l(m)) bad_value(table, m, "loser", "a player cannot play against themself");
    winner.push_back(static_cast<int>(w(m)) - 1);
    loser.push_back(static_cast<int>(l(m)) - 1);
  }
  if (P < 2) throw std::invalid_argument(table.source + ": needs at least 2 players");
  if (players <= 0) check_every_player_plays(P, winner, loser, table);
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
  // Pair (a, b), d = skill_a - skill_b: wins_ab log inv_logit(d) + wins_ba log inv_logit(-d)
  // = n log inv_logit(d) - wins_ba d with n = wins_ab + wins_ba, and
  // log inv_logit(d) = -(max(-d, 0) + log(1 + e)), e = exp(-|d|); derivative in d:
  // n inv_logit(-d) - wins_ba, from the same e.
  auto grad_skill = grad.tail(players_);
  LogProduct log1p_e;
  for (const Pair& p : pairs_) {
    const double d = skill(p.a) - skill(p.b), n = p.wins_ab + p.wins_ba;
    const double e = std::exp(-std::abs(d)), inv = 1.0 / (1.0 + e);
    lp -= n * (d < 0.0 ? -d : 0.0) + p.wins_ba * d;
    for (double k = 0; k < n; k += 1.0) log1p_e.add(1.0 + e);
    const double g = n * (d >= 0.0 ? e * inv : inv) - p.wins_ba;
    grad_skill(p.a) += g;
    grad_skill(p.b) -= g;
  }
  lp -= log1p_e.value();
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
