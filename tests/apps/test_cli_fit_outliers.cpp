// gpbo fit --outliers: gross errors in a table's targets are found by row and line, the model
// fitted without their pull predicts held-out data about as well as one fitted to clean data.
// configs/data/friedman_outliers.csv is friedman_train.csv with 40, -25, 30 and -35 added to the
// targets of data rows 5, 17, 60 and 99.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

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
  // gpbo show scores the saved model as the fit did, over the rows not flagged (it scored all:
  // rmse 5.64 beside the fit's 1.21), and lists them.
  const auto loo_line = [](const std::string& text) {
    const auto at = text.find("leave-one-out");
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
  };
  const auto show = sh(cli + " show --model " + s.path("robust.json"));
  INFO(show.output);
  CHECK(loo_line(robust.output).find("(over the 146 rows not flagged as outliers)") != std::string::npos);
  CHECK(loo_line(show.output) == loo_line(robust.output));
  CHECK(show.output.find("outliers: 4 rows given their own noise variance: data rows 5, 17, 60, 99 (0-based)") !=
        std::string::npos);
  const auto json = sh(cli + " show --model " + s.path("robust.json") + " --json");
  CHECK(json.output.find("\"outliers\":[5,17,60,99]") != std::string::npos);
  const double with = rmse("robust.json"), without = rmse("plain.json");
  INFO("held-out rmse with --outliers " << with << ", without " << without);
  CHECK(with < 1.3);  // a fit to the clean table: 1.06
  CHECK(without > 1.5 * with);

  const auto clean = sh(cli + " fit --data " + data + "friedman_train.csv --outliers --out " + s.path("clean.json"));
  CHECK(clean.output.find("outliers: none found\n") != std::string::npos);
}

TEST_CASE("e2e: gpbo fit --outliers with one gross error fits as the clean table does") {
  // The refit kept the targets' standardization with the error in it: test rmse 2.32 at 1e5,
  // 7.3e19 at 1e30 (clean: 1.06), the noise at its floor and a note that the data look noise-free.
  Scratch s("fit_gross_error");
  const std::string data = std::string(GPBO_SOURCE_DIR) + "/configs/data/";
  std::ifstream in(data + "friedman_train.csv");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 151);
  const auto with_target = [&](const std::string& value) {  // line 11's target replaced
    std::string text;
    for (std::size_t i = 0; i < lines.size(); ++i)
      text += (i == 10 ? lines[i].substr(0, lines[i].rfind(',') + 1) + value : lines[i]) + "\n";
    return s.write("spike_" + value + ".csv", text);
  };
  for (const std::string value : {"1e5", "1e30"}) {
    const std::string spiked = with_target(value);
    const auto fit = sh(cli + " fit --data " + spiked + " --outliers --out " + s.path("m.json"));
    INFO(fit.output);
    REQUIRE(fit.status == 0);
    CHECK(fit.output.find("outliers: 1 row given its own noise variance: line 11 of " + spiked) != std::string::npos);
    CHECK(fit.output.find("noise-free") == std::string::npos);
    // Scored over all rows, the flagged one's residual was the rmse (81648.5 at 1e6).
    CHECK(number_after(fit.output, "leave-one-out (over the 149 rows not flagged as outliers): rmse ") < 2.0);
    const auto p = sh(cli + " predict --model " + s.path("m.json") + " --data " + data + "friedman_test.csv --out " + s.path("p.csv"));
    INFO(p.output);
    CHECK(number_after(p.output, "test targets present: rmse ") < 1.2);
  }
  const std::string far = with_target("1e120");
  const auto refused = sh(cli + " fit --data " + far + " --outliers --out " + s.path("m.json"));
  INFO(refused.output);
  CHECK(refused.status == 2);
  CHECK(refused.output.find(far + ":11:6: target 1e+120 lies more than 1e100 standard deviations of the other rows") !=
        std::string::npos);
}

TEST_CASE("e2e: gpbo fit --outliers refuses by line a target whose outlier variance overflows") {
  // Targets near 1e100 and one at 1e155: its squared residual was inf, so other rows were flagged
  // and the model's leave-one-out rmse was inf.
  Scratch s("fit_outlier_overflow");
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/configs/data/friedman_train.csv");
  std::ostringstream out;
  std::string line;
  for (int no = 1; std::getline(in, line); ++no) {
    const auto comma = line.rfind(',');
    out << (no == 1 ? line : line.substr(0, comma + 1) + (no == 11 ? "1e155" : line.substr(comma + 1) + "e100")) << '\n';
  }
  const auto data = s.write("huge.csv", out.str());
  const auto r = sh(cli + " fit --data " + data + " --outliers --out " + s.path("m.json"));
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(data + ":11:6: target 1e+155 lies ") != std::string::npos);
  CHECK(r.output.find("its variance as an outlier overflows the data's units") != std::string::npos);
}

TEST_CASE("e2e: gpbo fit --outliers names the column when the inliers vary too little to standardize") {
  // Targets 0, 1e-160 and 2e-160 with one at 1: the refit standardizes the inliers, whose sd has
  // no representable variance; the library's message came without the file or column.
  Scratch s("fit_outlier_tiny_inliers");
  std::ostringstream out;
  out << "x,y\n";
  for (int i = 0; i < 30; ++i) out << i / 29.0 << ',' << (i == 11 ? 1.0 : (i % 3) * 1e-160) << '\n';
  const auto data = s.write("tiny.csv", out.str());
  const auto r = sh(cli + " fit --data " + data + " --outliers --out " + s.path("m.json"));
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(data + ", column 'y': without the rows flagged as outliers, the outputs vary too little") !=
        std::string::npos);
}
