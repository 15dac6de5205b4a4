// gpbo fit --outliers: gross errors in a table's targets are found by row and line, the model
// fitted without their pull predicts held-out data about as well as one fitted to clean data.
// configs/data/friedman_outliers.csv is friedman_train.csv with 40, -25, 30 and -35 added to the
// targets of data rows 5, 17, 60 and 99.
#include <catch2/catch.hpp>

#include "cli_test_util.hpp"

using namespace cli_test;


TEST_CASE("e2e: gpbo fit --outliers finds corrupted targets and keeps them from pulling the model") {
  Scratch s("fit_outliers");
  const std::string data = std::string(GPBO_SOURCE_DIR) + "/configs/data/";
  const std::string bad = data + "friedman_outliers.csv", test = data + "friedman_test.csv";
  const auto robust = sh(cli + " fit --data " + bad + " --outliers --out " + s.path("robust.json"));
  INFO(robust.output);
  REQUIRE(robust.status == 0);
  // Data rows 5, 17, 60 and 99 are the file's lines 7, 19, 62 and 101.
  CHECK(robust.output.find("outliers: 4 rows given their own noise variance: lines 7, 19, 62, 101 of " + bad) !=
        std::string::npos);
  REQUIRE(sh(cli + " fit --data " + bad + " --out " + s.path("plain.json")).status == 0);
  const auto rmse = [&](const std::string& model) {
    const auto p = sh(cli + " predict --model " + s.path(model) + " --data " + test + " --out " + s.path("p.csv"));
    INFO(p.output);
    return number_after(p.output, "test targets present: rmse ");
  };
  const double with = rmse("robust.json"), without = rmse("plain.json");
  INFO("held-out rmse with --outliers " << with << ", without " << without);
  CHECK(with < 1.3);  // a fit to the clean table: 1.06
  CHECK(without > 1.5 * with);

  const auto clean = sh(cli + " fit --data " + data + "friedman_train.csv --outliers --out " + s.path("clean.json"));
  CHECK(clean.output.find("outliers: none found\n") != std::string::npos);
}
