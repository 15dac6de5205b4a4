// GaussianProcess::fit: MAP (or ML) hyperparameters by multi-start L-BFGS (NLopt LD_LBFGS).
#include <nlopt.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "gpbo/core/parallel.hpp"
#include "gpbo/gp/cholesky.hpp"
#include "gpbo/gp/gaussian_process.hpp"
#include "gpbo/gp/marginal_likelihood.hpp"

namespace gpbo {
namespace {

// Stream of make_rng(seed, .) used to draw the data subset (starts use streams 1..restarts).
constexpr std::uint64_t kSubsetStream = 1'000'003;

struct RunResult {
  Eigen::VectorXd params;
  double value = -std::numeric_limits<double>::infinity();
  int evaluations = 0;
};

struct Objective {
  MarginalLikelihood* ml;
  bool use_priors;
  RunResult* best;
};

double nlopt_objective(unsigned n, const double* x, double* grad, void* data) {
  auto* obj = static_cast<Objective*>(data);
  const Eigen::Map<const Eigen::VectorXd> p(x, n);
  Eigen::VectorXd g;
  double value;
  ++obj->best->evaluations;
  try {
    value = obj->use_priors ? obj->ml->log_posterior(p, grad ? &g : nullptr) : obj->ml->lml(p, grad ? &g : nullptr);
  } catch (const CholeskyError&) {
    // Unfactorizable here: a very poor value with no gradient makes the line search back off.
    if (grad) std::fill(grad, grad + n, 0.0);
    return -1e300;
  }
  if (!std::isfinite(value) || (grad && !g.allFinite())) {
    if (grad) std::fill(grad, grad + n, 0.0);
    return -1e300;
  }
  if (grad) std::copy(g.data(), g.data() + n, grad);
  if (value > obj->best->value) {
    obj->best->value = value;
    obj->best->params = p;
  }
  return value;
}

/// NLopt's L-BFGS makes its first step as long as the gradient. From a steep start (a log length
/// scale gradient of -400 on 30 points) that step ends on a bound where the likelihood is flat
/// in that parameter, and the run stops there (a pure-noise model). L-BFGS-B and SciPy's BFGS
/// make the first step of length ~1 instead; this does that step (largest change 1 in log units,
/// halved until the objective improves) and returns where L-BFGS should start.
std::vector<double> damped_first_step(Objective& obj, const std::vector<double>& x0, const Eigen::VectorXd& lo,
                                      const Eigen::VectorXd& hi) {
  const auto n = static_cast<unsigned>(x0.size());
  std::vector<double> g(n);
  const double f0 = nlopt_objective(n, x0.data(), g.data(), &obj);
  const double gmax = Eigen::Map<const Eigen::VectorXd>(g.data(), n).lpNorm<Eigen::Infinity>();
  if (f0 <= -1e300 || !(gmax > 1.0)) return x0;  // unusable start, or already a step of <= 1
  std::vector<double> x(n);
  for (double step = 1.0 / gmax; step * gmax > 1.0 / 16.0; step *= 0.5) {
    for (unsigned i = 0; i < n; ++i) x[i] = std::clamp(x0[i] + step * g[i], lo(i), hi(i));
    if (nlopt_objective(n, x.data(), nullptr, &obj) > f0) return x;
  }
  return x0;
}

/// One L-BFGS run from `start`; returns the best point seen (robust to NLopt's exceptions).
RunResult run_lbfgs(MarginalLikelihood& ml, const Eigen::VectorXd& start, const FitOptions& o) {
  RunResult best;
  best.params = start;
  const auto n = static_cast<unsigned>(start.size());
  if (n == 0) {
    best.value = o.use_priors ? ml.log_posterior(start, nullptr) : ml.lml(start, nullptr);
    best.evaluations = 1;
    return best;
  }
  nlopt::opt opt(nlopt::LD_LBFGS, n);
  const Eigen::VectorXd lo = ml.lower(), hi = ml.upper();
  opt.set_lower_bounds(std::vector<double>(lo.data(), lo.data() + n));
  opt.set_upper_bounds(std::vector<double>(hi.data(), hi.data() + n));
  Objective obj{&ml, o.use_priors, &best};
  opt.set_max_objective(nlopt_objective, &obj);
  opt.set_maxeval(o.max_evaluations);
  opt.set_ftol_rel(o.ftol_rel);
  std::vector<double> x(start.data(), start.data() + n);
  for (unsigned i = 0; i < n; ++i) x[i] = std::clamp(x[i], lo(i), hi(i));
  x = damped_first_step(obj, x, lo, hi);
  double f = 0.0;
  try {
    opt.optimize(x, f);
  } catch (const std::exception&) {
    // roundoff_limited / forced stop / failure: keep the best point evaluated so far.
  }
  return best;
}

/// A random permutation of 0..n-1 (from the subset stream); stage data are its prefixes.
std::vector<Eigen::Index> draw_permutation(Eigen::Index n, std::uint64_t seed) {
  std::vector<Eigen::Index> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), Eigen::Index{0});
  Rng rng = make_rng(seed, kSubsetStream);
  for (std::size_t i = 0; i + 1 < idx.size(); ++i) {  // Fisher-Yates
    const auto j = i + uniform_index(rng, idx.size() - i);
    std::swap(idx[i], idx[j]);
  }
  return idx;
}

