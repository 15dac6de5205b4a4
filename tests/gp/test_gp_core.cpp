#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <numbers>

#include "gpbo/gp/cholesky.hpp"
#include "gpbo/gp/predictive_scores.hpp"
#include "gpbo/kernels/kernel_parser.hpp"
#include "gpbo/kernels/sum.hpp"
#include "gpbo/kernels/white.hpp"
#include "gp_test_util.hpp"

using namespace gpbo;
using gpbo::test::grid_points;
using gpbo::test::raw_options;
using gpbo::test::scaled_matern52;
using gpbo::test::smooth_function;

namespace {
double matern52(double r) {
  const double s = std::sqrt(5.0) * r;
  return (1.0 + s + s * s / 3.0) * std::exp(-s);
}
const double kLog2Pi = std::log(2.0 * std::numbers::pi);

/// A 3-D model with learned noise and mean and both data maps on.
GaussianProcess mapped_model(int n) {
  GpOptions o;
  o.mean.value = 0.2;
  o.noise.variance = 0.03;
  GaussianProcess gp(scaled_matern52(3, 1.3, Eigen::Vector3d(0.4, 0.7, 1.1)), o);
  const Eigen::MatrixXd X = 4.0 * grid_points(n, 3).array() - 1.0;
  gp.set_data(X, 100.0 + 20.0 * smooth_function(X).array());
  return gp;
}
}  // namespace

TEST_CASE("gp: one point by hand") {
  GaussianProcess gp(scaled_matern52(1, 2.0, Eigen::VectorXd::Constant(1, 0.5)), raw_options());
  gp.set_data(Eigen::MatrixXd::Constant(1, 1, 0.3), Eigen::VectorXd::Constant(1, 1.5));
  const double ks = 2.0 * matern52(0.4 / 0.5);
  const Prediction p = gp.predict(Eigen::MatrixXd::Constant(1, 1, 0.7));
  CHECK(p.mean(0) == Approx(ks / 2.1 * 1.5).epsilon(1e-12));
  CHECK(p.variance(0) == Approx(2.0 - ks * ks / 2.1).epsilon(1e-12));
  const Prediction pn = gp.predict(Eigen::MatrixXd::Constant(1, 1, 0.7), {.include_noise = true});
  CHECK(pn.variance(0) == Approx(2.1 - ks * ks / 2.1).epsilon(1e-12));
  CHECK(gp.log_marginal_likelihood() ==
        Approx(-0.5 * 1.5 * 1.5 / 2.1 - 0.5 * std::log(2.1) - 0.5 * kLog2Pi).epsilon(1e-12));
}

TEST_CASE("gp: two points and a constant mean by hand") {
  GaussianProcess gp(scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 1.0)),
                     raw_options(MeanOptions::Kind::Constant, 0.25));
  gp.set_params(Eigen::Vector4d(0.0, 0.0, std::log(0.25), 0.5));  // outputscale, lengthscale, noise, mean
  Eigen::MatrixXd X(2, 1);
  X << 0.0, 0.6;
  gp.set_data(X, Eigen::Vector2d(1.0, 2.0));
  const double a = 1.25, b = matern52(0.6), det = a * a - b * b;
  const Eigen::Vector2d r(0.5, 1.5);
  const Eigen::Vector2d alpha(( a * r(0) - b * r(1)) / det, (-b * r(0) + a * r(1)) / det);
  CHECK(gp.log_marginal_likelihood() == Approx(-0.5 * r.dot(alpha) - 0.5 * std::log(det) - kLog2Pi).epsilon(1e-12));
  const Eigen::Vector2d k(matern52(0.3), matern52(0.3));  // test point halfway
  const Prediction p = gp.predict(Eigen::MatrixXd::Constant(1, 1, 0.3));
  CHECK(p.mean(0) == Approx(0.5 + k.dot(alpha)).epsilon(1e-12));
  const double quad = (a * (k(0) * k(0) + k(1) * k(1)) - 2.0 * b * k(0) * k(1)) / det;
  CHECK(p.variance(0) == Approx(1.0 - quad).epsilon(1e-12));
}

TEST_CASE("gp: no data gives the prior") {
  GpOptions o;
  o.mean.value = 0.7;
  GaussianProcess gp(scaled_matern52(2, 1.8, Eigen::Vector2d(0.3, 0.6)), o);
  const Eigen::MatrixXd Xs = grid_points(4, 2);
  const Prediction p = gp.predict(Xs, {.full_cov = true});
  CHECK((p.mean.array() == 0.7).all());
  CHECK(p.variance.isApprox(Eigen::VectorXd::Constant(4, 1.8), 1e-14));
  CHECK(p.covariance.isApprox(gp.kernel().gram(Xs), 1e-14));
  CHECK(gp.log_marginal_likelihood() == 0.0);
  const PointPrediction g = gp.predict_gradient(Xs.row(0));
  CHECK(g.mean == 0.7);
  CHECK(g.mean_gradient.isZero());
}

