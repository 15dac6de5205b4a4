// Conditional parameters (Parameter::when, "when" in JSON): encoding, validation, finite
// enumeration, JSON order and errors, and the optimizer on a tree-structured problem.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/bayesopt/test_functions.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;
using nlohmann::json;

namespace {

const Value sgd = std::string("sgd"), adam = std::string("adam");

// optimizer -> momentum (sgd) -> nesterov (momentum's branch only) and layers -> width2 (2 or 3).
Space training_space() {
  Space s;
  s.add(Parameter::categorical("optimizer", {adam, sgd}))
      .add(Parameter::real("momentum", 0.0, 0.99).when("optimizer", {sgd}))
      .add(Parameter::categorical("nesterov", {std::string("no"), std::string("yes")}).when("optimizer", {sgd}))
      .add(Parameter::integer("layers", 1, 3))
      .add(Parameter::integer("width2", 16, 64).when("layers", {std::int64_t{2}, std::int64_t{3}}))
      .add(Parameter::fixed("beta2", 0.999).when("optimizer", {adam}));
  return s;
}

std::string space_error(const json& j) {
  try {
    (void)space_from_json(j);
  } catch (const SpaceError& e) {
    return e.what();
  }
  return "(no error)";
}

template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("conditional space: inactive parameters are left out and encoded as constants") {
  const Space s = training_space();
  REQUIRE(s.conditional());
  REQUIRE(s.encoded_dim() == 2 + 1 + 2 + 1 + 1);
  const Point with_adam = {{"optimizer", adam}, {"layers", std::int64_t{1}}};
  const Eigen::VectorXd u = s.encode(with_adam);
  CHECK(u.segment(0, 2).isApprox(Eigen::Vector2d(1, 0)));
  CHECK(u[2] == kInactiveEncoding);                             // momentum
  CHECK(u.segment(3, 2).isApprox(Eigen::Vector2d(0.5, 0.5)));  // nesterov: 1/k in each column
  CHECK(u[6] == kInactiveEncoding);                             // width2 (layers = 1)
  const Point back = s.decode(u);
  CHECK(back.size() == 3);  // optimizer, layers and the active fixed beta2
  CHECK(std::get<double>(back.at("beta2")) == 0.999);
  CHECK(s.complete(with_adam).count("beta2") == 1);
  CHECK(s.snap(u) == u);

  const Point with_sgd = {{"optimizer", sgd}, {"momentum", 0.9}, {"nesterov", std::string("yes")},
                          {"layers", std::int64_t{3}}, {"width2", std::int64_t{32}}};
  const Point sgd_back = s.decode(s.encode(with_sgd));
  CHECK(sgd_back.size() == 5);
  CHECK(std::get<double>(sgd_back.at("momentum")) == Approx(0.9));
  CHECK(std::get<std::int64_t>(sgd_back.at("width2")) == 32);
  CHECK(s.complete(with_sgd).count("beta2") == 0);  // inactive fixed values are not filled in
  // By name as by index; a misspelt name is an error with a suggestion.
  CHECK(s.active("momentum", with_sgd));
  CHECK_FALSE(s.active("momentum", with_adam));
  CHECK(s.active("width2", with_sgd));
  CHECK_FALSE(s.active("width2", with_adam));  // layers = 1
  CHECK_THROWS_WITH(s.active("momentun", with_sgd), "unknown parameter 'momentun' (did you mean 'momentum'?)");

  // Any vector of the cube decodes to a valid point whose snap is a fixed point; switching the
  // parent's columns switches the children on and off.
  gpbo::Rng rng = gpbo::make_rng(4);
  for (int t = 0; t < 200; ++t) {
    Eigen::VectorXd w(s.encoded_dim());
    for (Eigen::Index i = 0; i < w.size(); ++i) w[i] = gpbo::uniform01(rng);
    const Point p = s.decode(w);
    REQUIRE_NOTHROW(s.validate(p));
    CHECK(p.count("momentum") == (std::get<std::string>(p.at("optimizer")) == "sgd" ? 1u : 0u));
    CHECK(p.count("width2") == (std::get<std::int64_t>(p.at("layers")) >= 2 ? 1u : 0u));
    const Eigen::VectorXd snapped = s.snap(w);
    CHECK(s.snap(snapped) == snapped);
    CHECK(s.encode(p) .isApprox(snapped));
  }
}

TEST_CASE("conditional space: validation names the condition") {
  const Space s = training_space();
  CHECK(error_of([&] { s.validate({{"optimizer", adam}, {"momentum", 0.5}, {"layers", std::int64_t{1}}}); }) ==
        "parameter 'momentum': inactive here (it needs optimizer = \"sgd\"), so it must be left out");
  // An inactive fixed parameter too (it was accepted with any value, kept with the point, and
  // written to results.csv where the warm start reads an empty cell).
  CHECK(error_of([&] { s.validate({{"optimizer", sgd}, {"momentum", 0.5}, {"nesterov", std::string("no")}, {"layers", std::int64_t{1}},
                                   {"beta2", 0.5}}); }) ==
        "parameter 'beta2': inactive here (it needs optimizer = \"adam\"), so it must be left out");
  CHECK(error_of([&] { s.validate({{"optimizer", sgd}, {"nesterov", std::string("no")}, {"layers", std::int64_t{1}}}); }) ==
        "parameter 'momentum': missing from point (active where optimizer = \"sgd\")");
  CHECK(error_of([&] { s.validate({{"optimizer", adam}, {"layers", std::int64_t{2}}}); }) ==
        "parameter 'width2': missing from point (active where layers in [2, 3])");
  // Nested: a grandchild is inactive when its parent is.
  Space nested = training_space();
  nested.add(Parameter::real("dampening", 0.0, 0.5).when("nesterov", {std::string("no")}));
  const Point adam_point = {{"optimizer", adam}, {"layers", std::int64_t{1}}};
  CHECK_NOTHROW(nested.validate(adam_point));
  CHECK(nested.decode(nested.encode(adam_point)).count("dampening") == 0);
  CHECK_FALSE(nested.active(6, adam_point));
  CHECK(nested.active(6, {{"optimizer", sgd}, {"nesterov", std::string("no")}}));

  // Definitions.
  Space bad;
  bad.add(Parameter::categorical("optimizer", {adam, sgd})).add(Parameter::real("lr", 1e-4, 1.0));
  CHECK(error_of([&] { bad.add(Parameter::real("m", 0, 1).when("optimiser", {sgd})); }) ==
        "parameter 'm': condition on 'optimiser', which is not in the space (add it before 'm')");
  CHECK(error_of([&] { bad.add(Parameter::real("m", 0, 1).when("lr", {0.1})); }) ==
        "parameter 'm': condition on 'lr', a real parameter: give it a range ({\"min\": ..., \"max\": ...}) instead of values");
  CHECK(error_of([&] { bad.add(Parameter::real("m", 0, 1).when("optimizer", {std::string("sdg")})); }) ==
        "parameter 'm': condition on parameter 'optimizer': value \"sdg\" is not one of the choices [\"adam\", \"sgd\"] (did you mean \"sgd\"?)");
  CHECK(error_of([&] { bad.add(Parameter::real("m", 0, 1).when("optimizer", {})); }) ==
        "parameter 'm': condition on 'optimizer' lists no values");
  CHECK(error_of([&] { bad.add(Parameter::real("m", 0, 1).when("m", {sgd})); }) == "parameter 'm': a parameter cannot depend on itself");
  CHECK(error_of([&] { bad.add(Parameter::real("m", 0, 1).when("optimizer", {sgd}).when("optimizer", {adam})); }) ==
        "parameter 'm': two conditions on 'optimizer': list its values in one");
  CHECK(bad.size() == 2);  // nothing was added
}

TEST_CASE("conditional space: a finite space enumerates each distinct point once") {
  Space s;
  s.add(Parameter::categorical("kind", {std::string("a"), std::string("b"), std::string("c")}))
      .add(Parameter::integer("depth", 1, 4).when("kind", {std::string("a"), std::string("b")}))
      .add(Parameter::categorical("leaf", {std::int64_t{0}, std::int64_t{1}}).when("depth", {std::int64_t{4}}))
      .add(Parameter::integer("k", 0, 2).when("kind", {std::string("c")}))
      .add(Parameter::integer("always", 0, 1));
  // a, b: depth 1-3 (3 each) or depth 4 with two leaves (2 each): 5 each; c: 3 values of k. Times 2.
  REQUIRE(s.cardinality() == std::uint64_t{(5 + 5 + 3) * 2});
  std::set<std::vector<double>> seen;
  for (std::uint64_t i = 0; i < *s.cardinality(); ++i) {
    const Eigen::VectorXd u = s.encoded_point(i);
    CHECK(s.snap(u) == u);
    CHECK_NOTHROW(s.validate(s.decode(u)));
    seen.emplace(u.data(), u.data() + u.size());
  }
  CHECK(seen.size() == *s.cardinality());
  // Every decoded point of the cube is one of them.
  gpbo::Rng rng = gpbo::make_rng(9);
  for (int t = 0; t < 300; ++t) {
    Eigen::VectorXd w(s.encoded_dim());
    for (Eigen::Index i = 0; i < w.size(); ++i) w[i] = gpbo::uniform01(rng);
    const Eigen::VectorXd u = s.snap_uniform(w);
    CHECK(seen.count(std::vector<double>(u.data(), u.data() + u.size())) == 1);
  }
  // A real that some branch activates makes the space infinite.
  s.add(Parameter::real("x", 0, 1).when("kind", {std::string("c")}));
  CHECK_FALSE(s.cardinality());
}

TEST_CASE("conditional space: JSON puts parents first, round-trips, and names bad conditions by path") {
  // "momentum" sorts before "optimizer": the reader must still add the parent first.
  const json j = json::parse(R"({
    "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
    "momentum": {"type": "real", "low": 0, "high": 0.99, "when": {"optimizer": "sgd"}},
    "layers": {"type": "integer", "low": 1, "high": 3},
    "a_width": {"type": "integer", "low": 16, "high": 64, "when": {"layers": [2, 3.0], "optimizer": ["adam", "sgd"]}}
  })");
  const Space s = space_from_json(j);
  std::vector<std::string> order;
  for (const auto& p : s.parameters()) order.push_back(p.name);
  CHECK(order == std::vector<std::string>{"layers", "optimizer", "a_width", "momentum"});
  CHECK(std::get<std::int64_t>(s.parameter("a_width").conditions[0].values[1]) == 3);  // 3.0 read as the integer 3
  const Space back = space_from_json(space_to_json(s));
  CHECK(space_to_json(back) == space_to_json(s));
  CHECK(back.parameter("momentum").conditions.size() == 1);
  CHECK(point_from_json(json{{"optimizer", "adam"}, {"layers", 1}}, s, "/point").size() == 2);
  CHECK(error_of([&] { (void)point_from_json(json{{"optimizer", "adam"}, {"layers", 1}, {"momentum", 0.5}}, s, "/point"); }) ==
        "/point: parameter 'momentum': inactive here (it needs optimizer = \"sgd\"), so it must be left out");

