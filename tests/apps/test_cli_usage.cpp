// End-to-end tests of how the gpbo binary treats usage errors: every one exits with status 2
// and says what was wrong, before any work is done.
#include <catch2/catch.hpp>

#include "cli_test_util.hpp"

using namespace cli_test;

namespace {
bool mentions(const Result& r, const std::string& text) { return r.output.find(text) != std::string::npos; }
}  // namespace

TEST_CASE("e2e: missing, unknown and misspelled commands and options exit 2 with a clear message") {
  const auto none = sh(cli);
  CHECK(none.status == 2);
  CHECK(mentions(none, "give a command: ask, fit, predict, sample, tell, tune"));
  const auto help = sh(cli + " help");
  CHECK(help.status == 0);
  CHECK(mentions(help, "Subcommands:"));
  const auto bogus = sh(cli + " bogus");
  CHECK(bogus.status == 2);
  CHECK(mentions(bogus, "unknown command 'bogus'"));
  const auto option = sh(cli + " tune --no-such-option x.json");
  CHECK(option.status == 2);
  const auto seed = sh(cli + " sample --model gauss100 --seed -1");
  CHECK(seed.status == 2);
  CHECK(mentions(seed, "--seed: expected an integer from 0"));
  const auto value = sh(cli + " tell --state s.json --id 1 --value abc");
  CHECK(value.status == 2);
  CHECK(sh(cli + " --version").status == 0);
}

TEST_CASE("e2e: output paths are checked before any work") {
  Scratch s("usage");
  const auto data = s.write("d.csv", "x,y\n0,1\n1,2\n2,0\n");
  const auto fit = sh(cli + " fit --data " + data + " --out " + s.path("no/such/dir/m.json"));
  INFO(fit.output);
  CHECK(fit.status == 2);
  CHECK(mentions(fit, "--out: directory '" + s.path("no/such/dir") + "' does not exist"));
  CHECK_FALSE(mentions(fit, "leave-one-out"));  // refused before fitting
  const auto dir = sh(cli + " fit --data " + data + " --out " + s.dir.string());
  CHECK(dir.status == 2);
  CHECK(mentions(dir, "is a directory"));
  const auto file = s.write("afile", "");
  const auto tune = sh(cli + " tune " + s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 3})") +
                       " --out " + file);
  CHECK(tune.status == 2);
  CHECK(mentions(tune, "exists and is not a directory"));
  const auto sample = sh(cli + " sample --model gauss100 --out " + s.path("missing/d.csv"));
  CHECK(sample.status == 2);
  CHECK_FALSE(mentions(sample, "Mean"));
}
