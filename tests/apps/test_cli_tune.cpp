// End-to-end tests of `gpbo tune`'s runs: they run the real binary (refusals: test_cli_tune_errors.cpp;
// ask/tell: test_cli_ask_tell.cpp; stopping and resuming: test_cli_tune_resume.cpp).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_test_util.hpp"
#include "gpbo/core/durable_file.hpp"

using namespace cli_test;

TEST_CASE("e2e: a tuning run on a built-in function reaches its target") {
  Scratch s("builtin");
  const auto cfg = branin_with_target(s);
  const auto r = tune_into_run(s, cfg);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("stopping rule 'target' met") != std::string::npos);
  // The summary ends with which parameters mattered to the model, as gpbo show prints it.
  CHECK(r.output.find("parameter importance (share of the model's variance: alone, with interactions)\n  x") != std::string::npos);
  CHECK(gpbo::read_file(s.path("run/log.txt")).find("parameter importance (first-order/total): x") != std::string::npos);
  for (const char* f : {"state.json", "results.csv", "convergence.svg", "parameters.svg", "log.txt", "config.json"})
    CHECK(fs::exists(s.dir / "run" / f));
  CHECK(gpbo::read_file(s.path("run/parameters.svg")).find(">x1<") != std::string::npos);  // Branin's second panel
  const auto rows = csv_rows(s.path("run/results.csv"));
  CHECK(rows.front() == std::vector<std::string>{"id", "x0", "x1", "value", "status", "seconds", "start_time", "reason"});
  CHECK(rows.size() <= 41);
  // A run killed after saving its state but before rewriting results.csv: --resume restores it.
  s.write("run/results.csv", "id,x0,x1,value,status,seconds,start_time,reason\n");
  const auto resumed = tune_into_run(s, cfg, "--resume");
  CHECK(resumed.status == 0);
  CHECK(csv_rows(s.path("run/results.csv")).size() == rows.size());
  // With nothing to run, the resume says so and what would continue the run.
  CHECK(resumed.output.find("nothing to run: stopping rule 'target' met; --resume continues it once stop.target is changed in "
                            "the config\n") != std::string::npos);
  // A finished run directory is not overwritten without --resume, and --resume alone is not
  // offered as the way on (it ran nothing: a newcomer who ran the quickstart twice was sent to it).
  const auto again = sh(cli + " tune " + cfg + " --out " + s.path("run"));
  CHECK(again.status == 2);
  CHECK(again.output.find("already holds a run that has stopped: stopping rule 'target' met; --resume continues it once "
                          "stop.target is changed in the config, or --out DIR starts a new run") != std::string::npos);
  // Judged by the config as given now: with the target changed, --resume would go on.
  const auto lower = s.write("lower.json", R"({"objective": {"builtin": "branin"}, "budget": 40, "stop": {"target": 0.3979}, "seed": 1})");
  const auto changed = sh(cli + " tune " + lower + " --out " + s.path("run"));
  CHECK(changed.status == 2);
  CHECK(changed.output.find("already holds a run: pass --resume to continue it, or --out DIR for a new run") != std::string::npos);
  const auto checked = sh(cli + " tune " + cfg + " --out " + s.path("run") + " --check");  // --check refuses as the run
  CHECK(checked.status == 2);
  CHECK(checked.output.find("already holds a run that has stopped: stopping rule 'target' met") != std::string::npos);
}

TEST_CASE("e2e: a constant objective's summary says that no parameter matters") {
  // The model of equal values wiggles at round-off; its shares of that are no importance.
  Scratch s("constant");
  s.write_script("const.sh", "#!/bin/sh\necho 3.0\n");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}, "y": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./const.sh", "{x}", "{y}"]}, "budget": 14, "seed": 2})");
  const auto r = tune_into_run(s, cfg);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("parameter importance: none (the model's values do not vary: every value observed was alike)\n") !=
        std::string::npos);
  CHECK(gpbo::read_file(s.path("run/log.txt")).find("parameter importance (first-order/total): x 0.00/0.00, y 0.00/0.00") !=
        std::string::npos);
}

