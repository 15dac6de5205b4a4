// End-to-end tests of `gpbo tune`'s refusals: bad configs, states that do not match, bad
// overrides and a run directory in use, each with its exit status and message.
#include <catch2/catch.hpp>

#include <functional>
#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"
#include "gpbo/core/durable_file.hpp"

using namespace cli_test;

TEST_CASE("e2e: a config whose parameters are all fixed names the file and /space") {
  // Before: "gpbo: Optimizer: every parameter is fixed", without file or JSON path.
  Scratch s("all_fixed");
  const auto cfg = s.write("c.json", R"({"space": {"a": {"type": "fixed", "value": 1}}, "budget": 3})");
  const auto r = sh(cli + " ask --state " + s.path("s.json") + " --config " + cfg);
  CHECK(r.status == 2);
  CHECK(r.output.find("c.json: /space: every parameter is fixed: nothing to tune") != std::string::npos);
}

TEST_CASE("e2e: a config that spells the same space another way continues its state") {
  // "float" for "real" and "scale": "log" for "log": true were "a different config" at /space.
  Scratch s("synonyms");
  const auto cfg = s.write("c.json", R"({"space": {"lr": {"type": "real", "low": 1e-4, "high": 0.1, "log": true}}, "budget": 5})");
  const auto same = s.write("same.json", R"({"space": {"lr": {"type": "float", "low": 0.0001, "high": 0.1, "scale": "log"}}, "budget": 5})");
  const auto other = s.write("other.json", R"({"space": {"lr": {"type": "float", "low": 0.0001, "high": 0.2, "scale": "log"}}, "budget": 5})");
  const auto state = s.path("state.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + cfg).status == 0);
  CHECK(sh(cli + " ask --state " + state + " --config " + same).status == 0);
  const auto r = sh(cli + " ask --state " + state + " --config " + other);
  CHECK(r.status == 2);
  CHECK(r.output.find("made from a different config (they differ at /space/lr/high)") != std::string::npos);
}

TEST_CASE("e2e: a config whose list grew names the list, not JSON Patch's end-of-array token") {
  // A condition's values or a parameter's choices appended to were reported at /space/mom/when/opt/-.
  Scratch s("grown_list");
  const auto cfg = s.write("c.json", R"({"space": {"opt": {"type": "categorical", "choices": ["sgd", "adam"]},
    "mom": {"type": "real", "low": 0, "high": 1, "when": {"opt": ["sgd"]}}}, "budget": 5})");
  const auto grown = s.write("g.json", R"({"space": {"opt": {"type": "categorical", "choices": ["sgd", "adam"]},
    "mom": {"type": "real", "low": 0, "high": 1, "when": {"opt": ["sgd", "adam"]}}}, "budget": 5})");
  const auto state = s.path("state.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + cfg).status == 0);
  const auto r = sh(cli + " ask --state " + state + " --config " + grown);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find("made from a different config (they differ at /space/mom/when/opt);") != std::string::npos);
}

