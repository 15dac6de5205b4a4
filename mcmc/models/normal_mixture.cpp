#include "mcmc/models/normal_mixture.hpp"

#include <cmath>
#include <stdexcept>

#include "mcmc/models/data_checks.hpp"

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

NormalMixture NormalMixture::from_csv(const CsvTable& table, const std::string& source) {
  require_columns(table, {"y"}, source);
  require_rows(table, 1, source);
  return NormalMixture(table.column("y"));
}

double NormalMixture::log_density_gradient(const Eigen::VectorXd& theta, Eigen::VectorXd& grad) const {
  const double a = theta(0), w = inv_logit(a), log_w = log_inv_logit(a), log_1mw = log_inv_logit(-a);
  const double mu1 = theta(1), gap = std::exp(theta(2)), mu2 = mu1 + gap;
  const double v1 = theta(3), v2 = theta(4), s1 = std::exp(v1), s2 = std::exp(v2);
  const Eigen::ArrayXd z1 = (y_ - mu1) / s1, z2 = (y_ - mu2) / s2;
  const Eigen::ArrayXd la = log_w - v1 - 0.5 * z1.square();
  const Eigen::ArrayXd lb = log_1mw - v2 - 0.5 * z2.square();
  const Eigen::ArrayXd diff = la - lb;
  const Eigen::ArrayXd e = (-diff.abs()).exp();
  const Eigen::ArrayXd inv1pe = (1.0 + e).inverse();
  const Eigen::ArrayXd r1 = (diff >= 0.0).select(inv1pe, e * inv1pe);  // responsibility of component 1
  const Eigen::ArrayXd r2 = 1.0 - r1;
  double lp = (la.max(lb) + (1.0 + e).log()).sum();  // log(1 + e): vectorized, abs. error < 1e-16
  lp += 2.0 * (log_w + log_1mw);                                   // beta(2, 2) prior + logit Jacobian
  lp -= 0.5 * (mu1 * mu1 + mu2 * mu2) / (kMuScale * kMuScale);     // normal(0, 5) priors
  lp += theta(2);                                                  // ordered Jacobian
  lp -= 0.5 * (v1 * v1 + v2 * v2);                                 // lognormal(0, 1) + log Jacobian
  const double g_mu1 = (r1 * z1).sum() / s1 - mu1 / (kMuScale * kMuScale);
  const double g_mu2 = (r2 * z2).sum() / s2 - mu2 / (kMuScale * kMuScale);
  grad.resize(5);
  grad(0) = (r1 - w).sum() + 2.0 - 4.0 * w;
  grad(1) = g_mu1 + g_mu2;
  grad(2) = g_mu2 * gap + 1.0;
  grad(3) = (r1 * (z1.square() - 1.0)).sum() - v1;
  grad(4) = (r2 * (z2.square() - 1.0)).sum() - v2;
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
