// Example: sample your own Bayesian model. Neal's funnel, written once as a template so that
// forward-mode automatic differentiation supplies the gradient, sampled with NUTS in 4 parallel
// chains. The centered funnel is hard on purpose: the summary reports the divergences instead of
// silently returning biased draws.
#include <cstdio>

#include "gpbo/mcmc/autodiff.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/distributions.hpp"
#include "gpbo/mcmc/summary.hpp"

// v ~ normal(0, 3), x_i ~ normal(0, exp(v / 2)), i = 1..9.
struct Funnel {
  template <class T>
  T operator()(const Eigen::Matrix<T, Eigen::Dynamic, 1>& q) const {
    const T v = q(0);
    const T scale = exp(v / 2.0);
    T lp = gpbo::mcmc::normal_lpdf(v, 0.0, 3.0);
    for (Eigen::Index i = 1; i < q.size(); ++i) lp += gpbo::mcmc::normal_lpdf(q(i), 0.0, scale);
    return lp;
  }
};

int main() {
  const auto model = gpbo::mcmc::make_autodiff_density(Funnel{}, 10, {}, "funnel");
  gpbo::mcmc::ChainOptions options;  // 4 chains x (1000 warmup + 1000 draws), in parallel
  options.sampler.seed = 1;
  const auto run = gpbo::mcmc::run_chains(model, "nuts", options);
  std::printf("%s", gpbo::mcmc::format_summary(gpbo::mcmc::summarize(run)).c_str());
  return 0;
}
