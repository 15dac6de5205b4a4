// gp_bench: fit, predict and the core linear-algebra costs of an exact GP on one CSV case.
//
//   gp_bench --train TRAIN.csv --test TEST.csv [--restarts 2] [--seed 0] [--subset 256]
//            [--ftol 1e-7] [--doubling] [--zero-mean]
//
// Model (as ../shared/peers/gp_sklearn.py): outputscale * Matern 5/2 ARD + learned Gaussian
// noise + constant mean, inputs as they are (the cases are in [0,1]^d, and this keeps the length-
// scale bounds identical to sklearn's) and outputs standardized; maximum
// likelihood (no priors) within sklearn's bounds (outputscale and length scales in [1e-3, 1e3],
// noise variance in [1e-6, 10]), from the sklearn start (all 1, noise 0.1) plus `restarts` random
// starts. With --subset M (default 256; only when n > M) every start is first optimized on the
// same M random points and only the best is refined on all the data. The last CSV column is the
// target. Prints one JSON line.
#include <CLI/CLI.hpp>
#include <Eigen/Cholesky>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "bench_cli.hpp"
#include "gpbo/core/allocator.hpp"
#include "gpbo/core/csv.hpp"
#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/gp/predictive_scores.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/scale.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

/// Median wall time of `reps` runs of f (setup, excluded from the timing, runs before each).
template <class Setup, class F>
double median_time(int reps, Setup setup, F f) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    setup();
    const auto t0 = Clock::now();
    f();
    t.push_back(seconds_since(t0));
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

gpbo::GaussianProcess make_model(int d, bool zero_mean) {
  auto matern = std::make_unique<gpbo::MaternKernel>(gpbo::MaternKernel::Nu::FiveHalves, d, true);
  auto kernel = std::make_unique<gpbo::ScaleKernel>(std::move(matern), 1.0);
  kernel->set_bounds("lengthscale", 1e-3, 1e3);
  kernel->set_bounds("outputscale", 1e-3, 1e3);
  gpbo::GpOptions o;
  o.noise.variance = 0.1;
  o.noise.lower = 1e-6;
  o.noise.upper = 10.0;
  o.mean.kind = zero_mean ? gpbo::MeanOptions::Kind::Zero : gpbo::MeanOptions::Kind::Constant;
  o.scale_inputs = false;  // the shared cases are in [0, 1]^d already; keeps sklearn's bounds exact
  return gpbo::GaussianProcess(std::move(kernel), o);
}

/// Medians of the wall times of f and g, run alternately: at least 3 times each, and more (up
/// to 201) while the total stays under about one second.
template <class F, class G>
std::pair<double, double> alternating_medians(F f, G g) {
  std::vector<double> tf, tg;
  double total = 0.0;
  while (tf.size() < 3 || (tf.size() < 201 && total < 1.0)) {
    auto t0 = Clock::now();
    f();
    tf.push_back(seconds_since(t0));
    t0 = Clock::now();
    g();
    tg.push_back(seconds_since(t0));
    total += tf.back() + tg.back();
  }
  std::sort(tf.begin(), tf.end());
  std::sort(tg.begin(), tg.end());
  return {tf[tf.size() / 2], tg[tg.size() / 2]};
}

}  // namespace

int main(int argc, char** argv) {
  gpbo::retain_freed_memory();  // see core/allocator.hpp: fewer page faults
  CLI::App app{"gp_bench: exact GP fit/predict benchmark on a CSV case (last column = y)"};
  std::string train_path, test_path;
  int restarts = 2;
  std::uint64_t seed = 0;
  std::size_t subset = 256;
  double ftol = 1e-7;
  bool doubling = false;
  bool zero_mean = false;
  app.add_option("--train", train_path, "training CSV")->required();
  app.add_option("--test", test_path, "test CSV")->required();
  app.add_option("--restarts", restarts, "random starts besides the default start");
  app.add_option("--seed", seed, "seed of the random starts");
  app.add_option("--subset", subset, "pre-fit every start on this many random points, then refine the best on all (0 = off)");
  app.add_option("--ftol", ftol, "L-BFGS relative tolerance on the objective");
  app.add_flag("--doubling", doubling, "refine through doubling subsets");
  app.add_flag("--zero-mean", zero_mean, "zero mean (exactly sklearn's model) instead of a learned constant");
  if (const auto status = gpbo::bench::parse_command_line(app, argc, argv)) return *status;

  try {
    const gpbo::CsvTable train = gpbo::read_csv(train_path), test = gpbo::read_csv(test_path);
    const Eigen::Index d = train.values.cols() - 1;
    if (d < 1 || test.values.cols() != d + 1) throw std::runtime_error("train and test need the same >= 2 columns");
    const Eigen::MatrixXd X = train.values.leftCols(d), Xt = test.values.leftCols(d);
    const Eigen::VectorXd y = train.values.col(d), yt = test.values.col(d);
    const Eigen::Index n = X.rows();

    gpbo::GaussianProcess gp = make_model(static_cast<int>(d), zero_mean);
    auto t0 = Clock::now();
    gp.set_data(X, y);
    const gpbo::FitResult fit = gp.fit({.restarts = restarts, .seed = seed, .use_priors = false, .ftol_rel = ftol, .subset_size = subset, .subset_doubling = doubling});
    const double fit_s = seconds_since(t0);

    t0 = Clock::now();
    const gpbo::Prediction p = gp.predict(Xt, {.include_noise = true});
    const double predict_s = seconds_since(t0);
    const gpbo::PredictiveScores scores = gpbo::score_predictions(yt, p.mean, p.variance);
    const double rmse = scores.rmse, nlpd = scores.nlpd;

    const Eigen::VectorXd params = gp.params();
    Eigen::VectorXd grad;
    Eigen::MatrixXd K = gp.kernel().gram(gp.input_map().apply(X));
    K.diagonal().array() += gp.noise_variance();
    // The two are timed alternately, as many times as fit in about a second, so that the load of
    // the shared machine affects both alike; their ratio is a target.
    const auto [lml_grad_s, llt_s] = alternating_medians(
        [&] { (void)gp.lml_and_gradient(params, &grad); }, [&] { Eigen::LLT<Eigen::MatrixXd> llt(K); });

    // One more point (the first test point) onto the fitted model, vs refactorizing n + 1 points.
    gpbo::GaussianProcess grown = gp;
    const double add_point_s = median_time(5, [&] { grown = gp; }, [&] { grown.add_point(Xt.row(0), yt(0)); });
    const Eigen::MatrixXd X1 = grown.X();
    const Eigen::VectorXd y1 = grown.y();
    const double refactor_s = median_time(
        3, [] {}, [&] { grown.set_data(X1, y1, gp.input_map(), gp.output_map()); });

    nlohmann::json out = {{"n", n},           {"d", d},
                          {"fit_s", fit_s},   {"predict_s", predict_s},
                          {"rmse", rmse},     {"nlpd", nlpd},
                          {"lml", gp.log_marginal_likelihood()},
                          {"lml_grad_s", lml_grad_s}, {"llt_s", llt_s},
                          {"add_point_s", add_point_s}, {"refactor_s", refactor_s},
                          {"evaluations", fit.evaluations}, {"refine_evaluations", fit.refine_evaluations}, {"restarts", restarts}, {"subset", subset},
                          {"noise_variance", gp.noise_variance() * gp.output_map().scale * gp.output_map().scale},
                          {"kernel", gp.kernel().to_string()},
                          {"params", std::vector<double>(params.data(), params.data() + params.size())}};
    std::cout << out.dump() << std::endl;
  } catch (const std::exception& e) {
    std::cerr << "gp_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
