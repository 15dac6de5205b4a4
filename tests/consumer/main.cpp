// A downstream program built against an installed gpbo: fit a GP to a sine and predict, then a
// few ask/tell rounds. It includes every module's headers, so a header that needs more than the
// package asks for (C++20) fails this build. scripts/test.sh builds it a second time with -mavx2
// where the CPU has it: Eigen objects made in the library are freed here (a Trial's vectors), and
// a program built with other vector flags than the library's crashed doing so.
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

  gpbo::bo::Space space;
  space.add(gpbo::bo::Parameter::real("x", -1.0, 2.0));
  gpbo::bo::OptimizerOptions options;
  options.seed = 3;
  gpbo::bo::Optimizer opt(space, options);
  for (int round = 0; round < 14; ++round)
    for (const auto& s : opt.ask(1)) {
      const double x = gpbo::bo::value_as<double>(s.point, "x");
      opt.tell(s.id, (x - 0.5) * (x - 0.5));
    }
  const double best_x = gpbo::bo::value_as<double>(opt.best()->point, "x");
  std::printf("consumer: best x %.4f after %zu evaluations (optimum 0.5)\n", best_x, opt.evaluations());
  return err < 0.05 && std::abs(best_x - 0.5) < 0.05 ? 0 : 1;
}
