#include "gpbo/bayesopt/importance.hpp"

#include <algorithm>
#include <stdexcept>

#include "gpbo/bayesopt/design.hpp"

namespace gpbo::bo {

std::vector<ParameterImportance> sobol_indices(const Space& space, const BatchFunction& f, std::size_t samples, Rng& rng,
                                               double resolution) {
  if (samples < 2) throw std::invalid_argument("sobol_indices: need at least 2 samples");
  if (!(resolution >= 0.0)) throw std::invalid_argument("sobol_indices: the resolution must be >= 0");
  std::vector<std::size_t> varied;  // indices of the parameters with encoded columns
  for (std::size_t i = 0; i < space.size(); ++i)
    if (space.parameters()[i].width() > 0) varied.push_back(i);
  if (varied.empty()) throw std::invalid_argument("sobol_indices: every parameter is fixed; nothing varies");

  // Two independent point sets A and B from one Sobol design of twice the dimension, each row
  // made a valid point; AB_i is A with parameter i's columns taken from B.
  const auto d = static_cast<Eigen::Index>(space.encoded_dim());
  const auto n = static_cast<Eigen::Index>(samples);
  const auto p = static_cast<Eigen::Index>(varied.size());
  const Eigen::MatrixXd design = quasi_random_design(samples, 2 * space.encoded_dim(), rng);
  Eigen::MatrixXd AB(2 * n, d);  // A on top of B
  for (Eigen::Index r = 0; r < n; ++r) {
    AB.row(r) = space.snap_uniform(design.row(r).head(d).transpose()).transpose();
    AB.row(n + r) = space.snap_uniform(design.row(r).tail(d).transpose()).transpose();
  }
  const auto evaluate = [&](const Eigen::MatrixXd& rows) {
    Eigen::VectorXd values = f(rows);
    if (values.size() != rows.rows())
      throw std::invalid_argument("sobol_indices: the function returned " + std::to_string(values.size()) + " values for " +
                                  std::to_string(rows.rows()) + " points");
    if (!values.allFinite()) throw std::invalid_argument("sobol_indices: the function returned a non-finite value");
    return values;
  };
  // f(A), f(B), then f(AB_k) for a block of parameters at a time: all n (p + 2) rows at once held
  // n p d values, 2.9 GB for 600 parameters.
  Eigen::VectorXd values(n * (p + 2));
  values.head(2 * n) = evaluate(AB);
  constexpr Eigen::Index kBlockValues = Eigen::Index{1} << 22;  // 32 MB of rows a call
  const Eigen::Index per_block = std::max<Eigen::Index>(1, kBlockValues / std::max<Eigen::Index>(1, n * d));
  for (Eigen::Index first = 0; first < p; first += per_block) {
    const Eigen::Index count = std::min(per_block, p - first);
    Eigen::MatrixXd rows(n * count, d);
    for (Eigen::Index k = first; k < first + count; ++k) {
      const auto i = varied[static_cast<std::size_t>(k)];
      const auto offset = static_cast<Eigen::Index>(space.offset(i));
      const auto width = static_cast<Eigen::Index>(space.parameters()[i].width());
      auto block = rows.middleRows(n * (k - first), n);
      block = AB.topRows(n);
      block.middleCols(offset, width) = AB.bottomRows(n).middleCols(offset, width);
    }
    values.segment(n * (first + 2), n * count) = evaluate(rows);
  }
  // Centred on the mean of A and B: the estimators are differences of large products otherwise.
  const Eigen::ArrayXd centred = values.array() - values.head(2 * n).mean();
  const Eigen::ArrayXd fA = centred.head(n), fB = centred.segment(n, n);
  const double variance = centred.head(2 * n).square().mean();
  // Relative to the function's own scale: a constant f may still differ by rounding.
  const double scale = values.cwiseAbs().maxCoeff();
  const bool varies = variance > std::max(1e-24 * scale * scale, resolution * resolution);

  std::vector<ParameterImportance> out;
  for (Eigen::Index k = 0; k < p; ++k) {
    ParameterImportance imp;
    imp.name = space.parameters()[varied[static_cast<std::size_t>(k)]].name;
    if (varies) {
      const Eigen::ArrayXd fAB = centred.segment(n * (k + 2), n);
      imp.total = std::clamp(0.5 * (fA - fAB).square().mean() / variance, 0.0, 1.0);
      // S_i <= T_i always; the two estimates' Monte Carlo errors can cross where they are close.
      imp.first_order = std::clamp((fB * (fAB - fA)).mean() / variance, 0.0, imp.total);
    }
    out.push_back(std::move(imp));
  }
  return out;
}

}  // namespace gpbo::bo
