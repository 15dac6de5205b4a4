// End-to-end tests of gpbo sample's metric warm start: --save-metric writes CmdStan's metric
// files, --metric-file starts a run from one, and bad metric files are refused with the JSON path.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_test_util.hpp"
#include "gpbo/core/csv.hpp"

using namespace cli_test;

namespace {

bool mentions(const Result& r, const std::string& text) { return r.output.find(text) != std::string::npos; }

// The line of a CmdStan CSV header that follows the line starting with `label`.
std::string line_after(const std::string& path, const std::string& label) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(label, 0) == 0) return std::getline(in, line) ? line : "";
  return "";
}

std::string line_starting(const std::string& path, const std::string& label) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(label, 0) == 0) return line;
  return "";
}

const std::string eight_schools = " sample --model eight_schools --data " + std::string(GPBO_SOURCE_DIR) + "/configs/data/eight_schools.csv";

}  // namespace

TEST_CASE("e2e: sample --save-metric writes each chain's metric and --metric-file starts a run from it") {
  Scratch s("sample_metric");
  const auto first = sh(cli + eight_schools + " --chains 2 --warmup 300 --draws 50 --seed 3 --save-metric --out " + s.path("fit.csv"));
  INFO(first.output);
  REQUIRE(first.status == 0);
  CHECK(mentions(first, "adapted step size and metric written to " + s.path("fit_1_metric.json") + ", " + s.path("fit_2_metric.json")));
  std::ifstream in(s.path("fit_2_metric.json"));
  const auto saved = nlohmann::json::parse(in);
  CHECK(saved["metric_type"] == "diag_e");
  REQUIRE(saved["inv_metric"].size() == 10);  // mu, tau and the 8 theta_raw
  CHECK(saved["stepsize"].get<double>() > 0.05);
  // The file holds what the chain's CSV reports, digit for digit.
  const auto adapted_step = line_starting(s.path("fit_2.csv"), "# Step size = ");
  CHECK(adapted_step == "# Step size = " + saved["stepsize"].dump());
  const auto adapted_metric = line_after(s.path("fit_2.csv"), "# Diagonal elements of inverse mass matrix:");
  std::string expected = "# ";
  for (std::size_t i = 0; i < 10; ++i) expected += (i ? ", " : "") + saved["inv_metric"][i].dump();
  CHECK(adapted_metric == expected);

  // Without adaptation a run keeps the file's step size and metric, so its CSV repeats them.
  const auto warm = sh(cli + eight_schools + " --chains 1 --warmup 50 --no-adapt --draws 200 --seed 4 --metric-file " +
                       s.path("fit_2_metric.json") + " --out " + s.path("warm.csv"));
  INFO(warm.output);
  REQUIRE(warm.status == 0);
  CHECK(line_starting(s.path("warm.csv"), "# Step size = ") == adapted_step);
  CHECK(line_after(s.path("warm.csv"), "# Diagonal elements of inverse mass matrix:") == adapted_metric);
  CHECK(line_starting(s.path("warm.csv"), "#       engaged = ") == "#       engaged = 0");
  CHECK_FALSE(mentions(warm, "stayed"));
  // --keep-metric: the warmup tunes only the step size; the metric stays the file's.
  const auto kept = sh(cli + eight_schools + " --chains 1 --warmup 100 --keep-metric --draws 200 --seed 4 --stepsize 0.01 --metric-file " +
                       s.path("fit_2_metric.json") + " --out " + s.path("kept.csv"));
  INFO(kept.output);
  REQUIRE(kept.status == 0);
  CHECK(line_after(s.path("kept.csv"), "# Diagonal elements of inverse mass matrix:") == adapted_metric);
  CHECK(line_starting(s.path("kept.csv"), "# Step size = ") != "# Step size = 0.01");
  CHECK(mentions(sh(cli + eight_schools + " --keep-metric --no-adapt"), "--no-adapt excludes --keep-metric"));
  CHECK(mentions(sh(cli + eight_schools + " --sampler slice --keep-metric"), "--keep-metric"));
  // --stepsize overrides the file's.
  const auto step = sh(cli + eight_schools + " --chains 1 --warmup 0 --no-adapt --draws 20 --stepsize 0.25 --metric-file " +
                       s.path("fit_2_metric.json") + " --out " + s.path("step.csv"));
  REQUIRE(step.status == 0);
  CHECK(line_starting(s.path("step.csv"), "# Step size = ") == "# Step size = 0.25");

  // Dense and unit metrics round-trip too (a unit one, "unit_e" without a matrix, was refused:
  // "/inv_metric: expected a non-empty array"), their kind from the file when --metric is not given.
  for (const std::string kind : {"dense", "unit"}) {
    const auto first = sh(cli + eight_schools + " --chains 1 --warmup 200 --draws 20 --metric " + kind + " --save-metric --out " +
                          s.path(kind + ".csv"));
    REQUIRE(first.status == 0);
    const auto warm = sh(cli + eight_schools + " --chains 1 --warmup 0 --no-adapt --draws 20 --metric-file " + s.path(kind + "_metric.json") +
                         " --out " + s.path(kind + "_warm.csv"));
    INFO(kind << ": " << warm.output);
    REQUIRE(warm.status == 0);
    const std::string before = s.path(kind + ".csv"), after = s.path(kind + "_warm.csv");
    CHECK(line_starting(after, "#         metric = ") == "#         metric = " + kind + "_e");
    CHECK(line_starting(after, "# Step size = ") == line_starting(before, "# Step size = "));
    if (kind == "dense")
      CHECK(line_after(after, "# Elements of inverse mass matrix:") == line_after(before, "# Elements of inverse mass matrix:"));
  }
}

