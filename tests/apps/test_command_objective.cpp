#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tune/command_objective.hpp"
#include "../temp_path.hpp"

using namespace gpbo::tune;
using Status = CommandOutcome::Status;

namespace {
CommandSpec shell(const std::string& script, double timeout_s = 0) {
  CommandSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.timeout_s = timeout_s;
  return spec;
}
CommandOutcome run(const CommandSpec& spec, const std::map<std::string, std::string>& p = {}) {
  return run_command(spec, p, "{\"x\": 1.5}");
}
}  // namespace

TEST_CASE("command: placeholders are listed and expanded; unknown ones are errors") {
  const std::vector<std::string> argv = {"train.py", "--lr={lr}", "{layers}", "{\"json\": 1}", "{lr}{lr}"};
  CHECK(placeholders_in(argv) == std::vector<std::string>{"lr", "layers"});
  const auto out = expand_argv(argv, {{"lr", "0.01"}, {"layers", "3"}});
  CHECK(out == std::vector<std::string>{"train.py", "--lr=0.01", "3", "{\"json\": 1}", "0.010.01"});
  CHECK_THROWS_WITH(expand_argv({"{nope}"}, {{"lr", "1"}}), "placeholder {nope} names no parameter");
  // An inactive conditional parameter's arguments are left out whole.
  const std::vector<std::string> conditional = {"train.py", "--optimizer", "{opt}", "--momentum={momentum}", "{momentum}", "x{lr}"};
  CHECK(expand_argv(conditional, {{"opt", "adam"}, {"lr", "1"}}, {"momentum"}) ==
        std::vector<std::string>{"train.py", "--optimizer", "adam", "x1"});
  CHECK(expand_argv(conditional, {{"opt", "sgd"}, {"lr", "1"}, {"momentum", "0.9"}}) ==
        std::vector<std::string>{"train.py", "--optimizer", "sgd", "--momentum=0.9", "0.9", "x1"});
}

TEST_CASE("command: result readers find the last number, a regex group, or a JSON key") {
  std::string why;
  ResultReader last;
  CHECK(*read_result(last, "epoch 1 loss 0.9\nepoch 2 loss 0.25\n", why) == 0.25);
  CHECK(*read_result(last, "val=-1.5e-3 done\n\n", why) == -1.5e-3);
  CHECK_FALSE(read_result(last, "no digits here\n", why));
  CHECK(why == "no number found on stdout");
  ResultReader rx{ResultReader::Kind::Regex, R"(accuracy: ([0-9.]+))", ""};
  CHECK(*read_result(rx, "accuracy: 0.91\nloss 3\n", why) == 0.91);
  CHECK_FALSE(read_result(rx, "loss 3\n", why));
  const ResultReader no_group{ResultReader::Kind::Regex, R"(loss \S+)", ""};
  CHECK_FALSE(read_result(no_group, "loss 0.5\n", why));
  CHECK(why == "matched text 'loss 0.5' is not a number (the pattern has no group: put the number's part in "
               "parentheses, as in loss=(\\S+))");
  const ResultReader whole{ResultReader::Kind::Regex, R"([0-9.]+$)", ""};
  CHECK(*read_result(whole, "loss 0.5\n", why) == 0.5);  // without a group, the whole match
  ResultReader js{ResultReader::Kind::JsonKey, "", "score"};
  CHECK(*read_result(js, "{\"score\": 2.5}\n{\"other\": 1}\nplain text\n", why) == 2.5);
  CHECK_FALSE(read_result(js, "{\"score\": \"high\"}\n", why));
  CHECK(why == "key 'score' in the JSON line is not a number");
  // A key given twice: which value was meant? (The last one was taken silently.)
  CHECK_FALSE(read_result(js, "{\"score\": 1, \"score\": 2}\n", why));
  CHECK(why == "the JSON line: key \"score\" appears twice in the object at /");
  CHECK_FALSE(read_named_value("score", "{\"score\": 1, \"score\": 2}\n", why));
  CHECK(why == "the JSON line: key \"score\" appears twice in the object at /");
  CHECK(*read_result(js, "{\"score\": 2.5, \"other\": {\"score\": 1}}\n", why) == 2.5);  // another object's key
}

