// The fully Bayesian predictive's mixture of normals: its CDF, quantiles and scores against SciPy
// (tests/reference/gp_normal_mixture_reference.py, see its header to regenerate) and closed forms.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "gpbo/gp/normal_mixture.hpp"
#include "gpbo/gp/predictive_scores.hpp"

using namespace gpbo;

namespace {

nlohmann::json mixture_reference() {
  std::ifstream in(std::string(GPBO_SOURCE_DIR) + "/tests/reference/gp_normal_mixture_reference.json");
  REQUIRE(in);
  return nlohmann::json::parse(in);
}

// One Prediction per part, rows as in the reference.
std::vector<Prediction> reference_parts(const nlohmann::json& ref) {
  std::vector<Prediction> parts;
  for (std::size_t k = 0; k < ref["means"].size(); ++k) {
    Prediction p;
    const auto& m = ref["means"][k];
    const auto& s = ref["sds"][k];
    p.mean.resize(static_cast<Eigen::Index>(m.size()));
    p.variance.resize(p.mean.size());
    for (std::size_t r = 0; r < m.size(); ++r) {
      p.mean(static_cast<Eigen::Index>(r)) = m[r].get<double>();
      p.variance(static_cast<Eigen::Index>(r)) = std::pow(s[r].get<double>(), 2);
    }
    parts.push_back(p);
  }
  return parts;
}

Prediction single(double mean, double variance) {
  Prediction p;
  p.mean = Eigen::VectorXd::Constant(1, mean);
  p.variance = Eigen::VectorXd::Constant(1, variance);
  return p;
}

}  // namespace

TEST_CASE("mixture_quantile and mixture_cdf match SciPy's root of the mixture CDF") {
  const nlohmann::json ref = mixture_reference();
  const std::vector<Prediction> parts = reference_parts(ref);
  for (std::size_t r = 0; r < ref["targets"].size(); ++r) {
    const auto row = static_cast<Eigen::Index>(r);
    for (std::size_t j = 0; j < ref["probabilities"].size(); ++j) {
      const double p = ref["probabilities"][j].get<double>();
      CHECK(mixture_quantile(parts, row, p) == Approx(ref["quantiles"][r][j].get<double>()).epsilon(1e-10));
    }
    CHECK(mixture_cdf(parts, row, ref["targets"][r].get<double>()) ==
          Approx(ref["cdf_at_targets"][r].get<double>()).epsilon(1e-12));
  }
}

TEST_CASE("mixture_quantile: one part is its normal quantile, point masses and bad arguments") {
  const std::vector<Prediction> one = {single(3.0, 4.0)};
  CHECK(mixture_quantile(one, 0, 0.975) == Approx(3.0 + 2.0 * 1.959963984540054).epsilon(1e-14));
  CHECK(mixture_quantile(one, 0, 0.5) == 3.0);
  // Two equal parts are that normal; symmetric parts put the median halfway.
  CHECK(mixture_quantile({single(3.0, 4.0), single(3.0, 4.0)}, 0, 0.025) ==
        Approx(3.0 - 2.0 * 1.959963984540054).epsilon(1e-12));
  const std::vector<Prediction> twin = {single(-2.0, 1.0), single(6.0, 1.0)};
  CHECK(mixture_quantile(twin, 0, 0.5) == Approx(2.0).margin(1e-12));
  CHECK(mixture_quantile(twin, 0, 0.1) + mixture_quantile(twin, 0, 0.9) == Approx(4.0).margin(1e-10));
  // Point masses (variance 0): the quantile is where the step crosses p.
  const std::vector<Prediction> masses = {single(0.0, 0.0), single(1.0, 0.0), single(2.0, 0.0), single(3.0, 0.0)};
  CHECK(mixture_quantile(masses, 0, 0.6) == Approx(2.0).margin(1e-12));
  CHECK(mixture_cdf(masses, 0, 1.0) == 0.5);
  CHECK_THROWS_AS(mixture_quantile({}, 0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(mixture_quantile(one, 0, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(mixture_quantile(one, 0, std::nan("")), std::invalid_argument);
}

TEST_CASE("score_mixture_predictions: the mixture's own density and interval, one part as score_predictions") {
  const nlohmann::json ref = mixture_reference();
  const std::vector<Prediction> parts = reference_parts(ref);
  Eigen::VectorXd y(3);
  for (Eigen::Index r = 0; r < 3; ++r) y(r) = ref["targets"][static_cast<std::size_t>(r)].get<double>();
  const PredictiveScores s = score_mixture_predictions(y, parts);
  double nlpd = 0.0;
  for (const auto& v : ref["log_density_at_targets"]) nlpd -= v.get<double>() / 3.0;
  CHECK(s.nlpd == Approx(nlpd).epsilon(1e-10));  // the far target stays finite (log-sum-exp)
  // Mixture CDFs 0.686, 0.0013 and 1: only the first target is inside its central 95% interval.
  CHECK(s.coverage95 == Approx(1.0 / 3.0));
  const Eigen::VectorXd mean = (parts[0].mean + parts[1].mean + parts[2].mean) / 3.0;
  CHECK(s.rmse == Approx(std::sqrt((y - mean).squaredNorm() / 3.0)).epsilon(1e-12));
  const PredictiveScores one = score_mixture_predictions(y, {parts[0]});
  const PredictiveScores direct = score_predictions(y, parts[0].mean, parts[0].variance);
  CHECK(one.nlpd == direct.nlpd);
  CHECK(one.coverage95 == direct.coverage95);
  CHECK_THROWS_AS(score_mixture_predictions(y.head(2), parts), std::invalid_argument);
}
