#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <numbers>
#include <nlohmann/json.hpp>
#include <string>

#include "gpbo/core/csv.hpp"
#include "gpbo/core/random.hpp"
#include "gpbo/mcmc/diagnostics.hpp"
#include "gpbo/mcmc/sampler.hpp"

using namespace gpbo::mcmc;

namespace {
const std::string kRef = std::string(GPBO_SOURCE_DIR) + "/tests/reference/";

Eigen::MatrixXd case_draws(const gpbo::CsvTable& table, const std::string& name) {
  Eigen::MatrixXd out(table.values.rows(), 4);
  for (int c = 0; c < 4; ++c) out.col(c) = table.column(name + "_c" + std::to_string(c + 1));
  return out;
}
}  // namespace

TEST_CASE("diagnostics: R-hat, ESS, MCSEs, MAD and quantiles match R's posterior package") {
  const auto table = gpbo::read_csv(kRef + "mcmc_posterior_draws.csv");
  std::ifstream in(kRef + "mcmc_posterior_reference.json");
  const auto ref = nlohmann::json::parse(in);
  REQUIRE(ref["cases"].size() == 6);
  for (const auto& [name, v] : ref["cases"].items()) {
    const Eigen::MatrixXd x = case_draws(table, name);
    INFO("case " << name);
    CHECK(rhat(x) == Approx(v["rhat"].get<double>()).epsilon(1e-9));
    CHECK(ess_bulk(x) == Approx(v["ess_bulk"].get<double>()).epsilon(1e-8));
    CHECK(ess_tail(x) == Approx(v["ess_tail"].get<double>()).epsilon(1e-8));
    CHECK(ess_mean(x) == Approx(v["ess_mean"].get<double>()).epsilon(1e-8));
    CHECK(mcse_mean(x) == Approx(v["mcse_mean"].get<double>()).epsilon(1e-8));
    CHECK(quantile(x, 0.05) == Approx(v["q5"].get<double>()).epsilon(1e-12));
    CHECK(quantile(x, 0.5) == Approx(v["q50"].get<double>()).epsilon(1e-12));
    CHECK(quantile(x, 0.95) == Approx(v["q95"].get<double>()).epsilon(1e-12));
    CHECK(mcse_sd(x) == Approx(v["mcse_sd"].get<double>()).epsilon(1e-8));
    CHECK(mad(x) == Approx(v["mad"].get<double>()).epsilon(1e-12));
    CHECK(ess_quantile(x, 0.5) == Approx(v["ess_q50"].get<double>()).epsilon(1e-8));
    // Order statistics picked by Beta quantiles: the same draws as posterior picks.
    CHECK(mcse_quantile(x, 0.05) == Approx(v["mcse_q5"].get<double>()).epsilon(1e-12));
    CHECK(mcse_quantile(x, 0.5) == Approx(v["mcse_q50"].get<double>()).epsilon(1e-12));
    CHECK(mcse_quantile(x, 0.95) == Approx(v["mcse_q95"].get<double>()).epsilon(1e-12));
  }
}

TEST_CASE("diagnostics: tail R-hat folds about R's median, so the two middle draws tie") {
  // quantile(x, 0.5) was a + 0.5 (b - a), one ulp off R's median (0.5 a + 0.5 b): the two middle
  // draws folded to different values, the ranks split the tie and tail R-hat was 1.4285.
  std::ifstream in(kRef + "mcmc_fold_median_reference.json");
  const auto ref = nlohmann::json::parse(in);
  Eigen::MatrixXd x(4, 4);
  for (int i = 0; i < 4; ++i)
    for (int c = 0; c < 4; ++c) x(i, c) = ref["draws"][i][c].get<double>();
  CHECK(quantile(x, 0.5) == ref["median"].get<double>());
  const Eigen::MatrixXd folded = fold(x);
  CHECK(folded(0, 0) == folded(0, 2));  // 0.59661207 and -0.69202177, the middle draws
  CHECK(rhat(x) == Approx(ref["rhat"].get<double>()).epsilon(1e-9));
  CHECK(rhat_basic(z_scale(split_chains(folded))) == Approx(ref["rhat_tail"].get<double>()).epsilon(1e-9));
}

