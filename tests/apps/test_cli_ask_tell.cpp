// End-to-end tests of `gpbo ask`, `gpbo tell` and `gpbo show`: they run the real binary.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_test_util.hpp"
#include "gpbo/core/durable_file.hpp"

using namespace cli_test;

namespace {
// A state of write_unit_interval_config() with n points asked; returns its path.
std::string asked_state(const Scratch& s, int n) {
  const auto state = s.path("state.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + write_unit_interval_config(s) + " -n " + std::to_string(n)).status == 0);
  return state;
}
}  // namespace

TEST_CASE("e2e: a finite space smaller than the budget ends the run normally, and ask then exits 4") {
  Scratch s("finite");
  const auto cfg = s.write("c.json", R"({"space": {"a": {"type": "integer", "low": 1, "high": 3}},
                                          "objective": {"command": ["echo", "{a}"]}, "budget": 6})");
  const auto r = sh(cli + " tune " + cfg + " --out " + s.path("run") + " --quiet");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("3 evaluations (0 failed)") != std::string::npos);
  CHECK(r.output.find("all 3 points of the finite search space were suggested") != std::string::npos);
  CHECK(r.output.find("best value 1") != std::string::npos);
  const auto ask = sh(cli + " ask --state " + s.path("state.json") + " --config " + cfg + " -n 5");
  CHECK(ask.status == 0);
  const auto again = sh(cli + " ask --state " + s.path("state.json"));
  INFO(again.output);
  CHECK(again.status == 4);
  CHECK(again.output.find("all 3 points") != std::string::npos);
}

TEST_CASE("e2e: a finite space too large to count, cut by a constraint, also ends the run normally") {
  // 1001 x 1001 integers with a + b <= 1: 3 points, which the space cannot count (a grid over 2^16
  // points under a constraint). The ask that found no point left was an internal error (exit 1),
  // on every --resume too.
  Scratch s("finite_uncounted");
  const auto cfg = s.write("c.json", R"j({"space": {"a": {"type": "integer", "low": 0, "high": 1000}, "b": {"type": "integer", "low": 0, "high": 1000}},
    "parameter_constraints": [{"sum": {"a": 1, "b": 1}, "max": 1}],
    "objective": {"command": ["sh", "-c", "echo $(($1 + $2))", "sh", "{a}", "{b}"]}, "budget": 30, "workers": 2})j");
  for (const char* resume : {"", "--resume"}) {
    const auto r = sh(cli + " tune " + cfg + " --out " + s.path("run") + " --quiet " + std::string(resume));
    INFO(resume << ": " << r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("3 evaluations (0 failed)") != std::string::npos);
    CHECK(r.output.find("stopped: no point of the search space was found that was not already suggested") != std::string::npos);
  }
}

TEST_CASE("e2e: gpbo ask continues a state with the budget of its config, raised or lowered") {
  // Before: a config differing only in its budget was "a different config (/budget)", so a used-up
  // ask/tell state could never be given more evaluations; gpbo tune --resume allowed it.
  Scratch s("ask_budget");
  const auto three = s.write("c3.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 3})");
  const auto five = s.write("c5.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 5})");
  const auto state = s.path("s.json");
  for (int id = 0; id < 3; ++id) {
    REQUIRE(sh(cli + " ask --state " + state + " --config " + three).status == 0);
    REQUIRE(sh(cli + " tell --state " + state + " --id " + std::to_string(id) + " --value " + std::to_string(id)).status == 0);
  }
  const auto used_up = sh(cli + " ask --state " + state + " --config " + three);
  CHECK(used_up.status == 4);
  CHECK(used_up.output.find("budget of 3 reached") != std::string::npos);
  const auto more = sh(cli + " ask --state " + state + " --config " + five + " -n 4");
  INFO(more.output);
  CHECK(more.status == 0);
  CHECK(more.output.find("2 of the 4 suggestions asked for") != std::string::npos);
  // Without --config the state keeps the budget it was last given.
  CHECK(sh(cli + " ask --state " + state).status == 4);
  // A budget below what the state holds (3 done, 2 pending) is refused, and the state unchanged:
  // it was recorded, and the state stopped "at" a budget it had passed.
  const auto before = gpbo::read_file(state);
  const auto lowered = sh(cli + " ask --state " + state + " --config " + three);
  CHECK(lowered.status == 2);
  CHECK(lowered.output.find(three + ": /budget: 3 is below the 5 evaluations " + state +
                            " already holds (3 done, 2 pending): give a budget of 5 or more") != std::string::npos);
  CHECK(gpbo::read_file(state) == before);
  // A point told without being asked may take a state past its unchanged budget: ask with the
  // same config then ends the loop (exit 4), as the README's loops expect, not an error (exit 2).
  const auto at_three = s.path("t.json");
  for (int id = 0; id < 3; ++id) {
    REQUIRE(sh(cli + " ask --state " + at_three + " --config " + three).status == 0);
    REQUIRE(sh(cli + " tell --state " + at_three + " --id " + std::to_string(id) + " --value 1").status == 0);
  }
  REQUIRE(sh("echo '{\"params\": {\"x\": 0.5}, \"value\": 2}' | " + cli + " tell --state " + at_three).status == 0);
  const auto past = sh(cli + " ask --state " + at_three + " --config " + three);
  INFO(past.output);
  CHECK(past.status == 4);
}

TEST_CASE("e2e: gpbo ask and show take a state's budget from its optimizer, whatever its /config record says") {
  // Before: ask read /config/budget unchecked ("internal error: [json.exception.type_error.302]"
  // for a string, -5 wrapped round to no limit) while show reported the optimizer's budget.
  Scratch s("ask_budget_record");
  const auto state = asked_state(s, 1);  // budget 5
  for (const char* edited : {R"("abc")", "-5", "1e30", "2"}) {
    auto j = nlohmann::json::parse(gpbo::read_file(state));
    j["config"]["budget"] = nlohmann::json::parse(edited);
    j["config"]["objective"] = {{"report_sd", "yes"}};  // read by the CSV's columns, never as a bool
    // A config with an objective marks a tune run's state, whose asked trials all have records.
    j["evaluations"]["0"] = {{"started_at", "2026-12-07T00:00:00Z"}, {"seconds", 0}, {"status", "running"},
                             {"reason", ""}, {"stderr_tail", ""}};
    const auto copy = s.write("edited.json", j.dump());
    const auto ask = sh(cli + " ask --state " + copy + " -n 9");
    INFO(edited << "\n" << ask.output);
    CHECK(ask.status == 0);
    CHECK(ask.output.find("4 evaluations are left in the budget of 5") != std::string::npos);
    const auto show = sh(cli + " show --state " + copy + " --csv " + s.path("edited.csv"));
    CHECK(show.status == 0);
    CHECK(show.output.find("5 pending, budget 5") != std::string::npos);
  }
}

