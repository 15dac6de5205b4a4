// SurrogateOptions::outliers = detect: gross values are flagged and given their own noise, leave
// the incumbent and the recommendation, and the flags survive a save and reload.
#include <catch2/catch.hpp>

#include <cmath>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;
using namespace optimizer_test;

namespace {

OptimizerOptions options(OutlierMode outliers, HyperMode mode = HyperMode::Map) {
  OptimizerOptions o = small_options(2);
  o.initial_points = 4;
  o.surrogate.mode = mode;
  o.surrogate.outliers = outliers;
  return o;
}

// 16 exact values of a smooth function on a grid and, in row 16, a value at x = 0.51 that is 50
// too low (a run that crashed and reported 0, say), then one suggestion (which fits the model).
Optimizer with_gross_value(OutlierMode outliers, HyperMode mode = HyperMode::Map) {
  Optimizer opt(unit_line(), options(outliers, mode));
  for (int i = 0; i < 16; ++i) {
    const double x = (i + 0.5) / 16.0;
    opt.tell(Point{{"x", x}}, smooth_line(x));
  }
  opt.tell(Point{{"x", 0.51}}, smooth_line(0.51) - 50.0);
  (void)opt.ask();
  return opt;
}

double median_at(const Optimizer& o, double x) { return o.predict({Point{{"x", x}}}).front().median; }

}  // namespace

TEST_CASE("outliers: a gross value is flagged and neither leads nor bends the model") {
  const Optimizer off = with_gross_value(OutlierMode::Off), on = with_gross_value(OutlierMode::Detect);
  const double truth = smooth_line(0.51);
  INFO("off: " << median_at(off, 0.51) << ", detect: " << median_at(on, 0.51) << ", truth " << truth);
  CHECK(std::abs(median_at(on, 0.51) - truth) < 0.1);
  CHECK(std::abs(median_at(off, 0.51) - truth) > 5.0);
  // Trusted as observed, the value is the recommendation; flagged, the best of the others is.
  CHECK(off.recommend()->id == 16);
  const std::uint64_t rec = on.recommend()->id;
  CHECK(rec != 16);
  // (the best of the exact values: the model agrees with them)
  double best = 1e9;
  std::uint64_t best_id = 0;
  for (std::uint64_t i = 0; i < 16; ++i)
    if (on.history()[i].value < best) best = on.history()[i].value, best_id = i;
  CHECK(rec == best_id);
  const nlohmann::json state = optimizer_to_json(on);
  const nlohmann::json& v = state["surrogate"]["outlier_variances"];
  REQUIRE(v.size() == 17);
  for (std::size_t i = 0; i < 16; ++i) CHECK(v[i] == 0.0);
  CHECK(v[16].get<double>() > 100.0);  // about 50^2 in the values' units
  CHECK_FALSE(optimizer_to_json(off)["surrogate"].contains("outlier_variances"));
}

TEST_CASE("outliers: a flagged value sets neither the standardization nor the warp") {
  // A value a million too low: trusted, it is the whole scale of the values; flagged, it is
  // clamped into the others' range for the model (its own variance keeps it from pulling).
  Optimizer opt(unit_line(), options(OutlierMode::Detect));
  for (int i = 0; i < 16; ++i) {
    const double x = (i + 0.5) / 16.0;
    opt.tell(Point{{"x", x}}, smooth_line(x));
  }
  opt.tell(Point{{"x", 0.51}}, -1e6);
  (void)opt.ask();
  const nlohmann::json state = optimizer_to_json(opt);
  REQUIRE(state["surrogate"].contains("outlier_variances"));
  CHECK(state["surrogate"]["outlier_variances"][16].get<double>() > 0.0);
  CHECK(state["surrogate"]["transform"]["scale"].get<double>() < 2.0);  // the others' sd is about 0.6
  CHECK(std::abs(median_at(opt, 0.51) - smooth_line(0.51)) < 0.1);
  Optimizer back = optimizer_from_json(nlohmann::json::parse(state.dump()));
  CHECK(same_point(back.ask().point, opt.ask().point));
}

TEST_CASE("outliers: exact values of a smooth function are none") {
  Optimizer opt(unit_line(), options(OutlierMode::Detect));
  for (int i = 0; i < 25; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, smooth_line(std::get<double>(s.point.at("x"))));
  }
  (void)opt.ask();
  CHECK_FALSE(optimizer_to_json(opt)["surrogate"].contains("outlier_variances"));
}

TEST_CASE("outliers: a gross value told since the last refit is flagged for predict and recommend") {
  // The fast preset extends the factor between refits: the new value is weighed as a refit would.
  Optimizer opt = with_gross_value(OutlierMode::Detect, HyperMode::Fast);
  const Suggestion s = opt.ask();
  const double x = std::get<double>(s.point.at("x"));
  opt.tell(s.id, smooth_line(x) - 80.0);
  INFO("x " << x << ": " << median_at(opt, x) << " vs " << smooth_line(x));
  CHECK(std::abs(median_at(opt, x) - smooth_line(x)) < 0.5);
  CHECK(opt.recommend()->id != s.id);
}

