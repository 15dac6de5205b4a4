#include <catch2/catch.hpp>

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/cauchy.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <Eigen/QR>
#include <cmath>
#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/mcmc/chains.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gpbo/mcmc/models/bradley_terry.hpp"
#include "gpbo/mcmc/models/eight_schools.hpp"
#include "gpbo/mcmc/models/linear_regression.hpp"
#include "gpbo/mcmc/models/logistic_regression.hpp"
#include "gpbo/mcmc/models/model_registry.hpp"
#include "gpbo/mcmc/models/normal_mixture.hpp"
#include "gpbo/mcmc/models/scaled_gaussian.hpp"

using namespace gpbo::mcmc;
using namespace gpbo::mcmc::models;
namespace bm = boost::math;

namespace {
const std::string kData = std::string(GPBO_SOURCE_DIR) + "/tests/reference/mcmc_data/";

// Central finite differences of the log density against the analytic gradient.
void check_gradient(const LogDensity& model, std::uint64_t seed, double radius = 1.5) {
  auto rng = gpbo::make_rng(seed);
  for (int trial = 0; trial < 3; ++trial) {
    Eigen::VectorXd x(model.dimension()), g;
    for (int i = 0; i < x.size(); ++i) x(i) = gpbo::uniform(rng, -radius, radius);
    const double lp = model.log_density_gradient(x, g);
    REQUIRE(std::isfinite(lp));
    CHECK(model.log_density(x) == Approx(lp).epsilon(1e-12));
    REQUIRE(g.size() == x.size());
    for (int i = 0; i < x.size(); ++i) {
      const double h = 1e-5 * std::max(1.0, std::abs(x(i)));
      Eigen::VectorXd xp = x, xm = x;
      xp(i) += h;
      xm(i) -= h;
      const double fd = (model.log_density(xp) - model.log_density(xm)) / (2 * h);
      INFO(model.name() << " coordinate " << i << " (" << model.parameter_names()[i] << ")");
      CHECK(g(i) == Approx(fd).epsilon(1e-6).margin(1e-6 * std::max(1.0, std::abs(lp))));
    }
  }
}

// log p(a) - log p(b) of the model against the same difference from a reference density.
template <class Ref>
void check_density_differences(const LogDensity& model, Ref reference, std::uint64_t seed) {
  auto rng = gpbo::make_rng(seed);
  Eigen::VectorXd a(model.dimension()), b(model.dimension());
  for (int t = 0; t < 3; ++t) {
    for (int i = 0; i < a.size(); ++i) {
      a(i) = gpbo::uniform(rng, -1.5, 1.5);
      b(i) = gpbo::uniform(rng, -1.5, 1.5);
    }
    CHECK(model.log_density(a) - model.log_density(b) == Approx(reference(a) - reference(b)).epsilon(1e-9));
  }
}
}  // namespace

TEST_CASE("models: analytic gradients match finite differences") {
  check_gradient(ScaledGaussian(100), 1);
  check_gradient(*load_model("logistic", kData + "logistic.csv"), 2);
  check_gradient(*load_model("eight_schools", kData + "eight_schools.csv"), 3);
  check_gradient(*load_model("bradley_terry", kData + "matches.csv"), 4);
  check_gradient(*load_model("mixture", kData + "mixture.csv"), 5);
  const auto lin = gpbo::parse_csv("x1,x2,y\n0.5,1,2\n-1,0.3,0.1\n2,-1,1.5\n0.1,0.2,-0.7\n", "lin.csv");
  check_gradient(LinearRegression::from_csv(lin), 6);
}