TEST_CASE("e2e: state files that are corrupt or from another config are refused and left untouched") {
  Scratch s("state");
  const auto cfg = write_unit_interval_config(s);
  const auto other = s.write("d.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 2}}, "budget": 5})");
  const auto state = s.path("state.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + cfg).status == 0);
  const auto before = gpbo::read_file(state);
  const auto r = sh(cli + " ask --state " + state + " --config " + other);
  CHECK(r.status == 2);
  CHECK(r.output.find("made from a different config (they differ at /space/x/high)") != std::string::npos);
  CHECK(gpbo::read_file(state) == before);
  s.write("state.json", "{\"format\": \"gpbo.run\", trunc");
  const auto c = sh(cli + " tell --state " + state + " --id 0 --value 1");
  CHECK(c.status == 2);
  CHECK(c.output.find(state + ":1:27: invalid JSON: ") != std::string::npos);
  CHECK(c.output.find("(corrupt or truncated state file; it was left untouched)") != std::string::npos);
  CHECK(gpbo::read_file(state) == "{\"format\": \"gpbo.run\", trunc");
}

TEST_CASE("e2e: hand-edited state fields are refused with their JSON path, not as internal errors") {
  // Before: "version": {} was an internal error; a status of "zz", or "failed" beside a value,
  // was taken and copied into results.csv; wrong types gave json.exception texts without a path.
  Scratch s("state_fields");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 3, "seed": 1})");
  REQUIRE(sh(cli + " tune " + cfg + " --out " + s.path("run") + " --quiet").status == 0);
  const std::string state = s.path("run/state.json");
  const nlohmann::json good = nlohmann::json::parse(gpbo::read_file(state));
  const auto refused = [&](const std::string& pointer, const nlohmann::json& value, const std::string& message) {
    nlohmann::json bad = good;
    bad[nlohmann::json::json_pointer(pointer)] = value;
    gpbo::write_file_atomically(state, bad.dump());
    const auto r = sh(cli + " show --state " + state);
    INFO(pointer << " = " << value.dump() << ": " << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(message) != std::string::npos);
    CHECK(r.output.find("internal error") == std::string::npos);
    CHECK(r.output.find("json.exception") == std::string::npos);
  };
  refused("/version", nlohmann::json::object(), state + ": /version: expected 1, got {}");
  refused("/version", "1", state + ": /version: expected 1, got \"1\"");
  refused("/evaluations/1/status", "zz", "/evaluations/1/status: expected one of ok, failed, crashed, timeout, bad_output, running; got \"zz\"");
  refused("/evaluations/1/status", "failed", "/evaluations/1/status: \"failed\" disagrees with trial 1, which is ok in /optimizer");
  refused("/evaluations/1/seconds", "slow", "/evaluations/1/seconds: expected a number >= 0");
  refused("/evaluations/1/reason", 3, "/evaluations/1/reason: expected a string");
  refused("/evaluations/1", 3, "/evaluations/1: expected an object, got 3");
  refused("/evaluations/7", good["evaluations"]["1"], "/evaluations/7: expected the id of one of the optimizer's 3 trials");
  refused("/config", 3, state + ": /config: expected an object");
  // Unknown keys were dropped at the next save: a misspelt hand edit vanished without a word.
  refused("/evaluatons", nlohmann::json::object(), state + ": /evaluatons: unknown key \"evaluatons\" (did you mean \"evaluations\"?)");
  refused("/evaluations/1/note", "rerun", "/evaluations/1/note: unknown key \"note\"");
  // The options the run was started with: "x" was a json type error (exit 1), 1e300 a budget
  // wrapped to -9223372036854775808 and blamed on the config file.
  refused("/command_line/budget", "x", state + ": malformed state: /command_line/budget: expected an integer from 1 to 100000000, got \"x\"");
  refused("/command_line/budget", 1e300, "/command_line/budget: expected an integer from 1 to 100000000, got 1e+300");
  refused("/command_line/workers", 0, "/command_line/workers: expected an integer from 1 to 4096, got 0");
  refused("/command_line/seed", -1, "/command_line/seed: expected an integer from 0 to 18446744073709551615, got -1");
  refused("/command_line/bogus", 1, "/command_line/bogus: unknown key");
  // An evaluation's record deleted: --resume refuses (it rewrote the row as "failed" without
  // its time), and so do ask and tell (they made the record up: started now, 0 seconds); show
  // still reads the state, writing nothing.
  nlohmann::json no_record = good;
  no_record["evaluations"].erase("1");
  gpbo::write_file_atomically(state, no_record.dump());
  for (const std::string& writer : {cli + " tune " + cfg + " --out " + s.path("run") + " --resume --budget 4",
                                    cli + " ask --state " + state, cli + " tell --state " + state + " --id 2 --value 1"}) {
    const auto r = sh(writer);
    INFO(writer << ": " << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(state + ": /evaluations: no record of evaluation 1, which this run started") != std::string::npos);
  }
  CHECK(gpbo::read_file(state) == no_record.dump());
  CHECK(sh(cli + " show --state " + state).status == 0);
}

