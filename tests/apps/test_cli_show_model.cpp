// End-to-end tests of `gpbo show --model`: a saved model's summary, recomputed from the file,
// says what `gpbo fit` said when it fitted it; and state and model files given for each other.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_util.hpp"

using namespace cli_test;

namespace {

// y = sin(4 x1) + 0.3 x2 plus a small deterministic wiggle, on 30 points.
std::string noisy_csv() {
  std::string text = "x1,x2,y\n";
  for (int i = 0; i < 30; ++i) {
    const double a = std::fmod(0.37 * i, 1.0), b = std::fmod(0.61 * i + 0.2, 1.0);
    text += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(std::sin(4 * a) + 0.3 * b + 0.02 * std::sin(17.0 * i)) + "\n";
  }
  return text;
}

// The lines of `text` from the first that starts with `from` up to (not including) the first
// after it that starts with `to`; to the end when `to` is empty.
std::string lines_between(const std::string& text, const std::string& from, const std::string& to) {
  const auto a = text.find("\n" + from);
  REQUIRE(a != std::string::npos);
  if (to.empty()) return text.substr(a + 1);
  const auto b = text.find("\n" + to, a + 1);
  REQUIRE(b != std::string::npos);
  return text.substr(a + 1, b - a);
}

// `gpbo fit` on noisy_csv() with `options`, saved to `model` in s: its output.
std::string fitted(const Scratch& s, const std::string& options, const std::string& model) {
  const auto fit = sh(cli + " fit --data " + s.write("d.csv", noisy_csv()) + " --target y " + options + " --out " + s.path(model));
  INFO(fit.output);
  REQUIRE(fit.status == 0);
  return fit.output;
}

// `gpbo show` with `args`, which must succeed: its output.
std::string shown(const std::string& args) {
  const auto show = sh(cli + " show " + args);
  INFO(show.output);
  REQUIRE(show.status == 0);
  return show.output;
}

}  // namespace

TEST_CASE("e2e: gpbo show --model prints the fit's evidence, hyperparameters and leave-one-out scores again") {
  Scratch s("show_model");
  const std::string fit = fitted(s, "--seed 2", "m.json"), show = shown("--model " + s.path("m.json"));
  INFO(fit << "\n" << show);
  CHECK(show.find(s.path("m.json") + ": y ~ scale(matern52) on 30 points, inputs x1, x2\n") == 0);
  // Recomputed at the saved hyperparameters: the optimum the fit reported.
  CHECK(number_after(show, "log marginal likelihood ") ==
        Approx(number_after(fit, "log marginal likelihood ")).epsilon(1e-5));
  CHECK(number_after(show, "log posterior ") == Approx(number_after(fit, "log posterior ")).epsilon(1e-5));
  CHECK(show.find("(priors as saved)") != std::string::npos);
  CHECK(lines_between(show, "hyperparameter", "leave-one-out") == lines_between(fit, "hyperparameter", "leave-one-out"));
  CHECK(lines_between(show, "leave-one-out", "") == lines_between(fit, "leave-one-out", "model saved"));

  const auto j = nlohmann::json::parse(shown("--model " + s.path("m.json") + " --json"));
  CHECK(j["target"] == "y");
  CHECK(j["inputs"] == nlohmann::json({"x1", "x2"}));
  CHECK(j["points"] == 30);
  CHECK(j["draws"] == 0);
  CHECK(j["log_marginal_likelihood"].get<double>() == Approx(number_after(fit, "log marginal likelihood ")).epsilon(1e-5));
  CHECK(j["log_posterior"].get<double>() == Approx(number_after(fit, "log posterior ")).epsilon(1e-5));
  REQUIRE(j["hyperparameters"].size() == 5);  // output scale, 2 length scales, noise, mean
  CHECK(j["hyperparameters"][1]["name"] == "kernel.lengthscale[0]");
  CHECK(j["hyperparameters"][1]["value"].get<double>() == Approx(number_after(fit, "kernel.lengthscale[0] ")).epsilon(1e-5));
  CHECK(j["loo"]["rmse"].get<double>() == Approx(number_after(fit, "leave-one-out: rmse ")).epsilon(1e-5));

  // Maximum likelihood: no log posterior to speak of.
  fitted(s, "--priors none", "ml.json");
  CHECK(nlohmann::json::parse(shown("--model " + s.path("ml.json") + " --json"))["log_posterior"].is_null());
}

TEST_CASE("e2e: gpbo show --model of a --hyper mcmc fit prints the same posterior table as the fit") {
  Scratch s("show_model_mcmc");
  const std::string fit = fitted(s, "--hyper mcmc --samples 12 --seed 5", "m.json"), show = shown("--model " + s.path("m.json"));
  INFO(fit << "\n" << show);
  CHECK(show.find("posterior: 12 hyperparameter draws") != std::string::npos);
  const std::string table = "hyperparameter                          MAP";
  CHECK(lines_between(show, table, "") == lines_between(fit, table, "model saved"));
}

TEST_CASE("e2e: gpbo show and predict say when a model file is given for a state, and the reverse") {
  Scratch s("show_model_mixup");
  fitted(s, "", "m.json");
  const auto data = s.path("d.csv");
  const auto state = s.path("state.json");
  REQUIRE(sh(cli + " ask --state " + state + " --config " + write_unit_interval_config(s)).status == 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"show --state " + s.path("m.json"), s.path("m.json") + ": a model file written by gpbo fit, not a state (gpbo show --model"},
      {"predict --state " + s.path("m.json") + " --data " + data, "a model file written by gpbo fit, not a state"},
      {"show --model " + state, state + ": a tuning state written by gpbo tune or gpbo ask, not a model file (gpbo show --state"},
      {"predict --model " + state + " --data " + data, "a tuning state written by gpbo tune or gpbo ask, not a model file"},
      {"show", "give one of --state (a tuning state) and --model (a model of gpbo fit)"},
      {"show --model " + s.path("m.json") + " --state " + state, "--state excludes --model"},
      {"show --model " + s.path("m.json") + " --csv " + s.path("x.csv"), "--csv and --plots show a state's evaluations"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = sh(cli + " " + args);
    INFO(args << "\n" << r.output);
    CHECK(r.status == 2);
    CHECK(r.output.find(message) != std::string::npos);
  }
}

TEST_CASE("e2e: gpbo show --model --json names the kernel's active inputs as the text summary does") {
  // The JSON wrote their indices (se[1]) where the text named the columns (se[x2]).
  Scratch s("show_model_names");
  fitted(s, "--kernel 'se[x2] * matern12[x1]'", "m.json");
  const std::string text = shown("--model " + s.path("m.json"));
  const std::string kernel = nlohmann::json::parse(shown("--model " + s.path("m.json") + " --json"))["kernel"];
  INFO(text << "\njson kernel: " << kernel);
  CHECK(kernel.find("se[x2]") != std::string::npos);
  CHECK(kernel.find("matern12[x1]") != std::string::npos);
  CHECK(text.find(": y ~ " + kernel + " on 30 points") != std::string::npos);
}
