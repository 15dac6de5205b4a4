// End-to-end tests of `gpbo fit` and `gpbo predict` with the real binary.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <random>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "cli_test_util.hpp"

using namespace cli_test;

namespace {
// y = sin(3 x1) + x2 on a small grid: smooth, so a GP predicts it well.
std::string training_csv() {
  std::string text = "x1,x2,y\n";
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 5; ++j) {
      const double a = i / 5.0, b = j / 4.0;
      text += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(std::sin(3 * a) + b) + "\n";
    }
  return text;
}

// The mean and sd columns of a `gpbo predict --out` file (after the input columns): finite means,
// positive sds, one row per test point.
void check_predictions(const std::string& path, std::size_t inputs, std::size_t rows) {
  std::ifstream in(path);
  std::string line;
  REQUIRE(std::getline(in, line));  // header
  CHECK(line.ends_with(",mean,sd,lower95,upper95"));
  std::size_t count = 0;
  while (std::getline(in, line)) {
    std::vector<double> v;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) v.push_back(std::stod(cell));
    REQUIRE(v.size() == inputs + 4);
    CHECK(std::isfinite(v[inputs]));
    CHECK(v[inputs + 1] > 0.0);
    ++count;
  }
  CHECK(count == rows);
}
// Friedman #1 (only x1..x5 matter) with `inputs` >= 5 inputs ~ U[0,1] and noise sd 1, as
// ../shared/peers/make_gp_case.py writes it, from a fixed mt19937_64 stream.
std::string friedman_csv(int rows, int inputs, std::uint64_t seed) {
  if (inputs < 5) throw std::invalid_argument("friedman_csv: needs at least 5 inputs");
  std::mt19937_64 rng(seed);
  const auto uniform = [&] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53; };
  std::string text;
  for (int c = 1; c <= inputs; ++c) text += "x" + std::to_string(c) + ",";
  text += "y\n";
  for (int r = 0; r < rows; ++r) {
    std::vector<double> x(static_cast<std::size_t>(inputs));
    for (auto& v : x) v = uniform();
    const double noise = std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * std::numbers::pi * uniform());
    const double y = 10.0 * std::sin(std::numbers::pi * x[0] * x[1]) + 20.0 * (x[2] - 0.5) * (x[2] - 0.5) + 10.0 * x[3] +
                     5.0 * x[4] + noise;
    for (double v : x) text += std::to_string(v) + ",";
    text += std::to_string(y) + "\n";
  }
  return text;
}
}  // namespace

TEST_CASE("e2e: gpbo fit then predict recovers a smooth function, columns matched by name") {
  Scratch s("gp");
  const auto train = s.write("train.csv", training_csv());
  const auto fit = sh(cli + " fit --data " + train + " --target y --kernel 'matern52 + linear' --seed 3 --out " + s.path("m.json"));
  INFO(fit.output);
  REQUIRE(fit.status == 0);
  CHECK(fit.output.find("leave-one-out: rmse") != std::string::npos);
  // Columns in another order, plus the target: predictions follow names, metrics are reported.
  const auto test = s.write("test.csv", "x2,y,x1\n0.5,1.2833269096274833,0.3\n0.25,1.1132093666488738,0.7\n");
  const auto p = sh(cli + " predict --model " + s.path("m.json") + " --data " + test);
  INFO(p.output);
  REQUIRE(p.status == 0);
  CHECK(p.output.find("x1,x2,mean,sd,lower95,upper95\n0.3,0.5,") != std::string::npos);
  const auto row = p.output.substr(p.output.find("0.3,0.5,") + 8);
  CHECK(std::stod(row) == Approx(1.2833269096274833).margin(0.02));
  CHECK(p.output.find("test targets present: rmse") != std::string::npos);
  // Columns the model does not use are not read: text and empty fields there are fine.
  const auto extra = s.write("extra.csv", "name,x2,note,x1\nrow2,0.5,,0.3\n\"a, b\",0.25,,0.7\n");
  const auto q = sh(cli + " predict --model " + s.path("m.json") + " --data " + extra);
  INFO(q.output);
  REQUIRE(q.status == 0);
  CHECK(q.output.find("x1,x2,mean,sd,lower95,upper95\n0.3,0.5,") != std::string::npos);
  CHECK(q.output.find("\n0.7,0.25,") != std::string::npos);
  CHECK(q.output.find("test targets") == std::string::npos);
}

