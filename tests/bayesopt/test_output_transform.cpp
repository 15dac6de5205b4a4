#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <string>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>

#include "gpbo/bayesopt/output_transform.hpp"
#include "gpbo/bayesopt/penalties.hpp"
#include "gpbo/gp/marginal_likelihood.hpp"
#include "gpbo/kernels/matern.hpp"
#include "gpbo/kernels/scale.hpp"

using namespace gpbo::bo;

TEST_CASE("output transform: invert() undoes apply() for every exponent, and is +-inf beyond the range") {
  const Eigen::VectorXd y = (Eigen::VectorXd(7) << -30.0, -2.0, 0.0, 0.5, 3.0, 40.0, 900.0).finished();
  for (const double lambda : {-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0}) {
    const OutputTransform t = OutputTransform::with_lambda(y, lambda);
    for (const double v : {-30.0, -2.0, -0.3, 0.0, 0.7, 3.0, 40.0, 900.0}) {
      INFO("lambda " << lambda << ", y " << v);
      CHECK(t.invert(t.apply(v)) == Approx(v).epsilon(1e-9).margin(1e-9));
    }
  }
  // psi_lambda is bounded above for lambda < 0 and below for lambda > 2.
  CHECK(yeo_johnson_inverse(1.0 / 0.5 + 1.0, -0.5) == std::numeric_limits<double>::infinity());
  CHECK(yeo_johnson_inverse(-1.0 / 0.5 - 1.0, 2.5) == -std::numeric_limits<double>::infinity());
  CHECK(yeo_johnson_inverse(yeo_johnson(0.8, -0.5), -0.5) == Approx(0.8));
}

TEST_CASE("output transform: Yeo-Johnson lambda and values match scipy") {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/bo_yeojohnson_reference.json");
  REQUIRE(in.good());
  const auto ref = nlohmann::json::parse(in);
  for (const auto& c : ref["cases"]) {
    INFO(c["name"].get<std::string>());
    const auto yv = c["y"].get<std::vector<double>>();
    const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(yv.data(), static_cast<Eigen::Index>(yv.size()));
    const OutputTransform t = OutputTransform::fit(y, true, -3.0, 3.0);
    const double lambda = c["lambda"];
    CHECK(t.lambda == Approx(lambda).epsilon(1e-6));
    const Eigen::VectorXd z = (y.array() - t.shift) / t.scale;
    for (Eigen::Index i = 0; i < z.size(); ++i)
      CHECK(yeo_johnson(z[i], lambda) == Approx(c["transformed"][static_cast<std::size_t>(i)].get<double>()).epsilon(1e-12));
    // The full map standardizes the warped values and keeps their order.
    const Eigen::VectorXd w = t.apply(y);
    CHECK(w.mean() == Approx(0.0).margin(1e-12));
    CHECK(std::sqrt(w.squaredNorm() / static_cast<double>(w.size() - 1)) == Approx(1.0));
    for (Eigen::Index i = 1; i < y.size(); ++i) CHECK((y[i] < y[0]) == (w[i] < w[0]));
  }
}

TEST_CASE("output transform: identity warp for symmetric data and when switched off") {
  const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(21, -3.0, 5.0);
  const OutputTransform t = OutputTransform::fit(y, true);
  CHECK(t.lambda == 1.0);  // no likelihood gain worth a warp
  CHECK(t.apply(1.0) == Approx(0.0).margin(1e-12));
  Eigen::VectorXd skewed = y.array().exp();
  const OutputTransform off = OutputTransform::fit(skewed, false);
  CHECK(off.lambda == 1.0);
  CHECK(off.apply(skewed[3]) == Approx((skewed[3] - skewed.mean()) / off.scale));
  CHECK(OutputTransform::fit(skewed, true).lambda < 1.0);
  // Branches of psi meet continuously at 0 and handle lambda = 0 and 2.
  CHECK(yeo_johnson(1e-9, 0.3) == Approx(1e-9));
  CHECK(yeo_johnson(-1e-9, 0.3) == Approx(-1e-9));
  CHECK(yeo_johnson(2.0, 0.0) == Approx(std::log(3.0)));
  CHECK(yeo_johnson(-2.0, 2.0) == Approx(-std::log(3.0)));
}

