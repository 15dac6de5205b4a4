#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "gpbo/bayesopt/surrogate.hpp"
#include "gpbo/bayesopt/test_functions.hpp"

using namespace gpbo;
using namespace gpbo::bo;

namespace {

// n uniform points of the unit cube and Branin's values there (plus Gaussian noise of sd `noise`).
void branin_data(int n, double noise, std::uint64_t seed, Eigen::MatrixXd& U, Eigen::VectorXd& y) {
  const TestFunction f = branin();
  Rng rng = make_rng(seed, 0);
  std::uniform_real_distribution<double> unit;
  std::normal_distribution<double> standard_normal;
  U.resize(n, 2);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 2; ++j) U(i, j) = unit(rng);
    const Eigen::VectorXd x = f.lower.array() + U.row(i).transpose().array() * (f.upper - f.lower).array();
    y[i] = f(x) + noise * standard_normal(rng);
  }
}

}  // namespace

TEST_CASE("surrogate: noise auto interpolates a deterministic objective and smooths a noisy one") {
  Eigen::MatrixXd U;
  Eigen::VectorXd y;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    Rng rng = make_rng(seed, 1);
    Surrogate exact(2, SurrogateOptions{});
    branin_data(30, 0.0, seed, U, y);
    exact.update(U, y, rng);
    CHECK(exact.state().noiseless);
    CHECK(exact.models()[0].noise_variance() < 2e-6);
    // Interpolates: the posterior mean at the data is the data (standardized units).
    const Eigen::VectorXd at_data = exact.models()[0].predict(U).mean;
    for (Eigen::Index i = 0; i < y.size(); ++i) CHECK(at_data[i] == Approx(exact.standardize(y[i])).margin(1e-3));

    // Noise of sd 20 on values spanning about 300: clearly more than rounding.
    Surrogate noisy(2, SurrogateOptions{});
    branin_data(30, 20.0, seed, U, y);
    noisy.update(U, y, rng);
    CHECK_FALSE(noisy.state().noiseless);
    CHECK(noisy.models()[0].noise_variance() > 1e-3);
  }
}

TEST_CASE("surrogate: the fast preset extends the chosen model, and restore rebuilds it") {
  Eigen::MatrixXd U;
  Eigen::VectorXd y;
  branin_data(24, 0.0, 7, U, y);
  SurrogateOptions o;
  o.mode = HyperMode::Fast;
  o.refit_every = 5;
  Surrogate s(2, o);
  Rng rng = make_rng(7, 1);
  s.update(U.topRows(20), y.head(20), rng);
  REQUIRE(s.state().noiseless);
  s.update(U, y, rng);  // 4 new points: no refit, the noise-free model grows
  CHECK(s.state().size == 24);
  CHECK(s.state().size_at_fit == 20);
  CHECK(s.models()[0].size() == 24);
  CHECK(s.models()[0].noise_variance() < 2e-6);

  Surrogate restored(2, o);
  restored.restore(s.state(), U, y);
  REQUIRE(restored.models().size() == 1);
  const Eigen::MatrixXd probe = U.topRows(5).array() * 0.5 + 0.25;
  const Eigen::VectorXd a = s.models()[0].predict(probe).mean, b = restored.models()[0].predict(probe).mean;
  // The restored model was refactorized at 20 points and not extended: same up to rounding.
  CHECK((a - b).cwiseAbs().maxCoeff() < 1e-8);
}
