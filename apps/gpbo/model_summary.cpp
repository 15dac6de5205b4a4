#include "model_summary.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "gpbo/core/moments.hpp"
#include "gpbo/gp/outliers.hpp"
#include "gpbo/gp/predictive_scores.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/mcmc/diagnostics.hpp"

namespace gpbo::cli {
namespace {

void print_loo(const std::string& what, const PredictiveScores& s) {
  std::printf("leave-one-out%s: rmse %.6g, mean negative log predictive density %.6g\n", what.c_str(), s.rmse, s.nlpd);
}

// The label's tail: which model, and over which rows when outliers are left out.
std::string loo_label(const char* model, const std::vector<Eigen::Index>& outliers, Eigen::Index n) {
  std::string label = model;
  if (!outliers.empty())
    label += (label.empty() ? "over the " : ", over the ") + std::to_string(n - static_cast<Eigen::Index>(outliers.size())) +
             " rows not flagged as outliers";
  return label.empty() ? label : " (" + label + ")";
}

// A learned noise at (within 1% of) its lower bound is no estimate: the data ask for less noise
// than the bound allows, and predictions of new observations carry the bound's.
void print_noise_floor_note(const GaussianProcess& gp) {
  const double lower = gp.options().noise.lower;
  if (gp.options().noise.learn && gp.noise_variance() < 1.01 * lower)
    std::printf("note: the learned noise_variance is at its lower bound %g: the data look noise-free at this resolution "
                "(noise sd %g of the targets' sd); to fit them as such, fix a smaller noise, e.g. --noise 1e-10\n",
                lower, std::sqrt(lower));
}

double natural_value(const GpHyperparameter& h, double v) { return h.log_scale ? std::exp(v) : v; }

// True if any free hyperparameter (kernel, noise or mean) has a prior.
bool has_priors(const GaussianProcess& gp) {
  for (const auto& h : gp.kernel().hyperparameters())
    if (!h.fixed && h.prior) return true;
  const auto& o = gp.options();
  return (o.noise.learn && o.noise.prior) || (o.mean.learn && o.mean.kind == MeanOptions::Kind::Constant && o.mean.prior_sd);
}

}  // namespace

ModelEvidence model_evidence(const GaussianProcess& gp) {
  ModelEvidence e;
  e.log_marginal_likelihood = gp.log_marginal_likelihood();
  if (has_priors(gp)) e.log_posterior = e.log_marginal_likelihood + gp.log_prior(gp.params(), nullptr);
  return e;
}

void print_evidence(double log_marginal_likelihood, double log_posterior, bool priors, const char* how) {
  if (priors)
    std::printf("log marginal likelihood %.6g (standardized targets), log posterior %.6g (%s)\n", log_marginal_likelihood,
                log_posterior, how);
  else
    std::printf("log marginal likelihood %.6g (standardized targets; %s)\n", log_marginal_likelihood, how);
}

void print_hyperparameter_table(const GaussianProcess& gp) {
  std::printf("%-28s %14s\n", "hyperparameter", "value");
  for (const auto& h : gp.hyperparameters())
    std::printf("%-28s %14.6g%s\n", h.name.c_str(), natural_value(h, h.value), h.fixed ? "  (fixed)" : "");
  std::printf("(length scales and periods in units of their input's range in the data; output scales, noise and "
              "mean in standardized target units)\n");
  print_noise_floor_note(gp);
}

// The MAP model's leave-one-out scores over the rows not flagged as outliers; none below two.
std::optional<PredictiveScores> map_loo_scores(const GpModelFile& m) {
  if (m.gp.size() - static_cast<Eigen::Index>(m.outliers.size()) < 2) return std::nullopt;
  const auto loo = m.gp.loo();
  const auto keep = [&](const Eigen::VectorXd& v) { return without_rows(v, m.outliers); };
  return score_predictions(keep(m.gp.y()), keep(loo.mean), keep(loo.variance));
}

void print_map_loo(const GpModelFile& m) {
  if (const auto scores = map_loo_scores(m))
    print_loo(loo_label(m.hyperparameter_draws.rows() > 0 ? "MAP model" : "", m.outliers, m.gp.size()), *scores);
}

// Posterior of each free hyperparameter in its natural units (exp of the log-scale ones), beside
// the MAP value; the mixture's leave-one-out predictions.
void print_posterior_table(const FullyBayesianGp& fb, const std::vector<Eigen::Index>& outliers) {
  const GaussianProcess& gp = fb.base_model();
  const Eigen::MatrixXd& draws = fb.draws();
  const auto S = draws.rows();
  std::printf("%-28s %14s %14s %14s %10s\n", "hyperparameter", "MAP", "posterior mean", "posterior sd", "bulk ESS");
  const Eigen::VectorXd map = gp.params();
  Eigen::Index j = 0;
  for (const auto& h : gp.hyperparameters()) {
    if (h.fixed) continue;
    const Eigen::VectorXd v = draws.col(j).unaryExpr([&h](double u) { return natural_value(h, u); });
    const auto [mean, sd] = mean_sd(v, 1);  // sd 0 for a single draw
    // Split halves of 5 draws or fewer give S / 2 whatever the draws (8 iid draws: 4.00 every time).
    const double ess = S >= 12 ? mcmc::ess_bulk(draws.col(j)) : std::nan("");
    std::printf("%-28s %14.6g %14.6g %14.6g ", h.name.c_str(), natural_value(h, map(j)), mean, sd);
    if (std::isfinite(ess)) {
      std::printf("%10.1f\n", ess);
    } else {
      std::printf("%10s\n", "-");
    }
    ++j;
  }
  if (gp.size() - static_cast<Eigen::Index>(outliers.size()) >= 2) {
    // The equal-weight mixture of the draws' closed-form LOO predictives, scored by its own
    // density as `gpbo predict` scores it; the draws saw every point, as the MAP LOO's
    // hyperparameters did.
    std::vector<Prediction> loos;
    for (const auto& model : fb.models()) {
      const LooPrediction l = model.loo();
      loos.push_back({.mean = without_rows(l.mean, outliers), .variance = without_rows(l.variance, outliers), .covariance = {},
                      .target_means = {}});
    }
    print_loo(loo_label("posterior mixture", outliers, gp.size()), score_mixture_predictions(without_rows(gp.y(), outliers), loos));
  }
}

nlohmann::ordered_json model_summary_json(const GpModelFile& m) {
  const GaussianProcess& gp = m.gp;
  const ModelEvidence evidence = model_evidence(gp);
  nlohmann::ordered_json hyper = nlohmann::ordered_json::array();
  for (const auto& h : gp.hyperparameters())
    hyper.push_back({{"name", h.name}, {"value", natural_value(h, h.value)}, {"fixed", h.fixed}});
  nlohmann::ordered_json loo = nullptr;
  if (const auto s = map_loo_scores(m)) loo = {{"rmse", s->rmse}, {"nlpd", s->nlpd}};
  return {{"target", m.target},
          {"inputs", m.inputs},
          {"kernel", kernel_string_with_names(gp.kernel(), m.inputs)},  // as the text summary names it
          {"points", gp.size()},
          {"log_marginal_likelihood", evidence.log_marginal_likelihood},
          {"log_posterior", evidence.log_posterior ? nlohmann::ordered_json(*evidence.log_posterior) : nullptr},
          {"hyperparameters", hyper},
          {"loo", loo},
          {"outliers", m.outliers},
          {"draws", m.hyperparameter_draws.rows()}};
}

}  // namespace gpbo::cli
