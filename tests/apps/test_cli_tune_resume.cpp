// End-to-end tests of how `gpbo tune` runs stop and go on: --resume after a stopping rule, SIGKILL,
// SIGTERM or a vanished program, and a run directory that belongs to another run. They run the
// real binary (the runs themselves: test_cli_tune.cpp).
#include <catch2/catch.hpp>

#include <ctime>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_test_util.hpp"
#include "gpbo/core/durable_file.hpp"

using namespace cli_test;

TEST_CASE("e2e: a new run refuses a directory holding files of an earlier run without its state") {
  // Before, results.csv (or the log) of a run whose state.json was gone was silently overwritten.
  Scratch s("leftovers");
  const auto cfg = branin_with_target(s);
  for (const std::string file : {"results.csv", "log.txt", "convergence.svg", "parameters.svg", "config.json"}) {
    fs::remove_all(s.dir / "run");
    fs::create_directories(s.dir / "run");
    const auto kept = s.write("run/" + file, "precious\n");
    const auto r = tune_into_run(s, cfg);
    INFO(file << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(s.path("run") + " already holds " + file + " from an earlier run (but no state.json to resume): "
                        "refusing to overwrite it") != std::string::npos);
    CHECK(gpbo::read_file(kept) == "precious\n");
    CHECK_FALSE(fs::exists(s.dir / "run" / "state.json"));
  }
}

TEST_CASE("e2e: a run resumed with a larger budget still stops at its target") {
  // The optimizer's state kept the first budget (5), which masked the target after resuming: the
  // run went on to the new budget of 40 after the target was met.
  Scratch s("resume_target");
  const auto cfg = branin_with_target(s);
  const auto first = tune_into_run(s, cfg, "--budget 5");
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK(first.output.find("budget of 5 evaluations reached") != std::string::npos);
  const auto resumed = tune_into_run(s, cfg, "--resume --budget 40");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  CHECK(resumed.output.find("stopping rule 'target' met") != std::string::npos);
  CHECK(csv_rows(s.path("run/results.csv")).size() < 41);
}

TEST_CASE("e2e: a run stopped by a stopping rule continues when the config's rule is changed") {
  // Stopping rules, the timeout and the name say how long and how a run goes, not what it
  // optimizes: changing them on --resume used to be refused as "a different config".
  Scratch s("resume_rule");
  const std::string base = R"({"objective": {"builtin": "branin"}, "budget": 30, "seed": 1, "name": "first", )";
  const auto cfg = s.write("c.json", base + R"("stop": {"patience": 1}})");
  const auto first = tune_into_run(s, cfg);
  INFO(first.output);
  REQUIRE(first.status == 0);
  // Branin's best of seed 1 is the design's first point: the count starts after the design.
  REQUIRE(first.output.find("stopping rule 'patience' met (1 evaluation without an improvement since the initial design)") !=
          std::string::npos);
  // gpbo show says so too (an ask/tell loop's state ends the same way).
  const auto shown = sh(cli + " show --state " + s.path("run/state.json"));
  INFO(shown.output);
  CHECK(shown.output.find("\nstopped: stopping rule 'patience' met (1 evaluation without an improvement since the initial "
                          "design) (gpbo ask has nothing more to ask)\n") != std::string::npos);
  CHECK(nlohmann::json::parse(sh(cli + " show --state " + s.path("run/state.json") + " --json").output)["stop"] == "patience");
  const auto done = csv_rows(s.path("run/results.csv")).size();
  s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 30, "seed": 1, "name": "second", "stop": {"patience": 100}})");
  const auto resumed = tune_into_run(s, cfg, "--resume");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  CHECK(resumed.output.find("budget of 30 evaluations reached") != std::string::npos);
  CHECK(resumed.output.find(" in this session)") != std::string::npos);
  CHECK(csv_rows(s.path("run/results.csv")).size() == 31);
  CHECK(done < 31);
  // What is optimized still may not change.
  s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 30, "seed": 1, "goal": "maximize"})");
  const auto other = tune_into_run(s, cfg, "--resume");
  CHECK(other.status == 2);
  CHECK(other.output.find("made from a different config (they differ at /goal)") != std::string::npos);
  // Several differences are named (a changed seed hid the others), with the way on.
  s.write("c.json", R"({"objective": {"builtin": "hartmann6"}, "budget": 30, "seed": 2, "goal": "maximize",
    "optimizer": {"initial_points": 5}})");
  const auto several = tune_into_run(s, cfg, "--resume");
  INFO(several.output);
  CHECK(several.status == 2);
  CHECK(several.output.find("made from a different config (they differ at /objective/builtin, /seed, /goal and 1 more); "
                            "refusing to use or overwrite it — resume with the config it was made from (" + s.path("run") +
                            "/config.json; budget, workers, synchronous, name, stop and the objective's timeout_s and cwd "
                            "may change), or start a new run with --out DIR") != std::string::npos);
}

