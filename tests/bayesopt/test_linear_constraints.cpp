// Linear constraints on numeric parameters (Space::add_constraint, "parameter_constraints" in
// JSON): definition errors, the checks on points and encodings, finite enumeration, the relaxed
// form's gradient, and the optimizer keeping every suggestion inside them.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/core/random.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;
using nlohmann::json;

namespace {

LinearConstraint at_most(std::vector<std::pair<std::string, double>> terms, double max) {
  LinearConstraint c;
  c.terms = std::move(terms);
  c.max = max;
  return c;
}

// [0, 1]^2 with x0 + x1 <= 1.
Space triangle() {
  Space s;
  s.add(Parameter::real("x0", 0, 1)).add(Parameter::real("x1", 0, 1));
  s.add_constraint(at_most({{"x0", 1}, {"x1", 1}}, 1));
  return s;
}

std::string constraint_error(Space s, LinearConstraint c) {
  try {
    s.add_constraint(std::move(c));
  } catch (const SpaceError& e) {
    return e.what();
  }
  return "";
}

// Closest to (1, 1) inside the triangle: (0.5, 0.5), squared distance 0.5.
double distance_to_corner(const Point& p) {
  const double a = as_double(p.at("x0")) - 1, b = as_double(p.at("x1")) - 1;
  return a * a + b * b;
}

}  // namespace

TEST_CASE("linear constraints: definitions that cannot work are refused, each with its reason") {
  Space s;
  s.add(Parameter::real("a", 0, 1))
      .add(Parameter::integer("n", 1, 10))
      .add(Parameter::categorical("act", {std::string("relu"), std::string("tanh")}))
      .add(Parameter::fixed("seed", std::int64_t{3}))
      .add(Parameter::real("m", 0, 1).when("act", {std::string("tanh")}));
  CHECK_THAT(constraint_error(s, at_most({{"b", 1}}, 1)), Catch::Contains("'b' is not a parameter"));
  CHECK_THAT(constraint_error(s, at_most({{"act", 1}}, 1)), Catch::Contains("'act' is categorical"));
  CHECK_THAT(constraint_error(s, at_most({{"seed", 1}, {"a", 1}}, 5)), Catch::Contains("'seed' is fixed"));
  CHECK_THAT(constraint_error(s, at_most({{"m", 1}}, 0.5)), Catch::Contains("'m' is conditional"));
  CHECK_THAT(constraint_error(s, at_most({{"a", 0}}, 0.5)), Catch::Contains("coefficient of 'a' must be finite and nonzero"));
  CHECK_THAT(constraint_error(s, at_most({{"a", 1}, {"a", 2}}, 0.5)), Catch::Contains("'a' appears twice"));
  CHECK_THAT(constraint_error(s, at_most({}, 1)), Catch::Contains("at least one parameter"));
  LinearConstraint unbounded;
  unbounded.terms = {{"a", 1}};
  CHECK_THAT(constraint_error(s, unbounded), Catch::Contains("expected a bound"));
  LinearConstraint crossed = unbounded;
  crossed.min = 2;
  crossed.max = 1;
  CHECK_THAT(constraint_error(s, crossed), Catch::Contains("min is above max"));
  // a + n >= 1 always; a + n <= 0.5 never: the sum's range over the box is [1, 11].
  CHECK_THAT(constraint_error(s, at_most({{"a", 1}, {"n", 1}}, 0.5)),
             Catch::Contains("a + n <= 0.5: no point of the space meets it") && Catch::Contains("[1, 11]"));
  // Each possible alone, not together: a <= 0.2 and a >= 0.8.
  Space both = s;
  both.add_constraint(at_most({{"a", 1}}, 0.2));
  LinearConstraint above;
  above.terms = {{"a", 1}};
  above.min = 0.8;
  CHECK_THAT(constraint_error(both, above), Catch::Contains("together with the other constraints"));
  CHECK(both.constraints().size() == 1);  // the refused one is not kept
  // An equality on reals leaves no room to sample: refused with a hint.
  LinearConstraint equal;
  equal.terms = {{"a", 1}, {"n", 0.5}};
  equal.min = equal.max = 1.2;
  CHECK_THAT(constraint_error(s, equal), Catch::Contains("an equality"));
  // Also one the box's centre meets (a + b = 1 on [0, 1]^2): it was accepted, and every ask found
  // the space used up.
  Space square;
  square.add(Parameter::real("a", 0, 1)).add(Parameter::real("b", 0, 1));
  LinearConstraint sum_one;
  sum_one.terms = {{"a", 1}, {"b", 1}};
  sum_one.min = sum_one.max = 1.0;
  CHECK(constraint_error(square, sum_one) ==
        "constraint 1 <= a + b <= 1: an equality with the continuous parameter 'a' leaves no room to search: have your program "
        "compute one of its parameters from the others (or give the bounds some width)");
}

