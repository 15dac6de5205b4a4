#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../json_corruptions.hpp"
#include "tune/run_state.hpp"
#include "tune/run_summary.hpp"
#include "tune/tune_config.hpp"

using gpbo::tune::ConfigError;
using gpbo::tune::optimizer_options;
using gpbo::tune::tune_config_from_json;
using nlohmann::json;

namespace {
json minimal() {
  return json::parse(R"({
    "space": {"x": {"type": "real", "low": 0, "high": 1}, "n": {"type": "integer", "low": 1, "high": 5}},
    "objective": {"command": ["/bin/echo", "{x}", "{n}"]}
  })");
}
std::string error_of(const json& j) {
  try {
    tune_config_from_json(j, "c.json", "/tmp");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("tune config: defaults and a full config") {
  auto c = tune_config_from_json(minimal(), "dir/quick.json", "/tmp");
  CHECK(c.name == "quick");
  CHECK(c.minimize);
  CHECK(c.budget == 50);
  CHECK(c.workers == 1);
  CHECK(c.optimizer.acquisition == "log_ei");
  REQUIRE(c.objective.command);
  CHECK(c.objective.command->working_directory == "/tmp");

  auto j = minimal();
  j["goal"] = "maximize";
  j["budget"] = 20;
  j["stop"] = {{"target", 0.5}, {"patience", 7}, {"max_time_s", 60}};
  j["optimizer"] = {{"noise", 0.01}, {"initial_points", 5}, {"preset", "fast"}};
  j["objective"]["result"] = {{"type", "json_key"}, {"key", "loss"}};
  j["objective"]["timeout_s"] = 30;
  j["seed"] = 9;
  c = tune_config_from_json(j, "c.json", "/tmp");
  CHECK_FALSE(c.minimize);
  CHECK(*c.stop.patience == 7);
  CHECK_FALSE(c.stop.min_improvement);
  CHECK(optimizer_options(c).stop.min_improvement == 0.0);
  j["stop"]["min_improvement"] = 1e-3;
  CHECK(optimizer_options(tune_config_from_json(j, "c.json", "/tmp")).stop.min_improvement == 1e-3);
  j["stop"].erase("min_improvement");
  CHECK(c.optimizer.noise == "0.01");
  {  // a fixed noise sd reaches the optimizer as written (six digits made 0.123456789 0.123457)
    auto precise = j;
    precise["optimizer"]["noise"] = 0.123456789;
    CHECK(optimizer_options(tune_config_from_json(precise, "c.json", "/tmp")).surrogate.noise_sd == 0.123456789);
    precise["optimizer"]["noise"] = 1.0000004;
    CHECK(optimizer_options(tune_config_from_json(precise, "c.json", "/tmp")).surrogate.noise_sd == 1.0000004);
  }
  CHECK(c.objective.command->reader.key == "loss");
  CHECK(c.objective.command->timeout_s == 30);
  CHECK(c.seed == 9);
  CHECK(optimizer_options(c).escape.enabled);
  CHECK_FALSE(optimizer_options(c).xi);  // the acquisition's default margin
  CHECK(optimizer_options(c).surrogate.short_range == gpbo::bo::ShortRange::Auto);
  j["optimizer"]["short_range"] = "auto";
  CHECK(optimizer_options(tune_config_from_json(j, "c.json", "/tmp")).surrogate.short_range == gpbo::bo::ShortRange::Auto);
  j["optimizer"]["short_range"] = true;
  CHECK(optimizer_options(tune_config_from_json(j, "c.json", "/tmp")).surrogate.short_range == gpbo::bo::ShortRange::On);
  j["optimizer"]["short_range"] = false;
  CHECK(optimizer_options(tune_config_from_json(j, "c.json", "/tmp")).surrogate.short_range == gpbo::bo::ShortRange::Off);
  j["optimizer"]["escape"] = false;
  j["optimizer"]["acquisition"] = "log_pi";
  j["optimizer"]["xi"] = 0.05;
  const auto o = optimizer_options(tune_config_from_json(j, "c.json", "/tmp"));
  CHECK_FALSE(o.escape.enabled);
  CHECK(o.acquisition == gpbo::bo::AcquisitionKind::LogPI);
  CHECK(o.improvement_margin() == 0.05);
}

TEST_CASE("tune config: each mistake names the JSON path and what was expected") {
  auto with = [](const std::string& pointer, json value) {
    auto j = minimal();
    j[json::json_pointer(pointer)] = std::move(value);
    return j;
  };
  CHECK(error_of(with("/budgett", 3)) == "c.json: /budgett: unknown key \"budgett\" (did you mean \"budget\"?)");
  CHECK(error_of(with("/stop", json{{"min_improvement", 0.1}})) ==
        "c.json: /stop/min_improvement: says what patience counts as an improvement: give stop.patience too");
  CHECK(error_of(with("/stop", json{{"patience", 5}, {"min_improvement", -0.1}})) ==
        "c.json: /stop/min_improvement: expected a number >= 0 (in the objective's units), got -0.1");
  CHECK(error_of(with("/budget", "many")) == "c.json: /budget: expected an integer, got \"many\"");
  CHECK(error_of(with("/budget", 0)) == "c.json: /budget: expected an integer >= 1, got 0");
  CHECK(error_of(json{{"objective", {{"builtin", "branin"}, {"timeout_s", 5}}}}) ==
        "c.json: /objective/timeout_s: only a command objective takes timeout_s");
  CHECK(error_of(with("/start_points", json::array({json{{"x", 0.5}, {"n", 9}}}))).rfind("c.json: /start_points/0: parameter 'n'", 0) == 0);
  CHECK(error_of(with("/start_points", json::array({json{{"x", 0.5}, {"m", 2}}}))) ==
        "c.json: /start_points/0/m: unknown parameter \"m\" (did you mean \"n\"?)");
  // A repeated start point was dropped without a word (the optimizer suggests a point once).
  CHECK(error_of(with("/start_points", json::array({json{{"x", 0.5}, {"n", 2}}, json{{"x", 0.6}, {"n", 2}},
                                                    json{{"x", 0.5}, {"n", 2}}}))) ==
        "c.json: /start_points/2: the same point as /start_points/0 (each start point is evaluated once)");
  CHECK(error_of(with("/start_points", json{{"x", 0.5}})) ==
        "c.json: /start_points: expected an array of points, each an object of parameter values");
  // A partial point leaves the rest to the optimizer; its values are still checked.
  CHECK(tune_config_from_json(with("/start_points", json::array({json{{"x", 0.5}}})), "c.json", "/tmp").start_points ==
        std::vector<gpbo::bo::Point>{{{"x", 0.5}}});
  CHECK(error_of(with("/start_points", json::array({json{{"x", 2}}}))) ==
        "c.json: /start_points/0: parameter 'x': value 2 is outside [0, 1]");
  CHECK(error_of(with("/start_points", json::array({json{{"n", 3}}, json{{"n", 3.0}}}))) ==
        "c.json: /start_points/1: the same point as /start_points/0 (each start point is evaluated once)");
  {  // A conditional fixed parameter's own value where it is inactive, or its parent is left
     // free, is left out (earlier builds ignored it, and runs started with such points resume);
     // another value is refused.
    json j = minimal();
    j["space"]["opt"] = {{"type", "categorical"}, {"choices", {"sgd", "adam"}}};
    j["space"]["beta2"] = {{"type", "fixed"}, {"value", 0.999}, {"when", {{"opt", "adam"}}}};
    j["objective"]["command"] = {"/bin/echo", "{x}", "{n}", "{opt}", "{beta2}"};
    j["start_points"] = {{{"x", 0.5}, {"beta2", 0.999}}, {{"x", 0.5}, {"n", 2}, {"opt", "sgd"}, {"beta2", 0.999}}};
    const auto c = tune_config_from_json(j, "c.json", "/tmp");
    REQUIRE(c.start_points.size() == 2);
    CHECK(c.start_points[0] == gpbo::bo::Point{{"x", 0.5}});
    CHECK(c.start_points[1] == gpbo::bo::Point{{"x", 0.5}, {"n", std::int64_t{2}}, {"opt", std::string("sgd")}});
    j["start_points"] = {{{"x", 0.5}, {"n", 2}, {"opt", "sgd"}, {"beta2", 0.5}}};
    CHECK(error_of(j) == "c.json: /start_points/0: parameter 'beta2': inactive here (it needs opt = \"adam\"), so it must be left out");
  }
  CHECK(error_of(with("/space/params_file", json{{"type", "real"}, {"low", 0}, {"high", 1}})) ==
        "c.json: /space/params_file: the name \"params_file\" is taken by the {params_file} placeholder; rename the parameter");
  CHECK(error_of(with("/budget", 2.5)) == "c.json: /budget: expected an integer from 1 to 100000000, got 2.5");
  // Names setenv would bend ("A=B" set A to "B=1"; "" was dropped) and NULs exec would cut at.
  for (const std::string name : {"A=B", ""})
    CHECK(error_of(with("/objective/env", json{{name, "1"}})) ==
          "c.json: /objective/env/" + name + ": an environment variable's name must be non-empty, without '=' or NUL");
  CHECK(error_of(with("/objective/env", json{{"A", std::string("a\0b", 3)}})) ==
        "c.json: /objective/env/A: a NUL character cannot reach a program (it would cut the value short)");
  CHECK(error_of(with("/objective/command", json::array({"run", std::string("--x=\0{x}", 7)}))) ==
        "c.json: /objective/command/1: a NUL character cannot reach a program (it would cut the argument short)");
  // JSON Schema's integers include 12.0 (what many JSON writers make of a whole number).
  CHECK(tune_config_from_json(with("/budget", 12.0), "c.json", "/tmp").budget == 12);
  CHECK(error_of(with("/goal", "minimise")) ==
        "c.json: /goal: expected one of minimize, maximize, got \"minimise\" (did you mean \"minimize\"?)");
  CHECK(error_of(with("/space/x/high", -1)).rfind("c.json: /space/x", 0) == 0);
  CHECK(error_of(with("/objective/command", json::array({"run", "{epochs}"}))) ==
        "c.json: /objective/command: placeholder {epochs} names no parameter (parameters: n, x; also {params_file} and {id})");
  CHECK(error_of(with("/objective/command", json::array({"run", "{xx}"}))) ==
        "c.json: /objective/command: placeholder {xx} names no parameter (did you mean {x}?)");
  {  // a parameter name that cannot be a placeholder would reach the program as "{x y}"
    auto j = minimal();
    j["space"]["x y"] = j["space"]["x"];
    j["objective"]["command"] = json::array({"run", "{x y}"});
    CHECK_THAT(error_of(j), Catch::StartsWith("c.json: /objective/command: {x y} cannot be a placeholder"));
    j["objective"]["command"] = json::array({"echo", "{params_file}"});
    CHECK(error_of(j).empty());
  }
  CHECK(error_of(with("/objective/command", json::array())) ==
        "c.json: /objective/command: expected a non-empty array of strings (program and arguments)");
  CHECK(error_of(with("/objective/builtin", "branin")) ==
        "c.json: /objective: expected exactly one of \"builtin\" (a test function name) or \"command\" (an argv array)");
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", "(unclosed"}})).rfind(
            "c.json: /objective/result/pattern: invalid regular expression", 0) == 0);
  // No group: the whole match is the score. "loss " can never be part of a number, so every
  // evaluation failed ("matched text 'loss 0.5' is not a number") after --check said ok.
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", "loss [0-9.]+"}})) ==
        "c.json: /objective/result/pattern: the pattern has no group, so its whole match is the score, but it matches "
        "'l', which no number holds: put the number's part in parentheses, as in loss=(\\S+)");
  for (const std::string whole : {"[-+0-9.eE]+$", "\\d+\\.\\d*", "-?[0-9]{1,3}\\.[0-9]+", "[^a-z ]+", "[0-9.]+(?= ms)", "[0-9.]+(?!x)"}) {
    INFO(whole);
    CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", whole}})).empty());
  }
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", "loss ([0-9.]+)"}})).empty());
  // Patterns run in polynomial time, which back-references cannot; an empty pattern or key
  // matches every line (or none) and was accepted by --check.
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", "(\\d)\\1 ([0-9.]+)"}})) ==
        "c.json: /objective/result/pattern: back-references (\\1) are not supported: patterns run in time linear in each line");
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", ""}})) ==
        "c.json: /objective/result/pattern: expected a regular expression, got an empty one (it matches every line)");
  // libstdc++ compiles by recursion: 100,000 characters overflowed the stack (exit 139).
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", std::string(100000, 'a') + "(\\d)"}})) ==
        "c.json: /objective/result/pattern: expected a regular expression of at most 1000 characters, got 100004");
  // Characters, not bytes: a 2-byte UTF-8 letter counts once.
  std::string accents;
  for (int i = 0; i < 990; ++i) accents += "\u00e9";
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", accents + "(\\d+)"}})).empty());
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", accents + accents + "(\\d+)"}})) ==
        "c.json: /objective/result/pattern: expected a regular expression of at most 1000 characters, got 1985");
  CHECK(error_of(with("/objective/result", {{"type", "regex"}, {"pattern", std::string(400, '(') + "\\d" + std::string(400, ')')}})).empty());
  CHECK(error_of(with("/objective/result", {{"type", "json_key"}, {"key", ""}})) ==
        "c.json: /objective/result/key: expected the JSON key holding the score, got an empty one");
  CHECK(error_of(with("/objective/cwd", "no/such/dir")) == "c.json: /objective/cwd: working directory /tmp/no/such/dir does not exist");
  {  // a program named by a path is checked before any run (before, every evaluation failed, exit 3)
    const auto dir = std::filesystem::temp_directory_path() / ("gpbo_cfg_prog_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "sub");
    std::ofstream(dir / "train.py") << "print(1)\n";  // not executable
    const std::string plain = (dir / "train.py").string();
    CHECK(error_of(with("/objective/command", {plain, "{x}"})) ==
          "c.json: /objective/command/0: program " + plain + " is not executable (chmod +x it, or name its interpreter first, "
          "e.g. [\"python3\", \"" + plain + "\", ...])");
    CHECK(error_of(with("/objective/command", {(dir / "sub").string()})) ==
          "c.json: /objective/command/0: program " + (dir / "sub").string() + " is a directory");
    CHECK(error_of(with("/objective/command", {(dir / "gone.sh").string()})) ==
          "c.json: /objective/command/0: program " + (dir / "gone.sh").string() + " does not exist");
    CHECK(error_of(with("/objective/command", {"sh", plain, "{x}", "{n}"})).empty());  // a bare name is looked up on PATH
    // A bare name not on PATH, for a file that is in the working directory: a natural slip.
    auto bare = with("/objective/command", {"train.py", "{x}"});
    bare["objective"]["cwd"] = dir.string();
    CHECK(error_of(bare) ==
          "c.json: /objective/command/0: program \"train.py\" is not found on PATH; for the file in the working directory "
          "write \"./train.py\"");
    CHECK(error_of(with("/objective/command", {"gpbo-no-such-program"})) ==
          "c.json: /objective/command/0: program \"gpbo-no-such-program\" is not found on PATH");
    std::filesystem::remove_all(dir);
  }
  {  // every tuned parameter must reach the program: in argv, through {params_file}, or on stdin
    CHECK(error_of(with("/objective/command", {"echo", "{x}"})) ==
          "c.json: /objective/command: parameter \"n\" reaches the program nowhere: add {n} to the command, pass "
          "{params_file}, or set \"params\": \"stdin\"");
    CHECK(error_of(with("/objective/command", {"echo", "--params={params_file}"})).empty());
    auto on_stdin = with("/objective/command", {"echo"});
    on_stdin["objective"]["params"] = "stdin";
    CHECK(error_of(on_stdin).empty());
    auto fixed_only = with("/objective/command", {"echo", "{x}"});
    fixed_only["space"]["n"] = {{"type", "fixed"}, {"value", 3}};
    CHECK(error_of(fixed_only).empty());
  }
  CHECK(error_of(with("/optimizer/initial_points", 80)) == "c.json: /optimizer/initial_points: expected at most the budget (50)");
  CHECK(error_of(with("/optimizer/acquisition", "EI")) ==
        "c.json: /optimizer/acquisition: expected one of log_ei, ei, log_pi, ucb, thompson, noisy_ei, log_nei, got \"EI\" (did you mean \"ei\"?)");
  CHECK(error_of(with("/optimizer/escape", 1)) == "c.json: /optimizer/escape: expected true or false");
  CHECK(error_of(with("/optimizer/short_range", "yes")) ==
        "c.json: /optimizer/short_range: expected \"auto\", true or false");
  CHECK(error_of(with("/optimizer/noise", "sometimes")) ==
        "c.json: /optimizer/noise: expected \"auto\", \"none\" or a noise standard deviation > 0 (objective units), got \"sometimes\"");
  CHECK(error_of(with("/optimizer/noise", "Auto")) ==
        "c.json: /optimizer/noise: expected \"auto\", \"none\" or a noise standard deviation > 0 (objective units), got \"Auto\" (did you mean \"auto\"?)");
  CHECK(error_of(with("/optimizer/noise", 0)) ==
        "c.json: /optimizer/noise: expected a noise standard deviation > 0 (objective units), got 0; for a noiseless "
        "objective write \"none\"");
  CHECK(error_of(with("/optimizer/noise", -0.5)) ==
        "c.json: /optimizer/noise: expected a noise standard deviation > 0 (objective units), got -0.5");
  // The library's own words ("OptimizerOptions: surrogate.noise_sd ...") came without the path.
  CHECK(error_of(with("/optimizer/noise", 1e200)) ==
        "c.json: /optimizer/noise: expected a noise standard deviation <= 1e77 (objective units), got 1e+200");
  // A subnormal sd was an internal error (its text read back: std::stod's out_of_range).
  CHECK(error_of(with("/optimizer/noise", 1e-320)) ==
        "c.json: /optimizer/noise: expected a noise standard deviation >= 1e-150 (objective units), got 1e-320; "
        "for a noiseless objective write \"none\"");
  CHECK(error_of(with("/optimizer", {{"preset", "fast"}, {"hyperparameters", "mcmc"}})).rfind(
            "c.json: /optimizer/preset: \"fast\" does not combine with \"hyperparameters\": \"mcmc\"", 0) == 0);
  CHECK(error_of(with("/optimizer/xi", -0.5)) ==
        "c.json: /optimizer/xi: expected an improvement margin >= 0 (in standard deviations of the values)");
  CHECK(error_of(with("/optimizer/xi", "wide")) ==
        "c.json: /optimizer/xi: expected an improvement margin >= 0 (in standard deviations of the values)");
  {  // A margin for an acquisition that takes none was ignored without a word.
    auto j = with("/optimizer/xi", 0.1);
    j["optimizer"]["acquisition"] = "ucb";
    CHECK(error_of(j) == "c.json: /optimizer/xi: \"ucb\" takes no improvement margin (xi is for the EI and PI forms); leave xi out");
    j["optimizer"]["acquisition"] = "log_pi";
    CHECK(error_of(j).empty());
  }
  {  // UCB's exploration weight: set through the config, refused where it would do nothing.
    auto j = with("/optimizer/ucb_scale", 0.5);
    CHECK(error_of(j) == "c.json: /optimizer/ucb_scale: is for \"acquisition\": \"ucb\" (got \"log_ei\"); leave ucb_scale out");
    j["optimizer"]["acquisition"] = "ucb";
    CHECK(optimizer_options(tune_config_from_json(j, "c.json", "/tmp")).ucb_scale == 0.5);
    j["optimizer"].erase("ucb_scale");
    CHECK(optimizer_options(tune_config_from_json(j, "c.json", "/tmp")).ucb_scale == gpbo::bo::OptimizerOptions{}.ucb_scale);
    for (const json& bad : {json(0), json(-1), json("wide"), json(1e7)}) {
      j["optimizer"]["ucb_scale"] = bad;
      CHECK(error_of(j) == "c.json: /optimizer/ucb_scale: expected a number in (0, 1e6] (the factor on GP-UCB's beta_t; "
                           "larger explores more), got " + bad.dump());
    }
  }
  CHECK(error_of(with("/workers", 0)) == "c.json: /workers: expected an integer >= 1, got 0");
  CHECK(error_of(with("/workers", 5000)) == "c.json: /workers: expected an integer from 1 to 4096, got 5000");
  CHECK(error_of(with("/budget", 18446744073709551615ULL)) ==
        "c.json: /budget: expected an integer from 1 to 100000000, got 18446744073709551615");
  CHECK(error_of(with("/seed", -1)) == "c.json: /seed: expected a non-negative integer");
  CHECK(tune_config_from_json(with("/seed", 18446744073709551615ULL), "c.json", "/tmp").seed == 18446744073709551615ULL);
  // 1e19 is an integer below 2^64 (it was refused as outside 0 to 2^64 - 1); 2e19 is not.
  CHECK(tune_config_from_json(with("/seed", 1e19), "c.json", "/tmp").seed == 10000000000000000000ULL);
  CHECK(error_of(with("/seed", 2e19)) ==
        "c.json: /seed: expected an integer from 0 to 18446744073709551615, got 2e+19, which is 2^64 or more");
  CHECK(error_of(with("/space/value", {{"type", "real"}, {"low", 0}, {"high", 1}})) ==
        "c.json: /space/value: the name \"value\" is taken by a results.csv column; rename the parameter");
  // gpbo predict --state refused a state with such a parameter only when asked, after the run.
  CHECK(error_of(with("/space/median", {{"type", "real"}, {"low", 0}, {"high", 1}})) ==
        "c.json: /space/median: the name \"median\" is taken by a column of gpbo predict --state's output; rename the parameter");
  CHECK(error_of(with("/objective/result", {{"type", "last_number"}, {"key", "x"}})) ==
        "c.json: /objective/result/key: only used with \"type\": \"json_key\"");
  CHECK(error_of(with("/objective/result", {{"type", "json_key"}, {"key", "x"}, {"pattern", "(.*)"}})) ==
        "c.json: /objective/result/pattern: only used with \"type\": \"regex\"");
  auto no_objective = minimal();
  no_objective.erase("objective");
  CHECK(error_of(no_objective) == "c.json: /: missing key \"objective\" (a built-in function or a command)");
}