TEST_CASE("e2e: gpbo fit --hyper mcmc saves hyperparameter draws and predict uses their mixture") {
  Scratch s("gp_mcmc");
  const std::string data = std::string(GPBO_SOURCE_DIR) + "/configs/data/";
  const std::string train = data + "friedman_train.csv", test = data + "friedman_test.csv";  // 150 and 60 rows, x1..x5,y
  const auto map = sh(cli + " fit --data " + train + " --seed 1 --out " + s.path("map.json"));
  REQUIRE(map.status == 0);
  const auto fit = sh(cli + " fit --data " + train + " --seed 1 --hyper mcmc --samples 8 --out " + s.path("mcmc.json"));
  INFO(fit.output);
  REQUIRE(fit.status == 0);
  CHECK(fit.output.find("posterior: 8 draws by nuts") != std::string::npos);
  CHECK(fit.output.find("0 divergences") != std::string::npos);
  CHECK(fit.output.find("ended with a divergence") == std::string::npos);
  {  // Noise-free data press the noise variance to its bound: most trajectories diverged, and the
     // fit said nothing, as gpbo sample warns.
    std::string exact = "x1,x2,y\n";
    for (int i = 0; i < 30; ++i) {
      const std::string x1 = std::to_string(i / 29.0), x2 = std::to_string(i * 7 % 30 / 29.0);  // as written
      exact += x1 + "," + x2 + "," + std::to_string(std::sin(3 * std::stod(x1)) + std::stod(x2)) + "\n";
    }
    const auto diverged = sh(cli + " fit --data " + s.write("exact.csv", exact) + " --hyper mcmc --out " + s.path("exact.json"));
    INFO(diverged.output);
    CHECK(diverged.status == 0);
    CHECK(diverged.output.find(" sampling iterations ended with a divergence: the hyperparameter draws may be biased") !=
          std::string::npos);
  }
  CHECK(fit.output.find("leave-one-out (posterior mixture): rmse") != std::string::npos);
  CHECK(fit.output.find("posterior mean") != std::string::npos);
  {  // 8 draws are too few for a bulk ESS (split halves of 4 give 4.0 whatever the draws): "-"
    const auto row = fit.output.find("kernel.outputscale", fit.output.find("bulk ESS"));
    REQUIRE(row != std::string::npos);
    const std::string line = fit.output.substr(row, fit.output.find('\n', row) - row);
    CHECK(line.back() == '-');
  }

  std::ifstream in(s.path("mcmc.json"));
  const auto j = nlohmann::json::parse(in);
  CHECK(j.at("version") == 2);
  const auto& draws = j.at("hyperparameter_draws");
  const auto names = draws.at("names").get<std::vector<std::string>>();
  CHECK(names.size() == 8);  // output scale, 5 length scales, noise variance, mean
  CHECK(names.front() == "kernel.outputscale");
  const auto values = draws.at("values").get<std::vector<std::vector<double>>>();
  REQUIRE(values.size() == 8);
  CHECK(values.front().size() == 8);
  CHECK(values.front() != values.back());
  // The default priors are in the saved model (a proper posterior).
  CHECK(j.at("gp").dump().find("lognormal") != std::string::npos);

  const auto p_map = sh(cli + " predict --model " + s.path("map.json") + " --data " + test);
  const auto p_mcmc = sh(cli + " predict --model " + s.path("mcmc.json") + " --data " + test + " --out " + s.path("p.csv"));
  INFO(p_map.output.substr(p_map.output.rfind("test targets")) << p_mcmc.output.substr(p_mcmc.output.rfind("predictions:")));
  REQUIRE(p_map.status == 0);
  REQUIRE(p_mcmc.status == 0);
  CHECK(p_mcmc.output.find("mixture of 8 hyperparameter posterior draws") != std::string::npos);
  CHECK(p_map.output.find("mixture of") == std::string::npos);
  check_predictions(s.path("p.csv"), 5, 60);
  {  // The interval is the mixture's own quantiles, not mean +- 1.96 sd of one normal.
    int asymmetric = 0;
    for (const auto& row : csv_records(s.path("p.csv"))) {
      const double mean = std::stod(row.at("mean")), lo = std::stod(row.at("lower95")), hi = std::stod(row.at("upper95"));
      CHECK(lo < mean);
      CHECK(mean < hi);
      asymmetric += std::abs((hi - mean) - (mean - lo)) > 1e-6 * (hi - lo);
    }
    CHECK(asymmetric > 0);
  }
  // Friedman #1 with noise sd 1: the MAP model reaches rmse ~1.05, nlpd ~1.49 on the test rows;
  // the mixture must be as good up to sampling noise.
  const double nlpd_map = number_after(p_map.output, "nlpd "), nlpd_mcmc = number_after(p_mcmc.output, "nlpd ");
  const double rmse_map = number_after(p_map.output, "rmse "), rmse_mcmc = number_after(p_mcmc.output, "rmse ");
  CHECK(nlpd_mcmc < nlpd_map + 0.1);
  CHECK(rmse_mcmc < 1.1 * rmse_map);
  CHECK(nlpd_mcmc < 2.0);
}

TEST_CASE("e2e: gpbo fit and predict read quoted fields and a byte-order mark (R, pandas, Excel)") {
  Scratch s("gp_dialects");
  // Excel's "CSV UTF-8" with R-style quoted names, every number quoted, CRLF line ends.
  std::string text = "\xEF\xBB\xBF\"x1, cm\",\"y\"\r\n";
  for (int i = 0; i < 8; ++i) text += "\"" + std::to_string(i / 7.0) + "\",\"" + std::to_string(std::sin(3 * i / 7.0)) + "\"\r\n";
  const auto train = s.write("train.csv", text);
  const auto fit = sh(cli + " fit --data " + train + " --seed 1 --out " + s.path("m.json"));
  INFO(fit.output);
  REQUIRE(fit.status == 0);
  std::ifstream in(s.path("m.json"));
  CHECK(nlohmann::json::parse(in).at("inputs") == std::vector<std::string>{"x1, cm"});
  const auto p = sh(cli + " predict --model " + s.path("m.json") + " --data " + s.write("test.csv", "\"x1, cm\"\n\"0.5\"\n"));
  INFO(p.output);
  CHECK(p.status == 0);
  CHECK(p.output.find("\"x1, cm\",mean,sd,lower95,upper95\n0.5,") != std::string::npos);  // quoted again
}