TEST_CASE("outliers: the flags are saved, a reloaded optimizer continues exactly, bad ones are refused") {
  for (const HyperMode mode : {HyperMode::Map, HyperMode::Fast}) {
    Optimizer opt = with_gross_value(OutlierMode::Detect, mode);
    for (int i = 0; i < 3; ++i) {  // more values, one gross, some told after the last refit
      const Suggestion s = opt.ask();
      opt.tell(s.id, smooth_line(std::get<double>(s.point.at("x"))) + (i == 1 ? 40.0 : 0.0));
    }
    const nlohmann::json state = optimizer_to_json(opt);
    CHECK(state["options"]["outliers"] == "detect");
    Optimizer back = optimizer_from_json(nlohmann::json::parse(state.dump()));
    CHECK(optimizer_to_json(back)["surrogate"] == state["surrogate"]);
    CHECK(same_point(back.ask().point, opt.ask().point));
    CHECK(back.recommend()->id == opt.recommend()->id);

    nlohmann::json bad = state;
    bad["surrogate"]["outlier_variances"][0] = -1.0;
    CHECK_THROWS_WITH(optimizer_from_json(bad), Catch::Contains("/surrogate/outlier_variances: expected") &&
                                                    Catch::Contains("finite numbers >= 0"));
    bad = state;
    bad["surrogate"]["outlier_variances"].erase(0);
    CHECK_THROWS_WITH(optimizer_from_json(bad), Catch::Contains("/surrogate/outlier_variances"));
  }
}

TEST_CASE("outliers: the option in JSON, off by default") {
  CHECK(options_to_json(OptimizerOptions{})["outliers"] == "off");
  const OptimizerOptions o = options_from_json(nlohmann::json{{"outliers", "detect"}});
  CHECK(o.surrogate.outliers == OutlierMode::Detect);
  CHECK(options_from_json(options_to_json(o)).surrogate.outliers == OutlierMode::Detect);
  CHECK_THROWS_WITH(options_from_json(nlohmann::json{{"outliers", true}}),
                    Catch::Contains("/options/outliers: expected \"off\" or \"detect\""));
}

TEST_CASE("outliers: two values far better than the rest are flagged: the better side's bound is nearer") {
  // Values of sin(5x) + x span [-0.08, 1.33]; -50 is 60-80 robust spreads below their median:
  // beyond the better side's bound (a gross error there leads the search), within the worse
  // side's (heavy upper tails are common and legitimate). The last two of the 10 default
  // initial points get -50; bound at 100 spreads on either side, the look under the fitted warp
  // saw them as a tail, and one was recommended (seeds 1-6, 12 values told).
  // Maximizing the negated function with +50 told is the same case: the better side is the
  // internal (negated) values' lower one.
  for (const Goal goal : {Goal::Minimize, Goal::Maximize}) {
    for (const std::uint64_t seed : {1, 5}) {
      OptimizerOptions o;
      o.seed = seed;
      o.goal = goal;
      o.surrogate.outliers = OutlierMode::Detect;
      const double sign = goal == Goal::Minimize ? 1.0 : -1.0;
      Optimizer opt(unit_line(), o);
      for (std::uint64_t i = 0; i < 12; ++i) {
        const Suggestion s = opt.ask();
        opt.tell(s.id, sign * (i == 8 || i == 9 ? -50.0 : smooth_line(std::get<double>(s.point.at("x")))));
      }
      (void)opt.ask();
      INFO("seed " << seed << (goal == Goal::Minimize ? ", minimize" : ", maximize"));
      CHECK(opt.outliers() == std::vector<std::uint64_t>{8, 9});
      const std::uint64_t rec = opt.recommend()->id;
      CHECK(rec != 8);
      CHECK(rec != 9);
      // Nor do they count as improvements for stop.patience (a glitch stopped a run that went
      // on improving): the count runs from a value the model takes.
      CHECK(opt.best()->id == 8);
      const auto since = opt.last_improvement();
      REQUIRE(since);
      CHECK(*since != 8);
      CHECK(*since != 9);
    }
  }
}

TEST_CASE("outliers: a glitch does not meet stop.target; a value the model takes does") {
  // A loss script's logger now and then reports 0: with a target of 0.1 the glitch at the fifth
  // evaluation ended the run (configs/outliers.json with the target added).
  OptimizerOptions o;
  o.seed = 2;
  o.surrogate.outliers = OutlierMode::Detect;
  o.stop.target = -40.0;
  Optimizer opt(unit_line(), o);
  for (std::uint64_t i = 0; i < 12; ++i) {
    const Suggestion s = opt.ask();
    opt.tell(s.id, i == 4 ? -50.0 : smooth_line(std::get<double>(s.point.at("x"))));
    // In the design no model has judged the glitch yet: no value meets the target.
    INFO("evaluation " << i);
    CHECK_FALSE(opt.stop_reason());
  }
  (void)opt.ask();  // a model fitted to the 12 values, which flags it
  CHECK(opt.outliers() == std::vector<std::uint64_t>{4});
  CHECK(opt.best()->id == 4);
  REQUIRE(opt.best_unflagged());
  CHECK(opt.best_unflagged()->id != 4);
  CHECK_FALSE(opt.stop_reason());
  // A target the values the model takes meet stops the run, by the best of them.
  opt.set_stopping_rules([&] {
    StoppingRules r = o.stop;
    r.target = opt.best_unflagged()->value;
    return r;
  }());
  CHECK(opt.stop_reason() == "target");
  // Without detection every value counts, as observed.
  OptimizerOptions off = o;
  off.surrogate.outliers = OutlierMode::Off;
  Optimizer plain(unit_line(), off);
  for (std::uint64_t i = 0; i < 5; ++i) {
    const Suggestion s = plain.ask();
    plain.tell(s.id, i == 4 ? -50.0 : smooth_line(std::get<double>(s.point.at("x"))));
  }
  CHECK(plain.stop_reason() == "target");
}
