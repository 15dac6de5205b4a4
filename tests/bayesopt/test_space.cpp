#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>
#include <string>

#include "gpbo/bayesopt/space.hpp"
#include "gpbo/bayesopt/space_json.hpp"
#include "gpbo/core/random.hpp"

using namespace gpbo::bo;
using nlohmann::json;

namespace {

Space mixed_space() {
  Space s;
  s.add(Parameter::real("lr", 1e-5, 1e-1, Scale::Log))
      .add(Parameter::real("momentum", 0.0, 0.99))
      .add(Parameter::integer("layers", 1, 8))
      .add(Parameter::integer("batch", 16, 1024, Scale::Log))
      .add(Parameter::categorical("act", {std::string("relu"), std::string("tanh"), std::string("gelu")}))
      .add(Parameter::categorical("width", {Value{std::int64_t{64}}, Value{128.0}}))
      .add(Parameter::fixed("seed", std::int64_t{3}));
  return s;
}

std::string error_of(const json& j) {
  try {
    (void)space_from_json(j);
  } catch (const SpaceError& e) {
    return e.what();
  }
  return "(no error)";
}

// What Space::add says of a parameter it refuses.
std::string error_of_add(Parameter p) {
  try {
    Space().add(std::move(p));
  } catch (const SpaceError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("space: encoded layout, round trips and decoding inside the space") {
  const Space s = mixed_space();
  REQUIRE(s.encoded_dim() == 1 + 1 + 1 + 1 + 3 + 2);
  const Point p = {{"lr", 1e-3}, {"momentum", 0.5}, {"layers", std::int64_t{4}}, {"batch", std::int64_t{256}},
                   {"act", std::string("tanh")}, {"width", std::int64_t{128}}, {"seed", std::int64_t{3}}};
  const Eigen::VectorXd u = s.encode(p);
  CHECK(u[0] == Approx(0.5).margin(1e-12));  // 1e-3 is the log-midpoint of [1e-5, 1e-1]
  CHECK(u[1] == Approx(0.5 / 0.99));
  CHECK(u[2] == Approx(3.0 / 7.0));
  CHECK(u.segment(4, 3).isApprox(Eigen::Vector3d(0, 1, 0)));
  const Point back = s.decode(u);
  CHECK(std::get<double>(back.at("lr")) == Approx(1e-3).epsilon(1e-12));
  CHECK(std::get<std::int64_t>(back.at("layers")) == 4);
  CHECK(std::get<std::int64_t>(back.at("batch")) == 256);
  CHECK(std::get<std::string>(back.at("act")) == "tanh");
  CHECK(as_double(back.at("width")) == 128.0);
  CHECK(std::get<std::int64_t>(back.at("seed")) == 3);
  // Any vector, even outside the cube, decodes to a valid point; snap is idempotent.
  Eigen::VectorXd w(s.encoded_dim());
  w << -0.3, 1.7, 0.49, 0.77, 0.2, 0.1, 0.9, 0.3, 0.31;
  const Point q = s.decode(w);
  CHECK_NOTHROW(s.validate(q));
  Point misspelt = q;
  misspelt["layer"] = misspelt.at("layers");
  CHECK_THROWS_WITH(s.validate(misspelt), "unknown parameter 'layer' in point (did you mean 'layers'?)");
  CHECK(std::get<double>(q.at("lr")) == Approx(1e-5));
  CHECK(std::get<double>(q.at("momentum")) == Approx(0.99));
  CHECK(std::get<std::int64_t>(q.at("layers")) == 4);  // 1 + 0.49 * 7 = 4.43
  CHECK(std::get<std::string>(q.at("act")) == "gelu");
  const Eigen::VectorXd sn = s.snap(w);
  CHECK(s.snap(sn).isApprox(sn));
  CHECK(s.encode(s.decode(sn)).isApprox(sn, 1e-12));
}

TEST_CASE("space: log-scale bounds decode exactly, log integers round to the nearest encoding") {
  const Space s({Parameter::real("a", 1e-12, 1e-3, Scale::Log), Parameter::real("b", 1e6, 1e9, Scale::Log),
                 Parameter::integer("n", 1, 1024, Scale::Log), Parameter::real("c", 0.1, 0.7)});
  // exp(log(high)) was 999999999.99999928: an optimum at a bound could never be suggested.
  const Point low = s.decode(Eigen::VectorXd::Zero(4)), high = s.decode(Eigen::VectorXd::Ones(4));
  CHECK(std::get<double>(low.at("a")) == 1e-12);
  CHECK(std::get<double>(low.at("b")) == 1e6);
  CHECK(std::get<double>(high.at("a")) == 1e-3);
  CHECK(std::get<double>(high.at("b")) == 1e9);
  CHECK(std::get<double>(high.at("c")) == 0.7);
  CHECK(std::get<std::int64_t>(high.at("n")) == 1024);
  // n = 1 and n = 2 encode as 0 and 0.1; 1.45 (u = 0.0536) is nearer 2's encoding, and 1.40
  // (u = 0.0485) nearer 1's: the boundary is sqrt(2) = 1.414, not 1.5.
  auto n_at = [&](double value) {
    Eigen::VectorXd u = Eigen::VectorXd::Zero(4);
    u[2] = std::log(value) / std::log(1024.0);
    return std::get<std::int64_t>(s.decode(u).at("n"));
  };
  CHECK(n_at(1.45) == 2);
  CHECK(n_at(1.40) == 1);
  CHECK(n_at(2.46) == 3);  // sqrt(6) = 2.449
  CHECK(n_at(2.44) == 2);
  for (std::int64_t k : {1, 2, 3, 37, 1023, 1024}) CHECK(n_at(static_cast<double>(k)) == k);
  // NaN is no position in the cube: an error, not a NaN value in a "valid" point.
  Eigen::VectorXd nan = Eigen::VectorXd::Constant(4, 0.5);
  nan[1] = std::nan("");
  CHECK_THROWS_WITH(s.decode(nan), "decode: entry 1 is not a number");
  CHECK(s.offset(3) == 3);
  CHECK_THROWS_AS(s.offset(4), SpaceError);
}

TEST_CASE("space: integers near 2^53 and large log-scale integers keep their identity") {
  // An int64 one past a bound of 2^53 became 2^53 as a double and passed.
  const std::int64_t top = std::int64_t{1} << 53;
  const Space wide({Parameter::integer("k", 0, top)});
  CHECK_NOTHROW(wide.validate(Point{{"k", top}}));
  CHECK_THROWS_WITH(wide.validate(Point{{"k", top + 1}}), "parameter 'k': value 9007199254740993 is outside [0, 9007199254740992]");
  // A whole number given for a real parameter compares with its bounds as they are, not rounded.
  const Space real({Parameter::real("x", 0.2, 0.8), Parameter::real("lr", 1e-5, 0.1, Scale::Log)});
  CHECK_THROWS_WITH(real.validate(Point{{"x", std::int64_t{0}}, {"lr", 0.01}}), "parameter 'x': value 0 is outside [0.2, 0.8]");
  CHECK_THROWS_WITH(real.validate(Point{{"x", 0.5}, {"lr", std::int64_t{0}}}), "parameter 'lr': value 0 is outside [1e-05, 0.1]");
  CHECK_NOTHROW(Space({Parameter::real("y", 0.5, 1.5)}).validate(Point{{"y", std::int64_t{1}}}));
  // ... and exactly at a whole bound beyond 2^53, as for an integer parameter.
  const Space big({Parameter::real("z", 0, static_cast<double>(top))});
  CHECK_NOTHROW(big.validate(Point{{"z", top}}));
  CHECK_THROWS_WITH(big.validate(Point{{"z", top + 1}}), Catch::Contains("value 9007199254740993 is outside"));
  // On a log scale above ~1e14, exp() landed a few integers away: decode(encode(k)) must encode as k.
  auto rng = gpbo::make_rng(3);
  for (const std::int64_t high : {std::int64_t{1000000000000000}, top}) {
    const Space s({Parameter::integer("k", 1, high, Scale::Log)});
    int moved = 0;
    for (int i = 0; i < 2000; ++i) {
      const auto k = static_cast<std::int64_t>(gpbo::uniform_index(rng, static_cast<std::uint64_t>(high))) + 1;
      const Eigen::VectorXd u = s.encode(Point{{"k", k}});
      const Point back = s.decode(u);
      moved += s.encode(back) != u;
    }
    INFO("high " << high);
    CHECK(moved == 0);  // was 1160 of 2000 at 1e15
  }
}

TEST_CASE("space: a finite space counts and enumerates its points") {
  CHECK_FALSE(mixed_space().cardinality().has_value());  // it has real parameters
  Space s;
  s.add(Parameter::integer("n", 2, 4))
      .add(Parameter::categorical("act", {std::string("relu"), std::string("tanh")}))
      .add(Parameter::fixed("seed", std::int64_t{3}))
      .add(Parameter::integer("batch", 16, 18, Scale::Log));
  REQUIRE(s.cardinality() == std::optional<std::uint64_t>(18));
  std::set<std::vector<double>> distinct;
  for (std::uint64_t i = 0; i < 18; ++i) {
    const Eigen::VectorXd u = s.encoded_point(i);
    CHECK(s.snap(u) == u);  // a point of the space, encoded exactly
    distinct.emplace(u.data(), u.data() + u.size());
  }
  CHECK(distinct.size() == 18);
  CHECK(std::get<std::int64_t>(s.decode(s.encoded_point(0)).at("n")) == 2);
  CHECK(std::get<std::int64_t>(s.decode(s.encoded_point(17)).at("batch")) == 18);
  CHECK_THROWS_AS(s.encoded_point(18), SpaceError);
  Space huge;  // 1000^6 > 2^53 points: treated as infinite
  for (int i = 0; i < 6; ++i) huge.add(Parameter::integer("i" + std::to_string(i), 1, 1000));
  CHECK_FALSE(huge.cardinality().has_value());
}

TEST_CASE("space: value_as reads a point's values by name, as their kind's type, with clear errors") {
  const Point p = {{"lr", 0.01}, {"layers", std::int64_t{4}}, {"activation", std::string("relu")}};
  CHECK(value_as<double>(p, "lr") == 0.01);
  CHECK(value_as<double>(p, "layers") == 4.0);  // an integer's value converts to double
  CHECK(value_as<std::int64_t>(p, "layers") == 4);
  CHECK(value_as<std::string>(p, "activation") == "relu");
  CHECK_THROWS_MATCHES(value_as<double>(p, "momentum"), SpaceError,
                       Catch::Message("parameter 'momentum': not in the point (inactive there, or not a parameter; it has "
                                      "activation, layers, lr)"));
  CHECK_THROWS_WITH(value_as<std::int64_t>(p, "lr"), "parameter 'lr': holds the real number 0.01, not an integer");
  CHECK_THROWS_WITH(value_as<double>(p, "activation"), "parameter 'activation': holds the text \"relu\", not a number");
  CHECK_THROWS_WITH(value_as<std::string>(p, "layers"), "parameter 'layers': holds the integer 4, not a text");
}

TEST_CASE("space: points outside the space are clear errors") {
  const Space s = mixed_space();
  Point p = {{"lr", 1e-3}, {"momentum", 0.5}, {"layers", std::int64_t{4}}, {"batch", std::int64_t{256}},
             {"act", std::string("tanh")}, {"width", 64.0}};
  CHECK_NOTHROW(s.validate(p));  // fixed parameter omitted, 64.0 matches the choice 64
  auto message = [&](Point q) {
    try {
      s.validate(q);
    } catch (const SpaceError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  Point q = p;
  q["lr"] = 0.5;
  CHECK_THAT(message(q), Catch::Contains("'lr'") && Catch::Contains("outside"));
  q = p;
  q["layers"] = 2.5;
  CHECK_THAT(message(q), Catch::Contains("expected an integer"));
  q = p;
  q["act"] = std::string("sigmoid");
  CHECK_THAT(message(q), Catch::Contains("value \"sigmoid\" is not one of the choices [\"relu\", \"tanh\", \"gelu\"]"));
  q = p;  // the text "64" is not the number 64: the message shows which is which
  q["width"] = std::string("64");
  CHECK_THAT(message(q), Catch::Contains("value \"64\" is not one of the choices [64, 128]"));
  q = p;
  q.erase("momentum");
  CHECK_THAT(message(q), Catch::Contains("'momentum': missing"));
  q = p;
  q["extra"] = 1.0;
  CHECK_THAT(message(q), Catch::Contains("unknown parameter 'extra'"));
  q = p;
  q["seed"] = std::int64_t{4};
  CHECK_THAT(message(q), Catch::Contains("fixed value"));
  CHECK_THROWS_AS(Space().add(Parameter::real("a", 1, 1)), SpaceError);
  CHECK_THROWS_AS(Space().add(Parameter::real("a", 0, 1, Scale::Log)), SpaceError);
  CHECK_THROWS_WITH(Space().add(Parameter::real("a", -1e308, 1e308)), Catch::Contains("range too wide"));
  CHECK_THROWS_WITH(Space().add(Parameter::integer("n", 0, std::int64_t{1} << 60)), Catch::Contains("within +-2^53"));
  // Both bounds beyond 2^53 round to one double: the reason is the range, not an empty one.
  CHECK_THROWS_WITH(Space().add(Parameter::integer("n", std::int64_t{1} << 60, (std::int64_t{1} << 60) + 10)), Catch::Contains("within +-2^53"));
  CHECK_THROWS_AS(Space().add(Parameter::real("a", 0, 1)).add(Parameter::integer("a", 0, 1)), SpaceError);
}

TEST_CASE("space_json: loads a mixed space and round trips through JSON") {
  const json j = json::parse(R"({
    "lr": {"type": "real", "low": 1e-5, "high": 0.1, "log": true},
    "layers": {"type": "int", "low": 1, "high": 8},
    "batch": {"type": "integer", "low": 16, "high": 1024, "scale": "log"},
    "act": {"type": "categorical", "choices": ["relu", "tanh", 3]},
    "seed": {"type": "fixed", "value": 7}})");
  const Space s = space_from_json(j);
  REQUIRE(s.size() == 5);
  CHECK(s.parameter("lr").scale == Scale::Log);
  CHECK(s.parameter("batch").kind == Parameter::Kind::Integer);
  CHECK(s.parameter("batch").scale == Scale::Log);
  CHECK(std::get<std::int64_t>(s.parameter("act").choices[2]) == 3);
  const Space t = space_from_json(space_to_json(s));
  CHECK(space_to_json(t) == space_to_json(s));
  const Point p = point_from_json(json::parse(R"({"lr": 0.01, "layers": 3.0, "batch": 64, "act": "relu"})"), s, "/p");
  CHECK(std::get<std::int64_t>(p.at("layers")) == 3);
  CHECK(std::get<std::int64_t>(p.at("seed")) == 7);
  CHECK(point_to_json(p)["act"] == "relu");
}

TEST_CASE("space_json: errors name the JSON path and what was expected") {
  CHECK(error_of(json::parse(R"({"lr": {"type": "real", "low": "a", "high": 1}})")) == "/space/lr/low: expected a number, got \"a\"");
  CHECK_THAT(error_of(json::parse(R"({"lr": {"type": "real", "low": 2, "high": 1}})")),
             Catch::StartsWith("/space/lr: empty or inverted range"));
  CHECK_THAT(error_of(json::parse(R"({"lr": {"type": "real", "low": 1, "high": 1}})")),
             Catch::StartsWith("/space/lr: empty or inverted range"));
  CHECK(error_of(json::parse(R"({"lr": {"type": "real", "low": 0, "high": 1, "log": true}})")) ==
        "/space/lr: log scale needs low > 0");
  CHECK_THAT(error_of(json::parse(R"({"x": {"type": "real", "low": -1e308, "high": 1e308}})")),
             Catch::StartsWith("/space/x: range too wide"));
  CHECK(error_of(json::parse(R"({"x": {"type": "real", "low": 1e-300, "high": 1e308, "log": true}})")) == "(no error)");
  CHECK(error_of(json::parse(R"({"n": {"type": "integer", "low": 0, "high": 100000000000000000}})")) ==
        "/space/n/high: expected an integer of magnitude at most 2^53 (9007199254740992, exact as a double)");
  CHECK(error_of(json::parse(R"({"lr": {"type": "real", "low": 0, "hihg": 1}})")) ==
        "/space/lr/hihg: unknown key \"hihg\" (did you mean \"high\"?)");
  // Other tools' words for ours get a hint where the spelling is too far off for "did you mean".
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "values": ["a", "b"]}})")) ==
        "/space/c/values: unknown key \"values\" (this format calls it \"choices\")");
  CHECK(error_of(json::parse(R"({"x": {"type": "real", "max": 1, "low": 0}})")) ==
        "/space/x/max: unknown key \"max\" (this format calls it \"high\")");
  CHECK(error_of(json::parse(R"({"x": {"type": "fixed", "choices": [1]}})")) == "/space/x/choices: unknown key \"choices\"");
  CHECK(error_of(json::parse(R"({"x": {"type": "real", "low": 0, "to": 1}})")) ==
        "/space/x/to: unknown key \"to\" (this format calls it \"high\")");  // not "did you mean low"
  CHECK(error_of(json::parse(R"({"n": {"type": "integr", "low": 0, "high": 1}})")) ==
        "/space/n/type: unknown type \"integr\", expected one of real, integer, categorical, fixed (did you mean \"integer\"?)");
  CHECK(error_of(json::parse(R"({"n": {"type": "integer", "low": 0.5, "high": 3}})")) == "/space/n/low: expected an integer, got 0.5");
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": []}})")) ==
        "/space/c/choices: expected a non-empty array of numbers or strings");
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": ["a", "a"]}})")) == "/space/c: choice \"a\" is given twice (choices 0 and 1, from 0); keep one");
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": [1, "1"]}})")) ==
        "/space/c: choices 1 and \"1\" are both written 1; keep one");
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": [2, "b", 2.0]}})")) ==
        "/space/c: choice 2 is given twice (choices 0 and 2, from 0); keep one");
  // Equal values that print differently: one value all the same (a one-pass check by text let
  // them through, and the second was then never suggested).
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": [0, "a", -0.0]}})")).rfind(
            "/space/c: choice ", 0) == 0);
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": [9007199254740992, 9007199254740993]}})")).find(
            "is given twice (choices 0 and 1, from 0)") != std::string::npos);
  // A long list is checked in one pass (pairwise, 20,000 choices took 3 s, at every state load).
  json many = json::array();
  for (int i = 0; i < 20000; ++i) many.push_back("choice" + std::to_string(i));
  CHECK(error_of(json{{"c", {{"type", "categorical"}, {"choices", many}}}}) == "(no error)");
  many.push_back("choice0");
  CHECK(error_of(json{{"c", {{"type", "categorical"}, {"choices", many}}}}) ==
        "/space/c: choice \"choice0\" is given twice (choices 0 and 20000, from 0); keep one");
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": ["a", null]}})")) ==
        "/space/c/choices/1: expected a number or a string");
  CHECK(error_of(json::parse(R"({"c": {"low": 1}})")) == "/space/c: missing key \"type\" (one of real, integer, categorical, fixed)");
  CHECK(error_of(json::parse(R"({"c": {"type": "real", "low": 1}})")) == "/space/c: missing key \"high\"");
  CHECK(error_of(json::parse(R"([1, 2])")) == "/space: expected an object mapping parameter names to definitions");
  CHECK(error_of(json::parse(R"({})")) == "/space: the search space has no parameters");
  CHECK(error_of(json::parse(R"({"x": {"type": "real", "low": 0, "high": 1, "log": "yes"}})")) ==
        "/space/x/log: expected true or false");
  // 2^64 - 1 used to read as -1, a valid choice and a valid point of a range around 0.
  CHECK(error_of(json::parse(R"({"c": {"type": "categorical", "choices": [-1, 18446744073709551615]}})")) ==
        "/space/c/choices/1: integer out of range (above 2^63 - 1)");
  const Space s = space_from_json(json::parse(R"({"alpha": {"type": "real", "low": 0, "high": 1}})"));
  CHECK_THROWS_WITH(point_from_json(json::parse(R"({"alpha": 18446744073709551615})"), s, "/point"),
                    "/point/alpha: integer out of range (above 2^63 - 1)");
  try {
    (void)point_from_json(json::parse(R"({"alpah": 0.5})"), s, "/point");
    FAIL("no error");
  } catch (const SpaceError& e) {
    CHECK(std::string(e.what()) == "/point/alpah: unknown parameter \"alpah\" (did you mean \"alpha\"?)");
  }
}