TEST_CASE("gp: log marginal likelihood equals the Gaussian log density of the modeled targets") {
  GaussianProcess gp = mapped_model(25);
  const Eigen::MatrixXd Xm = gp.input_map().apply(gp.X());
  const Eigen::VectorXd ym = (gp.y().array() - gp.output_map().shift) / gp.output_map().scale;
  Eigen::MatrixXd K = gp.kernel().gram(Xm);
  K.diagonal().array() += gp.noise_variance();
  const Eigen::VectorXd r = ym.array() - gp.mean_value();
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(K);
  const double expected = -0.5 * r.dot(ldlt.solve(r)) - 0.5 * ldlt.vectorD().array().log().sum() - 12.5 * kLog2Pi;
  CHECK(gp.log_marginal_likelihood() == Approx(expected).epsilon(1e-10));
  CHECK(gp.lml_and_gradient(gp.params(), nullptr) == Approx(expected).epsilon(1e-10));
}

TEST_CASE("gp: LML and log-posterior gradients match finite differences for every kind of parameter") {
  GaussianProcess gp = mapped_model(30);
  GpOptions o = gp.options();
  o.noise.prior = Prior::gamma(1.1, 0.05);
  o.mean.prior_sd = 2.0;
  auto kernel = gp.kernel().clone();
  kernel->set_prior("lengthscale", Prior::log_normal(0.0, 1.0));
  kernel->set_prior("outputscale", Prior::gamma(2.0, 0.15));
  GaussianProcess model(std::move(kernel), o);
  model.set_data(gp.X(), gp.y());
  const Eigen::VectorXd p = model.params();
  REQUIRE(p.size() == 1 + 3 + 1 + 1);
  for (int with_prior = 0; with_prior < 2; ++with_prior) {
    auto f = [&](const Eigen::VectorXd& q, Eigen::VectorXd* g) {
      return with_prior ? model.log_posterior_and_gradient(q, g) : model.lml_and_gradient(q, g);
    };
    Eigen::VectorXd g;
    f(p, &g);
    for (Eigen::Index i = 0; i < p.size(); ++i) {
      const double h = 1e-5;
      Eigen::VectorXd a = p, b = p;
      a(i) += h;
      b(i) -= h;
      const double fd = (f(a, nullptr) - f(b, nullptr)) / (2 * h);
      INFO("parameter " << model.param_names()[static_cast<std::size_t>(i)] << " prior " << with_prior);
      CHECK(g(i) == Approx(fd).epsilon(1e-6).margin(1e-7));
    }
  }
  Eigen::VectorXd gp_prior;
  const double lp = model.log_prior(p, &gp_prior);
  Eigen::VectorXd g_lml, g_post;
  CHECK(model.log_posterior_and_gradient(p, &g_post) == Approx(model.lml_and_gradient(p, &g_lml) + lp));
  CHECK(g_post.isApprox(g_lml + gp_prior, 1e-12));
}

TEST_CASE("gp: batched predictions match the textbook formulas, in user units") {
  GaussianProcess gp = mapped_model(20);
  const Eigen::MatrixXd Xs = 4.0 * grid_points(7, 3, 0.37).array() - 1.0;
  const Prediction p = gp.predict(Xs, {.full_cov = true, .include_noise = false});
  const Eigen::MatrixXd Xm = gp.input_map().apply(gp.X()), Xsm = gp.input_map().apply(Xs);
  Eigen::MatrixXd K = gp.kernel().gram(Xm);
  K.diagonal().array() += gp.noise_variance();
  const Eigen::MatrixXd Ks = gp.kernel().eval(Xm, Xsm);
  const Eigen::VectorXd r = (gp.y().array() - gp.output_map().shift) / gp.output_map().scale - gp.mean_value();
  const double s = gp.output_map().scale;
  const Eigen::VectorXd mean = ((gp.mean_value() + (Ks.transpose() * K.ldlt().solve(r)).array()) * s + gp.output_map().shift).matrix();
  const Eigen::MatrixXd cov = (gp.kernel().gram(Xsm) - Ks.transpose() * K.ldlt().solve(Ks)) * s * s;
  CHECK(p.mean.isApprox(mean, 1e-10));
  CHECK((p.covariance - cov).norm() < 1e-9 * cov.norm());
  CHECK(p.variance.isApprox(cov.diagonal(), 1e-8));
  const Prediction pv = gp.predict(Xs);
  CHECK(pv.variance.isApprox(p.variance, 1e-12));
  CHECK(pv.covariance.size() == 0);
  const Prediction pn = gp.predict(Xs, {.include_noise = true});
  CHECK((pn.variance - p.variance).isApprox(Eigen::VectorXd::Constant(7, gp.noise_variance() * s * s), 1e-9));
  // Means only: the same means (in blocks of 3 rows too), no variance.
  const Prediction pm = gp.predict(Xs, {.include_noise = true, .mean_only = true, .block_rows = 3});
  CHECK(pm.mean.isApprox(mean, 1e-10));
  CHECK(pm.variance.size() == 0);
  CHECK_THROWS_WITH(gp.predict(Xs, {.full_cov = true, .mean_only = true}), Catch::Contains("mean_only excludes full_cov"));
}