TEST_CASE("linear constraints: describe, validate and the encoded check agree") {
  LinearConstraint c;
  c.terms = {{"x0", 1}, {"x1", -2.5}, {"n", 1}};
  c.min = -1;
  c.max = 4;
  CHECK(c.describe() == "-1 <= x0 - 2.5 x1 + n <= 4");
  Space s;
  s.add(Parameter::real("x0", 0, 3)).add(Parameter::real("x1", 0.1, 2, Scale::Log)).add(Parameter::integer("n", 0, 4));
  s.add_constraint(c);
  CHECK(s.feasible_share() > 0.3);
  CHECK(s.feasible_share() < 1.0);
  const Point ok = {{"x0", 1.0}, {"x1", 1.0}, {"n", std::int64_t{2}}};  // 0.5
  const Point over = {{"x0", 3.0}, {"x1", 0.1}, {"n", std::int64_t{4}}};  // 6.75
  CHECK_NOTHROW(s.validate(ok));
  CHECK(s.meets_constraints(ok));
  CHECK_FALSE(s.meets_constraints(over));
  try {
    s.validate(over);
    FAIL("validate accepted a point breaking the constraint");
  } catch (const SpaceError& e) {
    CHECK_THAT(e.what(), Catch::Contains("breaks the constraint -1 <= x0 - 2.5 x1 + n <= 4 (the sum is 6.75)"));
  }
  CHECK_NOTHROW(s.encode(over));  // predictions may be asked anywhere in the box
  // The check on encodings is the check on the decoded point (n rounded as decode rounds it).
  gpbo::Rng rng = gpbo::make_rng(5);
  int inside = 0;
  for (int t = 0; t < 2000; ++t) {
    Eigen::VectorXd u(3);
    for (int j = 0; j < 3; ++j) u[j] = gpbo::uniform01(rng);
    const bool encoded = s.meets_constraints(u);
    CHECK(encoded == s.meets_constraints(s.decode(u)));
    inside += encoded;
  }
  CHECK(inside > 400);
  CHECK(inside < 1900);
}

TEST_CASE("linear constraints: a finite space counts and lists only the points that meet them") {
  Space s;
  s.add(Parameter::integer("a", 0, 9)).add(Parameter::integer("b", 0, 9));
  REQUIRE(s.cardinality() == std::optional<std::uint64_t>(100));
  s.add_constraint(at_most({{"a", 1}, {"b", 1}}, 9));
  REQUIRE(s.cardinality() == std::optional<std::uint64_t>(55));
  std::set<std::pair<std::int64_t, std::int64_t>> listed;
  for (std::uint64_t k = 0; k < 55; ++k) {
    const Point p = s.decode(s.encoded_point(k));
    const auto a = std::get<std::int64_t>(p.at("a")), b = std::get<std::int64_t>(p.at("b"));
    CHECK(a + b <= 9);
    listed.emplace(a, b);
  }
  CHECK(listed.size() == 55);
  CHECK_THROWS_AS(s.encoded_point(55), SpaceError);
  // A parameter added afterwards widens the box: the count follows.
  s.add(Parameter::categorical("c", {std::string("x"), std::string("y")}));
  CHECK(s.cardinality() == std::optional<std::uint64_t>(110));
}

TEST_CASE("linear constraints: the relaxed form's gradient matches central differences") {
  Space s;
  s.add(Parameter::real("lin", -2, 3))
      .add(Parameter::categorical("c", {std::string("p"), std::string("q")}))
      .add(Parameter::real("lg", 1e-3, 10, Scale::Log))
      .add(Parameter::integer("k", 1, 100, Scale::Log));
  LinearConstraint c;
  c.terms = {{"lin", 1.5}, {"lg", -2}, {"k", 0.25}};
  c.min = -3;
  c.max = 20;
  s.add_constraint(c);
  const std::vector<double> u = {0.3, 0.2, 0.8, 0.55, 0.4};  // lin, c (2 columns), lg, k
  for (const bool upper : {false, true}) {
    std::vector<double> g(5);
    const double value = s.relaxed_constraint(0, upper, u.data(), g.data());
    // At u: lin = -0.5, lg = 10^(-3 + 4 * 0.55), k = 100^0.4.
    const double sum = 1.5 * -0.5 - 2 * std::pow(10.0, -3 + 4 * 0.55) + 0.25 * std::pow(100.0, 0.4);
    CHECK(value == Approx(upper ? sum - 20 : -3 - sum).epsilon(1e-12));
    for (std::size_t j = 0; j < 5; ++j) {
      const double h = 1e-6;
      std::vector<double> up = u, down = u;
      up[j] += h;
      down[j] -= h;
      const double fd = (s.relaxed_constraint(0, upper, up.data(), nullptr) - s.relaxed_constraint(0, upper, down.data(), nullptr)) / (2 * h);
      CHECK(g[j] == Approx(fd).margin(1e-7).epsilon(1e-6));
    }
    CHECK(g[1] == 0.0);
    CHECK(g[2] == 0.0);
  }
}

