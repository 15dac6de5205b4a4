#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/core/durable_file.hpp"
#include "gpbo/mcmc/autodiff.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/cmdstan_csv.hpp"
#include "gpbo/mcmc/ensemble.hpp"
#include "gpbo/mcmc/models/eight_schools.hpp"
#include "gpbo/mcmc/sampler_registry.hpp"
#include "gpbo/mcmc/summary.hpp"
#include "gaussian_target.hpp"
#include "../temp_path.hpp"

using namespace gpbo::mcmc;

namespace {
MultiChainResult small_run(ChainOptions& opt) {
  static const auto model = models::EightSchools((Eigen::VectorXd(3) << 28, 8, -3).finished(),
                                                 (Eigen::VectorXd(3) << 15, 10, 16).finished());
  opt.chains = 2;
  opt.sampler.warmup = 100;
  opt.sampler.draws = 50;
  return run_chains(model, "nuts", opt);
}
}  // namespace

TEST_CASE("cmdstan csv: comment header, CmdStan columns, draws that read back exactly") {
  ChainOptions opt;
  const auto run = small_run(opt);
  std::ostringstream os;
  write_cmdstan_csv(os, run, 1, opt.sampler);
  const std::string text = os.str();
  CHECK(text.rfind("# model = eight_schools\n# method = sample\n", 0) == 0);
  for (const char* needle : {"#     num_samples = 50\n", "#     num_warmup = 100\n", "#         engine = nuts\n",
                             "#         metric = diag_e\n", "# id = 2\n", "#   seed = 1\n", "# Adaptation terminated\n",
                             "# Step size = ", "# Diagonal elements of inverse mass matrix:\n", "(Warm-up)\n"})
    CHECK(text.find(needle) != std::string::npos);
  const auto table = gpbo::parse_csv(text, "chain2.csv");  // '#' lines are comments
  const std::vector<std::string> expected_head{"lp__", "accept_stat__", "stepsize__", "treedepth__",
                                               "n_leapfrog__", "divergent__", "energy__", "mu", "tau",
                                               "theta_raw.1", "theta_raw.2", "theta_raw.3", "theta.1"};
  REQUIRE(table.columns.size() == 15);
  CHECK(std::equal(expected_head.begin(), expected_head.end(), table.columns.begin()));
  const auto& c = run.chains[1];
  REQUIRE(table.values.rows() == 50);
  CHECK(table.values.col(0) == c.lp);
  CHECK(table.values.col(4) == c.diagnostics.n_leapfrog.cast<double>());
  CHECK(table.values.rightCols(8) == c.draws);
  CHECK(text.find("#       engaged = 1\n") != std::string::npos);
}

TEST_CASE("cmdstan csv: without warmup nothing was adapted, and the header says so") {
  ChainOptions opt;
  opt.sampler.stepsize = 0.3;
  auto run = small_run(opt);  // warmup 100: then written as if none was run
  opt.sampler.warmup = 0;
  std::ostringstream os;
  write_cmdstan_csv(os, run, 0, opt.sampler);
  const std::string text = os.str();
  CHECK(text.find("#       engaged = 0\n") != std::string::npos);
  CHECK(text.find("Adaptation terminated") == std::string::npos);
  CHECK(text.find("# Step size = ") != std::string::npos);
}

TEST_CASE("cmdstan csv: a unit metric says it has no free parameters, as CmdStan's unit_e does") {
  ChainOptions opt;
  opt.sampler.metric = Metric::unit;
  const auto run = small_run(opt);
  std::ostringstream os;
  write_cmdstan_csv(os, run, 0, opt.sampler);
  CHECK(os.str().find("# Step size = ") != std::string::npos);
  CHECK(os.str().find("# No free parameters for unit metric\n") != std::string::npos);
  CHECK(os.str().find("inverse mass matrix") == std::string::npos);
}

