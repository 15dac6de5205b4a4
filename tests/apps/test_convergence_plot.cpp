#include <catch2/catch.hpp>

#include <limits>

#include "tune/convergence_plot.hpp"

TEST_CASE("convergence plot: one dot per success, one tick per failure, a best-so-far path") {
  const std::vector<std::optional<double>> v = {3.0, std::nullopt, 1.0, 2.0, 0.5};
  const auto svg = gpbo::tune::convergence_svg(v, true, "run <1>");
  auto count = [&](const std::string& s) {
    std::size_t c = 0;
    for (auto p = svg.find(s); p != std::string::npos; p = svg.find(s, p + 1)) ++c;
    return c;
  };
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(count("<circle") == 4);
  CHECK(count("stroke=\"#d33\"") == 1);
  CHECK(count("<path") == 1);
  CHECK(svg.find("run &lt;1&gt;") != std::string::npos);
  CHECK(gpbo::tune::convergence_svg({}, false, "empty").find("<path") == std::string::npos);
}

TEST_CASE("convergence plot: values up to the double range (a DBL_MAX penalty) plot without NaN") {
  const double big = std::numeric_limits<double>::max();
  // {0.4, DBL_MAX}: the tick loop's end, hi + margin, overflowed and the loop never ended.
  // {-1e308, 1e308}: hi - lo overflows.
  for (const auto& v : {std::vector<std::optional<double>>{0.4, big, 0.1}, std::vector<std::optional<double>>{-1e308, 1e308, 0.0}}) {
    const auto svg = gpbo::tune::convergence_svg(v, true, "penalty");
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    CHECK(svg.find("<path") != std::string::npos);
  }
}

TEST_CASE("convergence plot: tiny values (1e-300 scale) spread over the axis, not flattened at 0") {
  // Before, any range under 1e-12 was taken for a constant: the axis ran -0.5..0.5, points on 0.
  const std::vector<std::optional<double>> v = {3e-300, 1e-300, 2e-300};
  const auto svg = gpbo::tune::convergence_svg(v, true, "tiny");
  std::vector<std::string> ys;
  for (auto p = svg.find("<circle"); p != std::string::npos; p = svg.find("<circle", p + 1)) {
    const auto at = svg.find("cy=\"", p) + 4;
    ys.push_back(svg.substr(at, svg.find('"', at) - at));
  }
  REQUIRE(ys.size() == 3);
  CHECK(ys[0] != ys[1]);
  CHECK(ys[1] != ys[2]);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(gpbo::tune::convergence_svg({5e-300, 5e-300}, true, "flat").find("nan") == std::string::npos);
  // An objective printing DBL_MAX every time: the padded range overflowed to inf, cy="-nan".
  for (const double v : {std::numeric_limits<double>::max(), -std::numeric_limits<double>::max()}) {
    const auto svg = gpbo::tune::convergence_svg({v, v, v}, true, "at the edge");
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
  }
}

TEST_CASE("convergence plot: results that break an outcome constraint are rings off the best-so-far line") {
  const std::vector<std::optional<double>> v = {3.0, 0.1, 2.0};
  const auto plain = gpbo::tune::convergence_svg(v, true, "all feasible");
  const auto svg = gpbo::tune::convergence_svg(v, true, "constrained", {false, true, false});
  CHECK(svg.find("fill=\"none\" stroke=\"#e08a1e\"") != std::string::npos);
  CHECK(svg.find(">breaks a constraint</text>") != std::string::npos);  // the legend, only when there are rings
  CHECK(plain.find("#e08a1e") == std::string::npos);
  // The path ends at the best feasible value (2.0), not at the infeasible 0.1.
  const auto path_end = [](const std::string& s) {
    const auto at = s.find("<path d=\"");
    const auto end = s.find('"', at + 9);
    return s.substr(s.rfind(',', end) + 1, end - s.rfind(',', end) - 1);
  };
  const auto y_of = [](const std::string& s, std::size_t circle) {
    auto p = s.find("<circle");
    for (std::size_t k = 0; k < circle; ++k) p = s.find("<circle", p + 1);
    const auto at = s.find("cy=\"", p) + 4;
    return s.substr(at, s.find('"', at) - at);
  };
  CHECK(path_end(svg) == y_of(svg, 2));
  CHECK(path_end(plain) == y_of(plain, 1));
}

TEST_CASE("convergence plot: x is the evaluation's id, as results.csv numbers it") {
  // The best of ids 0..4 was drawn at x = 5 (numbered from 1) while the summary said "id 4".
  const auto svg = gpbo::tune::convergence_svg({3.0, 2.0, 1.0, 2.5, 0.5}, true, "ids");
  CHECK(svg.find("<circle cx=\"80\"") != std::string::npos);  // id 0 at the left edge
  CHECK(svg.find(">0</text>") != std::string::npos);
  CHECK(svg.find("evaluation id") != std::string::npos);
  // Ids with gaps (pending or abandoned ones between) sit at their own positions: id 7 of 3..8
  // at 80 + 620 * 4 / 5.
  const auto gaps = gpbo::tune::convergence_svg({1.0, 2.0, 0.5}, true, "gaps", {}, {3, 7, 8});
  CHECK(gaps.find("<circle cx=\"576\"") != std::string::npos);
  CHECK(gaps.find("<circle cx=\"80\"") != std::string::npos);
}