TEST_CASE("diagnostics: the quantile MCSE of independent normal draws is the asymptotic one") {
  // For S independent draws the q-quantile's sd is sqrt(q (1 - q) / S) / density at the quantile.
  gpbo::Rng rng = gpbo::make_rng(7);
  Eigen::MatrixXd x(4000, 4);
  for (Eigen::Index i = 0; i < x.size(); ++i) x(i) = gpbo::standard_normal(rng);
  const double S = static_cast<double>(x.size());
  const auto asymptotic = [&](double q, double z) { return std::sqrt(q * (1 - q) / S) / (std::exp(-0.5 * z * z) / std::sqrt(2 * std::numbers::pi)); };
  CHECK(mcse_quantile(x, 0.5) == Approx(asymptotic(0.5, 0.0)).epsilon(0.15));
  CHECK(mcse_quantile(x, 0.05) == Approx(asymptotic(0.05, -1.6448536269514729)).epsilon(0.15));
  CHECK(mcse_quantile(x, 0.95) == Approx(asymptotic(0.95, 1.6448536269514729)).epsilon(0.15));
  // The sd's: sd / sqrt(2 S) for a normal.
  CHECK(mcse_sd(x) == Approx(1.0 / std::sqrt(2 * S)).epsilon(0.15));
  CHECK(mad(x) == Approx(1.0).epsilon(0.05));
  CHECK_THROWS_WITH(mcse_quantile(x, 1.5), Catch::Contains("prob must be in [0, 1]"));
  // quantile() read past the draws for such a prob (a crash at 1e6); -1e-9 is no "-0.000000".
  CHECK_THROWS_WITH(quantile(x, 1e6), "quantile: prob must be in [0, 1], got 1e+06");
  CHECK_THROWS_WITH(quantile(x, -1e-9), "quantile: prob must be in [0, 1], got -1e-09");
  CHECK_THROWS_AS(quantile(x, std::nan("")), std::invalid_argument);
  CHECK(std::isfinite(mcse_quantile(x, 1.0)));
  CHECK(std::isnan(mcse_quantile(Eigen::MatrixXd::Constant(100, 4, 2.0), 0.5)));
  CHECK(std::isnan(mcse_sd(Eigen::MatrixXd::Constant(100, 4, 2.0))));
}

TEST_CASE("diagnostics: constant or too-short draws give NaN, shifted chains give large R-hat") {
  CHECK(std::isnan(rhat(Eigen::MatrixXd::Constant(100, 4, 2.0))));
  CHECK(std::isnan(ess_bulk(Eigen::MatrixXd::Constant(100, 4, 2.0))));
  // A range of exactly one epsilon is not constant to posterior (is_constant tests |max - min| <
  // eps): its R-hat there is 0.99603 on these draws (an independent port of posterior, session 35).
  Eigen::MatrixXd two_values = Eigen::MatrixXd::Constant(50, 4, 1.0);
  for (Eigen::Index i = 0; i < two_values.size(); i += 3) two_values(i) = 1.0 + std::numeric_limits<double>::epsilon();
  CHECK(std::isfinite(rhat(two_values)));
  CHECK(std::isfinite(ess_bulk(two_values)));
  CHECK(std::isnan(ess_basic(Eigen::MatrixXd::Random(2, 4))));
  // Three draws of one chain: the tail ESS is as unknown as the bulk's (it printed inf).
  const Eigen::MatrixXd three = (Eigen::MatrixXd(3, 1) << 0.1, -0.4, 0.7).finished();
  CHECK(std::isnan(ess_bulk(three)));
  CHECK(std::isnan(ess_tail(three)));
  Eigen::MatrixXd x = Eigen::MatrixXd::Random(200, 4);
  x.col(0).array() += 5.0;
  CHECK(rhat(x) > 1.5);
}

TEST_CASE("diagnostics: a quantile of draws with a NaN is NaN, not an order statistic of an unsorted vector") {
  Eigen::MatrixXd x(20, 1);
  for (int i = 0; i < 20; ++i) x(i, 0) = std::sin(1.0 + i);
  x(7, 0) = x(13, 0) = std::nan("");
  for (const double p : {0.0, 0.05, 0.5, 0.95, 1.0}) {
    INFO("prob " << p << ": " << quantile(x, p));
    CHECK(std::isnan(quantile(x, p)));
  }
}