TEST_CASE("e2e: the run directory's config.json resumes the run from anywhere") {
  // Its relative program path used to resolve against the run directory: "program
  // <dir>/run/./objective.sh does not exist". The copy holds the working directory absolute.
  Scratch s("resume_copy");
  const auto cfg = objective_config(s, R"("budget": 3, "seed": 2, "$schema": "./schema.json")");
  REQUIRE(tune_into_run(s, cfg).status == 0);
  const auto copy = nlohmann::json::parse(gpbo::read_file(s.path("run/config.json")));
  CHECK(copy["objective"]["cwd"] == s.dir.string());
  CHECK(copy["$schema"] == s.path("schema.json"));  // an editor's schema path still points at the file
  CHECK(copy["name"] == std::filesystem::path(cfg).stem().string());  // not "config", the copy's own stem
  const auto resumed = sh("cd / && " + cli + " tune " + s.path("run/config.json") + " --out " + s.path("run") +
                          " --resume --budget 5 --quiet");
  INFO(resumed.output);
  CHECK(resumed.status == 0);
  CHECK(resumed.output.find(std::filesystem::path(cfg).stem().string() + ": 5 evaluations") != std::string::npos);
  CHECK(csv_rows(s.path("run/results.csv")).size() == 6);
}

TEST_CASE("e2e: --resume continues a run with the --budget, --workers and --seed it was started with") {
  // Before: the saved run held seed 11, the file none, so --resume (the command gpbo prints on
  // Ctrl-C) was refused as "a different config", --resume --seed 11 as a change of seed; and
  // --resume took the file's budget, not the --budget the run was started with.
  Scratch s("resume_options");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 30, "optimizer": {"initial_points": 3}})");
  REQUIRE(tune_into_run(s, cfg, "--budget 4 --workers 2 --seed 11").status == 0);
  const auto again = tune_into_run(s, cfg, "--resume");
  INFO(again.output);
  REQUIRE(again.status == 0);
  CHECK(again.output.find("4 evaluations (0 failed)") != std::string::npos);  // its budget, not the file's 30
  CHECK(gpbo::read_file(s.path("run/log.txt")).find("budget 4, 2 workers, 4 evaluations already done") !=
        std::string::npos);
  CHECK(tune_into_run(s, cfg, "--resume --seed 11").status == 0);
  const auto other_seed = tune_into_run(s, cfg, "--resume --seed 12");
  CHECK(other_seed.status == 2);
  CHECK(other_seed.output.find("--seed cannot change when resuming (the run keeps its seed, 11)") != std::string::npos);
  // Options given now replace the saved ones, and are kept for the next resume.
  const auto more = tune_into_run(s, cfg, "--resume --budget 6");
  INFO(more.output);
  REQUIRE(more.status == 0);
  CHECK(csv_rows(s.path("run/results.csv")).size() == 7);
  REQUIRE(tune_into_run(s, cfg, "--resume").status == 0);
  CHECK(csv_rows(s.path("run/results.csv")).size() == 7);
}