TEST_CASE("cmdstan csv: an ensemble chain's num_samples counts every walker's rows, as readers expect") {
  // Readers such as cmdstanpy expect ceil(num_samples / thin) rows; the header used to give the
  // iterations (draws), while an ensemble chain writes walkers x that many rows.
  static const auto model = models::EightSchools((Eigen::VectorXd(3) << 28, 8, -3).finished(),
                                                 (Eigen::VectorXd(3) << 15, 10, 16).finished());
  ChainOptions opt;
  opt.chains = 1;
  opt.sampler.warmup = 20;
  opt.sampler.draws = 10;
  opt.sampler.thin = 3;  // 4 rows per walker
  const auto run = run_chains(model, "ensemble", opt);
  const auto rows = run.chains[0].draws.rows();
  const int walkers = ensemble_walkers(opt.sampler, 5);
  REQUIRE(rows == 4 * walkers);
  std::ostringstream os;
  write_cmdstan_csv(os, run, 0, opt.sampler);
  const std::string text = os.str();
  CHECK(text.find("#     num_samples = " + std::to_string(rows * 3) + "\n") != std::string::npos);
  CHECK(text.find("#     walkers = " + std::to_string(walkers) + " (rows walker-major)\n") != std::string::npos);
  CHECK(gpbo::parse_csv(text, "ensemble.csv").values.rows() == rows);
  // Its stretch scale is no HMC step size: no adaptation block (readers would report it as one).
  CHECK(text.find("Step size") == std::string::npos);
  CHECK(text.find("Adaptation terminated") == std::string::npos);
  // Saved warmup: num_warmup counts its rows as num_samples does (ceil(20 / 3) = 7 a walker),
  // and a reader splitting at ceil(num_warmup / thin) rows finds the draws where they start.
  opt.sampler.save_warmup = true;
  const auto saved = run_chains(model, "ensemble", opt);
  std::ostringstream ws;
  write_cmdstan_csv(ws, saved, 0, opt.sampler);
  const long long warmup_rows = 7LL * walkers;
  CHECK(ws.str().find("#     num_warmup = " + std::to_string(warmup_rows * 3) + "\n") != std::string::npos);
  CHECK(gpbo::parse_csv(ws.str(), "ensemble.csv").values.rows() == warmup_rows + rows);
  // Static HMC is CmdStan's engine "static".
  const auto hmc = run_chains(model, "hmc", opt);
  std::ostringstream hs;
  write_cmdstan_csv(hs, hmc, 0, opt.sampler);
  CHECK(hs.str().find("#         engine = static\n#           static\n") != std::string::npos);
  // Its columns: CmdStan's static-HMC int_time__ and no tree depth (it builds no trees).
  const auto hmc_columns = cmdstan_columns(hmc, 0);
  const std::vector<std::string> hmc_head{"lp__",         "accept_stat__", "stepsize__", "int_time__",
                                          "n_leapfrog__", "divergent__",   "energy__"};
  CHECK(std::equal(hmc_head.begin(), hmc_head.end(), hmc_columns.begin()));
  CHECK(std::find(hmc_columns.begin(), hmc_columns.end(), "treedepth__") == hmc_columns.end());
  CHECK(hs.str().find("# Step size = ") != std::string::npos);
}

