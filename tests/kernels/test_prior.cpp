#include <catch2/catch.hpp>

#include <boost/math/distributions/cauchy.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/inverse_gamma.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <vector>

#include "gpbo/kernels/prior.hpp"

using namespace gpbo;

namespace {
// log p_theta(theta) from Boost.Math, for theta = e^u; the prior adds the Jacobian u.
double boost_log_pdf(const Prior& p, double theta) {
  switch (p.family()) {
    case Prior::Family::LogNormal: return std::log(boost::math::pdf(boost::math::lognormal(p.a(), p.b()), theta));
    case Prior::Family::Gamma: return std::log(boost::math::pdf(boost::math::gamma_distribution<>(p.a(), 1.0 / p.b()), theta));
    case Prior::Family::InverseGamma:
      return std::log(boost::math::pdf(boost::math::inverse_gamma_distribution<>(p.a(), p.b()), theta));
    case Prior::Family::HalfNormal: return std::log(2.0 * boost::math::pdf(boost::math::normal(0.0, p.a()), theta));
    case Prior::Family::HalfCauchy: return std::log(2.0 * boost::math::pdf(boost::math::cauchy(0.0, p.a()), theta));
    case Prior::Family::LogUniform: return -std::log(theta) - std::log(std::log(p.b()) - std::log(p.a()));
  }
  return 0.0;
}

std::vector<Prior> all_priors() {
  return {Prior::log_normal(-0.3, 0.8), Prior::gamma(3.0, 6.0), Prior::inverse_gamma(2.5, 1.5),
          Prior::half_normal(0.7), Prior::half_cauchy(0.2), Prior::log_uniform(0.01, 10.0)};
}
}  // namespace

TEST_CASE("prior log densities match Boost.Math pdfs with the log Jacobian") {
  for (const auto& p : all_priors()) {
    INFO(p.to_string());
    for (double u : {-2.0, -0.5, 0.0, 0.7, 1.9}) {
      CHECK(p.log_density(u) == Approx(boost_log_pdf(p, std::exp(u)) + u).epsilon(1e-12).margin(1e-12));
    }
  }
  CHECK(std::isinf(Prior::log_uniform(0.1, 1.0).log_density(std::log(2.0))));
}

TEST_CASE("prior gradients match finite differences, also far in the tails") {
  for (const auto& p : all_priors()) {
    INFO(p.to_string());
    for (double u : {-3.0, -0.5, 0.2, 1.1, 2.0}) {
      if (p.family() == Prior::Family::LogUniform && std::isinf(p.log_density(u))) continue;
      const double h = 1e-6;
      const double fd = (p.log_density(u + h) - p.log_density(u - h)) / (2 * h);
      CHECK(p.log_density_gradient(u) == Approx(fd).epsilon(1e-6).margin(1e-6));
    }
  }
  // Where the pdf underflows the log density and its gradient stay finite.
  const Prior hc = Prior::half_cauchy(0.1);
  CHECK(std::isfinite(hc.log_density(400.0)));
  CHECK(hc.log_density_gradient(400.0) == Approx(-1.0));
  CHECK(std::isfinite(Prior::gamma(2.0, 1.0).log_density(-700.0)));
}

TEST_CASE("prior samples have the right moments (5 standard errors)") {
  auto rng = make_rng(5);
  const int n = 40000;
  struct Case {
    Prior prior;
    double mean_theta, var_theta;  // closed-form mean and variance of theta
  };
  const std::vector<Case> cases = {
      {Prior::log_normal(0.2, 0.5), std::exp(0.2 + 0.125), (std::exp(0.25) - 1) * std::exp(0.4 + 0.25)},
      {Prior::gamma(3.0, 2.0), 1.5, 0.75},
      {Prior::inverse_gamma(5.0, 2.0), 0.5, 0.25 / 3.0},
      {Prior::half_normal(2.0), 2.0 * std::sqrt(2.0 / M_PI), 4.0 * (1 - 2.0 / M_PI)},
      {Prior::log_uniform(1.0, std::exp(2.0)), (std::exp(2.0) - 1) / 2.0, (std::exp(4.0) - 1) / 4.0 - std::pow((std::exp(2.0) - 1) / 2.0, 2)}};
  for (const auto& c : cases) {
    INFO(c.prior.to_string());
    double s = 0;
    for (int i = 0; i < n; ++i) s += std::exp(c.prior.sample(rng));
    CHECK(std::abs(s / n - c.mean_theta) < 5 * std::sqrt(c.var_theta / n));
  }
  // Half-Cauchy has no mean: check the median of theta (= scale) by the fraction below it.
  const Prior hc = Prior::half_cauchy(0.3);
  int below = 0;
  for (int i = 0; i < n; ++i) below += std::exp(hc.sample(rng)) < 0.3;
  CHECK(std::abs(below / double(n) - 0.5) < 5 * std::sqrt(0.25 / n));
}

TEST_CASE("parse_prior reads what to_string writes and names errors") {
  for (const auto& p : all_priors()) {
    const Prior q = parse_prior(p.to_string());
    CHECK(q.family() == p.family());
    CHECK(q.a() == p.a());
    CHECK(q.b() == p.b());
  }
  CHECK(parse_prior(" gamma( 2 , 0.5 ) ").b() == 0.5);
  CHECK(Prior::log_normal(0.1, 1).to_string() == "lognormal(0.1, 1)");
  CHECK_THROWS_WITH(parse_prior("gamam(2, 1)"), Catch::Contains("unknown family 'gamam'") && Catch::Contains("gamma(a, b)"));
  CHECK_THROWS_WITH(parse_prior("gamma(2)"), Catch::Contains("takes 2 argument(s), got 1"));
  CHECK_THROWS_WITH(parse_prior("halfnormal(x)"), Catch::Contains("expected a number, got 'x'"));
  CHECK_THROWS_WITH(parse_prior("gamma(-1, 1)"), Catch::Contains("shape must be positive"));
  CHECK_THROWS_WITH(parse_prior("lognormal"), Catch::Contains("expected the form name(args)"));
}
