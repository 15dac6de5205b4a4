#include <catch2/catch.hpp>

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