TEST_CASE("e2e: an empty state file (mktemp's) is where ask --config starts a state; tell says it is empty") {
  // Before: `state=$(mktemp); gpbo ask --state $state --config c.json` was refused as a corrupt
  // or truncated state. States are written atomically, so no crash leaves one empty.
  Scratch s("empty_state");
  const auto state = s.write("state.json", "");
  const auto tell = sh(cli + " tell --state " + state + " --id 0 --value 1");
  CHECK(tell.status == 2);
  CHECK(tell.output.find(state + " is empty (no state yet): create it with gpbo ask --config") != std::string::npos);
  const auto show = sh(cli + " show --state " + state);  // was "invalid JSON ... corrupt or truncated"
  CHECK(show.status == 2);
  CHECK(show.output.find(state + " is empty (no state yet): create it with gpbo ask --config") != std::string::npos);
  const auto ask = sh(cli + " ask --state " + state + " --config " + write_unit_interval_config(s));
  INFO(ask.output);
  CHECK(ask.status == 0);
  CHECK(ask.output.find("{\"id\":0,") == 0);
  CHECK(sh(cli + " tell --state " + state + " --id 0 --value 1").status == 0);
}

TEST_CASE("e2e: tell --value takes subnormal numbers, refuses out-of-range ones, and clears stale temporaries") {
  Scratch s("tell_values");
  const auto cfg = write_unit_interval_config(s);
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --config " + cfg + " --state " + state + " -n 2").status == 0);
  // A temporary left by a tell killed mid-write (its process is gone) is removed.
  const auto dead_pid = sh("sh -c 'echo $$'").output;
  const auto stale = s.write("s.json.tmp." + dead_pid.substr(0, dead_pid.find('\n')), "{");
  // --value refused 1e-320, which a JSON line on stdin and gpbo tune's objectives give.
  const auto huge = sh(cli + " tell --state " + state + " --id 0 --value 1e400");
  INFO(huge.output);
  CHECK(huge.status == 2);
  CHECK(huge.output.find("expected a number within the double range, got '1e400'") != std::string::npos);
  // Below the subnormals it read as 0, silently (a JSON line on stdin refuses it).
  const auto under = sh(cli + " tell --state " + state + " --id 0 --value 1e-400");
  CHECK(under.status == 2);
  CHECK(under.output.find("expected a number within the double range (it would read as 0), got '1e-400'") != std::string::npos);
  // C's hexadecimal form was read (0x10 as 16), as nowhere else in gpbo.
  const auto hex = sh(cli + " tell --state " + state + " --id 0 --value 0x10");
  CHECK(hex.status == 2);
  CHECK(hex.output.find("expected a decimal number, got '0x10'") != std::string::npos);
  const auto tiny = sh(cli + " tell --state " + state + " --id 0 --value 1e-320");
  INFO(tiny.output);
  CHECK(tiny.status == 0);
  CHECK_FALSE(fs::exists(stale));
  const auto shown = sh(cli + " show --state " + state);
  CHECK(shown.output.find("best value 9.999888672e-321 at evaluation 0") != std::string::npos);
  // -0 is a zero to people ("best -0" before); the state keeps it as told.
  const auto zero = sh(cli + " tell --state " + state + " --id 1 --value -0");
  CHECK(zero.output.find(", best 0 (id 1)") != std::string::npos);
  CHECK(sh(cli + " show --state " + state).output.find("best value 0 at evaluation 1") != std::string::npos);
}

TEST_CASE("e2e: tell --value and --sd keep the value told to the last digit, as a JSON line does") {
  // CLI11 read through long double and rounded twice: 0.3000000014856746 was kept as
  // 0.30000000148567463 by --value, exactly by a JSON line.
  Scratch s("tell_exact");
  const auto cfg = write_unit_interval_config(s);
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --config " + cfg + " --state " + state + " -n 2").status == 0);
  REQUIRE(sh(cli + " tell --state " + state + " --id 0 --value 0.3000000014856746 --sd 0.3000000014856746").status == 0);
  REQUIRE(sh("echo '{\"id\": 1, \"value\": 0.3000000014856746}' | " + cli + " tell --state " + state).status == 0);
  const nlohmann::json j = nlohmann::json::parse(gpbo::read_file(state));
  const std::string text = j["optimizer"].dump();
  CHECK(text.find("0.30000000148567463") == std::string::npos);
  REQUIRE(sh(cli + " show --state " + state + " --csv " + s.path("r.csv")).status == 0);
  const std::string csv = gpbo::read_file(s.path("r.csv"));
  CHECK(csv.find("0.3000000014856746,0.3000000014856746,ok") != std::string::npos);
}