TEST_CASE("e2e: objectives that crash, hang, print garbage or NaN are recorded and the run goes on") {
  // A 2 s timeout: a slow start of sh and awk under load (5 at once) must not read as a hang.
  Scratch s("failures");
  s.write_script("objective.sh",
          "#!/bin/sh\ncase $(awk -v x=\"$1\" 'BEGIN{print int(x*5)}') in\n"
          "0) kill -SEGV $$ ;; 1) printf 'step 1\\rstep 2\\n\\033[31mboom\\033[0m\\n' >&2; exit 3 ;; 2) sleep 30 ;; 3) echo nan ;; 4) echo 'no number' ;; *) echo 1 ;;\nesac\n");
  s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 0.9999}},
    "objective": {"command": ["./objective.sh", "{x}"], "timeout_s": 2}, "budget": 5, "workers": 5,
    "optimizer": {"initial_points": 5, "initial_design": "lhs"}})");
  const auto r = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("run"));
  INFO(r.output);
  CHECK(r.status == 3);  // every evaluation failed: a clear message and a distinct status
  CHECK(r.output.find("every evaluation failed") != std::string::npos);
  CHECK(r.output.find("--resume") == std::string::npos);  // the budget is used up: nothing to resume
  const auto csv = gpbo::read_file(s.path("run/results.csv"));
  for (const char* status : {",crashed,", ",failed,", ",timeout,", ",bad_output,"}) CHECK(csv.find(status) != std::string::npos);
  CHECK(csv.find("killed by signal 11") != std::string::npos);
  // Shown as a terminal would, without the control bytes (colour escapes reached the log raw).
  CHECK(r.output.find("stderr: step 2\n    ?[31mboom?[0m") != std::string::npos);
}

TEST_CASE("e2e: five evaluations that all score the same bring a warning (the score is likely misread)") {
  Scratch s("same_values");
  s.write_script("objective.sh", "#!/bin/sh\necho \"result: $1\"\necho 'done, exit 0'\n");
  s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 6})");
  const auto r = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("run") + " --quiet");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("warning: the first 5 evaluations all scored 0;") != std::string::npos);
  CHECK(gpbo::read_file(s.path("run/log.txt")).find("all scored 0") != std::string::npos);
}

TEST_CASE("e2e: with several workers, a run whose first evaluations all fail ends with status 3, not an abort") {
  Scratch s("all_fail_workers");
  s.write_script("objective.sh", "#!/bin/sh\nsleep 0.1\nexit 1\n");
  s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 12, "workers": 2})");
  const auto r = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("run") + " --quiet");
  INFO(r.output);
  CHECK(r.status == 3);  // was 134: threads of the running evaluations were never joined
  CHECK(r.output.find("every evaluation failed") != std::string::npos);
  CHECK(r.output.find("stopping early") != std::string::npos);
  CHECK(r.output.find("continue with\n  gpbo tune " + s.path("c.json") + " --out " + s.path("run") + " --resume") != std::string::npos);
  const auto state = nlohmann::json::parse(gpbo::read_file(s.path("run/state.json")));
  CHECK(state.dump().find("\"running\"") == std::string::npos);  // nothing left half-done
  // Resumed with no budget left: the last failure comes from the state (the message ended in
  // "Last failure: " with nothing after it).
  const auto done = state.at("optimizer").at("trials").size();
  const auto resumed = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("run") + " --quiet --resume --budget " + std::to_string(done));
  INFO(resumed.output);
  CHECK(resumed.status == 3);
  CHECK(resumed.output.find("nothing to run: its budget of " + std::to_string(done) + " evaluations is used up; --resume --budget N "
                            "with N above " + std::to_string(done) + " continues it\n") != std::string::npos);
  CHECK(resumed.output.find("Last failure: failed: exit status 1 (evaluation " + std::to_string(done - 1) + ", in an earlier session)\n") !=
        std::string::npos);
}