TEST_CASE("gp: predict_gradient agrees with predict and with finite differences") {
  GaussianProcess gp = mapped_model(20);
  const Eigen::RowVectorXd x = Eigen::RowVector3d(0.3, -0.2, 1.7);
  const PointPrediction g = gp.predict_gradient(x);
  const Prediction p = gp.predict(x);
  CHECK(g.mean == Approx(p.mean(0)).epsilon(1e-12));
  CHECK(g.variance == Approx(p.variance(0)).epsilon(1e-10));
  CHECK(gp.predict_gradient(x, true).variance == Approx(gp.predict(x, {.include_noise = true}).variance(0)));
  for (int j = 0; j < 3; ++j) {
    const double h = 1e-6;
    Eigen::RowVectorXd a = x, b = x;
    a(j) += h;
    b(j) -= h;
    const Prediction pa = gp.predict(a), pb = gp.predict(b);
    CHECK(g.mean_gradient(j) == Approx((pa.mean(0) - pb.mean(0)) / (2 * h)).epsilon(1e-5).margin(1e-6));
    CHECK(g.variance_gradient(j) == Approx((pa.variance(0) - pb.variance(0)) / (2 * h)).epsilon(1e-5).margin(1e-6));
  }
}

TEST_CASE("gp: add_point agrees with a full refactorization") {
  GaussianProcess inc = mapped_model(40);
  const Eigen::MatrixXd X = inc.X();
  const Eigen::VectorXd y = inc.y();
  inc.set_data(X.topRows(25), y.head(25), inc.input_map(), inc.output_map());
  for (int i = 25; i < 40; ++i) inc.add_point(X.row(i), y(i));
  GaussianProcess full = inc;
  full.set_data(X, y, inc.input_map(), inc.output_map());
  const Eigen::MatrixXd Xs = 4.0 * grid_points(9, 3, 0.11).array() - 1.0;
  const Prediction a = inc.predict(Xs), b = full.predict(Xs);
  CHECK(a.mean.isApprox(b.mean, 1e-10));
  CHECK(a.variance.isApprox(b.variance, 1e-8));
  CHECK(inc.log_marginal_likelihood() == Approx(full.log_marginal_likelihood()).epsilon(1e-10));
  CHECK(inc.X() == X);
  // A copy carries the incremental state on: one more point on the copy, vs refactorizing.
  GaussianProcess more = inc;
  const Eigen::RowVectorXd x_new = 0.5 * X.row(3).array() + 0.1;
  more.add_point(x_new, 0.3);
  GaussianProcess more_full = more;
  more_full.set_data(more.X(), more.y(), inc.input_map(), inc.output_map());
  CHECK(more.predict(Xs).mean.isApprox(more_full.predict(Xs).mean, 1e-10));
  CHECK(more.log_marginal_likelihood() == Approx(more_full.log_marginal_likelihood()).epsilon(1e-10));

  // Starting from nothing, and adding an exact duplicate (falls back to jittered refactorization
  // only if it must; with noise it does not).
  GaussianProcess empty(scaled_matern52(3, 1.0, Eigen::Vector3d(0.5, 0.5, 0.5)), raw_options());
  empty.add_point(X.row(0), y(0));
  empty.add_point(X.row(0), y(0) + 1.0);
  CHECK(empty.size() == 2);
  CHECK(empty.predict(X.row(0)).mean(0) == Approx(1.0 / (2.0 + 0.1) * (2 * y(0) + 1.0)).epsilon(1e-10));
}

TEST_CASE("gp: grown point by point from empty with the default maps, never fitted, it works in the outputs' units") {
  // A user's online model: the first value was 1e-9, and the map standardized by it (the scale
  // of a constant), so every later sd came out 1e-9 times too small (1.1e-10 where the value
  // varied by 1). Now the first point only centres the outputs.
  for (const double first : {1e-9, 100.0, 0.0}) {
    GaussianProcess g(parse_kernel("matern52", 1), GpOptions{});
    g.add_point(Eigen::RowVectorXd::Constant(1, 0.0), first);
    for (int i = 1; i < 10; ++i) g.add_point(Eigen::RowVectorXd::Constant(1, 0.5 * i), std::sin(0.5 * i));
    INFO("first value " << first);
    CHECK(g.output_map().shift == first);
    CHECK(g.output_map().scale == 1.0);
    // Far from the data the sd returns to the prior's (outputscale 1, in the outputs' units).
    CHECK(std::sqrt(g.predict(Eigen::RowVectorXd::Constant(1, 50.0)).variance(0)) == Approx(1.0).epsilon(0.01));
    // Between the points, close to sin (its spacing of 0.5 resolves it), unless the first value
    // (the prior mean now) lies 100 prior sds away from the rest.
    if (first != 100.0) CHECK(g.predict(Eigen::RowVectorXd::Constant(1, 2.25)).mean(0) == Approx(std::sin(2.25)).margin(0.05));
  }
}