TEST_CASE("e2e: sample refuses unusable metric files, naming the file and the JSON path") {
  Scratch s("sample_bad_metric");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"inv_metric": [1, "x"]})", "m.json: /inv_metric/1: expected a number"},
      {R"({"inv_metric": []})", "m.json: /inv_metric: expected a non-empty array"},
      {R"({"inv_metric": [[1, 0], [0]]})", "m.json: /inv_metric/1: expected an array of 2 numbers"},
      {R"({"inv_metric": [[1, 2], [2, 1]]})", "m.json: /inv_metric: a dense metric must be positive definite"},
      {R"({"inv_metric": [1, -2]})", "m.json: /inv_metric: a diag metric's elements must be positive"},
      {R"({"inv_metric": [[2, 0], [0, 1]], "metric_type": "diag_e"})", "m.json: /inv_metric: a matrix, but metric_type is diag_e"},
      {R"({"inv_metric": [1, 1], "stepsize": 0})", "m.json: /stepsize: expected a positive number"},
      {R"({"inv_metric": [1, 1], "stepsize_": 1})", "m.json: /stepsize_: unknown key \"stepsize_\" (did you mean \"stepsize\"?)"},
      {R"({"inv_metric": [1, 1]})", "m.json: the metric is for 2 parameters, model 'eight_schools' has 10"},
      {R"({"inv_metric": [1, 1)", "m.json:1:"},
      {R"({"inv_metric": [1, 1, 1], "metric_type": "unit_e"})", "m.json: the metric is for 3 parameters, model 'eight_schools' has 10"},
      {R"({"inv_metric": [1, 2], "metric_type": "unit_e"})", "m.json: /inv_metric: expected [] or an array of ones for metric_type \"unit_e\""},
      {R"({"inv_metric": [1, 2], "metric_type": "diag"})", "m.json: /metric_type: expected \"unit_e\", \"diag_e\" or \"dense_e\", got \"diag\""},
  };
  for (const auto& [text, message] : cases) {
    const auto r = sh(cli + eight_schools + " --metric-file " + s.write("m.json", text));
    INFO(text << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(mentions(r, message));
  }
  const auto ten = s.write("ten.json", R"({"inv_metric": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]})");
  // A model without data: the dimension is its own (the message spoke of "these data").
  const auto gauss = sh(cli + " sample --model gauss100 --draws 10 --warmup 10 --metric-file " + ten);
  CHECK(gauss.status == 2);
  CHECK(mentions(gauss, ten + ": the metric is for 10 parameters, model 'gauss100' has 100 (unconstrained)\n"));
  const auto kind = sh(cli + eight_schools + " --metric dense --metric-file " + ten);
  CHECK(kind.status == 2);
  CHECK(mentions(kind, "--metric dense: --metric-file " + ten + " holds a diag_e metric"));
  const auto slice = sh(cli + eight_schools + " --sampler slice --metric-file " + ten);
  CHECK(mentions(slice, "--metric-file: only nuts and hmc use it; sampler 'slice' would ignore it"));
  // Which sampler uses a flag comes before its value's range (it said "must be in (0, 1)").
  CHECK(mentions(sh(cli + eight_schools + " --sampler slice --adapt-delta 1.5"),
                 "--adapt-delta: only nuts and hmc use it; sampler 'slice' would ignore it"));
  const auto no_out = sh(cli + eight_schools + " --save-metric");
  CHECK(no_out.status == 2);
  CHECK(mentions(no_out, "--save-metric: give --out too"));
}