TEST_CASE("cmdstan csv: one file per chain with CmdStan's _N naming") {
  CHECK(chain_file_path("out/draws.csv", 0, 1) == "out/draws.csv");
  CHECK(chain_file_path("out/draws.csv", 2, 4) == "out/draws_3.csv");
  CHECK(chain_file_path("out.d/draws", 0, 2) == "out.d/draws_1.csv");
  // A name that starts with a dot keeps it (it was "out.d/_1.hidden").
  CHECK(chain_file_path("out.d/.hidden", 0, 2) == "out.d/.hidden_1.csv");
  CHECK(chain_file_path(".hidden.csv", 1, 2) == ".hidden_2.csv");
  CHECK(chain_metric_path("out.d/.hidden", 0, 2) == "out.d/.hidden_1_metric.json");
  ChainOptions opt;
  const auto run = small_run(opt);
  const std::string base = gpbo::test::temp_path("cmdstan_files.csv");
  const auto files = write_cmdstan_csv_files(base, run, opt.sampler);
  REQUIRE(files.size() == 2);
  for (int c = 0; c < 2; ++c) {
    const auto table = gpbo::read_csv(files[static_cast<std::size_t>(c)]);
    CHECK(table.values.rightCols(8) == run.chains[static_cast<std::size_t>(c)].draws);
    std::remove(files[static_cast<std::size_t>(c)].c_str());
  }
  CHECK_THROWS_WITH(write_cmdstan_csv_files("/nonexistent-dir/x.csv", run, opt.sampler), Catch::Contains("cannot write"));
}

TEST_CASE("cmdstan csv: a chain file that cannot be written leaves every chain's file as it was") {
  // A full disk at chain 3 of 4 left chains 1 and 2 of the new run beside 4 of the old one, and
  // readers that glob the files (ArviZ, read_stan_csv) combined them.
  namespace fs = std::filesystem;
  ChainOptions old_opt, new_opt;
  new_opt.sampler.seed = 2;
  const auto old_run = small_run(old_opt), new_run = small_run(new_opt);
  const std::string base = gpbo::test::temp_path("cmdstan_all_or_none.csv");
  const auto files = write_cmdstan_csv_files(base, old_run, old_opt.sampler);
  REQUIRE(files.size() == 2);
  const std::string first = gpbo::read_file(files[0]);
  // The second chain's file: a link into a directory that does not exist.
  fs::remove(files[1]);
  fs::create_symlink("/nonexistent-gpbo-dir/x_2.csv", files[1]);
  CHECK_THROWS_WITH(write_cmdstan_csv_files(base, new_run, new_opt.sampler), Catch::Contains("cannot write"));
  CHECK(gpbo::read_file(files[0]) == first);
  const std::string prefix = fs::path(files[0]).filename().string() + ".tmp.";
  for (const auto& entry : fs::directory_iterator(fs::path(files[0]).parent_path()))
    CHECK(entry.path().filename().string().rfind(prefix, 0) != 0);  // no temporary left
  for (const auto& f : files) fs::remove(f);
}

TEST_CASE("summary: rows for lp__ and every reported value, statistics consistent with the draws") {
  ChainOptions opt;
  const auto run = small_run(opt);
  const auto s = summarize(run);
  REQUIRE(s.rows.size() == 1 + run.output_names.size());
  CHECK(s.rows[0].name == "lp__");
  CHECK(s.rows[1].name == "mu");
  const Eigen::MatrixXd mu = run.column(0);
  CHECK(s.rows[1].mean == Approx(mu.mean()));
  CHECK(s.rows[1].q50 == Approx(quantile(mu, 0.5)));
  CHECK(s.rows[1].q5 < s.rows[1].q50);
  CHECK(s.rows[1].q50 < s.rows[1].q95);
  CHECK(s.rows[1].mad == Approx(mad(mu)));
  CHECK(s.rows[1].mcse_sd == Approx(mcse_sd(mu)));
  CHECK(s.rows[1].mcse_q5 == Approx(mcse_quantile(mu, 0.05)));
  CHECK(s.rows[1].mcse_q50 == Approx(mcse_quantile(mu, 0.5)));
  CHECK(s.rows[1].mcse_q95 == Approx(mcse_quantile(mu, 0.95)));
  CHECK(s.draws_per_chain == 50);
  // 2 x 50 draws is short: the summary must say its ESS is too low to trust.
  bool low_ess_warning = false;
  for (const auto& w : s.warnings) low_ess_warning = low_ess_warning || w.find("ESS") != std::string::npos;
  CHECK(low_ess_warning);
  const std::string table = format_summary(s);
  CHECK(table.find("ESS_bulk") != std::string::npos);
  CHECK(table.find("StdDev       MAD") != std::string::npos);
  CHECK(table.find("theta.3") != std::string::npos);
  CHECK(table.find(": 2 chains, 50 draws each, 100 in total.") != std::string::npos);
  // A diverged run's R-hat of 1.5e15 (seen on eight_schools with sigma 1e-8) keeps the columns.
  Summary wild = s;
  wild.rows[1].rhat = 1.5e15;
  wild.rows[1].ess_bulk = 3e20;
  std::istringstream lines(format_summary(wild));
  std::size_t lp_width = 0, mu_width = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("lp__ ", 0) == 0) lp_width = line.size();
    if (line.rfind("mu ", 0) == 0) mu_width = line.size();
  }
  CHECK(lp_width > 0);
  CHECK(mu_width == lp_width);
  Summary one = s;
  one.chains = 1;
  // "1 chain, 50 draws each, 50 in total" said the count three times.
  CHECK(format_summary(one).find(": 1 chain, 50 draws.\n") != std::string::npos);
}