TEST_CASE("e2e: an external command with 2 workers, killed with SIGKILL and resumed, loses and repeats nothing") {
  Scratch s("resume");
  const auto cfg = objective_config(s, R"("budget": 14, "workers": 2, "seed": 4)");
  const std::string run = cli + " tune " + cfg + " --out " + s.path("run") + " --quiet";
  for (int kill_ms : {350, 500, 250}) {
    const std::string first = fs::exists(s.dir / "run" / "state.json") ? " --resume" : "";
    // The kill comes kill_ms after the run has written its state (a slow start, e.g. under the
    // sanitizers on a loaded machine, must not turn the test into one that resumes nothing).
    sh("(" + run + first + " > /dev/null 2>&1 & pid=$!; i=0; while [ ! -e " + s.path("run/state.json") +
       " ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; sleep " + std::to_string(kill_ms / 1000.0) +
       "; kill -9 $pid; wait $pid) ");
  }
  const auto r = sh(run + " --resume");
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 15);  // header + exactly the budget
  std::set<std::string> ids;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ids.insert(rows[i][0]);
    CHECK(rows[i][4] == "ok");
  }
  CHECK(ids.size() == 14);
  CHECK(r.output.find("14 evaluations (0 failed)") != std::string::npos);
}

TEST_CASE("e2e: an objective still running when gpbo tune is killed with SIGKILL is killed too") {
  // Before, it ran on as an orphan, and --resume started the same evaluation beside it. The
  // command itself gets PR_SET_PDEATHSIG; what it started (a wrapper script's `sleep`, standing
  // for `python train.py`) is killed by the group reaper.
  // SIGKILL to gpbo's whole process group (a shell's `kill -9 %1`) used to take the reaper
  // with it, and what the command started ran on; the reaper now has a session of its own.
  struct Case {
    std::string what, script, kill;
  };
  const std::vector<Case> commands = {
      {"the command", "echo $$ > objective.pid; exec sleep 30", "kill -9 $pid"},
      {"a process the command started", "sleep 30 & echo $! > objective.pid; wait", "kill -9 $pid"},
      {"a process the command started, gpbo's group killed", "sleep 30 & echo $! > objective.pid; wait", "kill -9 -$pid"},
  };
  for (const auto& [what, script, kill] : commands) {
    INFO(what);
    Scratch s("orphan");
    const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
      "objective": {"command": ["/bin/sh", "-c", ")" + script + R"(", "{x}"]}, "workers": 2, "budget": 2})");
    // setsid: gpbo leads a process group of its own, as a job of an interactive shell does.
    const auto r = sh("cd " + s.dir.string() + " && (setsid " + cli + " tune " + cfg + " --out " + s.path("run") + " --quiet > /dev/null 2>&1 & pid=$!; " +
                      "i=0; while [ ! -s objective.pid ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; " + kill + "; wait $pid; echo gpbo=$?; echo objective=$(cat objective.pid))");
    INFO(r.output);
    REQUIRE(r.output.find("gpbo=137") != std::string::npos);  // the kill reached gpbo (not the objective's end)
    const auto at = r.output.find("objective=");
    REQUIRE(at != std::string::npos);
    const std::string pid = r.output.substr(at + 10, r.output.find('\n', at) - at - 10);
    REQUIRE(!pid.empty());
    REQUIRE(pid.find_first_not_of("0123456789") == std::string::npos);
    // Gone, or a zombie (state Z) its new parent has not reaped yet.
    const auto dead = [&] {
      std::ifstream stat("/proc/" + pid + "/stat");
      std::string line;
      if (!std::getline(stat, line)) return true;
      const auto close = line.rfind(')');
      return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
    };
    bool gone = false;
    for (int i = 0; i < 100 && !(gone = dead()); ++i) usleep(50000);
    if (!gone) sh("kill -9 " + pid);
    CHECK(gone);
  }
}