TEST_CASE("e2e: a state whose /optimizer/space was edited is refused on --resume and by ask --config") {
  // Before, the edited space (with the trials' encodings edited to match) was used: the resumed
  // run evaluated x = 2, outside the configured [0, 1].
  Scratch s("edited_space");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
                                          "objective": {"command": ["echo", "{x}"]}, "budget": 2})");
  REQUIRE(tune_into_run(s, cfg).status == 0);
  auto state = nlohmann::json::parse(gpbo::read_file(s.path("run/state.json")));
  state["optimizer"]["space"]["x"]["high"] = 2.0;
  for (auto& t : state["optimizer"]["trials"]) t["u"][0] = t["point"]["x"].get<double>() / 2;
  const auto edited = state.dump(1);
  s.write("run/state.json", edited);
  const std::string message = s.path("run/state.json") +
                              ": /optimizer/space/x/high: the state has 2.0 where the config's space has 1.0; "
                              "refusing to use or overwrite a state that searches another space";
  const auto resumed = tune_into_run(s, cfg, "--resume --budget 4");
  INFO(resumed.output);
  CHECK(resumed.status == 2);
  CHECK(resumed.output.find(message) != std::string::npos);
  CHECK(gpbo::read_file(s.path("run/state.json")) == edited);
  const auto cfg_no_objective = s.write("a.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 2})");
  const auto fresh = s.path("fresh.json");
  REQUIRE(sh(cli + " ask --state " + fresh + " --config " + cfg_no_objective).status == 0);
  auto asked = nlohmann::json::parse(gpbo::read_file(fresh));
  asked["optimizer"]["space"]["x"]["low"] = -1.0;
  for (auto& t : asked["optimizer"]["trials"]) t["u"][0] = (t["point"]["x"].get<double>() + 1) / 2;
  s.write("fresh.json", asked.dump(1));
  const auto ask = sh(cli + " ask --state " + fresh + " --config " + cfg_no_objective);
  INFO(ask.output);
  CHECK(ask.status == 2);
  CHECK(ask.output.find(fresh + ": /optimizer/space/x/low: the state has -1.0 where the config's space has 0.0") != std::string::npos);
}

TEST_CASE("e2e: a state whose goal, outcome or linear constraints were edited is refused on --resume and by ask --config") {
  // Before, a goal edited to "maximize" was resumed and reported the worst value as the best; a
  // state without its linear constraints went on to suggest points that broke the config's.
  Scratch s("edited_objective");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}, "y": {"type": "real", "low": 0, "high": 1}},
                                          "parameter_constraints": [{"sum": {"x": 1, "y": 1}, "max": 1.5}],
                                          "constraints": [{"name": "m", "max": 2}],
                                          "objective": {"command": ["awk", "-v", "x={x}", "-v", "y={y}",
                                                                    "BEGIN{printf \"m: %.12g\\n%.12g\\n\", y, x}"]},
                                          "budget": 3})");
  REQUIRE(tune_into_run(s, cfg).status == 0);
  const auto good = nlohmann::json::parse(gpbo::read_file(s.path("run/state.json")));
  const auto refused = [&](const std::function<void(nlohmann::json&)>& edit, const std::string& message) {
    nlohmann::json state = good;
    edit(state);
    const auto edited = state.dump(1);
    s.write("run/state.json", edited);
    const auto resumed = tune_into_run(s, cfg, "--resume --budget 4");
    INFO(resumed.output);
    CHECK(resumed.status == 2);
    CHECK(resumed.output.find(s.path("run/state.json") + ": " + message) != std::string::npos);
    CHECK(gpbo::read_file(s.path("run/state.json")) == edited);
    const auto asked = sh(cli + " ask --state " + s.path("run/state.json") + " --config " + cfg);
    INFO(asked.output);
    CHECK(asked.status == 2);
    CHECK(asked.output.find(message) != std::string::npos);
  };
  refused([](nlohmann::json& j) { j["optimizer"]["options"]["goal"] = "maximize"; },
          "/optimizer/options/goal: the state has maximize where the config has minimize; refusing to use or overwrite a "
          "state that optimizes something else");
  refused([](nlohmann::json& j) { j["optimizer"]["options"]["constraints"][0]["max"] = 1.0; },
          "/optimizer/options/constraints: the state has m <= 1 where the config has m <= 2");
  refused([](nlohmann::json& j) { j["optimizer"].erase("parameter_constraints"); },
          "/optimizer/parameter_constraints: the state has nothing where the config's space has [");
  s.write("run/state.json", good.dump(1));
  CHECK(tune_into_run(s, cfg, "--resume --budget 4").status == 0);
}

