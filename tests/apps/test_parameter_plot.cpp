#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <map>

#include "tune/parameter_plot.hpp"
#include "tune/svg_plot.hpp"

using namespace gpbo;

namespace {

std::size_t count(const std::string& text, const std::string& s) {
  std::size_t c = 0;
  for (auto p = text.find(s); p != std::string::npos; p = text.find(s, p + 1)) ++c;
  return c;
}

bo::Space training_space() {
  bo::Space s;
  s.add(bo::Parameter::real("lr", 1e-5, 1e-1, bo::Scale::Log))
      .add(bo::Parameter::integer("layers", 1, 8))
      .add(bo::Parameter::categorical("opt", {bo::Value(std::string("adam")), bo::Value(std::string("<sgd>"))}))
      .add(bo::Parameter::real("momentum", 0.0, 0.99).when("opt", {bo::Value(std::string("<sgd>"))}))
      .add(bo::Parameter::fixed("epochs", std::int64_t{10}));
  return s;
}

tune::PlottedResult result(double lr, std::int64_t layers, const std::string& opt, double value, bool feasible = true,
                           bool best = false) {
  bo::Point p{{"lr", lr}, {"layers", layers}, {"opt", opt}, {"epochs", std::int64_t{10}}};
  if (opt == "<sgd>") p["momentum"] = 0.9;
  return {p, value, feasible, best};
}

}  // namespace

TEST_CASE("parameter plot: a panel per parameter that is not fixed, a dot per result where it is active") {
  const std::vector<tune::PlottedResult> results = {result(1e-3, 2, "adam", 0.5), result(1e-2, 4, "<sgd>", 0.3, true, true),
                                                    result(1e-4, 8, "<sgd>", 0.9)};
  const std::string svg = tune::parameters_svg(training_space(), results, true, "run <1>");
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(count(svg, "font-weight=\"bold\"") == 4);  // lr, layers, opt, momentum; no epochs
  CHECK(svg.find(">epochs<") == std::string::npos);
  CHECK(svg.find("lr (log)") != std::string::npos);
  // 3 results in lr, layers and opt; 2 where momentum is active; a red ring per panel for the best.
  CHECK(count(svg, "fill-opacity") == 3 + 3 + 3 + 2);
  CHECK(count(svg, "stroke=\"#d33\"") == 4);
  // Names and categories are escaped; the log axis is labelled in decades; categories by name.
  CHECK(svg.find("run &lt;1&gt;") != std::string::npos);
  CHECK(svg.find("&lt;sgd&gt;") != std::string::npos);
  CHECK(svg.find("<sgd>") == std::string::npos);
  for (const char* decade : {">1e-05<", ">0.0001<", ">0.001<", ">0.01<", ">0.1<"}) CHECK(svg.find(decade) != std::string::npos);
  CHECK(svg.find(">adam<") != std::string::npos);
  CHECK(svg.find("log scale") == std::string::npos);  // 0.3 to 0.9: a linear value axis
  CHECK(svg.find("orange rings") == std::string::npos);
}

TEST_CASE("parameter plot: infeasible results are rings; values over decades get a log axis; extremes draw no NaN") {
  const std::vector<tune::PlottedResult> results = {result(1e-3, 2, "adam", 0.01, true, true), result(1e-2, 4, "adam", 40, false),
                                                    result(1e-4, 8, "adam", 3, false)};
  const std::string svg = tune::parameters_svg(training_space(), results, true, "spring");
  CHECK(count(svg, "stroke=\"#e08a1e\"") == 2 * 3);  // lr, layers, opt (momentum inactive throughout)
  CHECK(svg.find("orange rings break a constraint") != std::string::npos);
  CHECK(svg.find("log scale") != std::string::npos);
  CHECK(svg.find(">10<") != std::string::npos);  // a decade tick of the value axis
  const double big = std::numeric_limits<double>::max();
  for (const auto& values : {std::vector<double>{0.4, big, 0.1}, std::vector<double>{-1e308, 1e308, 0.0},
                             std::vector<double>{5e-300, 5e-300, 5e-300}}) {
    std::vector<tune::PlottedResult> r;
    for (double v : values) r.push_back(result(1e-3, 2, "adam", v));
    const std::string extreme = tune::parameters_svg(training_space(), r, false, "extreme");
    CHECK(extreme.find("nan") == std::string::npos);
    CHECK(extreme.find("inf") == std::string::npos);
  }
  CHECK(tune::parameters_svg(training_space(), {}, true, "empty").find("<circle") == std::string::npos);
}