TEST_CASE("linear constraints: JSON round trip and errors name the path") {
  Space s = space_from_json(json::parse(R"({"a": {"type": "real", "low": 0, "high": 1},
                                            "b": {"type": "integer", "low": 0, "high": 8}})"));
  add_constraints_from_json(s, json::parse(R"([{"sum": {"a": 2, "b": 1}, "min": 1, "max": 6}])"), "/parameter_constraints");
  REQUIRE(s.constraints().size() == 1);
  CHECK(s.constraints()[0].describe() == "1 <= 2 a + b <= 6");
  Space again = space_from_json(space_to_json(s));
  add_constraints_from_json(again, constraints_to_json(s), "/c");
  CHECK(constraints_to_json(again) == constraints_to_json(s));

  auto error = [&](const char* text) {
    Space t = space_from_json(space_to_json(s));
    try {
      add_constraints_from_json(t, json::parse(text), "/parameter_constraints");
    } catch (const SpaceError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(error(R"({"sum": {"a": 1}})"), Catch::StartsWith("/parameter_constraints: expected an array"));
  CHECK_THAT(error(R"([{"sum": {"aa": 1}, "max": 1}])"),
             Catch::StartsWith("/parameter_constraints/0/sum/aa: unknown parameter \"aa\" (did you mean \"a\"?)"));
  CHECK_THAT(error(R"([{"sum": {"a": "1"}, "max": 1}])"), Catch::StartsWith("/parameter_constraints/0/sum/a: expected a number"));
  CHECK_THAT(error(R"([{"sum": {}, "max": 1}])"), Catch::StartsWith("/parameter_constraints/0/sum: expected an object"));
  CHECK_THAT(error(R"([{"max": 1}])"), Catch::StartsWith("/parameter_constraints/0: missing key \"sum\""));
  CHECK_THAT(error(R"([{"sum": {"a": 1}, "maxx": 1}])"), Catch::Contains("/parameter_constraints/0/maxx") && Catch::Contains("\"max\""));
  CHECK_THAT(error(R"([{"sum": {"a": 1}, "max": "1"}])"), Catch::StartsWith("/parameter_constraints/0/max: expected a number"));
  CHECK_THAT(error(R"([{"sum": {"a": 1}, "max": 1}, {"sum": {"b": 1}, "min": 9}])"),
             Catch::StartsWith("/parameter_constraints/1: constraint 9 <= b: no point"));
}

TEST_CASE("linear constraints: every suggestion meets them, with every acquisition and preset") {
  for (const std::string preset : {"default", "fast"})
    for (const AcquisitionKind kind : optimizer_test::all_acquisitions) {
      CAPTURE(preset, to_string(kind));
      const OptimizerOptions o = optimizer_test::light_options(preset, kind, 11);
      Optimizer opt(triangle(), o);
      for (int i = 0; i < 16; ++i) {
        const std::vector<Suggestion> batch = opt.ask(i < 12 ? 1 : 2);  // batches account for pending points too
        for (const Suggestion& s : batch) {
          REQUIRE(as_double(s.point.at("x0")) + as_double(s.point.at("x1")) <= 1.0);
          opt.tell(s.id, distance_to_corner(s.point));
        }
      }
    }
}

TEST_CASE("linear constraints: an optimum on an oblique bound is found to 1e-6") {
  // The nearest point to (1, 1) in the triangle is on its hypotenuse. SLSQP on the relaxed
  // constraint slides along it (regrets 1e-9 to 4e-8 over these seeds); L-BFGS that keeps its
  // best feasible point stops short of it (2e-5 to 2.3e-4, measured by swapping it in).
  std::vector<double> regrets;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    Optimizer opt(triangle(), optimizer_test::small_options(seed));
    for (int i = 0; i < 25; ++i) {
      const Suggestion s = opt.ask();
      opt.tell(s.id, distance_to_corner(s.point));
    }
    regrets.push_back(opt.best()->value - 0.5);
  }
  CAPTURE(regrets);
  CHECK(optimizer_test::median(regrets) < 1e-6);
}

TEST_CASE("linear constraints: a finite space ends exhausted after its feasible points, each once") {
  Space s;
  s.add(Parameter::integer("a", 0, 5)).add(Parameter::integer("b", 0, 5));
  s.add_constraint(at_most({{"a", 2}, {"b", 1}}, 5));  // 3 + 5 + ... : 3 + 4 ... counted below
  std::uint64_t expected = 0;
  for (int a = 0; a <= 5; ++a)
    for (int b = 0; b <= 5; ++b) expected += 2 * a + b <= 5;
  REQUIRE(s.cardinality() == std::optional<std::uint64_t>(expected));
  Optimizer opt(s, optimizer_test::small_options(2));
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  while (!opt.should_stop()) {
    const Suggestion sg = opt.ask();
    const auto a = std::get<std::int64_t>(sg.point.at("a")), b = std::get<std::int64_t>(sg.point.at("b"));
    REQUIRE(2 * a + b <= 5);
    REQUIRE(seen.emplace(a, b).second);
    opt.tell(sg.id, static_cast<double>((a - 2) * (a - 2) + (b - 1) * (b - 1)));
  }
  CHECK(opt.stop_reason() == std::optional<std::string>("exhausted"));
  CHECK(seen.size() == expected);
  CHECK_THROWS_AS(opt.ask(), SpaceExhausted);
}

TEST_CASE("linear constraints: told and enqueued points must meet them; a reload continues exactly") {
  Optimizer opt(triangle(), optimizer_test::small_options(4));
  CHECK_THROWS_WITH(opt.tell(Point{{"x0", 0.8}, {"x1", 0.8}}, 1.0), Catch::Contains("breaks the constraint x0 + x1 <= 1"));
  CHECK_THROWS_AS(opt.enqueue(Point{{"x0", 0.9}, {"x1", 0.2}}), SpaceError);
  opt.enqueue(Point{{"x0", 0.5}, {"x1", 0.5}});
  for (int i = 0; i < 13; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, distance_to_corner(s.point));
  }
  const json saved = optimizer_to_json(opt);
  REQUIRE(saved.contains("parameter_constraints"));
  Optimizer copy = optimizer_from_json(json::parse(saved.dump()));
  REQUIRE(copy.space().constraints().size() == 1);
  for (int i = 0; i < 4; ++i) {
    const Suggestion a = opt.ask(), b = copy.ask();
    REQUIRE(optimizer_test::same_point(a.point, b.point));
    opt.tell(a.id, distance_to_corner(a.point));
    copy.tell(b.id, distance_to_corner(b.point));
  }
  // A saved constraint that the space cannot take is reported with its path.
  json bad = saved;
  bad["parameter_constraints"][0]["sum"]["x2"] = 1;
  CHECK_THROWS_WITH(optimizer_from_json(bad), Catch::Contains("/parameter_constraints/0/sum/x2: unknown parameter"));
}

