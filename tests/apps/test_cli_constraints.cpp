// End-to-end tests of outcome constraints in the CLI: `gpbo tune` on a command that prints
// constraint values, the built-in example config, resume and warm start, and ask/tell.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"
#include "gpbo/core/durable_file.hpp"

using namespace cli_test;

namespace {

// (x - 0.3)^2 + (y - 0.6)^2 on the unit square, with mem = 100 + 400 x on a JSON line and
// acc = 1 - y / 2 on a text line; `mem_max` 180 makes x <= 0.2 feasible (the optimum is not).
std::string constrained_config(const Scratch& s, int budget, double mem_max) {
  s.write_script("objective.sh",
                 "#!/bin/sh\nawk -v x=\"$1\" -v y=\"$2\" 'BEGIN{printf \"{\\\"loss\\\": %.6f, \\\"mem\\\": %.4f}\\n\", "
                 "(x-0.3)^2 + (y-0.6)^2, 100 + 400*x; print \"acc = \" 1 - y/2}'\n");
  return s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}, "y": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}", "{y}"], "result": {"type": "json_key", "key": "loss"}},
    "constraints": [{"name": "mem", "max": )" + std::to_string(mem_max) + R"(}, {"name": "acc", "min": 0.5}],
    "budget": )" + std::to_string(budget) + R"(, "seed": 2})");
}

}  // namespace

TEST_CASE("e2e: a command's constraint values fill results.csv, mark infeasible results, and the best is feasible") {
  Scratch s("constrained");
  const auto r = sh(cli + " tune " + constrained_config(s, 12, 180) + " --out " + s.path("run"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto header = csv_rows(s.path("run/results.csv")).front();
  CHECK(header == std::vector<std::string>{"id", "x", "y", "value", "mem", "acc", "feasible", "status", "seconds", "start_time",
                                           "reason"});
  const auto rows = csv_records(s.path("run/results.csv"));
  REQUIRE(rows.size() == 12);
  std::size_t infeasible = 0, best_id = 0;
  double best = 1e300;
  for (const auto& row : rows) {
    INFO(row.at("id"));
    REQUIRE(row.at("status") == "ok");
    const bool meets = std::stod(row.at("mem")) <= 180 && std::stod(row.at("acc")) >= 0.5;
    CHECK(row.at("feasible") == (meets ? "true" : "false"));
    infeasible += !meets;
    if (meets && std::stod(row.at("value")) < best) {
      best = std::stod(row.at("value"));
      best_id = std::stoul(row.at("id"));
    }
  }
  REQUIRE(infeasible > 0);
  REQUIRE(best < 1e300);
  CHECK(r.output.find("12 evaluations (0 failed, " + std::to_string(infeasible) + " infeasible)") != std::string::npos);
  // The summary's best is the best feasible result, with its constraint values.
  CHECK(r.output.find("best value " + rows[best_id].at("value") + " at evaluation " + std::to_string(best_id) + "\n") !=
        std::string::npos);
  CHECK(r.output.find("  constraints: mem=") != std::string::npos);
  // Eval lines show the values and mark a result that breaks a constraint.
  CHECK(r.output.find("[mem=") != std::string::npos);
  CHECK(r.output.find("INFEASIBLE: breaks mem <= 180") != std::string::npos);
  CHECK(gpbo::read_file(s.path("run/convergence.svg")).find("#e08a1e") != std::string::npos);
  const auto shown = sh(cli + " show --state " + s.path("run/state.json") + " --json");
  INFO(shown.output);
  const auto j = nlohmann::json::parse(shown.output);
  CHECK(j["best"]["id"] == best_id);
  CHECK(j["best"]["constraints"]["mem"].get<double>() <= 180);

  // A later run warm-starts from this results.csv, constraint values and all; a CSV without a
  // constraint's column is refused with its file and line.
  const auto warm = s.write("warm.json", gpbo::read_file(s.path("c.json")).replace(0, 1, R"({"warm_start": "run/results.csv", )"));
  const auto second = sh(cli + " tune " + warm + " --out " + s.path("second") + " --budget 14 --quiet");
  INFO(second.output);
  REQUIRE(second.status == 0);
  const auto told = csv_records(s.path("second/results.csv"));
  REQUIRE(told.size() == 14);
  for (std::size_t i = 0; i < rows.size(); ++i) CHECK(told[i].at("mem") == rows[i].at("mem"));
  std::string no_acc;
  for (const auto& row : csv_rows(s.path("run/results.csv"))) no_acc += row[0] + "," + row[1] + "," + row[2] + "," + row[3] + "," + row[4] + "\n";
  s.write("run/results.csv", no_acc);
  const auto refused = sh(cli + " tune " + warm + " --out " + s.path("third"));
  CHECK(refused.status == 2);
  CHECK(refused.output.find(s.path("warm.json") + ": /warm_start: " + s.path("run/results.csv") +
                            ":1:1: no column 'acc' (the values of the constraint 0.5 <= acc)") != std::string::npos);
}

TEST_CASE("e2e: while no result meets the constraints, the summary says so; a missing value is bad_output") {
  Scratch s("infeasible");
  const auto r = sh(cli + " tune " + constrained_config(s, 3, 10) + " --out " + s.path("run"));
  INFO(r.output);
  CHECK(r.status == 0);  // the run itself went well
  CHECK(r.output.find("3 evaluations (0 failed, 3 infeasible)") != std::string::npos);
  CHECK(r.output.find("no result met the constraints yet (mem <= 10, 0.5 <= acc)\n") != std::string::npos);
  CHECK(r.output.find("best value") == std::string::npos);
  for (const auto& row : csv_records(s.path("run/results.csv"))) CHECK(row.at("feasible") == "false");
  const auto shown = sh(cli + " show --state " + s.path("run/state.json"));
  CHECK(shown.output.find("3 evaluations (0 failed, 3 infeasible), 0 pending") != std::string::npos);
  CHECK(shown.output.find("no result met the constraints yet (mem <= 10, 0.5 <= acc)") != std::string::npos);
  // An objective that does not print a constraint: each evaluation is bad_output, and says how.
  s.write_script("objective.sh", "#!/bin/sh\necho '{\"loss\": 0.5, \"mem\": 1}'\n");
  const auto missing = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("missing") + " --budget 2");
  INFO(missing.output);
  CHECK(missing.status == 3);
  CHECK(missing.output.find("FAILED bad_output: constraint 'acc' is not on stdout; print a line 'acc: VALUE' or a JSON "
                            "line {\"acc\": VALUE}") != std::string::npos);
  // One infeasible result, then failures: a success all the same, so five failures in a row do
  // not stop the run as "every evaluation failed".
  s.write_script("objective.sh", "#!/bin/sh\n[ -e done ] && exit 1\ntouch done\necho '{\"loss\": 0.5, \"mem\": 200, \"acc\": 1}'\n");
  const auto once = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("once") + " --budget 7 --quiet");
  INFO(once.output);
  CHECK(once.status == 0);
  CHECK(once.output.find("7 evaluations (6 failed, 1 infeasible) in ") != std::string::npos);
  CHECK(once.output.find("stopped: budget of 7 evaluations reached") != std::string::npos);
}