TEST_CASE("output transform: values in huge or offset units map like the same values in unit units") {
  const Eigen::VectorXd y = Eigen::VectorXd::LinSpaced(25, 0.0, 3.0).array().exp();  // skewed: warped
  const OutputTransform base = OutputTransform::fit(y, true);
  REQUIRE(base.lambda < 1.0);
  // 1e300: squared deviations overflow the plain sd formula; 1e6 offset: a large mean.
  for (const auto& [factor, offset] : {std::pair{1e300, 0.0}, std::pair{1e-300, 0.0}, std::pair{1.0, 1e6}}) {
    INFO("factor " << factor << ", offset " << offset);
    const Eigen::VectorXd scaled = factor * y.array() + offset;
    const OutputTransform t = OutputTransform::fit(scaled, true);
    CHECK(t.lambda == Approx(base.lambda).epsilon(1e-6));
    const Eigen::VectorXd w = t.apply(scaled), expected = base.apply(y);
    CHECK(w.allFinite());
    CHECK((w - expected).cwiseAbs().maxCoeff() < 1e-6);
  }
  // Values across the whole double range: finite, order kept.
  const double big = std::numeric_limits<double>::max();
  const Eigen::VectorXd wide = (Eigen::VectorXd(4) << -1e308, 0.5, 1e308, big).finished();
  const OutputTransform tw = OutputTransform::fit(wide, true);
  const Eigen::VectorXd ww = tw.apply(wide);
  CHECK(ww.allFinite());
  for (Eigen::Index i = 1; i < ww.size(); ++i) CHECK(ww[i] > ww[i - 1]);
  // Values equal up to rounding are a constant: they map to 0, not to amplified round-off.
  const Eigen::VectorXd flat = Eigen::VectorXd::Constant(5, 1e6) + Eigen::VectorXd::LinSpaced(5, 0.0, 1e-9);
  CHECK(OutputTransform::fit(flat, true).apply(flat).cwiseAbs().maxCoeff() < 1e-8);
  // Also at any magnitude: 1e300 seven times (mean an ulp off) mapped to 1.5e284 with scale 1.
  for (const double c : {1e300, -1e200, 1e-300, 5.0}) {
    const Eigen::VectorXd constant = Eigen::VectorXd::Constant(7, c);
    const OutputTransform t = OutputTransform::fit(constant, true);
    INFO("constant " << c);
    CHECK(t.apply(constant).cwiseAbs().maxCoeff() < 1e-12);
    CHECK(t.invert(t.apply(c)) == Approx(c).epsilon(1e-12));
  }
}

TEST_CASE("output transform: penalty values are capped, heavy tails and converged clusters are not") {
  const double big = std::numeric_limits<double>::max();
  const Eigen::VectorXd y = (Eigen::VectorXd(7) << 0.5, 1.0, 2.0, 3.0, 1e6, 1e30, big).finished();
  const OutputTransform t = OutputTransform::fit(y, true);
  CHECK(t.penalty_from == 1e6);
  CHECK(t.penalty_value == 3.0 + 2.5);  // the worst other value plus the others' range
  CHECK(t.apply(1e30) == t.apply(5.5));
  CHECK(t.apply(big) == t.apply(5.5));
  // The others keep differences the GP can use (without the cap they were all the same value).
  CHECK(t.apply(1.0) - t.apply(0.5) > 0.05);
  CHECK(t.apply(3.0) - t.apply(2.0) > 0.05);
  // Not penalties: a heavy tail (its largest gaps come with a wide spread above them) ...
  Eigen::VectorXd tail(40);
  for (Eigen::Index i = 0; i < tail.size(); ++i) tail[i] = std::exp(0.35 * static_cast<double>(i));  // 1 .. 8e5
  CHECK(std::isinf(OutputTransform::fit(tail, true).penalty_from));
  // ... and a run converged on its minimum, whose tight cluster sits below ordinary values.
  const Eigen::VectorXd converged = (Eigen::VectorXd(8) << 0.3979, 0.39790001, 0.3979001, 0.5, 1.0, 5.0, 50.0, 300.0).finished();
  CHECK(std::isinf(OutputTransform::fit(converged, true).penalty_from));
}