TEST_CASE("e2e: tell --abandon withdraws a dead worker's suggestion and frees its place in the budget") {
  Scratch s("abandon");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 3})");
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --config " + cfg + " --state " + state + " -n 3").status == 0);
  // Three workers died: the budget is held by their pending points, and ask says how to free it.
  const auto stuck = sh(cli + " ask --state " + state);
  INFO(stuck.output);
  CHECK(stuck.status == 4);
  CHECK(stuck.output.find("budget of 3 reached (3 of them pending, ids 0, 1, 2; gpbo tell --id ID --abandon withdraws one "
                          "whose worker is gone)") != std::string::npos);
  const auto both = sh(cli + " tell --state " + state + " --id 1 --abandon --value 2");
  CHECK(both.status == 2);
  CHECK(both.output.find("give exactly one of --value, --failed or --abandon") != std::string::npos);
  const auto withdrawn = sh(cli + " tell --state " + state + " --id 1 --abandon");
  INFO(withdrawn.output);
  CHECK(withdrawn.status == 0);
  CHECK(withdrawn.output.find("gpbo tell: abandoned id 1; 0 evaluations") != std::string::npos);
  const auto twice = sh(cli + " tell --state " + state + " --id 1 --value 0.5");
  CHECK(twice.status == 2);
  CHECK(twice.output.find("id 1 was abandoned (pending ids: 0, 2)") != std::string::npos);
  const auto next = sh(cli + " ask --state " + state);
  INFO(next.output);
  CHECK(next.status == 0);
  CHECK(next.output.find("{\"id\":3,") != std::string::npos);
  const auto shown = sh(cli + " show --state " + state + " --csv " + s.path("all.csv"));
  CHECK(shown.output.find("0 evaluations (0 failed), 3 pending, 1 abandoned, budget 3") != std::string::npos);
  CHECK(gpbo::read_file(s.path("all.csv")).find("\n1,") != std::string::npos);
  CHECK(gpbo::read_file(s.path("all.csv")).find(",abandoned,") != std::string::npos);
  // A JSON line withdraws one as --abandon does (workers that tell by lines had no way to).
  const auto bad = sh("echo '{\"id\": 0, \"abandon\": \"yes\"}' | " + cli + " tell --state " + state);
  CHECK(bad.status == 2);
  CHECK(bad.output.find("stdin line 1: /abandon: expected true (the suggestion is withdrawn)") != std::string::npos);
  const auto with_value = sh("echo '{\"id\": 0, \"abandon\": true, \"value\": 1}' | " + cli + " tell --state " + state);
  CHECK(with_value.output.find("expected exactly one of \"value\" (a number), \"failed\" (a reason) or \"abandon\": true") !=
        std::string::npos);
  const auto line = sh("echo '{\"id\": 0, \"abandon\": true}' | " + cli + " tell --state " + state);
  INFO(line.output);
  CHECK(line.status == 0);
  CHECK(line.output.find("gpbo tell: abandoned 1 suggestion; 0 evaluations") != std::string::npos);  // not "recorded"
  CHECK(sh(cli + " show --state " + state).output.find("2 abandoned") != std::string::npos);
  const auto misspelt = sh("echo '{\"id\": 2, \"abandn\": true}' | " + cli + " tell --state " + state);
  CHECK(misspelt.status == 2);
  CHECK(misspelt.output.find("stdin line 1: unknown key \"abandn\" (did you mean \"abandon\"?); expected id, value, sd, "
                             "constraints, failed, abandon or params; nothing was recorded") != std::string::npos);
  // A bad line keeps nothing: the ids told before it are listed as pending still, as the file has them.
  const auto batch = sh("printf '{\"id\": 2, \"value\": 1}\\n{\"id\": 7, \"value\": 1}\\n' | " + cli + " tell --state " + state);
  INFO(batch.output);
  CHECK(batch.output.find("stdin line 2: id 7 was never asked (pending ids: 2, 3); nothing was recorded, not the lines before it") !=
        std::string::npos);
  const auto result = sh("printf '{\"id\": 2, \"value\": 1.5}\\n' | " + cli + " tell --state " + state);
  CHECK(result.output.find("gpbo tell: recorded 1 result; 1 evaluation, best 1.5 (id 2)") != std::string::npos);
}

TEST_CASE("e2e: tell says when its result meets a stopping rule, and ask then has nothing to ask") {
  Scratch s("tell_stop");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 10,
    "stop": {"target": 0.5}})");
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --config " + cfg + " --state " + state).status == 0);
  const auto told = sh(cli + " tell --state " + state + " --id 0 --value 0.1");
  INFO(told.output);
  CHECK(told.output.find("gpbo tell: recorded 1 result; 1 evaluation, best 0.1 (id 0); stopping rule 'target' met: "
                         "gpbo ask has nothing more to ask") != std::string::npos);
  const auto asked = sh(cli + " ask --state " + state);
  CHECK(asked.status == 4);
  CHECK(asked.output.find("gpbo ask: nothing to ask: stopping rule 'target' met") != std::string::npos);
}

TEST_CASE("e2e: gpbo show summarizes an ask/tell state and writes its evaluations as CSV") {
  Scratch s("show");
  const auto cfg = write_unit_interval_config(s);
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --config " + cfg + " --state " + state + " -n 3").status == 0);
  REQUIRE(sh(cli + " tell --state " + state + " --id 0 --value 0.25").status == 0);
  REQUIRE(sh(cli + " tell --state " + state + " --id 1 --failed oom").status == 0);
  const auto r = sh(cli + " show --state " + state + " --csv " + s.path("r.csv"));
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find(state + ": 2 evaluations (1 failed), 1 pending, budget 5") != std::string::npos);
  CHECK(r.output.find("pending ids: 2") != std::string::npos);
  CHECK(r.output.find("best value 0.25 at evaluation 0") != std::string::npos);
  const auto rows = csv_rows(s.path("r.csv"));
  REQUIRE(rows.size() == 4);  // the pending point too (it used to be left out)
  CHECK(rows[0][0] == "id");
  CHECK(rows[2][3] == "failed");  // id, x, value, status, ...
  CHECK(rows[3][0] == "2");
  CHECK(rows[3][2].empty());
  CHECK(rows[3][3] == "pending");
  // Such a file warm-starts a new run: its ok and failed rows are told, the pending one skipped.
  const auto ws = s.write("ws.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 5,
    "warm_start": "r.csv"})");
  const auto warm = sh(cli + " ask --config " + ws + " --state " + s.path("ws_state.json"));
  INFO(warm.output);
  CHECK(warm.status == 0);
  CHECK(warm.output.find("\"id\":2") != std::string::npos);  // ids 0 and 1 are the told rows
  // --json: the same summary for scripts.
  const auto as_json = sh(cli + " show --state " + state + " --json");
  INFO(as_json.output);
  REQUIRE(as_json.status == 0);
  const auto j = nlohmann::json::parse(as_json.output);
  // Keys in the order a reader takes them in, not alphabetical.
  CHECK(as_json.output.rfind("{\"evaluations\":2,\"failed\":1,\"pending\":[2],\"pending_points\":[{\"id\":2,\"params\":{\"x\":", 0) == 0);
  CHECK(j["evaluations"] == 2);
  CHECK(j["failed"] == 1);
  CHECK(j["pending"] == nlohmann::json::array({2}));
  // A restarted worker finds its point there, as ask printed it.
  REQUIRE(j["pending_points"].size() == 1);
  CHECK(j["pending_points"][0]["id"] == 2);
  CHECK(j["pending_points"][0]["params"]["x"].get<double>() == std::stod(rows[3][1]));  // the CSV's, every digit
  CHECK(j["abandoned"] == 0);
  CHECK(j["stop"].is_null());
  CHECK(j["budget"] == 5);
  CHECK(j["goal"] == "minimize");
  CHECK(j["best"]["id"] == 0);
  CHECK(j["best"]["value"] == 0.25);
  CHECK(j["best"]["params"].contains("x"));
  CHECK(j["recommended"].is_null());
  CHECK(j["importance"].is_null());  // no model yet
  const auto missing = sh(cli + " show --state " + s.path("none.json"));
  CHECK(missing.status == 2);
  CHECK(missing.output.find("none.json does not exist") != std::string::npos);
}