TEST_CASE("e2e: gpbo fit and predict reject bad input with file, line and column") {
  Scratch s("gp_bad");
  const auto model = s.path("m.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x1,y\n0.1,1\n0.2,nan\n", "bad.csv:3:2: non-finite value 'nan' in column 'y'"},
      {"x1,y\n0.1,1\n0.2\n", "bad.csv:3:2: expected 2 columns, found 1"},
      {"x1,y\n0.1,abc\n", "bad.csv:2:2: expected a number in column 'y', found 'abc'"},
      {"x1,y\n", "bad.csv: no data rows to fit"},
      {"x1,z\n0.1,1\n", "bad.csv: no column named 'y' (columns: x1, z)"},
      {"y\n1\n2\n", "no input columns besides the target 'y'"},
  };
  for (const auto& [text, message] : cases) {
    const auto path = s.write("bad.csv", text);
    const auto r = sh(cli + " fit --data " + path + " --out " + model);
    INFO(text << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(message) != std::string::npos);
  }
  const auto ok = s.write("ok.csv", "x1,y\n0.1,1\n0.5,2\n0.9,1.5\n");
  const auto bad_kernel = sh(cli + " fit --data " + ok + " --kernel 'matern53' --out " + model);
  CHECK(bad_kernel.status == 2);
  CHECK(bad_kernel.output.find("--kernel: ") != std::string::npos);
  CHECK(bad_kernel.output.find("matern53") != std::string::npos);
  const std::vector<std::pair<std::string, std::string>> bad_mcmc = {
      {"--hyper mcmc --samples 0", "--samples: expected a whole number from 1 to 10000, got '0'"},
      {"--hyper mcmc --samples 100000000", "--samples: expected a whole number from 1 to 10000, got '100000000'"},
      {"--hyper mcmc --sampler hmc", "--sampler: unknown hyperparameter sampler 'hmc' (expected nuts or slice)"},
      {"--hyper bayes", "--hyper: expected 'map' or 'mcmc', got 'bayes'"},
      {"--samples 4", "--samples and --sampler need --hyper mcmc"},
      // CLI11 wrapped -1 around to 2^64 - 1: "internal error: cannot create std::vector larger than max_size()".
      {"--subset -1", "--subset: expected a whole number from 0 to 1000000000, got '-1'"},
      {"--subset 1", "--subset: expected 0 (off) or at least 2 rows, got '1'"},  // was FitOptions::subset_size's error
      {"--threads -1", "--threads: expected a whole number from 0 to 4096, got '-1'"},
  };
  for (const auto& [flags, message] : bad_mcmc) {
    const auto r = sh(cli + " fit --data " + ok + " " + flags + " --out " + model);
    INFO(flags << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(message) != std::string::npos);
  }
  // A Latin-1 column name (0xE9) cannot go into the model's JSON: it was an internal error.
  const auto latin1 = sh(cli + " fit --data " + s.write("latin1.csv", "temp\xe9rature,y\n0.1,1\n0.5,2\n0.9,1.5\n") +
                         " --out " + model);
  CHECK(latin1.status == 2);
  CHECK(latin1.output.find("latin1.csv: column name 'temp\xef\xbf\xbdrature' is not UTF-8 text (the model file names its "
                           "columns in JSON); save the file as UTF-8") != std::string::npos);
  REQUIRE(sh(cli + " fit --data " + ok + " --out " + model).status == 0);
  const auto missing = sh(cli + " predict --model " + model + " --data " + s.write("t.csv", "x2\n0.3\n"));
  CHECK(missing.status == 2);
  CHECK(missing.output.find("the model needs input column 'x1': ") != std::string::npos);
  CHECK(missing.output.find("t.csv: no column named 'x1' (columns: x2)") != std::string::npos);
  {  // A header without rows (a filter upstream kept none) is an empty table: header-only output.
    const auto header_only = sh(cli + " predict --model " + model + " --data " + s.write("h.csv", "x1\n"));
    INFO(header_only.output);
    CHECK(header_only.status == 0);
    CHECK(header_only.output.find("x1,mean,sd,lower95,upper95\n") != std::string::npos);
    CHECK(header_only.output.find("h.csv has no data rows: 0 rows predicted, the output is the header alone") !=
          std::string::npos);
    // With the target and a kept column too, into a file: no test metrics of no rows.
    const auto kept = sh(cli + " predict --model " + model + " --data " + s.write("h2.csv", "id,x1,y\n") + " --keep id --out " +
                         s.path("h.out.csv"));
    INFO(kept.output);
    CHECK(kept.status == 0);
    CHECK(kept.output.find("test targets") == std::string::npos);
    CHECK(csv_rows(s.path("h.out.csv")) == std::vector<std::vector<std::string>>{{"id", "x1", "mean", "sd", "lower95", "upper95"}});
  }
  const auto not_model = sh(cli + " predict --model " + ok + " --data " + ok);
  CHECK(not_model.status == 2);
  CHECK(not_model.output.find(ok + ":1:1: invalid JSON: ") != std::string::npos);
  for (const char* noise : {"inf", "1e400"}) {  // strtod reads both as inf
    const auto r = sh(cli + " fit --data " + ok + " --noise " + noise + " --out " + model);
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find("--noise: expected 'learn' or a positive, finite variance") != std::string::npos);
  }
  const auto over_model = sh(cli + " predict --model " + model + " --data " + ok + " --out " + model);
  CHECK(over_model.status == 2);
  CHECK(over_model.output.find("the predictions (--out " + model + ") would overwrite the --model file " + model) != std::string::npos);
  // Errors inside the saved model name their JSON path below /gp.
  nlohmann::json saved = nlohmann::json::parse(std::ifstream(model));
  auto edited = [&](const std::string& pointer, const nlohmann::json& value) {
    nlohmann::json j = saved;
    j[nlohmann::json::json_pointer(pointer)] = value;
    return sh(cli + " predict --model " + s.write("edited.json", j.dump()) + " --data " + ok);
  };
  const auto bad_x = edited("/gp/X/1", "a");
  CHECK(bad_x.status == 2);
  CHECK(bad_x.output.find("edited.json: /gp/X/1: ") != std::string::npos);
  {  // The kernel section repeats /params: an edit of one alone was silently ignored (the
     // predictions did not change). Refused, naming both; an edit of both is taken.
    const double used = saved["gp"]["params"][1].get<double>();
    const auto one = edited("/gp/kernel/base/lengthscale/0/log_value", used + 1.0);
    INFO(one.output);
    CHECK(one.status == 2);
    CHECK(one.output.find("edited.json: /gp/kernel/base/lengthscale/0/log_value: " + nlohmann::json(used + 1.0).dump() +
                          " disagrees with its copy in params (element 1: ") != std::string::npos);
    CHECK(one.output.find("the log of the same hyperparameter (kernel.lengthscale[0]): the file holds each free one in both "
                          "places; give both the same value") != std::string::npos);
    nlohmann::json both = saved;
    both["gp"]["kernel"]["base"]["lengthscale"][0]["log_value"] = used + 1.0;
    both["gp"]["params"][1] = used + 1.0;
    CHECK(sh(cli + " predict --model " + s.write("both.json", both.dump()) + " --data " + ok).status == 0);
  }
  const auto bad_scale = edited("/gp/output_map/scale", 1e-200);
  CHECK(bad_scale.status == 2);
  CHECK(bad_scale.output.find("edited.json: /gp/output_map/scale: expected a number between 1e-154 and 1e154") != std::string::npos);
  // Outside /gp too: input names that do not fit the model, a misspelled or a missing key.
  const auto two_names = edited("/inputs", nlohmann::json::array({"x1", "x2"}));
  CHECK(two_names.status == 2);
  CHECK(two_names.output.find("edited.json: /inputs: 2 names for a model of 1 input") != std::string::npos);
  const auto typo = edited("/targt", "y");
  CHECK(typo.status == 2);
  CHECK(typo.output.find("edited.json: /targt: unknown key \"targt\" (did you mean \"target\"?)") != std::string::npos);
  nlohmann::json no_target = saved;
  no_target.erase("target");
  const auto missing_key = sh(cli + " predict --model " + s.write("edited.json", no_target.dump()) + " --data " + ok);
  CHECK(missing_key.status == 2);
  CHECK(missing_key.output.find("edited.json: /: missing key \"target\"") != std::string::npos);
  // A model saved by the library (gpbo::save_gp) has no column names: say how to wrap it.
  const auto library_model = sh(cli + " predict --model " + s.write("lib.json", saved["gp"].dump()) + " --data " + ok);
  CHECK(library_model.status == 2);
  CHECK(library_model.output.find("lib.json: a model saved by gpbo::save_gp, without the column names gpbo predict needs") !=
        std::string::npos);
}