TEST_CASE("e2e: SIGTERM saves the run (exit 143); --resume finishes it and refuses a budget below what was done") {
  Scratch s("interrupted");
  s.write_script("objective.sh", "#!/bin/sh\nsleep 0.1\necho \"$1\"\n");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 14})");
  const auto r = sh("cd " + s.dir.string() + " && (" + cli + " tune " + cfg + " --out " + s.path("run") + " --quiet & pid=$!; " +
                    "i=0; while [ $(grep -c ',ok,' run/results.csv 2>/dev/null || echo 0) -lt 4 ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done; " +
                    "kill -TERM $pid; wait $pid; echo status=$?)");
  INFO(r.output);
  CHECK(r.output.find("status=143") != std::string::npos);  // 128 + SIGTERM, as a shell reports it (was 130)
  CHECK(r.output.find("interrupted: ") != std::string::npos);
  const std::size_t done = csv_rows(s.path("run/results.csv")).size() - 1;
  REQUIRE(done >= 4);
  REQUIRE(done < 14);
  // A temporary of a write that a SIGKILL cut short (its process is gone) is removed on resume.
  const auto dead_pid = sh("sh -c 'echo $$'").output;
  const auto stale = s.write("run/results.csv.tmp." + dead_pid.substr(0, dead_pid.find('\n')), "id,x");
  // A budget below the evaluations done: refused, nothing written (config.json used to take it
  // while the state kept the old one).
  const auto low = tune_into_run(s, cfg, "--resume --budget 2");
  INFO(low.output);
  CHECK(low.status == 2);
  CHECK(low.output.find("--budget 2 is below the " + std::to_string(done) + " evaluations this run has already done") !=
        std::string::npos);
  // The same budget from the config: the message names the config, not a --budget never given.
  std::string low_text = gpbo::read_file(cfg);
  const std::string budget_14 = "\"budget\": 14";
  low_text.replace(low_text.find(budget_14), budget_14.size(), "\"budget\": 2");
  const auto low_config = s.write("low.json", low_text);
  const auto from_config = tune_into_run(s, low_config, "--resume");
  INFO(from_config.output);
  CHECK(from_config.status == 2);
  CHECK(from_config.output.find("the budget of " + low_config + " is below the " + std::to_string(done)) != std::string::npos);
  CHECK(gpbo::read_file(s.path("run/config.json")).find("\"budget\": 14") != std::string::npos);
  const auto resumed = tune_into_run(s, cfg, "--resume");
  INFO(resumed.output);
  CHECK(resumed.status == 0);
  CHECK_FALSE(fs::exists(stale));
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 15);
  std::set<std::string> ids;
  for (std::size_t i = 1; i < rows.size(); ++i) ids.insert(rows[i][0]);
  CHECK(ids.size() == 14);
  // SIGHUP (the terminal closed) saves and stops like SIGTERM, with 129; under nohup, which
  // ignores it, the run goes on to its budget.
  const auto hangup = "(" + cli + " tune " + cfg + " --out %s --quiet --budget 8 > /dev/null 2>&1 & pid=$!; sleep 0.5; "
                      "kill -HUP $pid; wait $pid; echo status=$?)";
  auto with_dir = [&](std::string command, const std::string& dir) { return command.replace(command.find("%s"), 2, dir); };
  const auto hup = sh("cd " + s.dir.string() + " && " + with_dir(hangup, s.path("hup")));
  INFO(hup.output);
  CHECK(hup.output.find("status=129") != std::string::npos);
  const auto nohup = sh("cd " + s.dir.string() + " && nohup sh -c '" + with_dir(hangup, s.path("nohup")) + "'");
  INFO(nohup.output);
  CHECK(nohup.output.find("status=0") != std::string::npos);
  CHECK(csv_rows(s.path("nohup/results.csv")).size() == 9);
}