TEST_CASE("e2e: gpbo show ranks the parameters by the model's importance, text and JSON") {
  // value = 4 x + 0.4 y, z ignored: shares 16 / 16.16, 0.16 / 16.16 and 0 (variances of 4x, 0.4y).
  Scratch s("importance");
  const auto cfg = s.write("c.json", R"({"space": {"z": {"type": "real", "low": 0, "high": 1},
    "y": {"type": "real", "low": 0, "high": 1}, "x": {"type": "real", "low": 0, "high": 1}}, "budget": 30, "seed": 4})");
  const auto state = s.path("s.json");
  std::string lines;
  for (int i = 0; i < 14; ++i) {
    const double x = std::fmod(0.37 * i + 0.11, 1.0), y = std::fmod(0.61 * i + 0.5, 1.0), z = std::fmod(0.83 * i + 0.2, 1.0);
    lines += nlohmann::json({{"params", {{"x", x}, {"y", y}, {"z", z}}}, {"value", 4 * x + 0.4 * y}}).dump() + "\n";
  }
  REQUIRE(sh(cli + " ask --state " + state + " --config " + cfg).status == 0);  // creates the state
  REQUIRE(sh("printf '" + lines.substr(0, lines.size() - 1) + "\\n' | " + cli + " tell --state " + state).status == 0);
  REQUIRE(sh(cli + " ask --state " + state).status == 0);  // the first model-based suggestion fits the model
  const auto r = sh(cli + " show --state " + state);
  INFO(r.output);
  const auto at = r.output.find("parameter importance (share of the model's variance: alone, with interactions)\n  x ");
  REQUIRE(at != std::string::npos);
  CHECK(r.output.find("\n  y ", at) < r.output.find("\n  z ", at));  // most important first
  const auto j = nlohmann::json::parse(sh(cli + " show --state " + state + " --json").output);
  REQUIRE(j["importance"].size() == 3);
  CHECK(j["importance"][0]["name"] == "x");
  CHECK(j["importance"][0]["first_order"].get<double>() == Approx(16 / 16.16).margin(0.02));
  CHECK(j["importance"][0]["total"].get<double>() >= j["importance"][0]["first_order"].get<double>());
  CHECK(j["importance"][1]["name"] == "y");
  CHECK(j["importance"][1]["first_order"].get<double>() == Approx(0.16 / 16.16).margin(0.01));
  CHECK(j["importance"][2]["total"].get<double>() < 0.01);
}

TEST_CASE("e2e: configs/ask_tell.sh tells a failing evaluation as a failure and goes on") {
  // The README's shell loop. Its objective ran in a pipeline whose status was awk's, so a failing
  // script gave `tell --value ''` and the loop stopped with status 2, the point left pending.
  Scratch s("ask_tell_sh");
  const std::string configs = std::string(GPBO_SOURCE_DIR) + "/configs/";
  fs::copy_file(configs + "ask_tell.sh", s.path("ask_tell.sh"));
  fs::copy_file(configs + "ask_tell.json", s.path("ask_tell.json"));
  fs::create_directory(s.dir / "objectives");
  s.write("objectives/train_model.sh", "#!/bin/sh\necho 'epoch 3: loss is nan' >&2\nexit 1\n");
  fs::permissions(s.dir / "objectives/train_model.sh", fs::perms::owner_all);
  const auto r = sh("cd " + s.dir.string() + " && GPBO=" + cli + " sh ask_tell.sh state.json");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("recorded 1 result; 20 evaluations") != std::string::npos);
  CHECK(r.output.find("nothing to ask: budget of 20 reached") != std::string::npos);
}

