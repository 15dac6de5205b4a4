#include "gpbo/mcmc/diagnostics.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <complex>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unsupported/Eigen/FFT>

#include "gpbo/core/math_policy.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/mcmc/chains.hpp"

namespace gpbo::mcmc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// posterior's should_return_NA: non-finite or (numerically) constant draws.
bool unusable(const Eigen::MatrixXd& x) {
  if (x.size() == 0 || !x.allFinite()) return true;
  const double lo = x.minCoeff(), hi = x.maxCoeff();
  return std::abs(hi - lo) < std::numeric_limits<double>::epsilon();  // posterior's is_constant: strictly below
}

double sample_variance(const Eigen::VectorXd& v) {
  const double m = v.mean();
  return (v.array() - m).square().sum() / static_cast<double>(v.size() - 1);
}

// A power of two near max |x|. Dividing by it is exact (in the normal range), so statistics that
// are homogeneous in the draws come out as before, but squares stay finite: a chain stuck at lp__
// -1e221 squared its deviations to inf, its sd and MCSE too.
double power_of_two_scale(const Eigen::MatrixXd& x) {
  const double largest = x.size() > 0 ? x.cwiseAbs().maxCoeff() : 0.0;
  if (!(largest > 0.0) || !std::isfinite(largest)) return 1.0;
  return std::ldexp(1.0, std::ilogb(largest));
}

// R's median, the mean of the two middle draws of an even count: type 7 at 0.5 is 0.5 a + 0.5 b.
double median(const Eigen::MatrixXd& x) { return quantile(x, 0.5); }

}  // namespace

Eigen::MatrixXd split_chains(const Eigen::MatrixXd& draws) {
  const Eigen::Index n = draws.rows(), m = draws.cols();
  if (n <= 1) return draws;
  const Eigen::Index half = n / 2;
  Eigen::MatrixXd out(half, 2 * m);
  out.leftCols(m) = draws.topRows(half);
  out.rightCols(m) = draws.bottomRows(half);
  return out;
}

Eigen::MatrixXd pooled_ranks(const Eigen::MatrixXd& draws) {
  const Eigen::Index s = draws.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(s));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  const double* v = draws.data();
  std::stable_sort(order.begin(), order.end(), [v](Eigen::Index a, Eigen::Index b) { return v[a] < v[b]; });
  Eigen::MatrixXd out(draws.rows(), draws.cols());
  for (Eigen::Index i = 0; i < s;) {
    Eigen::Index j = i;
    while (j + 1 < s && v[order[static_cast<std::size_t>(j + 1)]] == v[order[static_cast<std::size_t>(i)]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + j) + 1.0;  // average 1-based rank of ties
    for (Eigen::Index k = i; k <= j; ++k) out.data()[order[static_cast<std::size_t>(k)]] = rank;
    i = j + 1;
  }
  return out;
}

Eigen::MatrixXd z_scale(const Eigen::MatrixXd& draws) {
  const boost::math::normal_distribution<double, DoublePrecision> normal;
  const double denom = static_cast<double>(draws.size()) - 2.0 * 0.375 + 1.0;
  return pooled_ranks(draws).unaryExpr([&](double rank) { return boost::math::quantile(normal, (rank - 0.375) / denom); });
}

Eigen::MatrixXi rank_histogram(const Eigen::MatrixXd& draws, int bins) {
  if (bins < 1) throw std::invalid_argument("rank_histogram: bins must be at least 1, got " + std::to_string(bins));
  if (draws.array().isNaN().any()) throw std::invalid_argument("rank_histogram: a draw is NaN");
  const Eigen::MatrixXd ranks = pooled_ranks(draws);
  const auto s = static_cast<double>(draws.size());
  Eigen::MatrixXi counts = Eigen::MatrixXi::Zero(bins, draws.cols());
  for (Eigen::Index c = 0; c < draws.cols(); ++c)
    for (Eigen::Index i = 0; i < draws.rows(); ++i) {
      // Rank r in [1, S] falls in bin floor((r - 1) bins / S), the last bin closed.
      const auto bin = static_cast<Eigen::Index>(std::floor((ranks(i, c) - 1.0) * bins / s));
      ++counts(std::min<Eigen::Index>(bin, bins - 1), c);
    }
  return counts;
}