TEST_CASE("space: names and texts must be UTF-8 (they go into JSON, CSV and command lines)") {
  CHECK(error_of_add(Parameter::real("caf\xe9", 0, 1)) == "parameter name 'caf\xef\xbf\xbd' is not valid UTF-8 text");
  // A NUL cut every message at it ("/objective/command: {x").
  CHECK(error_of_add(Parameter::real(std::string("x\0y", 3), 0, 1)) == "parameter name 'x\\0...' holds a NUL character");
  CHECK(error_of_add(Parameter::categorical("c", {std::string("a\0b", 3)})) ==
        "parameter 'c': a value holds a NUL character, which cannot reach a program, a CSV file or a log");
  CHECK(error_of_add(Parameter::categorical("c", {Value{std::string("caf\xe9")}})).find("is not valid UTF-8 text") !=
        std::string::npos);
  CHECK(error_of_add(Parameter::fixed("f", std::string("\xff"))).find("not valid UTF-8") != std::string::npos);
  CHECK(error_of_add(Parameter::categorical("c", {Value{std::string("caf\xc3\xa9")}})) == "(no error)");
}

TEST_CASE("space: snap_uniform draws every integer equally often, on linear and log scales") {
  Space s;
  s.add(Parameter::integer("k", 1, 3)).add(Parameter::integer("m", 1, 4, Scale::Log));
  std::map<std::int64_t, int> k_counts, m_counts;
  const int n = 3000;
  for (int i = 0; i < n; ++i) {
    const double u = (i + 0.5) / n;  // an even grid of the coordinate
    const Point p = s.decode(s.snap_uniform(Eigen::Vector2d(u, u)));
    ++k_counts[std::get<std::int64_t>(p.at("k"))];
    ++m_counts[std::get<std::int64_t>(p.at("m"))];
  }
  for (std::int64_t k = 1; k <= 3; ++k) CHECK(k_counts[k] == n / 3);  // snap gave 1/4, 1/2, 1/4
  // Log scale: each value's share is its interval [m - 1/2, m + 1/2] in log space over [1/2, 9/2].
  for (std::int64_t m = 1; m <= 4; ++m) {
    const double share = std::log((m + 0.5) / (m - 0.5)) / std::log(9.0);
    CHECK(m_counts[m] == Approx(share * n).margin(2));
  }
}