TEST_CASE("summary: saturation counts against the run's own max_treedepth; too few draws are flagged") {
  ChainOptions opt;
  opt.sampler.max_treedepth = 1;  // every NUTS iteration of this model reaches depth 1
  const auto run = small_run(opt);
  CHECK(run.max_treedepth == 1);
  CHECK(summarize(run).health.treedepth_saturated > 0);
  CHECK(format_summary(summarize(run)).find("; max tree depth hit: ") != std::string::npos);
  // Static HMC builds no trees: its summary has divergences but no tree-depth count.
  const auto model8 = models::EightSchools((Eigen::VectorXd(2) << 28, 8).finished(), (Eigen::VectorXd(2) << 15, 10).finished());
  const std::string hmc = format_summary(summarize(run_chains(model8, "hmc", opt)));
  CHECK(hmc.find("Divergences: ") != std::string::npos);
  CHECK(hmc.find("tree depth") == std::string::npos);
  ChainOptions few;
  few.chains = 2;
  few.sampler.warmup = 20;
  few.sampler.draws = 1;
  const auto model = models::EightSchools((Eigen::VectorXd(2) << 28, 8).finished(), (Eigen::VectorXd(2) << 15, 10).finished());
  const auto s = summarize(run_chains(model, "nuts", few));
  REQUIRE(s.warnings.size() == 1);
  CHECK_THAT(s.warnings[0], Catch::StartsWith("only 1 draw(s) per chain"));
}

TEST_CASE("summary: chains that never moved are flagged, not summarized silently with NaN diagnostics") {
  // Random-walk proposals 1e6 wide from one shared initial point are all rejected: every draw
  // equals the initial point, so R-hat and ESS are NaN (posterior's NA) and no threshold fired.
  FunctionLogDensity model = testing::standard_normal(1);
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 0;
  opt.sampler.draws = 20;
  opt.sampler.adapt = false;
  opt.sampler.stepsize = 1e6;
  opt.inits = {Eigen::VectorXd::Constant(1, 0.5)};
  const auto s = summarize(run_chains(model, "rwm", opt));
  REQUIRE(s.rows.front().sd == 0.0);
  CHECK(s.health.stuck_chains == 2);
  bool flagged = false;
  for (const auto& w : s.warnings) flagged = flagged || w.find("never moved") != std::string::npos;
  INFO(format_summary(s));
  CHECK(flagged);
  // A flat density has a constant lp__ while the chains move: no such warning there.
  FunctionLogDensity flat(1, [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = Eigen::VectorXd::Zero(1);
    return std::abs(x(0)) < 1.0 ? 0.0 : -std::numeric_limits<double>::infinity();
  });
  opt.sampler.stepsize = 0.5;
  CHECK(summarize(run_chains(flat, "rwm", opt)).health.stuck_chains == 0);
}

