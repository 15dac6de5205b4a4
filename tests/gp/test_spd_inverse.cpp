#include <catch2/catch.hpp>
#include <cmath>
#include <utility>

#include <Eigen/Dense>

#include "gpbo/core/random.hpp"
#include "gpbo/gp/cholesky.hpp"
#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/gp/spd_inverse.hpp"

namespace {
Eigen::MatrixXd random_spd(int n, std::uint64_t seed) {
  gpbo::Rng rng = gpbo::make_rng(seed);
  Eigen::MatrixXd A(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) A(i, j) = gpbo::standard_normal(rng);
  return A * A.transpose() / n + 0.1 * Eigen::MatrixXd::Identity(n, n);
}
}  // namespace

TEST_CASE("spd_inverse: matches a direct inverse across leaf and recursive sizes") {
  for (int n : {1, 2, 7, 64, 65, 130, 301, 530}) {  // 530: the two-thread path
    const Eigen::MatrixXd K = random_spd(n, static_cast<std::uint64_t>(n));
    Eigen::MatrixXd F = K.llt().matrixL();
    gpbo::spd_inverse_from_cholesky(F);
    const Eigen::MatrixXd direct = K.inverse();
    INFO("n = " << n);
    CHECK((F - direct).norm() <= 1e-10 * direct.norm());
    CHECK((F - F.transpose()).norm() == 0.0);
  }
}

TEST_CASE("spd_inverse: the lower-triangle variant fills the lower triangle only") {
  for (int n : {40, 530}) {
    const Eigen::MatrixXd K = random_spd(n, 8);
    Eigen::MatrixXd F = K;
    Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> llt(F);  // L below, K's upper triangle kept
    gpbo::spd_inverse_lower_from_cholesky(F);
    const Eigen::MatrixXd direct = K.inverse();
    INFO("n = " << n);
    CHECK((Eigen::MatrixXd(F.triangularView<Eigen::Lower>()) - Eigen::MatrixXd(direct.triangularView<Eigen::Lower>())).norm() <=
          1e-10 * direct.norm());
    CHECK(Eigen::MatrixXd(F.triangularView<Eigen::StrictlyUpper>()) == Eigen::MatrixXd(K.triangularView<Eigen::StrictlyUpper>()));
  }
}

TEST_CASE("spd_inverse: triangular inverse leaves the strict upper triangle untouched") {
  const int n = 150;
  const Eigen::MatrixXd K = random_spd(n, 3);
  Eigen::MatrixXd F = K;
  Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> llt(F);
  const Eigen::MatrixXd L = F.triangularView<Eigen::Lower>();
  gpbo::invert_lower_triangular(F);
  const Eigen::MatrixXd Linv = F.triangularView<Eigen::Lower>();
  CHECK((Linv * L - Eigen::MatrixXd::Identity(n, n)).norm() < 1e-10 * n);
  const Eigen::MatrixXd upper = F.triangularView<Eigen::StrictlyUpper>();
  const Eigen::MatrixXd expected_upper = K.triangularView<Eigen::StrictlyUpper>();
  CHECK(upper == expected_upper);
}

TEST_CASE("cholesky_with_jitter: no jitter when not needed, escalates for singular, throws when hopeless") {
  Eigen::MatrixXd K = random_spd(20, 5);
  const Eigen::MatrixXd K0 = K;
  CHECK(gpbo::cholesky_with_jitter(K) == 0.0);
  const Eigen::MatrixXd L = K.triangularView<Eigen::Lower>();
  CHECK((L * L.transpose() - K0).norm() < 1e-12 * K0.norm());

  // Rank-one matrix: singular, needs jitter.
  Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(10, 1.0, 2.0);
  Eigen::MatrixXd S = v * v.transpose();
  const double jitter = gpbo::cholesky_with_jitter(S);
  CHECK(jitter > 0.0);
  CHECK(jitter <= 1e-4 * (v.array().square().mean()) * 1.0001);

  // Indefinite beyond any jitter: a clear typed error.
  Eigen::MatrixXd bad = Eigen::MatrixXd::Identity(3, 3);
  bad(0, 0) = -1.0;
  CHECK_THROWS_AS(gpbo::cholesky_with_jitter(bad), gpbo::CholeskyError);
  Eigen::MatrixXd nan = Eigen::MatrixXd::Identity(3, 3);
  nan(1, 1) = std::nan("");
  CHECK_THROWS_AS(gpbo::cholesky_with_jitter(nan), gpbo::CholeskyError);
  // Non-finite entries are reported as such wherever they sit (the scan runs only after the
  // factorization fails, which any non-finite entry of the lower triangle makes it do).
  for (const double value : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    for (const auto& [i, j] : {std::pair{1, 1}, std::pair{2, 0}, std::pair{3, 2}}) {
      Eigen::MatrixXd M = random_spd(4, 2);
      M(i, j) = value;
      M(j, i) = value;
      CHECK_THROWS_WITH(gpbo::cholesky_with_jitter(M), Catch::Contains("non-finite"));
    }
  }
}

TEST_CASE("cholesky_with_jitter: a diagonal of mostly zeros still climbs to 1e-4 of its mean") {
  // Starting from twice the median, which is 0 here, left no jitter to try; a ladder capped at
  // 1e-4 of a small median refused matrices the mean's ladder factorized.
  Eigen::MatrixXd K = Eigen::MatrixXd::Zero(5, 5);
  K(4, 4) = 1.0;
  CHECK(gpbo::cholesky_with_jitter(K) == Approx(2e-11));
  // One huge entry among similar ones: the first jitter is relative to the others.
  Eigen::MatrixXd L = Eigen::MatrixXd::Constant(5, 5, 1.0);  // rank one: needs jitter
  L(2, 2) = 1e20;
  const double jitter = gpbo::cholesky_with_jitter(L);
  CHECK(jitter > 0.0);
  CHECK(jitter < 1e-8);
}