TEST_CASE("space: a step puts a real or an integer on a grid; every suggestion is on it") {
  Space s;
  s.add(Parameter::real("dropout", 0.0, 0.5).with_step(0.1))
      .add(Parameter::integer("batch", 16, 256).with_step(16))
      .add(Parameter::real("lr", 0.0, 1.0));
  REQUIRE(s.has_discrete());
  CHECK(s.parameter("dropout").distinct_values() == 6);
  CHECK(s.parameter("batch").distinct_values() == 16);
  CHECK(s.parameter("lr").distinct_values() == 0);
  // Values as the user means them: 0.3, not 0.30000000000000004.
  CHECK(to_string(s.parameter("dropout").nth_value(3)) == "0.3");
  CHECK(std::get<double>(s.parameter("dropout").nth_value(5)) == 0.5);
  CHECK(std::get<std::int64_t>(s.parameter("batch").nth_value(15)) == 256);
  gpbo::Rng rng = gpbo::make_rng(2);
  std::map<std::string, int> dropout_counts;
  for (int t = 0; t < 3000; ++t) {
    Eigen::VectorXd w(3);
    for (Eigen::Index i = 0; i < 3; ++i) w[i] = gpbo::uniform01(rng);
    const Point p = s.decode(s.snap_uniform(w));
    REQUIRE_NOTHROW(s.validate(p));
    const double d = std::get<double>(p.at("dropout"));
    CHECK(std::abs(d * 10 - std::round(d * 10)) < 1e-12);
    CHECK(std::get<std::int64_t>(p.at("batch")) % 16 == 0);
    ++dropout_counts[to_string(p.at("dropout"))];
    CHECK(s.snap(s.encode(p)) == s.encode(p));
  }
  // snap_uniform gives each grid value an equal share (3000 / 6 = 500 each).
  REQUIRE(dropout_counts.size() == 6);
  for (const auto& [v, n] : dropout_counts) CHECK(std::abs(n - 500) < 100);
  // decode picks the nearest grid value.
  Eigen::VectorXd u(3);
  u << 0.55, 0.0, 0.5;  // 0.275 -> 0.3
  CHECK(to_string(s.decode(u).at("dropout")) == "0.3");

  CHECK_NOTHROW(s.validate({{"dropout", 0.30000000000000004}, {"batch", std::int64_t{32}}, {"lr", 0.5}}));
  CHECK_THROWS_WITH(s.validate({{"dropout", 0.25}, {"batch", std::int64_t{32}}, {"lr", 0.5}}),
                    "parameter 'dropout': value 0.25 is not on the grid 0, 0.1, ..., 0.5 (step 0.1)");
  CHECK_THROWS_WITH(s.validate({{"dropout", 0.2}, {"batch", std::int64_t{40}}, {"lr", 0.5}}),
                    "parameter 'batch': value 40 is not on the grid 16, 32, ..., 256 (step 16)");

  // A finite space of grids.
  Space finite;
  finite.add(Parameter::real("d", 0.0, 0.5).with_step(0.1)).add(Parameter::integer("n", 2, 8).with_step(3));
  REQUIRE(finite.cardinality() == std::uint64_t{18});
  std::set<std::string> seen;
  for (std::uint64_t i = 0; i < 18; ++i) {
    const Point p = finite.decode(finite.encoded_point(i));
    seen.insert(to_string(p.at("d")) + "," + to_string(p.at("n")));
  }
  CHECK(seen.size() == 18);
  CHECK(seen.count("0.3,5") == 1);
}

