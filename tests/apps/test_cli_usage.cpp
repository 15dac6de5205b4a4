// End-to-end tests of how the gpbo binary treats usage errors: every one exits with status 2
// and says what was wrong, before any work is done.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "cli_test_util.hpp"

using namespace cli_test;

namespace {
bool mentions(const Result& r, const std::string& text) { return r.output.find(text) != std::string::npos; }
}  // namespace

TEST_CASE("e2e: missing, unknown and misspelled commands and options exit 2 with a clear message") {
  const auto none = sh(cli);
  CHECK(none.status == 2);
  CHECK(mentions(none, "give a command: ask, fit, predict, sample, show, tell, tune"));
  CHECK(mentions(none, "Usage: " + cli + " [OPTIONS] SUBCOMMAND"));  // as --help names the program
  const auto help = sh(cli + " help");
  CHECK(help.status == 0);
  CHECK(mentions(help, "Subcommands:"));
  // An option checked twice shows its type once ("TEXT:FILE:FILE" before).
  for (const char* command : {"ask", "predict", "tell", "show"}) {
    const auto sub = sh(cli + " " + command + " --help");
    INFO(command);
    CHECK(mentions(sub, "--state TEXT:FILE"));
    CHECK_FALSE(mentions(sub, "FILE:FILE"));
  }
  CHECK(mentions(sh(cli + " tell --help"), "{\"id\": 5, \"abandon\": true}"));
  const auto bogus = sh(cli + " bogus");
  CHECK(bogus.status == 2);
  CHECK(mentions(bogus, "unknown command 'bogus'"));
  const auto option = sh(cli + " tune --no-such-option x.json");
  CHECK(option.status == 2);
  CHECK(mentions(option, "gpbo tune: unknown option '--no-such-option'; see gpbo tune --help"));
  // Misspellings get the closest name, also where CLI11 would report a consequence instead
  // ("config: File does not exist: 3" for --budgt 3 CONFIG).
  CHECK(mentions(sh(cli + " fitt"), "unknown command 'fitt' (did you mean 'fit'?)"));
  CHECK(mentions(sh(cli + " fit --data x.csv --targt y"), "gpbo fit: unknown option '--targt' (did you mean '--target'?)"));
  const auto budget = sh(cli + " tune --budgt 3 x.json");
  CHECK(budget.status == 2);
  CHECK(mentions(budget, "gpbo tune: unknown option '--budgt' (did you mean '--budget'?)"));
  CHECK(mentions(sh(cli + " sample --model gauss100 --drawz=3"), "unknown option '--drawz' (did you mean '--draws'?)"));
  const auto seed = sh(cli + " sample --model gauss100 --seed -1");
  CHECK(seed.status == 2);
  CHECK(mentions(seed, "--seed: expected an integer from 0"));
  // The whole unsigned 64-bit range (--help says UINT); one more is refused.
  const auto too_big = sh(cli + " sample --model gauss100 --seed 18446744073709551616");
  CHECK(too_big.status == 2);
  CHECK(mentions(too_big, "--seed: expected an integer from 0 to 18446744073709551615, got '18446744073709551616'"));
  CHECK(sh(cli + " sample --model gauss100 --chains 1 --warmup 20 --draws 20 --seed 18446744073709551615").status == 0);
  // Sampler options are named as typed on the command line, with the value given.
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--warmup -1", "--warmup: expected a whole number from 0 to 2147483647, got '-1'"},
           {"--draws 0", "--draws: expected a whole number from 1 to 2147483647, got '0'"},
           {"--thin 0", "--thin: expected a whole number from 1 to 2147483647, got '0'"},
           // 2^31 - 1 wrapped around to a chain of no iterations, exit 0 and uninitialized draws.
           {"--warmup 2147483647 --draws 1", "iterations per chain (warmup + draws) must be at most 1e9, got 2147483648"},
           {"--adapt-delta 1", "--adapt-delta must be in (0, 1), got 1"},
           {"--max-treedepth 0", "--max-treedepth: expected a whole number from 1 to 30, got '0'"},
           {"--sampler hmc --int-time 0", "--int-time must be positive and finite, got 0"},
           {"--sampler hmc --int-time inf", "--int-time must be positive and finite, got inf"},
           {"--metric foo", "--metric: unknown metric 'foo'"}}) {
    const auto r = sh(cli + " sample --model gauss100 " + args);
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(mentions(r, "gpbo sample: " + message));
  }
  const auto value = sh(cli + " tell --state s.json --id 1 --value abc");
  CHECK(value.status == 2);
  // Counts that are no whole number say what was expected (CLI11's Range said "not in range").
  const auto budget_text = sh(cli + " tune /dev/null --budget abc");
  CHECK(budget_text.status == 2);
  CHECK(mentions(budget_text, "--budget: expected a whole number from 1 to 100000000, got 'abc'"));
  CHECK(mentions(sh(cli + " ask --state s.json -n 2.5"), "-n: expected a whole number from 1 to 1000, got '2.5'"));
  CHECK(sh(cli + " --version").status == 0);
}