TEST_CASE("e2e: configs/ask_tell.py evaluates batches in parallel, reproducibly, and tells failures") {
  // The README's Python loop (standard library only): ask -n 4, a process pool, one tell of all four.
  Scratch s("ask_tell_py");
  const std::string configs = std::string(GPBO_SOURCE_DIR) + "/configs/";
  fs::copy_file(configs + "ask_tell.py", s.path("ask_tell.py"));
  fs::copy_file(configs + "ask_tell.json", s.path("ask_tell.json"));
  const std::string in_dir = "cd " + s.dir.string() + " && GPBO=" + cli + " ";
  const auto first = sh(in_dir + "python3 ask_tell.py a.json");
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK(first.output.find("recorded 4 results; 20 evaluations, best 0.3") != std::string::npos);
  CHECK(first.output.find("nothing to ask: budget of 20 reached") != std::string::npos);
  // The same seed gives the same run, whichever worker finishes first.
  const auto again = sh(in_dir + "python3 ask_tell.py b.json");
  const auto best = [](const std::string& out) { return out.substr(out.rfind("20 evaluations, best")); };
  CHECK(best(again.output) == best(first.output));
  // The loop with another objective (a Python expression of the parameters **p), into `state`;
  // returns its result and the state's CSV (gpbo show --csv).
  const auto with_objective = [&](const std::string& expression, const std::string& state) {
    const auto run = sh(in_dir + "python3 -c \"import sys, ask_tell; ask_tell.validation_loss = lambda **p: " + expression +
                        "; sys.argv = ['ask_tell.py', '" + state + "']; ask_tell.main()\"");
    INFO(run.output);
    CHECK(run.status == 0);
    const auto shown = sh(cli + " show --state " + s.path(state) + " --csv " + s.path(state + ".csv"));
    CHECK(shown.output.find("20 evaluations (20 failed)") != std::string::npos);
    return gpbo::read_file(s.path(state + ".csv"));
  };
  // An objective that raises: every evaluation is told as failed, with the exception, and the loop ends normally.
  CHECK(with_objective("1 / 0", "c.json").find("ZeroDivisionError: division by zero") != std::string::npos);
  // NaN, which JSON cannot carry, is told as a failure too (a diverged training run).
  CHECK(with_objective("float('nan')", "d.json").find("value nan") != std::string::npos);
  // No gpbo where GPBO points: one line that says what to do, no traceback.
  const auto missing = sh("cd " + s.dir.string() + " && GPBO=" + s.path("no_gpbo") + " python3 ask_tell.py e.json");
  CHECK(missing.status == 1);
  CHECK(missing.output.find("ask_tell.py: cannot run gpbo") != std::string::npos);
  CHECK(missing.output.find("Traceback") == std::string::npos);
}

TEST_CASE("e2e: concurrent gpbo tell from several processes keeps every observation") {
  Scratch s("tell");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 30})");
  const auto state = s.path("state.json");
  const auto asked = sh(cli + " ask --state " + state + " --config " + cfg + " -n 12");
  REQUIRE(asked.status == 0);
  std::string tells;
  for (int id = 0; id < 12; ++id)
    tells += cli + " tell --state " + state + " --id " + std::to_string(id) + " --value " + std::to_string(id * 0.5) + " > /dev/null 2>&1 & ";
  REQUIRE(sh(tells + "wait").status == 0);
  const auto last = sh("echo '{\"id\": 0, \"value\": 1}' | " + cli + " tell --state " + state);
  CHECK(last.status == 2);
  CHECK(last.output.find("id 0 was already told") != std::string::npos);
  // Ids are unsigned: 2^63 is not read as a negative number, and -1 is no id at all.
  const auto huge = sh(cli + " tell --state " + state + " --id 9223372036854775808 --value 1");
  CHECK(huge.status == 2);
  CHECK(huge.output.find("id 9223372036854775808 was never asked") != std::string::npos);
  const auto negative = sh("echo '{\"id\": -1, \"value\": 1}' | " + cli + " tell --state " + state);
  CHECK(negative.status == 2);
  CHECK(negative.output.find("/id: expected the integer id printed by gpbo ask") != std::string::npos);
  const auto more = sh(cli + " ask --state " + state);
  CHECK(more.output.find("\"id\":12") != std::string::npos);
  // One id twice in one input: said so (it used to read "already told (no suggestion is pending)").
  const auto twice = sh("printf '{\"id\": 12, \"value\": 1}\\n{\"id\": 12, \"value\": 2}\\n' | " + cli + " tell --state " + state);
  CHECK(twice.status == 2);
  CHECK(twice.output.find("stdin line 2: id 12 is told twice in this input (also on line 1); nothing was recorded") !=
        std::string::npos);
  // An empty reason says nothing of why, as --failed "" is refused.
  const auto empty = sh("echo '{\"id\": 12, \"failed\": \"\"}' | " + cli + " tell --state " + state);
  CHECK(empty.status == 2);
  CHECK(empty.output.find("stdin line 1: /failed: give the reason (a non-empty text)") != std::string::npos);
  const auto text = sh("echo '{\"id\": 12, \"value\": \"0.5\"}' | " + cli + " tell --state " + state);
  CHECK(text.status == 2);
  CHECK(text.output.find("stdin line 1: /value: expected a number, got \"0.5\"; nothing was recorded") != std::string::npos);
  const auto number = sh("echo '{\"id\": 12, \"failed\": 3}' | " + cli + " tell --state " + state);
  CHECK(number.status == 2);
  CHECK(number.output.find("stdin line 1: /failed: expected the reason, a text such as \"out of memory\", got 3") != std::string::npos);
  const auto summary = sh("echo '{\"id\": 12, \"failed\": \"oom\"}' | " + cli + " tell --state " + state);
  CHECK(summary.output.find("13 evaluations, best 0 (id 0)") != std::string::npos);
}

TEST_CASE("e2e: an update waiting two seconds for another's lock says who holds it, then goes on") {
  // A worker stopped with Ctrl-Z holds the update lock: the others waited without a word.
  Scratch s("lock_wait");
  const auto cfg = write_unit_interval_config(s);
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --config " + cfg + " --state " + state).status == 0);
  // Holds byte 1 of the lock file, the updates' queue (fcntl, as gpbo's own lock), until told.
  s.write("hold.py", "import fcntl, os, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.lockf(f, fcntl.LOCK_EX, 1, 1)\n"
                     "print(os.getpid(), flush=True)\nwhile not os.path.exists(sys.argv[2]):\n    time.sleep(0.05)\n");
  const auto run = sh("cd " + s.dir.string() + " && (python3 hold.py " + state + ".lock release > holder.pid &) && "
                      "k=0; while [ ! -s holder.pid ] && [ $k -lt 600 ]; do sleep 0.05; k=$((k+1)); done && (" + cli + " tell --state " + state +
                      " --id 0 --value 1 > tell.out 2>&1; echo $? > tell.status) & "
                      "i=0; while ! grep -q 'waiting for' " + s.path("tell.out") + " 2>/dev/null && [ $i -lt 600 ]; do "
                      "sleep 0.05; i=$((i+1)); done; touch " + s.path("release") + "; "
                      "j=0; while [ ! -s " + s.path("tell.status") + " ] && [ $j -lt 600 ]; do sleep 0.05; j=$((j+1)); done");
  INFO(run.output);
  const std::string pid = gpbo::read_file(s.path("holder.pid")), told = gpbo::read_file(s.path("tell.out"));
  INFO(told);
  CHECK(gpbo::read_file(s.path("tell.status")) == "0\n");
  CHECK(told.find("gpbo tell: note: waiting for " + state + ".lock, held by pid " + pid.substr(0, pid.find('\n'))) !=
        std::string::npos);
  CHECK(told.find("recorded") != std::string::npos);
}

