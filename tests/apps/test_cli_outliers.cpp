// optimizer.outliers = "detect" end to end: a training script whose logger now and then reports
// a loss of 0 (configs/outliers.json), the summaries of gpbo tune and gpbo show, a bad setting.
#include <catch2/catch.hpp>

#include <cmath>

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

TEST_CASE("e2e: gpbo tell's summary marks a best value that is flagged as an outlier") {
  Scratch s("tell_outliers");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 30,
                                          "optimizer": {"outliers": "detect"}})");
  const auto state = s.path("state.json");
  // The first suggestion and 16 points never asked, all told exact values of sin(5x) + x; the
  // next ask fits the model, and its suggestion is told a value 50 too low.
  const auto f = [](double x) { return std::sin(5.0 * x) + x; };
  const auto first = sh(cli + " ask --state " + state + " --config " + cfg);
  REQUIRE(first.status == 0);
  std::string lines = "{\"id\": 0, \"value\": " + std::to_string(f(nlohmann::json::parse(first.output)["params"]["x"])) + "}\n";
  for (int i = 0; i < 16; ++i) {
    const double x = (i + 0.5) / 16.0;
    lines += "{\"params\": {\"x\": " + std::to_string(x) + "}, \"value\": " + std::to_string(f(x)) + "}\n";
  }
  REQUIRE(sh("printf '" + lines + "' | " + cli + " tell --state " + state).status == 0);
  const auto next = sh(cli + " ask --state " + state);
  REQUIRE(next.status == 0);
  const auto id = nlohmann::json::parse(next.output)["id"].get<int>();
  const auto told = sh("echo '{\"id\": " + std::to_string(id) + ", \"value\": -50}' | " + cli + " tell --state " + state);
  INFO(told.output);
  CHECK(told.status == 0);
  CHECK(told.output.find("gpbo tell: recorded 1 result; 18 evaluations, best -50 (id " + std::to_string(id) +
                         ", flagged an outlier)") != std::string::npos);
}
