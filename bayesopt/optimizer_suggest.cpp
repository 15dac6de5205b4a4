// How the optimizer chooses its next point (Optimizer's members declared in optimizer.hpp): the
// initial design, the models that weigh a suggestion (failures, outcome constraints), the
// incumbent, the basin escape and the acquisition search. optimizer.cpp keeps the trials, the
// tells, the answers (best, recommend, predict, importance) and the stopping rules.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "gpbo/bayesopt/acquisition_search.hpp"
#include "gpbo/bayesopt/design.hpp"
#include "gpbo/bayesopt/feasibility.hpp"
#include "gpbo/bayesopt/noisy_ei.hpp"
#include "gpbo/bayesopt/optimizer.hpp"

namespace gpbo::bo {

namespace {

// Whether a trial has an outcome for the failure model (it is neither pending nor abandoned).
bool finished(const Trial& t) { return t.status == TrialStatus::Ok || t.status == TrialStatus::Failed; }

// Whether a finished trial counts as failed for the failure model: it failed, or its value (in
// internal, minimized units) is a penalty.
bool counts_as_failure(const Trial& t, double internal_value, double penalty_from) {
  return t.status == TrialStatus::Failed || internal_value >= penalty_from;
}

}  // namespace

std::optional<ConstraintModels> Optimizer::fit_constraint_models() const {
  const std::size_t K = options_.constraints.size();
  if (K == 0 || ok_order_.size() < 2) return std::nullopt;
  Eigen::MatrixXd X(static_cast<Eigen::Index>(ok_order_.size()), static_cast<Eigen::Index>(space_.encoded_dim()));
  Eigen::MatrixXd C(X.rows(), static_cast<Eigen::Index>(K));
  for (std::size_t i = 0; i < ok_order_.size(); ++i) {
    const Trial& t = trials_[ok_order_[i]];
    X.row(static_cast<Eigen::Index>(i)) = t.u.transpose();
    for (std::size_t k = 0; k < K; ++k) C(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = t.constraint_values[k];
  }
  // The bilog's scale from the first initial_points results (the design, as a rule): those
  // after it crowd the boundary.
  return ConstraintModels::fit(options_.constraints, X, C, options_.surrogate.noise,
                               static_cast<Eigen::Index>(std::max<std::size_t>(options_.initial_points, 2)));
}

const ConstraintModels* Optimizer::constraint_models() {
  if (options_.constraints.empty() || ok_order_.size() < 2) return nullptr;
  if (!constraint_models_ || constraint_models_ok_ != ok_order_.size()) {
    constraint_models_ = fit_constraint_models();
    constraint_models_ok_ = ok_order_.size();
  }
  return &*constraint_models_;
}

void Optimizer::finished_outcomes(double penalty_from, std::vector<Eigen::Index>& rows, std::vector<bool>& failed) const {
  rows.clear();
  failed.clear();
  for (std::size_t i = 0; i < trials_.size(); ++i) {
    const Trial& t = trials_[i];
    if (!finished(t)) continue;  // no outcome (yet)
    rows.push_back(static_cast<Eigen::Index>(i));
    failed.push_back(counts_as_failure(t, internal(t.value), penalty_from));
  }
}

bool Optimizer::any_failed() const {
  const double from = penalty_from();
  return std::any_of(trials_.begin(), trials_.end(), [&](const Trial& t) {
    return finished(t) && counts_as_failure(t, internal(t.value), from);
  });
}

std::optional<FailureModel> Optimizer::fit_failure_model(const Eigen::MatrixXd& points, double penalty_from,
                                                         std::size_t* finished) const {
  std::vector<Eigen::Index> rows;
  std::vector<bool> failed;
  finished_outcomes(penalty_from, rows, failed);
  if (finished && rows.size() == *finished) return std::nullopt;  // the caller's fit is current
  std::optional<FailureModel> model = FailureModel::fit(points(rows, Eigen::all), failed);
  if (finished) *finished = rows.size();  // after the fit: one that threw is tried again
  return model;
}

const FailureModel* Optimizer::failure_model(const Eigen::MatrixXd& points, double penalty_from) {
  // penalty_from is a function of the finished trials too, so their count still names the fit.
  const std::size_t before = failures_finished_;
  std::optional<FailureModel> fitted = fit_failure_model(points, penalty_from, &failures_finished_);
  if (failures_finished_ != before) failures_ = std::move(fitted);
  return failures_ ? &*failures_ : nullptr;
}

Eigen::VectorXd Optimizer::next_point() {
  const Eigen::MatrixXd avoid = all_points();
  const double from = penalty_from();
  const std::vector<std::uint64_t> ids = modeled(from);
  if (in_initial_design(ids.size())) return design_point(avoid, from);
  return model_point(avoid, ids, from);
}

// The design runs until `initial_points` evaluations succeeded (pending ones count as
// successes), but where most evaluations fail it stops after twice that many blind points, once
// a few succeeded: the failure model then steers away from the failing region, where more blind
// points would spend most of a small budget (two thirds failing took ~30 points for 10 successes).
bool Optimizer::in_initial_design(std::size_t n_modeled) const {
  const std::size_t n_pending = pending().size(), wanted = options_.initial_points;
  if (n_modeled < 2) return true;
  if (ok_order_.size() + n_pending >= wanted) return false;
  const std::size_t min_successes = std::max<std::size_t>(3, (wanted + 3) / 4);
  return trials_.size() < 2 * wanted || n_modeled < min_successes;
}

Eigen::VectorXd Optimizer::design_point(const Eigen::MatrixXd& avoid, double penalty_from) {
  const Space& space = search_space();
  while (design_cursor_ < static_cast<std::size_t>(design_.rows())) {
    const Eigen::VectorXd u = space.snap_uniform(design_.row(static_cast<Eigen::Index>(design_cursor_++)).transpose());
    if (admissible(space, u, avoid, search_.duplicate_tolerance)) return u;
  }
  // Past the design's rows only because evaluations failed: draw where success is likely.
  if (const FailureModel* fm = failure_model(avoid, penalty_from)) return likely_success_point(avoid, *fm);
  return random_point(avoid);
}

// Sampling-importance-resampling from the uniform distribution weighted by the success
// probability: a failing region gets few further blind points, while failures at random leave
// the weights flat and the draw uniform.
Eigen::VectorXd Optimizer::likely_success_point(const Eigen::MatrixXd& avoid, const FailureModel& fm) {
  constexpr Eigen::Index kCandidates = 64;
  const Space& space = search_space();
  Eigen::MatrixXd U = space.random_points(kCandidates, rng_);
  Eigen::Index n = 0;
  for (Eigen::Index i = 0; i < U.rows(); ++i) {
    const Eigen::VectorXd u = U.row(i).transpose();
    if (admissible(space, u, avoid, search_.duplicate_tolerance)) U.row(n++) = u.transpose();
  }
  if (n == 0) return random_point(avoid);
  const Eigen::VectorXd log_p = fm.log_success(U.topRows(n));
  const Eigen::VectorXd weight = (log_p.array() - log_p.maxCoeff()).exp();
  double r = uniform01(rng_) * weight.sum();
  Eigen::Index pick = 0;
  while (pick + 1 < n && (r -= weight[pick]) > 0.0) ++pick;
  return U.row(pick).transpose();
}

Eigen::VectorXd Optimizer::random_point(const Eigen::MatrixXd& avoid) {
  const Space& space = search_space();
  if (auto u = space.first_random_point(rng_, 10000, [&](const Eigen::VectorXd& v) { return admissible(space, v, avoid, search_.duplicate_tolerance); }))
    return *u;
  // A finite space with few points left: walk its points from a random one (a slice of a large
  // finite box lists the box's, hence admissible()).
  if (const auto total = space.cardinality(); total && *total <= (std::uint64_t{1} << 20)) {
    const std::uint64_t start = uniform_index(rng_, *total);
    for (std::uint64_t k = 0; k < *total; ++k) {
      const Eigen::VectorXd u = space.encoded_point((start + k) % *total);
      if (admissible(space, u, avoid, search_.duplicate_tolerance)) return u;
    }
  }
  const std::string held = space.held().empty() ? "" : " with " + describe_values(space.held());
  throw SpaceExhausted("Optimizer: no point of the space" + held + " is left that was not already evaluated or pending");
}

std::optional<EscapeRegion> Optimizer::escape_region(const Eigen::MatrixXd& X_all, const Eigen::VectorXd& y_all,
                                                     const std::vector<bool>& feasible,
                                                     const GaussianProcess& model) const {
  // Basins are judged by the results that count: those meeting the outcome constraints (copied
  // out only where some do not).
  std::vector<Eigen::Index> rows;
  for (std::size_t i = 0; i < feasible.size(); ++i)
    if (feasible[i]) rows.push_back(static_cast<Eigen::Index>(i));
  if (rows.size() < 2) return std::nullopt;
  const bool all = rows.size() == feasible.size();
  Eigen::MatrixXd X_feasible;
  Eigen::VectorXd y_feasible;
  if (!all) {
    X_feasible = X_all(rows, Eigen::all);
    y_feasible = y_all(rows);
  }
  const Eigen::MatrixXd& X = all ? X_all : X_feasible;
  const Eigen::VectorXd& y = all ? y_all : y_feasible;
  const EscapeOptions& e = options_.escape;
  // Which suggestion this is counts the pending ones: in a batch (or with workers) the told
  // values stay the same from one suggestion to the next, so counting only them made every
  // suggestion escape, round after round, or none.
  const std::size_t suggestion = static_cast<std::size_t>(y.size()) + pending().size();
  if (!e.enabled) return std::nullopt;
  const auto dim = static_cast<std::size_t>(space_.encoded_dim());
  const std::size_t patience = e.patience > 0 ? e.patience : 2 * dim + 2;
  // Stagnation is judged on the values as the surrogate models them (after its output warp). On
  // raw values one far-off 1e6 of Rosenbrock-4 made every later improvement "less than 1e-3 of
  // the range", so runs escaped every other step from evaluation 20 on (50 evaluations, 60
  // seeds: median regret 24.8 with raw values, 15.9 with modeled ones; 2026-12-03).
  const Eigen::VectorXd modeled = y.unaryExpr([&](double v) { return surrogate_.standardize(v); });
  if (!escape_turn(suggestion, evaluations_since_improvement(modeled, e.min_improvement), patience, e)) return std::nullopt;
  const auto ls = ard_lengthscales(model, X.cols());
  if (!ls) return std::nullopt;
  return find_escape_region(X, y, *ls, e);
}

std::vector<bool> Optimizer::trusted(std::vector<bool> feasible) const {
  std::vector<bool> out = feasible;
  for (std::size_t i = 0; i < out.size(); ++i)
    if (surrogate_.outlier(static_cast<Eigen::Index>(i))) out[i] = false;
  return std::find(out.begin(), out.end(), true) != out.end() ? out : feasible;
}

Eigen::VectorXd Optimizer::incumbent_point(const Eigen::MatrixXd& X, const Eigen::VectorXd& y,
                                           const std::vector<bool>& feasible, const ConstraintModels* cm) const {
  Eigen::Index pick = -1;
  for (Eigen::Index i = 0; i < y.size(); ++i)
    if (feasible[static_cast<std::size_t>(i)] && (pick < 0 || y[i] < y[pick])) pick = i;
  // None meets the constraints yet: the one most likely to, by the constraints' models.
  if (pick < 0 && cm) cm->log_success(X).maxCoeff(&pick);
  if (pick < 0) y.minCoeff(&pick);
  return X.row(pick).transpose();
}

std::vector<double> Optimizer::incumbents(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& X,
                                          const Eigen::VectorXd& y, const std::vector<bool>& feasible) const {
  std::vector<double> best(models.size());
  for (std::size_t m = 0; m < models.size(); ++m)
    best[m] = options_.acquisition == AcquisitionKind::NoisyEI ? min_where(models[m].predict(X).mean, feasible)
                                                                : surrogate_.standardize(min_where(y, feasible));
  return best;
}

std::vector<SharedCovarianceModels> Optimizer::noisy_ei_models(const std::vector<GaussianProcess>& models,
                                                               std::vector<double>& best,
                                                               const std::vector<bool>& feasible) {
  // mcmc mode: the draws are shared out among the hyperparameter samples, at least one each.
  const auto per_model = static_cast<int>(std::max<std::size_t>(1, (search_.nei_samples + models.size() / 2) / models.size()));
  std::vector<SharedCovarianceModels> fantasies;
  for (const GaussianProcess& model : models) {
    NoisyEiFantasies f = noisy_ei_fantasies(model, per_model, rng_, feasible);
    fantasies.push_back(std::move(f.models));
    best.insert(best.end(), f.best.begin(), f.best.end());
  }
  return fantasies;
}

Eigen::VectorXd Optimizer::model_point(const Eigen::MatrixXd& avoid, const std::vector<std::uint64_t>& ids,
                                       double penalty_from) {
  Eigen::MatrixXd X;
  Eigen::VectorXd y, noise;
  observations(ids, X, y, &noise);
  last_warning_.clear();
  try {
    // A value found to be a penalty only now leaves the data: the surrogate refits from scratch.
    const bool extends = ids.size() >= surrogate_ids_.size() && std::equal(surrogate_ids_.begin(), surrogate_ids_.end(), ids.begin());
    if (!extends) surrogate_.forget_data();
    surrogate_.update(X, y, rng_, noise);
    surrogate_ids_ = ids;
    // EI and PI count improvement beyond the incumbent minus the margin xi (UCB has none).
    const double margin = options_.acquisition == AcquisitionKind::UCB ? 0.0 : options_.improvement_margin();
    const bool constrained = !options_.constraints.empty();
    const std::vector<bool> feasible = trusted(feasible_flags(ids));  // all true without constraints or outliers
    const bool any_feasible = std::find(feasible.begin(), feasible.end(), true) != feasible.end();
    std::vector<SharedCovarianceModels> models;
    std::vector<double> best;
    if (options_.acquisition == AcquisitionKind::LogNEI && any_feasible) {
      models = noisy_ei_models(surrogate_.models(), best, constrained ? feasible : std::vector<bool>{});
    } else {
      if (any_feasible) best = incumbents(surrogate_.models(), X, y, feasible);
      for (const GaussianProcess& m : surrogate_.models()) models.emplace_back(m);
    }
    for (double& b : best) b -= margin;
    // Kriging believer: each pending point is observed at its posterior mean, and that belief
    // counts for the incumbent too, so the batch's next point must improve on what the pending
    // ones are expected to reach instead of crowding around them (bo_bench --batch 4, 40 seeds at
    // 50 evaluations: Hartmann-6 0.120 -> 0.082, Ackley-5 5.34 -> 4.04; 2026-12-02-s5). With
    // outcome constraints a pending point may prove infeasible, so its belief is no incumbent.
    for (const auto& t : trials_) {
      if (t.status != TrialStatus::Pending) continue;
      std::size_t member = 0;
      for (SharedCovarianceModels& m : models)
        for (const double believed : m.believe(t.u.transpose())) {
          if (!constrained) best[member] = std::min(best[member], believed - margin);
          ++member;
        }
    }
    const FailureModel* fm = failure_model(avoid, penalty_from);
    const ConstraintModels* cm = constraint_models();
    std::vector<const Feasibility*> parts;
    // EI p^2 rather than EI p where evaluations fail: a failure teaches the objective's model
    // nothing, so beyond a failing boundary it keeps extrapolating hope, and p there, learned from
    // a few labels, stays too high (a corner that failed was proposed again and again). Over 40
    // seeds, four failing regions had 11-21% fewer failures at lower or equal median regret; with
    // 30% failing at random, Hartmann-6's median regret rose (bench/results/2026-12-05-s27/).
    const std::optional<PoweredFeasibility> failures = fm ? std::optional<PoweredFeasibility>(std::in_place, *fm, 2.0) : std::nullopt;
    if (failures) parts.push_back(&*failures);
    if (cm) parts.push_back(cm);
    const JointFeasibility joint(parts);
    const Feasibility* feasibility = parts.empty() ? nullptr : parts.size() == 1 ? parts[0] : &joint;
    const Eigen::VectorXd incumbent = incumbent_point(X, y, feasible, cm);
    // Nothing to improve on yet: find where the constraints hold, whatever the acquisition. A
    // Thompson draw here let the objective's draw decide wherever no candidate was drawn feasible:
    // in a ball of 2% of the square it found no feasible point in 40 evaluations in over a quarter
    // of 20 runs (bench/results/2026-12-04-s22/README.md).
    if (!any_feasible) {
      const auto acq = AcquisitionEvaluator::feasibility_only(std::move(models), options_.acquisition, *feasibility);
      return search_acquisition(acq, search_space(), avoid, incumbent, rng_, search_).u;
    }
    if (options_.acquisition == AcquisitionKind::Thompson)
      return thompson_search(models[0].model(), search_space(), avoid, incumbent, rng_, search_, feasibility).u;
    const double beta = gp_ucb_beta(static_cast<std::size_t>(X.rows()) + 1, space_.encoded_dim(), options_.ucb_delta, options_.ucb_scale);
    if (const auto region = escape_region(X, y, feasible, surrogate_.models()[0])) {
      // No margin here: the box already decides where to look, the leader is the value to beat.
      const double target = surrogate_.standardize(region->target);
      const AcquisitionEvaluator acq(std::move(models), options_.acquisition, std::vector<double>(best.size(), target), beta,
                                     feasibility);
      const SearchBox box{region->lower, region->upper};
      return search_acquisition(acq, search_space(), avoid, region->center, rng_, search_, &box).u;
    }
    const AcquisitionEvaluator acq(std::move(models), options_.acquisition, std::move(best), beta, feasibility);
    return search_acquisition(acq, search_space(), avoid, incumbent, rng_, search_).u;
  } catch (const std::exception& e) {
    last_warning_ = std::string("model-based suggestion failed, using a random point: ") + e.what();
    return random_point(avoid);
  }
}

}  // namespace gpbo::bo
