// Where one LML+gradient evaluation spends its time (N = 250 by default, D = 8, scale(matern52)).
// g++ -std=c++20 -O3 -DNDEBUG -I. -I/usr/include/eigen3 lml_profile.cpp build/gp/libgpbo_gp.a build/kernels/libgpbo_kernels.a build/core/libgpbo_core.a -lnlopt -lpthread
#include <chrono>
#include <algorithm>
#include <vector>
#include <iostream>
#include <random>
#include <Eigen/Dense>
#include "kernels/kernels.hpp"
#include "kernels/kernel_parser.hpp"
#include "gp/spd_inverse.hpp"
#include "gp/cholesky.hpp"
using Clock = std::chrono::steady_clock;
template <class F> double med(int reps, F f) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) { auto a = Clock::now(); f(); t.push_back(std::chrono::duration<double>(Clock::now() - a).count()); }
  std::sort(t.begin(), t.end()); return t[t.size() / 2] * 1e3;
}
int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 250, d = 8;
  std::mt19937 rng(1); std::uniform_real_distribution<double> u(0, 1);
  Eigen::MatrixXd X(n, d); for (int i = 0; i < n; ++i) for (int j = 0; j < d; ++j) X(i, j) = u(rng);
  Eigen::VectorXd y = Eigen::VectorXd::Random(n);
  auto k = gpbo::parse_kernel("scale(matern52)", d);
  Eigen::VectorXd p = k->log_params(); p.setConstant(std::log(0.5)); k->set_log_params(p);
  Eigen::MatrixXd G, W, F;
  Eigen::VectorXd alpha;
  const int R = 201;
  double tg = med(R, [&] { G = k->gram(X); });
  double tc1 = med(R, [&] { W = G; W.diagonal().array() += 0.01; });
  double tl = med(R, [&] { F = W; gpbo::cholesky_with_jitter(F); });
  double tlo = med(R, [&] { F = W; Eigen::LLT<Eigen::Ref<Eigen::MatrixXd>> l(F); });
  F = W; gpbo::cholesky_with_jitter(F);
  double ta = med(R, [&] { alpha = F.triangularView<Eigen::Lower>().solve(y); F.triangularView<Eigen::Lower>().transpose().solveInPlace(alpha); });
  Eigen::MatrixXd Fi;
  double ti = med(R, [&] { Fi = F; gpbo::spd_inverse_from_cholesky(Fi); });
  double tw = med(R, [&] { W = Fi; W *= -1.0; W.noalias() += alpha * alpha.transpose(); });
  double tcopy = med(R, [&] { W = Fi; });
  Eigen::VectorXd g; double ws;
  double tc = med(R, [&] { g = k->gram_gradient_contract_given_gram(X, W, G, 1.0, ws); });
  double tco = med(R, [&] { g = k->gram_gradient_contract_and_sum(X, W, ws); });
  double total = tg + tc1 + tl + ta + (ti - tcopy) + (tw) + tc;
  std::printf("n %d gram %.3f copy+noise %.3f chol %.3f (eigen llt %.3f) alpha %.3f inv %.3f W %.3f contract %.3f (old %.3f) | total %.3f ratio %.2f\n", n, tg, tc1, tl, tlo, ta, ti - tcopy, tw, tc, tco, total, total / tlo);
}
