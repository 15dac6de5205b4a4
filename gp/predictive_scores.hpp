#pragma once
// Scores of Gaussian predictive distributions against observed targets: what `gpbo fit` reports
// for leave-one-out, `gpbo predict` for a test set, and gp_bench for the shared cases.

#include <vector>

#include "gpbo/core/eigen_abi.hpp"
#include <Eigen/Core>

#include "gpbo/gp/gaussian_process.hpp"

namespace gpbo {

struct PredictiveScores {
  double rmse = 0.0;        // root mean squared error of the means
  double nlpd = 0.0;        // mean negative log predictive density, -log N(y | mean, variance)
  double coverage95 = 0.0;  // fraction of targets inside the central 95% predictive interval
};

/// Scores of predictions N(mean_i, variance_i) for targets y_i (all of one length, variances > 0).
PredictiveScores score_predictions(const Eigen::VectorXd& y, const Eigen::VectorXd& mean, const Eigen::VectorXd& variance);

/// Scores of equal-weight mixtures of normals (a fully Bayesian GP's predictive, one part per
/// hyperparameter draw, each part's mean and variance as long as y): the rmse of the mixture
/// means, the mixture's own density and central 95% interval (not one normal's). One part gives
/// score_predictions of it.
PredictiveScores score_mixture_predictions(const Eigen::VectorXd& y, const std::vector<Prediction>& parts);

}  // namespace gpbo