TEST_CASE("command: NaN and infinity are read in any case, and a JSON line holding one says so") {
  // C's %G prints NAN and INF: the step count before it, or an earlier line's number, was the score.
  std::string why;
  const ResultReader last;
  CHECK(std::isnan(*read_result(last, "step 3 loss NAN\n", why)));
  CHECK(std::isinf(*read_result(last, "epoch 10\nloss INF\n", why)));  // %G, at a line's end
  CHECK(std::isinf(*read_result(last, "step 3: loss = INF\n", why)));
  CHECK(std::isinf(*read_result(last, "epoch 10\nloss inf\n", why)));
  CHECK(std::isinf(*read_result(last, "epoch 10\nloss -INF\n", why)));
  CHECK(*read_result(last, "epoch 10\nloss -Infinity\n", why) < 0);
  CHECK(*read_result(last, "loss 0.5 Nano\n", why) == 0.5);  // a word, not a NaN
  // INF alone in capitals is a log level (Serilog, zerolog), not an infinite score.
  CHECK(*read_result(last, "epoch 3 loss 0.25\n[12:00:00 INF] training done\n", why) == 0.25);
  CHECK(*read_result(last, "loss 0.25\n3:04PM INF finished\n", why) == 0.25);
  CHECK(*read_result(last, "loss 0.25\n[12:00:00 INF]\n", why) == 0.25);
  CHECK(std::isinf(*read_result(last, "epoch 10\nval INF (diverged)\n", why)));  // the 10 was taken
  CHECK(std::isinf(*read_result(last, "step 10\nloss [0.5 INF]\n", why)));
  CHECK(*read_result(last, "loss 0.5\n[INF] done\n", why) == 0.5);
  // A broken result line after a BOM or a stray CR is still one.
  const ResultReader loss{ResultReader::Kind::JsonKey, "", "loss"};
  CHECK_FALSE(read_result(loss, "{\"loss\": 1}\n\r{\"loss\": NaN}\n", why));
  CHECK_FALSE(read_result(loss, "{\"loss\": 1}\n\xEF\xBB\xBF{\"loss\": NaN}\n", why));
  CHECK_THAT(why, Catch::Contains("no NaN"));
  // Python's json.dumps writes NaN: "no JSON object with key 'loss'" hid it.
  const ResultReader js{ResultReader::Kind::JsonKey, "", "loss"};
  CHECK_FALSE(read_result(js, "{\"loss\": NaN, \"acc\": 0.5}\n", why));
  CHECK_THAT(why, Catch::StartsWith("stdout line 1, column ") &&
                      Catch::EndsWith("(JSON numbers are finite: no NaN; Python's json.dumps writes it unless allow_nan=False)"));
  // ... also after a line that reads (its value was taken in silence).
  CHECK_FALSE(read_result(js, "{\"loss\": 0.7}\nepoch 2\n{\"loss\": NaN}\n", why));
  CHECK_THAT(why, Catch::StartsWith("stdout line 3, column ") && Catch::Contains("no NaN"));
  CHECK_FALSE(read_named_value("mem", "{\"loss\": 0.5, \"mem\": Infinity}\n", why));
  CHECK_THAT(why, Catch::StartsWith("'mem': stdout line 1, column ") && Catch::Contains("no Infinity"));
  CHECK_FALSE(read_named_value("mem", "{\"mem\": 3}\n{\"mem\": NaN}\n", why));
  CHECK(*read_result(js, "{\"loss\": 0.5}\n[{\"loss\": 1}]\n", why) == 0.5);  // JSON, but no object
  // A text line quoting an object is no result line, broken or not (as always).
  CHECK(*read_result(js, "{\"loss\": 0.25}\n2024-01-01 INFO metrics {\"loss\": 0.25\n", why) == 0.25);
  CHECK(*read_named_value("mem", "mem: 3\nlog {\"mem\": 3\n", why) == 3);
  // A regex group with a blank after the number (strtod skipped only those before it).
  CHECK(*read_result(ResultReader{ResultReader::Kind::Regex, "loss=(.*)", ""}, "loss=0.5 \n", why) == 0.5);
}

