#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "gpbo/bayesopt/acquisition.hpp"

using namespace gpbo::bo;

namespace {

double fd(const std::function<double(double)>& f, double x, double h) { return (f(x + h) - f(x - h)) / (2 * h); }

void check_terms_by_fd(AcquisitionKind kind, double mean, double var, double best, double beta) {
  const AcqTerms t = acquisition_terms(kind, mean, var, best, beta);
  const double hm = 1e-6 * std::max(1.0, std::abs(mean)), hv = 1e-6 * var;
  const double dm = fd([&](double m) { return acquisition_terms(kind, m, var, best, beta).value; }, mean, hm);
  const double dv = fd([&](double v) { return acquisition_terms(kind, mean, v, best, beta).value; }, var, hv);
  INFO(to_string(kind) << " mean=" << mean << " var=" << var << " best=" << best);
  CHECK(t.d_mean == Approx(dm).epsilon(1e-5).margin(1e-9));
  CHECK(t.d_var == Approx(dv).epsilon(1e-5).margin(1e-9));
}

}  // namespace

TEST_CASE("acquisition: derivatives in mean and variance match finite differences") {
  for (auto kind : {AcquisitionKind::LogEI, AcquisitionKind::EI, AcquisitionKind::LogPI, AcquisitionKind::UCB,
                    AcquisitionKind::NoisyEI})
    for (double mean : {-1.3, 0.0, 0.4, 2.5, 9.0})
      for (double var : {0.01, 0.3, 2.0}) check_terms_by_fd(kind, mean, var, 0.1, 3.0);
  // Far in the tail (z = -40 and z = -400), only the log forms are representable.
  for (auto kind : {AcquisitionKind::LogEI, AcquisitionKind::LogPI}) {
    check_terms_by_fd(kind, 40.0, 1.0, 0.0, 0.0);
    check_terms_by_fd(kind, 400.0, 1.0, 0.0, 0.0);
    check_terms_by_fd(kind, 0.0, 1e-4, -0.35, 0.0);  // z = -35
  }
}

TEST_CASE("acquisition: d log h and d log Phi match finite differences across the branches") {
  for (double z : {-5000.0, -200.0, -31.0, -29.0, -12.0, -5.5, -4.5, -1.01, -0.99, 0.0, 0.7, 3.0, 12.0}) {
    INFO("z = " << z);
    const double h = 1e-6 * std::max(1.0, std::abs(z));
    CHECK(d_log_h(z) == Approx(fd(log_h, z, h)).epsilon(1e-6));
    CHECK(d_log_normal_cdf(z) == Approx(fd(log_normal_cdf, z, h)).epsilon(1e-6));
  }
}

TEST_CASE("acquisition: log h, log Phi and their derivatives match 60-digit values from -1e4 to 30") {
  // tests/reference/bo_log_h_reference.py (mpmath). Before the continued fraction, d log h lost
  // up to 8.8e-11 between z = -4 and -30 (the erfc form's exp(t^2/2) rounding), and log-EI's
  // derivative in sd, computed as 1 - z d log h, cancelled for z > 5 (-1.1e-16 for +4.2e-17 at
  // z = 8.245).
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/bo_log_h_reference.json");
  REQUIRE(in);
  const auto ref = nlohmann::json::parse(in);
  REQUIRE(ref["rows"].size() > 30);
  const auto close = [](double got, double want, double rel) { return std::abs(got - want) <= rel * std::abs(want); };
  for (const auto& r : ref["rows"]) {
    const double z = r["z"].get<double>();
    INFO("z = " << z);
    CHECK(close(log_h(z), r["log_h"].get<double>(), 1e-14));
    CHECK(close(d_log_h(z), r["d_log_h"].get<double>(), 1e-13));
    CHECK(close(log_normal_cdf(z), r["log_cdf"].get<double>(), 1e-14));
    CHECK(close(d_log_normal_cdf(z), r["d_log_cdf"].get<double>(), 1e-13));
    // d_var of log-EI at unit variance is (phi / h)(z) / 2; positive everywhere.
    const double d_var = log_expected_improvement(-z, 1.0, 0.0).d_var;
    CHECK(d_var > 0.0);
    CHECK(close(2.0 * d_var, r["pdf_over_h"].get<double>(), 1e-13));
  }
  // Below the variance floor EI does not depend on the variance: every form's d_var is 0.
  CHECK(expected_improvement(0.0, 0.0, 0.0).d_var == 0.0);
}