TEST_CASE("e2e: a constrained run resumed after it stopped continues as if it had never stopped") {
  Scratch s("constrained_resume");
  const auto cfg = constrained_config(s, 14, 180);
  REQUIRE(tune_into_run(s, cfg, "--budget 12").status == 0);
  const auto resumed = tune_into_run(s, cfg, "--resume --budget 14");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  REQUIRE(sh(cli + " tune " + cfg + " --out " + s.path("whole") + " --quiet").status == 0);
  auto points = [](const std::string& path) {
    auto rows = csv_rows(path);
    for (auto& row : rows) row.resize(7);  // id, x, y, value, mem, acc, feasible (not the times)
    return rows;
  };
  const auto a = points(s.path("run/results.csv")), b = points(s.path("whole/results.csv"));
  CHECK(a.size() == 15);
  CHECK(a == b);
  // The constraints are part of what the run optimizes: another bound is another run.
  s.write("c.json", gpbo::read_file(cfg).replace(gpbo::read_file(cfg).find("\"max\": 180"), 10, "\"max\": 200"));
  const auto other = tune_into_run(s, cfg, "--resume");
  CHECK(other.status == 2);
  CHECK(other.output.find("made from a different config (they differ at /constraints/0/max)") != std::string::npos);
}

TEST_CASE("e2e: configs/constrained.json and constrained_command.json report a feasible best") {
  Scratch s("spring");
  const auto r = tune_example(s, "constrained.json", "run");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("60 evaluations (0 failed, ") != std::string::npos);
  const auto rows = csv_records(s.path("run/results.csv"));
  REQUIRE(rows.size() == 60);
  double best = 1e300;
  for (const auto& row : rows)
    if (row.at("feasible") == "true") best = std::min(best, std::stod(row.at("value")));
  // Its constrained optimum is 0.0126652; the best feasible result is printed as the best.
  CHECK(best < 0.0135);
  CHECK(r.output.find("  constraints: deflection=") != std::string::npos);
  CHECK(r.output.find("(all met)\n") != std::string::npos);
  // configs/constrained_command.json: the training script's memory_mb line; 4 layers (0.30)
  // need 400 MB, so the best under 360 MB has 3 (0.32).
  const auto command = tune_example(s, "constrained_command.json", "command");
  INFO(command.output);
  REQUIRE(command.status == 0);
  CHECK(command.output.find("  layers           3\n") != std::string::npos);
  CHECK(command.output.find("  constraints: memory_mb=330 (all met)\n") != std::string::npos);
}

