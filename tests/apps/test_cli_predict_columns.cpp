// End-to-end tests of what `gpbo predict` writes: a header that reads back, rows it can predict.
#include <catch2/catch.hpp>

#include "cli_test_util.hpp"

using namespace cli_test;

TEST_CASE("e2e: an input named as a prediction column is refused by gpbo fit, and by predict for an older model") {
  // Its predictions' header read "mean,sd,mean,sd,lower95,upper95", which gpbo fit and pandas
  // refuse or rename.
  Scratch s("predict_column_names");
  const auto train = s.write("train.csv", "mean,x,y\n0.1,1,0.3\n0.4,2,0.9\n0.7,3,0.6\n0.9,4,0.2\n0.3,5,0.5\n");
  expect_output(cli + " fit --data " + train + " --out " + s.path("m.json"), 2,
                train + ": input column 'mean' has the name of a column gpbo predict writes beside the inputs (mean, sd, "
                        "lower95, upper95), so its predictions would not read back: rename the column, or leave it out with --inputs");
  const auto r = sh(cli + " fit --data " + train + " --inputs x --restarts 1 --out " + s.path("m.json"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  // A model file that names an input so (hand-edited here; earlier builds saved them).
  nlohmann::json model = nlohmann::json::parse(std::ifstream(s.path("m.json")));
  REQUIRE(model["inputs"] == nlohmann::json({"x"}));
  model["inputs"] = {"sd"};
  const auto renamed = s.write("renamed.json", model.dump());
  const auto test = s.write("test.csv", "sd\n0.5\n");
  expect_output(cli + " predict --model " + renamed + " --data " + test, 2,
                "input 'sd' has the name of a column the predictions add, so the output would name it twice and not read back");
}

TEST_CASE("e2e: gpbo predict refuses a row whose prediction overflows, by file and line") {
  // A linear kernel's variance at x = 1e155 overflowed: NaN written with exit status 0.
  Scratch s("predict_far_rows");
  const auto train = s.write("train.csv", "x,y\n0,0.1\n1,1.1\n2,1.9\n3,3.2\n4,3.9\n");
  const auto r = sh(cli + " fit --data " + train + " --kernel linear --restarts 1 --out " + s.path("m.json"));
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto test = s.write("test.csv", "x\n# far rows\n2.5\n1e155\n");
  expect_output(cli + " predict --model " + s.path("m.json") + " --data " + test, 2,
                test + ":4: the model's prediction there is not finite (x = 1e+155): the kernel's arithmetic overflows so "
                       "far outside the training data");
  const auto near = s.write("near.csv", "x\n2.5\n1e50\n");
  const auto ok = sh(cli + " predict --model " + s.path("m.json") + " --data " + near);
  INFO(ok.output);
  CHECK(ok.status == 0);
  CHECK(ok.output.find("nan") == std::string::npos);
}
