// A downstream program built against an installed gpbo: fit a GP to a sine and predict. It
// includes every module's headers, so a header that needs more than the package asks for (C++20)
// fails this build.
#include <cmath>
#include <cstdio>

#include <gpbo/bayesopt/optimizer.hpp>
#include <gpbo/gp/gaussian_process.hpp>
#include <gpbo/kernels/kernel_parser.hpp>
#include <gpbo/mcmc/autodiff.hpp>
#include <gpbo/mcmc/nuts.hpp>

int main() {
  Eigen::MatrixXd X(12, 1);
  Eigen::VectorXd y(12);
  for (int i = 0; i < 12; ++i) {
    X(i, 0) = i / 11.0;
    y(i) = std::sin(6 * X(i, 0));
  }
  gpbo::GaussianProcess gp(gpbo::parse_kernel("matern52", 1));
  gp.set_data(X, y);
  gp.fit();
  Eigen::MatrixXd Xs(1, 1);
  Xs << 0.5;
  const auto p = gp.predict(Xs);
  const double err = std::abs(p.mean(0) - std::sin(3.0));
  std::printf("consumer: predicted %.4f at 0.5 (truth %.4f), sd %.2g\n", p.mean(0), std::sin(3.0), std::sqrt(p.variance(0)));
  return err < 0.05 ? 0 : 1;
}
