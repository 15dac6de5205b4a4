// Damaged optimizer states: every single-point corruption of a saved state either loads into an
// optimizer that keeps working or is rejected with an exception that says why; none may crash.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "../json_corruptions.hpp"
#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/test_functions.hpp"

using namespace gpbo::bo;

namespace {

// Small options: a model after 4 points and a cheap acquisition search.
OptimizerOptions fuzz_options(std::uint64_t seed) {
  OptimizerOptions o;
  o.seed = seed;
  o.initial_points = 4;
  o.search.candidates = 200;
  o.search.incumbent_candidates = 50;
  return o;
}

// A state with every kind of trial: successes, a failure, a point told unasked, a pending one.
nlohmann::json sample_state() {
  const TestFunction f = branin();
  Optimizer opt(f.space(), fuzz_options(3));
  for (int i = 0; i < 7; ++i) {
    const Suggestion s = opt.ask();
    if (i == 2) opt.tell_failure(s.id, "crashed");
    else opt.tell(s.id, f(f.vector_of(s.point)));
  }
  opt.tell(Point{{"x0", 1.0}, {"x1", 2.0}}, 30.0);
  (void)opt.ask();
  return optimizer_to_json(opt);
}

// A state with outcome constraints: feasible and infeasible results, a failure, a pending point.
nlohmann::json constrained_state() {
  const TestFunction f = gramacy_toy();
  OptimizerOptions o = fuzz_options(4);
  o.constraints = f.constraints;
  Optimizer opt(f.space(), o);
  for (int i = 0; i < 7; ++i) {
    const Suggestion s = opt.ask();
    const Eigen::VectorXd x = f.vector_of(s.point);
    if (i == 3) opt.tell_failure(s.id, "crashed");
    else opt.tell(s.id, f(x), f.constraint_values(x));
  }
  (void)opt.ask();
  return optimizer_to_json(opt);
}

// A state of a conditional space whose parameters are not in name order: inactive parameters
// left out of points, a parent's condition in the "space" object, grids (steps).
nlohmann::json conditional_state() {
  const Value sgd = std::string("sgd");
  Space space;
  space.add(Parameter::categorical("optimizer", {std::string("adam"), sgd}))
      .add(Parameter::real("momentum", 0.0, 0.99).when("optimizer", {sgd}))
      .add(Parameter::integer("layers", 1, 7).with_step(2))
      .add(Parameter::real("dropout", 0.0, 0.5).with_step(0.1).when("optimizer", {std::string("adam")}));
  Optimizer opt(space, fuzz_options(5));
  for (int i = 0; i < 7; ++i) {
    const Suggestion s = opt.ask();
    const double m = s.point.count("momentum") ? std::get<double>(s.point.at("momentum")) : 0.2;
    opt.tell(s.id, (m - 0.9) * (m - 0.9) + 0.1 * static_cast<double>(std::get<std::int64_t>(s.point.at("layers"))));
  }
  (void)opt.ask();
  return optimizer_to_json(opt);
}

// A state with linear constraints on a real and an integer parameter (both bounds): a failure,
// a pending point, and a whole and a partial enqueued point still waiting.
nlohmann::json linear_constraint_state() {
  Space space;
  space.add(Parameter::real("x", -2.0, 3.0)).add(Parameter::integer("n", 0, 12));
  LinearConstraint c;
  c.terms = {{"x", 2.0}, {"n", 1.0}};
  c.min = 1.0;
  c.max = 9.0;
  space.add_constraint(c);
  Optimizer opt(space, fuzz_options(6));
  opt.enqueue(Point{{"x", 0.5}, {"n", std::int64_t{3}}});
  opt.enqueue(Point{{"x", 1.0}, {"n", std::int64_t{2}}});
  for (int i = 0; i < 6; ++i) {
    const Suggestion s = opt.ask();
    const double x = std::get<double>(s.point.at("x"));
    if (i == 2) opt.tell_failure(s.id, "crashed");
    else opt.tell(s.id, (x - 1) * (x - 1) + static_cast<double>(std::get<std::int64_t>(s.point.at("n"))));
  }
  opt.enqueue(Point{{"x", -0.5}, {"n", std::int64_t{4}}});
  opt.enqueue(Point{{"x", 2.0}, {"n", std::int64_t{5}}});
  opt.enqueue(Point{{"n", std::int64_t{6}}});  // a partial point: x is chosen in its turn
  (void)opt.ask();  // the first enqueued point is pending, the second and the partial one wait
  return optimizer_to_json(opt);
}

// What each loaded corruption must still do: suggest a valid point, take a result (with
// constraint values when the state has constraints), name a best and save.
void keeps_working(const nlohmann::json& j) {
  Optimizer opt = optimizer_from_json(j);
  const Suggestion s = opt.ask();
  CHECK_NOTHROW(opt.space().validate(s.point));
  opt.tell(s.id, 1.0, std::vector<double>(opt.options().constraints.size(), -1.0));
  (void)opt.best();
  (void)optimizer_to_json(opt);
}

}  // namespace

