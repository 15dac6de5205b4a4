#include "gpbo/kernels/stationary.hpp"

#include <stdexcept>

#include "gpbo/kernels/column_distances.hpp"

namespace gpbo {
namespace {

using Eigen::Index;

}  // namespace

StationaryKernel::StationaryKernel(int input_dim, bool ard, std::vector<int> active_dims)
    : LeafKernel(input_dim, std::move(active_dims)), ard_(ard) {
  make_lengthscales(num_lengthscales(), make_hyperparameter("lengthscale", 1.0));
}

void StationaryKernel::make_lengthscales(std::size_t count, const Hyperparameter& like) {
  std::vector<Hyperparameter> ls(count, like);
  for (std::size_t i = 0; i < count; ++i) ls[i].name = ard_ ? "lengthscale[" + std::to_string(i) + "]" : "lengthscale";
  hp_.insert(hp_.begin(), ls.begin(), ls.end());
}

std::size_t StationaryKernel::num_lengthscales() const {
  if (!ard_) return 1;
  return groups_.empty() ? static_cast<std::size_t>(num_active()) : groups_.size();
}

std::size_t StationaryKernel::lengthscale_index(Index k) const {
  if (!ard_) return 0;
  return groups_.empty() ? static_cast<std::size_t>(k) : group_of_[static_cast<std::size_t>(k)];
}

void StationaryKernel::set_lengthscale_groups(const std::vector<std::vector<int>>& groups) {
  if (!ard_) throw std::invalid_argument(name() + ": length-scale groups need ARD length scales, not a shared one");
  std::vector<int> dims;
  std::vector<std::size_t> group_of;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].empty()) throw std::invalid_argument(name() + ": length-scale group " + std::to_string(g) + " is empty");
    dims.insert(dims.end(), groups[g].begin(), groups[g].end());
    group_of.insert(group_of.end(), groups[g].size(), g);
  }
  const Hyperparameter like = hp_.front();
  if (groups.empty()) {
    if (groups_.empty()) return;
    set_active_dims(active_dims());  // back to one length scale per dimension
    return;
  }
  set_active_dims(dims);  // validates the columns; rebuilds ARD length scales
  hp_.erase(hp_.begin(), hp_.begin() + num_active());
  groups_ = groups;
  group_of_ = std::move(group_of);
  make_lengthscales(groups_.size(), like);
}

std::string StationaryKernel::dims_expression() const {
  if (groups_.empty()) return LeafKernel::dims_expression();
  std::string s = "[";
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (std::size_t i = 0; i < groups_[g].size(); ++i) s += (g && !i ? ";" : (i ? "," : "")) + std::to_string(groups_[g][i]);
  }
  return s + (groups_.size() == 1 ? ";]" : "]");  // se[0,1;]: one group, not ARD over 0 and 1
}

void StationaryKernel::on_active_dims_changed() {
  groups_.clear();
  group_of_.clear();
  if (!ard_) return;
  std::size_t old = 0;
  while (old < hp_.size() && hp_[old].name.rfind("lengthscale[", 0) == 0) ++old;
  Hyperparameter like = hp_.front();
  hp_.erase(hp_.begin(), hp_.begin() + static_cast<std::ptrdiff_t>(old));
  make_lengthscales(num_lengthscales(), like);
}

std::vector<std::string> StationaryKernel::options() const {
  if (ard_) return {};
  return {"iso"};
}

Eigen::ArrayXd StationaryKernel::lengthscales() const {
  const Index m = num_active();
  Eigen::ArrayXd l(m);
  for (Index k = 0; k < m; ++k) l(k) = std::exp(hp_[lengthscale_index(k)].log_value);
  return l;
}

Eigen::MatrixXd StationaryKernel::scaled(const Eigen::MatrixXd& X) const {
  Eigen::MatrixXd buf;
  const Eigen::ArrayXd inv_l = lengthscales().inverse();
  return active(X, buf).array().rowwise() * inv_l.transpose();
}

Eigen::MatrixXd StationaryKernel::eval(const Eigen::MatrixXd& X1, const Eigen::MatrixXd& X2) const {
  check_columns(X1.cols(), "eval");
  check_columns(X2.cols(), "eval");
  const Eigen::MatrixXd Z1 = scaled(X1), Z2t = scaled(X2).transpose();
  Eigen::MatrixXd K(X1.rows(), X2.rows());
  for (Index j = 0; j < K.cols(); ++j) squared_distances_to(Z1, 0, Z2t.col(j).data(), K.col(j).data());
  profile(K.data(), K.size(), K.data(), nullptr);
  return K;
}

Eigen::MatrixXd StationaryKernel::gram(const Eigen::MatrixXd& X) const {
  Eigen::MatrixXd K = gram_impl(X, nullptr, 1.0);
  K.triangularView<Eigen::StrictlyUpper>() = K.transpose();
  return K;
}

Eigen::MatrixXd StationaryKernel::gram_with_derivative(const Eigen::MatrixXd& X, Eigen::MatrixXd& derivative,
                                                       double factor) const {
  derivative.resize(X.rows(), X.rows());
  return gram_impl(X, &derivative, factor);
}