TEST_CASE("acquisition: log-EI equals log of direct EI where EI is representable") {
  for (double z : {-35.0, -30.5, -29.5, -20.0, -8.0, -3.0, -1.0, -0.5, 0.0, 1.0, 5.0}) {
    const double ei = expected_improvement(-z * 0.5, 0.25, 0.0).value;  // sd = 0.5
    REQUIRE(ei > 0.0);
    // Relative accuracy of direct EI itself degrades like z^2 eps through cancellation.
    CHECK(log_expected_improvement(-z * 0.5, 0.25, 0.0).value == Approx(std::log(ei)).epsilon(1e-9));
  }
  // Closed form at z = 0: EI = sd * phi(0).
  CHECK(expected_improvement(1.0, 4.0, 1.0).value == Approx(2.0 / std::sqrt(2 * M_PI)));
  // A point far from the incumbent: direct EI underflows to 0 where log-EI stays finite.
  CHECK(expected_improvement(50.0, 1.0, 0.0).value == 0.0);
  CHECK(std::isfinite(log_expected_improvement(50.0, 1.0, 0.0).value));
}

TEST_CASE("acquisition: log-EI and log-PI stay finite and monotone far in the tail") {
  double previous = std::numeric_limits<double>::infinity();
  double previous_pi = previous;
  for (double z = -0.5; z >= -1.0e4; z *= 1.1) {
    const double v = log_h(z), g = d_log_h(z), p = log_normal_cdf(z);
    REQUIRE(std::isfinite(v));
    REQUIRE(std::isfinite(g));
    REQUIRE(std::isfinite(p));
    CHECK(v < previous);
    CHECK(p < previous_pi);
    CHECK(g > 0.0);
    previous = v;
    previous_pi = p;
  }
  // Asymptotics: log h(z) ~ -z^2/2 - log(2 pi)/2 - 2 log|z|, log Phi(z) ~ -z^2/2 - log(2 pi)/2 - log|z|.
  const double z = -1.0e4, c = 0.5 * std::log(2 * M_PI);
  CHECK(log_h(z) == Approx(-0.5 * z * z - c - 2 * std::log(-z)).epsilon(1e-12));
  CHECK(log_normal_cdf(z) == Approx(-0.5 * z * z - c - std::log(-z)).epsilon(1e-12));
  CHECK(d_log_h(z) == Approx(-z).epsilon(1e-6));
  // Values at the branch switches are continuous to near rounding.
  // (the jump across a switch minus the slope's share is at rounding level).
  const double dz = 1e-9;
  for (double s : {-1.0, -4.0})
    CHECK(std::abs(log_h(s + dz) - log_h(s - dz) - 2 * dz * d_log_h(s)) < 1e-12 * std::abs(log_h(s)));
  CHECK(std::abs(log_normal_cdf(-4.0 + dz) - log_normal_cdf(-4.0 - dz) - 2 * dz * d_log_normal_cdf(-4.0)) < 1e-13 * 15.0);
  // Zero variance on top of an observation stays finite.
  CHECK(std::isfinite(log_expected_improvement(1.0, 0.0, 0.0).value));
}

TEST_CASE("acquisition: closed-form values and names") {
  // log PI at z = 0 is log(1/2); UCB is -mean + sqrt(beta) sd.
  CHECK(log_probability_of_improvement(2.0, 9.0, 2.0).value == Approx(std::log(0.5)));
  CHECK(upper_confidence_bound(1.0, 4.0, 9.0).value == Approx(-1.0 + 3.0 * 2.0));
  CHECK(gp_ucb_beta(10, 2, 0.1) == Approx(2 * std::log(2 * 100 * M_PI * M_PI / 0.6)));
  CHECK(log_h(0.0) == Approx(std::log(1 / std::sqrt(2 * M_PI))));
  for (auto k : {AcquisitionKind::LogEI, AcquisitionKind::EI, AcquisitionKind::LogPI, AcquisitionKind::UCB,
                 AcquisitionKind::Thompson, AcquisitionKind::NoisyEI, AcquisitionKind::LogNEI})
    CHECK(parse_acquisition_kind(to_string(k)) == k);
  CHECK_THROWS_AS(parse_acquisition_kind("pi"), std::invalid_argument);
  Eigen::RowVectorXd gm(2), gv(2);
  gm << 1.0, 2.0;
  gv << -1.0, 0.5;
  const Eigen::RowVectorXd g = chain_gradient(AcqTerms{0.0, 2.0, 3.0}, gm, gv);
  CHECK(g[0] == Approx(-1.0));
  CHECK(g[1] == Approx(5.5));
}