TEST_CASE("e2e: gpbo tell refuses a line with both an id and params, and records nothing") {
  // Before, the params were recorded as a new point never asked, and the id stayed pending.
  Scratch s("tell_both");
  const auto state = asked_state(s, 1);
  const auto before = gpbo::read_file(state);
  const auto r = sh("echo '{\"id\": 0, \"params\": {\"x\": 0.5}, \"value\": 1}' | " + cli + " tell --state " + state);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find("stdin line 1: give either \"id\" (a point printed by gpbo ask) or \"params\" (a point never asked), not both") !=
        std::string::npos);
  CHECK(gpbo::read_file(state) == before);
}

TEST_CASE("e2e: gpbo tell reads stdin lines as strictly as configs: a key given twice is refused") {
  // Before, {"id": 0, "value": 2, "id": 1} told id 1 (the last "id" won).
  Scratch s("tell_twice");
  const auto state = asked_state(s, 2);
  const auto before = gpbo::read_file(state);
  const auto r = sh("printf '{\"id\": 0, \"value\": 2}\\n{\"id\": 0, \"value\": 2, \"id\": 1}\\n' | " + cli + " tell --state " + state);
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find("stdin line 2: key \"id\" appears twice in the object at /") != std::string::npos);
  // All lines or none, and the message says so (line 1 was fine but is not kept either).
  CHECK(r.output.find("; nothing was recorded, not the lines before it either: fix it and send them all again") !=
        std::string::npos);
  CHECK(gpbo::read_file(state) == before);
  const auto syntax = sh("echo '{\"id\": 0,' | " + cli + " tell --state " + state);
  CHECK(syntax.status == 2);
  CHECK(syntax.output.find("stdin line 1, column 10: invalid JSON: ") != std::string::npos);
  CHECK(syntax.output.find("; expected a JSON object like {\"id\": 3, \"value\": 1.5}") != std::string::npos);
  // Python's json.dumps writes NaN for a failed run's value: the message says what to send.
  const auto nan = sh("echo '{\"id\": 0, \"value\": NaN}' | " + cli + " tell --state " + state);
  CHECK(nan.status == 2);
  CHECK(nan.output.find("(JSON numbers are finite: no NaN; Python's json.dumps writes it unless allow_nan=False); expected a JSON object like "
                        "{\"id\": 3, \"value\": 1.5} or, for a failed evaluation, {\"id\": 3, \"failed\": \"why\"}") !=
        std::string::npos);
  const auto array = sh("echo '[1]' | " + cli + " tell --state " + state);
  CHECK(array.output.find("stdin line 1: expected a JSON object like {\"id\": 3, \"value\": 1.5}") != std::string::npos);
}

TEST_CASE("e2e: gpbo ask -n says on stderr when it returns fewer suggestions, and why") {
  // Before, 3 lines came for -n 5 without a word.
  Scratch s("ask_fewer");
  const auto cfg = write_unit_interval_config(s);
  const auto state = s.path("state.json");
  const auto two = sh(cli + " ask --state " + state + " --config " + cfg + " -n 2");
  REQUIRE(two.status == 0);
  CHECK(two.output.find("note") == std::string::npos);
  // stdout to a file, so the output is stderr alone.
  const auto r = sh("(" + cli + " ask --state " + state + " -n 5 > " + s.path("out.txt") + ")");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto lines = gpbo::read_file(s.path("out.txt"));
  CHECK(std::count(lines.begin(), lines.end(), '\n') == 3);
  CHECK(r.output == "gpbo ask: note: 3 of the 5 suggestions asked for: only 3 evaluations are left in the budget of 5 (2 done or pending)\n");
  // One left: "1 evaluation is left", with -n 2 after telling nothing more (4 of 5 pending).
  const auto one = sh("(" + cli + " ask --state " + s.path("one.json") + " --config " + cfg + " -n 4 > /dev/null && " + cli +
                      " ask --state " + s.path("one.json") + " -n 2 > /dev/null)");
  CHECK(one.output == "gpbo ask: note: 1 of the 2 suggestions asked for: only 1 evaluation is left in the budget of 5 (4 done or pending)\n");
  // A finite space with fewer points left than the budget.
  const auto finite = s.write("f.json", R"({"space": {"a": {"type": "integer", "low": 1, "high": 3}}, "budget": 10})");
  const auto f = sh("(" + cli + " ask --state " + s.path("f_state.json") + " --config " + finite + " -n 4 > /dev/null)");
  REQUIRE(f.status == 0);
  CHECK(f.output == "gpbo ask: note: 3 of the 4 suggestions asked for: only 3 points of the finite search space were left to suggest\n");
}

TEST_CASE("e2e: ask, tell and show refuse a run directory or a file that is no state, and leave no lock file") {
  Scratch s("wrong_state");
  REQUIRE(tune_into_run(s, branin_with_target(s), "--budget 11").status == 0);  // writes run/state.json
  const auto run = s.path("run");
  for (const std::string& cmd : {"show --state " + run, "tell --state " + run + " --id 1 --value 1", "ask --state " + run}) {
    const auto r = sh(cli + " " + cmd);
    INFO(cmd << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("'" + run + "' is a directory; expected a state file such as " + run + "/state.json") != std::string::npos);
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ask --state " + s.path("new.json"), s.path("new.json") + " does not exist: give --config CONFIG.json to create it"},
      {"tell --state " + s.path("none.json") + " --id 1 --value 1", s.path("none.json") + " does not exist: create it with gpbo ask --config"},
      {"tell --state " + run + "/results.csv --id 1 --value 1",
       run + "/results.csv: not a state file (states are JSON objects written by gpbo tune or gpbo ask)"},
      {"ask --state " + run + "/config.json", run + "/config.json: /format: expected \"gpbo.run\""},
  };
  for (const auto& [cmd, message] : cases) {
    const auto r = sh(cli + " " + cmd);
    INFO(cmd << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(message) != std::string::npos);
  }
  std::vector<std::string> locks;
  for (const auto& e : fs::recursive_directory_iterator(s.dir))
    if (e.path().extension() == ".lock") locks.push_back(e.path().filename().string());
  CHECK(locks == std::vector<std::string>{"state.json.lock"});  // the run's own
}

