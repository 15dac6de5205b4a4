#include "gpbo/core/moments.hpp"

#include <cmath>

namespace gpbo {

MeanSd mean_sd(const Eigen::VectorXd& v, int ddof) {
  MeanSd m;
  const Eigen::Index n = v.size();
  if (n == 0) return m;
  m.mean = v.mean();
  if (!std::isfinite(m.mean)) m.mean = (v.array() / static_cast<double>(n)).sum();  // the sum overflowed
  if (n <= ddof) return m;
  const double denominator = static_cast<double>(n - ddof);
  const Eigen::ArrayXd deviation = v.array() - m.mean;
  const double squares = deviation.square().sum();
  // Squares that overflow, or that underflow towards 0, lose the sd: rescale then.
  const bool plain = std::isfinite(squares) && squares > 1e-280;
  m.sd = plain ? std::sqrt(squares / denominator) : deviation.matrix().stableNorm() / std::sqrt(denominator);
  return m;
}

}  // namespace gpbo