TEST_CASE("linear constraints: a region too small to hit at random is accepted and searched") {
  // x + y + z <= 10 on [0, 100]^3 keeps 1/6000 of the box: none of the 1024 spread points that
  // estimate the share meets it, and rejection would keep no candidate (the first ask() threw
  // SpaceExhausted). A walk inside the region draws the points instead.
  Space s;
  for (const char* name : {"x", "y", "z"}) s.add(Parameter::real(name, 0, 100));
  s.add_constraint(at_most({{"x", 1}, {"y", 1}, {"z", 1}}, 10));
  CHECK(s.narrow_region());
  OptimizerOptions o = optimizer_test::small_options(0);
  Optimizer opt(s, o);
  std::set<std::vector<double>> seen;
  double best = 1e300;
  for (int i = 0; i < 18; ++i) {
    const std::vector<Suggestion> batch = opt.ask(i % 3 == 0 ? 2 : 1);
    REQUIRE(!batch.empty());
    for (const Suggestion& g : batch) {
      const double x = as_double(g.point.at("x")), y = as_double(g.point.at("y")), z = as_double(g.point.at("z"));
      REQUIRE(x + y + z <= 10.0);
      CHECK(seen.insert({x, y, z}).second);
      const double f = (x - 6) * (x - 6) + (y - 6) * (y - 6) + z;  // minimum 2 at (5, 5, 0) on the bound
      best = std::min(best, f);
      opt.tell(g.id, f);
    }
  }
  CHECK(best < 2.5);
  // Sums far smaller than the box, and one on integers, are accepted too; impossible ones are not.
  Space tiny;
  tiny.add(Parameter::real("a", 0, 1)).add(Parameter::real("b", 0, 1));
  CHECK(constraint_error(tiny, at_most({{"a", 1}, {"b", 1}}, 1e-6)).empty());
  Space counts;
  for (const char* name : {"i", "j", "k"}) counts.add(Parameter::integer(name, 0, 100));
  CHECK(constraint_error(counts, at_most({{"i", 1}, {"j", 1}, {"k", 1}}, 2)).empty());
  LinearConstraint above;
  above.terms = {{"i", 1}, {"j", 1}};
  above.min = 150;
  counts.add_constraint(at_most({{"i", 1}, {"j", 1}, {"k", 1}}, 2));
  CHECK_THAT(constraint_error(counts, above), Catch::Contains("together with the other constraints"));
  Optimizer discrete(counts, optimizer_test::small_options(1));
  std::set<std::vector<std::int64_t>> points;
  for (int i = 0; i < 10; ++i) {  // the region holds 10 points: each once, then exhausted
    const Suggestion g = discrete.ask();
    const auto i0 = value_as<std::int64_t>(g.point, "i"), j0 = value_as<std::int64_t>(g.point, "j"), k0 = value_as<std::int64_t>(g.point, "k");
    REQUIRE(i0 + j0 + k0 <= 2);
    CHECK(points.insert({i0, j0, k0}).second);
    discrete.tell(g.id, static_cast<double>(i0 - j0 + 3 * k0));
  }
  CHECK_THROWS_AS(discrete.ask(), SpaceExhausted);
}