TEST_CASE("e2e: progress bars and bytes that are not UTF-8 on an objective's output are kept, not fatal") {
  Scratch s("utf8");
  // A tqdm-like bar of 3-byte characters long enough that the 2 KiB stderr tail cuts into one,
  // a Latin-1 byte, and for x > 0.5 a failure whose stdout holds bytes that are not UTF-8.
  s.write_script("objective.sh",
          "#!/bin/sh\ni=0; while [ $i -lt 800 ]; do printf '\\342\\226\\210' >&2; i=$((i+1)); done\n"
          "printf ' caf\\351\\n' >&2\n"
          "awk -v x=\"$1\" 'BEGIN{ if (x > 0.5) { printf \"r\\351sultat\\n\"; exit 0 } print (x-0.2)^2 }'\n");
  s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 8, "workers": 2})");
  const auto r = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("run") + " --quiet");
  INFO(r.output);
  CHECK(r.status == 0);
  const auto state = nlohmann::json::parse(gpbo::read_file(s.path("run/state.json")));  // valid UTF-8 JSON
  CHECK(state.dump().find("r\xef\xbf\xbdsultat") != std::string::npos);                // U+FFFD for the byte
  const auto csv = gpbo::read_file(s.path("run/results.csv"));
  CHECK(nlohmann::json(csv).dump().size() > 0);  // throws on invalid UTF-8
  // ask/tell: a failure reason typed with a Latin-1 byte is recorded too.
  CHECK(sh(cli + " ask --config " + write_unit_interval_config(s) + " --state " + s.path("at.json")).status == 0);
  const auto told = sh(cli + " tell --state " + s.path("at.json") + " --id 0 --failed \"$(printf 'oom \\377')\"");
  CHECK(told.status == 0);
  CHECK(gpbo::read_file(s.path("at.json")).find("oom \xef\xbf\xbd") != std::string::npos);
}

TEST_CASE("e2e: an evaluation knows its id ({id}, GPBO_EVAL_ID) and its worker slot (GPBO_WORKER)") {
  Scratch s("eval_id");
  s.write_script("objective.sh", "#!/bin/sh\necho \"$1 $GPBO_EVAL_ID $GPBO_WORKER\" >> seen.txt\nsleep 0.05\n"
                          "awk -v x=\"$2\" 'BEGIN{print (x-0.3)^2}'\n");
  s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{id}", "{x}"]}, "budget": 8, "workers": 3})");
  const auto r = sh(cli + " tune " + s.path("c.json") + " --out " + s.path("run") + " --quiet");
  INFO(r.output);
  REQUIRE(r.status == 0);
  std::istringstream seen(gpbo::read_file(s.path("seen.txt")));
  std::set<int> ids, workers;
  for (int id, env_id, worker; seen >> id >> env_id >> worker;) {
    CHECK(id == env_id);
    ids.insert(id);
    workers.insert(worker);
  }
  CHECK(ids == std::set<int>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(*workers.begin() == 0);
  CHECK(*workers.rbegin() <= 2);  // three slots for three workers
}

TEST_CASE("e2e: a run started with SIGCHLD ignored (inherited from its parent) still sees its objectives end") {
  // An inherited SIG_IGN let the kernel reap the objectives itself: the run hung at its first
  // evaluation. perl (perl-base is in every Debian) starts gpbo with SIGCHLD ignored.
  Scratch s("sigchld");
  s.write_script("objective.sh", "#!/bin/sh\nawk -v x=\"$1\" 'BEGIN{print (x-0.3)^2}'\n");
  s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 4, "workers": 2})");
  const auto r = sh("timeout 60 perl -e '$SIG{CHLD} = \"IGNORE\"; exec @ARGV' " + cli + " tune " + s.path("c.json") + " --out " +
                    s.path("run") + " --quiet");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(csv_rows(s.path("run/results.csv")).size() == 5);
  CHECK(gpbo::read_file(s.path("run/results.csv")).find(",ok,") != std::string::npos);
}

TEST_CASE("e2e: a synchronous run with several workers is the same run for the same seed") {
  // Each evaluation sleeps a random time, so the workers finish in a different order every run.
  Scratch s("synchronous");
  s.write_script("objective.sh", "#!/bin/sh\nsleep $(awk 'BEGIN{srand(); print rand() * 0.08}')\n"
                                 "awk -v x=\"$1\" -v y=\"$2\" 'BEGIN{print (x-0.3)^2 + (y-0.6)^2}'\n");
  s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}, "y": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}", "{y}"]}, "budget": 15, "workers": 3, "synchronous": true, "seed": 5})");
  std::vector<std::vector<std::vector<std::string>>> runs;
  for (const std::string name : {"a", "b"}) {
    const auto r = sh(cli + " tune " + s.path("c.json") + " --out " + s.path(name) + " --quiet");
    INFO(r.output);
    REQUIRE(r.status == 0);
    auto rows = csv_rows(s.path(name + "/results.csv"));
    std::sort(rows.begin() + 1, rows.end());  // results.csv lists evaluations as they finished
    for (auto& row : rows) row.resize(4);     // id, x, y, value (not the times)
    runs.push_back(rows);
  }
  REQUIRE(runs[0].size() == 16);
  CHECK(runs[0] == runs[1]);
}