Eigen::MatrixXd fold(const Eigen::MatrixXd& draws) { return (draws.array() - median(draws)).abs().matrix(); }

Eigen::VectorXd autocovariance(const Eigen::VectorXd& x) {
  const auto n = static_cast<std::size_t>(x.size());
  std::size_t m = 1;
  while (m < 2 * n) m <<= 1;
  std::vector<double> padded(m, 0.0);
  const double mean = x.mean();
  for (std::size_t i = 0; i < n; ++i) padded[i] = x(static_cast<Eigen::Index>(i)) - mean;
  Eigen::FFT<double> fft;
  std::vector<std::complex<double>> spectrum;
  fft.fwd(spectrum, padded);
  for (auto& c : spectrum) c = std::norm(c);
  std::vector<double> ac;
  fft.inv(ac, spectrum);
  Eigen::VectorXd out(x.size());
  for (std::size_t k = 0; k < n; ++k) out(static_cast<Eigen::Index>(k)) = ac[k] / static_cast<double>(n);
  return out;
}

double rhat_basic(const Eigen::MatrixXd& draws) {
  if (unusable(draws) || draws.rows() < 2) return kNaN;
  const auto n = static_cast<double>(draws.rows());
  const Eigen::VectorXd chain_mean = draws.colwise().mean().transpose();
  double var_within = 0.0;
  for (Eigen::Index c = 0; c < draws.cols(); ++c) var_within += sample_variance(draws.col(c));
  var_within /= static_cast<double>(draws.cols());
  const double var_between = draws.cols() > 1 ? n * sample_variance(chain_mean) : 0.0;
  return std::sqrt((var_between / var_within + n - 1.0) / n);
}

double ess_basic(const Eigen::MatrixXd& raw) {
  const Eigen::Index n = raw.rows(), chains = raw.cols();
  if (n < 3 || unusable(raw)) return kNaN;
  const Eigen::MatrixXd draws = raw / power_of_two_scale(raw);  // autocovariances are squares
  Eigen::VectorXd acov = Eigen::VectorXd::Zero(n);
  for (Eigen::Index c = 0; c < chains; ++c) acov += autocovariance(draws.col(c));
  acov /= static_cast<double>(chains);
  const double nd = static_cast<double>(n);
  const double mean_var = acov(0) * nd / (nd - 1.0);
  double var_plus = mean_var * (nd - 1.0) / nd;
  if (chains > 1) var_plus += sample_variance(draws.colwise().mean().transpose());
  Eigen::VectorXd rho = Eigen::VectorXd::Zero(n);
  auto rho_at = [&](Eigen::Index lag) { return 1.0 - (mean_var - acov(lag)) / var_plus; };
  Eigen::Index t = 0;
  double rho_even = 1.0, rho_odd = rho_at(1);
  rho(0) = rho_even;
  rho(1) = rho_odd;
  while (t < n - 5 && !std::isnan(rho_even + rho_odd) && rho_even + rho_odd > 0.0) {
    t += 2;
    rho_even = rho_at(t);
    rho_odd = rho_at(t + 1);
    if (rho_even + rho_odd >= 0.0) {
      rho(t) = rho_even;
      rho(t + 1) = rho_odd;
    }
  }
  const Eigen::Index max_t = t;
  if (rho_even > 0.0) rho(max_t) = rho_even;
  // Geyer's initial monotone sequence.
  for (t = 2; t <= max_t - 2; t += 2) {
    if (rho(t) + rho(t + 1) > rho(t - 2) + rho(t - 1)) {
      rho(t) = 0.5 * (rho(t - 2) + rho(t - 1));
      rho(t + 1) = rho(t);
    }
  }
  const double total = nd * static_cast<double>(chains);
  const double head = max_t == 0 ? rho(0) : rho.head(max_t).sum();  // R's sum(rho[1:max_t])
  double tau = -1.0 + 2.0 * head + rho(max_t);
  tau = std::max(tau, 1.0 / std::log10(total));
  return total / tau;
}