TEST_CASE("summary: a reported value with NaN draws is flagged and its quantiles are NaN") {
  FunctionLogDensity model = testing::standard_normal(1);
  model.with_outputs({"x", "log_x"}, [](const Eigen::VectorXd& x, Eigen::VectorXd& out) {
    out.resize(2);
    out << x(0), std::log(x(0));  // NaN for about half the draws
  });
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 50;
  opt.sampler.draws = 50;
  const auto run = run_chains(model, "nuts", opt);
  const auto s = summarize(run);
  const auto& row = s.rows.back();
  REQUIRE(row.name == "log_x");
  // log of a negative number is a NaN with its sign bit set: written "nan", as CmdStan does.
  std::ostringstream csv;
  write_cmdstan_csv(csv, run, 0, opt.sampler);
  CHECK(csv.str().find(",nan\n") != std::string::npos);
  CHECK(csv.str().find("-nan") == std::string::npos);
  CHECK(format_summary(s).find("-nan") == std::string::npos);
  CHECK(row.non_finite > 10);
  CHECK(std::isnan(row.q5));
  CHECK(std::isnan(row.q50));
  CHECK(std::isnan(row.q95));
  bool flagged = false;
  for (const auto& w : s.warnings) flagged = flagged || w.rfind("log_x: " + std::to_string(row.non_finite) + " of 100 draws are NaN", 0) == 0;
  CHECK(flagged);
}

TEST_CASE("summary: a finite log density with a non-finite gradient is counted and said, for hand and AD gradients") {
  // A standard normal whose gradient is NaN beyond x = 1: the samplers reject those points, which
  // cuts the posterior off there (mean -0.3); the only sign used to be divergences, whose advice
  // (raise adapt_delta) points away from the bug.
  FunctionLogDensity hand(1, [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = Eigen::VectorXd::Constant(1, x(0) > 1.0 ? std::nan("") : -x(0));
    return -0.5 * x(0) * x(0);
  });
  const auto ad = make_autodiff_density(
      [](const auto& x) {
        using T = typename std::decay_t<decltype(x)>::Scalar;
        // sqrt(x - x) is 0, its derivative (1 - 1) / (2 sqrt(0)) is 0 / 0.
        return x(0) > 1.0 ? T(-0.5 * x(0) * x(0) + sqrt(x(0) - x(0))) : T(-0.5 * x(0) * x(0));
      },
      1);
  for (const LogDensity* model : {static_cast<const LogDensity*>(&hand), static_cast<const LogDensity*>(&ad)}) {
    for (const char* sampler : {"nuts", "hmc"}) {
      ChainOptions opt;
      opt.chains = 2;
      opt.sampler.warmup = 100;
      opt.sampler.draws = 100;
      opt.inits = {Eigen::VectorXd::Constant(1, -0.5)};
      const auto s = summarize(run_chains(*model, sampler, opt));
      INFO(sampler << "\n" << format_summary(s));
      CHECK(s.health.nonfinite_gradients > 0);
      REQUIRE(s.health.first_nonfinite_gradient.size() == 1);
      CHECK(s.health.first_nonfinite_gradient(0) > 1.0);
      CHECK(s.warnings.front().find(" gradient evaluation(s) met a finite log density with a non-finite gradient (first in chain ") !=
            std::string::npos);
      CHECK(s.warnings.front().find("check the model's gradient") != std::string::npos);
    }
  }
  // A correct gradient: nothing counted.
  FunctionLogDensity good = testing::standard_normal(1);
  ChainOptions opt;
  opt.chains = 1;
  CHECK(summarize(run_chains(good, "nuts", opt)).health.nonfinite_gradients == 0);
}

