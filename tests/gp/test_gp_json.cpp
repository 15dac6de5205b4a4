#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "gpbo/core/durable_file.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/gp/gp_json.hpp"
#include "gpbo/kernels/kernel_json.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "../json_corruptions.hpp"
#include "gp_test_util.hpp"
#include "../temp_path.hpp"

using namespace gpbo;
using gpbo::test::grid_points;
using gpbo::test::smooth_function;

namespace {
// What gp_from_json says about doc, or "(no error)".
std::string load_error(const nlohmann::json& doc) {
  try {
    (void)gp_from_json(doc);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("gp json: save/load round trip predicts identically") {
  GpOptions o;
  o.noise.prior = Prior::gamma(1.1, 0.05);
  o.mean.prior_sd = 1.5;
  auto kernel = test::scaled_matern52(3, 1.2, Eigen::Vector3d(0.4, 0.6, 0.9));
  kernel->set_prior("lengthscale", Prior::log_normal(0.0, 1.0));
  GaussianProcess gp(std::move(kernel), o);
  const Eigen::MatrixXd X = 5.0 * grid_points(25, 3).array() + 2.0;
  gp.set_data(X, 1e3 * smooth_function(X));
  gp.fit({.restarts = 1, .seed = 2});

  const std::string path = gpbo::test::temp_path("gp_model.json");
  save_gp(gp, path);
  const GaussianProcess back = load_gp(path);
  std::remove(path.c_str());

  const Eigen::MatrixXd Xs = 5.0 * grid_points(8, 3, 0.4).array() + 2.0;
  const Prediction a = gp.predict(Xs, {.full_cov = true}), b = back.predict(Xs, {.full_cov = true});
  CHECK(a.mean == b.mean);
  CHECK(a.variance == b.variance);
  CHECK(a.covariance == b.covariance);
  CHECK(back.params() == gp.params());
  CHECK(back.log_marginal_likelihood() == gp.log_marginal_likelihood());
  CHECK(back.log_posterior_and_gradient(back.params(), nullptr) == gp.log_posterior_and_gradient(gp.params(), nullptr));
  CHECK(back.X() == gp.X());
  CHECK(back.options().noise.prior.has_value());

  // A `gpbo fit` model file wraps the same document under /gp: load_gp reads its model, but not
  // one with hyperparameter draws, whose predictions are a mixture it would silently drop.
  nlohmann::json cli = {{"format", "gpbo.model"}, {"version", 1}, {"inputs", {"a", "b", "c"}}, {"target", "y"},
                        {"gp", gp_to_json(gp)}};
  std::ofstream(path) << cli.dump();
  CHECK(load_gp(path).predict(Xs).mean == a.mean);
  cli["version"] = 2;
  cli["hyperparameter_draws"] = {{"names", nlohmann::json::array()}, {"values", nlohmann::json::array()}};
  std::ofstream(path) << cli.dump();
  CHECK_THROWS_WITH(load_gp(path), Catch::Contains("holds hyperparameter draws (gpbo fit --hyper mcmc)"));
  std::remove(path.c_str());

  // A model extended by add_point is refactorized on load: equal up to round-off.
  gp.add_point(Eigen::RowVector3d(3.0, 4.0, 5.0), 200.0);
  const GaussianProcess grown = gp_from_json(gp_to_json(gp));
  CHECK(grown.size() == 26);
  CHECK(grown.predict(Xs).mean.isApprox(gp.predict(Xs).mean, 1e-10));
  CHECK(grown.predict(Xs).variance.isApprox(gp.predict(Xs).variance, 1e-8));
}

TEST_CASE("gp json: a model without data round-trips to the same prior") {
  GaussianProcess gp(test::scaled_rbf(2, 2.0, Eigen::Vector2d(0.3, 0.5)), test::raw_options());
  const GaussianProcess back = gp_from_json(gp_to_json(gp));
  const Eigen::MatrixXd Xs = grid_points(4, 2);
  CHECK(back.predict(Xs).variance == gp.predict(Xs).variance);
  CHECK(back.size() == 0);
}

TEST_CASE("gp json: malformed documents name the JSON path") {
  GaussianProcess gp(test::scaled_rbf(2, 2.0, Eigen::Vector2d(0.3, 0.5)));
  gp.set_data(grid_points(5, 2), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
  nlohmann::json j = gp_to_json(gp);
  const auto message = load_error;
  nlohmann::json missing = j;
  missing["output_map"].erase("scale");
  CHECK_THAT(message(missing), Catch::Contains("/output_map/scale") && Catch::Contains("missing"));
  nlohmann::json wrong = j;
  wrong["X"][1][0] = "a";
  CHECK_THAT(message(wrong), Catch::Contains("/X/1/0"));
  nlohmann::json params = j;
  params["params"].push_back(1.0);
  CHECK_THAT(message(params), Catch::Contains("/params: expected " + std::to_string(j["params"].size()) + " free hyperparameters (") &&
                                  Catch::Contains("), got " + std::to_string(j["params"].size() + 1) + " numbers"));
  nlohmann::json format = j;
  format["format"] = "other";
  CHECK_THAT(message(format), Catch::Contains("/format"));
  CHECK_THROWS_AS(load_gp("/nonexistent/model.json"), gpbo::FileError);
  // A free value outside its bounds made a model that saved but would not load: refused where
  // the model is made. Fixed, it is the user's choice.
  auto far = gpbo::parse_kernel("matern52", 1);
  far->set_value("lengthscale", 1e12);
  CHECK_THROWS_WITH(GaussianProcess(far->clone()), Catch::Contains("kernel hyperparameter 'lengthscale[0]' = 1e+12 is outside its bounds [2.06115e-09, 4.85165e+08]") &&
                                                       Catch::Contains("set_bounds to take it in, or fix it"));
  far->fix("lengthscale");
  const std::string fixed_path = gpbo::test::temp_path("gp_fixed_far.json");
  save_gp(GaussianProcess(far->clone()), fixed_path);
  int found = 0;
  for (const auto& h : load_gp(fixed_path).kernel().hyperparameters())
    if (h.name == "lengthscale[0]") found += h.log_value == Approx(std::log(1e12)) ? 1 : 0;
  CHECK(found == 1);
  std::remove(fixed_path.c_str());
  // A directory is no model (an ifstream reads nothing from it and failed with a stream error).
  CHECK_THROWS_WITH(load_gp("/tmp"), "cannot read /tmp: it is a directory");
}

TEST_CASE("gp json: a kernel value that disagrees with its copy in /params is refused, naming both") {
  // The kernel section and /params both hold each free hyperparameter; set_params applied
  // /params, so an edit of the readable kernel section alone changed nothing.
  GaussianProcess gp(test::scaled_rbf(2, 2.0, Eigen::Vector2d(0.3, 0.5)));
  gp.set_data(grid_points(5, 2), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
  const nlohmann::json j = gp_to_json(gp);
  CHECK(kernel_value_paths(j["kernel"], gp.kernel(), "/kernel") ==
        std::vector<std::string>{"/kernel/outputscale/log_value", "/kernel/base/lengthscale/0/log_value",
                                 "/kernel/base/lengthscale/1/log_value"});
  nlohmann::json edited = j;
  edited["kernel"]["base"]["lengthscale"][1]["log_value"] = 0.25;
  CHECK(load_error(edited) == "GP JSON /kernel/base/lengthscale/1/log_value: 0.25 disagrees with its copy in params (element 2: " +
                                  shortest_text(std::log(0.5)) + "), the log of the same hyperparameter (kernel.lengthscale[1]): "
                                  "the file holds each free one in both places; give both the same value");
  edited["kernel"]["base"]["lengthscale"][1] = 0.7;  // a plain number is the value itself
  CHECK_THAT(load_error(edited), Catch::StartsWith("GP JSON /kernel/base/lengthscale/1: 0.7 (log -0.3566749") &&
                                     Catch::Contains("disagrees with its copy in params (element 2: "));
  edited["params"][2] = std::log(0.7);  // both edited alike: taken
  REQUIRE(load_error(edited) == "(no error)");
  CHECK(gp_from_json(edited).params()(2) == std::log(0.7));
  // A kernel string gives no values: /params sets them, as before.
  edited = j;
  edited["kernel"] = "se";
  REQUIRE(load_error(edited) == "(no error)");
  CHECK(gp_from_json(edited).params() == gp.params());
  // Fixed hyperparameters live in the kernel section alone.
  auto kernel = test::scaled_rbf(2, 2.0, Eigen::Vector2d(0.3, 0.5));
  kernel->fix("outputscale");
  GaussianProcess fixed(std::move(kernel));
  nlohmann::json f = gp_to_json(fixed);
  f["kernel"]["outputscale"]["log_value"] = 0.1;
  REQUIRE(load_error(f) == "(no error)");
  CHECK(gp_from_json(f).kernel().hyperparameters()[0].log_value == 0.1);
}

TEST_CASE("gp json: single-point corruptions load and predict, or are rejected; none crash") {
  GpOptions o;
  o.noise.prior = Prior::gamma(1.1, 0.05);
  auto kernel = test::scaled_matern52(2, 1.2, Eigen::Vector2d(0.4, 0.6));
  kernel->set_prior("lengthscale", Prior::log_normal(0.0, 1.0));
  GaussianProcess gp(std::move(kernel), o);
  const Eigen::MatrixXd X = grid_points(6, 2);
  gp.set_data(X, smooth_function(X));
  const Eigen::MatrixXd Xs = grid_points(3, 2, 0.3);
  gpbo::test::check_corruptions(gp_to_json(gp), [&](const nlohmann::json& j) {
    const Prediction p = gp_from_json(j).predict(Xs);
    CHECK(p.mean.allFinite());
    CHECK((p.variance.array() >= 0.0).all());
    CHECK(p.variance.allFinite());
  });
}

TEST_CASE("gp json: maps that would give nonsense predictions are rejected") {
  GaussianProcess gp(test::scaled_rbf(2, 2.0, Eigen::Vector2d(0.3, 0.5)));
  gp.set_data(grid_points(5, 2), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
  const nlohmann::json j = gp_to_json(gp);
  auto message = [&](const std::string& pointer, double value) {
    nlohmann::json k = j;
    k[nlohmann::json::json_pointer(pointer)] = value;
    return load_error(k);
  };
  // An upper bound below the lower one mirrors the inputs; scale^2 = inf makes every variance inf.
  CHECK(message("/input_map/upper/0", -1.0) == "GP JSON /input_map/upper/0: expected a number above /input_map/lower/0");
  for (const double scale : {1e200, 1e-200, -1.0})
    CHECK(message("/output_map/scale", scale) == "GP JSON /output_map/scale: expected a number between 1e-154 and 1e154");
  CHECK(message("/output_map/scale", 1e100) == "(no error)");
  // A value far outside its map (y = 1e308 beside a scale of 0.35) predicted NaN everywhere, and
  // an input so far out failed as a non-finite covariance.
  CHECK_THAT(message("/y/2", 1e308), Catch::Contains("targets lie more than 1e100 standard deviations"));
  CHECK_THAT(message("/X/1/0", 1e308), Catch::Contains("inputs lie more than 1e100 times their map's range outside it"));
}

TEST_CASE("gp json: a kernel whose bounds were narrowed past its value saves and loads") {
  // set_bounds used to keep the value outside the new bounds; the saved file then failed to load.
  auto kernel = test::scaled_rbf(1, 1.0, Eigen::VectorXd::Constant(1, 1.0));
  REQUIRE(kernel->set_bounds("lengthscale", 2.0, 3.0) == 1);
  GaussianProcess gp(std::move(kernel));
  gp.set_data(grid_points(5, 1), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
  CHECK(std::exp(gp.params()(1)) == Approx(2.0));  // moved to the nearest bound
  CHECK(load_error(gp_to_json(gp)) == "(no error)");
}

TEST_CASE("gp json: unknown keys in the options and maps are refused with their path and the near name") {
  // They were read past: a misspelled prior_sd loaded a model without its prior.
  GpOptions o;
  o.mean.prior_sd = 1.5;
  GaussianProcess gp(test::scaled_rbf(2, 2.0, Eigen::Vector2d(0.3, 0.5)), o);
  gp.set_data(grid_points(5, 2), Eigen::VectorXd::LinSpaced(5, 0.0, 1.0));
  const nlohmann::json j = gp_to_json(gp);
  REQUIRE(load_error(j) == "(no error)");
  const auto renamed = [&](const std::string& object, const std::string& key, const std::string& to) {
    nlohmann::json k = j;
    nlohmann::json& parent = k[nlohmann::json::json_pointer(object)];
    parent[to] = parent[key];
    parent.erase(key);
    return load_error(k);
  };
  CHECK(renamed("/options/mean", "prior_sd", "prior_SD") ==
        "GP JSON /options/mean/prior_SD: unknown key \"prior_SD\" (did you mean \"prior_sd\"?)");
  CHECK(renamed("/options/noise", "lower", "lowr") == "GP JSON /options/noise/lowr: unknown key \"lowr\" (did you mean \"lower\"?)");
  CHECK(renamed("/options", "scale_inputs", "scale_input") ==
        "GP JSON /options/scale_input: unknown key \"scale_input\" (did you mean \"scale_inputs\"?)");
  CHECK(renamed("/input_map", "upper", "uper") == "GP JSON /input_map/uper: unknown key \"uper\" (did you mean \"upper\"?)");
  CHECK(renamed("/output_map", "shift", "shfit") == "GP JSON /output_map/shfit: unknown key \"shfit\" (did you mean \"shift\"?)");
  nlohmann::json extra = j;
  extra["options"]["noise"]["comment"] = "fitted on Monday";
  CHECK(load_error(extra) == "GP JSON /options/noise/comment: unknown key \"comment\"");
}