  json unknown = j;
  unknown["momentum"]["when"] = {{"optimiser", "sgd"}};
  CHECK(space_error(unknown) == "/space/momentum/when/optimiser: unknown parameter \"optimiser\" (did you mean \"optimizer\"?)");
  json bad_value = j;
  bad_value["momentum"]["when"] = {{"optimizer", "sdg"}};
  CHECK(space_error(bad_value) ==
        "/space/momentum: condition on parameter 'optimizer': value \"sdg\" is not one of the choices [\"adam\", \"sgd\"] (did you mean \"sgd\"?)");
  json cycle = j;
  cycle["optimizer"]["when"] = {{"a_width", 16}};
  CHECK(space_error(cycle) == "/space/a_width/when: the conditions form a cycle (a parameter depends on itself through its parents)");
  json itself = j;
  itself["momentum"]["when"] = {{"momentum", 0.5}};
  CHECK(space_error(itself) == "/space/momentum/when/momentum: a parameter cannot depend on itself");
  json not_object = j;
  not_object["momentum"]["when"] = "sgd";
  CHECK(space_error(not_object).rfind("/space/momentum/when: expected an object naming parent parameters", 0) == 0);
  json empty_list = j;
  empty_list["momentum"]["when"] = {{"optimizer", json::array()}};
  CHECK(space_error(empty_list) == "/space/momentum/when/optimizer: expected a value or a non-empty array of values");
}