TEST_CASE("space: bad steps are errors that say what to write") {
  CHECK(error_of_add(Parameter::real("d", 0.0, 0.55).with_step(0.1)) ==
        "parameter 'd': high - low = 0.55 is not a multiple of the step 0.1 (make high 0.5 or 0.6)");
  CHECK(error_of_add(Parameter::real("d", 0.0, 1.0).with_step(-0.1)) == "parameter 'd': step must be a positive number, got -0.1");
  CHECK(error_of_add(Parameter::real("lr", 1e-4, 1.0, Scale::Log).with_step(0.1)) ==
        "parameter 'lr': a step needs a linear scale (on a log scale the grid would not be even)");
  CHECK(error_of_add(Parameter::integer("n", 0, 10).with_step(2.5)) == "parameter 'n': an integer parameter's step must be an integer, got 2.5");
  CHECK(error_of_add(Parameter::categorical("c", {std::string("a")}).with_step(1)) == "parameter 'c': only real and integer parameters take a step");
  CHECK(error_of_add(Parameter::real("d", 0.0, 1.0).with_step(1e-300)) == "parameter 'd': the step is too small for the range: more than 2^53 values");
  // A step below the rounding of the values (a run failed after all its work: "not on the grid").
  CHECK(error_of_add(Parameter::real("d", 0.0, 1.0).with_step(1e-12)) ==
        "parameter 'd': the step 1e-12 is below what values near 1 can resolve (at least 1e-08 here); leave the step out "
        "for a continuous parameter");
  CHECK(error_of_add(Parameter::real("d", 0.0, 1.0).with_step(1e-8)) == "(no error)");
  CHECK(error_of_add(Parameter::integer("n", 0, 9007199254740992.0).with_step(1)) == "(no error)");
  // A range a few doubles wide (the run ran out of memory after its first evaluation).
  CHECK(error_of_add(Parameter::real("w", 1.0, 1.0000000000000002)) ==
        "parameter 'w': range [1, 1.0000000000000002] is too narrow to search: its width is below 1e-8 of its values, "
        "where doubles are too coarse (tune the offset from 1 in smaller units instead; for one value use a fixed parameter)");
  CHECK(error_of_add(Parameter::real("w", 1e-300, 2e-300)) == "(no error)");
  // Below 1e-8, suggestions kept apart in the unit cube decoded to one double (repeats at 1e-11).
  CHECK_THAT(error_of_add(Parameter::real("w", 1.0, 1.0 + 1e-9, Scale::Log)), Catch::Contains("is too narrow to search"));
  CHECK_THAT(error_of_add(Parameter::real("w", 1e6, 1e6 + 1e-5)), Catch::Contains("is too narrow to search"));
  CHECK(error_of_add(Parameter::real("w", 1.0, 1.0 + 1e-7, Scale::Log)) == "(no error)");
  // Far from 1 a log scale's encoding is coarser than the values: 1e-8 of the logs' size.
  CHECK_THAT(error_of_add(Parameter::real("w", 1e-300, 1e-300 * (1 + 1e-7), Scale::Log)), Catch::Contains("log-scale range") && Catch::Contains("is too narrow to search"));
  CHECK(error_of_add(Parameter::real("w", 1e-300, 1e-300 * (1 + 1e-5), Scale::Log)) == "(no error)");
  CHECK(error_of_add(Parameter::real("w", 1e-300, 1e300, Scale::Log)) == "(no error)");
  // Subnormal bounds (a saved state did not load; [5e-324, 1.5e-323] passed the width test).
  CHECK(error_of_add(Parameter::real("t", 5e-324, 1.5e-323)) ==
        "parameter 't': bound 5e-324 is below the smallest full-precision double (2.2e-308): use 0 or larger units");
  CHECK_THAT(error_of_add(Parameter::real("t", 1e-320, 1e-300, Scale::Log)), Catch::Contains("bound 1e-320 is below"));
  CHECK(error_of_add(Parameter::real("t", 0, 1e-300)) == "(no error)");

  const json j = json::parse(R"({"d": {"type": "real", "low": 0, "high": 0.5, "step": 0.1}, "n": {"type": "integer", "low": 2, "high": 8, "step": 3}})");
  const Space s = space_from_json(j);
  CHECK(s.parameter("d").step == 0.1);
  CHECK(space_to_json(space_from_json(space_to_json(s))) == space_to_json(s));
  CHECK(space_to_json(s)["n"]["step"] == 3);
  json bad = j;
  bad["n"]["step"] = 1.5;
  CHECK(error_of(bad) == "/space/n/step: expected an integer, got 1.5");
  // "step": 0 is refused, not ignored (inside, a step of 0 means none).
  for (const char* name : {"d", "n"}) {
    bad = j;
    bad[name]["step"] = 0;
    CHECK(error_of(bad) == std::string("/space/") + name + "/step: expected a number > 0 (the grid's spacing; leave the key out for none), got 0");
  }
  bad = j;
  bad["d"]["step"] = -0.1;
  CHECK(error_of(bad) == "/space/d/step: expected a number > 0 (the grid's spacing; leave the key out for none), got -0.1");
  bad = j;
  bad["d"]["high"] = 0.55;
  CHECK(error_of(bad) == "/space/d: high - low = 0.55 is not a multiple of the step 0.1 (make high 0.5 or 0.6)");
}