TEST_CASE("command: readers survive hostile output: long matches, backtracking patterns, deep JSON, out-of-range numbers") {
  std::string why;
  // A 200000-character match recursed once a character in the backtracking matcher (a crash at
  // about 20000); "(a*)*b" against a line of a's took exponential time and ignored Ctrl-C.
  const ResultReader digits{ResultReader::Kind::Regex, R"(loss ((\d|\.)+))", ""};
  CHECK(*read_result(digits, "loss " + std::string(4000, '0') + "7\n", why) == 7.0);
  CHECK(*read_result(digits, "loss 0.5\nloss " + std::string(200000, '0') + "7\n", why) == 0.5);  // not searched
  CHECK_FALSE(read_result(digits, "loss " + std::string(200000, '0') + "7\n", why));
  CHECK(why == "no line of stdout matches /loss ((\\d|\\.)+)/ (lines over 4096 characters are not searched)");
  // Of alternatives matching at one place the longest wins (ECMAScript's first-wins read "5").
  CHECK(*read_result(ResultReader{ResultReader::Kind::Regex, R"((\d+|\d+\.\d+))", ""}, "loss 3.5\n", why) == 3.5);
  const ResultReader nested{ResultReader::Kind::Regex, R"((a*)*b ([0-9]+))", ""};
  CHECK_FALSE(read_result(nested, std::string(40, 'a') + "\n", why));
  CHECK(why == "no line of stdout matches /(a*)*b ([0-9]+)/");
  CHECK_THROWS_AS(result_regex(R"((\d)\1)"), std::regex_error);  // back-references
  // A JSON line nested 200000 deep crashed the run when copied; such a line is no JSON object.
  const std::string deep = "{\"loss\": " + std::string(200000, '[') + std::string(200000, ']') + "}\n";
  const ResultReader js{ResultReader::Kind::JsonKey, "", "loss"};
  CHECK_FALSE(read_result(js, deep, why));
  CHECK(why == "no JSON object with key 'loss' found on stdout");
  CHECK_FALSE(read_named_value("mem", "{\"mem\": " + std::string(1000, '[') + std::string(1000, ']') + "}\n", why));
  CHECK(*read_result(ResultReader{}, deep + "loss 0.5\n", why) == 0.5);
  // Beyond double range: refused as configs and tell refuse it, not read as 0 or infinity.
  CHECK_FALSE(read_result(ResultReader{}, "loss 1e-400\n", why));
  CHECK(why == "matched text '1e-400' is beyond the range of a double (it would read as 0)");
  CHECK_FALSE(read_result(ResultReader{}, "loss 1e400\n", why));
  CHECK(why == "matched text '1e400' is beyond the range of a double");
  CHECK(*read_result(ResultReader{}, "loss 1e-310\n", why) == 1e-310);  // subnormal, not zero
  CHECK_FALSE(read_named_value("mem", "mem: 1e-999\n", why));
  CHECK_THAT(why, Catch::StartsWith("'mem' is '1e-999', beyond the range of a double (it would read as 0)"));
}

TEST_CASE("command: a constraint's value comes from the last JSON line with its key, else a 'name: value' line") {
  std::string why;
  const std::string out = "mem: 100\n{\"loss\": 0.3, \"mem\": 420}\nmem = 7\nloss 0.3\n";
  CHECK(*read_named_value("mem", out, why) == 420);  // a JSON line wins over the text lines after it
  CHECK(*read_named_value("mem", "mem: 100\nmem = 7 MB\n", why) == 7);  // the last text line; a unit may follow
  CHECK(*read_named_value("acc", "  acc:0.93, done\n", why) == 0.93);
  CHECK(*read_named_value("mem", "{\"mem\": -1.5e3}\n{\"other\": 1}\n", why) == -1500);
  CHECK(std::isnan(*read_named_value("mem", "mem: nan\n", why)));  // read; the caller refuses it
  // The name must open the line and be followed by ':' or '='.
  for (const std::string text : {"peak mem: 3\n", "mem_peak: 3\n", "mem 3\n", "{\"memory\": 3}\n", ""}) {
    INFO(text);
    CHECK_FALSE(read_named_value("mem", text, why));
    CHECK(why == "'mem' is not on stdout; print a line 'mem: VALUE' or a JSON line {\"mem\": VALUE}");
  }
  CHECK_FALSE(read_named_value("mem", "mem: lots\n", why));
  CHECK(why == "'mem' is 'lots', not a number; print a line 'mem: VALUE' or a JSON line {\"mem\": VALUE}");
  CHECK_FALSE(read_named_value("mem", "{\"mem\": \"420\"}\nmem: 3\n", why));
  CHECK(why == "'mem' in the JSON line is \"420\", not a number; print a line 'mem: VALUE' or a JSON line {\"mem\": VALUE}");
}