/// The rows of the first m entries of perm (kept in data order).
std::vector<Eigen::Index> prefix(const std::vector<Eigen::Index>& perm, Eigen::Index m) {
  std::vector<Eigen::Index> idx(perm.begin(), perm.begin() + m);
  std::sort(idx.begin(), idx.end());
  return idx;
}

/// The rows the starts are fitted on: with a subset, the first subset_size of a random
/// permutation (`perm`, whose longer prefixes the refinement stages take); else every row.
std::vector<Eigen::Index> start_rows(Eigen::Index n, const FitOptions& options, std::vector<Eigen::Index>& perm) {
  if (options.subset_size > 0 && static_cast<Eigen::Index>(options.subset_size) < n) {
    perm = draw_permutation(n, options.seed);
    return prefix(perm, static_cast<Eigen::Index>(options.subset_size));
  }
  std::vector<Eigen::Index> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), Eigen::Index{0});
  return all;
}

/// The best start (ties keep the lowest index), its objectives and evaluations added to `result`.
std::size_t best_start(const std::vector<RunResult>& runs, FitResult& result) {
  std::size_t best = 0;
  for (std::size_t s = 0; s < runs.size(); ++s) {
    result.start_objectives.push_back(runs[s].value);
    result.evaluations += runs[s].evaluations;
    if (runs[s].value > runs[best].value) best = s;
  }
  if (!std::isfinite(runs[best].value)) {
    throw CholeskyError("GaussianProcess::fit: the likelihood could not be evaluated at any start; "
                        "try a larger noise lower bound or tighter length-scale bounds", 0.0);
  }
  return best;
}

}  // namespace

namespace {

// What fit() needs of its request: restarts >= 0, at least 2 points, a warp sized to the data.
void check_fit_request(const FitOptions& options, Eigen::Index n) {
  if (options.restarts < 0) throw std::invalid_argument("FitOptions::restarts must be >= 0");
  if (options.max_evaluations < 1) throw std::invalid_argument("FitOptions::max_evaluations must be >= 1");
  if (!(options.ftol_rel >= 0.0 && std::isfinite(options.ftol_rel)))
    throw std::invalid_argument("FitOptions::ftol_rel must be finite and >= 0");
  // A subset of one point is a fit fit() itself refuses (below).
  if (options.subset_size == 1) throw std::invalid_argument("FitOptions::subset_size must be 0 (all the points) or at least 2");
  // One point says nothing about length scales or amplitude: its likelihood drives the output
  // scale to its bound, and the model becomes certain everywhere (5 +- 0.005 a thousand units away).
  if (n < 2)
    throw std::invalid_argument("GaussianProcess::fit needs at least 2 data points, got " + std::to_string(n) +
                                "; with fewer, keep the hyperparameters as set (predict without fit)");
  const TargetWarp* warp = options.warp;
  if (warp && (warp->num_targets() != n || options.warp_start.size() != warp->num_params()))
    throw std::invalid_argument("FitOptions::warp must have one target per observation and warp_start its parameters");
  const Eigen::VectorXd& v = options.warp_point_noise;
  if (v.size() > 0 && (!warp || v.size() != n || !v.allFinite() || (v.array() < 0.0).any()))
    throw std::invalid_argument("FitOptions::warp_point_noise needs a warp and one finite variance >= 0 per observation");
}

// Known noise variances are in the targets' units, which a warp would change.
void check_no_point_noise_with_warp(const FitOptions& options, const Eigen::VectorXd& point_noise) {
  if (options.warp && point_noise.size() > 0)
    throw std::invalid_argument("GaussianProcess::fit: a target warp cannot be fitted to data with known noise variances "
                                "(point_noise): the variances are in the unwarped units; give them as FitOptions::warp_point_noise");
}

// The optimizer's starting points: the current values, then `restarts` random draws around them
// (stream s of the seed). Every start begins the warp at warp_start: the kernel's random starts
// explore, the warp (a few parameters, cheap to adjust) follows them.
std::vector<Eigen::VectorXd> fit_starts(const ParamLayout& layout, const ModelValues& base, const FitOptions& options) {
  auto with_warp = [&](const Eigen::VectorXd& p) {
    if (!options.warp) return p;
    Eigen::VectorXd full(p.size() + options.warp->num_params());
    full << p, options.warp_start;
    return full;
  };
  const auto n_starts = static_cast<std::size_t>(options.restarts) + 1;
  std::vector<Eigen::VectorXd> starts(n_starts);
  starts[0] = with_warp(layout.pack(base));
  for (std::size_t s = 1; s < n_starts; ++s) {
    Rng rng = make_rng(options.seed, s);
    starts[s] = with_warp(layout.sample(base, rng, static_cast<int>(s) - 1, static_cast<int>(n_starts) - 1));
  }
  return starts;
}

}  // namespace