TEST_CASE("gp: one point set with set_data is the model add_point makes of it; equal values scale by their size") {
  // set_data scaled a single value by its magnitude (prior variance 2500 for a value of 50)
  // where add_point left it unscaled (1): the same data, two models.
  const Eigen::MatrixXd X = Eigen::MatrixXd::Constant(1, 1, 0.3);
  for (const double value : {50.0, 1e-9, 0.0}) {
    GaussianProcess set(parse_kernel("matern52", 1), GpOptions{}), grown(parse_kernel("matern52", 1), GpOptions{});
    set.set_data(X, Eigen::VectorXd::Constant(1, value));
    grown.add_point(X.row(0), value);
    INFO("value " << value);
    CHECK(set.output_map().shift == value);
    CHECK(set.output_map().scale == 1.0);
    const Eigen::RowVectorXd far = Eigen::RowVectorXd::Constant(1, 40.0);
    CHECK(set.predict(far).variance(0) == grown.predict(far).variance(0));
    CHECK(set.predict(far).mean(0) == grown.predict(far).mean(0));
  }
  // Two or more equal values keep the constant's scale, their magnitude.
  GaussianProcess equal(parse_kernel("matern52", 1), GpOptions{});
  equal.set_data(Eigen::MatrixXd::Constant(2, 1, 0.3) + Eigen::MatrixXd((Eigen::MatrixXd(2, 1) << 0.0, 0.2).finished()),
                 Eigen::VectorXd::Constant(2, -50.0));
  CHECK(equal.output_map().scale == 50.0);
}

TEST_CASE("gp: a white kernel term is observation noise, also at training inputs and repeated points") {
  // se + white(0.1) with (almost) no GP noise is the same model as se with noise 0.1: the same
  // smoothed mean at training inputs (not the training targets), the same variance of a new
  // noisy observation, and the same latent (noise-free) variance. scikit-learn's predict keeps a
  // WhiteKernel in its variance; a latent prediction here leaves it out, as it leaves out the
  // noise (it used to keep it: 6x too wide a noise-free band on a reviewer's data).
  GpOptions tiny = raw_options(MeanOptions::Kind::Zero, 1e-6);
  tiny.noise.learn = false;
  GpOptions noisy = raw_options(MeanOptions::Kind::Zero, 0.1 + 1e-6);
  noisy.noise.learn = false;
  GaussianProcess white(std::make_unique<SumKernel>(test::scaled_rbf(1, 2.0, Eigen::VectorXd::Constant(1, 0.3)),
                                                    std::make_unique<WhiteKernel>(1, 0.1)),
                        tiny);
  GaussianProcess plain(test::scaled_rbf(1, 2.0, Eigen::VectorXd::Constant(1, 0.3)), noisy);
  Eigen::MatrixXd X(6, 1);
  X << 0.1, 0.4, 0.45, 0.7, 0.4, 0.9;  // 0.4 twice
  const Eigen::VectorXd y = (Eigen::VectorXd(6) << 0.3, -0.2, 0.1, 0.8, 0.25, -0.5).finished();
  white.set_data(X, y);
  plain.set_data(X, y);
  Eigen::MatrixXd Xs(4, 1);
  Xs << 0.4, 0.1, 0.55, 1.3;  // training inputs and new ones
  const Prediction a = white.predict(Xs, {.include_noise = true}), b = plain.predict(Xs, {.include_noise = true});
  CHECK(a.mean.isApprox(b.mean, 1e-12));
  CHECK(a.variance.isApprox(b.variance, 1e-12));
  CHECK(a.variance(0) > 0.1);  // not a copy of the data with no uncertainty
  CHECK(std::abs(a.mean(0) - y(1)) > 0.05);
  const Prediction la = white.predict(Xs), lb = plain.predict(Xs);
  CHECK(la.variance.isApprox(lb.variance, 1e-10));
  CHECK(((a.variance - la.variance).array() - (0.1 + 1e-6)).abs().maxCoeff() < 1e-12);  // white and noise
  const Prediction fa = white.predict(Xs, {.full_cov = true}), fb = plain.predict(Xs, {.full_cov = true});
  CHECK(fa.covariance.isApprox(fb.covariance, 1e-10));
  for (Eigen::Index i = 0; i < Xs.rows(); ++i) {
    const PointPrediction pa = white.predict_gradient(Xs.row(i)), pb = plain.predict_gradient(Xs.row(i));
    CHECK(pa.variance == Approx(pb.variance).epsilon(1e-10));
    CHECK(white.predict_gradient(Xs.row(i), true).variance == Approx(a.variance(i)).epsilon(1e-10));
  }
  CHECK(white.log_marginal_likelihood() == Approx(plain.log_marginal_likelihood()).epsilon(1e-12));

  // add_point of a repeated input extends the same model as a full refactorization.
  GaussianProcess grown = white;
  grown.set_data(X.topRows(4), y.head(4));
  grown.add_point(X.row(4), y(4));
  grown.add_point(X.row(5), y(5));
  CHECK(grown.log_marginal_likelihood() == Approx(white.log_marginal_likelihood()).epsilon(1e-10));
  CHECK(grown.predict(Xs).mean.isApprox(a.mean, 1e-10));
}

