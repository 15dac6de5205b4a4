#pragma once
// Scores of Gaussian predictive distributions against observed targets: what `gpbo fit` reports
// for leave-one-out, `gpbo predict` for a test set, and gp_bench for the shared cases.

#include <Eigen/Core>

namespace gpbo {

struct PredictiveScores {
  double rmse = 0.0;        // root mean squared error of the means
  double nlpd = 0.0;        // mean negative log predictive density, -log N(y | mean, variance)
  double coverage95 = 0.0;  // fraction of targets inside mean +- 1.96 sd
};

/// Scores of predictions N(mean_i, variance_i) for targets y_i (all of one length, variances > 0).
PredictiveScores score_predictions(const Eigen::VectorXd& y, const Eigen::VectorXd& mean, const Eigen::VectorXd& variance);

}  // namespace gpbo