TEST_CASE("e2e: gpbo fit --inputs picks the input columns; the others may hold text") {
  Scratch s("gp_inputs");
  const auto data = s.write("d.csv", "name,x1,id,x2,y\nA,0.1,7,0.5,1.0\nB,0.4,8,0.2,1.5\nC,0.7,9,0.9,0.3\nD,0.9,10,0.1,0.8\n");
  const auto model = s.path("m.json");
  const auto all = sh(cli + " fit --data " + data + " --out " + model);
  CHECK(all.status == 2);
  CHECK(all.output.find("d.csv:2:1: expected a number in column 'name', found 'A' (every column but the target is an input "
                        "unless --inputs names them)") != std::string::npos);
  // Text in the target column: --inputs cannot help, so the hint about inputs would mislead.
  const auto text_target = sh(cli + " fit --data " + s.write("t.csv", "x1,y\n0.1,1.0\n0.4,abc\n") + " --out " + model);
  CHECK(text_target.status == 2);
  CHECK(text_target.output.find("t.csv:3:2: expected a number in column 'y', found 'abc'\n") != std::string::npos);
  const auto picked = sh(cli + " fit --data " + data + " --inputs x2,x1 --out " + model);
  INFO(picked.output);
  REQUIRE(picked.status == 0);
  CHECK(picked.output.find("on 4 points, 2 inputs") != std::string::npos);
  CHECK(nlohmann::json::parse(std::ifstream(model))["inputs"] == nlohmann::json({"x2", "x1"}));
  // Spaces after the commas, as in a header "x2, x1": the same columns.
  REQUIRE(sh(cli + " fit --data " + data + " --inputs 'x2, x1' --out " + model).status == 0);
  CHECK(nlohmann::json::parse(std::ifstream(model))["inputs"] == nlohmann::json({"x2", "x1"}));
  const auto predicted = sh(cli + " predict --model " + model + " --data " + data + " --out " + s.path("p.csv"));
  CHECK(predicted.status == 0);
  check_predictions(s.path("p.csv"), 2, 4);
  // An error after the output file was named (a --keep column missing) leaves that file as it
  // was: it is written whole at the end. It was left empty.
  const auto kept_missing = sh(cli + " predict --model " + model + " --data " + data + " --keep nope --out " + s.path("p.csv"));
  CHECK(kept_missing.status == 2);
  CHECK(kept_missing.output.find("no column named 'nope'") != std::string::npos);
  check_predictions(s.path("p.csv"), 2, 4);
  // The kernel's active dimensions by column name: x1 is the second input here.
  const auto named = sh(cli + " fit --data " + data + " --inputs x2,x1 --kernel 'matern52[x1] + linear[x2]' --out " + model);
  INFO(named.output);
  REQUIRE(named.status == 0);
  CHECK(named.output.find("fitted y ~ scale(matern52[x1]) + linear[x2] on 4 points") == 0);
  CHECK(nlohmann::json::parse(std::ifstream(model))["gp"]["kernel"]["children"][0]["base"]["active_dims"] == nlohmann::json({1}));
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"x1,nope", "d.csv: no column named 'nope' (columns: name, x1, id, x2, y)"},
      {"x1,y", "--inputs: 'y' is the target (--target)"},
      {"x1,x1", "--inputs: 'x1' is listed twice"},
  };
  const auto unknown = sh(cli + " fit --data " + data + " --inputs x2,x1 --kernel 'se[id]' --out " + model);
  CHECK(unknown.status == 2);
  CHECK(unknown.output.find("--kernel: kernel string \"se[id]\": no input column named 'id' in the active dimensions of se; the "
                            "inputs are x2, x1") != std::string::npos);
  for (const auto& [inputs, message] : bad) {
    const auto r = sh(cli + " fit --data " + data + " --inputs " + inputs + " --out " + model);
    INFO(r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(message) != std::string::npos);
  }
}