TEST_CASE("e2e: start_points are evaluated first, in tune and in ask") {
  Scratch s("start_points");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 6, "seed": 3,
    "start_points": [{"x0": 3.14159, "x1": 2.275}, {"x0": -5, "x1": 0}, {"x0": 9.42478}]})");
  const auto r = tune_into_run(s, cfg);
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_rows(s.path("run/results.csv"));  // id, x0, x1, value, ...
  REQUIRE(rows.size() == 7);
  CHECK(rows[1][1] == "3.14159");
  CHECK(rows[1][2] == "2.275");
  CHECK(rows[2][1] == "-5");
  CHECK(rows[3][1] == "9.42478");  // a partial start point: x1 is the optimizer's choice
  CHECK_FALSE(rows[3][2].empty());
  CHECK(rows[1][3].rfind("0.3978", 0) == 0);  // a global minimum of Branin
  const auto asked = sh(cli + " ask --config " + cfg + " --state " + s.path("at.json"));
  INFO(asked.output);
  CHECK(nlohmann::json::parse(asked.output)["params"] == nlohmann::json{{"x0", 3.14159}, {"x1", 2.275}});
}

TEST_CASE("e2e: warm_start tells an earlier run's results before the first suggestion") {
  Scratch s("warm_start");
  REQUIRE(tune_into_run(s, s.write("a.json", R"({"objective": {"builtin": "branin"}, "budget": 8, "seed": 1})")).status == 0);
  const auto cfg = s.write("b.json", R"({"objective": {"builtin": "branin"}, "budget": 12, "seed": 2,
    "warm_start": "run/results.csv"})");
  const auto r = sh(cli + " tune " + cfg + " --out " + s.path("second") + " --quiet");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto first = csv_rows(s.path("run/results.csv")), second = csv_rows(s.path("second/results.csv"));
  REQUIRE(second.size() == 13);  // the 8 told (counted in the budget of 12), then 4 new
  CHECK(r.output.find("in this session") == std::string::npos);  // a new run, not a resumed one
  for (std::size_t i = 1; i <= 8; ++i) CHECK(second[i][3] == first[i][3]);
  // A failure told from a warm start says so once, however many runs it passed through.
  s.write("failed.csv", "x0,x1,value,status,reason\n1,2,,crashed,signal 9\n");
  const auto once = s.write("d.json", R"({"objective": {"builtin": "branin"}, "budget": 3, "warm_start": "failed.csv"})");
  const auto twice = s.write("e.json", R"({"objective": {"builtin": "branin"}, "budget": 4, "warm_start": "d_run/results.csv"})");
  REQUIRE(sh(cli + " tune " + once + " --out " + s.path("d_run") + " --quiet").status == 0);
  REQUIRE(sh(cli + " tune " + twice + " --out " + s.path("e_run") + " --quiet").status == 0);
  const auto chained = csv_rows(s.path("e_run/results.csv"));
  REQUIRE(chained.size() == 5);
  CHECK(chained[1].back() == "warm start: signal 9");
  const auto bad = sh(cli + " tune " + s.write("c.json", R"({"objective": {"builtin": "branin"}, "warm_start": "none.csv"})") +
                      " --out " + s.path("third"));
  CHECK(bad.status == 2);
  CHECK(bad.output.find(s.path("c.json") + ": /warm_start: cannot read " + s.path("none.csv")) != std::string::npos);
  // 150000 results need about 540 GB for the model: refused at once (the system killed the run at
  // its first suggestion), by --check too. As gpbo fit refuses such a table.
  std::string big = "x0,x1,value\n";
  for (int i = 0; i < 150000; ++i) big += "0." + std::to_string(i % 997) + ",0.5," + std::to_string(i % 13) + "\n";
  s.write("big.csv", big);
  const auto huge = s.write("d.json", R"({"objective": {"builtin": "branin"}, "budget": 150010, "warm_start": "big.csv"})");
  for (const std::string& mode : std::vector<std::string>{" --check", " --out " + s.path("fourth")}) {
    const auto r2 = sh(cli + " tune " + huge + mode);
    INFO(r2.output);
    CHECK(r2.status == 2);
    CHECK(r2.output.find(huge + ": /warm_start: 150000 results need about 540 GB for the model's covariance matrices, "
                                "more than 80% of this machine's ") != std::string::npos);
  }
}