TEST_CASE("linear constraints: the walk in a narrow region draws it uniformly") {
  // a + b <= 0.02 on [0, 1]^2 (a log-scale c alongside, unconstrained): uniform on the triangle,
  // a's mean is 0.02/3 and P(a < 0.01) = 3/4; c keeps its own log-uniform draws (median 0.1).
  Space s;
  s.add(Parameter::real("a", 0, 1)).add(Parameter::real("b", 0, 1)).add(Parameter::real("c", 1e-3, 10, Scale::Log));
  s.add_constraint(at_most({{"a", 1}, {"b", 1}}, 0.02));
  REQUIRE(s.narrow_region());
  gpbo::Rng rng = gpbo::make_rng(5);
  const Eigen::MatrixXd U = s.random_points(20000, rng);
  REQUIRE(U.rows() == 20000);
  double mean_a = 0.0, below = 0.0, c_below = 0.0;
  for (Eigen::Index i = 0; i < U.rows(); ++i) {
    const Point p = s.decode(U.row(i).transpose());
    const double a = as_double(p.at("a")), b = as_double(p.at("b"));
    REQUIRE(a + b <= 0.02);
    mean_a += a / 20000.0;
    below += (a < 0.01) / 20000.0;
    c_below += (as_double(p.at("c")) < 0.1) / 20000.0;
  }
  // Successive states are correlated: tolerances of ~5 effective-sample standard errors.
  CHECK(mean_a == Approx(0.02 / 3).epsilon(0.05));
  CHECK(below == Approx(0.75).margin(0.03));
  CHECK(c_below == Approx(0.5).margin(0.03));
}

TEST_CASE("linear constraints: the initial design spreads along a narrow region") {
  // 0.99 <= a + b <= 1.01 on [0, 1]^2, a strip along the diagonal: the design took one walk's
  // successive states, and its ten points spanned a tenth of the strip (median a range 0.091 over
  // 20 seeds, 0.017 at worst); from each row's own projection, 0.778 (0.407 at worst).
  Space s;
  s.add(Parameter::real("a", 0, 1)).add(Parameter::real("b", 0, 1));
  LinearConstraint strip = at_most({{"a", 1}, {"b", 1}}, 1.01);
  strip.min = 0.99;
  s.add_constraint(strip);
  REQUIRE(s.narrow_region());
  for (std::uint64_t seed = 0; seed < 5; ++seed) {
    CAPTURE(seed);
    OptimizerOptions o;
    o.seed = seed;
    Optimizer opt(s, o);
    double low = 1.0, high = 0.0;
    for (int i = 0; i < 10; ++i) {
      const Suggestion q = opt.ask();
      REQUIRE(s.meets_constraints(q.point));
      const double a = as_double(q.point.at("a"));
      low = std::min(low, a);
      high = std::max(high, a);
      opt.tell(q.id, 0.0);
    }
    CHECK(high - low > 0.3);
  }
}

