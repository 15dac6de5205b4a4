// End to end: objectives that report each value's noise sd (a command's "result": {"sd": ...},
// a built-in's "report_sd"), results.csv's value_sd column, and a warm start that reads it.
#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"
#include "gpbo/core/durable_file.hpp"

using namespace cli_test;

TEST_CASE("e2e: configs/known_noise.json reads each fold-averaged loss with its standard error into the model") {
  Scratch s("known_noise");
  const auto r = tune_example(s, "known_noise.json", "run");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_records(s.path("run/results.csv"));
  REQUIRE(rows.size() == 30);
  for (const auto& row : rows) {
    REQUIRE(row.count("value_sd"));
    CHECK(std::stod(row.at("value_sd")) > 0);  // train_model.sh --cv-folds 5 prints one each time
    CHECK(std::stod(row.at("value")) > 0.25);  // val_loss, not the sd printed after it
  }
  const auto state = nlohmann::json::parse(gpbo::read_file(s.path("run/state.json")));
  std::size_t with_sd = 0;
  for (const auto& t : state["optimizer"]["trials"]) with_sd += t.value("noise_sd", 0.0) > 0;
  CHECK(with_sd == 30);
  CHECK(gpbo::read_file(s.path("run/log.txt")).find(" +- ") != std::string::npos);
  // The README's run: the lucky best observation, and the model's pick, each with its sd.
  CHECK(r.output.find("best value 0.267482 +- 0.013332 at evaluation 10\n") != std::string::npos);
  CHECK(r.output.find("recommended (best posterior mean): evaluation 24, observed value 0.325499 +- 0.013118\n") != std::string::npos);

  // A later run warm-started from these results tells the same values with the same sds.
  const auto cfg = nlohmann::json::parse(gpbo::read_file(std::string(GPBO_SOURCE_DIR) + "/configs/known_noise.json"));
  auto next = cfg;
  next.erase("$schema");
  next["warm_start"] = s.path("run/results.csv");
  next["budget"] = 32;
  next["objective"]["command"][0] = std::string(GPBO_SOURCE_DIR) + "/configs/objectives/train_model.sh";
  const auto warm = sh(cli + " tune " + s.write("next.json", next.dump()) + " --out " + s.path("next") + " --quiet");
  INFO(warm.output);
  REQUIRE(warm.status == 0);
  const auto told = csv_records(s.path("next/results.csv"));
  REQUIRE(told.size() == 32);
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(told[i].at("value_sd") == rows[i].at("value_sd"));
}

TEST_CASE("e2e: a built-in with report_sd tells its noise sd; a bad sd on stdout makes bad_output with the reason") {
  Scratch s("report_sd");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin", "noise_sd": 0.5, "report_sd": true}, "budget": 12, "seed": 4})");
  const auto r = tune_into_run(s, cfg);
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_records(s.path("run/results.csv"));
  REQUIRE(rows.size() == 12);
  for (const auto& row : rows) CHECK(row.at("value_sd") == "0.5");

  s.write_script("sd.sh", "#!/bin/sh\necho \"loss $1\"\nawk -v x=\"$1\" 'BEGIN { print \"loss_sd:\", x - 0.5 }'\n");
  const auto bad = s.write("bad.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./sd.sh", "{x}"], "result": {"sd": "loss_sd"}}, "budget": 8, "seed": 1})");
  const auto run = sh(cli + " tune " + bad + " --out " + s.path("bad") + " --quiet");
  INFO(run.output);
  const auto results = csv_records(s.path("bad/results.csv"));
  REQUIRE(results.size() == 8);
  std::size_t ok = 0, refused = 0;
  for (const auto& row : results) {
    const double x = std::stod(row.at("x"));
    if (row.at("status") == "ok") {
      ++ok;
      CHECK(x >= 0.5);
      CHECK(std::stod(row.at("value_sd")) == Approx(x - 0.5).margin(1e-6));
    } else {
      ++refused;
      CHECK(row.at("status") == "bad_output");
      CHECK(row.at("reason").find("bad_output: noise sd 'loss_sd' is -") != std::string::npos);  // quoted: it has a comma
      CHECK(row.at("value_sd").empty());
    }
  }
  CHECK(ok > 0);
  CHECK(refused > 0);
}

TEST_CASE("e2e: gpbo show --csv has a value_sd column once a value was told with its sd") {
  Scratch s("show_sd");
  const auto state = s.path("state.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + write_unit_interval_config(s) + " -n 2").status == 0);
  REQUIRE(sh(cli + " tell --state " + state + " --id 0 --value 1.5").status == 0);
  REQUIRE(sh(cli + " show --state " + state + " --csv " + s.path("before.csv")).status == 0);
  CHECK(csv_records(s.path("before.csv")).at(0).count("value_sd") == 0);
  REQUIRE(sh(cli + " tell --state " + state + " --id 1 --value 2.5 --sd 0.25").status == 0);
  REQUIRE(sh(cli + " show --state " + state + " --csv " + s.path("after.csv")).status == 0);
  const auto rows = csv_records(s.path("after.csv"));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].at("value_sd").empty());
  CHECK(rows[1].at("value_sd") == "0.25");
}
