#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <string>

#include "gpbo/bayesopt/importance.hpp"
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;
using namespace optimizer_test;

namespace {

// f evaluated on decoded points, as a BatchFunction.
template <class F>
BatchFunction on_points(const Space& space, F f) {
  return [&space, f](const Eigen::MatrixXd& rows) {
    Eigen::VectorXd out(rows.rows());
    for (Eigen::Index r = 0; r < rows.rows(); ++r) out[r] = f(space.decode(rows.row(r).transpose()));
    return out;
  };
}

const ParameterImportance& of(const std::vector<ParameterImportance>& all, const std::string& name) {
  for (const auto& imp : all)
    if (imp.name == name) return imp;
  FAIL("no importance for " << name);
  return all.front();
}

}  // namespace

TEST_CASE("sobol_indices: the Ishigami function's closed-form indices") {
  // f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3 (Sobol' and Levitan 1999): every
  // partial variance has a closed form, and x3 matters only through its interaction with x1.
  constexpr double a = 7.0, b = 0.1, pi = std::numbers::pi;
  Space space;
  for (const char* name : {"x1", "x2", "x3"}) space.add(Parameter::real(name, -pi, pi));
  const auto ishigami = [](const Point& p) {
    const double x1 = as_double(p.at("x1")), x2 = as_double(p.at("x2")), x3 = as_double(p.at("x3"));
    return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  };
  const double pi4 = std::pow(pi, 4), pi8 = pi4 * pi4;
  const double V1 = 0.5 * std::pow(1 + b * pi4 / 5, 2), V2 = a * a / 8, V13 = 8 * b * b * pi8 / 225;
  const double V = V1 + V2 + V13;
  gpbo::Rng rng = gpbo::make_rng(3);
  const auto imp = sobol_indices(space, on_points(space, ishigami), 1 << 14, rng);
  REQUIRE(imp.size() == 3);
  CHECK(of(imp, "x1").first_order == Approx(V1 / V).margin(0.01));  // 0.3139
  CHECK(of(imp, "x2").first_order == Approx(V2 / V).margin(0.01));  // 0.4424
  CHECK(of(imp, "x3").first_order == Approx(0.0).margin(0.01));
  CHECK(of(imp, "x1").total == Approx((V1 + V13) / V).margin(0.01));  // 0.5576
  CHECK(of(imp, "x2").total == Approx(V2 / V).margin(0.01));
  CHECK(of(imp, "x3").total == Approx(V13 / V).margin(0.01));  // 0.2437
}

TEST_CASE("sobol_indices: a parameter's first-order share never exceeds its total") {
  // x2 acts alone, additively: S = T in theory, and the two estimators' Monte Carlo errors put
  // the first-order one above the total in some draws (a user saw "optimizer 0.46 0.42").
  constexpr double pi = std::numbers::pi;
  Space space;
  for (const char* name : {"x1", "x2", "x3"}) space.add(Parameter::real(name, -pi, pi));
  const auto f = [](const Point& p) {
    const double x1 = as_double(p.at("x1")), x2 = as_double(p.at("x2")), x3 = as_double(p.at("x3"));
    return std::sin(x1) + 7.0 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
  };
  int above = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    gpbo::Rng rng = gpbo::make_rng(seed);
    for (const auto& imp : sobol_indices(space, on_points(space, f), 64, rng)) above += imp.first_order > imp.total;
  }
  CHECK(above == 0);
}

TEST_CASE("sobol_indices: categories and integers move as whole parameters; fixed ones are left out") {
  Space space;
  space.add(Parameter::real("x", 0.0, 1.0))
      .add(Parameter::categorical("c", {std::string("a"), std::string("b"), std::string("c"), std::string("d")}))
      .add(Parameter::integer("k", 1, 4))
      .add(Parameter::fixed("mode", std::string("fast")));
  // Additive: x uniform (variance 1/12), c adds 3 for two of four choices (variance 9/4), k
  // nothing. First-order and total indices then agree and sum to one.
  const auto f = [](const Point& p) {
    const std::string c = std::get<std::string>(p.at("c"));
    return as_double(p.at("x")) + ((c == "b" || c == "d") ? 3.0 : 0.0);
  };
  // A category is an argmax of uniform columns, a step function: Monte Carlo error, no
  // quasi-Monte Carlo gain, hence many samples and a wider margin than for x.
  gpbo::Rng rng = gpbo::make_rng(5);
  const auto imp = sobol_indices(space, on_points(space, f), 1 << 14, rng);
  REQUIRE(imp.size() == 3);
  const double V = 1.0 / 12 + 9.0 / 4;
  CHECK(of(imp, "c").first_order == Approx(2.25 / V).margin(0.02));
  CHECK(of(imp, "c").total == Approx(2.25 / V).margin(0.02));
  CHECK(of(imp, "x").first_order == Approx(1.0 / 12 / V).margin(0.01));
  CHECK(of(imp, "x").total == Approx(1.0 / 12 / V).margin(0.01));
  // A parameter f ignores leaves f(AB_k) = f(A) exactly: both of its indices are zero.
  CHECK(of(imp, "k").first_order == 0.0);
  CHECK(of(imp, "k").total == 0.0);

  // Integers are drawn evenly (snap_uniform), so f = k has all the variance, and its
  // variance is that of a uniform draw from {1, 2, 3, 4}.
  const auto by_k = [](const Point& p) { return as_double(p.at("k")); };
  const auto only_k = sobol_indices(space, on_points(space, by_k), 1024, rng);
  CHECK(of(only_k, "k").first_order == Approx(1.0).margin(0.01));
  CHECK(of(only_k, "x").total == 0.0);
}

