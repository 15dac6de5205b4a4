#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <random>
#include <nlohmann/json.hpp>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/test_functions.hpp"

using namespace gpbo::bo;

TEST_CASE("test functions: domains, optima and values match the Python reference") {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/bo_testfunctions_reference.json");
  REQUIRE(in.good());
  const auto ref = nlohmann::json::parse(in);
  REQUIRE(ref["functions"].size() == 10);
  for (const auto& r : ref["functions"]) {
    const std::string name = r["name"];
    INFO(name);
    const TestFunction f = test_function(name);
    const auto lower = r["lower"].get<std::vector<double>>(), upper = r["upper"].get<std::vector<double>>();
    REQUIRE(f.dim() == lower.size());
    for (std::size_t i = 0; i < lower.size(); ++i) {
      CHECK(f.lower[static_cast<Eigen::Index>(i)] == lower[i]);
      CHECK(f.upper[static_cast<Eigen::Index>(i)] == upper[i]);
    }
    CHECK(f.fmin == Approx(r["fmin"].get<double>()).epsilon(1e-14));
    for (std::size_t k = 0; k < r["points"].size(); ++k) {
      const auto p = r["points"][k].get<std::vector<double>>();
      const Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(p.data(), static_cast<Eigen::Index>(p.size()));
      CHECK(f(x) == Approx(r["values"][k].get<double>()).epsilon(1e-12).margin(1e-12));
    }
    // The documented minimizer attains the optimum (to the printed digits of the minimizer).
    CHECK(f(f.argmin) == Approx(f.fmin).margin(1e-5));
  }
  CHECK_THROWS_WITH(test_function("braninn"), Catch::Contains("known: branin"));
  CHECK(test_function("ackley3").dim() == 3);
  for (const int d : {0, -1}) CHECK_THROWS_WITH(ackley(d), "a test function needs a dimension d >= 1, got " + std::to_string(d));
}

TEST_CASE("mixed test problems: spaces of the right kinds, and minima exact on those spaces") {
  const TestFunction a = test_function("ackley5_int"), r = test_function("rosenbrock4_mixed"),
                     s = test_function("styblinski_tang8_cat");
  CHECK(a.space().cardinality() == std::optional<std::uint64_t>(65ULL * 65 * 65 * 65 * 65));
  for (int i = 0; i < 5; ++i) CHECK(a.space().parameters()[static_cast<std::size_t>(i)].kind == Parameter::Kind::Integer);
  CHECK_FALSE(r.space().cardinality().has_value());
  CHECK(r.space().parameters()[1].kind == Parameter::Kind::Integer);
  CHECK(r.space().parameters()[2].kind == Parameter::Kind::Real);
  CHECK(s.space().parameters()[3].kind == Parameter::Kind::Categorical);
  CHECK(s.space().parameters()[3].choices.size() == 11);
  CHECK(s.space().parameters()[4].kind == Parameter::Kind::Real);
  for (const TestFunction* t : {&a, &r, &s}) {
    INFO(t->name);
    const Point p = t->point_of(t->argmin);
    CHECK_NOTHROW(t->space().validate(p));
    CHECK(t->space().decode(t->space().encode(p)) == p);
    CHECK(t->vector_of(p) == t->argmin);
    CHECK((*t)(t->argmin) == Approx(t->fmin).margin(1e-9));
  }
  // Styblinski-Tang's term over the categorical coordinates' integers is smallest at -3 (-39): a
  // brute-force check of the stated minimum; the real coordinates keep the continuous one.
  double smallest = 1e300;
  for (int v = -5; v <= 5; ++v) smallest = std::min(smallest, 0.5 * (std::pow(v, 4) - 16.0 * v * v + 5.0 * v));
  CHECK(smallest == -39.0);
  // Ackley at an integer point is the cone alone: the nearest point to the optimum costs 1.71.
  Eigen::VectorXd e = Eigen::VectorXd::Zero(5);
  e[0] = 1;
  CHECK(a(e) == Approx(20 * (1 - std::exp(-0.2 * std::sqrt(0.2)))).epsilon(1e-12));
}