double rhat(const Eigen::MatrixXd& draws) {
  if (unusable(draws)) return kNaN;
  const double bulk = rhat_basic(z_scale(split_chains(draws)));
  const double tail = rhat_basic(z_scale(split_chains(fold(draws))));
  if (std::isnan(tail)) return bulk;
  return std::max(bulk, tail);
}

double ess_bulk(const Eigen::MatrixXd& draws) {
  if (unusable(draws)) return kNaN;
  return ess_basic(z_scale(split_chains(draws)));
}

double ess_quantile(const Eigen::MatrixXd& draws, double prob) {
  if (!(prob >= 0.0 && prob <= 1.0)) throw std::invalid_argument("ess_quantile: prob must be in [0, 1], got " + shortest_text(prob));
  if (unusable(draws)) return kNaN;
  const auto size = static_cast<double>(draws.size());
  if (prob == 1.0) prob = (size - 0.5) / size;  // every draw <= the maximum: a constant indicator
  const double q = quantile(draws, prob);
  const Eigen::MatrixXd indicator = (draws.array() <= q).cast<double>().matrix();
  return ess_basic(split_chains(indicator));
}

double ess_tail(const Eigen::MatrixXd& draws) {
  if (unusable(draws)) return kNaN;
  const double lower = ess_quantile(draws, 0.05), upper = ess_quantile(draws, 0.95);
  if (std::isnan(lower) || std::isnan(upper)) return kNaN;  // std::min would hide a NaN
  return std::min(lower, upper);
}

double mcse_quantile(const Eigen::MatrixXd& draws, double prob) {
  const double ess = ess_quantile(draws, prob);
  if (std::isnan(ess)) return kNaN;
  // posterior's rounded pnorm(-1) and pnorm(1): the exact values could move an order statistic.
  const boost::math::beta_distribution<double> beta(ess * prob + 1.0, ess * (1.0 - prob) + 1.0);
  const double a_lo = boost::math::quantile(beta, 0.1586553), a_hi = boost::math::quantile(beta, 0.8413447);
  std::vector<double> v(draws.data(), draws.data() + draws.size());
  std::sort(v.begin(), v.end());
  const auto size = static_cast<double>(v.size());
  // R's 1-based ssims[max(floor(a S), 1)] and ssims[min(ceiling(a S), S)].
  const auto lo = static_cast<std::size_t>(std::max(std::floor(a_lo * size), 1.0)) - 1;
  const auto hi = static_cast<std::size_t>(std::min(std::ceil(a_hi * size), size)) - 1;
  return 0.5 * v[hi] - 0.5 * v[lo];  // the difference of draws of +-1e308 overflows
}

double mcse_sd(const Eigen::MatrixXd& draws) {
  if (unusable(draws)) return kNaN;
  const double scale = power_of_two_scale(draws);  // the squares' squares overflowed from 1e77
  const Eigen::MatrixXd scaled = draws / scale;
  const Eigen::MatrixXd squares = (scaled.array() - scaled.mean()).square().matrix();
  const double ess = ess_mean(squares);
  const double mean_square = squares.mean();
  const double var_of_var = (squares.array().square().mean() - mean_square * mean_square) / ess;
  return scale * std::sqrt(var_of_var / mean_square / 4.0);
}

double mean(const Eigen::MatrixXd& draws) {
  if (draws.size() == 0) return kNaN;
  const double scale = power_of_two_scale(draws);  // exact: ordinary draws keep their mean to the bit
  return scale * (draws / scale).mean();
}

double sd(const Eigen::MatrixXd& draws) {
  if (draws.size() < 2) return kNaN;
  const double scale = power_of_two_scale(draws);
  const Eigen::MatrixXd scaled = draws / scale;
  return scale * std::sqrt(sample_variance(Eigen::Map<const Eigen::VectorXd>(scaled.data(), scaled.size())));
}