TEST_CASE("e2e: a program gone mid-run stops the run with its point pending, and --resume runs it") {
  // Before, every further evaluation "failed" at once ("cannot run ..."): the budget burned in
  // seconds and the failure model learned a region that never failed.
  Scratch s("program_gone");
  s.write_script("objective.sh", "#!/bin/sh\nn=$(cat count 2>/dev/null || echo 0)\necho $((n+1)) > count\n"
                          "[ \"$n\" -eq 2 ] && mv objective.sh objective.away\necho \"$1\"\n");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 6})");
  const auto first = tune_into_run(s, cfg);
  INFO(first.output);
  CHECK(first.status == 2);
  CHECK(first.output.find("eval 3 [") != std::string::npos);
  CHECK(first.output.find("NOT RUN: cannot run '" + s.path("objective.sh") + "'") != std::string::npos);  // not "<dir>/./objective.sh"
  CHECK(first.output.find("the run stopped (3 evaluations are saved") != std::string::npos);
  CHECK(csv_rows(s.path("run/results.csv")).size() == 4);
  fs::rename(s.dir / "objective.away", s.dir / "objective.sh");
  const auto again = tune_into_run(s, cfg);  // not stopped by a rule: --resume continues it
  INFO(again.output);
  CHECK(again.output.find(s.path("run") + " already holds a run: pass --resume to continue it, or --out DIR for a new run") !=
        std::string::npos);
  // A budget with no room for the pending point says so (it said "1 interrupted one to run again").
  fs::copy(s.dir / "run", s.dir / "run_small", fs::copy_options::recursive);
  const auto small = sh("cd " + s.dir.string() + " && " + cli + " tune " + cfg + " --out " + s.path("run_small") +
                        " --resume --budget 3");
  INFO(small.output);
  CHECK(small.output.find("3 evaluations already done, 1 interrupted one (the budget leaves room to run 0 again; the rest "
                          "stay pending for a later --resume with a larger --budget)") != std::string::npos);
  // A stopping rule met before the pending point ran: the summary names it (it said nothing).
  fs::copy(s.dir / "run", s.dir / "run_target", fs::copy_options::recursive);
  const auto met = s.write("met.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 6, "stop": {"target": 2}})");
  const auto target = sh("cd " + s.dir.string() + " && " + cli + " tune " + met + " --out " + s.path("run_target") + " --resume");
  INFO(target.output);
  CHECK(target.status == 0);
  CHECK(target.output.find("stopped: stopping rule 'target' met\n") != std::string::npos);
  CHECK(target.output.find("evaluation 3 was suggested but not run; it stays pending in the state, and a --resume that "
                           "continues the run runs it first") != std::string::npos);
  const auto resumed = tune_into_run(s, cfg, "--resume");
  INFO(resumed.output);
  CHECK(resumed.status == 0);
  CHECK(resumed.output.find("suggested but not run") == std::string::npos);
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 7);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][0] == std::to_string(i - 1));  // id 3, the point not run, ran under its own id
    CHECK(rows[i][3] == "ok");
  }
  // A program named by a parameter may be missing for some points only: a failure, run goes on.
  Scratch p("program_parameter");
  p.write_script("a.sh", "#!/bin/sh\necho 1\n");
  const auto by_name = p.write("c.json", R"({"space": {"prog": {"type": "categorical", "choices": ["./a.sh", "./b.sh"]}},
    "objective": {"command": ["{prog}"]}, "budget": 2, "optimizer": {"initial_points": 2}})");
  const auto r = tune_into_run(p, by_name);
  INFO(r.output);
  CHECK(r.output.find("NOT RUN") == std::string::npos);
  CHECK(csv_rows(p.path("run/results.csv")).size() == 3);
  // A {params_file} that cannot be made (TMPDIR gone) stops the run the same way: every
  // evaluation was recorded as failed, the budget spent and the failure model misled.
  Scratch t("params_file_tmpdir");
  const auto with_file = t.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["/bin/cat", "{params_file}"], "result": {"type": "json_key", "key": "x"}}, "budget": 3})");
  const auto no_tmp = sh("cd " + t.dir.string() + " && TMPDIR=" + t.path("gone") + " " + cli + " tune " + with_file +
                         " --out " + t.path("run"));
  INFO(no_tmp.output);
  CHECK(no_tmp.status == 2);
  CHECK(no_tmp.output.find("NOT RUN: cannot create the {params_file} in " + t.path("gone") + " (TMPDIR): No such file or directory") !=
        std::string::npos);
  CHECK(csv_rows(t.path("run/results.csv")).size() == 1);  // the header: nothing recorded as failed
}