TEST_CASE("e2e: sample --trace-plot draws each chain's lp__ and first parameters, and their rank plots") {
  Scratch s("trace_plot");
  const auto r = sh(cli + eight_schools + " --chains 3 --warmup 100 --draws 1200 --trace-plot " + s.path("trace.svg"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(mentions(r, "trace plot written to " + s.path("trace.svg")));
  std::ifstream file(s.path("trace.svg"));
  const std::string svg((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // Traces are drawn 0.8 wide, the rank plots' step lines 1.2.
  std::map<std::string, std::pair<std::size_t, std::size_t>> lines_points;
  for (auto p = svg.find("<polyline"); p != std::string::npos; p = svg.find("<polyline", p + 1)) {
    const auto end = svg.find('"', svg.find("points=\"", p) + 8);
    const auto width_at = svg.find("stroke-width=\"", p) + 14;
    auto& [lines, points] = lines_points[svg.substr(width_at, svg.find('"', width_at) - width_at)];
    ++lines;
    for (auto q = svg.find(',', p); q < end; q = svg.find(',', q + 1)) ++points;
  }
  REQUIRE(lines_points.size() == 2);
  CHECK(lines_points["0.8"].first == 3 * 12);         // 3 chains x (lp__ + 11 of the 18 columns)
  CHECK(lines_points["0.8"].second == 3 * 12 * 400);  // 1200 draws thinned to every 3rd: at most 500 points a line
  CHECK(lines_points["1.2"].first == 3 * 12);         // a rank histogram per chain and quantity
  CHECK(lines_points["1.2"].second == 3 * 12 * 40);   // 20 bins, a step of two points each
  CHECK(svg.find(">ranks of tau<") != std::string::npos);
  CHECK(svg.find(">lp__<") != std::string::npos);
  CHECK(svg.find(">theta_raw.1<") != std::string::npos);
  CHECK(svg.find("lp__ and the first 11 of 18 parameters") != std::string::npos);
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(mentions(sh(cli + eight_schools + " --draws 10 --trace-plot " + s.path("no/such/dir.svg")), "does not exist"));
}

TEST_CASE("e2e: sample refuses output paths it could not write before sampling, not after") {
  Scratch s("sample_out_paths");
  std::filesystem::create_directories(s.dir / "taken_2.csv");  // where chain 2's draws would go
  s.write("plain", "a file, not a directory\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {" --chains 2 --out " + s.path("taken.csv"), "--out: '" + s.path("taken_2.csv") + "' (chain 2's draws) is a directory"},
      {" --out " + s.path("plain") + "/x.csv", "--out: '" + s.path("plain") + "' is a file, not a directory"},
      {" --out ''", "--out: expected a file name, got an empty one"},
      {" --out /proc/x.csv", "--out: cannot create files in directory '/proc'"},
      {" --trace-plot /proc/t.svg", "--trace-plot: cannot create files in directory '/proc'"}};
  for (const auto& [args, message] : cases) {
    const auto r = sh(cli + eight_schools + " --draws 20 --warmup 20" + args);
    INFO(args << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(mentions(r, message));
    CHECK_FALSE(mentions(r, "Inference for model"));  // nothing was sampled
  }
  // A device is no file to probe beside: /dev/null takes the draws whatever /dev allows.
  CHECK(sh(cli + eight_schools + " --draws 20 --warmup 20 --chains 1 --out /dev/null").status == 0);
}

TEST_CASE("e2e: sample ignores columns a model does not read, such as the schools' names") {
  Scratch s("sample_extra_columns");
  const auto data = s.write("es.csv", "school,y,sigma\nA,28,15\nB,8,10\nC,-3,16\nD,7,11\nE,-1,9\nF,1,11\nG,18,10\nH,12,18\n");
  const auto r = sh(cli + " sample --model eight_schools --data " + data + " --draws 20 --warmup 20");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(mentions(r, "Inference for model 'eight_schools'"));
  // A missing column names every column the file has.
  const auto missing = s.write("se.csv", "school,y,se\nA,28,15\n");
  CHECK(mentions(sh(cli + " sample --model eight_schools --data " + missing),
                 missing + ": missing column(s) sigma (expected columns: y, sigma; found: school, y, se)"));
}

TEST_CASE("e2e: sample says which data column each regression coefficient is") {
  Scratch s("sample_predictors");
  const auto data = s.write("d.csv", "dose,y,age\n0.1,0,30\n0.9,1,41\n0.5,1,35\n0.2,0,50\n0.7,1,28\n0.4,0,33\n");
  const auto r = sh(cli + " sample --model logistic --data " + data + " --draws 20 --warmup 20");
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(mentions(r, "Predictors: beta.1 = dose, beta.2 = age"));
}

TEST_CASE("e2e: sample --init-radius sets the box the chains start in (CmdStan's init=R)") {
  Scratch s("sample_init");
  // One NUTS transition of steps 1e-9 from the initial point: the draw is where the chain began.
  const auto r = sh(cli + eight_schools + " --chains 2 --warmup 0 --draws 1 --no-adapt --stepsize 1e-9 " +
                    "--init-radius 0.001 --seed 5 --out " + s.path("d.csv"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  for (const char* file : {"d_1.csv", "d_2.csv"}) {
    const auto table = gpbo::read_csv(s.path(file), {"mu", "tau"});
    REQUIRE(table.values.rows() == 1);
    CHECK(std::abs(table.column("mu")(0)) < 0.002);         // unconstrained, in (-0.001, 0.001)
    CHECK(std::abs(table.column("tau")(0) - 1.0) < 0.002);  // exp(log_tau), log_tau in (-0.001, 0.001)
  }
  // CmdStan's init=0: every chain at the origin.
  const auto zero = sh(cli + eight_schools + " --chains 2 --warmup 0 --draws 1 --no-adapt --stepsize 1e-9 " +
                       "--init-radius 0 --seed 5 --out " + s.path("z.csv"));
  INFO(zero.output);
  REQUIRE(zero.status == 0);
  for (const char* file : {"z_1.csv", "z_2.csv"}) {
    const auto table = gpbo::read_csv(s.path(file), {"mu", "tau"});
    CHECK(std::abs(table.column("mu")(0)) < 1e-6);
    CHECK(std::abs(table.column("tau")(0) - 1.0) < 1e-6);
  }
  CHECK(mentions(sh(cli + eight_schools + " --init-radius -1"), "--init-radius: expected a number in [0, 1e6]"));
  CHECK(mentions(sh(cli + eight_schools + " --init-radius -1"), "got -1"));
  CHECK(mentions(sh(cli + eight_schools + " --init-radius abc"), "expected a number, got 'abc'"));
}

TEST_CASE("e2e: sample's whole-number options say what they expected and what they got") {
  for (const auto& [option, expected] : std::vector<std::pair<std::string, std::string>>{
           {"--draws abc", "expected a whole number from 1 to 2147483647, got 'abc'"},
           {"--draws 1e3", "got '1e3'"},
           {"--chains 2.5", "expected a whole number from 1 to 100000, got '2.5'"},
           {"--chains 0", "got '0'"},
           {"--threads -1", "expected a whole number from 0 to 4096, got '-1'"},
           {"--warmup -5", "expected a whole number from 0 to 2147483647, got '-5'"},
           {"--max-treedepth 31", "expected a whole number from 1 to 30, got '31'"}}) {
    const auto r = sh(cli + eight_schools + " " + option);
    INFO(option << ": " << r.output);
    CHECK(r.status != 0);
    CHECK(mentions(r, expected));
  }
}

TEST_CASE("e2e: sample --save-warmup writes the warmup rows first, and the same draws after them") {
  Scratch s("sample_warmup");
  const std::string run = eight_schools + " --chains 1 --warmup 20 --draws 10 --thin 2 --seed 4 --out ";
  REQUIRE(sh(cli + run + s.path("w.csv") + " --save-warmup").status == 0);
  REQUIRE(sh(cli + run + s.path("plain.csv")).status == 0);
  CHECK(line_starting(s.path("w.csv"), "#     save_warmup") == "#     save_warmup = 1");
  const auto warm = gpbo::read_csv(s.path("w.csv"), {"lp__", "mu"}), plain = gpbo::read_csv(s.path("plain.csv"), {"lp__", "mu"});
  REQUIRE(warm.values.rows() == 10 + 5);  // ceil(20 / 2) warmup rows, then ceil(10 / 2) draws
  REQUIRE(plain.values.rows() == 5);
  CHECK(warm.values.bottomRows(5) == plain.values);
  const auto r = sh(cli + eight_schools + " --save-warmup");
  CHECK(r.status == 2);
  CHECK(mentions(r, "--save-warmup: give --out too; the warmup draws go into its CSV files"));
}

TEST_CASE("e2e: sample --summary-csv writes every row of the summary to the last digit, with the quantiles' MCSEs") {
  Scratch s("sample_summary_csv");
  const auto r = sh(cli + eight_schools + " --chains 2 --warmup 200 --draws 200 --seed 3 --summary-csv " + s.path("sum.csv"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(mentions(r, "summary written to " + s.path("sum.csv")));
  const auto rows = csv_rows(s.path("sum.csv"));
  REQUIRE(rows.size() == 1 + 19);  // header, lp__, mu, tau, theta_raw.1-8, theta.1-8
  CHECK(rows[0] == std::vector<std::string>{"name", "Mean", "MCSE", "StdDev", "MAD", "5%", "50%", "95%", "ESS_bulk",
                                            "ESS_tail", "R_hat", "MCSE_SD", "MCSE_5%", "MCSE_50%", "MCSE_95%", "non_finite"});
  CHECK(rows[1][0] == "lp__");
  CHECK(rows[2][0] == "mu");
  // The table's rounded mean of mu is the CSV's, rounded the same way (%10.4g).
  char mean[32];
  std::snprintf(mean, sizeof mean, "%.4g", std::stod(rows[2][1]));
  CHECK(r.output.find("\nmu ") != std::string::npos);
  const auto mu_line = r.output.substr(r.output.find("\nmu ") + 1, r.output.find('\n', r.output.find("\nmu ") + 1) - r.output.find("\nmu ") - 1);
  INFO(mu_line);
  CHECK(mu_line.find(std::string(" ") + mean + " ") != std::string::npos);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    REQUIRE(rows[i].size() == 16);
    CHECK(std::stod(rows[i][12]) > 0.0);  // MCSE of the median
    CHECK(rows[i][15] == "0");
  }
}