TEST_CASE("linear constraints: narrow regions with log-scale integers, held or searched, are found and drawn") {
  // Held columns are encoded values already: reading them through the uniform map moved a held
  // log-scale integer (x = 5 read as 3), so the slice's walk kept no row and ask() threw.
  Space s;
  s.add(Parameter::integer("x", 1, 1000, Scale::Log)).add(Parameter::real("y", 0, 10)).add(Parameter::real("z", 0, 10));
  LinearConstraint band = at_most({{"x", 1}, {"y", 1}, {"z", 1}}, 6);
  band.min = 5.5;
  s.add_constraint(band);
  for (const std::int64_t held : {2, 3, 5}) {
    CAPTURE(held);
    const Space slice = s.slice({{"x", held}});
    REQUIRE(slice.narrow_region());
    gpbo::Rng rng = gpbo::make_rng(3);
    const Eigen::MatrixXd U = slice.random_points(200, rng);
    REQUIRE(U.rows() == 200);
    for (Eigen::Index i = 0; i < U.rows(); ++i) {
      const Point p = slice.decode(U.row(i).transpose());
      CHECK(value_as<std::int64_t>(p, "x") == held);
      const double sum = static_cast<double>(held) + as_double(p.at("y")) + as_double(p.at("z"));
      CHECK((sum >= 5.5 && sum <= 6.0));
    }
    Optimizer opt(s, optimizer_test::small_options(1));
    CHECK(value_as<std::int64_t>(opt.ask({{"x", held}}).point, "x") == held);
  }
  // The projection that decides whether a region is empty rounds as the walk reads integers:
  // 50 <= x + y <= 50.4 with x a log-scale integer in [1, 1e6] holds at x = 40, y = 10.2.
  Space wide;
  wide.add(Parameter::integer("x", 1, 1000000, Scale::Log)).add(Parameter::real("y", 0, 1e6));
  LinearConstraint narrow = at_most({{"x", 1}, {"y", 1}}, 50.4);
  narrow.min = 50;
  CHECK(constraint_error(wide, narrow).empty());
  wide.add_constraint(narrow);
  gpbo::Rng rng = gpbo::make_rng(4);
  const Eigen::MatrixXd U = wide.random_points(100, rng);
  REQUIRE(U.rows() == 100);
  // Each integer's band of y is apart from the next one's, so the walk keeps to one of them:
  // its rows are feasible, not spread over every x (a known limit of a single walk).
  for (Eigen::Index i = 0; i < U.rows(); ++i) {
    const Point p = wide.decode(U.row(i).transpose());
    const double sum = static_cast<double>(value_as<std::int64_t>(p, "x")) + as_double(p.at("y"));
    CHECK((sum >= 50 && sum <= 50.4));
  }
}

TEST_CASE("linear constraints: a thin band, a stand-in for an equality, is walked along and searched") {
  // 1 <= x0 + x1 + x2 <= 1 + 1e-9 on [0, 1]^3 (the advice for an equality is to give the bounds
  // some width): aiming 1e-9 of the range inside each bound missed the band, so the space was
  // refused as empty; with two terms the walk's random directions only crossed the band, its
  // 2000 states spanned 3e-8 of x0's range, and ask() found the space used up after 3 points.
  // Written as two constraints, Ax's way (-x0 - x1 - x2 <= -1), the band was not seen: 25 asks
  // came 5e-5 short of the optimum at a width of 1e-6, and at 1e-9 the first ask() threw.
  for (const auto& [terms, split] : std::vector<std::pair<int, bool>>{{2, false}, {3, false}, {3, true}}) {
    CAPTURE(terms, split);
    Space s;
    LinearConstraint band, at_least;
    for (int i = 0; i < terms; ++i) {
      const std::string name = "x" + std::to_string(i);
      s.add(Parameter::real(name, 0, 1));
      band.terms.emplace_back(name, 1.0);
      at_least.terms.emplace_back(name, -1.0);
    }
    band.max = 1 + 1e-9;
    if (split) {
      at_least.max = -1;
      s.add_constraint(at_least);
    } else {
      band.min = 1;
    }
    REQUIRE(constraint_error(s, band).empty());
    s.add_constraint(band);
    // Uniform on the simplex: x0 has mean 1/terms and sd 0.289 (two terms) or 0.236 (three).
    gpbo::Rng rng = gpbo::make_rng(3);
    const Eigen::MatrixXd U = s.random_points(2000, rng);
    REQUIRE(U.rows() == 2000);
    double mean = 0.0, square = 0.0;
    for (Eigen::Index i = 0; i < U.rows(); ++i) {
      const Point p = s.decode(U.row(i).transpose());
      REQUIRE(s.meets_constraints(p));
      const double x = as_double(p.at("x0"));
      mean += x / 2000.0;
      square += x * x / 2000.0;
    }
    const double sd = std::sqrt(square - mean * mean);
    CHECK(mean == Approx(1.0 / terms).margin(0.05));
    CHECK(sd == Approx(terms == 2 ? std::sqrt(1.0 / 12) : std::sqrt(2.0) / 6).margin(0.03));
    // sum (x_i - 0.3 - 0.1 i)^2 is least on the band at x_i = 0.3 + 0.1 i + (1 - sum)/terms.
    Optimizer opt(s, optimizer_test::small_options(1));
    std::set<std::vector<double>> seen;
    const double shift = (terms == 2 ? 0.3 : -0.2) / terms, least = terms * shift * shift;
    double best = 1e300;
    for (int n = 0; n < 25; ++n) {
      const Suggestion g = opt.ask();
      std::vector<double> x;
      double f = 0.0;
      for (int i = 0; i < terms; ++i) {
        x.push_back(as_double(g.point.at("x" + std::to_string(i))));
        f += std::pow(x.back() - 0.3 - 0.1 * i, 2);
      }
      REQUIRE(s.meets_constraints(g.point));
      CHECK(seen.insert(x).second);
      best = std::min(best, f);
      opt.tell(g.id, f);
    }
    CHECK(best - least < 1e-5);
  }
}

