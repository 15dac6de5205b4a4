#include "gpbo/mcmc/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "gpbo/core/csv.hpp"
#include "gpbo/core/number_text.hpp"

namespace gpbo::mcmc {
namespace {

std::string fmt(const char* format, double v) {
  if (std::isnan(v)) return "nan";  // printf writes "-nan" for a NaN with its sign bit set
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

}  // namespace

namespace {

// What the sampler reports over every iteration, whatever the thinning: a run thinned to 3
// draws a chain hid 2737 divergences behind the "too few draws" warning alone.
void sampler_warnings(const Summary& s, std::vector<std::string>& w) {
  const auto& h = s.health;
  if (s.approximate_gradient && s.gradient_evaluations > 0)
    w.push_back("model '" + s.model + "' is differentiated by finite differences (2d+1 evaluations a gradient, "
                "about 1e-7 relative error): write its log density as a template for exact automatic "
                "differentiation (make_autodiff_density)");
  if (h.nonfinite_gradients > 0)
    w.push_back(std::to_string(h.nonfinite_gradients) +
                " gradient evaluation(s) met a finite log density with a non-finite gradient (first in chain " +
                std::to_string(h.first_nonfinite_gradient_chain + 1) + " at unconstrained " +
                point_text(h.first_nonfinite_gradient) +
                "): such points are rejected as outside the support, so if they are inside it the draws are cut off "
                "there (and count as divergences); check the model's gradient");
  // Without adaptation adapt_delta set nothing: the step size is the one given.
  if (h.divergences > 0)
    w.push_back(std::to_string(h.divergences) + " of " + std::to_string(h.iterations) +
                " sampling iterations ended with a divergence: the draws may be biased; " +
                (s.adapted ? "raise adapt_delta" : "nothing adapted the step size: lower it (stepsize)") +
                " or reparameterize");
  if (h.treedepth_saturated > 0 && s.sampler == "hmc")
    w.push_back(std::to_string(h.treedepth_saturated) + " of " + std::to_string(h.iterations) +
                " sampling iterations were cut at 2^max_treedepth leapfrog steps, short of the integration time: "
                "the step size is small for it; consider a larger max_treedepth or a shorter integration time (int_time)");
  else if (h.treedepth_saturated > 0)
    w.push_back(std::to_string(h.treedepth_saturated) + " of " + std::to_string(h.iterations) +
                " sampling iterations hit the maximum tree depth: efficiency problem, consider a larger max_treedepth");
  // A chain whose kept draws are all one point never moved (every proposal rejected, or a
  // density finite at that point only). If all chains did so from one shared initial point,
  // R-hat and ESS are NaN and no threshold below would say anything.
  if (h.stuck_chains > 0)
    w.push_back(std::to_string(h.stuck_chains) + " of " + std::to_string(s.chains) +
                " chain(s) never moved: all their draws are the same point; check the log density, the "
                "initial points and the step size");
  // Non-finite draws (an output map that took the log of a negative value, say) make every
  // statistic of the row NaN: say so rather than skip the row below without a word.
  for (const auto& r : s.rows)
    if (r.non_finite > 0)
      w.push_back(r.name + ": " + std::to_string(r.non_finite) + " of " + std::to_string(s.chains * s.draws_per_chain) +
                  " draws are NaN or infinite; its statistics are not meaningful");
}

// E-BFMI, R-hat and ESS against their thresholds: one line a quantity up to a few; beyond, one
// line with the worst, or a model of a hundred parameters buries everything else under two
// hundred lines.
void mixing_warnings(const Summary& s, std::vector<std::string>& w) {
  const auto& h = s.health;
  for (std::size_t c = 0; c < h.ebfmi.size(); ++c)
    if (h.ebfmi[c] < 0.3)
      w.push_back("chain " + std::to_string(c + 1) + ": E-BFMI " + fmt("%.3f", h.ebfmi[c]) +
                  " < 0.3: the momentum resampling explores the energy poorly");
    else if (!std::isfinite(h.ebfmi[c]))  // NaN < 0.3 is false: a chain whose energies overflowed passed
      w.push_back("chain " + std::to_string(c + 1) + ": E-BFMI is " + fmt("%g", h.ebfmi[c]) +
                  ": its energies are not finite, constant, or too large to square (beyond 1e154), as for a chain "
                  "lost far out in the tails; check the initial points (init_radius) and the model");
  std::vector<const SummaryRow*> unmixed, short_ess;
  const double min_ess = 100.0 * s.chains;
  for (const auto& r : s.rows) {
    if (std::isnan(r.rhat)) continue;
    if (r.rhat > 1.01) unmixed.push_back(&r);
    if (r.ess_bulk < min_ess || r.ess_tail < min_ess) short_ess.push_back(&r);
  }
  const auto rhat_text = [](double rhat) { return fmt(rhat < 1000 ? "%.3f" : "%.3g", rhat); };
  const auto ess_text = [&](const SummaryRow& r) {  // only the ESS that falls short
    if (r.ess_bulk < min_ess && r.ess_tail < min_ess) return "bulk/tail ESS " + fmt("%.0f", r.ess_bulk) + "/" + fmt("%.0f", r.ess_tail);
    return r.ess_bulk < min_ess ? "bulk ESS " + fmt("%.0f", r.ess_bulk) : "tail ESS " + fmt("%.0f", r.ess_tail);
  };
  constexpr std::size_t kEach = 5;
  if (unmixed.size() <= kEach) {
    for (const auto* r : unmixed) w.push_back(r->name + ": R-hat " + rhat_text(r->rhat) + " > 1.01: chains have not mixed");
  } else {
    const auto* worst = *std::max_element(unmixed.begin(), unmixed.end(), [](auto a, auto b) { return a->rhat < b->rhat; });
    w.push_back(std::to_string(unmixed.size()) + " of " + std::to_string(s.rows.size()) + " quantities have R-hat > 1.01 (largest " +
                rhat_text(worst->rhat) + ", " + worst->name + "): chains have not mixed");
  }
  if (short_ess.size() <= kEach) {
    for (const auto* r : short_ess)
      w.push_back(r->name + ": " + ess_text(*r) + " < " + fmt("%.0f", min_ess) + ": estimates are unreliable, run longer chains");
  } else {
    const auto lowest = [](const SummaryRow* r) { return std::min(r->ess_bulk, r->ess_tail); };
    const auto* worst = *std::min_element(short_ess.begin(), short_ess.end(), [&](auto a, auto b) { return lowest(a) < lowest(b); });
    w.push_back(std::to_string(short_ess.size()) + " of " + std::to_string(s.rows.size()) + " quantities have an ESS below " +
                fmt("%.0f", min_ess) + " (lowest: " + worst->name + ", " + ess_text(*worst) +
                "): estimates are unreliable, run longer chains");
  }
}

}  // namespace

std::vector<std::string> health_warnings(const Summary& s) {
  std::vector<std::string> w;
  sampler_warnings(s, w);
  // Split R-hat, ESS and E-BFMI need a few draws per chain; with fewer they come out NaN, which
  // no threshold would flag.
  constexpr int kMinDraws = 4;
  if (s.draws_per_chain < kMinDraws) {
    w.push_back("only " + std::to_string(s.draws_per_chain) + " draw(s) per chain: R-hat, ESS and E-BFMI need at least " +
                std::to_string(kMinDraws) + " and are not meaningful; run more draws (or a smaller thin)");
    return w;
  }
  mixing_warnings(s, w);
  return w;
}


SummaryRow summarize_draws(const std::string& name, const Eigen::MatrixXd& draws) {
  SummaryRow r;
  r.name = name;
  const Eigen::Map<const Eigen::VectorXd> all(draws.data(), draws.size());
  r.non_finite = static_cast<long>((!all.array().isFinite()).count());
  r.mean = mean(draws);
  r.sd = all.size() > 1 ? sd(draws) : 0.0;
  r.mcse = mcse_mean(draws);
  r.mcse_sd = mcse_sd(draws);
  r.mad = mad(draws);
  r.q5 = quantile(draws, 0.05);
  r.q50 = quantile(draws, 0.5);
  r.q95 = quantile(draws, 0.95);
  r.mcse_q5 = mcse_quantile(draws, 0.05);
  r.mcse_q50 = mcse_quantile(draws, 0.5);
  r.mcse_q95 = mcse_quantile(draws, 0.95);
  r.ess_bulk = ess_bulk(draws);
  r.ess_tail = ess_tail(draws);
  r.rhat = rhat(draws);
  return r;
}

Summary summarize(const MultiChainResult& run) {
  const int max_treedepth = run.max_treedepth;
  Summary s;
  s.model = run.model;
  s.approximate_gradient = run.approximate_gradient;
  s.adapted = run.adapted;
  s.chains = static_cast<int>(run.chains.size());
  if (run.chains.empty()) return s;
  run.check_rectangular();
  s.sampler = run.chains.front().sampler;
  s.draws_per_chain = static_cast<int>(run.chains.front().draws.rows());
  Eigen::MatrixXd lp(s.draws_per_chain, s.chains);
  for (int c = 0; c < s.chains; ++c) {
    const auto& ch = run.chains[static_cast<std::size_t>(c)];
    s.warmup_seconds += ch.warmup_seconds;
    s.sampling_seconds += ch.sampling_seconds;
    s.gradient_evaluations += ch.gradient_evaluations;
    s.density_evaluations += ch.density_evaluations;
    lp.col(c) = ch.lp;
  }
  s.rows.push_back(summarize_draws("lp__", lp));
  for (std::size_t j = 0; j < run.output_names.size(); ++j)
    s.rows.push_back(summarize_draws(run.output_names[j], run.column(static_cast<int>(j))));
  s.health = sampler_health(run, max_treedepth);
  s.warnings = health_warnings(s);
  return s;
}

std::string format_summary(const Summary& s) {
  std::ostringstream os;
  os << "Inference for model '" << s.model << "' (" << s.sampler << "): " << count_text(static_cast<std::size_t>(s.chains), "chain")
     << ", " << count_text(static_cast<std::size_t>(s.draws_per_chain), "draw");
  if (s.chains > 1) os << " each, " << s.chains * s.draws_per_chain << " in total";  // one chain's total is its count
  os << ".\n";
  os << "Warmup took " << fmt("%.3g", s.warmup_seconds) << " s, sampling " << fmt("%.3g", s.sampling_seconds)
     << " s (summed over chains); " << s.gradient_evaluations << " gradient evaluations";
  if (s.density_evaluations > 0) os << ", " << s.density_evaluations << " density evaluations";
  os << ".\n\n";
  std::size_t width = 8;
  for (const auto& r : s.rows) width = std::max(width, r.name.size() + 2);
  char line[512];
  std::snprintf(line, sizeof line, "%-*s %10s %9s %9s %9s %10s %10s %10s %8s %8s %7s\n", static_cast<int>(width), "",
                "Mean", "MCSE", "StdDev", "MAD", "5%", "50%", "95%", "ESS_bulk", "ESS_tail", "R_hat");
  os << line;
  for (const auto& row : s.rows) {
    SummaryRow r = row;
    for (double* v : {&r.mean, &r.mcse, &r.sd, &r.mad, &r.q5, &r.q50, &r.q95, &r.ess_bulk, &r.ess_tail, &r.rhat})
      *v = std::isnan(*v) ? std::fabs(*v) : *v;  // printf writes "-nan" for a NaN with its sign bit set
    // A chain stuck far from the others can give R-hat 1e15 or ESS 1e20: exponent form keeps the columns.
    const char* rhat_form = std::abs(r.rhat) < 1000 ? "%7.3f" : "%7.2g";
    const char* ess_form = std::abs(r.ess_bulk) < 1e8 && std::abs(r.ess_tail) < 1e8 ? "%8.0f %8.0f" : "%8.2g %8.2g";
    std::snprintf(line, sizeof line, "%-*s %10.4g %9.2g %9.3g %9.3g %10.4g %10.4g %10.4g ", static_cast<int>(width),
                  r.name.c_str(), r.mean, r.mcse, r.sd, r.mad, r.q5, r.q50, r.q95);
    os << line;
    std::snprintf(line, sizeof line, ess_form, r.ess_bulk, r.ess_tail);
    os << line << ' ';
    std::snprintf(line, sizeof line, rhat_form, r.rhat);
    os << line << '\n';
  }
  const auto& h = s.health;
  if (h.hamiltonian) {
    os << "\nDivergences: " << h.divergences << " of " << h.iterations;
    if (h.kept_iterations != h.iterations)  // thinned: what the kept draws (and a CSV) show
      os << " sampling iterations (" << h.kept_divergences << " in the " << h.kept_iterations << " kept)";
    if (s.sampler == "nuts") os << "; max tree depth hit: " << h.treedepth_saturated;
    if (s.sampler == "hmc") os << "; leapfrog cap hit: " << h.treedepth_saturated;
    if (!h.ebfmi.empty()) {
      os << "; E-BFMI per chain:";
      for (const double e : h.ebfmi) os << ' ' << fmt("%.2f", e);
    }
    os << '\n';
  }
  for (const auto& w : s.warnings) os << "Warning: " << w << '\n';
  return os.str();
}

std::string format_summary_csv(const Summary& s) {
  std::ostringstream os;
  os << "name,Mean,MCSE,StdDev,MAD,5%,50%,95%,ESS_bulk,ESS_tail,R_hat,MCSE_SD,MCSE_5%,MCSE_50%,MCSE_95%,non_finite\n";
  const auto number = [](double v) {
    if (std::isnan(v)) return std::string("NaN");
    if (std::isinf(v)) return std::string(v > 0 ? "Inf" : "-Inf");
    return shortest_text(v);
  };
  for (const auto& r : s.rows) {
    os << csv_field(r.name);
    for (const double v : {r.mean, r.mcse, r.sd, r.mad, r.q5, r.q50, r.q95, r.ess_bulk, r.ess_tail, r.rhat, r.mcse_sd,
                           r.mcse_q5, r.mcse_q50, r.mcse_q95})
      os << ',' << number(v);
    os << ',' << r.non_finite << '\n';
  }
  return os.str();
}

}  // namespace gpbo::mcmc