double mad(const Eigen::MatrixXd& draws) {
  if (draws.size() == 0 || draws.hasNaN()) return kNaN;
  return 1.4826 * median(fold(draws));
}

double ess_mean(const Eigen::MatrixXd& draws) { return ess_basic(split_chains(draws)); }

double mcse_mean(const Eigen::MatrixXd& draws) {
  if (unusable(draws)) return kNaN;
  return sd(draws) / std::sqrt(ess_mean(draws));
}

double quantile(const Eigen::MatrixXd& draws, double prob) {
  // Outside [0, 1] the order statistic's index ran past the draws (a crash at 1e6).
  if (!(prob >= 0.0 && prob <= 1.0)) throw std::invalid_argument("quantile: prob must be in [0, 1], got " + shortest_text(prob));
  // NaN breaks std::sort's ordering (undefined behaviour; in practice an unsorted vector whose
  // order statistics look like real numbers). R's quantile refuses NaN too.
  if (draws.size() == 0 || draws.hasNaN()) return kNaN;
  std::vector<double> v(draws.data(), draws.data() + draws.size());
  std::sort(v.begin(), v.end());
  // R's arithmetic to the ulp: 1-based index, (1 - h) lo + h hi. v[lo] + h (v[hi] - v[lo]) was one
  // ulp off R's median (0.5 a + 0.5 b), which broke ties among fold()'s draws and moved tail R-hat
  // (1.4285 for posterior's 1.4101 on 16 draws); the difference also overflowed for huge draws.
  const double index = 1.0 + (static_cast<double>(v.size()) - 1.0) * prob;
  const auto lo = static_cast<std::size_t>(std::floor(index)) - 1;
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  const double h = index - std::floor(index);
  if (h == 0.0 || v[hi] == v[lo]) return v[lo];
  return (1.0 - h) * v[lo] + h * v[hi];
}

double ebfmi(const Eigen::VectorXd& raw) {
  const Eigen::Index n = raw.size();
  if (n < 2) return kNaN;
  const Eigen::VectorXd energy = raw / power_of_two_scale(raw);  // a ratio of squares: the unit cancels
  const double mean = energy.mean();
  const double var = (energy.array() - mean).square().mean();
  const double diff2 = (energy.tail(n - 1) - energy.head(n - 1)).squaredNorm() / static_cast<double>(n - 1);
  return diff2 / var;
}

SamplerHealth sampler_health(const MultiChainResult& run, int max_treedepth) {
  SamplerHealth h;
  for (const auto& c : run.chains) {
    const auto& d = c.diagnostics;
    h.kept_iterations += c.draws.rows();
    h.kept_divergences += d.divergent.sum();
    h.hamiltonian = h.hamiltonian || d.divergent.size() > 0;
    if (d.all.iterations() > 0) {  // counted over every sampling iteration by the sampler
      h.iterations += d.all.iterations();
      h.divergences += d.all.divergences();
      h.treedepth_saturated += d.all.treedepth_saturated();
      h.ebfmi.push_back(d.all.ebfmi());
    } else {  // a result assembled elsewhere: what its kept rows show
      h.iterations += c.draws.rows();
      h.divergences += d.divergent.sum();
      if (d.treedepth.size() > 0) h.treedepth_saturated += (d.treedepth.array() >= max_treedepth).count();
      if (d.energy.size() > 0) h.ebfmi.push_back(ebfmi(d.energy));
    }
    if (c.nonfinite_gradients > 0 && h.nonfinite_gradients == 0) {
      h.first_nonfinite_gradient_chain = c.chain;
      h.first_nonfinite_gradient = c.first_nonfinite_gradient;
    }
    h.nonfinite_gradients += c.nonfinite_gradients;
    const auto& q = c.unconstrained_draws;
    if (q.rows() >= 2 && (q.rowwise() - q.row(0)).cwiseAbs().maxCoeff() == 0.0) ++h.stuck_chains;
  }
  return h;
}

}  // namespace gpbo::mcmc