TEST_CASE("e2e: output paths are checked before any work") {
  Scratch s("usage");
  const auto data = s.write("d.csv", "x,y\n0,1\n1,2\n2,0\n");
  const auto fit = sh(cli + " fit --data " + data + " --out " + s.path("no/such/dir/m.json"));
  INFO(fit.output);
  CHECK(fit.status == 2);
  CHECK(mentions(fit, "gpbo fit: --out: directory '" + s.path("no/such/dir") + "' does not exist; see gpbo fit --help"));
  CHECK_FALSE(mentions(fit, "leave-one-out"));  // refused before fitting
  const auto dir = sh(cli + " fit --data " + data + " --out " + s.dir.string());
  CHECK(dir.status == 2);
  CHECK(mentions(dir, "is a directory"));
  const auto file = s.write("afile", "");
  const auto tune = sh(cli + " tune " + s.write("c.json", R"({"objective": {"builtin": "branin"}, "budget": 3})") +
                       " --out " + file);
  CHECK(tune.status == 2);
  CHECK(mentions(tune, "exists and is not a directory"));
  const auto through_file = sh(cli + " tune " + s.path("c.json") + " --out " + file + "/run");
  CHECK(through_file.status == 2);
  CHECK(mentions(through_file, "--out: '" + file + "' is a file, so '" + file + "/run' cannot be made a directory"));
  // A run's state.json given where its config belongs: the command that continues the run.
  REQUIRE(sh(cli + " tune " + s.path("c.json") + " --out " + s.path("run") + " --quiet").status == 0);
  const auto state = sh(cli + " tune " + s.path("run/state.json"));
  CHECK(state.status == 2);
  CHECK(mentions(state, "this is a run's state, not a config; to continue that run: gpbo tune " + s.path("run") +
                            "/config.json --out " + s.path("run") + " --resume"));
  const auto sample = sh(cli + " sample --model gauss100 --out " + s.path("missing/d.csv"));
  CHECK(sample.status == 2);
  CHECK_FALSE(mentions(sample, "Mean"));
}