TEST_CASE("sobol_indices: a constant function, reproducibility and bad input") {
  Space space;
  space.add(Parameter::real("x", 0.0, 1.0)).add(Parameter::real("y", 1e-3, 1.0, Scale::Log));
  gpbo::Rng rng = gpbo::make_rng(1);
  for (const auto& imp : sobol_indices(space, on_points(space, [](const Point&) { return 42.0; }), 64, rng)) {
    CHECK(imp.first_order == 0.0);
    CHECK(imp.total == 0.0);
  }
  const auto g = on_points(space, [](const Point& p) { return std::log(as_double(p.at("y"))) + as_double(p.at("x")); });
  gpbo::Rng r1 = gpbo::make_rng(9), r2 = gpbo::make_rng(9);
  const auto i1 = sobol_indices(space, g, 256, r1), i2 = sobol_indices(space, g, 256, r2);
  CHECK(i1[1].first_order == i2[1].first_order);
  // Log scale: log y is uniform on [log 1e-3, 0], variance 6.9^2 / 12 against x's 1/12.
  CHECK(i1[1].first_order == Approx(std::pow(std::log(1e-3), 2) / (std::pow(std::log(1e-3), 2) + 1)).margin(0.01));

  // Variation below the resolution counts as none; the same function without it has all of it in x.
  const auto tiny = on_points(space, [](const Point& p) { return 1e-9 * as_double(p.at("x")); });
  CHECK(sobol_indices(space, tiny, 64, rng, 1e-8)[0].first_order == 0.0);
  CHECK(sobol_indices(space, tiny, 64, rng)[0].first_order == Approx(1.0).margin(0.05));
  CHECK_THROWS_WITH(sobol_indices(space, tiny, 64, rng, -1.0), Catch::Contains("resolution"));

  CHECK_THROWS_AS(sobol_indices(space, g, 1, rng), std::invalid_argument);
  const BatchFunction short_answer = [](const Eigen::MatrixXd& rows) { return Eigen::VectorXd::Zero(rows.rows() - 1).eval(); };
  CHECK_THROWS_WITH(sobol_indices(space, short_answer, 16, rng), Catch::Contains("returned 31 values for 32 points"));
  const BatchFunction nan_answer = [](const Eigen::MatrixXd& rows) {
    Eigen::VectorXd v = Eigen::VectorXd::Ones(rows.rows());
    v[3] = std::nan("");
    return v;
  };
  CHECK_THROWS_WITH(sobol_indices(space, nan_answer, 16, rng), Catch::Contains("non-finite"));
  Space all_fixed;
  all_fixed.add(Parameter::fixed("a", 1.0));
  CHECK_THROWS_AS(sobol_indices(all_fixed, g, 16, rng), std::invalid_argument);
}

TEST_CASE("optimizer: importance() ranks parameters by the model's Sobol' indices, and changes nothing") {
  // f = 5 x + 0.5 y, z ignored: closed-form shares 25 / 25.25 and 0.25 / 25.25.
  Space space;
  space.add(Parameter::real("x", 0.0, 1.0)).add(Parameter::real("y", 0.0, 1.0)).add(Parameter::real("z", 0.0, 1.0));
  Optimizer opt(space, small_options(2));
  CHECK_THROWS_AS(opt.importance(), std::logic_error);
  for (int i = 0; i < 20; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, 5 * as_double(s.point.at("x")) + 0.5 * as_double(s.point.at("y")));
  }
  const auto imp = opt.importance();
  REQUIRE(imp.size() == 3);
  INFO("x " << imp[0].first_order << "/" << imp[0].total << ", y " << imp[1].first_order << "/" << imp[1].total << ", z "
            << imp[2].first_order << "/" << imp[2].total);
  CHECK(imp[0].first_order == Approx(25 / 25.25).margin(0.01));
  CHECK(imp[1].first_order == Approx(0.25 / 25.25).margin(0.01));
  CHECK(imp[2].total < 0.01);
  CHECK(imp[0].total >= imp[0].first_order);
  // Deterministic, and no random numbers of the optimizer's are used.
  Optimizer twin = optimizer_from_json(optimizer_to_json(opt));
  CHECK(opt.importance()[1].total == imp[1].total);
  CHECK(same_point(opt.ask().point, twin.ask().point));
}

TEST_CASE("optimizer: a constant objective has no parameter importance") {
  // A GP fitted to equal values has a mean that wiggles at round-off (1e-12): its shares of that
  // variance used to be reported as importance (x 0.40, y 0.49 on this run).
  Space space;
  space.add(Parameter::real("x", 0.0, 1.0)).add(Parameter::real("y", 0.0, 1.0));
  // The fitted constant mean stops a hair (~1e-7) from the values too, and the mean then moves
  // by that much: `gpbo tune` with seed 0 and 12 evaluations of "echo 7" showed y 0.32, x 0.25.
  for (const std::uint64_t seed : {0, 1, 2, 3}) {
    for (const int evaluations : {12, 25}) {
      OptimizerOptions options;
      options.seed = seed;
      Optimizer opt(space, options);
      for (int i = 0; i < evaluations; ++i) opt.tell(opt.ask().id, seed % 2 == 0 ? 7.0 : 3.0);
      for (const auto& imp : opt.importance()) {
        INFO("seed " << seed << ", " << evaluations << " evaluations, " << imp.name);
        CHECK(imp.first_order == 0.0);
        CHECK(imp.total == 0.0);
      }
    }
  }
}