TEST_CASE("linear constraints: a thin band over an integer and a real is found: the real moves with the integer held") {
  // 5.3 <= n + x <= 5.3 + 1e-9 holds at n = 5, x = 0.3 (and n = 4, x = 1.3 is outside x's
  // range): projecting, then rounding n, left the band, and aiming past rounding's reach (half
  // an integer inside each bound) could not be met, so the space was refused as empty.
  Space s;
  s.add(Parameter::integer("n", 0, 10)).add(Parameter::real("x", 0, 1));
  LinearConstraint band = at_most({{"n", 1}, {"x", 1}}, 5.3 + 1e-9);
  band.min = 5.3;
  REQUIRE(constraint_error(s, band).empty());
  s.add_constraint(band);
  gpbo::Rng rng = gpbo::make_rng(2);
  const Eigen::MatrixXd U = s.random_points(50, rng);
  REQUIRE(U.rows() == 50);
  for (Eigen::Index i = 0; i < U.rows(); ++i) {
    const Point p = s.decode(U.row(i).transpose());
    CHECK(value_as<std::int64_t>(p, "n") == 5);
    CHECK(s.meets_constraints(p));
  }
  Optimizer opt(s, optimizer_test::small_options(1));
  const Suggestion g = opt.ask();
  CHECK(value_as<std::int64_t>(g.point, "n") == 5);
  CHECK(as_double(g.point.at("x")) == Approx(0.3).margin(1e-8));
  // A box (an acquisition search's trust region) that holds n = 5's cell finds it; one that
  // holds only n = 4's (where x would be 1.3) finds nothing: the rounded n's cell, outside the
  // box, gave eight copies of one row outside it.
  Eigen::VectorXd lower = Eigen::VectorXd::Zero(2), upper = Eigen::VectorXd::Ones(2);
  lower[0] = 0.45;
  upper[0] = 0.55;
  CHECK(s.draw_in_region(Eigen::MatrixXd::Constant(8, 2, 0.5), rng, lower, upper).rows() == 8);
  lower[0] = 0.40;
  upper[0] = 0.45;
  CHECK(s.draw_in_region(Eigen::MatrixXd::Constant(8, 2, 0.42), rng, lower, upper).rows() == 0);
  // With two reals the steps along the band moved n too, left the band each time and stood
  // still (x within 1e-3 over 500 rows): they hold the integers now.
  Space three;
  three.add(Parameter::integer("n", 0, 10)).add(Parameter::real("x", 0, 1)).add(Parameter::real("y", 0, 1));
  LinearConstraint wide_band = at_most({{"n", 1}, {"x", 1}, {"y", 1}}, 5.3 + 1e-9);
  wide_band.min = 5.3;
  three.add_constraint(wide_band);
  const Eigen::MatrixXd W = three.random_points(500, rng);
  REQUIRE(W.rows() == 500);
  // x + y is 0.3 with n = 5 (x in [0, 0.3]) and 1.3 with n = 4 (x in [0.3, 1]).
  std::map<std::int64_t, std::pair<double, double>> x_range;
  for (Eigen::Index i = 0; i < W.rows(); ++i) {
    const Point p = three.decode(W.row(i).transpose());
    REQUIRE(three.meets_constraints(p));
    auto& [low, high] = x_range.try_emplace(value_as<std::int64_t>(p, "n"), 1.0, 0.0).first->second;
    low = std::min(low, as_double(p.at("x")));
    high = std::max(high, as_double(p.at("x")));
  }
  for (const auto& [n, range] : x_range) {
    CAPTURE(n);
    CHECK(range.second - range.first > 0.8 * (n == 5 ? 0.3 : 0.7));
  }
}

