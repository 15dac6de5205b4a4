#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "gpbo/core/moments.hpp"

using gpbo::mean_sd;

TEST_CASE("mean_sd: population and sample sd by hand") {
  const Eigen::Vector4d v(1.0, 2.0, 3.0, 6.0);  // mean 3, squared deviations 4 + 1 + 0 + 9 = 14
  CHECK(mean_sd(v, 0).mean == 3.0);
  CHECK(mean_sd(v, 0).sd == Approx(std::sqrt(14.0 / 4.0)));
  CHECK(mean_sd(v, 1).sd == Approx(std::sqrt(14.0 / 3.0)));
  CHECK(mean_sd(Eigen::VectorXd::Constant(1, 5.0), 1).sd == 0.0);  // too few values: 0
  CHECK(mean_sd(Eigen::VectorXd(), 0).mean == 0.0);
}

TEST_CASE("mean_sd: stays finite where the plain formulas overflow, and scales exactly") {
  const Eigen::Vector4d v(1.0, 2.0, 3.0, 6.0);
  for (double factor : {1e160, 1e300, 1e-300}) {
    INFO("factor " << factor);
    const Eigen::VectorXd scaled = factor * v;
    CHECK(mean_sd(scaled, 1).mean == Approx(3.0 * factor));
    CHECK(mean_sd(scaled, 1).sd == Approx(std::sqrt(14.0 / 3.0) * factor));
  }
  // The sum of these overflows, their mean does not.
  const double big = 0.9 * std::numeric_limits<double>::max();
  const gpbo::MeanSd m = mean_sd(Eigen::Vector3d(big, big, big), 1);
  CHECK(m.mean == Approx(big));
  CHECK(m.sd == Approx(0.0).margin(1e-6 * big));
}