TEST_CASE("command: constraint values are read beside the score; a missing or bad one makes bad_output") {
  auto spec = shell("echo '{\"loss\": 0.5, \"mem\": 420}'; echo 'acc = 0.9'");
  spec.reader = {ResultReader::Kind::JsonKey, "", "loss"};
  spec.constraint_names = {"mem", "acc"};
  const auto ok = run(spec);
  CHECK(ok.status == Status::Ok);
  CHECK(*ok.value == 0.5);
  CHECK(ok.constraint_values == std::vector<double>{420, 0.9});
  spec.constraint_names = {"mem", "latency_ms"};
  const auto missing = run(spec);
  CHECK(missing.status == Status::BadOutput);
  CHECK_FALSE(missing.value);
  CHECK(missing.constraint_values.empty());
  CHECK(missing.reason == "constraint 'latency_ms' is not on stdout; print a line 'latency_ms: VALUE' or a JSON line "
                          "{\"latency_ms\": VALUE} (stdout tail: '{\"loss\": 0.5, \"mem\": 420}\\nacc = 0.9')");
  auto infinite = shell("echo 'mem: inf'; echo 0.5");
  infinite.constraint_names = {"mem"};
  const auto inf = run(infinite);
  CHECK(inf.status == Status::BadOutput);
  CHECK(inf.reason == "constraint 'mem' is not finite (inf)");
  // Without constraints nothing more is read.
  CHECK(run(shell("echo 0.5")).constraint_values.empty());
}

TEST_CASE("command: the score's noise sd is read by name; a missing, negative or non-finite one makes bad_output") {
  auto spec = shell("echo 'fold 1: 0.41'; echo 'val_loss 0.38'; echo 'loss_sd: 0.015'; echo 'mem: 300'");
  spec.sd_name = "loss_sd";
  spec.constraint_names = {"mem"};
  const auto ok = run(spec);
  CHECK(ok.status == Status::Ok);
  CHECK(*ok.value == 0.38);  // the lines of the sd and the constraint are no score for last_number
  CHECK(*ok.sd == 0.015);
  CHECK(ok.constraint_values == std::vector<double>{300});
  auto json_line = shell("echo '{\"loss\": 0.5, \"loss_sd\": 0.02}'");
  json_line.reader = {ResultReader::Kind::JsonKey, "", "loss"};
  json_line.sd_name = "loss_sd";
  const auto from_json = run(json_line);
  CHECK(*from_json.value == 0.5);
  CHECK(*from_json.sd == 0.02);
  CHECK_FALSE(run(shell("echo 0.5")).sd);  // not asked for: none
  spec.sd_name = "val_loss_sd";
  const auto missing = run(spec);
  CHECK(missing.status == Status::BadOutput);
  CHECK_FALSE(missing.value);
  CHECK(missing.reason.rfind("noise sd 'val_loss_sd' is not on stdout; print a line 'val_loss_sd: VALUE' or a JSON line", 0) == 0);
  for (const auto& [printed, shown] :
       std::vector<std::pair<std::string, std::string>>{{"-0.1", "-0.1"}, {"nan", "nan"}, {"inf", "inf"}, {"1e160", "1e+160"}}) {
    auto bad = shell("echo 0.5; echo 'sd: " + printed + "'");
    bad.sd_name = "sd";
    const auto out = run(bad);
    CHECK(out.status == Status::BadOutput);
    CHECK(out.reason == "noise sd 'sd' is " + shown + ", not a number >= 0 and below 1e100");
  }
}