TEST_CASE("e2e: an error mid-run with an evaluation still running stops it, says so, and --resume reruns it") {
  // Before, the error left the running evaluation's thread joinable: std::terminate (exit 134,
  // "terminate called without an active exception"), and neither the error nor what to do was
  // shown. Here a report file that cannot be written (results.csv made a directory, as a full
  // disk would fail a write) stands for the error; the first evaluation would run 30 s.
  Scratch s("error_mid_run");
  s.write_script("objective.sh", "#!/bin/sh\nif mkdir first 2>/dev/null; then exec sleep 30; fi\n"
                                 "sleep 0.3\nrm -f run/results.csv && mkdir -p run/results.csv/x\necho \"$1\"\n");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "workers": 2, "budget": 4})");
  const auto start = std::chrono::steady_clock::now();
  const auto r = sh("cd " + s.dir.string() + " && " + cli + " tune " + cfg + " --out run --quiet");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(seconds < 20.0);  // the 30 s evaluation was stopped, not waited for
  CHECK(r.output.find("terminate") == std::string::npos);
  CHECK(r.output.find("gpbo tune: stopped 1 evaluation still running; once the error below is mended,\n  gpbo tune " + cfg +
                      " --out run --resume\nruns it again from the last saved state") != std::string::npos);
  CHECK(r.output.find("results.csv: Is a directory") != std::string::npos);
  fs::remove_all(s.dir / "run" / "results.csv");
  s.write_script("objective.sh", "#!/bin/sh\necho \"$1\"\n");
  const auto resumed = sh("cd " + s.dir.string() + " && " + cli + " tune " + cfg + " --out run --resume");
  INFO(resumed.output);
  CHECK(resumed.status == 0);
  CHECK(resumed.output.find("1 interrupted one to run again") != std::string::npos);
  const auto rows = csv_rows(s.path("run/results.csv"));
  REQUIRE(rows.size() == 5);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(rows[i][0] == std::to_string(i - 1));  // the stopped evaluation ran again under its id
    CHECK(rows[i][3] == "ok");
  }
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)  // they reserve more address space than the limit
namespace {
// A run of `budget` evaluations of a `seconds`-long program with `workers` workers under the shell
// limit `ulimit` (e.g. "-n 18"): it must end normally with every evaluation done and none failed.
// `bound` is what says the limit bound (a warning when it did not, as on a machine with more room).
void run_under_limit(const std::string& name, const std::string& ulimit, int workers, int budget, double seconds,
                     const std::string& bound) {
  Scratch s(name);
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "objective": {"command": ["sh", "-c", "sleep )" +
                                         std::to_string(seconds) + R"(; echo $0", "{x}"]}, "workers": )" + std::to_string(workers) +
                                         R"(, "budget": )" + std::to_string(budget) + "}");
  const auto r = sh("cd " + s.dir.string() + " && ulimit " + ulimit + " && " + cli + " tune " + cfg + " --out run --quiet");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find(std::to_string(budget) + " evaluations (0 failed)") != std::string::npos);
  CHECK(r.output.find("internal error") == std::string::npos);
  if (r.output.find(bound) == std::string::npos) WARN("ulimit " + ulimit + " did not bind here");
}
}  // namespace

TEST_CASE("e2e: workers beyond the threads a memory limit allows: the run goes on with fewer") {
  // Under `ulimit -v 400000` about 7 of 24 worker threads could be started; the 8th's
  // std::system_error ended the run as an "internal error" (exit 1). (A descriptor limit, `ulimit
  // -n 18`, is not tested here: it starves the run's own state writes as well, at random.)
  run_under_limit("thread_limit", "-v 400000", 24, 24, 0.5, "no thread could be started");
}

#endif

TEST_CASE("e2e: gpbo ask and tell on a stopped tune run's state keep its records; show and --resume read it") {
  // tell left the run's record of the id "running" (show then refused the state: it disagreed
  // with the told trial) and ask left none (--resume refused a "damaged" state).
  Scratch s("tune_then_ask");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 10, "seed": 3})");
  REQUIRE(tune_into_run(s, cfg, "--budget 5").status == 0);
  const std::string state = s.path("run/state.json");
  const auto asked = sh(cli + " ask --state " + state + " --config " + cfg);
  INFO(asked.output);
  REQUIRE(asked.status == 0);
  REQUIRE(asked.output.rfind("{\"id\":5,", 0) == 0);
  {  // As if the ask had been two hours ago: the tell records the time between them (it was 0).
    nlohmann::json earlier = nlohmann::json::parse(gpbo::read_file(state));
    REQUIRE(earlier["evaluations"]["5"]["status"] == "running");
    const std::time_t then = std::time(nullptr) - 7200;
    std::tm tm{};
    gmtime_r(&then, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    earlier["evaluations"]["5"]["started_at"] = text;
    gpbo::write_file_atomically(state, earlier.dump());
  }
  const auto told = sh(cli + " tell --state " + state + " --id 5 --value 3.25");
  INFO(told.output);
  REQUIRE(told.status == 0);
  const double seconds = nlohmann::json::parse(gpbo::read_file(state))["evaluations"]["5"]["seconds"].get<double>();
  CHECK(seconds >= 7200);
  CHECK(seconds < 7300);
  REQUIRE(sh(cli + " ask --state " + state).status == 0);  // id 6, left pending
  const auto shown = sh(cli + " show --state " + state + " --csv " + s.path("shown.csv"));
  INFO(shown.output);
  REQUIRE(shown.status == 0);
  const auto rows = csv_records(s.path("shown.csv"));
  REQUIRE(rows.size() == 7);
  CHECK(rows[5].at("status") == "ok");
  CHECK(rows[5].at("value") == "3.25");
  CHECK(rows[6].at("status") == "running");
  {  // A pending trial's record says it runs: "failed" beside it was listed pending and failed at once.
    nlohmann::json edited = nlohmann::json::parse(gpbo::read_file(state));
    edited["evaluations"]["6"]["status"] = "failed";
    const auto copy = s.write("edited.json", edited.dump());
    const auto r = sh(cli + " show --state " + copy);
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("/evaluations/6/status: \"failed\" disagrees with trial 6, which is pending in /optimizer") !=
          std::string::npos);
  }
  // The resumed run evaluates the pending id 6 itself and goes on to the budget.
  const auto resumed = tune_into_run(s, cfg, "--resume --budget 10");  // the run's own --budget was 5
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  const auto results = csv_records(s.path("run/results.csv"));
  REQUIRE(results.size() == 10);
  CHECK(results[5].at("value") == "3.25");
  CHECK(results[6].at("status") == "ok");
}