TEST_CASE("e2e: warm-start rows outside a narrowed space are left out, with a note wherever a run starts") {
  Scratch s("warm_narrowed");
  s.write("earlier.csv", "x,value\n0.2,0.04\n0.7,0.49\n0.9,0.81\n0.4,0.16\n");
  s.write_script("square.sh", "#!/bin/sh\nawk -v x=\"$1\" 'BEGIN{print x * x}'\n");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 0.5}},
    "objective": {"command": ["./square.sh", "{x}"]}, "budget": 4, "warm_start": "earlier.csv"})");
  const std::string note = "note: warm start: left out 2 rows outside the space (the first, ";
  const auto check = sh(cli + " tune " + cfg + " --check --out " + s.path("run"));
  INFO(check.output);
  REQUIRE(check.status == 0);
  CHECK(check.output.find("2 results from the warm start") != std::string::npos);
  CHECK(check.output.find(note) != std::string::npos);
  const auto run = sh(cli + " tune " + cfg + " --out " + s.path("run"));
  INFO(run.output);
  REQUIRE(run.status == 0);
  CHECK(run.output.find(note) != std::string::npos);
  CHECK(gpbo::read_file(s.path("run/log.txt")).find(note) != std::string::npos);
  CHECK(csv_rows(s.path("run/results.csv")).size() == 5);  // the 2 rows inside, then 2 new
  const auto ask = sh(cli + " ask --config " + cfg + " --state " + s.path("state.json"));
  INFO(ask.output);
  CHECK(ask.status == 0);
  CHECK(ask.output.find("gpbo ask: " + note) != std::string::npos);
}

TEST_CASE("e2e: the summary names the model's pick under noise, but not a tie with the best observation") {
  Scratch s("recommended");
  // configs/command.json's score is rounded to 6 decimals: evaluations 16 to 23 all score
  // 0.38, and the summary used to list a later one as "recommended", as if it differed.
  const auto tie = tune_example(s, "command.json", "command");
  INFO(tie.output);
  REQUIRE(tie.status == 0);
  CHECK(tie.output.find("best value 0.38 at evaluation 16") != std::string::npos);
  CHECK(tie.output.find("recommended (") == std::string::npos);
  // The README's noisy example: the best observation owes part of its value to the noise.
  const auto noisy = tune_example(s, "noisy.json", "noisy", "--seed 3");
  INFO(noisy.output);
  REQUIRE(noisy.status == 0);
  // Seven digits: the tenth moves with rounding-level changes to the acquisition's arithmetic.
  CHECK(noisy.output.find("best value -3.4643333") != std::string::npos);
  CHECK(noisy.output.find(" at evaluation 32\n") != std::string::npos);
  CHECK(noisy.output.find("recommended (best posterior mean): evaluation 55, observed value -3.2275895") != std::string::npos);
}

TEST_CASE("e2e: configs/failures.json learns where training diverges and reaches the optimum") {
  // The README's example. Before the failure model, 19 of these 30 evaluations failed.
  Scratch s("diverging");
  const auto r = tune_example(s, "failures.json", "run");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 31);
  int failed = 0;
  double best = 1e300;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i][4] == "failed") ++failed;
    else best = std::min(best, std::stod(rows[i][3]));
  }
  CHECK(failed <= 8);
  CHECK(best < 0.385);  // the optimum is 0.38
  // log.txt: every event starts a line with its time; its stderr tail follows, indented.
  std::istringstream log(gpbo::read_file(s.path("run/log.txt")));
  int continuation = 0;
  for (std::string line; std::getline(log, line);) {
    INFO(line);
    CHECK((line.rfind("2", 0) == 0 || line.rfind("  ", 0) == 0));
    continuation += line.rfind("    epoch", 0) == 0;
  }
  CHECK(continuation == failed);
}