TEST_CASE("gp: closed-form leave-one-out equals refitting without each point") {
  GaussianProcess gp = mapped_model(15);
  const LooPrediction loo = gp.loo();
  for (Eigen::Index i = 0; i < gp.size(); ++i) {
    Eigen::MatrixXd X(gp.size() - 1, 3);
    Eigen::VectorXd y(gp.size() - 1);
    for (Eigen::Index a = 0, b = 0; a < gp.size(); ++a) {
      if (a == i) continue;
      X.row(b) = gp.X().row(a);
      y(b++) = gp.y()(a);
    }
    GaussianProcess minus = gp;
    minus.set_data(X, y, gp.input_map(), gp.output_map());
    const Prediction p = minus.predict(gp.X().row(i), {.include_noise = true});
    CHECK(loo.mean(i) == Approx(p.mean(0)).epsilon(1e-9));
    CHECK(loo.variance(i) == Approx(p.variance(0)).epsilon(1e-8));
  }
}

TEST_CASE("gp: duplicate points without noise are handled by jitter") {
  GpOptions o = raw_options(MeanOptions::Kind::Zero, 0.0);
  o.noise.learn = false;
  GaussianProcess gp(scaled_matern52(2, 1.0, Eigen::Vector2d(0.3, 0.3)), o);
  Eigen::MatrixXd X(4, 2);
  X << 0.1, 0.2, 0.5, 0.5, 0.1, 0.2, 0.9, 0.1;
  gp.set_data(X, Eigen::Vector4d(1.0, 0.0, 1.0, -1.0));
  CHECK(gp.jitter() > 0.0);
  CHECK(gp.jitter() <= 1e-4);
  const Prediction p = gp.predict(X);
  CHECK(p.mean.allFinite());
  CHECK(p.mean(0) == Approx(1.0).margin(1e-3));
  CHECK(p.variance(0) == Approx(0.0).margin(1e-3));
  // The likelihood with its gradient takes a separate path (lower triangle first, then the
  // jittered retry); it must give the same value as without the gradient.
  Eigen::VectorXd g;
  const double with_gradient = gp.lml_and_gradient(gp.params(), &g);
  CHECK(std::isfinite(with_gradient));
  CHECK(g.allFinite());
  CHECK(with_gradient == Approx(gp.lml_and_gradient(gp.params(), nullptr)).epsilon(1e-12));
}

TEST_CASE("gp: y scaled by 1e6, 1e-6 and 1e150 gives the same fit and scaled predictions") {
  const Eigen::MatrixXd X = grid_points(30, 2);
  const Eigen::VectorXd y = smooth_function(X);
  const Eigen::MatrixXd Xs = grid_points(5, 2, 0.3);
  GaussianProcess base(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)));
  base.set_data(X, y);
  base.fit({.restarts = 1, .seed = 3});
  const Prediction p = base.predict(Xs);
  for (double factor : {1e6, 1e-6, 1e150}) {  // 1e150: squared deviations near the double range
    GaussianProcess gp(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)));
    gp.set_data(X, factor * y);
    gp.fit({.restarts = 1, .seed = 3});
    INFO("factor " << factor);
    INFO(gp.params().transpose() << " vs " << base.params().transpose());
    // Equal up to the optimizer's stopping tolerance (the standardized data differ by round-off).
    CHECK(gp.params().isApprox(base.params(), 1e-4));
    const Prediction q = gp.predict(Xs);
    CHECK((q.mean / factor).isApprox(p.mean, 1e-5));
    CHECK((q.variance / (factor * factor)).isApprox(p.variance, 1e-4));
  }
  // Beyond ~1e154 the variances themselves would overflow: a clear error, not NaN predictions.
  GaussianProcess huge(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)));
  CHECK_THROWS_WITH(huge.set_data(X, 1e200 * y), Catch::Contains("spread too widely"));
  // Below ~1e-154 they would underflow to 0 (sd 0, intervals of width 0): the same error.
  CHECK_THROWS_WITH(huge.set_data(X, 1e-200 * y), Catch::Contains("vary too little"));
  // A NaN or inf value is named as such, not as a scale problem (sd nan / sd inf).
  for (const double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    Eigen::VectorXd with_bad = y;
    with_bad(1) = bad;
    CHECK_THROWS_WITH(huge.set_data(X, with_bad),
                      "GaussianProcess: y: value 1 is not finite (" + std::string(std::isnan(bad) ? "nan" : "inf") + ")");
    Eigen::MatrixXd X_bad = X;
    X_bad(2, 1) = bad;  // and the point and column of a bad input, as predict names them
    CHECK_THROWS_WITH(huge.set_data(X_bad, y), "GaussianProcess: X: point 2 has a non-finite coordinate (column 1: " +
                                                   std::string(std::isnan(bad) ? "nan" : "inf") + ")");
  }
}

