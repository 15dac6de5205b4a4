// SamplerOptions::save_warmup (CmdStan's save_warmup): every sampler keeps every thin-th warmup
// iteration, with the columns of its draws, without changing a single draw; the CmdStan CSV
// writes them before the adaptation comments.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>

#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/cmdstan_csv.hpp"
#include "gpbo/mcmc/ensemble.hpp"
#include "gpbo/mcmc/sampler_registry.hpp"
#include "gaussian_target.hpp"

using namespace gpbo::mcmc;

namespace {

ChainOptions warmup_options(bool save) {
  ChainOptions opt;
  opt.chains = 2;
  opt.threads = 1;
  opt.sampler.warmup = 100;
  opt.sampler.draws = 40;
  opt.sampler.thin = 3;
  opt.sampler.seed = 11;
  opt.sampler.save_warmup = save;
  return opt;
}

// A warmup diagnostic column is there exactly when the draws have it, one value per warmup row.
template <class V>
bool same_size_or_empty(const V& warmup, const V& sampling, Eigen::Index warmup_rows) {
  return sampling.size() == 0 ? warmup.size() == 0 : warmup.size() == warmup_rows;
}

}  // namespace

TEST_CASE("save_warmup: every sampler keeps ceil(warmup / thin) rows per walker, changes no draw, and its rows are states") {
  const testing::Gaussian2 target;
  const auto model = target.density();
  for (const auto& name : sampler_names()) {
    INFO(name);
    const MultiChainResult with = run_chains(model, name, warmup_options(true));
    const MultiChainResult without = run_chains(model, name, warmup_options(false));
    REQUIRE(with.chains.size() == 2);
    for (std::size_t c = 0; c < with.chains.size(); ++c) {
      const ChainResult& a = with.chains[c];
      const ChainResult& b = without.chains[c];
      CHECK(a.draws == b.draws);  // recording warmup draws no random number and moves no chain
      CHECK(a.lp == b.lp);
      CHECK(a.stepsize == b.stepsize);
      CHECK(b.warmup.draws.rows() == 0);
      const Eigen::Index walkers = name == "ensemble" ? ensemble_walkers(warmup_options(true).sampler, 2) : 1;
      const Eigen::Index rows = walkers * 34;  // ceil(100 / 3)
      REQUIRE(a.warmup.draws.rows() == rows);
      REQUIRE(a.warmup.draws.cols() == 2);
      REQUIRE(a.warmup.lp.size() == rows);
      // Each row is a state and its log density (the model's outputs are its parameters).
      for (Eigen::Index i = 0; i < rows; ++i) {
        CHECK(std::isfinite(a.warmup.lp(i)));
        CHECK(a.warmup.lp(i) == Approx(model.log_density(a.warmup.draws.row(i).transpose())).margin(1e-9));
      }
      const auto& w = a.warmup.diagnostics;
      const auto& d = a.diagnostics;
      CHECK(same_size_or_empty(w.accept_stat, d.accept_stat, rows));
      CHECK(same_size_or_empty(w.stepsize, d.stepsize, rows));
      CHECK(same_size_or_empty(w.int_time, d.int_time, rows));
      CHECK(same_size_or_empty(w.treedepth, d.treedepth, rows));
      CHECK(same_size_or_empty(w.n_leapfrog, d.n_leapfrog, rows));
      CHECK(same_size_or_empty(w.divergent, d.divergent, rows));
      CHECK(same_size_or_empty(w.energy, d.energy, rows));
    }
  }
}

TEST_CASE("save_warmup: NUTS's warmup rows show the step size adapting and the chain arriving from its start") {
  const testing::Gaussian2 target;
  const auto model = target.density();
  ChainOptions opt = warmup_options(true);
  opt.sampler.thin = 1;
  opt.init_radius = 2.0;
  const MultiChainResult run = run_chains(model, "nuts", opt);
  for (const ChainResult& c : run.chains) {
    const auto& step = c.warmup.diagnostics.stepsize;
    REQUIRE(step.size() == 100);
    CHECK(step.maxCoeff() > step.minCoeff());  // dual averaging moved it
    CHECK(step(99) != c.stepsize);  // the adapted step size is set after the last warmup iteration
    // The first warmup state is one transition from the initial point: near it, unlike a
    // posterior draw in general (init radius 2 around 0 in the unconstrained space).
    CHECK((c.warmup.draws.row(0).transpose() - c.initial).norm() < 10.0);
  }
}

TEST_CASE("save_warmup: the CmdStan CSV holds the warmup rows before the adaptation and says save_warmup = 1") {
  const testing::Gaussian2 target;
  const auto model = target.density();
  for (const char* name : {"nuts", "slice"}) {
    INFO(name);
    const ChainOptions opt = warmup_options(true);
    const MultiChainResult run = run_chains(model, name, opt);
    std::ostringstream os;
    write_cmdstan_csv(os, run, 0, opt.sampler);
    const std::string text = os.str();
    CHECK(text.find("#     save_warmup = 1\n") != std::string::npos);
    std::istringstream lines(text);
    int data_rows = 0, rows_before_adaptation = -1;
    bool header_seen = false;
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("# Adaptation terminated", 0) == 0 || (line.rfind("# Step size", 0) == 0 && rows_before_adaptation < 0))
        rows_before_adaptation = data_rows;
      if (line.empty() || line[0] == '#') continue;
      if (!header_seen) {
        header_seen = true;
        continue;
      }
      ++data_rows;
    }
    CHECK(data_rows == 34 + 14);  // ceil(100 / 3) warmup rows, ceil(40 / 3) draws
    if (std::string(name) == "nuts") CHECK(rows_before_adaptation == 34);
    // Without save_warmup: the draws alone, and the header says so.
    const ChainOptions plain = warmup_options(false);
    std::ostringstream ps;
    write_cmdstan_csv(ps, run_chains(model, name, plain), 0, plain.sampler);
    CHECK(ps.str().find("#     save_warmup = 0\n") != std::string::npos);
  }
}