TEST_CASE("e2e: gpbo ask | evaluate | gpbo tell works as one pipeline, from the first call on") {
  // tell used to lock the state and check it before reading stdin: on the first call the state
  // did not exist yet ("create it with gpbo ask"), and later it held the lock while waiting for
  // the ask it was waiting on, forever.
  Scratch s("pipeline");
  const auto state = s.path("state.json");
  const std::string pipeline = "timeout 60 " + cli + " ask --state " + state + " --config " + write_unit_interval_config(s) +
                               " -n 2 | sed 's/\"params\".*/\"value\": 1.5}/' | timeout 60 " + cli + " tell --state " + state;
  for (int round = 1; round <= 2; ++round) {  // the budget is 5
    const auto r = sh(pipeline);
    INFO("round " << round << ": " << r.output);
    CHECK(r.status == 0);
    CHECK(r.output.find("recorded 2 results; " + std::to_string(2 * round) + " evaluations") != std::string::npos);
  }
  // A missing state is still refused, once the input has been read.
  const auto missing = sh("echo '{\"id\": 0, \"value\": 1}' | timeout 60 " + cli + " tell --state " + s.path("none.json"));
  CHECK(missing.status == 2);
  CHECK(missing.output.find("does not exist: create it with gpbo ask --config") != std::string::npos);
}

TEST_CASE("e2e: gpbo tell takes a value's noise sd (--sd, \"sd\"), keeps it in the state, and refuses a bad one") {
  Scratch s("tell_sd");
  const auto state = asked_state(s, 2);
  const auto r = sh(cli + " tell --state " + state + " --id 0 --value 1.5 --sd 0.2");
  INFO(r.output);
  CHECK(r.status == 0);
  const auto line = sh("echo '{\"id\": 1, \"value\": 2.5, \"sd\": 0.05}' | " + cli + " tell --state " + state);
  INFO(line.output);
  CHECK(line.status == 0);
  const auto saved = nlohmann::json::parse(gpbo::read_file(state));
  CHECK(saved.dump().find("\"noise_sd\":0.2") != std::string::npos);
  CHECK(saved.dump().find("\"noise_sd\":0.05") != std::string::npos);
  const auto before = gpbo::read_file(state);
  const auto negative = sh("echo '{\"params\": {\"x\": 0.5}, \"value\": 1, \"sd\": -1}' | " + cli + " tell --state " + state);
  CHECK(negative.status == 2);
  CHECK(negative.output.find("stdin line 1: /sd: expected the sd of the value's noise, a number >= 0 and below 1e100") != std::string::npos);
  // Finite but huge: its variance overflowed in the model, and every later suggestion was random.
  const auto huge = sh("echo '{\"params\": {\"x\": 0.5}, \"value\": 1, \"sd\": 1e160}' | " + cli + " tell --state " + state);
  CHECK(huge.status == 2);
  CHECK(huge.output.find("stdin line 1: /sd: expected the sd of the value's noise, a number >= 0 and below 1e100") != std::string::npos);
  const auto with_failure = sh("echo '{\"params\": {\"x\": 0.5}, \"failed\": \"oom\", \"sd\": 1}' | " + cli + " tell --state " + state);
  CHECK(with_failure.status == 2);
  CHECK(with_failure.output.find("/sd: a failure has no value, so no sd") != std::string::npos);
  const auto alone = sh(cli + " tell --state " + state + " --id 0 --failed x --sd 1");
  CHECK(alone.status == 2);
  CHECK(alone.output.find("--sd goes with --value") != std::string::npos);
  CHECK(gpbo::read_file(state) == before);
}

TEST_CASE("e2e: gpbo ask keeps to the config's linear constraints; tell refuses a point that breaks one") {
  Scratch s("linear_constraints");
  const auto cfg = s.write("c.json", R"({"space": {"a": {"type": "real", "low": 0, "high": 1},
                                                   "b": {"type": "integer", "low": 1, "high": 10}},
                                         "parameter_constraints": [{"sum": {"a": 10, "b": 1}, "max": 8}], "budget": 20})");
  const auto state = s.path("s.json");
  const auto asked = sh(cli + " ask --state " + state + " --config " + cfg + " -n 12");
  REQUIRE(asked.status == 0);
  std::istringstream lines(asked.output);
  int count = 0;
  std::string told;
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    const double a = j["params"]["a"].get<double>(), b = j["params"]["b"].get<double>();
    CHECK(10 * a + b <= 8.0);
    told += "{\"id\": " + std::to_string(j["id"].get<int>()) + ", \"value\": " + std::to_string((a - 0.3) * (a - 0.3) + b) + "}\n";
    ++count;
  }
  CHECK(count == 12);
  REQUIRE(sh("printf '" + told + "' | " + cli + " tell --state " + state).status == 0);
  REQUIRE(sh(cli + " ask --state " + state).status == 0);  // fits the model that show's importance reads
  // The importance indices ignore the constraints (they need independent inputs): show says so.
  const auto shown = sh(cli + " show --state " + state);
  INFO(shown.output);
  CHECK(shown.output.find("12 evaluations (0 failed), 1 pending") != std::string::npos);
  CHECK(shown.output.find("over the whole box, the linear constraints ignored") != std::string::npos);
  const auto refused = sh("echo '{\"params\": {\"a\": 0.9, \"b\": 5}, \"value\": 1}' | " + cli + " tell --state " + state);
  CHECK(refused.status == 2);
  CHECK(refused.output.find("/params: point breaks the constraint 10 a + b <= 8 (the sum is 14); nothing was recorded") != std::string::npos);
}

