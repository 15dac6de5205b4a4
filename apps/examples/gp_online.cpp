// Example: GP regression that learns online. Fit hyperparameters once on a few points, then add
// observations one at a time with the O(n^2) Cholesky extension, and watch the error at held-out
// points fall; finally save the model and load it back.
#include <cmath>
#include <cstdio>

#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/gp/gp_json.hpp"
#include "gpbo/kernels/kernel_parser.hpp"

namespace {
double f(double x) { return std::sin(2 * x) + 0.3 * x * x; }

double rmse(const gpbo::GaussianProcess& gp, const Eigen::MatrixXd& X, const Eigen::VectorXd& y) {
  return std::sqrt((gp.predict(X).mean - y).squaredNorm() / static_cast<double>(y.size()));
}
}  // namespace

int main() {
  Eigen::MatrixXd Xtest = Eigen::VectorXd::LinSpaced(50, -2, 2);
  const Eigen::VectorXd ytest = Xtest.col(0).unaryExpr([](double x) { return f(x); });
  Eigen::MatrixXd X = Eigen::VectorXd::LinSpaced(8, -2, 2);
  const Eigen::VectorXd y = X.col(0).unaryExpr([](double x) { return f(x); });

  gpbo::GpOptions options;
  options.input_lower = Eigen::RowVectorXd::Constant(1, -2.0);  // known domain: new points keep the map
  options.input_upper = Eigen::RowVectorXd::Constant(1, 2.0);
  options.noise.learn = false;  // f is deterministic: a tiny fixed noise, not a learned one
  options.noise.variance = 1e-6;
  gpbo::GaussianProcess gp(gpbo::parse_kernel("matern52", 1), options);
  gp.set_data(X, y);
  gp.fit({.restarts = 4, .seed = 1});
  std::printf("n=%2ld  held-out rmse %.4f\n", static_cast<long>(gp.size()), rmse(gp, Xtest, ytest));
  for (int i = 0; i < 10; ++i) {
    const double x = -1.9 + 0.37 * i;
    gp.add_point(Eigen::RowVectorXd::Constant(1, x), f(x));
    if (i % 3 == 2) std::printf("n=%2ld  held-out rmse %.4f\n", static_cast<long>(gp.size()), rmse(gp, Xtest, ytest));
  }
  gpbo::save_gp(gp, "gp_online_model.json");
  const auto loaded = gpbo::load_gp("gp_online_model.json");
  const double diff = (loaded.predict(Xtest).mean - gp.predict(Xtest).mean).cwiseAbs().maxCoeff();
  std::printf("saved and reloaded: largest prediction difference %.3g\n", diff);
  std::remove("gp_online_model.json");
  return rmse(gp, Xtest, ytest) < 0.05 && diff < 1e-9 ? 0 : 1;
}