TEST_CASE("e2e: ask/tell with constraints: by name on a JSON line or --constraint; mistakes record nothing") {
  Scratch s("ask_tell_constraints");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "constraints": [{"name": "mem", "max": 512}, {"name": "acc", "min": 0.9}], "budget": 6})");
  const auto state = s.path("s.json");
  const auto asked = sh(cli + " ask --config " + cfg + " --state " + state + " -n 3");
  INFO(asked.output);
  REQUIRE(asked.status == 0);
  CHECK(asked.output.rfind("{\"id\":0,\"params\":{\"x\":", 0) == 0);  // ask's output is unchanged
  const auto tell = [&](const std::string& args) { return sh(cli + " tell --state " + state + " " + args); };
  const auto none = tell("--id 0 --value 1.5");
  CHECK(none.status == 2);
  CHECK(none.output.find("a result needs the value of every outcome constraint (mem <= 512, 0.9 <= acc): give "
                         "--constraint mem=VALUE --constraint acc=VALUE") != std::string::npos);
  const auto typo = tell("--id 0 --value 1.5 --constraint mem=400 --constraint acx=0.95");
  CHECK(typo.output.find("--constraint acx: unknown constraint (did you mean \"acc\"?)") != std::string::npos);
  CHECK(tell("--id 0 --value 1.5 --constraint mem=lots --constraint acc=1").output.find(
            "--constraint mem=lots: expected a number, got 'lots'") != std::string::npos);
  CHECK(tell("--id 0 --value 1.5 --constraint mem --constraint acc=1").output.find(
            "--constraint mem: expected NAME=VALUE with a number") != std::string::npos);
  CHECK(tell("--id 0 --value 1.5 --constraint mem=1e400 --constraint acc=1").output.find(
            "--constraint mem=1e400: expected a number within the double range, got '1e400'") != std::string::npos);
  CHECK(tell("--id 0 --failed oom --constraint mem=1").output.find("--constraint goes with --value") != std::string::npos);
  const auto infeasible = tell("--id 0 --value 0.5 --constraint mem=600 --constraint acc=0.95");
  INFO(infeasible.output);
  CHECK(infeasible.status == 0);
  CHECK(infeasible.output.find("1 evaluation, no result met the constraints yet (mem <= 512, 0.9 <= acc)") != std::string::npos);
  // JSON lines: "constraints" by name; one bad line and nothing is recorded.
  const auto bad = sh("printf '%s\\n' '{\"id\": 1, \"value\": 2.5, \"constraints\": {\"mem\": 300, \"acc\": 0.95}}' "
                      "'{\"id\": 2, \"value\": 1.0, \"constraints\": {\"mem\": \"big\", \"acc\": 0.95}}' | " +
                      cli + " tell --state " + state);
  CHECK(bad.status == 2);
  CHECK(bad.output.find("stdin line 2: /constraints/mem: expected a number, got \"big\"; nothing was recorded") != std::string::npos);
  const auto unknown = sh("echo '{\"id\": 1, \"value\": 2.5, \"constraints\": {\"mem\": 300, \"acc\": 0.95, \"gpu\": 1}}' | " +
                          cli + " tell --state " + state);
  CHECK(unknown.output.find("stdin line 1: /constraints/gpu: unknown constraint (this state's constraints: mem, acc)") !=
        std::string::npos);
  const auto missing = sh("echo '{\"id\": 1, \"value\": 2.5}' | " + cli + " tell --state " + state);
  CHECK(missing.output.find("stdin line 1: a result needs the value of every outcome constraint (mem <= 512, 0.9 <= acc): "
                            "give \"constraints\": {\"mem\": VALUE, \"acc\": VALUE}") != std::string::npos);
  const auto good = sh("printf '%s\\n' '{\"id\": 1, \"value\": 2.5, \"constraints\": {\"mem\": 300, \"acc\": 0.95}}' "
                       "'{\"params\": {\"x\": 0.5}, \"value\": 3.5, \"constraints\": {\"acc\": 0.99, \"mem\": 100}}' | " +
                       cli + " tell --state " + state);
  INFO(good.output);
  CHECK(good.status == 0);
  CHECK(good.output.find("recorded 2 results; 3 evaluations, best 2.5 (id 1)") != std::string::npos);  // not 0.5: infeasible
  const auto shown = sh(cli + " show --state " + state + " --csv " + s.path("all.csv"));
  CHECK(shown.output.find("3 evaluations (0 failed, 1 infeasible), 1 pending") != std::string::npos);
  const auto rows = csv_records(s.path("all.csv"));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].at("mem") == "600");
  CHECK(rows[0].at("feasible") == "false");
  CHECK(rows[1].at("feasible") == "true");
  CHECK(rows[2].at("status") == "pending");
  CHECK(rows[2].at("feasible").empty());
  CHECK(rows[3].at("acc") == "0.99");
  // A value that is not finite is a failed evaluation (a diverged run): it needs no constraint
  // values, as Optimizer::tell takes it, where the CLI asked for every one.
  const auto diverged = tell("--id 2 --value nan");
  INFO(diverged.output);
  CHECK(diverged.status == 0);
  CHECK(diverged.output.find("id 2: non-finite value nan recorded as a failure") != std::string::npos);
  CHECK(sh(cli + " show --state " + state).output.find("4 evaluations (1 failed, 1 infeasible)") != std::string::npos);
}