TEST_CASE("e2e: gpbo fit refuses a fixed noise that only the jitter makes workable; counts one input and one restart as one") {
  Scratch s("gp_jitter");
  // The same input twice with values 0 and 2, and a fixed noise far below that scatter: the fit
  // raised the output scale to 2.8e8, so that the jitter (0.028, growing with it) served as the
  // noise, and reported noise 1e-300 (fixed) with a warning only.
  const auto data = s.write("dup.csv", "x,y\n0.5,0\n0.5,2\n0.1,1\n0.9,1\n");
  const auto r = sh(cli + " fit --data " + data + " --noise 1e-300 --restarts 1 --out " + s.path("m.json"));
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find(data + ": with --noise 1e-300 the fitted covariance matrix factorizes only with ") != std::string::npos);
  CHECK(r.output.find("Repeated or nearly repeated inputs with different values need a noise: learn it (--noise learn, the "
                      "default) or fix one of ") != std::string::npos);
  CHECK(!fs::exists(s.path("m.json")));
  const auto learned = sh(cli + " fit --data " + data + " --restarts 1 --out " + s.path("m2.json"));
  INFO(learned.output);
  CHECK(learned.status == 0);
  CHECK(learned.output.find("on 4 points, 1 input (1 restart, best start") != std::string::npos);
  CHECK(learned.output.find("not positive definite") == std::string::npos);
}

TEST_CASE("e2e: gpbo fit with a tiny fixed noise: refused for repeated noisy inputs, fine for smooth distinct ones") {
  Scratch s("gp_tiny_noise");
  // A user's trial: 20 inputs 3 times each, y = sin(x) + 0.3 N(0, 1). With --noise 1e-12 the fit
  // reported outputscale 4.9e8, noise 1e-12 (fixed) and a fine leave-one-out; 0.049 of jitter
  // was the noise, and test predictions were worse than the mean (nlpd 11).
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::string repeated = "x,y\n";
  for (int i = 0; i < 20; ++i)
    for (int k = 0; k < 3; ++k) repeated += std::to_string(i * 10.0 / 19) + "," + std::to_string(std::sin(i * 10.0 / 19) + 0.3 * normal(rng)) + "\n";
  const auto dup = s.write("dup.csv", repeated);
  expect_output(cli + " fit --data " + dup + " --noise 1e-12 --out " + s.path("m.json"), 2,
                dup + ": with --noise 1e-12 the fitted covariance matrix factorizes only with ");
  const auto learned = sh(cli + " fit --data " + dup + " --out " + s.path("m.json"));
  CHECK(learned.status == 0);
  CHECK(number_after(learned.output, "noise_variance") > 0.01);
  // Noise-free smooth data at distinct inputs need no jitter: --noise 1e-12 and 1e-10 fit them.
  const auto smooth = s.write("smooth.csv", training_csv());
  for (const std::string kernel : {"matern52", "se"})
    for (const std::string noise : {"1e-12", "1e-10"}) {
      const auto r = sh(cli + " fit --data " + smooth + " --kernel " + kernel + " --noise " + noise + " --out " + s.path("s.json"));
      INFO(kernel << " " << noise << "\n" << r.output);
      CHECK(r.status == 0);
      CHECK(r.output.find("not positive definite") == std::string::npos);
      CHECK(number_after(r.output, "leave-one-out: rmse ") < 1e-3);
    }
}

