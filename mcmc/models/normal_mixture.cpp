#include "gpbo/mcmc/models/normal_mixture.hpp"

#include <cmath>
#include <stdexcept>

#include "gpbo/mcmc/models/data_checks.hpp"
#include "gpbo/mcmc/models/log_product.hpp"

namespace gpbo::mcmc::models {
namespace {
constexpr double kMuScale = 5.0;

double inv_logit(double a) { return a >= 0.0 ? 1.0 / (1.0 + std::exp(-a)) : std::exp(a) / (1.0 + std::exp(a)); }
// log(inv_logit(a)) and log(1 - inv_logit(a)), stable.
double log_inv_logit(double a) { return a >= 0.0 ? -std::log1p(std::exp(-a)) : a - std::log1p(std::exp(a)); }
}  // namespace

NormalMixture::NormalMixture(Eigen::VectorXd y) : y_(y.array()) {
  if (y_.size() < 1) throw std::invalid_argument("NormalMixture: needs at least one observation");
}

NormalMixture NormalMixture::from_csv(const CsvTable& table) {
  require_columns(table, {"y"});
  require_rows(table, 1);
  return NormalMixture(table.column("y"));
}

double NormalMixture::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const double a = theta(0), w = inv_logit(a), log_w = log_inv_logit(a), log_1mw = log_inv_logit(-a);
  const double mu1 = theta(1), gap = std::exp(theta(2)), mu2 = mu1 + gap;
  const double v1 = theta(3), v2 = theta(4), inv_s1 = std::exp(-v1), inv_s2 = std::exp(-v2);
  // Per observation: la, lb = log weight + log normal density of each component (constants
  // dropped); log(e^la + e^lb) = max(la, lb) + log(1 + e), e = exp(-|la - lb|), and the
  // responsibility of component 1 is inv_logit(la - lb) from the same e.
  double lp = 0.0, sum_r1 = 0.0, sum_r1z1 = 0.0, sum_r2z2 = 0.0, sum_r1zz1 = 0.0, sum_r2zz2 = 0.0;
  LogProduct log1p_e;
  const double c1 = log_w - v1, c2 = log_1mw - v2;
  for (Eigen::Index n = 0; n < y_.size(); ++n) {
    const double z1 = (y_(n) - mu1) * inv_s1, z2 = (y_(n) - mu2) * inv_s2;
    const double la = c1 - 0.5 * z1 * z1, lb = c2 - 0.5 * z2 * z2, diff = la - lb;
    const double e = std::exp(-std::abs(diff)), inv = 1.0 / (1.0 + e);
    const double r1 = diff >= 0.0 ? inv : e * inv, r2 = 1.0 - r1;
    lp += diff >= 0.0 ? la : lb;
    log1p_e.add(1.0 + e);
    sum_r1 += r1;
    // A component with no responsibility adds nothing, even where its z^2 overflowed (0 * inf).
    if (r1 > 0.0) {
      sum_r1z1 += r1 * z1;
      sum_r1zz1 += r1 * (z1 * z1 - 1.0);
    }
    if (r2 > 0.0) {
      sum_r2z2 += r2 * z2;
      sum_r2zz2 += r2 * (z2 * z2 - 1.0);
    }
  }
  lp += log1p_e.value();
  lp += 2.0 * (log_w + log_1mw);                                // beta(2, 2) prior + logit Jacobian
  lp -= 0.5 * (mu1 * mu1 + mu2 * mu2) / (kMuScale * kMuScale);  // normal(0, 5) priors
  lp += theta(2);                                               // ordered Jacobian
  lp -= 0.5 * (v1 * v1 + v2 * v2);                              // lognormal(0, 1) + log Jacobian
  // A component without responsibility has sum 0 and may have 1/sigma = inf: its term is 0.
  const auto scaled = [](double sum, double inv_s) { return sum == 0.0 ? 0.0 : sum * inv_s; };
  const double g_mu1 = scaled(sum_r1z1, inv_s1) - mu1 / (kMuScale * kMuScale);
  const double g_mu2 = scaled(sum_r2z2, inv_s2) - mu2 / (kMuScale * kMuScale);
  grad.resize(5);
  grad(0) = sum_r1 - w * static_cast<double>(y_.size()) + 2.0 - 4.0 * w;
  grad(1) = g_mu1 + g_mu2;
  grad(2) = g_mu2 * gap + 1.0;
  grad(3) = sum_r1zz1 - v1;
  grad(4) = sum_r2zz2 - v2;
  return lp;
}

std::vector<std::string> NormalMixture::parameter_names() const {
  return {"logit_w", "mu.1", "log_mu_gap", "log_sigma.1", "log_sigma.2"};
}

std::vector<std::string> NormalMixture::output_names() const { return {"w", "mu.1", "mu.2", "sigma.1", "sigma.2"}; }

void NormalMixture::outputs(const Eigen::VectorXd& theta, Eigen::VectorXd& out) const {
  out.resize(5);
  out(0) = inv_logit(theta(0));
  out(1) = theta(1);
  out(2) = theta(1) + std::exp(theta(2));
  out(3) = std::exp(theta(3));
  out(4) = std::exp(theta(4));
}

}  // namespace gpbo::mcmc::models
