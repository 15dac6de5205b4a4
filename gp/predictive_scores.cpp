#include "gpbo/gp/predictive_scores.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace gpbo {

PredictiveScores score_predictions(const Eigen::VectorXd& y, const Eigen::VectorXd& mean, const Eigen::VectorXd& variance) {
  if (mean.size() != y.size() || variance.size() != y.size())
    throw std::invalid_argument("score_predictions: y, mean and variance need the same length");
  const Eigen::ArrayXd err = (y - mean).array(), var = variance.array();
  PredictiveScores s;
  s.rmse = std::sqrt(err.square().mean());
  s.nlpd = (0.5 * (2.0 * std::numbers::pi * var).log() + 0.5 * err.square() / var).mean();
  s.coverage95 = (err.abs() <= 1.959963984540054 * var.sqrt()).cast<double>().mean();
  return s;
}

}  // namespace gpbo
