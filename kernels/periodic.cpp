#include "gpbo/kernels/periodic.hpp"

#include <boost/math/constants/constants.hpp>
#include <cmath>
#include <stdexcept>

#include "gpbo/kernels/vector_math.hpp"

namespace gpbo {

namespace {
constexpr double kPi = boost::math::constants::pi<double>();

// Each entry as std::remainder(v, p), in [-p/2, p/2]: exact, with the periodic functions unchanged.
Eigen::ArrayXXd reduced(const Eigen::MatrixXd& A, double p) {
  return A.array().unaryExpr([p](double v) { return std::remainder(v, p); });
}
}

struct PeriodicKernel::Features {
  Eigen::MatrixXd X;     // centred active inputs: only the period gradient's Q matrix uses them
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
  const Eigen::MatrixXd& A = active(X, buf);
  f.X = A.rowwise() - center;
  // The angles come from each input reduced modulo the period (std::remainder is exact), not
  // from centred inputs: they then depend on no other point (a centre from the test block let
  // one far row move every other row's covariances), and the vectorized sine stays accurate
  // many periods out. sin^2 of differences and the double angles are unchanged by the reduction.
  const double p = period();
  const Eigen::ArrayXXd half_angle = (kPi / p) * reduced(A, p);
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
// Column b of P is accumulated over the dimensions while it stays in cache; with `lower_only`
// (f1 and f2 the same points) only rows a >= b are filled.
Eigen::MatrixXd PeriodicKernel::sin2_sum(const Features& f1, const Features& f2, bool lower_only) {
  const Eigen::Index n1 = f1.X.rows(), n2 = f2.X.rows();
  Eigen::MatrixXd P = Eigen::MatrixXd::Zero(n1, n2);
  for (Eigen::Index b = 0; b < n2; ++b) {
    const Eigen::Index a0 = lower_only ? b : 0;
    double* p = P.col(b).data();
    for (Eigen::Index k = 0; k < f1.X.cols(); ++k) {
      const double cb = f2.c(b, k), sb = f2.s(b, k);
      const double* s1 = f1.s.col(k).data();
      const double* c1 = f1.c.col(k).data();
      for (Eigen::Index a = a0; a < n1; ++a) {
        const double t = s1[a] * cb - c1[a] * sb;
        p[a] += t * t;
      }
    }
  }
  return P;
}

// K = exp(-2 P / l^2) from P = sin2_sum(f, f, true): the lower triangle, then mirrored.
Eigen::MatrixXd PeriodicKernel::gram_from_sin2(const Eigen::MatrixXd& P, double l) {
  const Eigen::Index n = P.rows();
  Eigen::MatrixXd K(n, n);
  for (Eigen::Index b = 0; b < n; ++b) {
    const Eigen::Index len = n - b;
    K.col(b).tail(len) = (-2.0 / (l * l)) * P.col(b).tail(len);
    exp_in_place(K.col(b).tail(len).data(), static_cast<std::size_t>(len));
    K(b, b) = 1.0;  // P's diagonal is 0 up to rounding: exactly 1, as diag() says
  }
  K.triangularView<Eigen::StrictlyUpper>() = K.transpose();
  return K;
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
  const Eigen::RowVectorXd no_center = Eigen::RowVectorXd::Zero(num_active());  // f.X unused here
  const double l = lengthscale();
  Eigen::MatrixXd K = (-2.0 / (l * l)) * sin2_sum(features(X1, no_center), features(X2, no_center), false);
  exp_in_place(K.data(), static_cast<std::size_t>(K.size()));
  return K;
}

Eigen::MatrixXd PeriodicKernel::gram(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "gram");
  Eigen::MatrixXd buf;
  const Features f = features(X, mean_or_zero(active(X, buf)));
  return gram_from_sin2(sin2_sum(f, f, true), lengthscale());
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
  Eigen::MatrixXd P = sin2_sum(f, f, true);
  const Eigen::MatrixXd K = gram_from_sin2(P, l);
  P.diagonal().setZero();
  P.triangularView<Eigen::StrictlyUpper>() = P.transpose();
  if (j == 0) return (4.0 / (l * l)) * K.cwiseProduct(P);
  const Eigen::MatrixXd Q = q_matrix_factors(f, true) * q_matrix_factors(f, false).transpose();
  return (2.0 * kPi / (l * l * p)) * K.cwiseProduct(Q);
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
  Eigen::MatrixXd P = sin2_sum(f, f, true);
  const Eigen::MatrixXd M = gram_from_sin2(P, l).cwiseProduct(W);  // W o K
  weighted_sum = M.sum();
  // sum_ab M_ab P_ab from P's lower triangle: its diagonal is 0, and M's upper triangle adds
  // M_ba P_ab (M need not be symmetric).
  double mp = 0.0;
  for (Eigen::Index b = 0; b < P.cols(); ++b)
    for (Eigen::Index a = b + 1; a < P.rows(); ++a) mp += (M(a, b) + M(b, a)) * P(a, b);
  Eigen::VectorXd g(2);
  g(0) = 4.0 / (l * l) * mp;
  const Eigen::MatrixXd MB = M * q_matrix_factors(f, false);
  g(1) = 2.0 * kPi / (l * l * p) * q_matrix_factors(f, true).cwiseProduct(MB).sum();
  return g;
}

Eigen::MatrixXd PeriodicKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  check_columns(x.cols(), "input_gradient");
  check_columns(X.cols(), "input_gradient");
  Eigen::MatrixXd buf;
  const Eigen::MatrixXd& Xa = active(X, buf);
  const double l = lengthscale(), p = period();
  // Differences of the reduced inputs (as in features()): x - X_b up to whole periods, which
  // the sines below do not see, and accurate however many periods out x lies.
  const Eigen::ArrayXXd delta = (-reduced(Xa, p)).rowwise() + reduced(active_row(x), p).row(0);
  const Eigen::ArrayXd k = (-2.0 / (l * l) * (kPi / p * delta).sin().square().rowwise().sum()).exp();
  const Eigen::ArrayXXd G = (-2.0 * kPi / (l * l * p)) * (2.0 * kPi / p * delta).sin();
  return scatter_columns((G.colwise() * k).matrix());
}

Eigen::RowVectorXd PeriodicKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  check_columns(x.cols(), "diag_input_gradient");
  return Eigen::RowVectorXd::Zero(x.cols());
}

}  // namespace gpbo