TEST_CASE("linear constraints: a thin band over an integer and a real is found from starts where n rounds the wrong way") {
  // 5.3 <= n + x <= 5.3 + 1e-6 with n in [0, 20]: from near the box's upper corner the projection
  // reaches n = 4.34, x = 0.96, and holding n at its rounding, 4, needs x = 1.3, outside [0, 1]:
  // draw_in_region() found no start and gave no row, though random_points() found n = 5, x = 0.3.
  Space s;
  s.add(Parameter::integer("n", 0, 20)).add(Parameter::real("x", 0, 1));
  LinearConstraint band = at_most({{"n", 1}, {"x", 1}}, 5.3 + 1e-6);
  band.min = 5.3;
  REQUIRE(constraint_error(s, band).empty());
  s.add_constraint(band);
  gpbo::Rng rng = gpbo::make_rng(5);
  const Eigen::VectorXd lower = Eigen::VectorXd::Zero(2), upper = Eigen::VectorXd::Ones(2);
  for (const double corner : {1.0, 0.9}) {
    for (const bool spread : {false, true}) {
      CAPTURE(corner, spread);
      const Eigen::MatrixXd U = s.draw_in_region(Eigen::MatrixXd::Constant(8, 2, corner), rng, lower, upper, spread);
      REQUIRE(U.rows() == 8);
      for (Eigen::Index i = 0; i < U.rows(); ++i) {
        const Point p = s.decode(s.snap_uniform(U.row(i).transpose()));
        CHECK(value_as<std::int64_t>(p, "n") == 5);
        CHECK(s.meets_constraints(p));
      }
    }
  }
  // A box that holds only n = 4's and n = 3's cells still finds nothing: neither meets the band.
  Eigen::VectorXd low = lower, high = upper;
  low[0] = 3.0 / 21;
  high[0] = 5.0 / 21;
  CHECK(s.draw_in_region(Eigen::MatrixXd::Constant(8, 2, 0.2), rng, low, high).rows() == 0);
}

TEST_CASE("linear constraints: draw_in_region() walks from inside its box when an integer's cell only partly is") {
  // 5 <= n + x <= 5.5, n in [0, 20], and a box whose n column [0.2, 0.26] holds part of n = 5's
  // cell [5/21, 6/21] but not its middle. The projection from (n = 4.2, x = 0.05) reaches
  // n = 4.95, which rounds to 5 and meets the band; the start was put at that cell's middle,
  // 0.262, outside the box, where no step of the walk could land: every row was that one point.
  Space s;
  s.add(Parameter::integer("n", 0, 20)).add(Parameter::real("x", 0, 1));
  LinearConstraint band = at_most({{"n", 1}, {"x", 1}}, 5.5);
  band.min = 5.0;
  s.add_constraint(band);
  gpbo::Rng rng = gpbo::make_rng(11);
  const Eigen::Vector2d lower(0.2, 0.0), upper(0.26, 1.0);
  for (const bool spread : {false, true}) {
    CAPTURE(spread);
    Eigen::MatrixXd X(8, 2);
    X.col(0).setConstant(0.21);
    X.col(1).setConstant(0.05);
    const Eigen::MatrixXd U = s.draw_in_region(X, rng, lower, upper, spread);
    REQUIRE(U.rows() == 8);
    std::set<std::pair<double, double>> rows;
    for (Eigen::Index i = 0; i < U.rows(); ++i) {
      CAPTURE(i, U(i, 0), U(i, 1));
      CHECK(U(i, 0) >= lower[0]);
      CHECK(U(i, 0) <= upper[0]);
      CHECK(value_as<std::int64_t>(s.decode(s.snap_uniform(U.row(i).transpose())), "n") == 5);
      rows.insert({U(i, 0), U(i, 1)});
    }
    CHECK(rows.size() == 8);  // the walk moves
  }
}

TEST_CASE("linear constraints: an equality written as two constraints is refused as the one-constraint form is") {
  // -a - b <= -0.5 beside a + b <= 0.5 (Ax's way of writing a + b >= 0.5) left no volume: on log
  // scales ask() found the space used up after 9 points.
  Space s;
  s.add(Parameter::real("a", 0.01, 1, Scale::Log)).add(Parameter::real("b", 0.01, 1, Scale::Log));
  s.add_constraint(at_most({{"a", -1}, {"b", -1}}, -0.5));
  CHECK_THAT(constraint_error(s, at_most({{"b", 1}, {"a", 1}}, 0.5)),
             Catch::Contains("with a constraint on the same sum, an equality with the continuous parameter"));
  CHECK(constraint_error(s, at_most({{"b", 1}, {"a", 1}}, 0.5 + 1e-9)).empty());
  // Bounds equal but for round-off (0.3 / 3 is not 0.1) are an equality too.
  Space scaled;
  scaled.add(Parameter::real("a", 0.01, 1, Scale::Log)).add(Parameter::real("b", 0.01, 1, Scale::Log));
  scaled.add_constraint(at_most({{"a", -3}, {"b", -3}}, -0.3));
  CHECK_THAT(constraint_error(scaled, at_most({{"a", 1}, {"b", 1}}, 0.1)), Catch::Contains("an equality"));
  CHECK_THAT(constraint_error(scaled, at_most({{"a", 1}, {"b", 1}}, 0.05)), Catch::Contains("no point of the space meets it"));
}
