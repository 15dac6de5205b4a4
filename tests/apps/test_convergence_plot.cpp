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