TEST_CASE("e2e: gpbo predict writes full precision and scores rows whose target is blank") {
  // Before: 10 significant digits, so means near 1e9 printed as 1000000000 and an input
  // 1.0000000025 came back as 1.000000002; a blank or NA target field was an error.
  Scratch s("gp_precision");
  std::string text = "x,y\n";
  for (int i = 0; i < 12; ++i) {
    const double x = 1.0 + 1e-8 * i / 11.0;
    char row[96];
    std::snprintf(row, sizeof row, "%.17g,%.17g\n", x, 1e9 + std::sin(6.0 * i / 11.0));
    text += row;
  }
  const auto data = s.write("big.csv", text);
  const auto model = s.path("m.json");
  REQUIRE(sh(cli + " fit --data " + data + " --out " + model).status == 0);
  const auto rows = s.write("score.csv", "id,x,y\nA,1.0000000025,\nB,1.0000000075,NA\n");
  const auto out = s.path("p.csv");
  const auto r = sh(cli + " predict --model " + model + " --data " + rows + " --out " + out);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(r.output.find("note: no test metrics, the target column is not complete") != std::string::npos);
  CHECK(r.output.find("rmse") == std::string::npos);
  const auto table = csv_rows(out);
  REQUIRE(table.size() == 3);
  CHECK(table[1][0] == "1.0000000025");
  CHECK(table[2][0] == "1.0000000075");
  for (std::size_t i = 1; i < 3; ++i) {
    const double mean = std::stod(table[i][1]), lower = std::stod(table[i][3]), upper = std::stod(table[i][4]);
    CHECK(std::abs(mean - 1e9) < 2.0);
    CHECK(mean != std::round(mean));  // the signal is +-1 around 1e9: not rounded away
    CHECK(lower < mean);
    CHECK(mean < upper);
  }
  // --keep copies columns such as ids to the front, so predictions join back by key.
  const auto kept = sh(cli + " predict --model " + model + " --data " + rows + " --keep id --out " + out);
  INFO(kept.output);
  REQUIRE(kept.status == 0);
  const auto with_id = csv_rows(out);
  CHECK(with_id[0][0] == "id");
  CHECK(with_id[1][0] == "A");
  CHECK(with_id[2][0] == "B");
  CHECK(with_id[2][1] == "1.0000000075");
  const auto missing = sh(cli + " predict --model " + model + " --data " + rows + " --keep key");
  CHECK(missing.status == 2);
  CHECK(missing.output.find("score.csv: no column named 'key'") != std::string::npos);
  // The output names each column once, so that it reads back.
  for (const auto& [keep, says] : std::vector<std::pair<std::string, std::string>>{
           {"id,id", "--keep: column 'id' is named twice"},
           {"x", "--keep: 'x' is an input of the model, written to the output anyway"}}) {
    const auto r = sh(cli + " predict --model " + model + " --data " + rows + " --keep " + keep);
    CHECK(r.status == 2);
    CHECK(r.output.find(says) != std::string::npos);
  }
  // --data is read once, so a pipe works, test metrics and --keep included (it used to be
  // opened three times: no metrics, and with --keep "empty file").
  const auto piped = sh("cat " + data + " | " + cli + " predict --model " + model + " --data /dev/stdin --keep y --out " + out);
  INFO(piped.output);
  CHECK(piped.status == 0);
  CHECK(piped.output.find("test targets present: rmse") != std::string::npos);
  CHECK(csv_rows(out).size() == 13);
}

TEST_CASE("e2e: gpbo fit's default priors keep thin, wide data from overfitting; --priors none is maximum likelihood") {
  Scratch s("gp_priors");
  const auto train = s.write("train.csv", friedman_csv(40, 80, 1)), test = s.write("test.csv", friedman_csv(300, 80, 2));
  const auto ml = sh(cli + " fit --data " + train + " --priors none --seed 1 --threads 1 --out " + s.path("ml.json"));
  const auto map = sh(cli + " fit --data " + train + " --seed 1 --threads 1 --out " + s.path("map.json"));
  INFO(ml.output << map.output);
  REQUIRE(ml.status == 0);
  REQUIRE(map.status == 0);
  CHECK(ml.output.find("maximum likelihood, no priors") != std::string::npos);
  CHECK(map.output.find("(MAP fit, weak priors)") != std::string::npos);
  const auto p_ml = sh(cli + " predict --model " + s.path("ml.json") + " --data " + test + " --out " + s.path("p.csv"));
  const auto p_map = sh(cli + " predict --model " + s.path("map.json") + " --data " + test + " --out " + s.path("p.csv"));
  INFO(p_ml.output << p_map.output);
  // Maximum likelihood interpolates 40 noisy points with 80 inputs (noise at its bound) and is
  // overconfident far from them; the priors keep a noise and honest intervals.
  CHECK(number_after(ml.output, "noise_variance") < 1e-5);
  CHECK(number_after(map.output, "noise_variance") > 1e-3);
  CHECK(number_after(p_map.output, "nlpd ") < 5.0);
  CHECK(number_after(p_ml.output, "nlpd ") > number_after(p_map.output, "nlpd ") + 2.0);
  CHECK(number_after(p_map.output, "coverage ") > 50.0);
  // Sampling needs proper priors.
  const auto refused = sh(cli + " fit --data " + train + " --priors none --hyper mcmc --out " + s.path("x.json"));
  CHECK(refused.status == 2);
  CHECK(refused.output.find("--priors none needs --hyper map") != std::string::npos);
  CHECK(sh(cli + " fit --data " + train + " --priors flat --out " + s.path("x.json")).status == 2);
}

