// Gradient cost of AutoDiffLogDensity on an iid normal of d coordinates (vectorized normal_lpdf,
// or with LOOP=1 a loop of scalar normal_lpdf), against a hand-written gradient; with no third
// argument also one NUTS chain (1000 + 1000). Built against an installed gpbo:
//   g++ -std=c++20 -O2 -DNDEBUG -I PREFIX/include -I/usr/include/eigen3 -DEIGEN_MAX_ALIGN_BYTES=16 \
//       -DEIGEN_MALLOC_ALREADY_ALIGNED=0 autodiff_iid.cpp PREFIX/lib/libgpbo_mcmc.a PREFIX/lib/libgpbo_core.a
//   ./a.out D x      (us per gradient)      ./a.out D      (and one chain)
// Written during a user trial of session 29.
#include <chrono>
#include <cstdio>
#include <gpbo/mcmc/autodiff.hpp>
#include <gpbo/mcmc/chains.hpp>
#include <gpbo/mcmc/distributions.hpp>
#include <gpbo/mcmc/summary.hpp>
using namespace gpbo::mcmc;
struct IID { bool loop = false; template <class T> T operator()(const Eigen::Matrix<T, Eigen::Dynamic, 1>& q) const { if (!loop) return T(normal_lpdf(q, 0.0, 1.0)); T s(0.0); for (Eigen::Index i = 0; i < q.size(); ++i) s += normal_lpdf(q(i), 0.0, 1.0); return s; } };
int main(int argc, char** argv) {
  int d = std::atoi(argv[1]);
  auto ad = make_autodiff_density(IID{std::getenv("LOOP") != nullptr}, d, {}, "iid_ad");
  FunctionLogDensity hand(d, [](const Eigen::VectorXd& q, Eigen::VectorXd& g) { g = -q; return -0.5 * q.squaredNorm(); }, {}, "iid_hand");
  Eigen::VectorXd x = Eigen::VectorXd::Constant(d, 0.3), g;
  for (const LogDensity* m : {static_cast<const LogDensity*>(&ad), static_cast<const LogDensity*>(&hand)}) {
    auto t0 = std::chrono::steady_clock::now(); double s = 0; int N = d > 150 ? 100 : 2000;
    for (int i = 0; i < N; ++i) s += m->log_density_gradient(x, g);
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / N;
    ChainOptions o; o.threads = 1; o.chains = 1; if (argc > 2) { std::printf("%s d=%d: %.2f us/gradient\n", m->name().c_str(), d, us); continue; }
    auto t1 = std::chrono::steady_clock::now(); auto run = run_chains(*m, "nuts", o);
    double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    std::printf("%s d=%d: %.2f us/gradient; 1 chain 1000+1000 NUTS: %.3f s wall, %.3f s cpu, %lld grads\n", m->name().c_str(), d, us, w, run.chain_cpu_seconds_sum(), run.gradient_evaluations());
  }
}