TEST_CASE("output transform: a repeated penalty constant a few ranges above the values is a penalty") {
  // return 1000.0 where the objective cannot be evaluated, values spanning 0.4 - 300
  const Eigen::VectorXd y = (Eigen::VectorXd(8) << 0.4, 12.0, 55.0, 300.0, 1000.0, 140.0, 1000.0, 1000.0).finished();
  const PenaltyCut cut = find_penalties(y);
  CHECK(cut.from == 1000.0);
  CHECK(cut.value == 300.0 + 299.6);
  // Below a huge penalty too (two sizes: 1000 and 1e30).
  Eigen::VectorXd both = y;
  both[1] = 1e30;
  CHECK(find_penalties(both).from == 1000.0);
  // Not penalties: told once (it could be the objective's own steep value) ...
  CHECK(std::isinf(find_penalties((Eigen::VectorXd(5) << 0.4, 12.0, 55.0, 300.0, 1000.0).finished()).from));
  // ... a plateau the values approach (min(f, 100)), with no gap below it ...
  CHECK(std::isinf(find_penalties((Eigen::VectorXd(7) << 0.4, 12.0, 55.0, 98.0, 99.5, 100.0, 100.0).finished()).from));
  // ... a repeated top less than the others' range above them ...
  CHECK(std::isinf(find_penalties((Eigen::VectorXd(6) << 0.0, 1.0, 2.0, 3.0, 5.0, 5.0).finished()).from));
  // ... and a single outlier left on top once a 1e30 cluster is cut (the cut must not make it
  // look repeated).
  CHECK(find_penalties((Eigen::VectorXd(7) << 0.0, 1.0, 2.0, 3.0, 9.0, 1e30, 1e30).finished()).from == 1e30);
}

TEST_CASE("output transform: the exponent's derivative matches finite differences, near 0 and 2 too") {
  for (const double x : {-3.0, -0.5, -1e-3, 0.0, 1e-3, 0.7, 4.0})
    for (const double lambda : {-1.0, 0.0, 1e-5, 0.5, 1.0, 2.0 - 1e-5, 2.0, 3.0, 5.0}) {
      const double h = 1e-6;
      const double fd = (yeo_johnson(x, lambda + h) - yeo_johnson(x, lambda - h)) / (2 * h);
      INFO("x " << x << ", lambda " << lambda);
      CHECK(yeo_johnson_lambda_derivative(x, lambda) == Approx(fd).epsilon(1e-6).margin(1e-9));
    }
}

TEST_CASE("power warp: targets are the transform's, derivatives match finite differences") {
  Eigen::VectorXd y(9);
  y << 3.0, 40.0, 7.5, 1.0, 12.0, 2.2, 150.0, 5.0, 9.0;  // a heavy upper tail, and a penalty below
  const auto warp = PowerWarp::make(y, -1.0, 6.0);
  REQUIRE(warp);
  CHECK(warp->num_targets() == 9);
  CHECK(warp->lower()[0] == -1.0);
  CHECK(warp->upper()[0] == 6.0);
  for (const double lambda : {-0.7, 0.0, 1.0, 2.0, 3.5}) {
    INFO("lambda " << lambda);
    const gpbo::WarpedTargets t = warp->apply(Eigen::VectorXd::Constant(1, lambda), true);
    const OutputTransform map = OutputTransform::with_lambda(y, lambda);
    CHECK((t.w - map.apply(y)).cwiseAbs().maxCoeff() < 1e-12);
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      // log_slope is log dw/dy of the map with its constants held, by central differences in y.
      const double h = 1e-6 * std::max(1.0, std::abs(y[i]));
      CHECK(t.log_slope[i] == Approx(std::log((map.apply(y[i] + h) - map.apply(y[i] - h)) / (2 * h))).epsilon(1e-6));
    }
    const double h = 1e-6;
    const gpbo::WarpedTargets hi = warp->apply(Eigen::VectorXd::Constant(1, lambda + h), false);
    const gpbo::WarpedTargets lo = warp->apply(Eigen::VectorXd::Constant(1, lambda - h), false);
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      CHECK(t.dw(i, 0) == Approx((hi.w[i] - lo.w[i]) / (2 * h)).epsilon(1e-5).margin(1e-8));
      CHECK(t.dlog_slope(i, 0) == Approx((hi.log_slope[i] - lo.log_slope[i]) / (2 * h)).epsilon(1e-5).margin(1e-8));
    }
  }
  // Nothing to warp: constant values, or fewer than three.
  CHECK_FALSE(PowerWarp::make(Eigen::VectorXd::Constant(5, 2.0), -1.0, 3.0));
  CHECK_FALSE(PowerWarp::make(Eigen::Vector2d(1.0, 2.0), -1.0, 3.0));
}

