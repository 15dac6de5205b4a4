#include "gpbo/mcmc/hamiltonian.hpp"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace gpbo::mcmc {

EuclideanMetric::EuclideanMetric(Metric kind, int dimension) : kind_(kind), dimension_(dimension) {
  inverse_diag_ = Eigen::VectorXd::Ones(dimension);
  if (kind_ == Metric::dense) {
    inverse_dense_ = Eigen::MatrixXd::Identity(dimension, dimension);
    chol_upper_ = inverse_dense_;
  }
  scratch_.resize(dimension);
}

EuclideanMetric EuclideanMetric::initial(const SamplerOptions& options, int dimension, const std::string& sampler) {
  EuclideanMetric metric(options.metric, dimension);
  const auto& m = options.inverse_metric;
  if (m.size() == 0) return metric;
  if (m.rows() != dimension)
    throw std::invalid_argument(sampler + ": inverse_metric is " + std::to_string(m.rows()) + " x " +
                                std::to_string(m.cols()) + ", model dimension is " + std::to_string(dimension));
  metric.set_inverse(m);
  return metric;
}

void EuclideanMetric::set_inverse(const Eigen::MatrixXd& inverse_metric) {
  if (kind_ == Metric::unit) return;
  if (kind_ == Metric::diag) {
    if (inverse_metric.rows() != dimension_ || inverse_metric.cols() != 1)
      throw std::invalid_argument("diagonal inverse metric must be a d x 1 vector");
    if (!((inverse_metric.array() > 0.0).all() && inverse_metric.allFinite()))
      throw std::invalid_argument("diagonal inverse metric must be positive and finite");
    inverse_diag_ = inverse_metric.col(0);
    return;
  }
  if (inverse_metric.rows() != dimension_ || inverse_metric.cols() != dimension_)
    throw std::invalid_argument("dense inverse metric must be d x d");
  Eigen::LLT<Eigen::MatrixXd> llt(inverse_metric);
  if (llt.info() != Eigen::Success || !inverse_metric.allFinite())
    throw std::invalid_argument("dense inverse metric is not symmetric positive definite");
  inverse_dense_ = inverse_metric;
  chol_upper_ = llt.matrixU();
}

Eigen::MatrixXd EuclideanMetric::inverse() const {
  switch (kind_) {
    case Metric::unit: return {};
    case Metric::diag: return inverse_diag_;
    case Metric::dense: return inverse_dense_;
  }
  return {};
}

double EuclideanMetric::kinetic(const Eigen::VectorXd& p) const {
  switch (kind_) {
    case Metric::unit: return 0.5 * p.squaredNorm();
    case Metric::diag: return 0.5 * p.dot(inverse_diag_.cwiseProduct(p));
    case Metric::dense: return 0.5 * p.dot(inverse_dense_ * p);
  }
  return 0.0;
}

void EuclideanMetric::velocity(const Eigen::VectorXd& p, Eigen::VectorXd& v) const {
  switch (kind_) {
    case Metric::unit: v = p; return;
    case Metric::diag: v = inverse_diag_.cwiseProduct(p); return;
    case Metric::dense: v.noalias() = inverse_dense_ * p; return;
  }
}

void EuclideanMetric::sample_momentum(Rng& rng, Eigen::VectorXd& p) const {
  p.resize(dimension_);
  for (int i = 0; i < dimension_; ++i) p(i) = standard_normal(rng);
  if (kind_ == Metric::diag) {
    p.array() /= inverse_diag_.array().sqrt();
  } else if (kind_ == Metric::dense) {
    chol_upper_.triangularView<Eigen::Upper>().solveInPlace(p);
  }
}

void Hamiltonian::evaluate(PhasePoint& z) {
  ++gradient_evaluations_;
  z.lp = sampled_log_density_gradient(model_, z.q, z.grad);
  // Sampler::run is public: a callable that leaves grad unsized must not reach the leapfrog.
  if (std::isfinite(z.lp)) check_gradient_size(model_, z.grad);
  // Taken for outside the support, as a NaN energy would be (a divergence), but counted: inside
  // the support it silently cuts the posterior off there, and the divergence warning alone
  // points at the step size instead of the model.
  if (std::isfinite(z.lp) && !z.grad.allFinite()) {
    if (nonfinite_gradients_++ == 0) first_nonfinite_gradient_ = z.q;
    z.lp = -std::numeric_limits<double>::infinity();
  }
}

double Hamiltonian::energy(const PhasePoint& z) const {
  if (!std::isfinite(z.lp)) return std::numeric_limits<double>::infinity();
  const double h = -z.lp + metric_.kinetic(z.p);
  return std::isnan(h) ? std::numeric_limits<double>::infinity() : h;
}

void Hamiltonian::leapfrog(PhasePoint& z, double eps) {
  z.p.noalias() += (0.5 * eps) * z.grad;
  metric_.velocity(z.p, velocity_);
  z.q.noalias() += eps * velocity_;
  evaluate(z);
  z.p.noalias() += (0.5 * eps) * z.grad;
}

double Hamiltonian::init_stepsize(const PhasePoint& z, double stepsize, Rng& rng) {
  if (!(stepsize > 0.0) || stepsize > 1e7 || !std::isfinite(z.lp)) return stepsize;
  const double log_target = std::log(0.8);
  auto one_step_log_accept = [&] {
    PhasePoint trial = z;
    metric_.sample_momentum(rng, trial.p);
    const double h0 = energy(trial);
    leapfrog(trial, stepsize);
    return h0 - energy(trial);
  };
  const int direction = one_step_log_accept() > log_target ? 1 : -1;
  while (true) {
    const double delta = one_step_log_accept();
    if (direction == 1 && !(delta > log_target)) break;
    if (direction == -1 && !(delta < log_target)) break;
    stepsize = direction == 1 ? 2.0 * stepsize : 0.5 * stepsize;
    if (stepsize > 1e7)
      throw std::runtime_error("step size search diverged to > 1e7: the posterior may be improper");
    if (stepsize < 1e-300) throw std::runtime_error("step size search collapsed to 0: the log density may be broken");
  }
  return stepsize;
}

}  // namespace gpbo::mcmc
