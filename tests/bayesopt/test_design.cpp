#include <catch2/catch.hpp>

#include <set>

#include "gpbo/bayesopt/design.hpp"

using namespace gpbo::bo;

namespace {

// True if every column has exactly one point in each interval [k/n, (k+1)/n).
bool stratified(const Eigen::MatrixXd& X) {
  const auto n = X.rows();
  for (Eigen::Index j = 0; j < X.cols(); ++j) {
    std::set<Eigen::Index> cells;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (!(X(i, j) > 0.0 && X(i, j) < 1.0)) return false;
      cells.insert(static_cast<Eigen::Index>(X(i, j) * static_cast<double>(n)));
    }
    if (static_cast<Eigen::Index>(cells.size()) != n) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("design: scrambled Sobol is stratified, seeded and differs between seeds") {
  auto r1 = gpbo::make_rng(5), r2 = gpbo::make_rng(5), r3 = gpbo::make_rng(6);
  const Eigen::MatrixXd A = sobol_design(64, 6, r1), B = sobol_design(64, 6, r2), C = sobol_design(64, 6, r3);
  CHECK(A == B);
  CHECK(A != C);
  CHECK(stratified(A));
  CHECK(stratified(C));
  // Two-dimensional net property (t = 0 for the first two Sobol dimensions): each 8 x 8 cell
  // of [0,1]^2 holds exactly one of 64 points.
  std::set<int> cells;
  for (Eigen::Index i = 0; i < 64; ++i) cells.insert(static_cast<int>(A(i, 0) * 8) * 8 + static_cast<int>(A(i, 1) * 8));
  CHECK(cells.size() == 64);
  // Uniform random points are (almost surely) not stratified: the test can fail.
  auto r4 = gpbo::make_rng(5);
  CHECK_FALSE(stratified(uniform_design(64, 6, r4)));
  // The scramble is not the raw sequence: the first point is not the origin.
  CHECK(A.row(0).minCoeff() > 0.0);
  CHECK(A.row(0).norm() > 1e-3);
}

TEST_CASE("design: Latin hypercube is stratified and reproducible; uniform is in the cube") {
  auto r1 = gpbo::make_rng(9), r2 = gpbo::make_rng(9);
  const Eigen::MatrixXd A = latin_hypercube_design(37, 4, r1), B = latin_hypercube_design(37, 4, r2);
  CHECK(A == B);
  CHECK(stratified(A));
  auto r3 = gpbo::make_rng(1);
  const Eigen::MatrixXd U = make_design(DesignKind::Uniform, 1000, 3, r3);
  CHECK(U.minCoeff() >= 0.0);
  CHECK(U.maxCoeff() < 1.0);
  CHECK(U.mean() == Approx(0.5).margin(0.03));
  CHECK(parse_design_kind(to_string(DesignKind::LatinHypercube)) == DesignKind::LatinHypercube);
  CHECK_THROWS_AS(parse_design_kind("halton"), std::invalid_argument);
}
