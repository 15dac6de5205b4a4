#include "kernels/stationary.hpp"

#include <stdexcept>

namespace gpbo {

StationaryKernel::StationaryKernel(int input_dim, bool ard, std::vector<int> active_dims)
    : LeafKernel(input_dim, std::move(active_dims)), ard_(ard) {
  make_lengthscales(num_lengthscales(), make_hyperparameter("lengthscale", 1.0));
}

void StationaryKernel::make_lengthscales(std::size_t count, const Hyperparameter& like) {
  std::vector<Hyperparameter> ls(count, like);
  for (std::size_t i = 0; i < count; ++i) ls[i].name = ard_ ? "lengthscale[" + std::to_string(i) + "]" : "lengthscale";
  hp_.insert(hp_.begin(), ls.begin(), ls.end());
}

void StationaryKernel::on_active_dims_changed() {
  if (!ard_) return;
  std::size_t old = 0;
  while (old < hp_.size() && hp_[old].name.rfind("lengthscale[", 0) == 0) ++old;
  const Hyperparameter like = hp_.front();
  hp_.erase(hp_.begin(), hp_.begin() + static_cast<std::ptrdiff_t>(old));
  make_lengthscales(num_lengthscales(), like);
}

std::vector<std::string> StationaryKernel::options() const {
  if (ard_) return {};
  return {"iso"};
}

Eigen::ArrayXd StationaryKernel::lengthscales() const {
  const Eigen::Index m = num_active();
  Eigen::ArrayXd l(m);
  for (Eigen::Index k = 0; k < m; ++k) l(k) = std::exp(hp_[ard_ ? static_cast<std::size_t>(k) : 0].log_value);
  return l;
}

Eigen::MatrixXd StationaryKernel::scaled(const Eigen::MatrixXd& Xa, const Eigen::RowVectorXd& center) const {
  const Eigen::RowVectorXd inv_l = lengthscales().inverse().matrix().transpose();
  return (Xa.rowwise() - center).array().rowwise() * inv_l.array();
}

Eigen::ArrayXXd StationaryKernel::gram_sq_dist(const Eigen::MatrixXd& X, Eigen::MatrixXd* Zout) const {
  Eigen::MatrixXd buf;
  const Eigen::MatrixXd& Xa = active(X, buf);
  const Eigen::RowVectorXd center = Xa.rows() > 0 ? Eigen::RowVectorXd(Xa.colwise().mean()) : Eigen::RowVectorXd::Zero(Xa.cols());
  Eigen::MatrixXd Z = scaled(Xa, center);
  const Eigen::VectorXd sq = Z.rowwise().squaredNorm();
  Eigen::ArrayXXd D2 = (-2.0 * Z * Z.transpose()).array();
  D2.colwise() += sq.array();
  D2.rowwise() += sq.transpose().array();
  D2 = D2.max(0.0);
  D2.matrix().diagonal().setZero();
  if (Zout) *Zout = std::move(Z);
  return D2;
}

Eigen::MatrixXd StationaryKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  check_columns(X1.cols(), "eval");
  check_columns(X2.cols(), "eval");
  Eigen::MatrixXd b1, b2;
  const Eigen::MatrixXd& A1 = active(X1, b1);
  const Eigen::MatrixXd& A2 = active(X2, b2);
  const Eigen::RowVectorXd center = A2.rows() > 0 ? Eigen::RowVectorXd(A2.colwise().mean()) : Eigen::RowVectorXd::Zero(A2.cols());
  const Eigen::MatrixXd Z1 = scaled(A1, center), Z2 = scaled(A2, center);
  Eigen::ArrayXXd D2 = (-2.0 * Z1 * Z2.transpose()).array();
  D2.colwise() += Z1.rowwise().squaredNorm().array();
  D2.rowwise() += Z2.rowwise().squaredNorm().transpose().array();
  D2 = D2.max(0.0);
  Eigen::ArrayXXd K;
  profile(D2, K, nullptr);
  return K.matrix();
}

Eigen::MatrixXd StationaryKernel::gram(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "gram");
  Eigen::ArrayXXd K;
  profile(gram_sq_dist(X, nullptr), K, nullptr);
  return K.matrix();
}