TEST_CASE("e2e: gpbo ask --fix holds parameters at given values; bad values and used-up slices are told clearly") {
  Scratch s("ask_fix");
  const auto cfg = s.write("c.json", R"({"space": {"lr": {"type": "real", "low": 1e-5, "high": 1e-1, "log": true},
      "layers": {"type": "integer", "low": 1, "high": 8}, "opt": {"type": "categorical", "choices": ["adam", "sgd"]},
      "momentum": {"type": "real", "low": 0, "high": 0.99, "when": {"opt": "sgd"}}}, "budget": 20, "seed": 1})");
  const auto state = s.path("state.json");
  const auto r = sh(cli + " ask --state " + state + " --config " + cfg + " -n 2 --fix '{\"opt\": \"sgd\", \"layers\": 4}'");
  INFO(r.output);
  REQUIRE(r.status == 0);
  std::istringstream lines(r.output);
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    const auto params = nlohmann::json::parse(line)["params"];
    CHECK(params["opt"] == "sgd");
    CHECK(params["layers"] == 4);
    CHECK(params.contains("momentum"));  // sgd's child is chosen by the optimizer
  }
  CHECK(n == 2);
  const std::pair<std::string, std::string> bad[] = {
      {R"({"lrr": 0.01})", "--fix: /lrr: unknown parameter \"lrr\" (did you mean \"lr\"?)"},
      {R"({"lr": 1})", "--fix: parameter 'lr': value 1 is outside [1e-05, 0.1]"},
      {R"({"momentum": 0.9})", "--fix: parameter 'momentum' cannot be held at 0.9: it is active only where opt = \"sgd\"; hold its parents at such values too"},
      {R"({"layers": "4"})", "--fix: parameter 'layers': expected a number, got \"4\""},
      {R"({"lr": 0.01)", "--fix:1:12: invalid JSON"}};
  for (const auto& [fix, message] : bad) expect_output(cli + " ask --state " + state + " --fix '" + fix + "'", 2, message);

  Scratch g("ask_fix_grid");
  const auto grid = g.write("c.json", R"({"space": {"a": {"type": "integer", "low": 1, "high": 3}, "b": {"type": "integer", "low": 1, "high": 2}}, "budget": 6})");
  const auto grid_state = g.path("state.json");
  expect_output(cli + " ask --state " + grid_state + " --config " + grid + " -n 3 --fix '{\"a\": 2}'", 0,
                "2 of the 3 suggestions asked for: only 2 points with a = 2 were left to suggest");
  expect_output(cli + " ask --state " + grid_state + " --fix '{\"a\": 2}'", 4,
                "nothing to ask: every point with a = 2 was already evaluated or is pending");
  CHECK(sh(cli + " ask --state " + grid_state + " --fix '{\"a\": 3}'").status == 0);  // other slices go on
  // Abandoned points are not suggested again by themselves; holding every parameter names one
  // (it exited 4 once the space was used up, which the README says it does not).
  CHECK(sh(cli + " ask --state " + grid_state + " -n 3").status == 0);
  CHECK(sh(cli + " tell --state " + grid_state + " --id 0 --abandon && " + cli + " tell --state " + grid_state + " --id 1 --abandon").status == 0);
  expect_output(cli + " ask --state " + grid_state, 4, "all 6 points of the finite search space were suggested");
  expect_output(cli + " ask --state " + grid_state + " --fix '{\"a\": 2, \"b\": 1}'", 0, "{\"id\":6,\"params\":{\"a\":2,\"b\":1}}");
  // ... but not past another stopping rule that holds too (exhausted was reported first, and let it through).
  CHECK(sh(cli + " tell --state " + grid_state + " --id 2 --value 0.5").status == 0);
  const auto target = g.write("t.json", R"({"space": {"a": {"type": "integer", "low": 1, "high": 3}, "b": {"type": "integer", "low": 1, "high": 2}}, "budget": 10, "stop": {"target": 1}})");
  const auto target_state = g.path("target.json");
  REQUIRE(sh(cli + " ask --state " + target_state + " --config " + target + " -n 6").status == 0);
  CHECK(sh(cli + " tell --state " + target_state + " --id 0 --value 0.5 && " + cli + " tell --state " + target_state + " --id 1 --abandon").status == 0);
  expect_output(cli + " ask --state " + target_state + " --fix '{\"a\": 2, \"b\": 1}'", 4, "stopping rule 'target' met");
}

TEST_CASE("e2e: gpbo show --plots writes a state's convergence.svg and parameters.svg") {
  Scratch s("show_plots");
  const auto cfg = s.write("c.json", R"({"name": "two <knobs>", "space": {"x": {"type": "real", "low": 0, "high": 1},
      "k": {"type": "categorical", "choices": ["a", "b"]}}, "budget": 20, "seed": 2})");
  const auto state = s.path("state.json");
  ask_tell_rounds(state, cfg, 4, [](const nlohmann::json& params) {
    const double x = params["x"];
    return nlohmann::json{{"value", (x - 0.4) * (x - 0.4) + (params["k"] == "a" ? 0.0 : 0.1)}};
  });
  expect_output(cli + " show --state " + state + " --plots " + s.path("plots/new"), 0,
                "plots written to " + s.path("plots/new") + " (convergence.svg, parameters.svg)");
  const std::string svg = gpbo::read_file(s.path("plots/new/parameters.svg"));
  CHECK(svg.find("two &lt;knobs&gt;") != std::string::npos);  // the config's name, escaped
  CHECK(svg.find(">x<") != std::string::npos);
  CHECK(svg.find(">k<") != std::string::npos);
  CHECK(svg.find("the line: the model through the best") != std::string::npos);  // 16 results: a model
  CHECK(fs::exists(s.path("plots/new/convergence.svg")));
  expect_output(cli + " show --state " + state + " --plots " + state, 2, "exists and is not a directory");
}