TEST_CASE("tune config: outcome constraints from the config, or a built-in's own; mistakes name the path") {
  auto j = minimal();
  CHECK(optimizer_options(tune_config_from_json(j, "c.json", "/tmp")).constraints.empty());
  j["constraints"] = json::parse(R"([{"name": "mem", "max": 512}, {"name": "acc", "min": 0.9, "max": 1}])");
  const auto c = tune_config_from_json(j, "c.json", "/tmp");
  const auto options = optimizer_options(c);
  REQUIRE(options.constraints.size() == 2);
  CHECK(options.constraints[0].describe() == "mem <= 512");
  CHECK(options.constraints[1].describe() == "0.9 <= acc <= 1");
  CHECK(c.objective.command->constraint_names == std::vector<std::string>{"mem", "acc"});  // read from its stdout
  // ask/tell configs (no objective) take them too.
  auto ask = j;
  ask.erase("objective");
  CHECK(tune_config_from_json(ask, "c.json", "/tmp", gpbo::tune::ObjectiveRequirement::Optional).constraints.size() == 2);
  // A built-in objective brings its own, and reports no others.
  const auto spring = tune_config_from_json(json{{"objective", {{"builtin", "tension_spring"}}}}, "c.json", "/tmp");
  REQUIRE(optimizer_options(spring).constraints.size() == 4);
  CHECK(spring.constraints[0].describe() == "deflection <= 0");
  CHECK(error_of(json{{"objective", {{"builtin", "gramacy_toy"}}}, {"constraints", json::array()}}) ==
        "c.json: /constraints: the built-in gramacy_toy brings its own constraints (c1 <= 0, c2 <= 0); remove \"constraints\"");
  CHECK(error_of(json{{"objective", {{"builtin", "branin"}}}, {"constraints", json::array()}}) ==
        "c.json: /constraints: the built-in branin reports no constraint values; outcome constraints need a command "
        "objective (or gpbo ask/tell)");
  auto with = [](const std::string& constraints) {
    auto k = minimal();
    k["constraints"] = json::parse(constraints);
    return k;
  };
  CHECK(error_of(with(R"({"name": "mem", "max": 1})")) ==
        "c.json: /constraints: expected an array of {\"name\": ..., \"min\": ..., \"max\": ...} objects");
  CHECK(error_of(with(R"([{"name": "mem", "max": "512"}])")) == "c.json: /constraints/0/max: expected a number");
  CHECK(error_of(with(R"([{"name": "mem", "mx": 512}])")) == "c.json: /constraints/0/mx: unknown key \"mx\" (did you mean \"max\"?)");
  CHECK(error_of(with(R"([{"max": 512}])")) == "c.json: /constraints/0: missing key \"name\"");
  CHECK(error_of(with(R"([{"name": "mem"}])")) == "c.json: /constraints/0: expected \"min\", \"max\" or both");
  // Each error names the constraint and its field, not the whole list.
  CHECK(error_of(with(R"([{"name": "mem", "min": 2, "max": 1}])")) == "c.json: /constraints/0: the lower bound is above the upper bound");
  CHECK(error_of(with(R"([{"name": "mem", "max": 1}, {"name": "mem", "min": 0}])")) ==
        "c.json: /constraints/1/name: the name is used twice (constraint 0 has it too)");
  CHECK(error_of(with(R"([{"name": "mem", "max": 1}, {"name": "", "min": 0}])")) == "c.json: /constraints/1/name: needs a name");
  // Each constraint is a results.csv column of its own.
  CHECK(error_of(with(R"([{"name": "x", "max": 1}])")) ==
        "c.json: /constraints/0/name: \"x\" is a parameter's name; a constraint needs a results.csv column of its own");
  for (const char* column : {"value", "status", "feasible"})
    CHECK(error_of(with(std::string(R"([{"name": ")") + column + R"(", "max": 1}])")) ==
          std::string("c.json: /constraints/0/name: the name \"") + column + "\" is taken by a results.csv column; rename the constraint");
  auto feasible_parameter = with(R"([{"name": "mem", "max": 1}])");
  feasible_parameter["space"]["feasible"] = feasible_parameter["space"]["x"];
  feasible_parameter["objective"]["command"] = json::array({"/bin/echo", "{x}", "{n}", "{feasible}"});
  CHECK(error_of(feasible_parameter) ==
        "c.json: /space/feasible: with constraints, the name \"feasible\" is taken by a results.csv column; rename the parameter");
}

TEST_CASE("tune config: a command's noise sd by name, a built-in's with report_sd; mistakes name the path") {
  auto j = minimal();
  CHECK(tune_config_from_json(j, "c.json", "/tmp").objective.command->sd_name.empty());
  j["objective"]["result"] = json{{"sd", "loss_sd"}};  // "type" defaults to last_number
  const auto c = tune_config_from_json(j, "c.json", "/tmp");
  CHECK(c.objective.command->sd_name == "loss_sd");
  CHECK(c.objective.command->reader.kind == gpbo::tune::ResultReader::Kind::LastNumber);
  const auto with_sd = [](const json& sd, const json& more = json::object()) {
    auto k = minimal();
    k["objective"]["result"] = more;
    k["objective"]["result"]["sd"] = sd;
    return k;
  };
  CHECK(error_of(with_sd(1)) == "c.json: /objective/result/sd: expected a string");
  CHECK(error_of(with_sd("loss sd")) == "c.json: /objective/result/sd: expected the name the command prints the sd under "
                                        "(as \"loss_sd\" in \"loss_sd: 0.004\"), without blanks, ':' or '='");
  CHECK(error_of(with_sd("x")) == "c.json: /objective/result/sd: \"x\" is a parameter's name; name the sd's line otherwise");
  CHECK(error_of(with_sd("loss", {{"type", "json_key"}, {"key", "loss"}})) ==
        "c.json: /objective/result/sd: \"loss\" is the score's key; the sd needs a key of its own");
  auto constrained = with_sd("mem");
  constrained["constraints"] = json::parse(R"([{"name": "mem", "max": 512}])");
  CHECK(error_of(constrained) == "c.json: /objective/result/sd: \"mem\" is a constraint's name; the sd needs a name of its own");
  // results.csv's value_sd column is no parameter's or constraint's name.
  auto parameter = minimal();
  parameter["space"]["value_sd"] = parameter["space"]["x"];
  CHECK(error_of(parameter) == "c.json: /space/value_sd: the name \"value_sd\" is taken by a results.csv column (the values' noise sd); rename the parameter");
  auto constraint = minimal();
  constraint["constraints"] = json::parse(R"([{"name": "value_sd", "max": 1}])");
  CHECK(error_of(constraint) == "c.json: /constraints/0/name: the name \"value_sd\" is taken by a results.csv column; rename the constraint");
  // A built-in reports the sd of the noise it adds.
  const auto builtin = tune_config_from_json(json::parse(R"({"objective": {"builtin": "branin", "noise_sd": 0.1, "report_sd": true}})"), "c.json", "/tmp");
  CHECK(builtin.objective.report_sd);
  CHECK(error_of(json::parse(R"({"objective": {"builtin": "branin", "report_sd": true}})")) ==
        "c.json: /objective/report_sd: a built-in reports the sd of the noise it adds: give it \"noise_sd\" > 0");
  CHECK(error_of(json::parse(R"({"objective": {"builtin": "branin", "noise_sd": 0.1, "report_sd": 1}})")) ==
        "c.json: /objective/report_sd: expected true or false");
  auto command = minimal();
  command["objective"]["report_sd"] = true;
  CHECK(error_of(command) == "c.json: /objective/report_sd: only a built-in objective takes report_sd (a command names its "
                             "sd's line in \"result\": {\"sd\": \"loss_sd\"})");
}

TEST_CASE("tune config: a conditional parameter's placeholder needs an argument of its own") {
  auto j = minimal();
  j["space"]["opt"] = json::parse(R"({"type": "categorical", "choices": ["adam", "sgd"]})");
  j["space"]["m"] = json::parse(R"({"type": "real", "low": 0, "high": 1, "when": {"opt": "sgd"}})");
  j["objective"]["command"] = json::parse(R"(["/bin/echo", "{x}", "{n}", "{opt}", "--m={m}"])");
  CHECK(error_of(j).empty());
  j["objective"]["command"] = json::parse(R"(["/bin/echo", "{x}", "{n}", "{opt}:{m}"])");
  CHECK(error_of(j) == "c.json: /objective/command/3: \"{opt}:{m}\" holds the conditional parameter {m} and other placeholders; "
                       "where m is inactive the whole argument is left out, so give {m} an argument of its own (as \"--m={m}\")");
  // A flag and its conditional value as two arguments: the flag would go without its value.
  j["objective"]["command"] = json::parse(R"(["/bin/echo", "{x}", "{n}", "{opt}", "--momentum", "{m}"])");
  CHECK(error_of(j) == "c.json: /objective/command/5: the conditional parameter {m} follows the flag \"--momentum\" as an "
                       "argument of its own; where m is inactive only \"{m}\" is left out and \"--momentum\" would reach the "
                       "program without a value: write \"--momentum={m}\" as one argument");
  // A flag before an unconditional parameter, and a positional conditional one, are fine.
  j["objective"]["command"] = json::parse(R"(["/bin/echo", "--x", "{x}", "{n}", "{opt}", "{m}"])");
  CHECK(error_of(j).empty());
  j["space"]["m"]["when"] = {{"op", "sgd"}};
  CHECK(error_of(j) == "c.json: /space/m/when/op: unknown parameter \"op\" (did you mean \"opt\"?)");
}

TEST_CASE("tune config: linear parameter constraints on a command's or a built-in's space; mistakes name the path") {
  auto j = minimal();
  j["parameter_constraints"] = json::parse(R"([{"sum": {"x": 1, "n": 0.25}, "max": 1}])");
  const auto c = tune_config_from_json(j, "c.json", "/tmp");
  REQUIRE(c.space.constraints().size() == 1);
  CHECK(c.space.constraints()[0].describe() == "0.25 n + x <= 1");
  j["start_points"] = json::parse(R"([{"x": 0.9, "n": 2}])");
  CHECK(error_of(j) == "c.json: /start_points/0: point breaks the constraint 0.25 n + x <= 1 (the sum is 1.4)");
  j.erase("start_points");
  j["parameter_constraints"][0]["sum"]["nn"] = 1;
  CHECK(error_of(j) == "c.json: /parameter_constraints/0/sum/nn: unknown parameter \"nn\" (did you mean \"n\"?)");
  j["parameter_constraints"] = json::parse(R"([{"sum": {"x": 1}, "min": 2}])");
  CHECK(error_of(j) == "c.json: /parameter_constraints/0: constraint 2 <= x: no point of the space meets it (over the "
                       "parameters' ranges the sum lies in [0, 1])");
  json b = json::parse(R"({"objective": {"builtin": "branin"}, "parameter_constraints": [{"sum": {"x0": 1, "x1": 1}, "max": 2}]})");
  CHECK(tune_config_from_json(b, "c.json", "/tmp").space.constraints().size() == 1);
}

TEST_CASE("tune config: every example in configs/ loads") {
  for (const char* name : {"quickstart", "command", "mixed_space", "noisy", "batch_workers", "failures", "constrained", "constrained_command",
                           "parameter_constraints"}) {
    INFO(name);
    const auto c = gpbo::tune::load_tune_config(std::string(GPBO_SOURCE_DIR) + "/configs/" + name + ".json");
    CHECK(c.space.size() >= 2);
  }
  CHECK_THROWS_WITH(gpbo::tune::load_tune_config("/nonexistent.json"), "/nonexistent.json: cannot open config file");
}

TEST_CASE("tune config: single-point corruptions are accepted or rejected with a ConfigError naming c.json") {
  json full = minimal();
  full["space"]["lr"] = {{"type", "real"}, {"low", 1e-5}, {"high", 1e-1}, {"log", true}};
  full["space"]["act"] = {{"type", "categorical"}, {"choices", {"relu", "tanh", 3}}};
  full["space"]["k"] = {{"type", "fixed"}, {"value", 2}};
  full["stop"] = {{"target", 0.5}, {"patience", 7}, {"max_time_s", 60}};
  full["optimizer"] = {{"noise", 0.01}, {"initial_points", 5}, {"preset", "fast"}, {"acquisition", "log_pi"}, {"xi", 0.1}};
  full["objective"]["result"] = {{"type", "regex"}, {"pattern", "loss=(\\S+)"}};
  full["objective"]["timeout_s"] = 30;
  full["objective"]["env"] = {{"A", "1"}};
  full["seed"] = 9;
  full["workers"] = 2;
  gpbo::test::check_corruptions<ConfigError>(
      full,
      [](const json& j) {
        const auto options = optimizer_options(tune_config_from_json(j, "c.json", "/tmp"));
        CHECK_NOTHROW(options.validate());
      },
      [](const ConfigError& e) { CHECK_THAT(e.what(), Catch::StartsWith("c.json")); });
}

TEST_CASE("run summary: a long text value is shortened in eval lines, at a UTF-8 character boundary") {
  using gpbo::tune::short_value;
  CHECK(short_value(gpbo::bo::Value(std::string("relu"))) == "relu");
  CHECK(short_value(gpbo::bo::Value(0.123456789)) == "0.123457");
  CHECK(short_value(gpbo::bo::Value(-0.0)) == "0");  // an objective's "-0" is a zero to people
  CHECK(gpbo::tune::short_number(-1e-300) == "-1e-300");
  const std::string prompt = std::string(39, 'a') + "\xC3\xA9" + std::string(200000, 'b');  // é at bytes 39-40
  CHECK(short_value(gpbo::bo::Value(prompt)) == std::string(39, 'a') + "... (200041 bytes)");
}

TEST_CASE("run summary: values told with their sd get a recommendation under noise \"none\" too") {
  // noise "none" adds no noise of its own, yet the told sds make the best value partly luck: the
  // summary showed only that value.
  namespace bo = gpbo::bo;
  bo::Space space;
  space.add(bo::Parameter::real("x", 0, 1));
  bo::OptimizerOptions o;
  o.seed = 2;
  o.initial_points = 4;
  o.surrogate.noise = bo::NoiseMode::None;
  o.stop.target = -0.1;
  gpbo::tune::RunState state{nlohmann::json::object(), bo::Optimizer(space, o), {}, nlohmann::json::object()};
  // (x - 0.3)^2 on a grid, each value told with sd 0.1, and a lucky -0.2 at x = 0.9 (true 0.36)
  // between neighbours that say otherwise.
  for (int i = 0; i <= 20; ++i) {
    const double x = i / 20.0;
    state.optimizer.tell(bo::Point{{"x", x}}, bo::Measurement{i == 18 ? -0.2 : (x - 0.3) * (x - 0.3), 0.1});
  }
  for (int i = 0; i < 2; ++i) {  // a model-based suggestion fits the surrogate that recommend() uses
    const auto s = state.optimizer.ask();
    const double x = bo::value_as<double>(s.point, "x");
    state.optimizer.tell(s.id, bo::Measurement{(x - 0.3) * (x - 0.3), 0.1});
  }
  CHECK(bo::value_as<double>(state.optimizer.best()->point, "x") == 0.9);
  const auto pick = gpbo::tune::recommended_trial(state);
  REQUIRE(pick);
  CHECK(std::abs(bo::value_as<double>(pick->point, "x") - 0.3) < 0.1);
  CHECK(pick->id != state.optimizer.best()->id);
  // The lucky draw met the target; the stop line says the model does not believe it.
  CHECK_THAT(gpbo::tune::describe_stop_rule("target", state),
             Catch::StartsWith("stopping rule 'target' met (by observed value -0.2; the model's median there, ") &&
                 Catch::EndsWith(", falls short of it: with noise, a lucky draw can meet a target)"));
  CHECK(gpbo::tune::describe_stop_rule("time", state) == "stopping rule 'max_time_s' met");
}