Eigen::MatrixXd StationaryKernel::gram_impl(const Eigen::MatrixXd& X, Eigen::MatrixXd* derivative, double factor) const {
  check_columns(X.cols(), "gram");
  const Eigen::MatrixXd Z = scaled(X), Zt = Z.transpose();
  const Index n = X.rows();
  Eigen::MatrixXd K(n, n);
  for (Index j = 0; j < n; ++j) {
    double* col = K.col(j).data() + j;
    squared_distances_to(Z, j, Zt.col(j).data(), col);
    profile(col, n - j, col, derivative ? derivative->col(j).data() + j : nullptr);
    if (factor != 1.0) K.col(j).tail(n - j) *= factor;  // while the column is in cache
  }
  return K;
}

Eigen::VectorXd StationaryKernel::diag(const Eigen::MatrixXd& X) const {
  check_columns(X.cols(), "diag");
  Eigen::VectorXd d = Eigen::VectorXd::Zero(X.rows());
  profile(d.data(), d.size(), d.data(), nullptr);
  return d;
}

void StationaryKernel::extra_gradient(std::size_t e, const double*, const double*, Index, double*) const {
  throw std::out_of_range(name() + ": no extra hyperparameter " + std::to_string(e));
}

Eigen::MatrixXd StationaryKernel::gram_gradient(const Eigen::MatrixXd& X, std::size_t j) const {
  check_columns(X.cols(), "gram_gradient");
  if (j >= hp_.size()) throw std::out_of_range(name() + ": hyperparameter index " + std::to_string(j) + " out of range");
  const Eigen::MatrixXd Z = scaled(X), Zt = Z.transpose();
  Eigen::ArrayXXd D2(X.rows(), X.rows());
  for (Index b = 0; b < X.rows(); ++b) squared_distances_to(Z, 0, Zt.col(b).data(), D2.col(b).data());
  Eigen::ArrayXXd K(D2.rows(), D2.cols()), dK(D2.rows(), D2.cols());
  profile(D2.data(), D2.size(), K.data(), dK.data());
  const std::size_t L = num_lengthscales();
  if (j >= L) {
    Eigen::MatrixXd G(D2.rows(), D2.cols());
    extra_gradient(j - L, D2.data(), K.data(), D2.size(), G.data());
    return G;
  }
  // f'(r^2) r^2 is 0 where f' is: r^2 may have overflowed to inf (inputs 1e160 apart), and 0 inf is NaN.
  if (!ard_) return (dK == 0.0).select(0.0, -2.0 * dK * D2).matrix();
  Eigen::ArrayXXd diff2 = Eigen::ArrayXXd::Zero(X.rows(), X.rows());  // over the dimensions of length scale j
  for (Index k = 0; k < Z.cols(); ++k) {
    if (lengthscale_index(k) != j) continue;
    for (Index b = 0; b < X.rows(); ++b) diff2.col(b) += (Z.col(k).array() - Z(b, k)).square();
  }
  return (dK == 0.0).select(0.0, -2.0 * dK * diff2).matrix();
}

Eigen::VectorXd StationaryKernel::gram_gradient_contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W) const {
  double unused = 0.0;
  return gram_gradient_contract_and_sum(X, W, unused);
}

Eigen::VectorXd StationaryKernel::gram_gradient_contract_and_sum(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                                 double& weighted_sum) const {
  return contract(X, W, nullptr, 1.0, weighted_sum, nullptr);
}

Eigen::VectorXd StationaryKernel::gram_gradient_contract_given_gram(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W,
                                                                    const Eigen::MatrixXd& gram, double factor,
                                                                    double& weighted_sum, const Eigen::MatrixXd* derivative) const {
  if (gram.rows() != X.rows() || gram.cols() != X.rows() || !(factor > 0.0)) {
    throw std::invalid_argument(name() + "::gram_gradient_contract_given_gram: gram must be n x n and factor > 0");
  }
  if (derivative && derivative->size() == 0) derivative = nullptr;
  if (derivative && (derivative->rows() != X.rows() || derivative->cols() != X.rows())) {
    throw std::invalid_argument(name() + "::gram_gradient_contract_given_gram: derivative must be n x n");
  }
  return contract(X, W, &gram, factor, weighted_sum, derivative);
}

void StationaryKernel::profile_derivative(const double* D2, const double*, Index n, double* dK) const {
  Eigen::ArrayXd k(n);
  profile(D2, n, k.data(), dK);
}