TEST_CASE("e2e: gpbo fit notes a learned noise at its lower bound; --help states the bounds") {
  Scratch s("gp_noise_floor");
  // Noise-free smooth data: the learned noise ends at its bound, 1e-6, which read as an estimate.
  const auto smooth = s.write("smooth.csv", training_csv());
  const auto floor = sh(cli + " fit --data " + smooth + " --out " + s.path("m.json"));
  INFO(floor.output);
  REQUIRE(floor.status == 0);
  CHECK(number_after(floor.output, "noise_variance") == Approx(1e-6));
  CHECK(floor.output.find("note: the learned noise_variance is at its lower bound 1e-06: the data look noise-free at this "
                          "resolution (noise sd 0.001 of the targets' sd); to fit them as such, fix a smaller noise, e.g. "
                          "--noise 1e-10\n") != std::string::npos);
  // The suggestion works, and a fixed noise gets no note; nor does a noise above its bound.
  const auto fixed = sh(cli + " fit --data " + smooth + " --noise 1e-10 --out " + s.path("m.json"));
  INFO(fixed.output);
  CHECK(fixed.status == 0);
  CHECK(fixed.output.find("lower bound") == std::string::npos);
  const auto noisy = sh(cli + " fit --data " + s.write("noisy.csv", friedman_csv(40, 5, 3)) + " --restarts 1 --out " + s.path("m.json"));
  CHECK(noisy.status == 0);
  CHECK(noisy.output.find("lower bound") == std::string::npos);
  const auto help = sh(cli + " fit --help");
  CHECK(help.output.find("'learn' (a noise variance fitted within [1e-06, 10], standardized units") != std::string::npos);
}

TEST_CASE("e2e: gpbo fit warns that a white term beside a learned noise is redundant; --subset pre-fits") {
  Scratch s("gp_white");
  const auto train = s.write("train.csv", friedman_csv(60, 5, 4));
  const auto white = sh(cli + " fit --data " + train + " --kernel 'matern52 + white' --restarts 1 --out " + s.path("w.json"));
  INFO(white.output);
  CHECK(white.status == 0);
  CHECK(white.output.find("warning: the kernel's white term and the learned noise both model the observation noise") !=
        std::string::npos);
  const auto fixed = sh(cli + " fit --data " + train + " --kernel 'matern52 + white' --noise 1e-4 --restarts 1 --out " +
                        s.path("f.json"));
  CHECK(fixed.status == 0);
  CHECK(fixed.output.find("white term") == std::string::npos);
  const auto subset = sh(cli + " fit --data " + train + " --subset 50 --restarts 2 --out " + s.path("s.json"));
  CHECK(subset.status == 0);
  CHECK(subset.output.find("on 60 points, 5 inputs (2 restarts") != std::string::npos);
  CHECK(subset.output.find("note") == std::string::npos);
  // Fewer than ten rows an input rank the starts badly (Friedman, --subset 10: log posterior -107
  // against -57): said, not silent.
  const auto few = sh(cli + " fit --data " + train + " --subset 20 --restarts 2 --out " + s.path("s.json"));
  CHECK(few.status == 0);
  CHECK(few.output.find("gpbo fit: note: --subset 20 is few rows to rank the starts on with 5 inputs: give 50 or more") !=
        std::string::npos);
  // One at or above the row count does nothing: said, not silent.
  const auto all = sh(cli + " fit --data " + train + " --subset 60 --restarts 0 --out " + s.path("a.json"));
  CHECK(all.status == 0);
  CHECK(all.output.find("gpbo fit: note: --subset 60 is not below the 60 rows: every start fits all of them") != std::string::npos);
}

TEST_CASE("e2e: gpbo fit names the file and column of targets beyond double precision, and an empty --inputs name") {
  Scratch s("gp_range");
  const auto wide = s.write("wide.csv", "x,y\n0,1e200\n1,-3e200\n2,2e200\n");
  const auto r = sh(cli + " fit --data " + wide + " --out " + s.path("m.json"));
  INFO(r.output);
  CHECK(r.status == 2);
  CHECK(r.output.find("wide.csv, column 'y': the outputs spread too widely") != std::string::npos);
  CHECK(r.output.find("GaussianProcess") == std::string::npos);
  const auto empty = sh(cli + " fit --data " + wide + " --inputs '' --out " + s.path("m.json"));
  CHECK(empty.status == 2);
  CHECK(empty.output.find("--inputs: an empty column name") != std::string::npos);
  // A list that splits to nothing takes the next option for a column name (CLI11): said as such.
  const auto comma = sh(cli + " fit --data " + wide + " --inputs , --out " + s.path("m.json"));
  INFO(comma.output);
  CHECK(comma.status == 2);
  CHECK(comma.output.find("--inputs: no column names before '--out', which was taken for one") != std::string::npos);
}

