#include "gpbo/kernels/periodic.hpp"

#include <boost/math/constants/constants.hpp>
#include <stdexcept>

namespace gpbo {

namespace {
constexpr double kPi = boost::math::constants::pi<double>();
}

struct PeriodicKernel::Features {
  Eigen::MatrixXd X;     // centered active inputs
  Eigen::MatrixXd c, s;  // cos(pi X / p), sin(pi X / p): sin^2 of the half-angle differences
  Eigen::MatrixXd C, S;  // cos(2 pi X / p), sin(2 pi X / p): the period gradient's Q matrix
};

PeriodicKernel::PeriodicKernel(int input_dim, std::vector<int> active_dims, double lengthscale, double period)
    : LeafKernel(input_dim, std::move(active_dims)) {
  if (!(lengthscale > 0.0) || !(period > 0.0)) throw std::invalid_argument("periodic kernel: lengthscale and period must be positive");
  hp_.push_back(make_hyperparameter("lengthscale", lengthscale));
  hp_.push_back(make_hyperparameter("period", period));
}

std::unique_ptr<Kernel> PeriodicKernel::clone() const { return std::make_unique<PeriodicKernel>(*this); }

PeriodicKernel::Features PeriodicKernel::features(const Eigen::MatrixXd& X, const Eigen::RowVectorXd& center) const {
  Eigen::MatrixXd buf;
  Features f;
  f.X = active(X, buf).rowwise() - center;
  const Eigen::ArrayXXd half_angle = (kPi / period()) * f.X.array();
  const Eigen::ArrayXXd c = half_angle.cos(), s = half_angle.sin();
  f.c = c.matrix();
  f.s = s.matrix();
  f.C = (1.0 - 2.0 * s.square()).matrix();  // double-angle formulas: exact to rounding
  f.S = (2.0 * s * c).matrix();
  return f;
}

// sin(a - b) = sin a cos b - cos a sin b per dimension, then squared. Its rounding error is
// relative to sin(a - b) itself, so P keeps full precision when the angles are tiny (a period
// many length scales long). The (1 - cos(a - b)) / 2 form, one matrix product for all
// dimensions, lost it to cancellation: 1e-16 absolute in P is 2e-6 relative in K at l = 1e-5.
Eigen::ArrayXXd PeriodicKernel::sin2_sum(const Features& f1, const Features& f2) {
  Eigen::ArrayXXd P = Eigen::ArrayXXd::Zero(f1.X.rows(), f2.X.rows());
  Eigen::MatrixXd sin_diff(f1.X.rows(), f2.X.rows());
  for (Eigen::Index k = 0; k < f1.X.cols(); ++k) {
    sin_diff.noalias() = f1.s.col(k) * f2.c.col(k).transpose();
    sin_diff.noalias() -= f1.c.col(k) * f2.s.col(k).transpose();
    P += sin_diff.array().square();
  }
  return P;
}

// Q = A B^T with A = [X o S, -X o C, -S, C], B = [C, S, X o C, X o S] (from
// (x_a - x_b) sin(t_a - t_b) = x_a S_a C_b - x_a C_a S_b - S_a x_b C_b + C_a x_b S_b).
Eigen::MatrixXd PeriodicKernel::q_matrix_factors(const Features& f, bool left) {
  const Eigen::Index n = f.X.rows(), m = f.X.cols();
  const Eigen::MatrixXd XS = f.X.cwiseProduct(f.S), XC = f.X.cwiseProduct(f.C);
  Eigen::MatrixXd F(n, 4 * m);
  if (left) {
    F << XS, -XC, -f.S, f.C;
  } else {
    F << f.C, f.S, XC, XS;
  }
  return F;
}

namespace {
Eigen::RowVectorXd mean_or_zero(const Eigen::MatrixXd& A) {
  return A.rows() > 0 ? Eigen::RowVectorXd(A.colwise().mean()) : Eigen::RowVectorXd::Zero(A.cols());
}
}  // namespace

Eigen::MatrixXd PeriodicKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  check_columns(X1.cols(), "eval");
  check_columns(X2.cols(), "eval");
  Eigen::MatrixXd buf;
  const Eigen::RowVectorXd center = mean_or_zero(active(X2, buf));
  const double l = lengthscale();
  return (-2.0 / (l * l) * sin2_sum(features(X1, center), features(X2, center))).exp().matrix();
}

