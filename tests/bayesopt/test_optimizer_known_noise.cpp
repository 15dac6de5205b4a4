// Values told with the sd of their noise (Optimizer::tell(id, Measurement{value, sd})): the
// model weighs them by it, the state keeps it, bad sds are refused.
#include <catch2/catch.hpp>

#include <cmath>
#include <utility>
#include <vector>

#include "gpbo/bayesopt/optimizer.hpp"
#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/bayesopt/output_transform.hpp"
#include "optimizer_test_util.hpp"

using namespace gpbo::bo;
using namespace optimizer_test;

namespace {

// 12 exact values of a smooth function on a grid, and one value at x = 0.5 that is 3 too high.
// Told with its sd (3), the outlier is what it is: a vague reading; told bare, the model bends
// to it or learns a noise level for every value.
Optimizer with_outlier(bool tell_sd, HyperMode mode = HyperMode::Map) {
  OptimizerOptions o = small_options(2);
  o.initial_points = 4;
  o.surrogate.mode = mode;
  Optimizer opt(unit_line(), o);
  for (int i = 0; i < 12; ++i) {
    const double x = (i + 0.5) / 12.0;
    opt.tell(Point{{"x", x}}, smooth_line(x));
  }
  if (tell_sd) opt.tell(Point{{"x", 0.5}}, Measurement{smooth_line(0.5) + 3.0, 3.0});
  else opt.tell(Point{{"x", 0.5}}, smooth_line(0.5) + 3.0);
  (void)opt.ask();  // fits the model
  return opt;
}

}  // namespace

TEST_CASE("known noise: a vague value barely moves the model, a bare one pulls it") {
  Optimizer weighed = with_outlier(true), bare = with_outlier(false);
  const double truth = smooth_line(0.5);
  const auto at = [](const Optimizer& o, double x) { return o.predict({Point{{"x", x}}}).front(); };
  const ObjectivePrediction w = at(weighed, 0.5), b = at(bare, 0.5);
  INFO("with sd: " << w.median << " in [" << w.lower95 << ", " << w.upper95 << "]; bare: " << b.median << " in [" << b.lower95
                   << ", " << b.upper95 << "]; truth " << truth);
  CHECK(std::abs(w.median - truth) < 0.2);
  CHECK(std::abs(b.median - truth) > 2.0 * std::abs(w.median - truth));
  // Away from the outlier the weighed model stays sure of the exact values.
  const ObjectivePrediction w2 = at(weighed, 0.9);
  CHECK(w2.upper95 - w2.lower95 < 0.5);
  CHECK(weighed.history()[12].noise_sd == 3.0);
  CHECK(bare.history()[12].noise_sd == 0.0);
}

TEST_CASE("known noise: the state keeps the sds and a reloaded optimizer continues exactly") {
  for (const HyperMode mode : {HyperMode::Map, HyperMode::Fast}) {
    Optimizer opt = with_outlier(true, mode);
    // More values with sds, some told after the last refit (the fast preset extends the factor).
    for (int i = 0; i < 3; ++i) {
      const Suggestion s = opt.ask();
      opt.tell(s.id, Measurement{smooth_line(std::get<double>(s.point.at("x"))), 0.05 * (i + 1)});
    }
    const nlohmann::json state = optimizer_to_json(opt);
    CHECK(state["trials"][12]["noise_sd"] == 3.0);
    CHECK_FALSE(state["trials"][0].contains("noise_sd"));
    Optimizer back = optimizer_from_json(nlohmann::json::parse(state.dump()));
    CHECK(back.history()[12].noise_sd == 3.0);
    CHECK(same_point(back.ask().point, opt.ask().point));
    nlohmann::json bad = state;
    bad["trials"][12]["noise_sd"] = -1.0;
    CHECK_THROWS_WITH(optimizer_from_json(bad), Catch::Contains("/trials/12/noise_sd: expected the sd of the value's noise"));
  }
}