TEST_CASE("summary: ESS warnings name the ESS that falls short; many quantities make one line") {
  // 40 independent normals, 2 chains of 60 draws: every ESS is far below 100 per chain.
  FunctionLogDensity wide = testing::standard_normal(40);
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 60;
  opt.sampler.draws = 60;
  const auto s = summarize(run_chains(wide, "nuts", opt));
  INFO(format_summary(s));
  long ess_lines = 0;
  for (const auto& w : s.warnings) ess_lines += w.find("ESS") != std::string::npos;
  CHECK(ess_lines == 1);  // not 41
  bool one_line = false;
  for (const auto& w : s.warnings)
    one_line = one_line || (w.find(" of 41 quantities have an ESS below 200 (lowest: ") != std::string::npos &&
                            w.find("): estimates are unreliable, run longer chains") != std::string::npos);
  CHECK(one_line);
  // Few quantities: one line each, naming only the ESS that is short.
  Summary few;
  few.chains = 4;
  few.draws_per_chain = 1000;
  SummaryRow tail_only;
  tail_only.name = "tau";
  tail_only.ess_bulk = 411;
  tail_only.ess_tail = 342;
  tail_only.rhat = 1.0;
  few.rows = {tail_only};
  few.health.iterations = 4000;
  CHECK(health_warnings(few) == std::vector<std::string>{"tau: tail ESS 342 < 400: estimates are unreliable, run longer chains"});
}

TEST_CASE("summary: divergences and stuck chains are reported however hard the draws were thinned") {
  // --thin 334 left 3 draws a chain: the "too few draws" line alone hid 2737 divergences.
  Summary thinned;
  thinned.chains = 4;
  thinned.draws_per_chain = 3;
  thinned.health.iterations = 4000;
  thinned.health.divergences = 2737;
  thinned.health.stuck_chains = 3;
  const auto w = health_warnings(thinned);
  REQUIRE(w.size() == 3);
  CHECK(w[0] == "2737 of 4000 sampling iterations ended with a divergence: the draws may be biased; raise adapt_delta or "
                "reparameterize");
  CHECK_THAT(w[1], Catch::StartsWith("3 of 4 chain(s) never moved"));
  CHECK_THAT(w[2], Catch::StartsWith("only 3 draw(s) per chain: R-hat, ESS and E-BFMI need at least 4"));
}

TEST_CASE("summary: huge finite draws keep a finite sd and MCSEs; a NaN E-BFMI is warned about") {
  // One chain lost at lp__ -1.8e221 (--init-radius 1000 on eight_schools): the squared deviations
  // overflowed, and the sd, MCSE and MCSE of the sd came out inf.
  Eigen::MatrixXd base(200, 4);
  for (Eigen::Index i = 0; i < base.size(); ++i) base(i) = std::sin(0.7 * static_cast<double>(i * i)) - 3.0;
  const SummaryRow plain = summarize_draws("lp__", base);
  const SummaryRow huge = summarize_draws("lp__", base * 1e221);
  CHECK(huge.sd == Approx(plain.sd * 1e221).epsilon(1e-12));
  CHECK(huge.mcse == Approx(plain.mcse * 1e221).epsilon(1e-12));
  CHECK(huge.mcse_sd == Approx(plain.mcse_sd * 1e221).epsilon(1e-12));
  CHECK(huge.ess_bulk == plain.ess_bulk);
  // Near the largest double the sum of 800 draws overflowed, and the mean was inf.
  const SummaryRow largest = summarize_draws("x", base * 4e307);
  CHECK(largest.mean == Approx(plain.mean * 4e307).epsilon(1e-12));
  CHECK(std::isfinite(largest.sd));
  Eigen::MatrixXd lost = base;
  lost.col(2) *= 6e220;
  const SummaryRow mixed = summarize_draws("lp__", lost);
  for (const double v : {mixed.sd, mixed.mcse, mixed.mcse_sd, mixed.mcse_q5, mixed.mcse_q95}) CHECK(std::isfinite(v));
  CHECK(mixed.sd > 1e220);
  // The chain's energies overflow the E-BFMI's sums: NaN passed "< 0.3" silently.
  Summary s;
  s.chains = 2;
  s.draws_per_chain = 100;
  s.health.ebfmi = {1.0, std::nan("")};
  const auto w = health_warnings(s);
  REQUIRE(w.size() == 1);
  CHECK_THAT(w[0], Catch::StartsWith("chain 2: E-BFMI is nan: its energies are not finite, constant, or too large"));
}

