#include "gpbo/gp/predictive_scores.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "gpbo/gp/fully_bayesian.hpp"
#include "gpbo/gp/normal_mixture.hpp"

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

PredictiveScores score_mixture_predictions(const Eigen::VectorXd& y, const std::vector<Prediction>& parts) {
  if (parts.empty()) throw std::invalid_argument("score_mixture_predictions: no parts");
  for (const auto& p : parts)
    if (p.mean.size() != y.size() || p.variance.size() != y.size())
      throw std::invalid_argument("score_mixture_predictions: y and every part's mean and variance need the same length");
  if (parts.size() == 1) return score_predictions(y, parts.front().mean, parts.front().variance);
  const Eigen::VectorXd mean = mixture_of(parts).mean;
  const auto S = static_cast<double>(parts.size());
  PredictiveScores s;
  s.rmse = std::sqrt((y - mean).squaredNorm() / static_cast<double>(y.size()));
  Eigen::VectorXd log_terms(static_cast<Eigen::Index>(parts.size()));
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const double v = parts[k].variance(i), e = y(i) - parts[k].mean(i);
      log_terms(static_cast<Eigen::Index>(k)) = -0.5 * std::log(2.0 * std::numbers::pi * v) - 0.5 * e * e / v;
    }
    const double top = log_terms.maxCoeff();  // log-sum-exp: far targets do not underflow to -inf
    s.nlpd -= top + std::log((log_terms.array() - top).exp().sum() / S);
    const double u = mixture_cdf(parts, i, y(i));
    s.coverage95 += (u >= 0.025 && u <= 0.975) ? 1.0 : 0.0;
  }
  s.nlpd /= static_cast<double>(y.size());
  s.coverage95 /= static_cast<double>(y.size());
  return s;
}

}  // namespace gpbo