TEST_CASE("e2e: configs/conditional.json passes momentum to sgd runs only and finds the optimum") {
  // train_model.sh exits with an error when given a momentum with adam, or none with sgd: a run
  // without failures shows that every command had exactly the arguments its branch needs.
  Scratch s("conditional");
  const auto r = tune_example(s, "conditional.json", "run");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 31);
  REQUIRE(rows[0] == std::vector<std::string>{"id", "lr", "layers", "optimizer", "momentum", "value", "status", "seconds", "start_time", "reason"});
  int adam = 0, sgd = 0;
  double best = 1e300;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][6] == "ok");
    CHECK(rows[i][4].empty() == (rows[i][3] == "adam"));
    (rows[i][3] == "adam" ? adam : sgd) += 1;
    best = std::min(best, std::stod(rows[i][5]));
  }
  CHECK(adam >= 2);
  CHECK(sgd >= 2);
  CHECK(best < 0.2855);  // the optimum: sgd, momentum 0.9, lr 10^-2.5, 4 layers: 0.285
  // The run's results warm-start another run: inactive cells stay empty.
  const auto cfg = s.write("warm.json", R"({"space": {"lr": {"type": "real", "low": 1e-5, "high": 1e-1, "log": true},
    "layers": {"type": "integer", "low": 1, "high": 8}, "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
    "momentum": {"type": "real", "low": 0.0, "high": 0.99, "when": {"optimizer": "sgd"}}},
    "objective": {"command": [")" + std::string(GPBO_SOURCE_DIR) + R"(/configs/objectives/train_model.sh", "--lr", "{lr}",
      "--layers", "{layers}", "--optimizer", "{optimizer}", "--momentum={momentum}"]},
    "budget": 32, "warm_start": "run/results.csv"})");
  const auto warm = sh(cli + " tune " + cfg + " --out " + s.path("warm") + " --quiet");
  INFO(warm.output);
  CHECK(warm.status == 0);
  CHECK(csv_rows(s.path("warm/results.csv")).size() == 33);
}

TEST_CASE("e2e: gpbo tune --check reads the config as a run would, prints its config.json, and writes nothing") {
  Scratch s("tune_check");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 12, "seed": 1,
    "start_points": [{"x0": 3.14159}]})");
  const auto r = expect_output(cli + " tune " + cfg + " --check --budget 7 --out " + s.path("run"), 0,
                               cfg + ": ok: 2 parameters (2 searched), budget 7, 1 start point, 0 results from the warm start");
  CHECK(r.output.find("a run would write " + s.path("run") + "/ with this config.json:") != std::string::npos);
  CHECK(r.output.find("\"budget\": 7") != std::string::npos);  // the override, as the run would keep it
  CHECK_FALSE(fs::exists(s.dir / "run"));
  // Start points past the budget never run: --check and the run say so (they were dropped silently).
  const auto three = s.write("p.json", R"({"objective": {"builtin": "branin"}, "budget": 2, "seed": 1,
    "start_points": [{"x0": 1, "x1": 1}, {"x0": 2, "x1": 2}, {"x0": 3, "x1": 3}]})");
  const std::string beyond = "warning: 3 start points, but the budget (2) leaves room for 2: the last 1 will not run";
  CHECK(sh(cli + " tune " + three + " --check --out " + s.path("run4")).output.find(beyond) != std::string::npos);
  const auto ran = sh(cli + " tune " + three + " --quiet --out " + s.path("run4"));
  CHECK(ran.status == 0);
  CHECK(ran.output.find(beyond) != std::string::npos);
  // A categorical of one choice is never varied: a forgotten choice, or a fixed value.
  const auto single = s.write("one.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1},
    "act": {"type": "categorical", "choices": ["relu"]}}, "objective": {"command": ["echo", "{x}", "{act}"]}, "budget": 3})");
  const auto one = sh(cli + " tune " + single + " --check --out " + s.path("run5"));
  INFO(one.output);
  CHECK(one.output.find(": ok: 2 parameters (1 searched), budget 3") != std::string::npos);
  const std::string one_choice = "warning: parameter \"act\" is a categorical with one choice, \"relu\": it is never varied (a "
                                 "forgotten choice? {\"type\": \"fixed\", \"value\": ...} says it is meant)";
  CHECK(one.output.find(one_choice) != std::string::npos);
  // The run says it too, in log.txt as well, and again on --resume.
  const auto run_one = sh(cli + " tune " + single + " --quiet --out " + s.path("run5"));
  CHECK(run_one.output.find(one_choice) != std::string::npos);
  CHECK(gpbo::read_file(s.path("run5/log.txt")).find(one_choice) != std::string::npos);
  const auto resumed_one = sh(cli + " tune " + single + " --quiet --resume --budget 4 --out " + s.path("run5"));
  CHECK(resumed_one.output.find(one_choice) != std::string::npos);
  // What a run would refuse, --check refuses with the same words.
  const auto missing = s.write("w.json", R"({"objective": {"builtin": "branin"}, "warm_start": "none.csv"})");
  const auto run_error = sh(cli + " tune " + missing + " --out " + s.path("run2"));
  const auto check_error = sh(cli + " tune " + missing + " --check --out " + s.path("run2"));
  CHECK(run_error.status == 2);
  CHECK(check_error.status == 2);
  CHECK(check_error.output == run_error.output);
  // A warm start with more results than the budget: the run would only warn; so does --check.
  s.write("earlier.csv", "x0,x1,value\n1,2,30\n3,4,20\n5,6,10\n");
  const auto warm = s.write("warm.json", R"({"objective": {"builtin": "branin"}, "warm_start": "earlier.csv", "budget": 2})");
  expect_output(cli + " tune " + warm + " --check --out " + s.path("run3"), 0,
                "warning: the budget (2) is below the 3 evaluations the warm start brings; nothing more would run");
  // Thousands of rows: each suggestion would refit on all of them.
  std::string rows = "x0,x1,value\n";
  for (int i = 0; i < 1001; ++i) rows += std::to_string(-5.0 + 15.0 * i / 1001.0) + ",7," + std::to_string(i) + "\n";
  s.write("large.csv", rows);
  const auto large = s.write("large.json", R"({"objective": {"builtin": "branin"}, "warm_start": "large.csv", "budget": 2100})");
  expect_output(cli + " tune " + large + " --check --out " + s.path("run_large"), 0,
                "warning: the warm start brings 1001 results: every suggestion refits the model on all of them");
}