TEST_CASE("user models: wrong-sized gradients and outputs are clear errors, not undefined behaviour") {
  ChainOptions opt;
  opt.chains = 1;
  opt.sampler.warmup = 10;
  opt.sampler.draws = 10;
  const FunctionLogDensity no_resize(2, [](const Eigen::VectorXd& t, Eigen::VectorXd&) { return -0.5 * t.squaredNorm(); });
  CHECK_THROWS_WITH(run_chains(no_resize, "nuts", opt), Catch::Contains("the gradient has size 0, expected the dimension 2"));
  FunctionLogDensity outputs(2, [](const Eigen::VectorXd& t, Eigen::VectorXd& g) {
    g = -t;
    return -0.5 * t.squaredNorm();
  });
  outputs.with_outputs({"a", "b", "c"}, [](const Eigen::VectorXd& t, Eigen::VectorXd& o) { o = t; });
  for (const char* sampler : {"nuts", "slice"})
    CHECK_THROWS_WITH(run_chains(outputs, sampler, opt), Catch::Contains("outputs() gave 2 values for 3 output names"));
  outputs.with_outputs({"a", "b"}, [](const Eigen::VectorXd& t, Eigen::VectorXd& o) { o = t; });
  const auto run = run_chains(outputs, "nuts", opt);
  CHECK(run.column(1).rows() == 10);
  CHECK_THROWS_AS(run.column(2), std::out_of_range);
}

TEST_CASE("user models: a model without parameters is a clear error for every sampler (slice segfaulted)") {
  struct NoParameters : LogDensity {
    [[nodiscard]] int dimension() const override { return 0; }
    double log_density_gradient(const Eigen::VectorXd&, Eigen::VectorXd& g) const override {
      g.resize(0);
      return 0.0;
    }
  } empty;
  ChainOptions opt;
  opt.chains = 1;
  opt.sampler.warmup = 10;
  opt.sampler.draws = 10;
  for (const char* sampler : {"nuts", "hmc", "slice", "rwm", "ensemble", "ess"}) {
    INFO(sampler);
    CHECK_THROWS_WITH(run_chains(empty, sampler, opt),
                      "run_chains: model '" + empty.name() + "' has dimension 0; a sampler needs at least one parameter");
  }
}

TEST_CASE("user models: a log density of +infinity counts as outside the support for every sampler") {
  // Slice chains used to stick at such points (mean 46.8 for a standard normal); NUTS and RWM
  // already rejected them.
  const FunctionLogDensity model(1, [](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = -x;
    return x(0) > 3.0 ? std::numeric_limits<double>::infinity() : -0.5 * x.squaredNorm();
  });
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 200;
  opt.sampler.draws = 1000;
  opt.sampler.seed = 5;
  for (const char* sampler : {"nuts", "slice", "rwm", "ensemble"}) {
    INFO(sampler);
    const auto run = run_chains(model, sampler, opt);
    for (const auto& chain : run.chains) CHECK(chain.draws.col(0).maxCoeff() <= 3.0);
  }
}

