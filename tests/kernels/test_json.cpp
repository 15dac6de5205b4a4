#include <catch2/catch.hpp>

#include "kernel_checks.hpp"
#include "gpbo/kernels/kernel_json.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/kernels/kernels.hpp"

using namespace gpbo;
using nlohmann::json;

namespace {
void check_same(const Kernel& a, const Kernel& b) {
  CHECK(a.to_string() == b.to_string());
  const auto ha = a.hyperparameters(), hb = b.hyperparameters();
  REQUIRE(ha.size() == hb.size());
  for (std::size_t i = 0; i < ha.size(); ++i) {
    INFO(ha[i].name);
    CHECK(ha[i].name == hb[i].name);
    CHECK(ha[i].log_value == hb[i].log_value);
    CHECK(ha[i].log_lower == hb[i].log_lower);
    CHECK(ha[i].log_upper == hb[i].log_upper);
    CHECK(ha[i].fixed == hb[i].fixed);
    CHECK(ha[i].prior.has_value() == hb[i].prior.has_value());
    if (ha[i].prior && hb[i].prior) CHECK(ha[i].prior->to_string() == hb[i].prior->to_string());
  }
}
}  // namespace

TEST_CASE("json: round trip keeps structure, values, bounds, priors, fixed flags, active dims") {
  auto rng = make_rng(51);
  for (const std::string text : {"matern52 * periodic[1] + white", "rq(iso)[0,2] + linear(offset)[1]",
                                 "unscaled(se * constant + matern12)", "scale(matern32(iso))", "matern52[0,2;1] + white"}) {
    INFO(text);
    auto k = parse_kernel(text, 3);
    gpbo::test::perturb(*k, rng);
    k->set_prior("lengthscale", Prior::log_normal(0.5, 1.25));
    k->fix(k->hyperparameters().back().name);
    k->set_bounds(k->hyperparameters().front().name, 1e-3, 50.0);
    const json j = kernel_to_json(*k);
    const auto back = kernel_from_json(json::parse(j.dump()));
    check_same(*k, *back);
  }
}

TEST_CASE("json: format details and hand-written shorthands") {
  auto k = parse_kernel("matern52[0,2] + white", 3);
  const json j = kernel_to_json(*k);
  CHECK(j["type"] == "sum");
  CHECK(j["children"][0]["type"] == "scale");
  CHECK(j["children"][0]["base"]["type"] == "matern52");
  CHECK(j["children"][0]["base"]["active_dims"] == json::array({0, 2}));
  CHECK(j["children"][0]["base"]["lengthscale"].size() == 2u);
  CHECK(j["children"][1]["noise_variance"]["log_bounds"].size() == 2u);

  const json hand = json::parse(R"J({"type": "sum", "children": [
      {"type": "scale", "outputscale": 2.0, "base": {"type": "matern52", "lengthscale": {"value": 0.5, "prior": "gamma(3, 6)"}}},
      {"type": "white", "noise_variance": {"value": 0.01, "bounds": [1e-6, 1], "fixed": true}}]})J");
  auto h = kernel_from_json(hand, 2);
  const auto hps = h->hyperparameters();
  REQUIRE(hps.size() == 4u);
  CHECK(hps[0].log_value == Approx(std::log(2.0)));
  CHECK(hps[1].log_value == Approx(std::log(0.5)));
  CHECK(hps[2].log_value == Approx(std::log(0.5)));
  CHECK(hps[2].prior->to_string() == "gamma(3, 6)");
  CHECK(hps[3].fixed);
  CHECK(hps[3].log_lower == Approx(std::log(1e-6)));
  auto s = kernel_from_json(json("matern52 + white"), 2);
  CHECK(s->to_string() == "scale(matern52) + white");
}