TEST_CASE("command: last_number skips the lines of named quantities, as text or JSON") {
  std::string why;
  const ResultReader last;
  CHECK(*read_result(last, "loss 0.3\nmemory_mb: 420\n", why, {"memory_mb"}) == 0.3);
  CHECK(*read_result(last, "loss 0.3\n{\"memory_mb\": 420}\n", why, {"memory_mb"}) == 0.3);
  CHECK(*read_result(last, "loss 0.3\nmemory_mb: 420\n", why) == 420);  // unnamed: the last number
  CHECK_FALSE(read_result(last, "memory_mb: 420\n", why, {"memory_mb"}));
  CHECK(why == "no number found on stdout");
  // Other readers find what they are told to.
  CHECK(*read_result({ResultReader::Kind::Regex, "memory_mb: (\\d+)", ""}, "loss 0.3\nmemory_mb: 420\n", why, {"memory_mb"}) == 420);
}

TEST_CASE("command: last_number reads only a number that stands alone, not digits inside a word") {
  // Before, 0x10 read as 10, 12abc as 12 and 2024-01-01 as -1.
  std::string why;
  const ResultReader last;
  const std::vector<std::pair<std::string, double>> read = {
      {"loss=1.5e-3\n", 1.5e-3}, {"val: -2.5\n", -2.5}, {"1.5\n", 1.5}, {"[0.5]", 0.5}, {"acc 95%\r\n", 95},
      {"Final loss: 0.25.\n", 0.25}, {"lr=1e-3,loss=+.5;", 0.5}, {"x=-1", -1}, {"score 7\ndone 0x10 12abc\n", 7},
      {"epoch 3/10 loss 0.75 at 12:30:05", 0.75}, {"a 4 - b", 4}, {"loss 2 (was 3.5µs)", 2}};
  for (const auto& [text, value] : read) {
    INFO(text);
    const auto v = read_result(last, text, why);
    REQUIRE(v);
    CHECK(*v == value);
  }
  for (const std::string text : {"0x10", "12abc", "2024-01-01", "v1.2.3", "x-1", "3-2", "a+1", "1.5µs", "id_3", "12:30:05",
                                 "3/10", "1e", "-", "..", "run2"}) {
    INFO(text);
    CHECK_FALSE(read_result(last, text + "\n", why));
    CHECK(why == "no number found on stdout");
  }
  CHECK(std::isnan(*read_result(last, "loss nan\n", why)));
  CHECK(std::isinf(*read_result(last, "loss -inf\n", why)));
}

TEST_CASE("command: stdout beyond 16 MiB keeps its end, cut at a line, and a missing score says so") {
  // 17 MB of log lines, then the score: read (the cut starts at a line, not inside "0.12345").
  const auto o = run(shell("yes 'step 12345 of a long log' | head -c 17000000; echo; echo 'loss 0.25'", 30), {});
  CHECK(o.status == Status::Ok);
  CHECK(*o.value == 0.25);
  // One 17 MB line ending in the score: its end is kept.
  CHECK(*run(shell("head -c 17000000 /dev/zero | tr '\\0' a; echo ' loss 0.5'", 30), {}).value == 0.5);
  auto json = shell("echo '{\"loss\": 0.25}'; yes 'step 12345 of a long log' | head -c 17000000", 30);
  json.reader = {ResultReader::Kind::JsonKey, "", "loss"};
  const auto lost = run(json, {});
  CHECK(lost.status == Status::BadOutput);
  CHECK(lost.reason.find("(stdout passed 16 MiB: only about its last 8 MiB were kept; print the result near the end)") != std::string::npos);
}

TEST_CASE("command: a program reaped by someone else is a failure with its status unknown, not a spin or a success") {
  // SIGCHLD ignored after gpbo's reset at its first command: the system reaps the children.
  // Before, the poll loop spun at 100% CPU for good; then an exit 3 read as a success.
  REQUIRE(run(shell("echo 1")).status == Status::Ok);
  const auto old = signal(SIGCHLD, SIG_IGN);
  const auto o = run(shell("echo 0.5; exit 3", 30));
  signal(SIGCHLD, old);
  CHECK(o.status == Status::Failed);
  CHECK(o.reason == "exit status unknown: the program was reaped by another process (was SIGCHLD ignored in gpbo?)");
  CHECK(run(shell("echo 0.25")).status == Status::Ok);
}