TEST_CASE("conditional space: the optimizer solves Jenatton et al.'s tree and proposes only valid points") {
  using namespace optimizer_test;
  const TestFunction f = jenatton();
  REQUIRE(f(f.argmin) == 0.1);
  REQUIRE(f.space().conditional());
  // With the conditions the model never sees the unused reals; without them (every coordinate
  // always active, the function ignoring the unused) 30 evaluations left the 75% quantile of 20
  // runs on a wrong leaf (regret 0.1; bench/results/2026-12-05-s23).
  for (const std::uint64_t seed : {1u, 2u}) {
    Optimizer opt(f.space(), small_options(seed));
    for (int i = 0; i < 30; ++i) {
      const Suggestion s = opt.ask();
      REQUIRE_NOTHROW(f.space().validate(s.point));
      CHECK(s.point.size() == 4);  // the branch, the leaf, the leaf's real and the branch's real
      opt.tell(s.id, f(f.vector_of(s.point)));
    }
    CHECK(opt.best()->value - 0.1 < 1e-3);
    // A reloaded optimizer continues with the same suggestion.
    Optimizer back = optimizer_from_json(json::parse(optimizer_to_json(opt).dump()));
    CHECK(same_point(back.ask().point, opt.ask().point));
  }
}

TEST_CASE("conditional space: a saved optimizer keeps its parameters' order (parents first, not by name)") {
  using namespace optimizer_test;
  const Space s = training_space();  // optimizer, momentum, nesterov, layers, width2, beta2
  Optimizer opt(s, small_options(6));
  for (int i = 0; i < 14; ++i) {
    const Suggestion sg = opt.ask();
    const double m = sg.point.count("momentum") ? std::get<double>(sg.point.at("momentum")) : 0.0;
    opt.tell(sg.id, (m - 0.8) * (m - 0.8) + static_cast<double>(std::get<std::int64_t>(sg.point.at("layers"))));
  }
  const json state = optimizer_to_json(opt);
  Optimizer back = optimizer_from_json(json::parse(state.dump()));
  std::vector<std::string> order;
  for (const auto& p : back.space().parameters()) order.push_back(p.name);
  CHECK(order == std::vector<std::string>{"optimizer", "momentum", "nesterov", "layers", "width2", "beta2"});
  CHECK(same_point(back.ask().point, opt.ask().point));
  // A damaged order that puts a child before its parent is rejected with its path.
  json bad = state;
  bad["parameter_order"] = {"momentum", "optimizer", "nesterov", "layers", "width2", "beta2"};
  CHECK(error_of([&] { (void)optimizer_from_json(bad); }).rfind("/parameter_order/0: parameter 'momentum': condition on 'optimizer', which is not in the space", 0) == 0);
  // The space's reader names its own paths: no "/space: /space/layers: ..." twice over.
  json inverted = state;
  inverted["space"]["layers"]["low"] = 9;
  const std::string message = error_of([&] { (void)optimizer_from_json(inverted); });
  CHECK(message.rfind("/space/layers", 0) == 0);
  CHECK(message.find("/space: /space") == std::string::npos);
  // A state written when an inactive fixed parameter's value was kept with the point (beta2 on an
  // sgd trial) still loads: the value is dropped, not refused (such a run could not resume).
  json older = state;
  std::size_t with_sgd = 0;
  for (auto& t : older["trials"])
    if (t["point"]["optimizer"] == "sgd") {
      t["point"]["beta2"] = 0.999;
      ++with_sgd;
    }
  REQUIRE(with_sgd > 0);
  const Optimizer reloaded = optimizer_from_json(older);
  for (const auto& t : reloaded.history()) CHECK((t.point.count("beta2") == 1) == (std::get<std::string>(t.point.at("optimizer")) == "adam"));
  CHECK(optimizer_to_json(reloaded)["trials"] == state["trials"]);
}

