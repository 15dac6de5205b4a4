// mcmc_bench: NUTS (diagonal metric) on the five shared MCMC cases of ../shared/peers/mcmc,
// 4 chains x (1000 warmup + 1000 draws), seed 1, printing one JSON line per case with the keys
// stan_peer.R prints: min_bulk_ess, min_tail_ess, max_rhat over the reported parameters;
// grad_evals = leapfrog steps of the sampling iterations (rstan's sum of n_leapfrog__);
// chain_s_sum = per-chain warmup + sampling seconds summed over chains (rstan's
// get_elapsed_time); ess_per_s = min_bulk_ess / chain_s_sum; means and their MCSEs. Also
// chain_cpu_s_sum / ess_per_cpu_s: the same with the chains' thread CPU time, which other load
// on a shared machine inflates far less than wall time.
// With --stan FILE (tests/reference/stan_reference.json) it adds Stan's figures and the ratios.
//
// usage: mcmc_bench --data-dir DIR [--case NAME] [--threads 2] [--seed 1] [--stan FILE]

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench_cli.hpp"
#include "gpbo/core/allocator.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gpbo/mcmc/models/model_registry.hpp"
#include "gpbo/mcmc/nuts.hpp"

namespace {

struct Case {
  std::string name, model, file;
};

const std::vector<Case> kCases = {{"gauss100", "gauss100", ""},
                                  {"logistic", "logistic", "logistic.csv"},
                                  {"eight_schools", "eight_schools", "eight_schools.csv"},
                                  {"bradley_terry", "bradley_terry", "matches.csv"},
                                  {"mixture", "mixture", "mixture.csv"}};

nlohmann::ordered_json run_case(const Case& c, const gpbo::mcmc::LogDensity& model, unsigned threads, std::uint64_t seed) {
  gpbo::mcmc::ChainOptions opt;
  opt.chains = 4;
  opt.threads = threads;
  opt.sampler.seed = seed;
  opt.sampler.warmup = 1000;
  opt.sampler.draws = 1000;
  opt.sampler.metric = gpbo::mcmc::Metric::diag;
  const auto run = gpbo::mcmc::run_chains(model, gpbo::mcmc::Nuts(), opt);
  double min_bulk = std::numeric_limits<double>::infinity(), min_tail = min_bulk, max_rhat = 0.0;
  nlohmann::ordered_json means, mcse;
  for (std::size_t j = 0; j < run.output_names.size(); ++j) {
    const Eigen::MatrixXd x = run.column(static_cast<int>(j));
    min_bulk = std::min(min_bulk, gpbo::mcmc::ess_bulk(x));
    min_tail = std::min(min_tail, gpbo::mcmc::ess_tail(x));
    max_rhat = std::max(max_rhat, gpbo::mcmc::rhat(x));
    means[run.output_names[j]] = x.mean();
    mcse[run.output_names[j]] = gpbo::mcmc::mcse_mean(x);
  }
  long long sampling_leapfrog = 0;
  for (const auto& ch : run.chains) sampling_leapfrog += ch.diagnostics.n_leapfrog.cast<long long>().sum();
  const double seconds = run.chain_seconds_sum();
  nlohmann::ordered_json out;
  out["case"] = c.name;
  out["min_bulk_ess"] = std::round(min_bulk);
  out["min_tail_ess"] = std::round(min_tail);
  out["max_rhat"] = max_rhat;
  out["grad_evals"] = sampling_leapfrog;
  out["grad_evals_total"] = run.gradient_evaluations();
  out["divergences"] = run.divergences();
  out["chain_s_sum"] = seconds;
  out["ess_per_s"] = min_bulk / seconds;
  out["chain_cpu_s_sum"] = run.chain_cpu_seconds_sum();
  out["ess_per_cpu_s"] = min_bulk / run.chain_cpu_seconds_sum();
  out["ess_per_grad"] = min_bulk / static_cast<double>(sampling_leapfrog);
  out["means"] = means;
  out["mcse"] = mcse;
  return out;
}

// Adds Stan's figures, the speed ratios, and the largest |mean - Stan's mean| / MCSE.
void compare_with_stan(nlohmann::ordered_json& out, const nlohmann::json& stan) {
  const double stan_ess_per_s = stan["ess_per_s"].get<double>();
  const double stan_ess_per_grad = stan["min_bulk_ess"].get<double>() / stan["grad_evals"].get<double>();
  out["stan_ess_per_s"] = stan_ess_per_s;
  out["ess_per_s_ratio"] = out["ess_per_s"].get<double>() / stan_ess_per_s;
  out["ess_per_grad_ratio"] = out["ess_per_grad"].get<double>() / stan_ess_per_grad;
  double worst = 0.0;
  std::string worst_name;
  for (const auto& [stan_name, value] : stan["means"].items()) {
    std::string name = stan_name;  // Stan's x[3] is our x.3
    std::replace(name.begin(), name.end(), '[', '.');
    name.erase(std::remove(name.begin(), name.end(), ']'), name.end());
    if (!out["means"].contains(name)) continue;
    const double z = std::abs(out["means"][name].get<double>() - value.get<double>()) / out["mcse"][name].get<double>();
    if (z > worst) worst = z, worst_name = name;
  }
  out["max_mean_diff_in_mcse"] = worst;
  out["max_mean_diff_param"] = worst_name;
}

}  // namespace

int main(int argc, char** argv) {
  gpbo::retain_freed_memory();  // see core/allocator.hpp: fewer page faults
  CLI::App app{"NUTS on the shared MCMC cases; one JSON line per case"};
  std::string data_dir, only, stan_file;
  unsigned threads = 2;
  std::uint64_t seed = 1;
  app.add_option("--data-dir", data_dir, "folder with logistic.csv, eight_schools.csv, matches.csv, mixture.csv")->required();
  app.add_option("--case", only, "run only this case");
  app.add_option("--threads", threads, "worker threads for the 4 chains (rstan's peer uses 2 cores)");
  app.add_option("--seed", seed, "random seed");
  app.add_option("--stan", stan_file, "stan_reference.json to compare against");
  if (const auto status = gpbo::bench::parse_command_line(app, argc, argv)) return *status;
  try {
    nlohmann::json stan;
    if (!stan_file.empty()) {
      std::ifstream in(stan_file);
      if (!in) throw std::runtime_error("cannot read " + stan_file);
      stan = nlohmann::json::parse(in).at("cases");
    }
    // Every data file is read before the first case runs, so that a wrong --data-dir fails at once.
    std::vector<std::pair<const Case*, std::unique_ptr<gpbo::mcmc::LogDensity>>> selected;
    for (const auto& c : kCases)
      if (only.empty() || only == c.name)
        selected.emplace_back(&c, gpbo::mcmc::models::load_model(c.model, c.file.empty() ? "" : data_dir + "/" + c.file));
    if (selected.empty()) throw std::runtime_error("unknown case '" + only + "'");
    for (const auto& [c, model] : selected) {
      auto out = run_case(*c, *model, threads, seed);
      if (stan.contains(c->name)) compare_with_stan(out, stan[c->name]);
      std::cout << out.dump() << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "mcmc_bench: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
