#include <chrono>
#include <cstdio>
#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
int main() {
  const int n = 2000, m = 50000, d = 5;
  Eigen::MatrixXd X = Eigen::MatrixXd::Random(n, d), Xs = Eigen::MatrixXd::Random(m, d);
  Eigen::VectorXd y = X.rowwise().squaredNorm();
  gpbo::GaussianProcess gp(gpbo::parse_kernel("matern52", d));
  gp.set_data(X, y);
  for (int rep = 0; rep < 2; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto full = gp.predict(Xs);
    const auto t1 = std::chrono::steady_clock::now();
    const auto mean = gp.predict(Xs, {.mean_only = true});
    const auto t2 = std::chrono::steady_clock::now();
    std::printf("{\"n\": %d, \"m\": %d, \"full_s\": %.3f, \"mean_only_s\": %.3f, \"max_mean_diff\": %.3g}\n", n, m,
                std::chrono::duration<double>(t1 - t0).count(), std::chrono::duration<double>(t2 - t1).count(),
                (full.mean - mean.mean).cwiseAbs().maxCoeff());
  }
}
