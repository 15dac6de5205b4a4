#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "gpbo/bayesopt/surrogate.hpp"
#include "gpbo/bayesopt/test_functions.hpp"

using namespace gpbo;
using namespace gpbo::bo;

namespace {

// Branin at a point u of the unit cube.
double branin_at(const Eigen::RowVectorXd& u) {
  const TestFunction f = branin();
  return f(f.lower.array() + u.transpose().array() * (f.upper - f.lower).array());
}

// n uniform points of the unit cube and Branin's values there (plus Gaussian noise of sd `noise`).
void branin_data(int n, double noise, std::uint64_t seed, Eigen::MatrixXd& U, Eigen::VectorXd& y) {
  Rng rng = make_rng(seed, 0);
  std::uniform_real_distribution<double> unit;
  std::normal_distribution<double> standard_normal;
  U.resize(n, 2);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 2; ++j) U(i, j) = unit(rng);
    y[i] = branin_at(U.row(i)) + noise * standard_normal(rng);
  }
}

}  // namespace

TEST_CASE("surrogate: noise auto interpolates a deterministic objective and smooths a noisy one") {
  Eigen::MatrixXd U;
  Eigen::VectorXd y;
  for (const ShortRange short_range : {ShortRange::Off, ShortRange::On}) {
    SurrogateOptions options;
    options.short_range = short_range;
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      INFO("short range " << (short_range == ShortRange::On) << ", seed " << seed);
      Rng rng = make_rng(seed, 1);
      Surrogate exact(2, options);
      branin_data(30, 0.0, seed, U, y);
      exact.update(U, y, rng);
      CHECK(exact.state().noiseless);
      CHECK(exact.models()[0].noise_variance() < 2e-6);
      // Interpolates: the posterior mean at the data is the data (standardized units).
      const Eigen::VectorXd at_data = exact.models()[0].predict(U).mean;
      for (Eigen::Index i = 0; i < y.size(); ++i) CHECK(at_data[i] == Approx(exact.standardize(y[i])).margin(1e-3));

      // Noise of sd 20 on values spanning about 300: clearly more than rounding. Scattered points
      // cannot tell noise from short-range structure (with the term, the evidence may take
      // either), so ten of the thirty are repeated within 1e-4: values that differ there are noise.
      Surrogate noisy(2, options);
      branin_data(30, 20.0, seed, U, y);
      if (short_range == ShortRange::On) {
        Rng noise_rng = make_rng(seed + 100, 0);
        std::normal_distribution<double> standard_normal;
        for (Eigen::Index i = 0; i < 10; ++i) {  // points 0-9 again, moved by 1e-4, with new noise
          U.row(20 + i) = (U.row(i).array() + 1e-4).matrix();
          y[20 + i] = branin_at(U.row(20 + i)) + 20.0 * standard_normal(noise_rng);
        }
      }
      noisy.update(U, y, rng);
      CHECK_FALSE(noisy.state().noiseless);
      CHECK(noisy.models()[0].noise_variance() > 1e-3);
    }
  }
}