TEST_CASE("constrained test problems: the stated optimum is feasible, and no feasible point beats it") {
  for (const char* name : {"gramacy_toy", "tension_spring"}) {
    const TestFunction t = test_function(name);
    INFO(name);
    REQUIRE(t.constraint_values);
    REQUIRE(t.constraints.size() == t.constraint_values(t.argmin).size());
    // argmin meets every constraint as the optimizer checks it (the 8-digit points broke one by
    // 2.3e-9 and 5.9e-8, so told to an optimizer they were infeasible and no best).
    const std::vector<double> at_argmin = t.constraint_values(t.argmin);
    for (std::size_t k = 0; k < at_argmin.size(); ++k) CHECK(t.constraints[k].satisfied(at_argmin[k]));
    CHECK(t(t.argmin) == Approx(t.fmin).epsilon(1e-14));
    OptimizerOptions options;
    options.constraints = t.constraints;
    Optimizer told(t.space(), options);
    const auto id = told.tell(t.point_of(t.argmin), t(t.argmin), at_argmin);
    REQUIRE(told.best());
    CHECK(told.best()->id == id);
    // 200000 uniform points: the feasible ones (the spring's 0.7% are about 1400) stay above fmin.
    std::mt19937_64 rng(3);
    std::uniform_real_distribution<double> u01(0.0, 1.0);
    std::size_t feasible = 0;
    double best = 1e300;
    for (int i = 0; i < 200000; ++i) {
      Eigen::VectorXd x(t.dim());
      for (Eigen::Index j = 0; j < x.size(); ++j) x[j] = t.lower[j] + u01(rng) * (t.upper[j] - t.lower[j]);
      const std::vector<double> c = t.constraint_values(x);
      bool ok = true;
      for (std::size_t k = 0; k < c.size(); ++k) ok = ok && t.constraints[k].satisfied(c[k]);
      if (!ok) continue;
      ++feasible;
      best = std::min(best, t(x));
    }
    CHECK(feasible > 500);
    CHECK(best >= t.fmin);
    CHECK(best < t.fmin * 1.5 + 0.1);  // and the feasible set is where the stated optimum says
  }
}

TEST_CASE("hartmann6_linear: the stated optimum is on the bound, matches SciPy's, and no feasible point beats it") {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/bo_hartmann6_linear_reference.json");
  const auto ref = nlohmann::json::parse(in);
  const TestFunction t = test_function("hartmann6_linear");
  const Space space = t.space();
  REQUIRE(space.constraints().size() == 1);
  CHECK(space.constraints()[0].describe() == "x2 + x5 <= 0.8");
  CHECK(t.fmin == ref["fmin"].get<double>());
  for (Eigen::Index j = 0; j < 6; ++j) CHECK(t.argmin[j] == ref["argmin"][static_cast<std::size_t>(j)].get<double>());
  CHECK(t(t.argmin) == Approx(t.fmin).epsilon(1e-14));
  CHECK(t.argmin[2] + t.argmin[5] == Approx(0.8).epsilon(1e-15));  // on the bound
  CHECK_NOTHROW(space.validate(t.point_of(t.argmin)));
  // Hartmann-6's own minimizer breaks the constraint.
  CHECK_FALSE(space.meets_constraints(hartmann6().point_of(hartmann6().argmin)));
  // 200000 uniform points: the feasible ones stay above fmin, and the best of them is in its basin.
  std::mt19937_64 rng(4);
  std::uniform_real_distribution<double> u01(0.0, 1.0);
  double best = 1e300;
  std::size_t feasible = 0;
  for (int i = 0; i < 200000; ++i) {
    Eigen::VectorXd x(6);
    for (Eigen::Index j = 0; j < 6; ++j) x[j] = u01(rng);
    if (x[2] + x[5] > 0.8) continue;
    ++feasible;
    best = std::min(best, t(x));
  }
  CHECK(feasible > 60000);  // 0.8^2 / 2 = 32% of the cube
  CHECK(best >= t.fmin);
  CHECK(best < t.fmin + 0.8);
}