TEST_CASE("space_from_json: the parameters in the text's order, parents before their children") {
  const auto j = json::parse(R"({"lr": {"type": "real", "low": 0, "high": 1},
    "momentum": {"type": "real", "low": 0, "high": 1, "when": {"optimizer": "sgd"}},
    "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]}, "layers": {"type": "integer", "low": 1, "high": 4}})");
  const auto names = [](const Space& s) {
    std::vector<std::string> out;
    for (const auto& p : s.parameters()) out.push_back(p.name);
    return out;
  };
  CHECK(names(space_from_json(j)) == std::vector<std::string>{"layers", "lr", "optimizer", "momentum"});  // sorted
  // The child listed before its parent follows it; a name the order lacks comes last, and one
  // the space lacks is passed over.
  const Space ordered = space_from_json(j, "/space", {"lr", "momentum", "optimizer", "typo"});
  CHECK(names(ordered) == std::vector<std::string>{"lr", "optimizer", "momentum", "layers"});
  CHECK(space_to_json(ordered) == space_to_json(space_from_json(j)));
  // A point's JSON for people follows it too.
  const Point p{{"layers", std::int64_t{2}}, {"lr", 0.5}, {"optimizer", std::string("adam")}};
  CHECK(point_to_json(p, ordered).dump() == R"({"lr":0.5,"optimizer":"adam","layers":2})");
}