TEST_CASE("gp: joint posterior samples have the predicted mean and covariance, reproducibly") {
  GaussianProcess gp = mapped_model(12);
  const Eigen::MatrixXd Xs = 4.0 * grid_points(3, 3, 0.2).array() - 1.0;
  const Prediction p = gp.predict(Xs, {.full_cov = true});
  Rng rng = make_rng(11);
  const int S = 20000;
  const Eigen::MatrixXd draws = gp.sample_posterior(Xs, S, rng);
  REQUIRE(draws.rows() == 3);
  REQUIRE(draws.cols() == S);
  const Eigen::VectorXd m = draws.rowwise().mean();
  const Eigen::MatrixXd c = draws.colwise() - m;
  const Eigen::MatrixXd cov = c * c.transpose() / (S - 1);
  for (int i = 0; i < 3; ++i) {
    CHECK(std::abs(m(i) - p.mean(i)) < 5.0 * std::sqrt(p.variance(i) / S));
    for (int j = 0; j < 3; ++j) {
      const double se = std::sqrt((p.covariance(i, i) * p.covariance(j, j) + p.covariance(i, j) * p.covariance(i, j)) / S);
      CHECK(std::abs(cov(i, j) - p.covariance(i, j)) < 5.0 * se);
    }
  }
  Rng again = make_rng(11);
  CHECK(gp.sample_posterior(Xs, 5, again) == draws.leftCols(5));
}

TEST_CASE("gp: a constant input column around 1e16 is modeled as any constant column") {
  // lower + 1 == lower there: the automatic input map was refused ("input map: each upper bound
  // must be finite and above its lower bound") though the caller gave none.
  Eigen::MatrixXd X = grid_points(6, 2);
  X.col(1).setConstant(1e16);
  const Eigen::VectorXd y = X.col(0).array().sin();
  GaussianProcess big(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)));
  REQUIRE_NOTHROW(big.set_data(X, y));
  Eigen::MatrixXd X_small = X;
  X_small.col(1).setConstant(3.0);
  GaussianProcess small(scaled_matern52(2, 1.0, Eigen::Vector2d(1.0, 1.0)));
  small.set_data(X_small, y);
  CHECK(big.predict(X).mean.isApprox(small.predict(X_small).mean, 1e-12));
}

TEST_CASE("score_predictions: closed-form RMSE, NLPD and 95% coverage") {
  const Eigen::Vector3d y(0.0, 1.0, -3.0), mean(0.0, 0.0, 0.0), variance(1.0, 4.0, 1.0);
  const gpbo::PredictiveScores s = gpbo::score_predictions(y, mean, variance);
  CHECK(s.rmse == Approx(std::sqrt(10.0 / 3.0)));
  // -log N(y | 0, v) = 0.5 log(2 pi v) + y^2 / (2 v)
  const double two_pi = 2.0 * std::numbers::pi;
  CHECK(s.nlpd == Approx((0.5 * std::log(two_pi) + 0.5 * std::log(4.0 * two_pi) + 0.125 + 0.5 * std::log(two_pi) + 4.5) / 3.0));
  CHECK(s.coverage95 == Approx(2.0 / 3.0));  // |-3| > 1.96
  CHECK_THROWS_AS(gpbo::score_predictions(y, mean.head(2), variance), std::invalid_argument);
}

TEST_CASE("gp: a model grown from empty by add_point fits with maps of all its data, as set_data's") {
  // The first add_point fixed the output scale at |y0| (1e-3 here) for good: after fit(), the
  // mean at x = 30 was 0.0028 where the same data through set_data gave 4.34.
  const Eigen::MatrixXd X = 10.0 * grid_points(20, 1).array();
  Eigen::VectorXd y = smooth_function(X) + Eigen::VectorXd::Constant(20, 4.0);
  y(0) = 1e-3;
  GaussianProcess grown(scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)));
  for (Eigen::Index i = 0; i < X.rows(); ++i) grown.add_point(X.row(i), y(i));
  GaussianProcess direct(scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)));
  direct.set_data(X, y);
  FitOptions f;
  f.restarts = 2;
  f.seed = 3;
  grown.fit(f);
  direct.fit(f);
  CHECK(grown.output_map().scale == Approx(direct.output_map().scale));
  Eigen::MatrixXd Xs(3, 1);
  Xs << 5.0, 9.5, 30.0;
  const Prediction a = grown.predict(Xs), b = direct.predict(Xs);
  CHECK(a.mean.isApprox(b.mean, 1e-6));
  CHECK(a.variance.isApprox(b.variance, 1e-6));
  // Maps given explicitly stay as given.
  GaussianProcess given(scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)));
  given.set_data(X.topRows(10), y.head(10), InputMap{}, OutputMap{0.0, 2.0});
  for (Eigen::Index i = 10; i < X.rows(); ++i) given.add_point(X.row(i), y(i));
  given.fit(f);
  CHECK(given.output_map().scale == 2.0);
}