TEST_CASE("surrogate: the short-range term follows local ripples where samples crowd") {
  // A bowl with ripples of period 0.04 on [0, 1]: 8 points spread out and 12 within 0.04 of 0.37,
  // as a run crowds them near its incumbent. One Matérn term must choose between the bowl's
  // length scale and the ripples'; with the short-range term beside it, the posterior mean
  // follows the ripples near the crowd (and the bowl elsewhere).
  const double pi = 3.14159265358979324;
  const auto f = [pi](double x) { return 4.0 * (x - 0.6) * (x - 0.6) + 0.05 * std::sin(2.0 * pi * x / 0.04); };
  Eigen::MatrixXd U(20, 1);
  Eigen::VectorXd y(20);
  for (int i = 0; i < 8; ++i) U(i, 0) = 0.06 + 0.125 * i;
  for (int i = 0; i < 12; ++i) U(8 + i, 0) = 0.33 + 0.08 * i / 11.0 + 0.001;
  for (int i = 0; i < 20; ++i) y[i] = f(U(i, 0));
  const auto fitted = [&](ShortRange short_range) {
    SurrogateOptions o;
    o.short_range = short_range;
    Surrogate s(1, o);
    Rng rng = make_rng(4, 0);
    s.update(U, y, rng);
    return s;
  };
  const Surrogate with = fitted(ShortRange::On), without = fitted(ShortRange::Off);
  REQUIRE(with.models()[0].kernel().num_hyperparameters() == without.models()[0].kernel().num_hyperparameters() + 2);
  Eigen::MatrixXd grid(141, 1);
  for (int i = 0; i < 141; ++i) grid(i, 0) = 0.335 + 0.0005 * i;  // between the crowd's points
  const Eigen::VectorXd mean_with = with.models()[0].predict(grid).mean, mean_without = without.models()[0].predict(grid).mean;
  double worst_with = 0.0, worst_without = 0.0;
  for (int i = 0; i < 141; ++i) {
    worst_with = std::max(worst_with, std::abs(mean_with[i] - with.standardize(f(grid(i, 0)))));
    worst_without = std::max(worst_without, std::abs(mean_without[i] - without.standardize(f(grid(i, 0)))));
  }
  INFO("largest error near the crowd (standardized units): " << worst_with << " with the term, " << worst_without << " without");
  CHECK(worst_with < 0.5 * worst_without);
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
  // The restore factorizes the 20 points of the last refit and replays the 4 appended since, as
  // the original did: the same model to the last bit (it used to factorize all 24 at once).
  CHECK(a == b);
  CHECK(s.models()[0].predict(probe).variance == restored.models()[0].predict(probe).variance);
}

TEST_CASE("surrogate: categorical parameters get the overlap kernel, one length scale each") {
  SurrogateOptions o;
  // Two categorical parameters of three choices each (columns 0-2 and 3-5), nothing else.
  const Surrogate cats(6, o, {{0, 1, 2}, {3, 4, 5}});
  const GaussianProcess gp = cats.make_gp();
  const Kernel& k = gp.kernel();
  CHECK(k.num_hyperparameters() == 3);  // an output scale and one length scale per parameter
  Eigen::MatrixXd X(4, 6);
  X << 1, 0, 0, 0, 1, 0,  // (a, b)
      0, 0, 1, 0, 1, 0,   // (c, b): one parameter differs
      0, 1, 0, 0, 0, 1,   // (b, c): both differ
      1, 0, 0, 0, 1, 0;   // (a, b) again
  const Eigen::MatrixXd K = k.gram(X);
  // exp(-(1/C) sum_g [c_g != c'_g] / l_g) with C = 2 and the initial l_g = 0.5.
  CHECK(K(0, 1) / K(0, 0) == Approx(std::exp(-1.0)).epsilon(1e-12));
  CHECK(K(0, 2) / K(0, 0) == Approx(std::exp(-2.0)).epsilon(1e-12));
  CHECK(K(0, 3) == Approx(K(0, 0)).epsilon(1e-15));

  // With a continuous column: K_cont + K_cat + K_cont K_cat, each with its own output scale.
  const Surrogate mixed(7, o, {{0, 1, 2}, {3, 4, 5}});
  const GaussianProcess mixed_gp = mixed.make_gp();
  CHECK(mixed_gp.kernel().num_hyperparameters() == 3 + 2 * 1 + 2 * 2);
  // Its gradient in x, which the acquisition search follows through relaxed one-hot columns,
  // agrees with central differences.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> unit;
  Eigen::MatrixXd Z(5, 7);
  for (Eigen::Index i = 0; i < Z.size(); ++i) Z.data()[i] = unit(rng);
  Eigen::RowVectorXd x(7);
  for (Eigen::Index i = 0; i < 7; ++i) x[i] = unit(rng);
  const Eigen::MatrixXd G = mixed_gp.kernel().input_gradient(x, Z);
  const double h = 1e-6;
  for (Eigen::Index d = 0; d < 7; ++d) {
    Eigen::RowVectorXd up = x, down = x;
    up[d] += h;
    down[d] -= h;
    const Eigen::VectorXd fd = (mixed_gp.kernel().eval(up, Z) - mixed_gp.kernel().eval(down, Z)).transpose() / (2 * h);
    for (Eigen::Index i = 0; i < 5; ++i) CHECK(G(i, d) == Approx(fd[i]).margin(1e-8));
  }

  // one_hot: the ARD Matérn kernel over every column, as before the overlap kernel.
  o.categorical_kernel = CategoricalKernel::OneHot;
  CHECK(Surrogate(7, o, {{0, 1, 2}, {3, 4, 5}}).make_gp().kernel().num_hyperparameters() == 8);
  // Without categorical parameters: the same plus the short-range term's output and length scales.
  CHECK(Surrogate(7, SurrogateOptions{}).make_gp().kernel().num_hyperparameters() == 10);
  SurrogateOptions off;
  off.short_range = ShortRange::Off;
  CHECK(Surrogate(7, off).make_gp().kernel().num_hyperparameters() == 8);
}