Eigen::MatrixXd PeriodicKernel::gram(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "gram");
  Eigen::MatrixXd buf;
  const Features f = features(X, mean_or_zero(active(X, buf)));
  const double l = lengthscale();
  Eigen::ArrayXXd P = sin2_sum(f, f);
  P.matrix().diagonal().setZero();
  Eigen::MatrixXd K = (-2.0 / (l * l) * P).exp().matrix();
  return K;
}

Eigen::VectorXd PeriodicKernel::diag(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "diag");
  return Eigen::VectorXd::Ones(X.rows());
}

Eigen::MatrixXd PeriodicKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  if (j > 1) throw std::out_of_range("periodic kernel: hyperparameter index out of range");
  check_columns(X.cols(), "gram_gradient");
  Eigen::MatrixXd buf;
  const Features f = features(X, mean_or_zero(active(X, buf)));
  const double l = lengthscale(), p = period();
  Eigen::ArrayXXd P = sin2_sum(f, f);
  P.matrix().diagonal().setZero();
  const Eigen::ArrayXXd K = (-2.0 / (l * l) * P).exp();
  if (j == 0) return (4.0 / (l * l) * K * P).matrix();
  const Eigen::MatrixXd Q = q_matrix_factors(f, true) * q_matrix_factors(f, false).transpose();
  return (2.0 * kPi / (l * l * p) * K * Q.array()).matrix();
}

Eigen::VectorXd PeriodicKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  double unused = 0.0;
  return gram_gradient_contract_and_sum(X, W, unused);
}

Eigen::VectorXd PeriodicKernel::gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                               double& weighted_sum) const {
  check_columns(X.cols(), "gram_gradient_contract");
  if (W.rows() != X.rows() || W.cols() != X.rows()) throw std::invalid_argument("periodic::gram_gradient_contract: W must be n x n");
  Eigen::MatrixXd buf;
  const Features f = features(X, mean_or_zero(active(X, buf)));
  const double l = lengthscale(), p = period();
  Eigen::ArrayXXd P = sin2_sum(f, f);
  P.matrix().diagonal().setZero();
  const Eigen::ArrayXXd M = (-2.0 / (l * l) * P).exp() * W.array();  // W o K
  weighted_sum = M.sum();
  Eigen::VectorXd g(2);
  g(0) = 4.0 / (l * l) * (M * P).sum();
  const Eigen::MatrixXd MB = M.matrix() * q_matrix_factors(f, false);
  g(1) = 2.0 * kPi / (l * l * p) * q_matrix_factors(f, true).cwiseProduct(MB).sum();
  return g;
}

Eigen::MatrixXd PeriodicKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  check_columns(x.cols(), "input_gradient");
  check_columns(X.cols(), "input_gradient");
  Eigen::MatrixXd buf;
  const Eigen::MatrixXd& Xa = active(X, buf);
  const double l = lengthscale(), p = period();
  const Eigen::ArrayXXd delta = ((-Xa).rowwise() + active_row(x)).array();
  const Eigen::ArrayXd k = (-2.0 / (l * l) * (kPi / p * delta).sin().square().rowwise().sum()).exp();
  const Eigen::ArrayXXd G = (-2.0 * kPi / (l * l * p)) * (2.0 * kPi / p * delta).sin();
  return scatter_columns((G.colwise() * k).matrix());
}

Eigen::RowVectorXd PeriodicKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  check_columns(x.cols(), "diag_input_gradient");
  return Eigen::RowVectorXd::Zero(x.cols());
}

}  // namespace gpbo
