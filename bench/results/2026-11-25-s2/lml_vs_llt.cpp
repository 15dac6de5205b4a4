// LML+gradient vs LLT, timed alternately (same method for any gpbo build it is linked against).
#include <Eigen/Cholesky>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>
#include "core/csv.hpp"
#include "gp/gaussian_process.hpp"
#include "kernels/matern.hpp"
#include "kernels/scale.hpp"
using Clock = std::chrono::steady_clock;
int main(int argc, char** argv) {
  const gpbo::CsvTable train = gpbo::read_csv(argv[1]);
  const Eigen::Index d = train.values.cols() - 1;
  const Eigen::MatrixXd X = train.values.leftCols(d);
  const Eigen::VectorXd y = train.values.col(d);
  auto matern = std::make_unique<gpbo::MaternKernel>(gpbo::MaternKernel::Nu::FiveHalves, static_cast<int>(d), true);
  auto kernel = std::make_unique<gpbo::ScaleKernel>(std::move(matern), 1.0);
  gpbo::GpOptions o;
  o.noise.variance = 0.1; o.noise.lower = 1e-6; o.noise.upper = 10.0;
  o.mean.kind = gpbo::MeanOptions::Kind::Constant;
  o.scale_inputs = false;
  gpbo::GaussianProcess gp(std::move(kernel), o);
  gp.set_data(X, y);
  (void)gp.fit({.restarts = 0, .seed = 0, .use_priors = false});
  const Eigen::VectorXd params = gp.params();
  Eigen::VectorXd grad;
  Eigen::MatrixXd K = gp.kernel().gram(gp.input_map().apply(X));
  K.diagonal().array() += gp.noise_variance();
  std::vector<double> tf, tg;
  double total = 0.0;
  while (tf.size() < 5 || (tf.size() < 401 && total < 3.0)) {
    auto t0 = Clock::now();
    (void)gp.lml_and_gradient(params, &grad);
    tf.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    t0 = Clock::now();
    { Eigen::LLT<Eigen::MatrixXd> llt(K); }
    tg.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    total += tf.back() + tg.back();
  }
  std::sort(tf.begin(), tf.end()); std::sort(tg.begin(), tg.end());
  const double a = tf[tf.size() / 2], b = tg[tg.size() / 2];
  std::printf("{\"n\": %ld, \"runs\": %zu, \"lml_grad_s\": %.6g, \"llt_s\": %.6g, \"ratio\": %.3f, \"grad0\": %.10g}\n", (long)X.rows(), tf.size(), a, b, a / b, grad(0));
}