TEST_CASE("gp: a set_params that cannot factorize leaves the model as it was") {
  // Two output scales, each within its bounds, whose product overflows the Gram matrix.
  KernelPtr k = std::make_unique<ScaleKernel>(scaled_matern52(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)));
  for (const char* name : {"outputscale", "base.outputscale"}) REQUIRE(k->set_bounds(name, 1e-300, 1e300) == 1);
  GaussianProcess gp(std::move(k), raw_options(MeanOptions::Kind::Zero, 1e-8));
  const Eigen::MatrixXd X = grid_points(6, 1);
  gp.set_data(X, smooth_function(X));
  const Eigen::VectorXd before = gp.params();
  const Prediction p0 = gp.predict(X);
  Eigen::VectorXd huge = before;
  huge(0) = huge(1) = 460.0;  // log output scales: 1e200 each
  CHECK_THROWS_AS(gp.set_params(huge), CholeskyError);
  huge(0) = 800.0;  // outside its bounds: refused before anything changes
  CHECK_THROWS_WITH(gp.set_params(huge), Catch::Contains("= 800 is outside its bounds"));
  CHECK(gp.params() == before);
  CHECK(gp.predict(X).mean.isApprox(p0.mean));
  gp.add_point(Eigen::RowVectorXd::Constant(1, 0.33), 0.1);  // still usable
  CHECK(gp.size() == 7);
}

TEST_CASE("gp: predictions in blocks of test points equal one block") {
  GaussianProcess gp = mapped_model(30);
  const Eigen::MatrixXd Xs = 4.0 * grid_points(101, 3, 0.07).array() - 1.0;
  PredictOptions one, blocks;
  one.block_rows = 1000;
  blocks.block_rows = 7;  // 14 full blocks and a partial one
  for (bool noise : {false, true}) {
    one.include_noise = blocks.include_noise = noise;
    const Prediction a = gp.predict(Xs, one), b = gp.predict(Xs, blocks);
    CHECK(a.mean.isApprox(b.mean, 1e-14));
    CHECK(a.variance.isApprox(b.variance, 1e-14));
  }
  PredictOptions full;
  full.full_cov = true;
  blocks.include_noise = false;
  CHECK(gp.predict(Xs, full).variance.isApprox(gp.predict(Xs, blocks).variance, 1e-10));
}

TEST_CASE("gp: a set_data or add_point that throws leaves the model as it was") {
  // A reviewer's case: a 3-column X on a 2-input kernel threw from the kernel after the model had
  // taken the new width, so the right data was refused ever after.
  GaussianProcess gp(test::scaled_rbf(2, 1.0, Eigen::Vector2d(0.3, 0.5)), raw_options(MeanOptions::Kind::Zero, 1e-4));
  const Eigen::MatrixXd X = grid_points(9, 2);
  const Eigen::VectorXd y = smooth_function(X);
  CHECK_THROWS(gp.set_data(grid_points(9, 3), y));
  CHECK(gp.size() == 0);
  gp.set_data(X, y);
  const Prediction before = gp.predict(X.topRows(3));
  CHECK_THROWS(gp.set_data(grid_points(9, 3), y));
  CHECK(gp.size() == 9);
  const Prediction after = gp.predict(X.topRows(3));
  CHECK(after.mean == before.mean);
  CHECK(after.variance == before.variance);
}