TEST_CASE("known noise: told sds keep the output warp, and each enters the model by the warp's slope at its value") {
  // exp(6x): a heavy upper tail that the warp compresses (lambda < 1); sds 2% of each value.
  for (const HyperMode mode : {HyperMode::Map, HyperMode::Fast}) {
    OptimizerOptions o = small_options(3);
    o.surrogate.mode = mode;
    Optimizer opt(unit_line(), o);
    for (int i = 0; i < 12; ++i) {
      const double x = (i + 0.5) / 12.0, y = std::exp(6.0 * x);
      opt.tell(Point{{"x", x}}, Measurement{y, 0.02 * y});
    }
    (void)opt.ask();
    const nlohmann::json state = optimizer_to_json(opt);
    const double lambda = state["surrogate"]["transform"]["lambda"].get<double>();
    INFO("lambda " << lambda);
    CHECK(lambda < 0.9);
    // The largest value's noise variance is 60000 times the smallest's in the objective's units;
    // in the model far less: the warp compresses where that value is.
    OutputTransform t;
    t.shift = state["surrogate"]["transform"]["shift"];
    t.scale = state["surrogate"]["transform"]["scale"];
    t.lambda = lambda;
    t.post_scale = state["surrogate"]["transform"]["post_scale"];
    const double low = std::exp(6.0 * 0.5 / 12.0), high = std::exp(6.0 * 11.5 / 12.0);
    const double raw_ratio = std::pow(high / low, 2);
    const double model_ratio = t.variance_to_model(std::pow(0.02 * high, 2), high) / t.variance_to_model(std::pow(0.02 * low, 2), low);
    INFO("variance ratio " << raw_ratio << " in the objective's units, " << model_ratio << " in the model's");
    CHECK(model_ratio < 0.01 * raw_ratio);
    Optimizer back = optimizer_from_json(nlohmann::json::parse(state.dump()));
    CHECK(same_point(back.ask().point, opt.ask().point));
  }
}

TEST_CASE("known noise: a bad sd is refused before anything changes") {
  Optimizer opt(unit_line(), small_options(1));
  const Suggestion s = opt.ask();
  CHECK_THROWS_WITH(opt.tell(s.id, Measurement{1.0, -0.1}), "the sd of a value's noise must be a number >= 0 and below 1e100, got -0.1");
  // Finite but huge: its variance overflowed in the model's units, and no model was fitted again.
  CHECK_THROWS_WITH(opt.tell(s.id, Measurement{1.0, 1e160}), Catch::EndsWith("below 1e100, got 1e+160"));
  CHECK_THROWS_AS(opt.tell(s.id, Measurement{1.0, std::nan("")}), std::invalid_argument);
  CHECK(opt.pending().size() == 1);
  CHECK_THROWS_AS(opt.tell(Point{{"x", 0.2}}, Measurement{1.0, INFINITY}), std::invalid_argument);
  CHECK(opt.history().size() == 1);
  opt.tell(s.id, Measurement{1.0, 0.2});
  CHECK(opt.best()->value == 1.0);
}

TEST_CASE("known noise: values far below 1 keep a model, their sds carried without overflow") {
  // Values 1e-160 f(x) told with sd 1e-161: the sd squared is 1e-322 (subnormal) and the warp's
  // slope is near 1e160, so v (dw/dy)^2 was 0 times inf, every fit failed and each suggestion
  // after the design was a random point (6 of 16 asks). With sd 1 at 1e-200 f(x), the variance
  // carried was inf (10 of 20). Formed in logs and capped, the model fits.
  for (const auto& [scale, sd] : std::vector<std::pair<double, double>>{{1e-160, 1e-161}, {1e-200, 1.0}}) {
    CAPTURE(scale, sd);
    Space s;
    s.add(Parameter::real("x", 0, 1)).add(Parameter::real("y", 0, 1));
    Optimizer opt(s, small_options(2));
    int random_fallbacks = 0;
    for (int n = 0; n < 16; ++n) {
      const Suggestion g = opt.ask();
      random_fallbacks += !opt.last_warning().empty();
      const double x = as_double(g.point.at("x")), y = as_double(g.point.at("y"));
      opt.tell(g.id, Measurement{scale * ((x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7) + 0.1), sd});
    }
    CHECK(random_fallbacks == 0);
  }
  OutputTransform t;  // without the warp's fit: the same cap
  t.scale = 1e-200;
  CHECK(t.variance_to_model(1.0, 0.0) == gpbo::kMaxCarriedVariance);
}