Eigen::VectorXd StationaryKernel::diag(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "diag");
  Eigen::ArrayXXd K;
  profile(Eigen::ArrayXXd::Zero(X.rows(), 1), K, nullptr);
  return K.matrix().col(0);
}

Eigen::ArrayXXd StationaryKernel::extra_gradient(std::size_t e, const Eigen::ArrayXXd&, const Eigen::ArrayXXd&) const {
  throw std::out_of_range(name() + ": no extra hyperparameter " + std::to_string(e));
}

Eigen::MatrixXd StationaryKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  check_columns(X.cols(), "gram_gradient");
  if (j >= hp_.size()) throw std::out_of_range(name() + ": hyperparameter index " + std::to_string(j) + " out of range");
  Eigen::MatrixXd Z;
  const Eigen::ArrayXXd D2 = gram_sq_dist(X, &Z);
  Eigen::ArrayXXd K, dK;
  profile(D2, K, &dK);
  const std::size_t L = num_lengthscales();
  if (j >= L) return extra_gradient(j - L, D2, K).matrix();
  if (!ard_) return (-2.0 * dK * D2).matrix();
  const Eigen::Index k = static_cast<Eigen::Index>(j);
  Eigen::ArrayXXd diff2(X.rows(), X.rows());
  for (Eigen::Index b = 0; b < X.rows(); ++b) diff2.col(b) = (Z.col(k).array() - Z(b, k)).square();
  return (-2.0 * dK * diff2).matrix();
}

Eigen::VectorXd StationaryKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  double unused = 0.0;
  return gram_gradient_contract_and_sum(X, W, unused);
}

Eigen::VectorXd StationaryKernel::gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                                 double& weighted_sum) const {
  check_columns(X.cols(), "gram_gradient_contract");
  if (W.rows() != X.rows() || W.cols() != X.rows()) throw std::invalid_argument(name() + "::gram_gradient_contract: W must be n x n");
  Eigen::MatrixXd Z;
  const Eigen::ArrayXXd D2 = gram_sq_dist(X, &Z);
  Eigen::ArrayXXd K, M;
  profile(D2, K, &M);
  weighted_sum = (W.array() * K).sum();
  M *= W.array();  // M = W o f'(D2)
  const std::size_t L = num_lengthscales();
  Eigen::VectorXd g(static_cast<Eigen::Index>(hp_.size()));
  if (ard_) {
    const Eigen::VectorXd rows = M.rowwise().sum().matrix(), cols = M.colwise().sum().transpose().matrix();
    const Eigen::MatrixXd MZ = M.matrix() * Z;
    const Eigen::ArrayXXd Z2 = Z.array().square();
    const Eigen::VectorXd s = (Z2.matrix().transpose() * (rows + cols)).array() - 2.0 * (Z.array() * MZ.array()).colwise().sum().transpose();
    g.head(static_cast<Eigen::Index>(L)) = -2.0 * s;
  } else {
    g(0) = -2.0 * (M * D2).sum();
  }
  for (std::size_t e = L; e < hp_.size(); ++e) g(static_cast<Eigen::Index>(e)) = (W.array() * extra_gradient(e - L, D2, K)).sum();
  return g;
}

Eigen::MatrixXd StationaryKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  check_columns(x.cols(), "input_gradient");
  check_columns(X.cols(), "input_gradient");
  Eigen::MatrixXd buf;
  const Eigen::MatrixXd& Xa = active(X, buf);
  const Eigen::ArrayXd inv_l2 = lengthscales().inverse().square();
  const Eigen::ArrayXXd delta = ((-Xa).rowwise() + active_row(x)).array();  // x - X_i
  const Eigen::ArrayXXd scaled_delta = delta.rowwise() * inv_l2.transpose();
  const Eigen::ArrayXXd D2 = (delta * scaled_delta).rowwise().sum();
  Eigen::ArrayXXd K, dK;
  profile(D2, K, &dK);
  const Eigen::MatrixXd G = (scaled_delta.colwise() * (2.0 * dK.col(0))).matrix();
  return scatter_columns(G);
}

Eigen::RowVectorXd StationaryKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  check_columns(x.cols(), "diag_input_gradient");
  return Eigen::RowVectorXd::Zero(x.cols());
}

}  // namespace gpbo