TEST_CASE("user models: domain_error from any model is outside the support, other exceptions name the place") {
  // Stan's rule, the same for every wrapper: the AD wrapper already rejected such points, while a
  // FunctionLogDensity that threw used to end the run with the model's bare message.
  // A standard normal in d dimensions whose log density throws `error` where x_0 > limit.
  const auto throwing_normal = [](int d, double limit, auto error, const char* name) {
    return FunctionLogDensity(
        d,
        [limit, error](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
          if (x(0) > limit) throw error;
          g = -x;
          return -0.5 * x.squaredNorm();
        },
        {}, name);
  };
  const auto edge = throwing_normal(1, 1.5, std::domain_error("x above 1.5"), "edge");
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 200;
  opt.sampler.draws = 500;
  opt.sampler.seed = 3;
  for (const auto& sampler : sampler_names()) {
    INFO(sampler);
    const auto run = run_chains(edge, sampler, opt);
    for (const auto& chain : run.chains) CHECK(chain.draws.col(0).maxCoeff() <= 1.5);
  }
  const auto buggy = throwing_normal(2, 1.0, std::runtime_error("index out of range"), "buggy");
  for (const auto& sampler : sampler_names()) {
    INFO(sampler);
    try {
      (void)run_chains(buggy, sampler, opt);
      FAIL("no exception");
    } catch (const ModelEvaluationError& e) {
      const std::string what = e.what();
      CHECK_THAT(what, Catch::Matches("chain [12], (initialization|warmup iteration [0-9]+|sampling iteration [0-9]+): "
                                      "model 'buggy': log density threw at theta = \\([-0-9.e]+, [-0-9.e]+\\): "
                                      "index out of range"));
    }
  }
}

TEST_CASE("nuts and hmc: divergences and E-BFMI count every sampling iteration, thinned away or kept") {
  // The centered funnel diverges; the same seed with thin 10 runs the same chain.
  const FunctionLogDensity funnel = testing::centered_funnel();
  ChainOptions opt;
  opt.chains = 2;
  opt.sampler.warmup = 300;
  opt.sampler.draws = 600;
  opt.sampler.seed = 5;
  for (const char* sampler : {"nuts", "hmc"}) {
    INFO(sampler);
    const auto every = run_chains(funnel, sampler, opt);
    opt.sampler.thin = 10;
    const auto thinned = run_chains(funnel, sampler, opt);
    opt.sampler.thin = 1;
    const SamplerHealth a = sampler_health(every, 10), b = sampler_health(thinned, 10);
    REQUIRE(a.divergences > 0);
    CHECK(a.divergences == every.divergences());
    CHECK(a.divergences == a.kept_divergences);
    CHECK(b.divergences == a.divergences);
    CHECK(b.iterations == 1200);
    CHECK(b.kept_iterations == 120);
    CHECK(b.kept_divergences < b.divergences);
    CHECK(thinned.divergences() == a.divergences);
    for (std::size_t c = 0; c < 2; ++c) {
      CHECK(b.ebfmi[c] == Approx(a.ebfmi[c]).epsilon(1e-9));  // all energies, not the kept tenth
      CHECK(a.ebfmi[c] == Approx(ebfmi(every.chains[c].diagnostics.energy)).epsilon(1e-9));
    }
    CHECK_THAT(format_summary(summarize(thinned)),
               Catch::Contains("Divergences: " + std::to_string(b.divergences) + " of 1200 sampling iterations (" +
                               std::to_string(b.kept_divergences) + " in the 120 kept)"));
  }
}

TEST_CASE("summary csv: full digits, NaN and Inf as R and pandas read them, names quoted when they need it") {
  Summary s;
  SummaryRow row;
  row.name = "theta[1,2]";
  row.mean = 0.1 + 0.2;
  row.mcse = std::numeric_limits<double>::quiet_NaN();
  row.rhat = std::numeric_limits<double>::infinity();
  row.non_finite = 3;
  s.rows.push_back(row);
  const std::string csv = format_summary_csv(s);
  CHECK(csv.substr(0, csv.find('\n')) ==
        "name,Mean,MCSE,StdDev,MAD,5%,50%,95%,ESS_bulk,ESS_tail,R_hat,MCSE_SD,MCSE_5%,MCSE_50%,MCSE_95%,non_finite");
  CHECK(csv.substr(csv.find('\n') + 1) == "\"theta[1,2]\",0.30000000000000004,NaN,0,0,0,0,0,0,0,Inf,0,0,0,0,3\n");
}