TEST_CASE("gp: a white term inside scale(...) is noise too, not part of the latent function") {
  // scale(se + white) with outputscale 2 is 2 se + 2 white: its latent variance is that of 2 se.
  GpOptions o = raw_options(MeanOptions::Kind::Zero, 1e-6);
  o.noise.learn = false;
  auto sum = std::make_unique<SumKernel>(test::scaled_rbf(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)),
                                         std::make_unique<WhiteKernel>(1, 0.1));
  GaussianProcess scaled(std::make_unique<ScaleKernel>(std::move(sum), 2.0), o);
  GaussianProcess flat(std::make_unique<SumKernel>(test::scaled_rbf(1, 2.0, Eigen::VectorXd::Constant(1, 0.3)),
                                                   std::make_unique<WhiteKernel>(1, 0.2)),
                       o);
  Eigen::MatrixXd X(4, 1);
  X << 0.1, 0.4, 0.7, 0.9;
  const Eigen::VectorXd y = (Eigen::VectorXd(4) << 0.3, -0.2, 0.8, -0.5).finished();
  scaled.set_data(X, y);
  flat.set_data(X, y);
  Eigen::MatrixXd Xs(3, 1);
  Xs << 0.4, 0.55, 1.3;
  CHECK(scaled.predict(Xs).variance.isApprox(flat.predict(Xs).variance, 1e-10));
  CHECK(scaled.predict(Xs, {.include_noise = true}).variance.isApprox(flat.predict(Xs, {.include_noise = true}).variance, 1e-10));
  CHECK(has_white(scaled.kernel()));
}

TEST_CASE("gp: a white factor of a product is noise, also when it varies with x (linear * white)") {
  // k = se + linear * white: observation noise of variance 0.05 * x^2 on top of se. The latent
  // prediction is that of se with this heteroscedastic noise, computed here by hand.
  GpOptions o = raw_options(MeanOptions::Kind::Zero, 1e-6);
  o.noise.learn = false;
  const KernelPtr kernel = parse_kernel("se + linear * white", 1);
  auto hp = kernel->hyperparameters();
  for (auto& h : hp) {
    if (h.name.find("noise_variance") != std::string::npos) h.log_value = std::log(0.05);
    if (h.name.find("lengthscale") != std::string::npos) h.log_value = std::log(0.4);
  }
  kernel->set_hyperparameters(hp);
  GaussianProcess gp(kernel->clone(), o);
  Eigen::MatrixXd X(5, 1);
  X << 0.2, 0.5, 0.9, 1.4, 2.0;
  const Eigen::VectorXd y = (Eigen::VectorXd(5) << 0.3, -0.2, 0.8, -0.5, 0.1).finished();
  gp.set_data(X, y);
  Eigen::MatrixXd Xs(3, 1);
  Xs << 0.5, 1.1, 2.5;
  const KernelPtr se = without_white(*kernel);
  REQUIRE(se->expression() == "scale(se)");
  const KernelPtr linear = parse_kernel("linear", 1);
  Eigen::MatrixXd K = se->gram(X);
  K.diagonal() += 0.05 * linear->diag(X) + Eigen::VectorXd::Constant(5, 1e-6);
  const Eigen::LLT<Eigen::MatrixXd> llt(K);
  const Eigen::MatrixXd Ks = se->eval(X, Xs);
  const Eigen::VectorXd latent = se->diag(Xs) - (Ks.transpose() * llt.solve(Ks)).diagonal();
  const Prediction p = gp.predict(Xs);
  CHECK(p.mean.isApprox(Ks.transpose() * llt.solve(y), 1e-10));
  CHECK(p.variance.isApprox(latent, 1e-10));
  // Noisy: plus the noise at each test point, 0.05 x^2 (and the GP's own 1e-6).
  const Eigen::VectorXd noisy = latent + 0.05 * linear->diag(Xs) + Eigen::VectorXd::Constant(3, 1e-6);
  CHECK(gp.predict(Xs, {.include_noise = true}).variance.isApprox(noisy, 1e-10));
  CHECK(gp.predict(Xs, {.full_cov = true}).variance.isApprox(latent, 1e-10));
  // The point prediction and its variance gradient agree (central differences).
  for (const bool noise : {false, true}) {
    INFO("include_noise " << noise);
    const Eigen::RowVectorXd x = Xs.row(1);
    const PointPrediction pp = gp.predict_gradient(x, noise);
    CHECK(pp.variance == Approx(gp.predict(Xs.row(1), {.include_noise = noise}).variance(0)).epsilon(1e-10));
    const double h = 1e-6;
    const double up = gp.predict(Eigen::MatrixXd::Constant(1, 1, x(0) + h), {.include_noise = noise}).variance(0);
    const double down = gp.predict(Eigen::MatrixXd::Constant(1, 1, x(0) - h), {.include_noise = noise}).variance(0);
    CHECK(pp.variance_gradient(0) == Approx((up - down) / (2 * h)).epsilon(1e-6));
  }
}

TEST_CASE("gp: options that a saved model could not hold are refused, naming the field") {
  GpOptions o;
  o.mean.lower = -std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(GaussianProcess(test::scaled_rbf(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)), o),
                    Catch::Contains("options mean/lower: must be finite"));
  GpOptions n;
  n.noise.upper = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(GaussianProcess(test::scaled_rbf(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)), n),
                    Catch::Contains("options noise/upper: must be finite and above noise/lower"));
  GpOptions m;
  m.mean.value = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(GaussianProcess(test::scaled_rbf(1, 1.0, Eigen::VectorXd::Constant(1, 0.3)), m),
                    Catch::Contains("options mean/value: must be finite"));
}
