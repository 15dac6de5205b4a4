#pragma once
// Bradley–Terry player ranking with a hierarchical skill scale ("ranking & matching gamers"):
// sigma ~ half-normal(0, 1), skill_p ~ normal(0, sigma), and each match m is won by winner_m
// against loser_m with probability inv_logit(skill[winner_m] - skill[loser_m]).
// Data: a CSV with integer columns winner and loser holding 1-based player ids; the number of
// players is the largest id unless given. Unconstrained: log_sigma, skill.1..P.
// Reported: sigma, skill.1..P.

#include <string>
#include <vector>

#include "gpbo/core/csv.hpp"
#include "gpbo/mcmc/log_density.hpp"

namespace gpbo::mcmc::models {

class BradleyTerry : public LogDensity {
 public:
  /// winner/loser: 0-based player ids in [0, players).
  BradleyTerry(int players, std::vector<int> winner, std::vector<int> loser);
  /// From a table with exactly the columns winner and loser (1-based ids); players = 0 means
  /// the largest id. Rejects non-integer ids, ids < 1 or > players, and self-matches.
  static BradleyTerry from_csv(const CsvTable& table, int players = 0);

  [[nodiscard]] int dimension() const override { return players_ + 1; }
  double log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const override;
  [[nodiscard]] std::vector<std::string> parameter_names() const override;
  [[nodiscard]] std::vector<std::string> output_names() const override;
  void outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const override;
  [[nodiscard]] std::string name() const override { return "bradley_terry"; }

 private:
  // Matches aggregated by pair (a < b): a beat b wins_ab times and lost wins_ba times, so the
  // likelihood costs one exp per distinct pair rather than per match.
  struct Pair {
    int a, b;
    double wins_ab, wins_ba;
  };
  int players_;
  std::vector<Pair> pairs_;
};

}  // namespace gpbo::mcmc::models