TEST_CASE("power warp: the warped GP's log likelihood matches SciPy") {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/bo_warped_evidence.json");
  REQUIRE(in.good());
  const auto ref = nlohmann::json::parse(in);
  const auto xv = ref["x"].get<std::vector<double>>(), yv = ref["y"].get<std::vector<double>>();
  const Eigen::MatrixXd X = Eigen::Map<const Eigen::VectorXd>(xv.data(), static_cast<Eigen::Index>(xv.size()));
  const Eigen::VectorXd y = Eigen::Map<const Eigen::VectorXd>(yv.data(), static_cast<Eigen::Index>(yv.size()));
  auto matern = std::make_unique<gpbo::MaternKernel>(gpbo::MaternKernel::Nu::FiveHalves, 1, false);
  matern->set_log_params(Eigen::VectorXd::Constant(1, std::log(ref["lengthscale"].get<double>())));
  const gpbo::ScaleKernel kernel(std::move(matern), ref["outputscale"].get<double>());
  gpbo::GpOptions o;
  o.scale_inputs = false;
  o.standardize_outputs = false;
  o.noise.variance = ref["noise_variance"];
  const gpbo::ModelValues base{kernel.log_params(), std::log(ref["noise_variance"].get<double>()), ref["mean"].get<double>()};
  // The warp of y, and of log y and log(y - m + c): the same evidence of y, each log's Jacobian
  // included.
  const std::vector<std::pair<ValueLog, std::string>> kinds = {
      {ValueLog::None, "cases"}, {ValueLog::Plain, "log_cases"}, {ValueLog::Shifted, "shifted_log_cases"}};
  for (const auto& [log, key] : kinds) {
    const auto warp = PowerWarp::make(y, -1.0, 6.0, log);
    REQUIRE(warp);
    gpbo::MarginalLikelihood ml(kernel, o, X, *warp, {}, base);
    for (const auto& c : ref[key]) {
      const double lambda = c["lambda"];
      INFO(key << ", lambda " << lambda);
      Eigen::VectorXd p(ml.size());
      p << ml.layout().pack(base), lambda;
      CHECK(ml.lml(p, nullptr) == Approx(c["log_likelihood"].get<double>()).epsilon(1e-8));
      const auto w = c["w"].get<std::vector<double>>();
      const gpbo::WarpedTargets t = warp->apply(Eigen::VectorXd::Constant(1, lambda), false);
      for (Eigen::Index i = 0; i < y.size(); ++i) CHECK(t.w[i] == Approx(w[static_cast<std::size_t>(i)]).epsilon(1e-12).margin(1e-13));
    }
  }
}