TEST_CASE("diagnostics: autocovariance matches the direct sum and E-BFMI of white noise is near 2") {
  const Eigen::VectorXd x = Eigen::VectorXd::Random(37);
  const Eigen::VectorXd ac = autocovariance(x);
  const Eigen::VectorXd c = x.array() - x.mean();
  for (int lag : {0, 1, 5, 36}) {
    const double direct = c.head(37 - lag).dot(c.tail(37 - lag)) / 37.0;
    CHECK(ac(lag) == Approx(direct).margin(1e-12));
  }
  // For independent energies E[(E_t - E_{t-1})^2] = 2 var.
  const Eigen::VectorXd e = Eigen::VectorXd::Random(20000);
  CHECK(ebfmi(e) == Approx(2.0).epsilon(0.05));
}

TEST_CASE("diagnostics: E-BFMI ignores the energies' unit, in a vector and in the running tally") {
  // Energies beyond 1e154 squared to inf: E-BFMI was NaN (and only warned about).
  const Eigen::VectorXd e = Eigen::VectorXd::Random(500).array() + 3.0;
  HamiltonianTally plain, huge, grown;
  for (Eigen::Index i = 0; i < e.size(); ++i) {
    plain.add(false, false, e[i]);
    huge.add(false, false, 1e200 * e[i]);
    grown.add(false, false, (i < 250 ? 1.0 : 1e200) * e[i]);  // rescaled part-way
  }
  const double expected = ebfmi(e);
  CHECK(expected == Approx(2.0).epsilon(0.2));
  CHECK(plain.ebfmi() == Approx(expected).epsilon(1e-12));
  CHECK(ebfmi(1e200 * e) == Approx(expected).epsilon(1e-12));
  CHECK(huge.ebfmi() == Approx(expected).epsilon(1e-12));
  CHECK(ebfmi(-1e300 * e) == Approx(expected).epsilon(1e-12));
  // Half the chain at 1 and half at 1e200: the one step between them dominates both sums.
  Eigen::VectorXd mixed = e;
  mixed.tail(250) *= 1e200;
  CHECK(std::isfinite(grown.ebfmi()));
  CHECK(grown.ebfmi() == Approx(ebfmi(mixed)).epsilon(1e-9));
}

TEST_CASE("diagnostics: rank_histogram counts each chain's pooled ranks per bin") {
  // Ranks 1..6 in two bins: the first chain holds the three lowest.
  Eigen::MatrixXd apart(3, 2);
  apart << 1, 4, 2, 5, 3, 6;
  Eigen::MatrixXi expected(2, 2);
  expected << 3, 0, 0, 3;
  CHECK(rank_histogram(apart, 2) == expected);
  // Ties share their average rank: 1.5, 1.5 | 3.5, 3.5 | 5.5, 5.5, one pair to each of 3 bins.
  Eigen::MatrixXd tied(3, 2);
  tied << 1, 2, 1, 3, 2, 3;
  const Eigen::MatrixXd ranks = pooled_ranks(tied);
  CHECK(ranks(0, 0) == 1.5);
  CHECK(ranks(2, 0) == 3.5);
  CHECK(ranks(2, 1) == 5.5);
  expected.resize(3, 2);
  expected << 2, 0, 1, 1, 0, 2;
  CHECK(rank_histogram(tied, 3) == expected);
  CHECK_THROWS_WITH(rank_histogram(tied, 0), Catch::Contains("at least 1"));
  tied(1, 1) = std::nan("");
  CHECK_THROWS_WITH(rank_histogram(tied, 3), Catch::Contains("NaN"));
}

TEST_CASE("diagnostics: rank_histogram is flat for chains of one distribution, piled up for a shifted one") {
  gpbo::Rng rng = gpbo::make_rng(11);
  Eigen::MatrixXd draws(2000, 4);
  for (Eigen::Index i = 0; i < draws.size(); ++i) draws.data()[i] = gpbo::standard_normal(rng);
  // 2000 draws a chain in 20 bins: each count ~ Binomial(2000, 1/20), mean 100, sd 9.7; the
  // largest of 80 counts stays within 4.5 sd with probability 0.9997.
  const Eigen::MatrixXi same = rank_histogram(draws, 20);
  CHECK(same.sum() == 8000);
  CHECK(same.colwise().sum().minCoeff() == 2000);
  CHECK(same.minCoeff() > 100 - 44);
  CHECK(same.maxCoeff() < 100 + 44);
  // One chain off by one sd: of the pooled top 5% of ranks it holds about 285 draws (a normal
  // calculation), of the bottom 5% about 11.
  draws.col(3).array() += 1.0;
  const Eigen::MatrixXi shifted = rank_histogram(draws, 20);
  CHECK(shifted(19, 3) > 200);
  CHECK(shifted(0, 3) < 30);
}