TEST_CASE("conditional space: a small finite space is exhausted without repeats") {
  Space s;
  s.add(Parameter::categorical("kind", {std::string("a"), std::string("b")}))
      .add(Parameter::integer("n", 1, 3).when("kind", {std::string("a")}));
  REQUIRE(s.cardinality() == std::uint64_t{4});
  Optimizer opt(s, optimizer_test::small_options(3));
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    const Suggestion sg = opt.ask();
    std::string key;
    for (const auto& [name, v] : sg.point) key += name + "=" + to_string(v) + ";";
    CHECK(seen.insert(key).second);
    opt.tell(sg.id, static_cast<double>(i));
  }
  CHECK_THROWS_AS(opt.ask(), SpaceExhausted);
}

TEST_CASE("conditional space: a range condition on an integer parent is the list of its values in range") {
  Space ranged, listed;
  ranged.add(Parameter::integer("layers", 1, 4)).add(Parameter::integer("units3", 8, 10).when_in_range("layers", 3.0, std::nullopt));
  listed.add(Parameter::integer("layers", 1, 4)).add(Parameter::integer("units3", 8, 10).when("layers", {std::int64_t{3}, std::int64_t{4}}));
  CHECK(describe_conditions(ranged.parameter("units3")) == "layers >= 3");
  CHECK_FALSE(ranged.active(1, Point{{"layers", std::int64_t{2}}}));
  CHECK(ranged.active(1, Point{{"layers", std::int64_t{3}}}));
  REQUIRE(ranged.cardinality() == listed.cardinality());
  CHECK(*ranged.cardinality() == 2 + 2 * 3);
  for (std::uint64_t k = 0; k < *ranged.cardinality(); ++k) CHECK(ranged.encoded_point(k) == listed.encoded_point(k));
  CHECK(error_of([&] { ranged.validate(Point{{"layers", std::int64_t{1}}, {"units3", std::int64_t{9}}}); }) ==
        "parameter 'units3': inactive here (it needs layers >= 3), so it must be left out");
}