Eigen::VectorXd StationaryKernel::contract(const Eigen::MatrixXd& X, const Eigen::MatrixXd& W, const Eigen::MatrixXd* gram,
                                           double factor, double& weighted_sum, const Eigen::MatrixXd* derivative) const {
  check_columns(X.cols(), "gram_gradient_contract");
  const Index n = X.rows();
  if (W.rows() != n || W.cols() != n) throw std::invalid_argument(name() + "::gram_gradient_contract: W must be n x n");
  const Eigen::MatrixXd Z = scaled(X), Zt = Z.transpose();
  const std::size_t L = num_lengthscales(), E = hp_.size() - L;
  Eigen::VectorXd d2(n), k(n), dk(n), ex(n);
  Eigen::VectorXd s = Eigen::VectorXd::Zero(ard_ ? Z.cols() : 0);
  Eigen::VectorXd extra = Eigen::VectorXd::Zero(static_cast<Index>(E));
  double iso = 0.0;
  weighted_sum = 0.0;
  // With f'(r^2) kept, ARD length scales need no distances (only per-dimension differences).
  const bool need_d2 = !(gram && derivative) || !ard_ || E > 0;
  // Column j of the lower triangle; off-diagonal entries count twice (W symmetric).
  for (Index j = 0; j < n; ++j) {
    const Index len = n - j;
    if (need_d2) squared_distances_to(Z, j, Zt.col(j).data(), d2.data());
    const auto w = W.col(j).tail(len);
    // K's column (times `scale`) and f'(D2) on it, read in place where the caller has them.
    const double* kj = k.data();
    double scale = 1.0;
    const double* dkj = dk.data();
    if (gram && derivative) {
      kj = gram->col(j).data() + j;
      scale = 1.0 / factor;
      dkj = derivative->col(j).data() + j;
      if (E > 0) k.head(len) = gram->col(j).tail(len) * scale;  // the extra gradients take K itself
    } else if (gram) {
      k.head(len) = gram->col(j).tail(len) * (1.0 / factor);
      profile_derivative(d2.data(), k.data(), len, dk.data());
    } else {
      profile(d2.data(), len, k.data(), dk.data());
    }
    const Eigen::Map<const Eigen::VectorXd> kcol(kj, len);
    weighted_sum += scale * (2.0 * w.dot(kcol) - w(0) * kcol(0));
    for (std::size_t e = 0; e < E; ++e) {
      extra_gradient(e, d2.data(), k.data(), len, ex.data());
      extra(static_cast<Index>(e)) += 2.0 * w.dot(ex.head(len)) - w(0) * ex(0);
    }
    if (len == 1) continue;
    // M = W o f'(D2) below the diagonal, never formed: s_k += sum_a M_aj (z_ak - z_jk)^2.
    if (ard_) {
      add_weighted_squared_differences(Z, j + 1, Zt.col(j).data(), w.data() + 1, dkj + 1, s.data());
    } else {
      const Eigen::Map<const Eigen::VectorXd> dkcol(dkj + 1, len - 1);
      auto d2col = d2.segment(1, len - 1);
      d2col = (dkcol.array() == 0.0).select(0.0, d2col.array()).matrix();  // 0 inf would be NaN (see gram_gradient)
      iso += w.tail(len - 1).cwiseProduct(dkcol).dot(d2col);
    }
  }
  // dK/du_k = -2 f'(D2) (z_ak - z_bk)^2; both triangles count, hence -4.
  Eigen::VectorXd g(static_cast<Index>(hp_.size()));
  if (ard_) {
    g.head(static_cast<Index>(L)).setZero();
    for (Index k = 0; k < s.size(); ++k) g(static_cast<Index>(lengthscale_index(k))) += -4.0 * s(k);
  } else {
    g(0) = -4.0 * iso;
  }
  g.tail(static_cast<Index>(E)) = extra;
  return g;
}

Eigen::MatrixXd StationaryKernel::input_gradient(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X) const {
  Eigen::VectorXd unused;
  return input_gradient_and_value(x, X, unused);
}

Eigen::MatrixXd StationaryKernel::input_gradient_and_value(const Eigen::RowVectorXd& x, const Eigen::MatrixXd& X,
                                                           Eigen::VectorXd& value) const {
  check_columns(x.cols(), "input_gradient");
  check_columns(X.cols(), "input_gradient");
  Eigen::MatrixXd buf;
  const Eigen::MatrixXd& Xa = active(X, buf);
  const Eigen::ArrayXd inv_l = lengthscales().inverse();
  // Distances as eval() sums them, so the values are eval(x, X)'s to the last bit.
  const Eigen::RowVectorXd zx = active_row(x).array() * inv_l.transpose();
  value.resize(X.rows());
  squared_distances_to(scaled(X), 0, zx.data(), value.data());
  Eigen::ArrayXd dK(X.rows());
  profile(value.data(), value.size(), value.data(), dK.data());
  const Eigen::ArrayXXd delta = ((-Xa).rowwise() + active_row(x)).array();  // x - X_i
  const Eigen::ArrayXXd scaled_delta = delta.rowwise() * inv_l.square().transpose();
  return scatter_columns((scaled_delta.colwise() * (2.0 * dK)).matrix());
}

Eigen::RowVectorXd StationaryKernel::diag_input_gradient(const Eigen::RowVectorXd& x) const {
  check_columns(x.cols(), "diag_input_gradient");
  return Eigen::RowVectorXd::Zero(x.cols());
}

}  // namespace gpbo