TEST_CASE("e2e: an output naming an input or another output is refused before any work, the files untouched") {
  // Each went through with exit 0 and destroyed the file: the training data, the sampled data,
  // the draws under the summary, a tuning state under its CSV.
  Scratch s("clobber");
  const std::string train_text = "x,y\n0,0\n1,1\n2,4\n3,9\n4,16\n";
  const auto train = s.write("train.csv", train_text);
  const auto read_back = [&](const std::string& path) { return sh("cat " + path).output; };
  const auto fit = sh(cli + " fit --data " + train + " --out " + s.path("./train.csv"));
  CHECK(fit.status == 2);
  CHECK(mentions(fit, "gpbo fit: the model (--out " + s.path("./train.csv") + ") would overwrite the --data file " + train));
  REQUIRE(sh("ln -s train.csv " + s.path("link.csv")).status == 0);
  CHECK(sh(cli + " fit --data " + train + " --out " + s.path("link.csv")).status == 2);  // one file through a link
  CHECK(read_back(train) == train_text);
  const std::string schools_text = "y,sigma\n28,15\n8,10\n-3,16\n";
  const auto schools = s.write("es_1.csv", schools_text);
  const std::string sample = cli + " sample --model eight_schools --chains 2 --warmup 20 --draws 20 --data " + schools;
  const auto summary = sh(sample + " --summary-csv " + schools);
  CHECK(summary.status == 2);
  CHECK(mentions(summary, "the summary (--summary-csv " + schools + ") would overwrite the --data file " + schools));
  const auto chain = sh(sample + " --out " + s.path("es.csv"));  // chain 1's file is es_1.csv
  CHECK(chain.status == 2);
  CHECK(mentions(chain, "chain 1's draws (--out " + s.path("es.csv") + ", written to " + schools +
                            ") would overwrite the --data file " + schools));
  CHECK(read_back(schools) == schools_text);
  const auto both = sh(sample + " --out " + s.path("d.csv") + " --trace-plot " + s.path("d_2.csv"));
  CHECK(both.status == 2);
  CHECK(mentions(both, "the trace plot (--trace-plot " + s.path("d_2.csv") + ") would overwrite chain 2's draws (--out " +
                           s.path("d.csv") + ", written to " + s.path("d_2.csv") + "): they name one file"));
  CHECK_FALSE(fs::exists(s.path("d_1.csv")));
  // Standard output is no file to lose: draws and summary may both go there, piped or redirected
  // to a file (that file was taken for two outputs).
  CHECK(sh(sample + " --out /dev/stdout --summary-csv /dev/stdout").status == 0);
  const auto redirected = sh(sample + " --out /dev/stdout --summary-csv /dev/stdout > " + s.path("both.txt"));
  INFO(redirected.output);
  CHECK(redirected.status == 0);
  CHECK(read_back(s.path("both.txt")).find("lp__") != std::string::npos);
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --config " + write_unit_interval_config(s) + " --state " + state + " -n 1").status == 0);
  const std::string state_text = read_back(state);
  const auto show = sh(cli + " show --state " + state + " --csv " + state);
  CHECK(show.status == 2);
  CHECK(mentions(show, "the results (--csv " + state + ") would overwrite the --state file " + state));
  CHECK(read_back(state) == state_text);
}

