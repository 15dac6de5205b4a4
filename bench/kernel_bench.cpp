// Micro-benchmarks of the kernels' O(n^2) inner loops, with Google Benchmark: the Gram matrix
// (every likelihood evaluation of a fit), the gradient contraction tr(W dK/dtheta) (every
// likelihood gradient), and the cross-covariance of a batch of candidates (every acquisition
// search). The application-level goals are checked by gp_bench and bo_bench; this program says
// which kernel loop a change made faster or slower.
//
//   build/bin/kernel_bench                                  # table
//   build/bin/kernel_bench --benchmark_format=json          # JSON, as the other benchmarks
//   build/bin/kernel_bench --benchmark_filter='/periodic/'  # one kernel (cases are named
//                                                           # loop/kernel/n:N/d:D)
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "gpbo/core/allocator.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/kernels/kernel_parser.hpp"

namespace {

const std::vector<std::string> kKernels = {"matern52", "matern32", "se", "rq", "periodic", "matern52 * periodic + white"};

// Uniform points in the unit cube, the same for every run.
Eigen::MatrixXd points(Eigen::Index n, Eigen::Index d, std::uint64_t seed) {
  auto rng = gpbo::make_rng(seed);
  Eigen::MatrixXd X(n, d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) X(i, j) = gpbo::uniform01(rng);
  return X;
}

// A kernel with ARD length scales of 0.3 and its defaults otherwise (periodic: period 0.5).
gpbo::KernelPtr kernel(std::size_t which, Eigen::Index d) {
  auto k = gpbo::parse_kernel(kKernels[which], static_cast<int>(d));
  auto hp = k->hyperparameters();
  for (auto& h : hp) {
    if (h.name.rfind("lengthscale", 0) == 0) h.log_value = std::log(0.3);
    if (h.name == "period") h.log_value = std::log(0.5);
  }
  k->set_hyperparameters(hp);
  return k;
}

// Each loop takes the kernel's index in kKernels; its arguments are n training points, d inputs.
void gram(benchmark::State& state, std::size_t which) {
  const Eigen::MatrixXd X = points(state.range(0), state.range(1), 1);
  const auto k = kernel(which, state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(k->gram(X).data());
}

void gradient_contraction(benchmark::State& state, std::size_t which) {
  const Eigen::MatrixXd X = points(state.range(0), state.range(1), 2);
  const Eigen::MatrixXd W = points(state.range(0), state.range(0), 3);
  const auto k = kernel(which, state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(k->gram_gradient_contract(X, W).data());
}

// n training points against 2000 candidates, as one acquisition search scores them.
void cross_covariance(benchmark::State& state, std::size_t which) {
  const Eigen::MatrixXd X = points(state.range(0), state.range(1), 4), C = points(2000, state.range(1), 5);
  const auto k = kernel(which, state.range(1));
  for (auto _ : state) benchmark::DoNotOptimize(k->eval(X, C).data());
}

// Cases named loop/kernel/n:N/d:D (the kernel's expression without spaces), so that
// --benchmark_filter can pick a kernel by name.
void register_cases() {
  using Loop = void (*)(benchmark::State&, std::size_t);
  const std::pair<const char*, Loop> loops[] = {
      {"gram", gram}, {"gradient_contraction", gradient_contraction}, {"cross_covariance", cross_covariance}};
  for (const auto& [loop, run] : loops)
    for (std::size_t which = 0; which < kKernels.size(); ++which) {
      std::string name = kKernels[which];
      name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
      auto* b = benchmark::RegisterBenchmark((std::string(loop) + "/" + name).c_str(), run, which);
      b->ArgNames({"n", "d"})->Unit(benchmark::kMillisecond);
      for (const int n : {200, 1000})
        for (const int d : {1, 8}) b->Args({n, d});
    }
}

}  // namespace

int main(int argc, char** argv) {
  gpbo::retain_freed_memory();  // as gpbo and the other benchmarks do
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  register_cases();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