TEST_CASE("conditional space: a range condition on a real parent; the optimizer finds the optimum on its branch") {
  Space s;
  CHECK_THROWS_WITH(Parameter::real("y", 0.0, 1.0).when_in_range("x", std::nullopt, std::nullopt),
                    "parameter 'y': condition on 'x': the range needs a min, a max or both");  // was "give it a range"
  s.add(Parameter::real("x", 0.0, 1.0)).add(Parameter::real("y", 0.0, 1.0).when_in_range("x", std::nullopt, 0.5));
  CHECK(describe_conditions(s.parameter("y")) == "x <= 0.5");
  CHECK(s.active(1, Point{{"x", 0.5}}));
  CHECK_FALSE(s.active(1, Point{{"x", 0.5000001}}));
  CHECK_FALSE(s.cardinality());  // a continuous parent: no finite enumeration
  // y matters only where x <= 0.5, and the optimum (0 at x = 0.4, y = 0.3) lies there; the other
  // branch has a local minimum of 0.05 at x = 0.8.
  const auto f = [](const Point& p) {
    const double x = as_double(p.at("x"));
    if (x > 0.5) return 0.05 + (x - 0.8) * (x - 0.8);
    const double y = as_double(p.at("y"));
    return (y - 0.3) * (y - 0.3) + (x - 0.4) * (x - 0.4);
  };
  Optimizer opt(s, optimizer_test::small_options(4));
  for (int i = 0; i < 30; ++i) {
    const Suggestion g = opt.ask();
    REQUIRE_NOTHROW(s.validate(g.point));
    CHECK(g.point.count("y") == (as_double(g.point.at("x")) <= 0.5 ? 1u : 0u));
    opt.tell(g.id, f(g.point));
  }
  INFO("best " << opt.best()->value);
  CHECK(opt.best()->value < 1e-3);
  Optimizer back = optimizer_from_json(json::parse(optimizer_to_json(opt).dump()));
  CHECK(optimizer_test::same_point(back.ask().point, opt.ask().point));
}

