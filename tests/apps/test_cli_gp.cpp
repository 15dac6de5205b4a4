// End-to-end tests of `gpbo fit` and `gpbo predict` with the real binary.
#include <catch2/catch.hpp>

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
}

TEST_CASE("e2e: gpbo fit and predict reject bad input with file, line and column") {
  Scratch s("gp_bad");
  const auto model = s.path("m.json");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"x1,y\n0.1,1\n0.2,nan\n", "bad.csv:3:2: non-finite value 'nan' in column 'y'"},
      {"x1,y\n0.1,1\n0.2\n", "bad.csv:3:2: expected 2 columns, found 1"},
      {"x1,y\n0.1,abc\n", "bad.csv:2:2: expected a number in column 'y', found 'abc'"},
      {"x1,y\n", "bad.csv: no data rows to fit"},
      {"x1,z\n0.1,1\n", "no column named 'y' (columns: x1, z)"},
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
  REQUIRE(sh(cli + " fit --data " + ok + " --out " + model).status == 0);
  const auto missing = sh(cli + " predict --model " + model + " --data " + s.write("t.csv", "x2\n0.3\n"));
  CHECK(missing.status == 2);
  CHECK(missing.output.find("the model needs input column 'x1'") != std::string::npos);
  const auto not_model = sh(cli + " predict --model " + ok + " --data " + ok);
  CHECK(not_model.status == 2);
  CHECK(not_model.output.find("not valid JSON") != std::string::npos);
}
