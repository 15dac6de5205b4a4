#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "mcmc/chains.hpp"
#include "mcmc/diagnostics.hpp"
#include "mcmc/models/model_registry.hpp"
#include "mcmc/nuts.hpp"

using namespace gpbo::mcmc;

// Posterior means of the five shared cases against rstan's (tests/reference/stan_reference.json,
// produced by ../shared/peers/mcmc/stan_peer.R on the data copied to tests/reference/mcmc_data).
// Tolerance: 4 x the standard error of the difference, sqrt(ours^2 + Stan's^2), where Stan's
// MCSE is bounded by sd / sqrt(Stan's smallest bulk ESS) (stan_peer.R prints no per-parameter
// MCSE). Shorter chains than the benchmark keep the test fast.
TEST_CASE("nuts: posterior means of the shared cases agree with Stan's") {
  const std::string ref = std::string(GPBO_SOURCE_DIR) + "/tests/reference/";
  std::ifstream in(ref + "stan_reference.json");
  const auto stan = nlohmann::json::parse(in)["cases"];
  const std::vector<std::pair<std::string, std::string>> cases{{"gauss100", ""},
                                                               {"logistic", "logistic.csv"},
                                                               {"eight_schools", "eight_schools.csv"},
                                                               {"bradley_terry", "matches.csv"},
                                                               {"mixture", "mixture.csv"}};
  for (const auto& [name, file] : cases) {
    const auto model = models::load_model(name, file.empty() ? "" : ref + "mcmc_data/" + file);
    ChainOptions opt;
    opt.sampler.warmup = 500;
    opt.sampler.draws = 500;
    opt.sampler.seed = 2024;
    const auto run = run_chains(*model, Nuts(), opt);
    const auto& s = stan[name];
    const double stan_ess = s["min_bulk_ess"].get<double>();
    int compared = 0;
    for (const auto& [stan_name, value] : s["means"].items()) {
      std::string ours = stan_name;  // x[3] -> x.3
      std::replace(ours.begin(), ours.end(), '[', '.');
      ours.erase(std::remove(ours.begin(), ours.end(), ']'), ours.end());
      const auto it = std::find(run.output_names.begin(), run.output_names.end(), ours);
      REQUIRE(it != run.output_names.end());
      const Eigen::MatrixXd x = run.column(static_cast<int>(it - run.output_names.begin()));
      const double sd = std::sqrt((x.array() - x.mean()).square().sum() / static_cast<double>(x.size() - 1));
      const double se = std::hypot(mcse_mean(x), sd / std::sqrt(stan_ess));
      INFO(name << " " << ours << ": ours " << x.mean() << ", Stan " << value.get<double>() << ", se " << se);
      CHECK(std::abs(x.mean() - value.get<double>()) < 4 * se);
      CHECK(rhat(x) < 1.01);
      ++compared;
    }
    CHECK(compared >= 5);
    CHECK(run.divergences() <= 2);
  }
}
