// The end-to-end tests' own harness (cli_test_util.hpp): a command that hangs must end, with
// everything it started, so that one hung gpbo fails its test instead of stalling the suite.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <string>

#include "cli_test_util.hpp"

using namespace cli_test;

TEST_CASE("e2e harness: a command past its time limit is ended with the processes it started") {
  // A sleep of 31.<pid> seconds is this test's own: no other process has that command line.
  const std::string marker = "31." + std::to_string(getpid());
  const auto start = std::chrono::steady_clock::now();
  const LimitedResult r = sh_limited("sleep " + marker + " & sleep " + marker + "; echo finished", 1);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.timed_out);
  CHECK(r.result.status == 124);  // coreutils' timeout: the limit was reached
  CHECK(r.result.output.find("finished") == std::string::npos);
  CHECK(seconds < 10.0);
  // Neither sleep survives, the background one included ("slee[p]" keeps pgrep's own shell out).
  CHECK(sh("pgrep -f 'slee[p] " + marker + "'").status == 1);

  // A command within its limit: its status, its output with stderr, and no time-out.
  const LimitedResult ok = sh_limited("echo out; echo err >&2; exit 3", 10);
  CHECK_FALSE(ok.timed_out);
  CHECK(ok.result.status == 3);
  CHECK(ok.result.output == "out\nerr\n");
  // Quotes of every kind reach the shell as written.
  CHECK(sh("printf '%s|' \"a b\" 'it'\"'\"'s'").output == "a b|it's|");
}