TEST_CASE("surrogate: the evidence fits the output warp, rounding a cone and compressing a heavy tail") {
  // A funnel in 3-D (a plateau far away, a cone at the minimum, as Ackley's) is smoother with
  // its lower tail compressed: lambda > 1. Values growing exponentially (Rosenbrock-like, far
  // from the valley) want a log: lambda < 1.
  Eigen::MatrixXd U(40, 3);
  Eigen::VectorXd cone(40), growth(40);
  Rng draw = make_rng(11, 0);
  std::uniform_real_distribution<double> unit;
  for (int i = 0; i < 40; ++i) {
    for (int j = 0; j < 3; ++j) U(i, j) = unit(draw);
    cone[i] = -std::exp(-4.0 * (U.row(i).array() - 0.4).matrix().norm());
    growth[i] = std::exp(6.0 * U(i, 0) + 2.0 * U(i, 1));
  }
  Rng rng = make_rng(3, 1);
  Surrogate a(3, SurrogateOptions{}), b(3, SurrogateOptions{});
  a.update(U, cone, rng);
  b.update(U, growth, rng);
  INFO("cone lambda " << a.state().transform.lambda << ", growth lambda " << b.state().transform.lambda);
  CHECK(a.state().transform.lambda > 1.5);
  CHECK(b.state().transform.lambda < 0.5);
  // Without the warp (or with a known noise level) lambda stays 1.
  SurrogateOptions plain;
  plain.warp_outputs = false;
  Surrogate c(3, plain);
  c.update(U, cone, rng);
  CHECK(c.state().transform.lambda == 1.0);
}

TEST_CASE("surrogate: past 80 points the log is chosen again on schedule, refits between keep it, restore continues") {
  // Branin reported over twelve decades (values 10^(12 (f - f*) / 300)): a log model wins.
  Eigen::MatrixXd U;
  Eigen::VectorXd f;
  branin_data(84, 0.0, 11, U, f);
  const Eigen::VectorXd y = f.unaryExpr([](double v) { return std::pow(10.0, 12.0 * (v - 0.397887357729738) / 300.0); });
  const SurrogateOptions o;
  Surrogate s(2, o);
  Rng rng = make_rng(11, 1);
  s.update(U.topRows(82), y.head(82), rng);
  const ValueLog chosen = s.state().transform.value_log();
  REQUIRE(chosen != ValueLog::None);

  Surrogate restored(2, o);
  restored.restore(s.state(), U.topRows(82), y.head(82));
  Rng rng_restored = rng;
  const Eigen::MatrixXd probe = U.topRows(5).array() * 0.5 + 0.25;
  for (const Eigen::Index n : {83, 84}) {  // 83: within the interval of 2 (no choice); 84: a choice
    INFO(n << " points");
    s.update(U.topRows(n), y.head(n), rng);
    restored.update(U.topRows(n), y.head(n), rng_restored);
    if (n == 83) CHECK(s.state().transform.value_log() == chosen);  // only the chosen model was refitted
    CHECK(s.state().transform.value_log() == restored.state().transform.value_log());
    CHECK(s.state().params == restored.state().params);
    CHECK(s.models()[0].predict(probe).mean == restored.models()[0].predict(probe).mean);
  }
}