TEST_CASE("command: a successful run returns the value and parameters reach the child") {
  auto spec = shell("echo running >&2; echo \"result $0\"", 10);
  spec.argv = {"/bin/sh", "-c", "echo result {x}", "{x}"};
  const auto o = run(spec, {{"x", "4.25"}});
  CHECK(o.status == Status::Ok);
  CHECK(*o.value == 4.25);
  auto stdin_spec = shell("cat");
  stdin_spec.params_on_stdin = true;
  stdin_spec.reader = {ResultReader::Kind::JsonKey, "", "x"};
  CHECK(*run(stdin_spec).value == 1.5);
  auto env_spec = shell("echo $GPBO_TEST_VAR; pwd >&2");
  env_spec.env = {{"GPBO_TEST_VAR", "7"}};
  env_spec.working_directory = "/tmp";
  const auto e = run(env_spec);
  CHECK(*e.value == 7);
  CHECK(e.stderr_tail == "/tmp\n");
  auto file_spec = shell("cat \"$0\"");
  file_spec.argv.push_back("{params_file}");
  file_spec.reader = {ResultReader::Kind::JsonKey, "", "x"};
  CHECK(*run(file_spec).value == 1.5);
}

TEST_CASE("command: parameters on stdin beyond a pipe's 64 KiB neither block nor outlive the timeout") {
  const std::string big = "{\"x\": \"" + std::string(300000, 'v') + "\"}";
  auto reads = shell("wc -c", 10);
  reads.params_on_stdin = true;
  const auto all = run_command(reads, {}, big);
  CHECK(all.status == Status::Ok);
  CHECK(all.value == static_cast<double>(big.size()));
  // A program that never reads its stdin: the write used to block past the deadline (a 6 s
  // program with timeout 1 s came back "ok" after 6 s).
  auto ignores = shell("sleep 20; echo 1", 0.5);
  ignores.params_on_stdin = true;
  const auto late = run_command(ignores, {}, big);
  CHECK(late.status == Status::TimedOut);
  CHECK(late.seconds < 5);
  // One that fills its stdout before it reads: both sides used to wait on each other for ever.
  auto chatty = shell("head -c 200000 /dev/zero | tr '\\0' x; echo; wc -c", 10);
  chatty.params_on_stdin = true;
  const auto both = run_command(chatty, {}, big);
  CHECK(both.status == Status::Ok);
  CHECK(both.value == static_cast<double>(big.size()));
}