TEST_CASE("e2e: gpbo tune --check --resume checks an edited config against the run as resuming would") {
  Scratch s("tune_check_resume");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 6, "seed": 1})");
  const std::string run = s.path("run");
  REQUIRE(sh(cli + " tune " + cfg + " --out " + run + " --quiet").status == 0);
  const std::string before = gpbo::read_file(run + "/config.json"), state = gpbo::read_file(run + "/state.json");
  const auto r = expect_output(cli + " tune " + cfg + " --out " + run + " --check --resume --budget 9", 0,
                               run + ": ok to resume with " + cfg + ": 6 evaluations done (0 failed), 0 pending to run again, budget 9: up to 3 more");
  CHECK(r.output.find("\"budget\": 9") != std::string::npos);
  // What --resume would refuse, --check --resume refuses with the same words; nothing changes.
  const auto refused = [&](const std::string& args) {
    const auto checked = sh(cli + " tune " + args + " --check --resume");
    const auto resumed = sh(cli + " tune " + args + " --resume");
    CHECK(checked.status == 2);
    CHECK(resumed.status == 2);
    CHECK(checked.output == resumed.output);
  };
  refused(cfg + " --out " + run + " --budget 4");  // below what is done
  refused(cfg + " --out " + run + " --seed 2");    // another seed
  const auto other = s.write("other.json", R"({"objective": {"builtin": "hartmann6"}, "budget": 9, "seed": 1})");
  refused(other + " --out " + run);                // another space
  refused(cfg + " --out " + s.path("none"));       // no run there
  // Without --resume, --check refuses a directory holding a run as the run does (it printed "ok"
  // and exited 0, so a script gating on it started a run that failed).
  const auto checked = sh(cli + " tune " + cfg + " --out " + run + " --check");
  const auto started = sh(cli + " tune " + cfg + " --out " + run);
  CHECK(checked.status == 2);
  CHECK(started.status == 2);
  CHECK(checked.output == started.output);
  CHECK(gpbo::read_file(run + "/config.json") == before);
  CHECK(gpbo::read_file(run + "/state.json") == state);
}