TEST_CASE("e2e: gpbo fit --noise-sd-column takes each target's known noise; the column is no input") {
  Scratch s("noise_sd");
  // Heteroscedastic data (the README's): sd from 0 to 0.59 and errors within it; without the
  // column one learned noise level must cover the noisiest points everywhere.
  const std::string data = std::string(GPBO_SOURCE_DIR) + "/configs/data/heteroscedastic.csv";
  const auto plain = sh(cli + " fit --data " + data + " --target y --inputs x --out " + s.path("plain.json"));
  const auto known = sh(cli + " fit --data " + data + " --target y --noise-sd-column y_sd --out " + s.path("known.json"));
  INFO(plain.output << known.output);
  REQUIRE(plain.status == 0);
  REQUIRE(known.status == 0);
  CHECK(known.output.find("on 40 points, 1 input") != std::string::npos);  // y_sd is not an input
  CHECK(known.output.find("known noise: column 'y_sd', sd 0 to 0.594 (target units)") != std::string::npos);
  CHECK(number_after(known.output, "noise_variance") < 0.2 * number_after(plain.output, "noise_variance"));
  CHECK(number_after(known.output, "mean negative log predictive density ") <
        number_after(plain.output, "mean negative log predictive density ") - 0.1);
  const auto model = nlohmann::json::parse(std::ifstream(s.path("known.json")));
  CHECK(model.dump().find("\"point_noise\"") != std::string::npos);
  const auto predicted = sh(cli + " predict --model " + s.path("known.json") + " --data " +
                            s.write("q.csv", "x\n0.5\n") + " --out " + s.path("p.csv"));
  CHECK(predicted.status == 0);
  check_predictions(s.path("p.csv"), 1, 1);

  const auto negative = sh(cli + " fit --data " + s.write("neg.csv", "x,y,y_sd\n0,1,0.1\n0.5,2,-0.2\n1,3,0\n") +
                           " --target y --noise-sd-column y_sd --out " + s.path("n.json"));
  CHECK(negative.status == 2);
  CHECK(negative.output.find("neg.csv:3:3: a noise sd (--noise-sd-column) must be >= 0 with a finite square (the variance), "
                             "got -0.2") != std::string::npos);
  // 1e155 squared overflows: the message named the target column and an internal name.
  const auto huge = sh(cli + " fit --data " + s.write("huge.csv", "x,y,y_sd\n0,1,1e155\n0.5,2,0.1\n1,3,0\n") +
                       " --target y --noise-sd-column y_sd --out " + s.path("n.json"));
  CHECK(huge.status == 2);
  CHECK(huge.output.find("huge.csv:2:3: a noise sd (--noise-sd-column) must be >= 0 with a finite square (the variance), "
                         "got 1e+155") != std::string::npos);
  const auto missing = sh(cli + " fit --data " + data + " --target y --noise-sd-column sd --out " + s.path("m.json"));
  CHECK(missing.status == 2);
  CHECK(missing.output.find("no column named 'sd' (columns: x, y, y_sd)") != std::string::npos);
}

TEST_CASE("e2e: gpbo fit warns of an input column that never varies") {
  Scratch s("gp_constant_input");
  const auto train = s.write("train.csv", "x,batch,y\n0.1,1,0.3\n0.4,1,0.9\n0.7,1,0.6\n0.9,1,0.2\n");
  const auto r = sh(cli + " fit --data " + train + " --restarts 1 --out " + s.path("m.json"));
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("warning: every value of input 'batch' is 1; it tells the model nothing") != std::string::npos);
  CHECK(r.output.find("input 'x'") == std::string::npos);
}

TEST_CASE("e2e: gpbo fit refuses inputs too close to scale and data too large for an exact GP") {
  Scratch s("gp_unscalable");
  // Values 1e-311 apart: their range has no finite reciprocal ("internal error" before).
  std::string tiny = "x,y\n";
  for (int i = 0; i < 6; ++i) tiny += std::to_string(i) + "e-311," + std::to_string(0.1 * i * i) + "\n";
  const auto train = s.write("tiny.csv", tiny);
  expect_output(cli + " fit --data " + train + " --out " + s.path("m.json"), 2,
                train + ", input 'x': its values span only 5e-311, too little to scale; give it in larger units");
  // A range beyond double precision: refused in the input's name (it named the target, 'y').
  const auto wide = s.write("wide.csv", "x1,x2,y\n1,2,3\n2,1e308,4\n3,-1e308,5\n4,2,1\n5,5,2\n");
  expect_output(cli + " fit --data " + wide + " --out " + s.path("m.json"), 2,
                wide + ", input 'x2': its values span -1e+308 to 1e+308, more than a double holds; give it in smaller units");
  // One value setting the range squeezes the others together: a warning, the fit goes on.
  const auto squeezed = s.write("squeezed.csv", "x1,x2,y\n1,2,3\n2,1e300,4\n3,1,5\n4,2,1\n5,5,2\n6,3,2.5\n");
  expect_output(cli + " fit --data " + squeezed + " --out " + s.path("m.json"), 0,
                "warning: input 'x2' spans 1 to 1e+300, and 3 of its 5 distinct values lie within 1e-9 of that range of "
                "another: the model cannot tell them apart; check its extreme values, or give it on a log scale");
  const auto r = sh(cli + " fit --data " + wide + " --inputs x1 --out " + s.path("m.json"));
  INFO(r.output);
  CHECK(r.status == 0);
  CHECK(r.output.find("warning: input") == std::string::npos);
  // 150000 rows need about 540 GB: refused at once, not a bare "out of memory" after reading.
  std::string big = "x,y\n";
  for (int i = 0; i < 150000; ++i) big += std::to_string(i % 997) + "," + std::to_string(i % 13) + "\n";
  const auto large = s.write("big.csv", big);
  expect_output(cli + " fit --data " + large + " --out " + s.path("m.json"), 2,
                large + ": 150000 rows need about 540 GB for an exact GP's covariance matrices, more than 80% of this machine's");
}
