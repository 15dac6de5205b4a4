// optimizer.outliers = "detect" end to end: a training script whose logger now and then reports
// a loss of 0 (configs/outliers.json), the summaries of gpbo tune and gpbo show, a bad setting.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"

using namespace cli_test;

TEST_CASE("e2e: configs/outliers.json flags the glitched runs and recommends a real one") {
  Scratch s("outliers");
  const auto r = tune_example(s, "outliers.json", "run");
  INFO(r.output);
  REQUIRE(r.status == 0);
  // The script glitches at evaluations 4, 12 and 25 (its --glitch-rate 0.1 by GPBO_EVAL_ID).
  std::vector<std::string> glitched;
  for (const auto& row : csv_records(s.path("run/results.csv")))
    if (std::stod(row.at("value")) == 0.0) glitched.push_back(row.at("id"));
  CHECK(glitched == std::vector<std::string>{"4", "12", "25"});
  CHECK(r.output.find("best value 0 at evaluation 4 (flagged an outlier)\n") != std::string::npos);
  CHECK(r.output.find("outliers: 3 values flagged, each given its own noise (evaluations 4, 12, 25)\n") != std::string::npos);
  // The model's pick is a real run near the script's optimum (loss 0.38 at lr 3.16e-3, dropout 0.2).
  const double recommended = number_after(r.output, "recommended (best posterior mean): evaluation ");
  const double observed = number_after(r.output, ", observed value ");
  CHECK(recommended != 4.0);
  CHECK(observed == Approx(0.38).margin(0.005));

  const auto show = sh(cli + " show --state " + s.path("run/state.json"));
  INFO(show.output);
  CHECK(show.output.find("outliers: 3 values flagged, each given its own noise (evaluations 4, 12, 25)\n") != std::string::npos);
  const auto json = sh(cli + " show --state " + s.path("run/state.json") + " --json");
  REQUIRE(json.status == 0);
  CHECK(nlohmann::json::parse(json.output)["outliers"] == nlohmann::json::array({4, 12, 25}));
}

TEST_CASE("e2e: without outliers: detect, show says nothing of outliers and its JSON lists none") {
  Scratch s("no_outliers");
  const auto r = tune_into_run(s, objective_config(s, R"("budget": 12, "seed": 1)"));
  REQUIRE(r.status == 0);
  CHECK(r.output.find("outliers:") == std::string::npos);
  const auto json = sh(cli + " show --state " + s.path("run/state.json") + " --json");
  CHECK(nlohmann::json::parse(json.output)["outliers"] == nlohmann::json::array());
}

TEST_CASE("e2e: a bad optimizer.outliers is refused with its path and the choices") {
  Scratch s("bad_outliers");
  const auto cfg = objective_config(s, R"("optimizer": {"outliers": "detct"}, "budget": 5)");
  expect_output(cli + " tune " + cfg + " --out " + s.path("run"), 2,
                "/optimizer/outliers: expected one of off, detect, got \"detct\" (did you mean \"detect\"?)");
}
