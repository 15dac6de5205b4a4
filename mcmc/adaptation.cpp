#include "gpbo/mcmc/adaptation.hpp"

#include <algorithm>
#include <cmath>

namespace gpbo::mcmc {

void StepsizeAdaptation::restart() {
  counter_ = 0;
  s_bar_ = 0.0;
  x_bar_ = 0.0;
}

double StepsizeAdaptation::learn(double accept_stat) {
  ++counter_;
  const double stat = std::min(1.0, accept_stat);
  const double n = static_cast<double>(counter_);
  const double eta = 1.0 / (n + t0_);
  s_bar_ = (1.0 - eta) * s_bar_ + eta * (delta_ - stat);
  const double x = mu_ - s_bar_ * std::sqrt(n) / gamma_;
  const double x_eta = std::pow(n, -kappa_);
  x_bar_ = (1.0 - x_eta) * x_bar_ + x_eta * x;
  return std::exp(x);
}

double StepsizeAdaptation::final_stepsize() const { return std::exp(x_bar_); }

WindowSchedule::WindowSchedule(int num_warmup, int init_buffer, int term_buffer, int base_window)
    : num_warmup_(num_warmup), init_buffer_(init_buffer), term_buffer_(term_buffer), base_window_(base_window) {
  if (num_warmup_ >= 20 && init_buffer_ + base_window_ + term_buffer_ > num_warmup_) {
    stages_cut_ = true;
    init_buffer_ = static_cast<int>(0.15 * num_warmup_);
    term_buffer_ = static_cast<int>(0.1 * num_warmup_);
    base_window_ = num_warmup_ - (init_buffer_ + term_buffer_);
  }
  window_size_ = base_window_;
  next_window_ = init_buffer_ + window_size_ - 1;
}

bool WindowSchedule::in_window() const {
  return counter_ >= init_buffer_ && counter_ < num_warmup_ - term_buffer_ && counter_ != num_warmup_;
}

bool WindowSchedule::window_end() const { return counter_ == next_window_ && counter_ != num_warmup_; }

void WindowSchedule::advance() { ++counter_; }

void WindowSchedule::next_window() {
  const int last = num_warmup_ - term_buffer_ - 1;
  if (next_window_ == last) return;
  window_size_ *= 2;
  next_window_ = counter_ + window_size_;
  if (next_window_ != last && next_window_ + 2 * window_size_ >= num_warmup_ - term_buffer_) next_window_ = last;
}

MetricEstimator::MetricEstimator(Metric kind, int dimension) : kind_(kind) {
  mean_ = Eigen::VectorXd::Zero(dimension);
  m2_ = kind_ == Metric::dense ? Eigen::MatrixXd::Zero(dimension, dimension) : Eigen::MatrixXd::Zero(dimension, 1);
  delta_.resize(dimension);
}

void MetricEstimator::add(const Eigen::VectorXd& q) {
  ++n_;
  delta_ = q - mean_;
  mean_ += delta_ / static_cast<double>(n_);
  if (kind_ == Metric::dense) {
    m2_.noalias() += (q - mean_) * delta_.transpose();
  } else {
    m2_.col(0).array() += delta_.array() * (q - mean_).array();
  }
}

Eigen::MatrixXd MetricEstimator::regularized_inverse() const {
  const double n = static_cast<double>(n_);
  Eigen::MatrixXd covariance = n > 1 ? Eigen::MatrixXd(m2_ / (n - 1.0)) : Eigen::MatrixXd(Eigen::MatrixXd::Zero(m2_.rows(), m2_.cols()));
  if (kind_ == Metric::dense) covariance = 0.5 * (covariance + covariance.transpose());
  covariance *= n / (n + 5.0);
  const double shrink = 1e-3 * 5.0 / (n + 5.0);
  if (kind_ == Metric::dense) {
    covariance.diagonal().array() += shrink;
  } else {
    covariance.array() += shrink;
  }
  return covariance;
}

void MetricEstimator::restart() {
  n_ = 0;
  mean_.setZero();
  m2_.setZero();
}

}  // namespace gpbo::mcmc