TEST_CASE("command: failures are classified with a reason and the stderr tail") {
  const auto failed = run(shell("echo boom >&2; exit 3"));
  CHECK(failed.status == Status::Failed);
  CHECK(failed.reason == "exit status 3");
  CHECK(failed.stderr_tail == "boom\n");

  const auto crashed = run(shell("kill -SEGV $$"));
  CHECK(crashed.status == Status::Crashed);
  CHECK(crashed.reason.rfind("killed by signal 11", 0) == 0);

  const auto hung = run(shell("sleep 30 & sleep 30; echo 1", 0.3));
  CHECK(hung.status == Status::TimedOut);
  CHECK(hung.reason == "timed out after 0.3 s");
  CHECK(hung.seconds < 5);
  // One that closes stdout and stderr first (a daemon's habit) has the same deadline: the wait
  // for its exit ran the full 30 s and came back bad_output.
  const auto silent = run(shell("exec >/dev/null 2>&1; sleep 30; echo 1", 0.3));
  CHECK(silent.status == Status::TimedOut);
  CHECK(silent.seconds < 5);
  // ... and its result still counts when it ends in time.
  const auto closed_early = run(shell("exec 2>&-; echo 0.75; exec >&-; sleep 0.2", 5.0));
  CHECK(closed_early.status == Status::Ok);
  CHECK(closed_early.value == 0.75);

  // A process left in the background holds stdout open: the result is the program's, taken when
  // it exits (it used to wait for the background process, and a timeout then discarded 0.5).
  const auto background = run(shell("(sleep 20; echo 9) & echo 0.5; echo done >&2", 3.0));
  CHECK(background.status == Status::Ok);
  CHECK(background.value == 0.5);
  CHECK(background.stderr_tail == "done\n");
  CHECK(background.seconds < 2.5);
  // A background writer goes on printing after the program exits: its later lines are no
  // result, and it ends with the program (its lines fall 150 and 350 ms from the program's last).
  const auto monitor = run(shell("(sleep 0.05; while true; do echo gpu_util 97; sleep 0.5; done) & sleep 0.2; echo loss 0.125", 20.0));
  CHECK(monitor.value == 0.125);
  CHECK(monitor.seconds < 1.0);
  // ... while a helper of the program's group still copying its output (bash's logging idiom)
  // delivers the result: killing the group at the exit lost it in most runs.
  for (int repeat = 0; repeat < 3; ++repeat) {
    CommandSpec tee;
    tee.argv = {"bash", "-c", "exec > >(tee /dev/null); echo 0.5"};
    const auto copied = run(tee);
    CHECK(copied.status == Status::Ok);
    CHECK(copied.value == 0.5);
  }
  // A timeout beyond INT_MAX ms (24.8 days) overflowed to a negative wait: a program that
  // closed its output before exiting hung the run, and no signal could stop it.
  const auto no_deadline = run(shell("echo 0.5; exec >/dev/null 2>&1; sleep 0.3", 1e10));
  CHECK(no_deadline.status == Status::Ok);
  CHECK(no_deadline.value == 0.5);
  // Output written just before the exit is still read in full.
  const auto last_words = run(shell("(sleep 20) & head -c 200000 /dev/zero | tr '\\0' x; echo; echo 0.25"));
  CHECK(last_words.status == Status::Ok);
  CHECK(last_words.value == 0.25);

  const auto garbage = run(shell("echo all good"));
  CHECK(garbage.status == Status::BadOutput);
  CHECK(garbage.reason.find("no number found on stdout") != std::string::npos);

  const auto nan = run(shell("echo nan"));
  CHECK(nan.status == Status::BadOutput);
  CHECK(nan.reason == "objective printed a non-finite value");
  CHECK_FALSE(nan.value);

  CommandSpec missing;
  missing.argv = {"/nonexistent/objective"};
  const auto m = run(missing);
  CHECK(m.status == Status::Failed);
  CHECK(m.reason == "cannot run '/nonexistent/objective': No such file or directory");
}

TEST_CASE("command: {params_file}s of a gpbo that is gone are removed; a live one's are kept") {
  // SIGKILL leaves an evaluation's parameter file behind: its name carries gpbo's pid.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gpbo_params_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const gpbo::test::ScopedEnv tmpdir("TMPDIR", dir.string());
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  waitpid(gone, nullptr, 0);  // a pid that no process has now
  for (const std::string& name : {"gpbo-params-" + std::to_string(gone) + "-aB3xYz", "gpbo-params-" + std::to_string(getpid()) + "-Q1w2e3",
                                 std::string("gpbo-params-Xy12ab"), std::string("notes.txt")})
    std::ofstream(dir / name) << "{}";
  CHECK(remove_orphaned_params_files() == 1);
  CHECK(!fs::exists(dir / ("gpbo-params-" + std::to_string(gone) + "-aB3xYz")));
  CHECK(fs::exists(dir / ("gpbo-params-" + std::to_string(getpid()) + "-Q1w2e3")));  // this process runs
  CHECK(fs::exists(dir / "gpbo-params-Xy12ab"));  // no pid in the name: its owner is unknown
  // An evaluation's own file lives in $TMPDIR while it runs and is gone after.
  CommandSpec spec = shell("cat \"$1\"; echo; ls \"$(dirname \"$1\")\" | grep -c gpbo-params-" + std::to_string(getpid()));
  spec.argv.push_back("sh");
  spec.argv.push_back("{params_file}");
  const auto out = run(spec);
  CHECK(out.status == Status::Ok);
  CHECK(out.value == 2.0);  // the run's file beside the one planted above
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 3);
  fs::remove_all(dir);
}
