#include "gpbo/bayesopt/shared_covariance.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace gpbo::bo {

SharedCovarianceModels::SharedCovarianceModels(GaussianProcess model) : model_(std::move(model)) {}

SharedCovarianceModels::SharedCovarianceModels(GaussianProcess model, Eigen::MatrixXd targets)
    : model_(std::move(model)), targets_(std::move(targets)) {
  if (targets_.cols() < 1 || targets_.rows() != model_.size())
    throw std::invalid_argument("SharedCovarianceModels: targets are " + std::to_string(targets_.rows()) + " x " +
                                std::to_string(targets_.cols()) + ", expected " + std::to_string(model_.size()) +
                                " rows (the model's points) and at least one column");
  weights_ = model_.representer_weights(targets_);
}

std::size_t SharedCovarianceModels::members() const {
  return targets_.cols() == 0 ? 1 : static_cast<std::size_t>(targets_.cols());
}

MemberPredictions SharedCovarianceModels::predict(const Eigen::MatrixXd& U) const {
  if (targets_.cols() == 0) {
    Prediction p = model_.predict(U);
    return {Eigen::MatrixXd(std::move(p.mean)), std::move(p.variance)};
  }
  Prediction p = model_.predict(U, {.target_weights = &weights_});
  return {std::move(p.target_means), std::move(p.variance)};
}

MemberPointPredictions SharedCovarianceModels::predict_gradient(const Eigen::RowVectorXd& u) const {
  if (targets_.cols() == 0) {
    PointPrediction p = model_.predict_gradient(u);
    return {Eigen::VectorXd::Constant(1, p.mean), Eigen::MatrixXd(std::move(p.mean_gradient)), p.variance,
            std::move(p.variance_gradient)};
  }
  PointPrediction p = model_.predict_gradient(u, false, &weights_);
  return {std::move(p.target_means), std::move(p.target_mean_gradients), p.variance, std::move(p.variance_gradient)};
}

Eigen::VectorXd SharedCovarianceModels::believe(const Eigen::RowVectorXd& u) {
  const Eigen::VectorXd means = predict(Eigen::MatrixXd(u)).means.row(0).transpose();
  model_.add_point(u, means[0]);
  if (targets_.cols() > 0) {
    targets_.conservativeResize(targets_.rows() + 1, Eigen::NoChange);
    targets_.row(targets_.rows() - 1) = means.transpose();
    weights_ = model_.representer_weights(targets_);
  }
  return means;
}

}  // namespace gpbo::bo
