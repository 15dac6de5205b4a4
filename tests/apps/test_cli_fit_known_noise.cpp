// gpbo fit --noise-sd-column at the edges of double precision: a known sd far beyond the
// targets' spread makes its row carry next to no weight, rather than overflow.
#include <catch2/catch.hpp>

#include "cli_test_util.hpp"

using namespace cli_test;

TEST_CASE("e2e: gpbo fit --noise-sd-column takes an sd too large for standardized units as no information") {
  // Its variance over the targets' squared sd overflowed: "internal error: covariance matrix has
  // non-finite entries", exit 1.
  Scratch s("fit_big_sd");
  const std::vector<std::pair<std::string, std::string>> tables{
      {"tiny.csv", "x,y,y_sd\n1,2e-100,0\n2,3e-100,1e60\n3,2.5e-100,0\n"},
      {"big.csv", "x,y,y_sd\n1,2,0\n2,3,1e154\n3,2.5,0\n"}};
  for (const auto& [name, text] : tables) {
    const auto fit = sh(cli + " fit --data " + s.write(name, text) + " --noise-sd-column y_sd --out " + s.path("m.json"));
    INFO(fit.output);
    REQUIRE(fit.status == 0);
    CHECK(fit.output.find("model saved to") != std::string::npos);
    const auto p = sh(cli + " predict --model " + s.path("m.json") + " --data " + s.write("q.csv", "x\n2\n") + " --out " +
                      s.path("p.csv"));
    INFO(p.output);
    REQUIRE(p.status == 0);
    const auto rows = csv_rows(s.path("p.csv"));
    REQUIRE(rows.size() == 2);
    // At x = 2 the model interpolates its neighbours (2 and 2.5, times 1e-100), not the value told with the huge sd.
    const double mean = std::stod(rows[1][1]), scale = name == "tiny.csv" ? 1e-100 : 1.0;
    CHECK(mean / scale > 1.9);
    CHECK(mean / scale < 2.6);
  }
}