TEST_CASE("conditional space: range conditions in JSON round-trip; mistakes name the path") {
  const json j = json::parse(R"({
    "lr": {"type": "real", "low": 1e-5, "high": 0.1, "log": true},
    "layers": {"type": "integer", "low": 1, "high": 8},
    "warmup": {"type": "integer", "low": 0, "high": 100, "when": {"lr": {"min": 0.01}}},
    "units3": {"type": "integer", "low": 8, "high": 64, "when": {"layers": {"min": 3, "max": 6}}}
  })");
  const Space s = space_from_json(j);
  CHECK(describe_conditions(s.parameter("warmup")) == "lr >= 0.01");
  CHECK(describe_conditions(s.parameter("units3")) == "3 <= layers <= 6");
  CHECK(space_to_json(space_from_json(space_to_json(s))) == space_to_json(s));
  CHECK(space_to_json(s)["units3"]["when"]["layers"] == json::parse(R"({"min": 3.0, "max": 6.0})"));
  const auto with_when = [&](const char* name, const json& when) {
    json k = j;
    k[name]["when"] = when;
    return space_error(k);
  };
  CHECK(with_when("units3", json::parse(R"({"layers": {"min": "3"}})")) == "/space/units3/when/layers/min: expected a number");
  CHECK(with_when("units3", json::parse(R"({"layers": {}})")) == "/space/units3/when/layers: expected a range with \"min\", \"max\" or both");
  CHECK(with_when("units3", json::parse(R"({"layers": {"mn": 3}})")) == "/space/units3/when/layers/mn: unknown key \"mn\" (did you mean \"min\"?)");
  CHECK(with_when("units3", json::parse(R"({"layers": {"min": 6, "max": 3}})")) ==
        "/space/units3: condition on 'layers': the range's min is above its max");
  CHECK(with_when("units3", json::parse(R"({"layers": {"min": 9}})")) ==
        "/space/units3: condition on 'layers': no value of 'layers' lies in the range, so 'units3' would never be active");
  CHECK(with_when("units3", json::parse(R"({"layers": {"min": 3.2, "max": 3.8}})")) ==
        "/space/units3: condition on 'layers': no value of 'layers' lies in the range, so 'units3' would never be active");
  CHECK(with_when("warmup", json::parse(R"({"lr": 0.01})")) ==
        "/space/warmup: condition on 'lr', a real parameter: give it a range ({\"min\": ..., \"max\": ...}) instead of values");
  json categorical = j;
  categorical["opt"] = json::parse(R"({"type": "categorical", "choices": ["adam", "sgd"]})");
  categorical["units3"]["when"] = json::parse(R"({"opt": {"min": 1}})");
  CHECK(space_error(categorical) ==
        "/space/units3: condition on 'opt': a categorical parameter: list the choices that make 'units3' active instead of a range");
}

TEST_CASE("conditional space: an integer or grid parent's neighbours switch children on and off; no fallback to random") {
  // The local search steps an integer (or a real on a grid) one value up and down. Where that
  // switches a child off (layers 3 -> 2) or on (2 -> 3), encoding the neighbour used to throw
  // ("parameter 'width3': inactive here"), and every model-based suggestion fell back to a
  // random point.
  for (const bool grid_parent : {false, true}) {
    Space s;
    s.add(Parameter::real("x", 0.0, 1.0));
    if (grid_parent)
      s.add(Parameter::real("layers", 1.0, 4.0).with_step(1.0));
    else
      s.add(Parameter::integer("layers", 1, 4));
    s.add(Parameter::integer("width3", 8, 512, Scale::Log).when_in_range("layers", 3.0, std::nullopt));
    s.add(Parameter::categorical("act", {std::string("relu"), std::string("gelu")}).when_in_range("layers", 3.0, std::nullopt));
    const auto f = [](const Point& p) {
      const double x = as_double(p.at("x")), layers = as_double(p.at("layers"));
      double y = (x - 0.3) * (x - 0.3) + 0.1 * std::abs(layers - 3.0);
      if (p.count("width3")) y += 0.05 * std::pow(std::log2(as_double(p.at("width3"))) - 6.0, 2);
      return y;
    };
    Optimizer opt(s, optimizer_test::small_options(4));
    std::size_t fallbacks = 0;
    for (int i = 0; i < 25; ++i) {
      const Suggestion g = opt.ask();
      if (!opt.last_warning().empty()) ++fallbacks;
      REQUIRE_NOTHROW(s.validate(g.point));
      opt.tell(g.id, f(g.point));
    }
    INFO("grid parent " << grid_parent << ", last warning: " << opt.last_warning());
    CHECK(fallbacks == 0);
    CHECK(opt.best()->value < 0.02);
  }
}