TEST_CASE("models: every model with data says its columns, and they are the columns it asks for") {
  for (const auto& name : model_names()) {
    INFO(name);
    CHECK(model_needs_data(name) == !model_data_columns(name).empty());
  }
  // A file without them is refused naming the same columns.
  const auto message = [](auto from_csv) {
    try {
      from_csv(gpbo::parse_csv("other\n1\n", "data.csv"));
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(message([](const gpbo::CsvTable& t) { (void)EightSchools::from_csv(t); }), Contains("expected columns: y, sigma"));
  CHECK(model_data_columns("eight_schools").rfind("y, sigma", 0) == 0);
  CHECK_THAT(message([](const gpbo::CsvTable& t) { (void)BradleyTerry::from_csv(t, 3); }), Contains("expected columns: winner, loser"));
  CHECK(model_data_columns("bradley_terry").rfind("winner, loser", 0) == 0);
  CHECK_THAT(message([](const gpbo::CsvTable& t) { (void)NormalMixture::from_csv(t); }), Contains("expected columns: y"));
}

TEST_CASE("models: the mixture's gradient stays finite where a component's scale underflows") {
  // log sigma1 = -800: every z1 overflows to inf and component 1 takes no responsibility; its
  // terms r1 * z1^2 were 0 * inf = NaN, a finite density with a NaN gradient (a warning seen
  // in 4 of 6 default runs on a user's data).
  const auto model = load_model("mixture", kData + "mixture.csv");
  Eigen::VectorXd theta(5), grad;
  theta << 0.3, -1.0, 0.5, -800.0, 0.2;
  const double lp = model->log_density_gradient(theta, grad);
  CHECK(std::isfinite(lp));
  INFO("gradient " << grad.transpose());
  CHECK(grad.allFinite());
  CHECK(grad(3) == Approx(800.0));  // only the lognormal prior's pull remains
}

TEST_CASE("models: log densities agree with Boost.Math densities plus log-Jacobians") {
  const auto es_table = gpbo::read_csv(kData + "eight_schools.csv");
  const auto es = EightSchools::from_csv(es_table);
  const Eigen::VectorXd y = es_table.column("y"), sigma = es_table.column("sigma");
  check_density_differences(
      es,
      [&](const Eigen::VectorXd& t) {
        const double mu = t(0), tau = std::exp(t(1));
        double lp = std::log(bm::pdf(bm::normal(0, 5), mu)) + std::log(2 * bm::pdf(bm::cauchy(0, 5), tau)) + t(1);
        for (int j = 0; j < y.size(); ++j)
          lp += std::log(bm::pdf(bm::normal(0, 1), t(2 + j))) +
                std::log(bm::pdf(bm::normal(mu + tau * t(2 + j), sigma(j)), y(j)));
        return lp;
      },
      11);
  const auto mix_table = gpbo::read_csv(kData + "mixture.csv");
  const auto mix = NormalMixture::from_csv(mix_table);
  const Eigen::VectorXd ym = mix_table.column("y");
  check_density_differences(
      mix,
      [&](const Eigen::VectorXd& t) {
        Eigen::VectorXd c;
        mix.outputs(t, c);  // w, mu1, mu2, s1, s2
        double lp = std::log(bm::pdf(bm::beta_distribution<>(2, 2), c(0))) + std::log(c(0) * (1 - c(0)));
        lp += std::log(bm::pdf(bm::normal(0, 5), c(1))) + std::log(bm::pdf(bm::normal(0, 5), c(2))) + t(2);
        for (int k : {3, 4}) lp += std::log(bm::pdf(bm::lognormal(0, 1), c(k))) + std::log(c(k));
        for (int n = 0; n < ym.size(); ++n)
          lp += std::log(c(0) * bm::pdf(bm::normal(c(1), c(3)), ym(n)) + (1 - c(0)) * bm::pdf(bm::normal(c(2), c(4)), ym(n)));
        return lp;
      },
      12);
  const auto bt_table = gpbo::parse_csv("winner,loser\n1,2\n3,1\n2,3\n1,3\n", "bt.csv");
  const auto bt = BradleyTerry::from_csv(bt_table);
  check_density_differences(
      bt,
      [&](const Eigen::VectorXd& t) {
        const double s = std::exp(t(0));
        double lp = std::log(2 * bm::pdf(bm::normal(0, 1), s)) + t(0);
        for (int p = 1; p <= 3; ++p) lp += std::log(bm::pdf(bm::normal(0, s), t(p)));
        for (int m = 0; m < 4; ++m) {
          const double d = t(int(bt_table.values(m, 0))) - t(int(bt_table.values(m, 1)));
          lp += std::log(1 / (1 + std::exp(-d)));
        }
        return lp;
      },
      13);
}

TEST_CASE("models: outputs map to the constrained space (ordered means, positive scales)") {
  const auto mix = NormalMixture(Eigen::VectorXd::LinSpaced(5, -1, 1));
  Eigen::VectorXd out;
  mix.outputs((Eigen::VectorXd(5) << 0.0, -1.0, std::log(2.0), 0.0, std::log(3.0)).finished(), out);
  CHECK(out(0) == Approx(0.5));
  CHECK(out(2) == Approx(1.0));
  CHECK(out(4) == Approx(3.0));
  CHECK(mix.output_names() == std::vector<std::string>{"w", "mu.1", "mu.2", "sigma.1", "sigma.2"});
  const auto es = EightSchools::from_csv(gpbo::read_csv(kData + "eight_schools.csv"));
  CHECK(es.output_names().size() == 18);
  CHECK(es.output_names()[10] == "theta.1");
}

TEST_CASE("models: bad data gets a clear error naming the file, line and column") {
  auto error_of = [](const std::string& model, const std::string& text) {
    const auto table = gpbo::parse_csv(text, "data.csv");
    try {
      if (model == "logistic") (void)LogisticRegression::from_csv(table);
      if (model == "eight_schools") (void)EightSchools::from_csv(table);
      if (model == "bradley_terry") (void)BradleyTerry::from_csv(table, 3);
      if (model == "mixture") (void)NormalMixture::from_csv(table);
      if (model == "linear") (void)LinearRegression::from_csv(table);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(error_of("logistic", "x1,y\n0.1,1\n0.2,2\n"), Contains("data.csv:3:2: value 2 in column 'y': must be 0 or 1"));
  CHECK_THAT(error_of("logistic", "x1,x2\n0.1,1\n"), Contains("missing column(s) y"));
  CHECK_THAT(error_of("logistic", "y\n1\n"), Contains("no error"));  // an intercept alone, as linear allows
  CHECK_THAT(error_of("linear", "y\n1\n2\n"), Contains("no error"));
  CHECK_THAT(error_of("eight_schools", "y,sigma\n1,2\n3,0\n"), Contains("data.csv:3:2: value 0 in column 'sigma'") && Contains("> 0"));
  // File lines, not data rows: blank and comment lines count.
  CHECK_THAT(error_of("eight_schools", "# schools\ny,sigma\n1,2\n\n3,-1\n"), Contains("data.csv:5:2: value -1 in column 'sigma'"));
  CHECK_THAT(error_of("eight_schools", "sigma,y\n2,1\n0,3\n"), Contains("data.csv:3:1: value 0 in column 'sigma'"));
  CHECK_THAT(error_of("eight_schools", "y,se\n1,2\n"), Contains("data.csv: missing column(s) sigma (expected columns: y, sigma; found: y, se)"));
  CHECK_THAT(error_of("eight_schools", "y,sigma,rank\n1,2,1\n3,4,2\n"), Contains("no error"));  // other columns are ignored
  CHECK_THAT(error_of("bradley_terry", "winner,loser\n1,2\n4,1\n"), Contains("data.csv:3:1: value 4 in column 'winner'") && Contains("out of range"));
  CHECK_THAT(error_of("bradley_terry", "winner,loser\n1,2.5\n"), Contains("data.csv:2:2: value 2.5 in column 'loser'") && Contains("integers"));
  CHECK_THAT(error_of("bradley_terry", "winner,loser\n0,2\n"), Contains("data.csv:2:1: value 0 in column 'winner'") && Contains("must be >= 1"));
  // Without an id >= 1 the player count is 0 or negative: the message must not read "[1, 0]".
  CHECK_THROWS_WITH(BradleyTerry::from_csv(gpbo::parse_csv("winner,loser\n0,-1\n", "low.csv")),
                    Contains("low.csv:2:1: value 0 in column 'winner'") && Contains("must be >= 1") && !Contains("[1, 0]"));
  CHECK_THAT(error_of("bradley_terry", "winner,loser\n2,2\n"), Contains("themself"));
  CHECK_THROWS_WITH(BradleyTerry::from_csv(gpbo::parse_csv("winner,loser\n1,2\n3,99\n2,3\n", "gap.csv")),
                    Contains("gap.csv:3:2: value 99 in column 'loser'") && Contains("95 of them (4 ... 98) are in no match"));
  CHECK_NOTHROW(BradleyTerry::from_csv(gpbo::parse_csv("winner,loser\n1,2\n3,99\n", "gap.csv"), 99));
  CHECK_THROWS_WITH(BradleyTerry::from_csv(gpbo::parse_csv("winner,loser\n1,2\n1,3e12\n", "big.csv")),
                    Contains("big.csv:3:2: value 3e+12 in column 'loser'") && Contains("implausible"));
  CHECK_THAT(error_of("mixture", "y\n"), Contains("at least 1 data row"));
  CHECK_THAT(error_of("linear", "x,y\n1,2\n"), Contains("at least 2 data row"));
  CHECK_THROWS_WITH(load_model("nope", ""), Contains("unknown model 'nope'") && Contains("eight_schools"));
  CHECK_THROWS_WITH(load_model("mixture", ""), Contains("needs a data file"));
  CHECK_THROWS_AS(load_model("mixture", kData + "does_not_exist.csv"), gpbo::CsvError);
}

TEST_CASE("models: linear regression posterior centres on least squares when the priors are weak") {
  // 200 points, y = 1 + 2 x1 - x2 + noise(0.5): with normal(0, 10) priors the posterior mean is
  // the least-squares fit up to shrinkage of order sigma^2 / (100 n var(x)) ~ 1e-5.
  auto rng = gpbo::make_rng(99);
  const int n = 200;
  Eigen::MatrixXd X(n, 2);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    X(i, 0) = gpbo::standard_normal(rng);
    X(i, 1) = gpbo::standard_normal(rng);
    y(i) = 1.0 + 2.0 * X(i, 0) - X(i, 1) + 0.5 * gpbo::standard_normal(rng);
  }
  Eigen::MatrixXd A(n, 3);
  A << Eigen::VectorXd::Ones(n), X;
  const Eigen::VectorXd ols = A.colPivHouseholderQr().solve(y);
  const double rss = (y - A * ols).squaredNorm();
  const LinearRegression model(X, y);
  ChainOptions opt;
  opt.sampler.warmup = 300;
  opt.sampler.draws = 500;
  const auto run = run_chains(model, "nuts", opt);
  for (int j = 0; j < 3; ++j) {
    const Eigen::MatrixXd draws = run.column(j);
    INFO(run.output_names[j] << ": " << draws.mean() << " vs OLS " << ols(j));
    CHECK(std::abs(draws.mean() - ols(j)) < 4 * mcse_mean(draws) + 1e-3);
  }
  // sigma's posterior sits near the residual standard deviation.
  CHECK(run.column(3).mean() == Approx(std::sqrt(rss / (n - 3))).epsilon(0.05));
}

TEST_CASE("models: linear regression without predictors estimates a mean and an sd") {
  // y alone is y ~ normal(alpha, sigma): the commonest model there is, refused before.
  const auto model = LinearRegression::from_csv(gpbo::parse_csv("y\n1.2\n0.4\n2.1\n1.7\n0.9\n1.4\n", "y.csv"));
  REQUIRE(model.dimension() == 2);
  CHECK(model.output_names() == std::vector<std::string>{"alpha", "sigma"});
  // At alpha = 1, sigma = 0.5: the normal log likelihood plus the priors and the log Jacobian.
  const Eigen::Vector2d theta(1.0, std::log(0.5));
  Eigen::VectorXd grad;
  const Eigen::VectorXd y = (Eigen::VectorXd(6) << 1.2, 0.4, 2.1, 1.7, 0.9, 1.4).finished();
  const double expected = -6.0 * std::log(0.5) - 0.5 * (y.array() - 1.0).square().sum() / 0.25 - 0.5 * 1.0 / 100.0 -
                          0.5 * 0.25 / 100.0 + std::log(0.5);
  CHECK(model.log_density_gradient(theta, grad) == Approx(expected).epsilon(1e-12));
  CHECK(grad(0) == Approx((y.array() - 1.0).sum() / 0.25 - 1.0 / 100.0).epsilon(1e-12));
}

TEST_CASE("models: logistic regression without predictors estimates a success rate") {
  // y alone is y ~ bernoulli_logit(alpha); with 4 successes in 6, at alpha = 0.3:
  // 4 alpha - 6 log(1 + e^alpha) - alpha^2 / (2 2.5^2), gradient 4 - 6 inv_logit(alpha) - alpha / 6.25.
  const auto model = LogisticRegression::from_csv(gpbo::parse_csv("y\n1\n0\n1\n1\n0\n1\n", "y.csv"));
  REQUIRE(model.dimension() == 1);
  CHECK(model.parameter_names() == std::vector<std::string>{"alpha"});
  CHECK(model.predictor_names().empty());
  // With predictors, beta.k is the k-th column but y, in file order.
  const auto two = LogisticRegression::from_csv(gpbo::parse_csv("x2,y,x1\n0.5,1,2\n-1,0,1\n", "x.csv"));
  CHECK(two.predictor_names() == std::vector<std::string>{"x2", "x1"});
  CHECK(LinearRegression::from_csv(gpbo::parse_csv("x2,y,x1\n0.5,1,2\n-1,0,1\n", "x.csv")).predictor_names() ==
        std::vector<std::string>{"x2", "x1"});
  Eigen::VectorXd grad;
  const double a = 0.3;
  CHECK(model.log_density_gradient(Eigen::VectorXd::Constant(1, a), grad) ==
        Approx(4 * a - 6 * std::log1p(std::exp(a)) - a * a / 12.5).epsilon(1e-12));
  CHECK(grad(0) == Approx(4 - 6 / (1 + std::exp(-a)) - a / 6.25).epsilon(1e-12));
}
