#include "gpbo/bayesopt/penalties.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gpbo::bo {

namespace {
constexpr double kPenaltyGap = 100.0;
}  // namespace

PenaltyCut find_penalties(const Eigen::VectorXd& y) {
  std::vector<double> v(y.data(), y.data() + y.size());
  std::sort(v.begin(), v.end());
  PenaltyCut cut;
  for (std::size_t j = v.size(); j-- > 3;) {
    const double gap = v[j] - v[j - 1], below = v[j - 1] - v[0], above = v.back() - v[j];
    if (!(below > 0.0 && gap > kPenaltyGap * below && gap >= above)) continue;
    cut.from = v[j];
    cut.value = v[j - 1] + below;
    // Merge the cluster into the value below it, so that the next one down is judged without it.
    std::fill(v.begin() + static_cast<std::ptrdiff_t>(j), v.end(), v[j - 1]);
  }
  if (!std::isfinite(cut.value)) cut = PenaltyCut{};
  return cut;
}

}  // namespace gpbo::bo