TEST_CASE("output transform of a log of y: invert() undoes apply() above and below m; slopes and the trigger") {
  // Positive values over nine decades, as an error falling from 1e6 to 1e-3.
  const Eigen::VectorXd y = (Eigen::VectorXd(7) << 1e6, 3e4, 20.0, 1.5, 0.2, 0.01, 1e-3).finished();
  CHECK(OutputTransform::log_worth_trying(y));
  CHECK_FALSE(OutputTransform::log_worth_trying((Eigen::VectorXd(4) << 1.0, 10.0, 100.0, 9999.0).finished()));  // under 4 decades
  CHECK(OutputTransform::log_worth_trying((Eigen::VectorXd(4) << 1.0, 10.0, 100.0, 10000.0).finished()));
  CHECK_FALSE(OutputTransform::log_worth_trying((Eigen::VectorXd(4) << 0.0, 1.0, 1e5, 1e6).finished()));  // a zero
  CHECK_FALSE(OutputTransform::log_worth_trying((Eigen::VectorXd(4) << -1.0, 1.0, 1e5, 1e6).finished()));
  CHECK_FALSE(OutputTransform::log_worth_trying((Eigen::VectorXd(2) << 1e-3, 1e6).finished()));  // too few
  // A penalty does not count as a decade: capped, these span one.
  CHECK_FALSE(OutputTransform::log_worth_trying((Eigen::VectorXd(6) << 1.0, 2.0, 3.0, 5.0, 9.0, 1e30).finished()));
  // m is the smallest value; c is m itself (log y) or the lower quartile of y - m: the sorted
  // differences are 0, 0.009, 0.199, 1.499, ...: at 1.5 of 6 steps, 0.009 + 0.5 (0.199 - 0.009).
  CHECK(OutputTransform::with_lambda(y, 1.0, ValueLog::Plain).log_offset == 1e-3);
  CHECK(OutputTransform::with_lambda(y, 1.0, ValueLog::Shifted).log_offset == Approx(0.104));
  for (const ValueLog log : {ValueLog::Plain, ValueLog::Shifted})
    for (const double lambda : {-1.0, 0.0, 1.0, 2.5}) {
      const OutputTransform t = OutputTransform::with_lambda(y, lambda, log);
      CHECK(t.log_from == 1e-3);
      double last = -std::numeric_limits<double>::infinity();
      // Below m (later values, 0 and negative ones too) the log's tangent carries on.
      for (const double v : {-5.0, 0.0, 5e-4, 1e-3, 0.05, 1.0, 700.0, 1e6, 1e7}) {
        INFO("log " << static_cast<int>(log) << ", lambda " << lambda << ", y " << v);
        const double w = t.apply(v);
        CHECK(std::isfinite(w));
        CHECK(w > last);  // the order of values is kept
        last = w;
        CHECK(t.invert(w) == Approx(v).epsilon(1e-9).margin(1e-12));
        // The noise variance is carried by the map's slope, the log's included.
        const double h = 1e-6 * std::max(std::abs(v), 1e-3);
        const double slope = (t.apply(v + h) - t.apply(v - h)) / (2 * h);
        CHECK(t.variance_to_model(0.25, v) == Approx(0.25 * slope * slope).epsilon(1e-5));
      }
    }
  CHECK_THROWS(OutputTransform::with_lambda((Eigen::VectorXd(3) << -1.0, 1.0, 1e6).finished(), 1.0, ValueLog::Plain));
  CHECK_THROWS(OutputTransform::with_lambda((Eigen::VectorXd(3) << 2.0, 2.0, 2.0).finished(), 1.0, ValueLog::Shifted));
  // PowerWarp of a log: log_slope is log dw/dy of the whole map, by central differences.
  for (const ValueLog log : {ValueLog::Plain, ValueLog::Shifted}) {
    const auto warp = PowerWarp::make(y, -1.0, 6.0, log);
    REQUIRE(warp);
    for (const double lambda : {0.0, 1.0, 2.5}) {
      const gpbo::WarpedTargets t = warp->apply(Eigen::VectorXd::Constant(1, lambda), true);
      const OutputTransform map = OutputTransform::with_lambda(y, lambda, log);
      CHECK((t.w - map.apply(y)).cwiseAbs().maxCoeff() < 1e-12);
      for (Eigen::Index i = 0; i < y.size(); ++i) {
        INFO("log " << static_cast<int>(log) << ", lambda " << lambda << ", y " << y[i]);
        const double h = 1e-6 * y[i];
        CHECK(t.log_slope[i] == Approx(std::log((map.apply(y[i] + h) - map.apply(y[i] - h)) / (2 * h))).epsilon(1e-6));
      }
    }
  }
}

TEST_CASE("output transform: a value far outside the fitted ones maps to a finite bound on its side") {
  // -1e307 told after a fit to values near 0.3 overflowed to -inf, and the model conditioned on
  // it (gpbo show's) refused the point.
  const Eigen::VectorXd y = (Eigen::VectorXd(6) << 0.31, 0.35, 0.3, 0.42, 0.33, 0.5).finished();
  for (const bool warp : {false, true}) {
    const OutputTransform t = OutputTransform::fit(y, warp);
    INFO("warp " << warp << ", lambda " << t.lambda);
    const double low = t.apply(-1e307), high = t.apply(1e307), lowest = t.apply(-std::numeric_limits<double>::max());
    CHECK(std::isfinite(low));
    CHECK(std::isfinite(high));
    CHECK(low < t.apply(-1e3));
    CHECK(high > t.apply(1e3));
    CHECK(lowest <= low);
    // The fitted values themselves are untouched by the bound (within sqrt(n) of 0).
    CHECK(t.apply(y).cwiseAbs().maxCoeff() < std::sqrt(6.0));
  }
}