TEST_CASE("optimizer state of a conditional space: single-point corruptions load and keep working, or are rejected") {
  gpbo::test::check_corruptions(conditional_state(), keeps_working);
}

TEST_CASE("optimizer state with outcome constraints: single-point corruptions load and keep working, or are rejected") {
  gpbo::test::check_corruptions(constrained_state(), keeps_working);
}

TEST_CASE("optimizer state with linear constraints: single-point corruptions load and keep working, or are rejected") {
  const nlohmann::json j = linear_constraint_state();
  REQUIRE(j.contains("parameter_constraints"));
  gpbo::test::check_corruptions(j, keeps_working);
}

TEST_CASE("optimizer state: single-point corruptions load and keep working, or are rejected; none crash") {
  gpbo::test::check_corruptions(sample_state(), keeps_working);
}

TEST_CASE("optimizer state: inconsistent values are rejected with their JSON path") {
  const nlohmann::json state = sample_state();
  auto error_of = [](const nlohmann::json& j) {
    try {
      (void)optimizer_from_json(j);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  auto with = [&](const std::string& pointer, nlohmann::json value) {
    nlohmann::json j = state;
    j[nlohmann::json::json_pointer(pointer)] = std::move(value);
    return j;
  };
  CHECK(error_of(state) == "(no error)");
  // The encoded point the GP sees must be the point's encoding, inside the unit cube.
  CHECK(error_of(with("/trials/0/u/0", 0.123456)) == "/trials/0/u: is not the encoding of \"point\" (the state was edited or damaged)");
  CHECK(error_of(with("/design/0/1", -1)) == "/design/0: expected 2 numbers in [0, 1]");
  nlohmann::json j = state;
  j["ok_order"].erase(0);
  CHECK_THAT(error_of(j), Catch::StartsWith("/ok_order: expected every successful trial's id once"));
  j = state;
  j["ok_order"].push_back(j["ok_order"][0]);
  CHECK_THAT(error_of(j), Catch::EndsWith("is listed twice"));
  CHECK(error_of(with("/surrogate/transform/scale", -1)) == "/surrogate/transform/scale: expected a positive number");
  CHECK(error_of(with("/surrogate/params/0", 1e300)) ==
        "/surrogate/params: expected the free hyperparameters of a fitted model (|value| <= 1000)");
  // An option outside its range is named by its path, not by the C++ field.
  CHECK(error_of(with("/options/initial_points", 18446744073709551615ULL)) ==
        "/options/initial_points: expected <= 1000000, got 18446744073709551615");
  CHECK(error_of(with("/options/search/thompson_candidates", 100000)) ==
        "/options/search/thompson_candidates: expected in [1, 20000], got 100000");
  CHECK(error_of(with("/options/search/duplicate_tolerance", -1)) ==
        "/options/search/duplicate_tolerance: expected in [0, 0.5), got -1");
  CHECK(error_of(with("/options/noise", 1e300)) ==
        "/options/noise: expected > 0 for a fixed noise, with a finite variance (<= 1e154), got 1e+300");
  CHECK(error_of(with("/options/stop/max_seconds", -2)) == "/options/stop/max_seconds: expected >= 0 (0: no limit), got -2");
  // The random generator's state: digits only, nothing after it, not all zeros.
  const std::string rng = state["rng"].get<std::string>();
  CHECK(error_of(with("/rng", rng + " 17")) == "/rng: not a saved random generator state");
  CHECK(error_of(with("/rng", "-5" + rng.substr(rng.find(' ')))) == "/rng: not a saved random generator state");
  std::string zeros;
  for (char c : rng) zeros += c == ' ' ? ' ' : '0';
  CHECK(error_of(with("/rng", zeros)) == "/rng: not a saved random generator state (it draws only zeros)");
  REQUIRE(state["surrogate_ids"].size() >= 2);
  {
    nlohmann::json twice = state;
    twice["surrogate_ids"][1] = twice["surrogate_ids"][0];
    CHECK_THAT(error_of(twice), Catch::StartsWith("/surrogate_ids/1: trial ") && Catch::EndsWith(" is listed twice"));
  }
  // A queued point's encoding must be its point's, as a trial's.
  nlohmann::json queued = state;
  queued["queue"] = nlohmann::json::array({state["trials"][0]["u"]});
  queued["queue_points"] = nlohmann::json::array({state["trials"][0]["point"]});
  CHECK(error_of(queued) == "(no error)");
  queued["queue"][0][0] = 0.123456;
  CHECK(error_of(queued) == "/queue/0: is not the encoding of /queue_points/0 (the state was edited or damaged)");
}