TEST_CASE("e2e: --budget below the config's initial_points names --budget, not the config, as the budget's origin") {
  // Before: "c.json: /optimizer/initial_points: expected at most the budget (5)", for a config
  // whose budget is 50.
  Scratch s("budget_option");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 50, "optimizer": {"initial_points": 10}})");
  const auto r = tune_into_run(s, cfg, "--budget 5");
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find("c.json: /optimizer/initial_points: 10 initial points do not fit in the budget of 5 given by --budget; "
                      "raise --budget or lower initial_points") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "run"));
  CHECK(tune_into_run(s, cfg, "--budget 10").status == 0);
  // A budget in the file below its own initial_points is the file's mistake.
  const auto own = s.write("d.json", R"({"objective": {"builtin": "branin"}, "budget": 5, "optimizer": {"initial_points": 10}})");
  const auto mine = sh(cli + " tune " + own + " --out " + s.path("run2"));
  CHECK(mine.status == 2);
  CHECK(mine.output.find("d.json: /optimizer/initial_points: expected at most the budget (5)") != std::string::npos);
}

TEST_CASE("e2e: --budget, --seed and --workers do not hide a bad value of the key they override") {
  // Before: the run went ahead, and only a later --resume (without the overrides) met the error.
  Scratch s("override_checks");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": "30", "seed": "x"})");
  const auto r = tune_into_run(s, cfg, "--budget 3 --seed 1");
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find("c.json: /budget: expected an integer") != std::string::npos);
  CHECK_FALSE(fs::exists(s.dir / "run"));
  const auto seed = s.write("d.json", R"({"objective": {"builtin": "branin"}, "seed": 18446744073709551616})");
  const auto big = tune_into_run(s, seed, "--seed 1");
  INFO(big.output);
  CHECK(big.status == 2);
  CHECK(big.output.find("d.json: /seed: expected an integer from 0 to 18446744073709551615, got 1.8446744073709552e+19") !=
        std::string::npos);
  const auto workers = s.write("e.json", R"({"objective": {"builtin": "branin"}, "budget": 3, "workers": 0})");
  const auto w = tune_into_run(s, workers, "--workers 2");
  CHECK(w.status == 2);
  CHECK(w.output.find("e.json: /workers: expected an integer >= 1, got 0") != std::string::npos);
}

TEST_CASE("e2e: the README's config error messages are the ones gpbo prints") {
  // The README said keys given twice were reported with line and column; the message names the
  // object's JSON path instead.
  Scratch s("readme_errors");
  const auto readme = gpbo::read_file(std::string(GPBO_SOURCE_DIR) + "/README.md");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"objective": {"builtin": "branin"}, "budgett": 3})", R"(c.json: /budgett: unknown key "budgett" (did you mean "budget"?))"},
      {R"({"objective": {"builtin": "branin"}, "budget": 3, "budget": 30})", R"(c.json: key "budget" appears twice in the object at /)"},
  };
  for (const auto& [text, message] : cases) {
    s.write("c.json", text);
    const auto r = sh("cd " + s.dir.string() + " && " + cli + " tune c.json --out run");
    INFO(r.output);
    CHECK(r.output == "gpbo tune: " + message + "\n");
    CHECK(readme.find("`" + message + "`") != std::string::npos);
  }
  CHECK(readme.find("keys given twice name the line and column") == std::string::npos);
}