TEST_CASE("log_ticks: decades, else 1-2-5 times them, else finer round values; never 25.12") {
  using gpbo::tune::log_ticks;
  CHECK(log_ticks(1e-5, 1e-1) == std::vector<double>{1e-5, 1e-4, 1e-3, 1e-2, 1e-1});
  // A log-scale integer on [25, 400] was ticked 25.12, 39.81, 63.1, 100, 158.5, 251.2, 398.1.
  CHECK(log_ticks(25, 400) == std::vector<double>{50, 100, 200});
  CHECK(log_ticks(10, 2000) == std::vector<double>{10, 100, 1000});
  CHECK(log_ticks(0.3, 0.6) == std::vector<double>{0.3, 0.5});
  CHECK(log_ticks(11, 13).size() >= 2);  // linear round values on a narrow range
}

TEST_CASE("svg_escape: markup escaped, control characters XML refuses replaced") {
  // A category holding \u0001 made parameters.svg unreadable to any XML parser.
  CHECK(gpbo::tune::svg_escape("a<b & c>d") == "a&lt;b &amp; c&gt;d");
  CHECK(gpbo::tune::svg_escape(std::string("x\x01y\tz\0", 6)) == "x\xEF\xBF\xBDy\tz\xEF\xBF\xBD");
  CHECK(gpbo::tune::svg_escape("caf\xC3\xA9") == "caf\xC3\xA9");  // UTF-8 kept
}