TEST_CASE("e2e: ask and tell on a tune run without records yet (its warm start filled the budget), and an abandon") {
  // The run's warm start filled its budget, so it started no evaluation and kept no record: ask
  // left its trial without one and --resume refused the state as damaged. A withdrawn
  // suggestion's record kept saying "running".
  Scratch s("warm_then_ask");
  s.write("warm.csv", "x0,x1,value\n0,5,30.5\n5,10,90.2\n-2,3,20.1\n");
  const auto cfg = s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 3, "seed": 2, "warm_start": "warm.csv"})");
  REQUIRE(tune_into_run(s, cfg).status == 0);
  const auto more = s.write("more.json", R"({"objective": {"builtin": "branin"}, "budget": 5, "seed": 2, "warm_start": "warm.csv"})");
  const std::string state = s.path("run/state.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + more + " -n 2").status == 0);  // ids 3 and 4
  REQUIRE(sh(cli + " tell --state " + state + " --id 3 --value 7.5").status == 0);
  REQUIRE(sh(cli + " tell --state " + state + " --id 4 --abandon").status == 0);
  REQUIRE(sh(cli + " show --state " + state + " --csv " + s.path("shown.csv")).status == 0);
  const auto shown = csv_records(s.path("shown.csv"));
  REQUIRE(shown.size() == 5);
  CHECK(shown[3].at("status") == "ok");
  CHECK(shown[4].at("status") == "abandoned");
  const auto resumed = tune_into_run(s, more, "--resume");
  INFO(resumed.output);
  REQUIRE(resumed.status == 0);
  const auto results = csv_records(s.path("run/results.csv"));
  REQUIRE(results.size() == 5);  // the 3 told, id 3, and id 5 run by the resumed run
  CHECK(results[3].at("value") == "7.5");
  CHECK(results[4].at("id") == "5");
}

TEST_CASE("e2e: a run whose finite space is used up says so, not to raise its budget") {
  // It advised --resume --budget N, which then found nothing to run.
  Scratch s("used_up");
  s.write_script("objective.sh", "#!/bin/sh\necho \"$1\"\n");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "categorical", "choices": [1, 2]}},
    "objective": {"command": ["./objective.sh", "{x}"]}, "budget": 2})");
  REQUIRE(sh(cli + " tune " + cfg + " --out " + s.path("run") + " --quiet").status == 0);
  const std::string said = "its budget of 2 evaluations is used up, and all 2 points of the finite search space were suggested: "
                           "there is nothing left to try, or --out DIR starts a new run";
  const auto again = sh(cli + " tune " + cfg + " --out " + s.path("run"));
  CHECK(again.status == 2);
  CHECK(again.output.find(said) != std::string::npos);
  const auto check = sh(cli + " tune " + cfg + " --out " + s.path("run") + " --check --resume --budget 5");
  CHECK(check.status == 0);
  CHECK(check.output.find("but it would stop at once: all 2 points of the finite search space were suggested") != std::string::npos);
}