TEST_CASE("e2e: malformed configs exit with status 2 and name the JSON path before any evaluation") {
  Scratch s("configs");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"objective": {"builtin": "branin"}, "budgett": 3})", "/budgett: unknown key \"budgett\" (did you mean \"budget\"?)"},
      {R"({"objective": {"builtin": "branin"}, "budget": "3"})", "/budget: expected an integer"},
      {R"({"space": {"x": {"type": "real", "low": 1, "high": 0}}, "objective": {"command": ["true"]}})", "/space/x"},
      {R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "objective": {"command": ["run", "{y}"]}})",
       "/objective/command: placeholder {y} names no parameter"},
      {R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "objective": {}})", "/objective: expected exactly one of"},
      {R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "objective": {"command": []}})",
       "/objective/command: expected a non-empty array"},
      {R"({"objective": {"builtin": "branin"}, "goal": "min"})", "/goal: expected one of minimize, maximize"},
      {R"({"objective": {"builtin": "branin"} )", "bad.json:1:37: invalid JSON: "},
      {R"({"space": {"x": {"type": "real", "low": 0, "high": 1e999}}, "objective": {"command": ["true"]}})",
       "bad.json:1:52: number 1e999 is out of the range of a double"},
      {R"({"objective": {"builtin": "branin"}, "budget": 3, "budget": 30})", "key \"budget\" appears twice in the object at /"},
  };
  for (const auto& [text, message] : cases) {
    const auto cfg = s.write("bad.json", text);
    const auto r = sh(cli + " tune " + cfg + " --out " + s.path("run"));
    INFO(text << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(message) != std::string::npos);
    CHECK_FALSE(fs::exists(s.dir / "run"));
  }
}

TEST_CASE("e2e: a running tune holds its state: a second tune, ask and tell fail at once with status 2") {
  // Before, a second `tune --resume` ran the pending evaluation again, and a tell was accepted
  // and then lost when the run saved its state.
  Scratch s("inuse");
  // Each evaluation is logged, then waits until the test opens the gate.
  s.write_script("objective.sh", "#!/bin/sh\necho \"$1\" >> evaluations.txt\nwhile [ ! -e gate ]; do sleep 0.05; done\necho 1\n");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 2})");
  const std::string state = s.path("run/state.json");
  const std::string second = "timeout 30 " + cli + " tune " + cfg + " --out " + s.path("run") + " --resume --quiet";
  const auto r = sh("cd " + s.dir.string() + " && (" + cli + " tune " + cfg + " --out " + s.path("run") + " --quiet > first.txt 2>&1 & pid=$!; " +
                    "i=0; while [ ! -e evaluations.txt ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; echo first=$pid; " +
                    second + "; echo second=$?; timeout 30 " + cli + " tune " + cfg + " --out " + s.path("run") +
                    " --check > check.txt 2>&1; echo check=$?; timeout 30 " + cli + " tune " + cfg + " --out " + s.path("run") +
                    " --check --resume > check_resume.txt 2>&1; echo check_resume=$?; timeout 30 " + cli + " tell --state " + state + " --id 0 --value 5; echo tell=$?; " +
                    "timeout 30 " + cli + " ask --state " + state + "; echo ask=$?; touch gate; wait $pid; echo status=$?)");
  INFO(r.output << gpbo::read_file(s.path("first.txt")));
  const auto pid = r.output.substr(r.output.find("first=") + 6, r.output.find('\n', r.output.find("first=")) - r.output.find("first=") - 6);
  CHECK(r.output.find("gpbo tune: run directory " + s.path("run") + " is in use by another gpbo process (pid " + pid + ")") != std::string::npos);
  CHECK(r.output.find("second=2") != std::string::npos);
  // --check refuses as a start would (it advised --resume, which the lock then refused).
  CHECK(r.output.find("check=2") != std::string::npos);
  CHECK(r.output.find("check_resume=2") != std::string::npos);
  CHECK(gpbo::read_file(s.path("check_resume.txt")).find("is in use by another gpbo process (pid " + pid + ")") != std::string::npos);
  CHECK(gpbo::read_file(s.path("check.txt")).find("run directory " + s.path("run") + " is in use by another gpbo process (pid " + pid + ")") !=
        std::string::npos);
  CHECK(r.output.find("gpbo tell: " + state + " is in use by a running gpbo tune (pid " + pid + "): ask and tell can use it once that run ends") !=
        std::string::npos);
  CHECK(r.output.find("tell=2") != std::string::npos);
  CHECK(r.output.find("ask=2") != std::string::npos);
  CHECK(r.output.find("status=0") != std::string::npos);
  // Each point was evaluated once, and the state has the run's values, not the told 5.
  CHECK(csv_rows(s.path("evaluations.txt")).size() == 2);
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 3);
  CHECK(rows[1][2] == "1");
  CHECK(rows[2][2] == "1");
}
