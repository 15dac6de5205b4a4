#pragma once
// What `gpbo fit` prints about the model it fitted and `gpbo show --model` prints about a saved
// one: the hyperparameters in their natural units, the evidence, the leave-one-out scores and,
// after --hyper mcmc, the posterior of each hyperparameter. One place, so both say the same.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/model_file.hpp"

namespace gpbo::cli {

/// The evidence of a model at its current (e.g. saved) hyperparameters: the log marginal
/// likelihood, and the log posterior when some free hyperparameter has a prior (a MAP fit).
struct ModelEvidence {
  double log_marginal_likelihood = 0.0;
  std::optional<double> log_posterior;  // none: no priors (maximum likelihood)
};
[[nodiscard]] ModelEvidence model_evidence(const GaussianProcess& gp);

/// "log marginal likelihood L (standardized targets), log posterior P (...)": of the model at
/// its hyperparameters; `how` names the fit ("MAP fit, weak priors", "maximum likelihood, no priors").
void print_evidence(double log_marginal_likelihood, double log_posterior, bool priors, const char* how);

/// The hyperparameter table in natural units (exp of log-scale ones), its units note, and a note
/// when the learned noise sits at its lower bound.
void print_hyperparameter_table(const GaussianProcess& gp);

/// "leave-one-out (MAP model): rmse ..., mean negative log predictive density ..." (2+ points).
/// The model's outlier rows are left out of the scores: each one's residual is its gross error,
/// which would make the rmse.
void print_map_loo(const GpModelFile& m);

/// The posterior table of the free hyperparameters (MAP, posterior mean and sd, bulk ESS) and
/// the leave-one-out scores of the draws' equal-weight mixture (without `outliers`' rows).
void print_posterior_table(const FullyBayesianGp& fb, const std::vector<Eigen::Index>& outliers);

/// The model's summary as one JSON object (gpbo show --model --json): target, inputs, kernel,
/// points, log_marginal_likelihood, log_posterior (null without priors), hyperparameters
/// [{name, value, fixed}], loo {rmse, nlpd} (over the rows not flagged as outliers; null below 2
/// of them), outliers (0-based data rows flagged by gpbo fit --outliers), draws (count).
[[nodiscard]] nlohmann::ordered_json model_summary_json(const GpModelFile& m);

}  // namespace gpbo::cli