TEST_CASE("model slices: the values visited, and the model's own predictions through the point") {
  using bo::Parameter;
  const auto as_doubles = [](const std::vector<bo::Value>& v) {
    std::vector<double> out;
    for (const auto& x : v) out.push_back(bo::as_double(x));
    return out;
  };
  CHECK(as_doubles(tune::slice_values(Parameter::real("x", 0, 1), 5)) == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
  const auto log_values = as_doubles(tune::slice_values(Parameter::real("lr", 1e-4, 1e-1, bo::Scale::Log), 4));
  REQUIRE(log_values.size() == 4);
  CHECK(log_values[0] == 1e-4);
  CHECK(log_values[1] == Approx(1e-3));
  CHECK(log_values[3] == 1e-1);
  CHECK(as_doubles(tune::slice_values(Parameter::integer("n", 1, 8), 41)).size() == 8);
  CHECK(as_doubles(tune::slice_values(Parameter::integer("n", 1, 1000), 5)) == std::vector<double>{1, 251, 501, 750, 1000});
  // A log-scale integer spread on the plot's log axis (1, 26, 51, ... left one point in 1-25).
  CHECK(as_doubles(tune::slice_values(Parameter::integer("n", 1, 1000, bo::Scale::Log), 4)) == std::vector<double>{1, 10, 100, 1000});
  const auto log_integers = as_doubles(tune::slice_values(Parameter::integer("n", 1, 1000, bo::Scale::Log), 41));
  CHECK(std::count_if(log_integers.begin(), log_integers.end(), [](double n) { return n < 26; }) >= 10);
  CHECK(std::adjacent_find(log_integers.begin(), log_integers.end()) == log_integers.end());
  // exp(log(1e15)) is 1e15 - 1.1: the first rank was -1, wrapped to the last.
  const auto huge = as_doubles(tune::slice_values(Parameter::integer("n", 1000000000000000, 9000000000000000, bo::Scale::Log), 5));
  CHECK(huge.front() == 1e15);
  CHECK(huge.back() == 9e15);
  CHECK(std::is_sorted(huge.begin(), huge.end()));
  CHECK(as_doubles(tune::slice_values(Parameter::real("d", 0, 0.5).with_step(0.1), 41)) ==
        std::vector<double>{0, 0.1, 0.2, 0.3, 0.4, 0.5});
  CHECK(tune::slice_values(Parameter::categorical("c", {bo::Value(std::string("a")), bo::Value(std::string("b"))}), 41).size() == 2);
  std::vector<bo::Value> many;
  for (int i = 0; i < 50; ++i) many.emplace_back("c" + std::to_string(i));
  CHECK(tune::slice_values(Parameter::categorical("c", many), 41).empty());  // no 50 bars
  bo::Space wide;
  wide.add(Parameter::categorical("c", many));
  const std::string svg_many = tune::parameters_svg(wide, {{{{"c", std::string("c7")}}, 1.0, true, true}}, true, "many");
  CHECK(svg_many.find(">50 choices<") != std::string::npos);
  CHECK(svg_many.find(">c7<") == std::string::npos);

  // A bowl in x, flat in y, under x + y <= 1.5; 20 evaluations.
  bo::Space space;
  space.add(Parameter::real("x", 0, 1)).add(Parameter::real("y", 0, 1));
  space.add_constraint({{{"x", 1.0}, {"y", 1.0}}, std::nullopt, 1.5});
  bo::OptimizerOptions o;
  o.seed = 2;
  bo::Optimizer opt(space, o);
  CHECK(tune::model_slices(opt, {{"x", 0.5}, {"y", 0.5}}).empty());  // no model yet
  for (int i = 0; i < 20; ++i) {
    const auto s = opt.ask();
    const double x = bo::as_double(s.point.at("x"));
    opt.tell(s.id, (x - 0.3) * (x - 0.3));
  }
  const bo::Point through{{"x", 0.3}, {"y", 0.9}};
  const auto slices = tune::model_slices(opt, through, 11);
  REQUIRE(slices.size() == 2);
  CHECK(slices[0].parameter == "x");
  CHECK(slices[0].at.size() == 7);  // x > 0.6 breaks x + 0.9 <= 1.5
  CHECK(slices[1].at.size() == 11);
  for (const auto& slice : slices)
    for (std::size_t i = 0; i < slice.at.size(); ++i) {
      bo::Point q = through;
      q[slice.parameter] = slice.at[i];
      const auto expected = opt.predict({q})[0];  // alone, not in the batch: equal to round-off
      CHECK(slice.prediction[i].median == Approx(expected.median).epsilon(1e-9).margin(1e-12));
      CHECK(slice.prediction[i].lower95 == Approx(expected.lower95).epsilon(1e-9).margin(1e-12));
      CHECK(slice.prediction[i].upper95 == Approx(expected.upper95).epsilon(1e-9).margin(1e-12));
      const double x = bo::as_double(q.at("x"));
      INFO("x " << x << " median " << expected.median << " [" << expected.lower95 << ", " << expected.upper95 << "]");
      // The values span decades down to the optimum's 0, so the model is of their log: close
      // where the search went, and honest (the truth inside the interval, up to 1e-3 where it
      // is 0, which a model of positive values approaches without reaching) at the far edge.
      const double truth = (x - 0.3) * (x - 0.3);
      CHECK(expected.lower95 <= truth + 1e-3);
      CHECK(expected.upper95 >= truth);
      if (std::abs(x - 0.3) <= 0.2) CHECK(std::abs(expected.median - truth) < 0.02);
    }
  // Drawn: a band and a line per numeric panel.
  std::vector<tune::PlottedResult> results;
  for (const auto& t : opt.history()) results.push_back({t.point, t.value, true, false});
  const std::string svg = tune::parameters_svg(space, results, true, "bowl", slices);
  CHECK(count(svg, "fill-opacity=\"0.13\"") == 2);
  CHECK(svg.find("the line: the model through the best") != std::string::npos);
  CHECK(tune::model_slices(bo::Optimizer(training_space()), {{"lr", 0.01}}).empty());  // no model yet
}

TEST_CASE("model slices in a conditional space: children follow their parent, values that need a missing child are skipped") {
  const bo::Space space = training_space();
  bo::OptimizerOptions o;
  o.seed = 4;
  bo::Optimizer opt(space, o);
  for (int i = 0; i < 14; ++i) {
    const auto s = opt.ask();
    opt.tell(s.id, std::log10(bo::as_double(s.point.at("lr"))) + (s.point.count("momentum") ? bo::as_double(s.point.at("momentum")) : 0.5));
  }
  const bo::Value sgd = std::string("<sgd>"), adam = std::string("adam");
  const auto by_name = [](const std::vector<tune::ModelSlice>& slices) {
    std::map<std::string, const tune::ModelSlice*> m;
    for (const auto& s : slices) m[s.parameter] = &s;
    return m;
  };
  const bo::Point with_sgd{{"lr", 0.01}, {"layers", std::int64_t{3}}, {"opt", sgd}, {"momentum", 0.9}, {"epochs", std::int64_t{10}}};
  const auto a = tune::model_slices(opt, with_sgd, 11);
  const auto sa = by_name(a);
  REQUIRE(sa.size() == 4);
  CHECK(sa.at("lr")->at.size() == 11);
  CHECK(sa.at("layers")->at.size() == 8);
  CHECK(sa.at("momentum")->at.size() == 11);
  CHECK(sa.at("opt")->at == std::vector<bo::Value>{adam, sgd});  // adam drops the momentum
  const auto adam_point = tune::slice_points(space, with_sgd, space.parameter("opt"), 11).front();
  CHECK(adam_point.count("momentum") == 0);
  CHECK_NOTHROW(space.validate(adam_point));

  const bo::Point with_adam{{"lr", 0.01}, {"layers", std::int64_t{3}}, {"opt", adam}, {"epochs", std::int64_t{10}}};
  const auto b = tune::model_slices(opt, with_adam, 11);
  const auto sb = by_name(b);
  CHECK(sb.count("momentum") == 0);                       // inactive there
  CHECK(sb.at("opt")->at == std::vector<bo::Value>{adam});  // sgd would need a momentum
}
