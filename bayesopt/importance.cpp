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
  Eigen::MatrixXd rows(n * (p + 2), d);
  for (Eigen::Index r = 0; r < n; ++r) {
    rows.row(r) = space.snap_uniform(design.row(r).head(d).transpose()).transpose();
    rows.row(n + r) = space.snap_uniform(design.row(r).tail(d).transpose()).transpose();
  }
  for (Eigen::Index k = 0; k < p; ++k) {
    const auto i = varied[static_cast<std::size_t>(k)];
    const auto offset = static_cast<Eigen::Index>(space.offset(i));
    const auto width = static_cast<Eigen::Index>(space.parameters()[i].width());
    auto AB = rows.middleRows(n * (k + 2), n);
    AB = rows.topRows(n);
    AB.middleCols(offset, width) = rows.middleRows(n, n).middleCols(offset, width);
  }

  const Eigen::VectorXd values = f(rows);
  if (values.size() != rows.rows())
    throw std::invalid_argument("sobol_indices: the function returned " + std::to_string(values.size()) + " values for " +
                                std::to_string(rows.rows()) + " points");
  if (!values.allFinite()) throw std::invalid_argument("sobol_indices: the function returned a non-finite value");
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