TEST_CASE("e2e: tell says what is wrong with its arguments and when a value became a failure") {
  Scratch s("tell");
  const auto cfg = s.write("c.json", R"({"space": {"x": {"type": "real", "low": 0, "high": 1}}, "budget": 5})");
  const auto state = s.path("s.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + cfg + " -n 3").status == 0);
  const auto negative = sh(cli + " tell --state " + state + " --id -1 --value 1");
  CHECK(negative.status == 2);
  CHECK(mentions(negative, "--id: expected an integer from 0"));
  for (const char* bad : {"''", "abc", "1.5x"}) {
    const auto value = sh(cli + " tell --state " + state + " --id 0 --value " + bad);
    CHECK(value.status == 2);
    CHECK(mentions(value, "--value: expected a number, got '"));
  }
  const auto no_reason = sh(cli + " tell --state " + state + " --id 0 --failed ''");
  CHECK(no_reason.status == 2);
  CHECK(mentions(no_reason, "--failed: give the reason"));
  const auto nan = sh(cli + " tell --state " + state + " --id 0 --value nan");
  CHECK(nan.status == 0);
  CHECK(mentions(nan, "id 0: non-finite value nan recorded as a failure"));
  const auto extra = sh("echo '{\"id\": 1, \"value\": 2, \"reason\": \"x\"}' | " + cli + " tell --state " + state);
  CHECK(extra.status == 2);
  CHECK(mentions(extra, "stdin line 1: unknown key \"reason\""));
}

TEST_CASE("e2e: fit refuses a single row and warns about a constant target; sample refuses unused data") {
  Scratch s("degenerate");
  const auto one = sh(cli + " fit --data " + s.write("one.csv", "x,y\n0.5,1\n") + " --out " + s.path("m.json"));
  CHECK(one.status == 2);
  CHECK(mentions(one, "1 data row; fitting hyperparameters needs at least 2"));
  const auto constant = sh(cli + " fit --data " + s.write("c.csv", "x,y\n0,3\n1,3\n2,3\n") + " --out " + s.path("m.json"));
  CHECK(constant.status == 0);
  CHECK(mentions(constant, "warning: every value of 'y' is 3"));
  const auto data = sh(cli + " sample --model gauss100 --data " + s.path("c.csv"));
  CHECK(data.status == 2);
  CHECK(mentions(data, "--data: model 'gauss100' takes no data"));
}

TEST_CASE("e2e: sample says the data make the density unusable instead of an internal error") {
  Scratch s("overflow");
  // An sd of 1e-300 squares to 0: the eight-schools likelihood is -inf or NaN wherever it starts.
  const auto data = s.write("es.csv", "y,sigma\n28,15\n8,1e-300\n-3,16\n");
  const auto r = sh(cli + " sample --model eight_schools --data " + data + " --chains 1 --warmup 10 --draws 10");
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(mentions(r, "es.csv: model 'eight_schools': no initial point with finite log density"));
  CHECK(mentions(r, "rescale them"));
  CHECK(!mentions(r, "internal error"));
}

TEST_CASE("e2e: sample refuses flags its sampler would ignore and draws beyond the machine's memory") {
  const auto ignored = sh(cli + " sample --model gauss100 --sampler slice --adapt-delta 0.99 --metric dense --draws 10");
  CHECK(ignored.status == 2);
  CHECK(mentions(ignored, "--metric, --adapt-delta: only nuts and hmc use them; sampler 'slice' would ignore them"));
  const auto hmc = sh(cli + " sample --model gauss100 --sampler hmc --adapt-delta 0.9 --chains 1 --warmup 20 --draws 5");
  CHECK(hmc.status == 0);
  CHECK(!mentions(hmc, "stayed the identity"));
  // 20 warmup iterations: CmdStan's cut stages, said as CmdStan says it.
  CHECK(mentions(hmc, "Warning: a warmup of 20 < 150 iterations cuts the adaptation's stages to 15%/75%/10% (the metric is "
                      "estimated from about 15 draws)"));
  // The help says each model's data columns (it pointed to a README an install does not have).
  const auto help = sh(cli + " sample --help");
  CHECK(mentions(help, "eight_schools: y, sigma (> 0)"));
  CHECK(mentions(help, "bradley_terry: winner, loser (player ids 1..P)"));
  // No warmup cuts no stages (a metric file's reuse runs with --warmup 0 --no-adapt).
  const auto no_warmup = sh(cli + " sample --model gauss100 --chains 1 --warmup 0 --no-adapt --draws 5");
  CHECK(no_warmup.status == 0);
  CHECK(!mentions(no_warmup, "cuts the adaptation"));
  // Without a warmup, or with --no-adapt, nothing adapts: the run went on at step size 1, and
  // --adapt-delta 0.99 changed nothing (then its divergences advised raising adapt_delta).
  const auto adapt_nothing = sh(cli + " sample --model gauss100 --chains 1 --warmup 0 --draws 5");
  CHECK(adapt_nothing.status == 2);
  CHECK(mentions(adapt_nothing, "--warmup 0: adaptation runs in the warmup, so nothing would adapt; give a warmup (the default "
                                "is 1000), or --no-adapt with a known step size (--stepsize or --metric-file)"));
  // The other samplers start from their own scales and take no --stepsize: the advice would be
  // refused, and ensemble adapts nothing with any warmup.
  for (const char* sampler : {"ensemble", "rwm", "slice"})
    CHECK(sh(cli + " sample --model gauss100 --chains 1 --warmup 0 --draws 5 --sampler " + sampler).status == 0);
  for (const char* warmup : {"0", "100"}) {
    const auto delta = sh(cli + " sample --model gauss100 --chains 1 --no-adapt --adapt-delta 0.99 --draws 5 --warmup " + warmup);
    CHECK(delta.status == 2);
    CHECK(mentions(delta, "--adapt-delta: --no-adapt turns off the step-size adaptation whose target it sets; drop one of them"));
  }
  const auto short_warmup = sh(cli + " sample --model gauss100 --chains 1 --warmup 10 --draws 5");
  CHECK(short_warmup.status == 0);
  CHECK(mentions(short_warmup, "Warning: a warmup of 10 < 20 iterations adapts the step size only: the diag metric stayed the identity"));
  const auto int_time = sh(cli + " sample --model gauss100 --int-time 3 --draws 10");
  CHECK(int_time.status == 2);
  CHECK(mentions(int_time, "--int-time: only hmc uses it; sampler 'nuts' would ignore it"));
  // 1e9 kept rows of 200+ columns: terabytes, refused before anything is allocated.
  const auto huge = sh(cli + " sample --model gauss100 --draws 900000000 --warmup 10 --chains 4");
  INFO(huge.output);
  CHECK(huge.status == 2);
  CHECK(mentions(huge, "--draws 900000000 with --thin 1 keeps 3.6e+09 rows over 4 chain(s)"));
  CHECK(mentions(huge, "lower --draws or raise --thin"));
  CHECK(!mentions(huge, "internal error"));
}
