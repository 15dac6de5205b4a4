#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gpbo/mcmc/models/model_registry.hpp"
#include "gpbo/mcmc/nuts.hpp"

using namespace gpbo::mcmc;

// Posterior means of the five shared cases against rstan's (tests/reference/stan_detail.json:
// rstan 2.21.7, the settings and seed of ../shared/peers/mcmc/stan_peer.R, on the data copied to
// tests/reference/mcmc_data), for EVERY reported parameter. Tolerance: 4 x the standard error of
// the difference, sqrt(our MCSE^2 + Stan's MCSE^2). Shorter chains than the benchmark keep the
// test fast.
TEST_CASE("nuts: posterior means of the shared cases agree with Stan's") {
  const std::string ref = std::string(GPBO_SOURCE_DIR) + "/tests/reference/";
  std::ifstream in(ref + "stan_detail.json");
  const auto stan = nlohmann::json::parse(in);
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
    int compared = 0;
    for (const auto& [stan_name, value] : stan[name]["params"].items()) {
      std::string ours = stan_name;  // x[3] -> x.3
      std::replace(ours.begin(), ours.end(), '[', '.');
      ours.erase(std::remove(ours.begin(), ours.end(), ']'), ours.end());
      const auto it = std::find(run.output_names.begin(), run.output_names.end(), ours);
      REQUIRE(it != run.output_names.end());
      const Eigen::MatrixXd x = run.column(static_cast<int>(it - run.output_names.begin()));
      const double stan_mean = value["mean"].get<double>();
      const double se = std::hypot(mcse_mean(x), value["mcse_mean"].get<double>());
      INFO(name << " " << ours << ": ours " << x.mean() << ", Stan " << stan_mean << ", se " << se);
      CHECK(std::abs(x.mean() - stan_mean) < 4 * se);
      CHECK(rhat(x) < 1.02);  // 1.01 is the benchmark's target at 4 x 1000 draws; these chains are half as long
      ++compared;
    }
    CHECK(compared == static_cast<int>(run.output_names.size()));
    CHECK(run.divergences() <= 2);
  }
}
