#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "gpbo/core/durable_file.hpp"
#include "gpbo/gp/model_file.hpp"
#include "gp_test_util.hpp"
#include "../temp_path.hpp"

using namespace gpbo;
using gpbo::test::grid_points;
using gpbo::test::smooth_function;
using gpbo::test::temp_path;

namespace {
GaussianProcess fitted_model() {
  GaussianProcess gp(test::scaled_matern52(2, 1.0, Eigen::Vector2d(0.5, 0.5)), GpOptions{});
  const Eigen::MatrixXd X = 4.0 * grid_points(20, 2).array() - 1.0;
  gp.set_data(X, smooth_function(X));
  gp.fit({.restarts = 1, .seed = 3});
  return gp;
}

// What load_gp_model_file says about a file holding `text`.
std::string load_error(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  try {
    (void)load_gp_model_file(path);
  } catch (const ModelFileError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("gp model file: hyperparameter draws survive the round trip and predict as the same mixture") {
  FullyBayesianGp fb(fitted_model());
  fb.sample({.samples = 6, .warmup = 20, .seed = 1});
  const GpModelFile model{{"a", "b"}, "y", fb.base_model(), fb.draws(), {}};
  const std::string path = temp_path("model.json");
  save_gp_model_file(model, path);
  const GpModelFile back = load_gp_model_file(path);
  std::remove(path.c_str());

  CHECK(back.inputs == model.inputs);
  CHECK(back.target == "y");
  CHECK(back.hyperparameter_draws == fb.draws());  // JSON keeps every bit of a double
  const Eigen::MatrixXd Xs = 4.0 * grid_points(7, 2, 0.3).array() - 1.0;
  const Prediction expected = fb.predict(Xs), got = back.predictor().predict(Xs);
  CHECK(got.mean == expected.mean);
  CHECK(got.variance == expected.variance);
  // The mixture is not the MAP model's prediction: predictor() does not drop the draws.
  CHECK(got.variance != back.gp.predict(Xs).variance);
}

TEST_CASE("gp model file: without draws the predictor is the fitted GP") {
  const GpModelFile model{{"a", "b"}, "y", fitted_model(), {}, {}};
  const std::string path = temp_path("map.json");
  save_gp_model_file(model, path);
  CHECK(nlohmann::json::parse(read_file(path))["version"] == 1);  // readable by gpbo versions before draws
  const GpModelFile back = load_gp_model_file(path);
  std::remove(path.c_str());
  const Eigen::MatrixXd Xs = grid_points(5, 2, 0.1);
  CHECK(back.hyperparameter_draws.rows() == 0);
  CHECK(back.predictor().predict(Xs).mean == model.gp.predict(Xs).mean);
}

TEST_CASE("gp model file: errors name the file and the JSON path") {
  const std::string path = temp_path("bad.json");
  GpModelFile model{{"a", "b"}, "y", fitted_model(), {}, {}};
  save_gp_model_file(model, path);
  auto j = nlohmann::json::parse(read_file(path));

  auto three_inputs = j;
  three_inputs["inputs"] = {"a", "b", "c"};
  CHECK(load_error(path, three_inputs.dump()) == path + ": /inputs: 3 names for a model of 2 inputs");
  auto future = j;
  future["version"] = 4;
  CHECK(load_error(path, future.dump()) == path + ": /version: 4 is not supported (this gpbo reads 1 to 3)");
  {  // Outlier rows: distinct, ascending, within the data; the version that reads them is 3.
    GpModelFile flagged = model;
    flagged.outliers = {1, 4};
    save_gp_model_file(flagged, path);
    const auto saved = nlohmann::json::parse(read_file(path));
    CHECK(saved["version"] == 3);
    CHECK(load_gp_model_file(path).outliers == std::vector<Eigen::Index>{1, 4});
    const auto n = std::to_string(model.gp.size());
    auto unsorted = saved;
    unsorted["outliers"] = {4, 1};
    const std::string last = std::to_string(model.gp.size() - 1);
    CHECK(load_error(path, unsorted.dump()) ==
          path + ": /outliers/1: expected a row number from 0 to " + last + " (0-based), above the one before, got 1");
    auto beyond = saved;
    beyond["outliers"] = {model.gp.size()};
    CHECK(load_error(path, beyond.dump()) ==
          path + ": /outliers/0: expected a row number from 0 to " + last + " (0-based), above the one before, got " + n);
    auto every = saved;  // gpbo show crashed scoring no rows
    every["outliers"] = nlohmann::json::array();
    for (Eigen::Index i = 0; i < model.gp.size(); ++i) every["outliers"].push_back(i);
    CHECK(load_error(path, every.dump()) == path + ": /outliers: flags every one of the model's " + n + " rows");
    auto text = saved;
    text["outliers"] = "1";
    CHECK(load_error(path, text.dump()) == path + ": /outliers: expected an array of row numbers (0-based)");
    save_gp_model_file(model, path);
  }
  auto misspelt = j;
  misspelt["targt"] = misspelt["target"];
  misspelt.erase("target");
  CHECK_THAT(load_error(path, misspelt.dump()), Catch::StartsWith(path + ": /targt: unknown key"));
  auto bad_draws = j;
  bad_draws["version"] = 2;
  bad_draws["hyperparameter_draws"] = {{"names", model.gp.param_names()}, {"values", {{1.0}}}};
  CHECK(load_error(path, bad_draws.dump()) == path + ": /hyperparameter_draws/values/0: expected an array of " +
                                                  std::to_string(model.gp.params().size()) + " numbers");
  {  // A draw outside its bounds is named at its path (predict refused it later, naming no file).
    auto out_of_bounds = bad_draws;
    std::vector<double> row(static_cast<std::size_t>(model.gp.params().size()));
    for (Eigen::Index k = 0; k < model.gp.params().size(); ++k) row[static_cast<std::size_t>(k)] = model.gp.params()(k);
    const std::size_t last = row.size() - 1;  // the constant mean
    row[last] = 5000.0;
    out_of_bounds["hyperparameter_draws"]["values"] = {row};
    CHECK_THAT(load_error(path, out_of_bounds.dump()),
               Catch::StartsWith(path + ": /hyperparameter_draws/values/0/" + std::to_string(last) + ": mean = 5000 is outside its bounds ["));
    auto swapped = bad_draws;
    auto names = model.gp.param_names();
    std::swap(names.front(), names.back());
    swapped["hyperparameter_draws"]["names"] = names;
    CHECK_THAT(load_error(path, swapped.dump()), Catch::Contains("do not match the model's free hyperparameters (" +
                                                                 model.gp.param_names().front() + ", "));
  }
  {  // A value of /gp/params outside its bounds is named at its element, as the log it is (it was
     // "/gp: set_params: noise_variance = 50 is outside its bounds [-13.8155, 2.30259]").
    REQUIRE(model.gp.param_names()[3] == "noise_variance");
    auto loud = j;
    loud["gp"]["params"][3] = 50.0;
    CHECK(load_error(path, loud.dump()) == path + ": /gp/params/3: log(noise_variance) = 50 is outside its bounds "
                                           "[-13.8155, 2.30259] (log scale; noise_variance itself from 1e-06 to 10)");
  }
  auto bad_gp = j;
  bad_gp["gp"]["X"][3] = "x";
  CHECK_THAT(load_error(path, bad_gp.dump()), Catch::StartsWith(path + ": /gp/X/3"));
  auto same_column = j;
  same_column["inputs"] = {"a", "a"};  // predict would read column a for both inputs
  CHECK(load_error(path, same_column.dump()) == path + ": /inputs/1: column 'a' is already input 0");
  auto wide = j;
  wide["gp"]["input_dim"] = 3;
  CHECK(load_error(path, wide.dump()) == path + ": /gp/input_dim: is 3 but the rows of /X have 2 numbers");
  auto kernel_dim = j;
  kernel_dim["gp"]["kernel"]["base"]["input_dim"] = 3;
  CHECK_THAT(load_error(path, kernel_dim.dump()), Catch::StartsWith(path + ": /gp/kernel/base/input_dim: is 3"));
  CHECK_THAT(load_error(path, "{\"format\": \"gpbo.model\","), Catch::StartsWith(path + ":1:"));
  // Values of the wrong type name their path (they escaped as bare nlohmann type errors).
  CHECK(load_error(path, "{\"format\": 5}") == path + ": /format: expected \"gpbo.model\" (a file written by `gpbo fit`)");
  auto number_input = j;
  number_input["inputs"] = {1, 2};
  CHECK(load_error(path, number_input.dump()) == path + ": /inputs/0: expected a string (one of the column names)");
  auto number_target = j;
  number_target["target"] = 7;
  CHECK(load_error(path, number_target.dump()) == path + ": /target: expected the target's column name (a string)");
  auto text_version = j;
  text_version["version"] = "2";
  CHECK(load_error(path, text_version.dump()) == path + ": /version: \"2\" is not supported (this gpbo reads 1 to 3)");
  auto draws_object = bad_draws;
  draws_object["hyperparameter_draws"]["values"] = 3;
  CHECK(load_error(path, draws_object.dump()) == path + ": /hyperparameter_draws/values: expected an array of draws (arrays of numbers)");
  auto draws_typo = bad_draws;  // a misspelt key was read past, or called a missing one
  draws_typo["hyperparameter_draws"]["value"] = draws_typo["hyperparameter_draws"]["values"];
  draws_typo["hyperparameter_draws"].erase("values");
  CHECK(load_error(path, draws_typo.dump()) ==
        path + ": /hyperparameter_draws/value: unknown key \"value\" (did you mean \"values\"?)");
  auto fractional_dim = j;
  fractional_dim["gp"]["input_dim"] = 2.7;
  CHECK(load_error(path, fractional_dim.dump()) == path + ": /gp/input_dim: expected the number of inputs, an integer (-1 when unknown)");
  auto extra_key = j;
  extra_key["gp"]["inputdim"] = 2;
  CHECK_THAT(load_error(path, extra_key.dump()), Catch::StartsWith(path + ": /gp/inputdim: unknown key"));
  auto infinite_bound = j;
  infinite_bound["gp"]["options"]["noise"]["upper"] = nullptr;
  CHECK(load_error(path, infinite_bound.dump()) == path + ": /gp/options/noise/upper: expected a number, got null");
  auto inverted = j;
  inverted["gp"]["options"]["noise"]["lower"] = 20.0;
  CHECK(load_error(path, inverted.dump()) == path + ": /gp/options/noise/upper: must be finite and above noise/lower");
  std::remove(path.c_str());
  CHECK_THROWS_AS(load_gp_model_file(path), FileError);
}