FitResult GaussianProcess::fit(const FitOptions& options) {
  check_fit_request(options, size());
  check_no_point_noise_with_warp(options, point_noise_);
  const bool data_maps = options_.standardize_outputs || (options_.scale_inputs && options_.input_lower.size() == 0);
  if (maps_size_ >= 0 && maps_size_ != size() && data_maps) {
    const Eigen::MatrixXd X = X_;
    const Eigen::VectorXd y = y_, noise = point_noise_;
    set_data(X, y, noise);  // maps from all the data now, not from the points set_data saw
  }
  const ModelValues base{kernel_->log_params(), log_noise_, mean_};
  const ParamLayout layout(*kernel_, options_);
  const TargetWarp* warp = options.warp;
  const std::vector<Eigen::VectorXd> starts = fit_starts(layout, base, options);
  const std::size_t n_starts = starts.size();
  const Eigen::VectorXd point_noise = modeled_point_noise();
  auto evaluator = [&](const std::vector<Eigen::Index>& idx) {
    if (warp) {
      MarginalLikelihood ml(*kernel_, options_, Xm_(idx, Eigen::all), *warp, idx, base);
      if (options.warp_point_noise.size() > 0) ml.set_warped_point_noise(options.warp_point_noise);
      return ml;
    }
    MarginalLikelihood ml(*kernel_, options_, Xm_(idx, Eigen::all), ym_(idx), base);
    if (point_noise.size() > 0) ml.set_point_noise(point_noise(idx));
    return ml;
  };

  std::vector<Eigen::Index> perm;  // filled when the starts see a subset
  const std::vector<Eigen::Index> first_rows = start_rows(size(), options, perm);
  std::vector<RunResult> runs(n_starts);
  parallel_for(n_starts, options.threads, [&](std::size_t s) {
    MarginalLikelihood ml = evaluator(first_rows);
    runs[s] = run_lbfgs(ml, starts[s], options);
  });

  FitResult result;
  const std::size_t best = best_start(runs, result);
  RunResult chosen = runs[best];
  if (!perm.empty()) {
    // Refine the best start on growing nested subsets (2m, 4m, ... if asked) and then all data.
    const auto m = static_cast<Eigen::Index>(options.subset_size);
    std::vector<Eigen::Index> stages;
    for (Eigen::Index s = 2 * m; options.subset_doubling && s < size(); s *= 2) stages.push_back(s);
    stages.push_back(size());
    for (const Eigen::Index s : stages) {
      MarginalLikelihood ml = evaluator(prefix(perm, s));
      chosen = run_lbfgs(ml, chosen.params, options);
      result.evaluations += chosen.evaluations;
      result.refine_evaluations += chosen.evaluations;
    }
  }
  if (warp) {
    result.warp_params = chosen.params.tail(warp->num_params());
    // The modeled targets become the warp's at the optimum (user units through the output map);
    // set_data factorizes once, at the optimum's hyperparameters.
    const WarpedTargets at = warp->apply(result.warp_params, false);
    assign_params(chosen.params.head(layout.size()));
    Eigen::VectorXd noise;  // the known variances as the evidence took them, in user units
    if (options.warp_point_noise.size() > 0)
      noise = carried_variances(options.warp_point_noise, at.log_slope) * (output_map_.scale * output_map_.scale);
    set_data(X_, (output_map_.shift + output_map_.scale * at.w.array()).matrix(), input_map_, output_map_, noise);
  } else {
    set_params(chosen.params.head(layout.size()));
  }
  result.best_start = static_cast<int>(best);
  result.log_posterior = chosen.value;
  result.log_marginal_likelihood = log_marginal_likelihood();
  return result;
}

}  // namespace gpbo