TEST_CASE("json: errors name the JSON path and what was expected") {
  const auto err = [](const std::string& text, int d = 2) {
    try {
      (void)kernel_from_json(json::parse(text), d, "/kernel");
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(err(R"J({"type": "sum", "children": [{"type": "white"}, {"type": "se", "lengthscale": [1, "x"]}]})J"),
             Catch::StartsWith("/kernel/children/1/lengthscale/1: expected a hyperparameter object or a positive number, got string"));
  CHECK_THAT(err(R"J({"type": "sum", "children": [{"type": "white"}, {"type": "se", "lengthscale": [1, 2, 3]}]})J"),
             Catch::StartsWith("/kernel/children/1/lengthscale: expected 2 entries"));
  CHECK_THAT(err(R"J({"type": "se", "lengthscale": {"log_value": "big"}})J"),
             Catch::StartsWith("/kernel/lengthscale/log_value: expected a number, got string"));
  CHECK_THAT(err(R"J({"type": "se", "lenghtscale": 1})J"),
             Catch::StartsWith("/kernel/lenghtscale: unknown key 'lenghtscale'") && Catch::Contains("lengthscale"));
  CHECK_THAT(err(R"J({"type": "matern62"})J"), Catch::StartsWith("/kernel/type: unknown kernel type 'matern62'") && Catch::Contains("matern52"));
  CHECK_THAT(err(R"J({"type": "scale"})J"), Catch::StartsWith("/kernel/base: missing"));
  CHECK_THAT(err(R"J({"type": "white", "noise_variance": {"prior": "gama(1, 1)"}})J"),
             Catch::StartsWith("/kernel/noise_variance/prior: prior 'gama(1, 1)': unknown family"));
  CHECK_THAT(err(R"J({"type": "se", "input_dim": 3})J"), Catch::StartsWith("/kernel/input_dim: is 3 but the data have 2 columns"));
  // Counts beyond an int are errors, not wrapped around (2^32 + 2 used to read as 2).
  CHECK_THAT(err(R"J({"type": "se", "input_dim": 4294967298})J"), Catch::StartsWith("/kernel/input_dim: expected a positive integer"));
  CHECK_THAT(err(R"J({"type": "se", "active_dims": [0, 4294967297]})J"),
             Catch::StartsWith("/kernel/active_dims/1: expected a column index"));
  CHECK_THAT(err(R"J({"type": "se", "active_dims": [0, 7]})J"), Catch::StartsWith("/kernel: active dimension 7"));
  CHECK_THAT(err(R"J({"type": "se", "active_dims": [[0], []]})J"),
             Catch::StartsWith("/kernel/active_dims/1: expected a non-empty array of column indices (a length-scale group)"));
  CHECK_THAT(err(R"J({"type": "se", "active_dims": [[0], 1]})J"), Catch::StartsWith("/kernel/active_dims/1: expected a non-empty array"));
  CHECK_THAT(err(R"J({"type": "se", "active_dims": [0, [1]]})J"), Catch::StartsWith("/kernel/active_dims/1: expected a column index"));
  CHECK_THAT(err(R"J({"type": "se", "ard": false, "active_dims": [[0], [1]]})J"), Catch::StartsWith("/kernel: kernel 'se': length-scale groups"));
  CHECK_THAT(err(R"J({"type": "se", "active_dims": [[0], [1]], "lengthscale": [1, 2, 3]})J"),
             Catch::StartsWith("/kernel/lengthscale: expected 2 entries"));
  CHECK_THAT(err(R"J("matern52 + whte")J"), Catch::StartsWith("/kernel: kernel string") && Catch::Contains("did you mean 'white'"));
  CHECK_THAT(err(R"J({"type": "sum", "children": [{"type": "se"}]})J"), Catch::StartsWith("/kernel/children: expected an array of at least two"));
  CHECK_THAT(err(R"J({"type": "se", "lengthscale": {"value": 1, "log_value": 0}})J"), Catch::Contains("not both"));
  CHECK_THAT(err(R"J({"type": "se"})J", 0), Catch::StartsWith("/kernel: missing 'input_dim'"));
  // A value outside its own bounds was kept until a fit clamped it without a word.
  CHECK_THAT(err(R"J({"type": "matern52", "lengthscale": {"value": 100, "bounds": [0.1, 1]}})J"),
             Catch::StartsWith("/kernel/lengthscale: value 100 is outside its bounds [0.1, 1]"));
  CHECK(err(R"J({"type": "matern52", "lengthscale": {"value": 100, "bounds": [0.1, 1], "fixed": true}})J") == "no error");
  CHECK(err(R"J({"type": "matern52", "lengthscale": {"value": 1, "bounds": [1, 1]}})J") == "no error");
}
