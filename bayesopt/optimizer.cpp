#include "gpbo/bayesopt/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

#include "gpbo/bayesopt/acquisition_search.hpp"
#include "gpbo/bayesopt/design.hpp"
#include "gpbo/bayesopt/feasibility.hpp"
#include "gpbo/bayesopt/noisy_ei.hpp"
#include "gpbo/bayesopt/penalties.hpp"
#include "gpbo/core/json_text.hpp"

namespace gpbo::bo {

std::string to_string(TrialStatus status) {
  switch (status) {
    case TrialStatus::Pending: return "pending";
    case TrialStatus::Ok: return "ok";
    case TrialStatus::Abandoned: return "abandoned";
    case TrialStatus::Failed: break;
  }
  return "failed";
}

namespace {

/// The one-hot columns of each categorical parameter (with more than one choice).
std::vector<std::vector<int>> categorical_groups(const Space& space) {
  std::vector<std::vector<int>> groups;
  for (std::size_t i = 0; i < space.size(); ++i) {
    const Parameter& p = space.parameters()[i];
    if (p.kind != Parameter::Kind::Categorical || p.width() < 2) continue;
    std::vector<int> g(p.width());
    for (std::size_t c = 0; c < g.size(); ++c) g[c] = static_cast<int>(space.offset(i) + c);
    groups.push_back(std::move(g));
  }
  return groups;
}

/// The posterior mean at the rows of X of a mixture of equally weighted models (mcmc mode's
/// hyperparameter samples; one model otherwise).
Eigen::VectorXd mixture_mean(const std::vector<GaussianProcess>& models, const Eigen::MatrixXd& X) {
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(X.rows());
  for (const GaussianProcess& m : models) mean += m.predict(X).mean;
  return mean / static_cast<double>(models.size());
}

// ShortRange::Auto resolved: off where the acquisition expects noise (surrogate.hpp says why).
SurrogateOptions surrogate_options(const OptimizerOptions& o) {
  SurrogateOptions s = o.surrogate;
  if (s.short_range == ShortRange::Auto)
    s.short_range = o.acquisition == AcquisitionKind::LogNEI || o.acquisition == AcquisitionKind::NoisyEI ? ShortRange::Off
                                                                                                          : ShortRange::On;
  return s;
}

}  // namespace

Optimizer::Optimizer(Space space, OptimizerOptions options)
    : space_(std::move(space)),
      options_(options),
      rng_(make_rng(options.seed)),
      surrogate_(std::max<std::size_t>(1, space_.encoded_dim()), surrogate_options(options), categorical_groups(space_)),
      start_(std::chrono::steady_clock::now()) {
  options_.validate();
  search_ = options_.search;
  if (space_.cardinality()) search_.duplicate_tolerance = 0.0;
  if (space_.size() == 0) throw std::invalid_argument("Optimizer: the search space is empty");
  if (space_.encoded_dim() == 0) throw std::invalid_argument("Optimizer: every parameter is fixed; nothing to optimize");
  design_ = make_design(options_.initial_design, std::max<std::size_t>(options_.initial_points, 1), space_.encoded_dim(), rng_);
}

Suggestion Optimizer::ask() {
  if (queue_.empty() && points_left() == std::optional<std::uint64_t>(0))
    throw SpaceExhausted("Optimizer: every point of the search space was already evaluated, is pending or was abandoned");
  Trial t;
  t.id = trials_.size();
  if (!queue_.empty()) {  // user-given points come first, with their exact values
    t.u = queue_.front().u;
    t.point = queue_.front().point;
    queue_.pop_front();
  } else {
    t.u = next_point();
    t.point = space_.decode(t.u);
  }
  trials_.push_back(t);
  return {t.id, t.point};
}

std::vector<Suggestion> Optimizer::ask(std::size_t q) {
  // Evaluations told and pending count against the budget: a batch never asks beyond it.
  if (const std::size_t budget = options_.stop.max_evaluations; budget > 0) {
    const std::size_t used = evaluations() + pending().size();
    q = used >= budget ? 0 : std::min(q, budget - used);
  }
  std::vector<Suggestion> out;
  for (std::size_t i = 0; i < q; ++i) {
    if (queue_.empty() && points_left() == std::optional<std::uint64_t>(0)) break;
    out.push_back(ask());
  }
  return out;
}

Trial& Optimizer::pending_trial(std::uint64_t id) {
  if (id >= trials_.size()) throw std::invalid_argument("unknown suggestion id " + std::to_string(id));
  Trial& t = trials_[id];
  if (t.status != TrialStatus::Pending)
    throw std::invalid_argument("suggestion id " + std::to_string(id) +
                                (t.status == TrialStatus::Abandoned ? " was abandoned" : " was already told (" + to_string(t.status) + ")"));
  return t;
}

namespace {

// A finite result needs one value per outcome constraint; checked before anything changes.
void check_constraint_count(const std::vector<OutcomeConstraint>& constraints, double value,
                            const std::vector<double>& constraint_values) {
  if (!std::isfinite(value) || constraint_values.size() == constraints.size()) return;
  std::string names;
  for (const auto& c : constraints) names += (names.empty() ? "" : ", ") + c.name;
  throw std::invalid_argument("expected " + std::to_string(constraints.size()) + " constraint value(s)" +
                              (names.empty() ? std::string() : " (" + names + ")") + ", got " +
                              std::to_string(constraint_values.size()));
}

}  // namespace

void Optimizer::record_result(Trial& t, double value, const std::vector<double>& constraint_values) {
  check_constraint_count(options_.constraints, value, constraint_values);
  for (std::size_t k = 0; k < constraint_values.size() && std::isfinite(value); ++k) {
    if (std::isfinite(constraint_values[k])) continue;
    std::ostringstream os;
    os << "non-finite value " << constraint_values[k] << " of constraint " << options_.constraints[k].name;
    t.status = TrialStatus::Failed;
    t.reason = os.str();
    return;
  }
  if (!std::isfinite(value)) {
    std::ostringstream os;
    os << "non-finite value " << value;
    t.status = TrialStatus::Failed;
    t.reason = os.str();
    return;
  }
  t.status = TrialStatus::Ok;
  t.value = value;
  t.constraint_values = constraint_values;
  // By id, not by arrival: results of a batch told in any order give the same next suggestions.
  ok_order_.insert(std::upper_bound(ok_order_.begin(), ok_order_.end(), t.id), t.id);
}

void Optimizer::tell(std::uint64_t id, double value) { tell(id, value, {}); }

void Optimizer::tell(std::uint64_t id, double value, const std::vector<double>& constraint_values) {
  record_result(pending_trial(id), value, constraint_values);
}

void Optimizer::tell_failure(std::uint64_t id, const std::string& reason) {
  Trial& t = pending_trial(id);
  t.status = TrialStatus::Failed;
  t.reason = reason.empty() ? "failed" : valid_utf8(reason);  // the state is JSON, which needs UTF-8
}

void Optimizer::abandon(std::uint64_t id) { pending_trial(id).status = TrialStatus::Abandoned; }

Trial& Optimizer::add_unasked(const Point& point) {
  const Point full = space_.complete(point);
  Trial t;
  t.u = space_.encode(full);  // throws SpaceError for a point outside the space
  t.point = space_.decode(t.u);
  for (const auto& [name, v] : full) t.point[name] = v;  // keep the user's exact values
  t.id = trials_.size();
  t.asked = false;
  trials_.push_back(t);
  return trials_.back();
}

std::uint64_t Optimizer::tell(const Point& point, double value) { return tell(point, value, {}); }

std::uint64_t Optimizer::tell(const Point& point, double value, const std::vector<double>& constraint_values) {
  check_constraint_count(options_.constraints, value, constraint_values);  // before the trial exists
  Trial& t = add_unasked(point);
  record_result(t, value, constraint_values);
  return t.id;
}

std::uint64_t Optimizer::tell_failure(const Point& point, const std::string& reason) {
  const std::uint64_t id = add_unasked(point).id;
  tell_failure(id, reason);
  return id;
}

void Optimizer::enqueue(const Point& point) {
  Point full = space_.complete(point);
  Eigen::VectorXd u = space_.encode(full);
  for (const auto& queued : queue_)
    if (queued.u == u) return;  // enqueued twice: suggested once
  queue_.push_back({std::move(u), std::move(full)});
}

std::optional<Trial> Optimizer::best() const {
  std::optional<Trial> b;
  for (auto id : ok_order_)
    if (feasible(trials_[id]) && (!b || internal(trials_[id].value) < internal(b->value))) b = trials_[id];
  return b;
}

bool Optimizer::feasible(const Trial& t) const {
  if (t.status != TrialStatus::Ok) return false;
  for (std::size_t k = 0; k < options_.constraints.size(); ++k)
    if (k >= t.constraint_values.size() || !options_.constraints[k].satisfied(t.constraint_values[k])) return false;
  return true;
}

std::vector<bool> Optimizer::feasible_flags(const std::vector<std::uint64_t>& ids) const {
  std::vector<bool> out;
  out.reserve(ids.size());
  for (const auto id : ids) out.push_back(feasible(trials_[id]));
  return out;
}

const ConstraintModels* Optimizer::constraint_models() {
  const std::size_t K = options_.constraints.size();
  if (K == 0 || ok_order_.size() < 2) return nullptr;
  if (!constraint_models_ || constraint_models_ok_ != ok_order_.size()) {
    Eigen::MatrixXd X(static_cast<Eigen::Index>(ok_order_.size()), static_cast<Eigen::Index>(space_.encoded_dim()));
    Eigen::MatrixXd C(X.rows(), static_cast<Eigen::Index>(K));
    for (std::size_t i = 0; i < ok_order_.size(); ++i) {
      const Trial& t = trials_[ok_order_[i]];
      X.row(static_cast<Eigen::Index>(i)) = t.u.transpose();
      for (std::size_t k = 0; k < K; ++k) C(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) = t.constraint_values[k];
    }
    constraint_models_ = ConstraintModels::fit(options_.constraints, X, C);
    constraint_models_ok_ = ok_order_.size();
  }
  return &*constraint_models_;
}

std::vector<std::uint64_t> Optimizer::pending() const {
  std::vector<std::uint64_t> out;
  for (const auto& t : trials_)
    if (t.status == TrialStatus::Pending) out.push_back(t.id);
  return out;
}

std::size_t Optimizer::evaluations() const {
  std::size_t n = 0;
  for (const auto& t : trials_) n += t.status == TrialStatus::Ok || t.status == TrialStatus::Failed;
  return n;
}

double Optimizer::elapsed_seconds() const {
  return elapsed_before_ + std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::optional<std::uint64_t> Optimizer::points_left() const {
  const auto total = space_.cardinality();
  if (!total) return std::nullopt;
  // Encodings of a finite space's points are exact (snapped), so equal points compare equal.
  std::set<std::vector<double>> seen;
  for (const auto& t : trials_) seen.emplace(t.u.data(), t.u.data() + t.u.size());
  return *total - std::min<std::uint64_t>(*total, seen.size());
}

void Optimizer::set_stopping_rules(const StoppingRules& rules) {
  OptimizerOptions changed = options_;
  changed.stop = rules;
  changed.validate();
  options_.stop = rules;
}

std::optional<std::string> Optimizer::stop_reason() const {
  const StoppingRules& s = options_.stop;
  if (s.max_evaluations > 0 && evaluations() >= s.max_evaluations) return "budget";
  if (queue_.empty() && points_left() == std::optional<std::uint64_t>(0)) return "exhausted";
  const auto b = best();
  if (s.target && b && internal(b->value) <= internal(*s.target)) return "target";
  if (s.patience > 0 && b) {
    // Counted from the best value or from the end of the initial design, whichever is later:
    // the space-filling points are not the search failing to improve. Only suggested points
    // count: observations told without asking (a warm start) are not this search's attempts.
    std::size_t pos = 0;
    while (ok_order_[pos] != b->id) ++pos;
    const std::size_t from = std::max<std::size_t>(pos + 1, options_.initial_points);
    std::size_t attempts = 0;
    for (std::size_t i = from; i < ok_order_.size(); ++i) attempts += trials_[ok_order_[i]].asked;
    if (attempts >= s.patience) return "patience";
  }
  if (s.max_seconds > 0 && elapsed_seconds() >= s.max_seconds) return "time";
  return std::nullopt;
}

Eigen::MatrixXd Optimizer::all_points() const {
  Eigen::MatrixXd P(static_cast<Eigen::Index>(trials_.size()), static_cast<Eigen::Index>(space_.encoded_dim()));
  for (std::size_t i = 0; i < trials_.size(); ++i) P.row(static_cast<Eigen::Index>(i)) = trials_[i].u.transpose();
  return P;
}

const FailureModel* Optimizer::failure_model(const Eigen::MatrixXd& points, double penalty_from) {
  // penalty_from is a function of the finished trials too, so their count still names the fit.
  std::vector<Eigen::Index> rows;
  std::vector<bool> failed;
  for (std::size_t i = 0; i < trials_.size(); ++i) {
    const Trial& t = trials_[i];
    if (t.status != TrialStatus::Ok && t.status != TrialStatus::Failed) continue;  // no outcome (yet)
    rows.push_back(static_cast<Eigen::Index>(i));
    failed.push_back(t.status == TrialStatus::Failed || internal(t.value) >= penalty_from);
  }
  if (rows.size() != failures_finished_) {
    failures_ = FailureModel::fit(points(rows, Eigen::all), failed);
    failures_finished_ = rows.size();
  }
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
  while (design_cursor_ < static_cast<std::size_t>(design_.rows())) {
    const Eigen::VectorXd u = space_.snap_uniform(design_.row(static_cast<Eigen::Index>(design_cursor_++)).transpose());
    if (!is_duplicate(u, avoid, search_.duplicate_tolerance)) return u;
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
  Eigen::MatrixXd U = uniform_design(kCandidates, space_.encoded_dim(), rng_);
  Eigen::Index n = 0;
  for (Eigen::Index i = 0; i < U.rows(); ++i) {
    const Eigen::VectorXd u = space_.snap_uniform(U.row(i).transpose());
    if (!is_duplicate(u, avoid, search_.duplicate_tolerance)) U.row(n++) = u.transpose();
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
  for (int t = 0; t < 10000; ++t) {
    const Eigen::VectorXd u = space_.snap_uniform(uniform_design(1, space_.encoded_dim(), rng_).row(0).transpose());
    if (!is_duplicate(u, avoid, search_.duplicate_tolerance)) return u;
  }
  // A finite space with few points left: walk its points from a random one.
  if (const auto total = space_.cardinality(); total && *total <= (std::uint64_t{1} << 20)) {
    const std::uint64_t start = uniform_index(rng_, *total);
    for (std::uint64_t k = 0; k < *total; ++k) {
      const Eigen::VectorXd u = space_.encoded_point((start + k) % *total);
      if (!is_duplicate(u, avoid, search_.duplicate_tolerance)) return u;
    }
  }
  throw SpaceExhausted("Optimizer: no point of the space is left that was not already evaluated or pending");
}

std::optional<EscapeRegion> Optimizer::escape_region(const Eigen::MatrixXd& X_all, const Eigen::VectorXd& y_all,
                                                     const std::vector<bool>& feasible,
                                                     const GaussianProcess& model) const {
  // Basins are judged by the results that count: those meeting the outcome constraints.
  std::vector<Eigen::Index> rows;
  for (std::size_t i = 0; i < feasible.size(); ++i)
    if (feasible[i]) rows.push_back(static_cast<Eigen::Index>(i));
  if (rows.size() < 2) return std::nullopt;
  const Eigen::MatrixXd X = X_all(rows, Eigen::all);
  const Eigen::VectorXd y = y_all(rows);
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

double Optimizer::penalty_from() const {
  Eigen::VectorXd y(static_cast<Eigen::Index>(ok_order_.size()));
  for (std::size_t i = 0; i < ok_order_.size(); ++i) y[static_cast<Eigen::Index>(i)] = internal(trials_[ok_order_[i]].value);
  return find_penalties(y).from;
}

std::vector<std::uint64_t> Optimizer::modeled(double from) const {
  std::vector<std::uint64_t> ids;
  for (const auto id : ok_order_)
    if (internal(trials_[id].value) < from) ids.push_back(id);
  return ids;
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

void Optimizer::observations(const std::vector<std::uint64_t>& ids, Eigen::MatrixXd& X, Eigen::VectorXd& y) const {
  const auto n = static_cast<Eigen::Index>(ids.size());
  X.resize(n, static_cast<Eigen::Index>(space_.encoded_dim()));
  y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const Trial& t = trials_[ids[static_cast<std::size_t>(i)]];
    X.row(i) = t.u.transpose();
    y[i] = internal(t.value);
  }
}

std::vector<GaussianProcess> Optimizer::conditioned_models(std::vector<std::uint64_t>& ids) const {
  ids = surrogate_ids_;
  if (surrogate_.models().empty()) return {};
  // The models hold surrogate_ids_; later observations are added with the O(n^2) Cholesky
  // extension, as the fast preset does.
  std::vector<bool> in_model(trials_.size(), false);
  for (const auto id : surrogate_ids_) in_model[id] = true;
  for (const auto id : modeled(penalty_from()))
    if (!in_model[id]) ids.push_back(id);
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  observations(ids, X, y);
  std::vector<GaussianProcess> models;
  for (const GaussianProcess& fitted : surrogate_.models()) {  // mcmc mode: one per sample
    GaussianProcess m = fitted;
    for (Eigen::Index i = m.size(); i < X.rows(); ++i) m.add_point(X.row(i), surrogate_.standardize(y[i]));
    models.push_back(std::move(m));
  }
  return models;
}

std::vector<ObjectivePrediction> Optimizer::predict(const std::vector<Point>& points) const {
  std::vector<std::uint64_t> ids;
  const std::vector<GaussianProcess> models = conditioned_models(ids);
  if (models.empty()) throw std::logic_error("predict: no model yet (the first model-based suggestion fits it)");
  Eigen::MatrixXd X(static_cast<Eigen::Index>(points.size()), static_cast<Eigen::Index>(space_.encoded_dim()));
  for (std::size_t i = 0; i < points.size(); ++i) X.row(static_cast<Eigen::Index>(i)) = space_.encode(space_.complete(points[i])).transpose();
  // The mixture's first two moments (one model: its own), in the model's standardized units.
  Eigen::ArrayXd mean = Eigen::ArrayXd::Zero(X.rows()), second = Eigen::ArrayXd::Zero(X.rows());
  for (const GaussianProcess& m : models) {
    const Prediction p = m.predict(X);
    mean += p.mean.array();
    second += p.variance.array() + p.mean.array().square();
  }
  const double k = static_cast<double>(models.size());
  mean /= k;
  const Eigen::ArrayXd sd = (second / k - mean.square()).max(0.0).sqrt();
  const OutputTransform& t = surrogate_.state().transform;
  constexpr double z975 = 1.959963984540054;
  std::vector<ObjectivePrediction> out(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    // Internal values are minimized: a maximized objective's are negated, and its bounds swap.
    const double lo = t.invert(mean[r] - z975 * sd[r]), mid = t.invert(mean[r]), hi = t.invert(mean[r] + z975 * sd[r]);
    out[i] = options_.goal == Goal::Minimize ? ObjectivePrediction{mid, lo, hi} : ObjectivePrediction{-mid, -hi, -lo};
  }
  return out;
}

std::vector<ParameterImportance> Optimizer::importance(std::size_t samples) const {
  std::vector<std::uint64_t> ids;
  const std::vector<GaussianProcess> models = conditioned_models(ids);
  if (models.empty()) throw std::logic_error("importance: no model yet (the first model-based suggestion fits it)");
  constexpr std::uint64_t kImportanceStream = 0x696d706f7274ULL;  // apart from rng_'s draws
  Rng rng = make_rng(options_.seed, kImportanceStream);
  // The model's values are standardized (unit spread where the observations vary); a mean that
  // moves by less than this is the round-off of a fit to equal values, not a parameter's effect.
  constexpr double kResolution = 1e-8;
  return sobol_indices(space_, [&models](const Eigen::MatrixXd& X) { return mixture_mean(models, X); }, samples, rng,
                       kResolution);
}

std::optional<Trial> Optimizer::recommend() const {
  std::vector<std::uint64_t> candidates = modeled(penalty_from());
  std::erase_if(candidates, [this](std::uint64_t id) { return !feasible(trials_[id]); });
  if (candidates.empty() || surrogate_.models().empty()) return best();
  // Values found to be penalties since the last suggestion are no candidates.
  std::vector<bool> candidate(trials_.size(), false);
  for (const auto id : candidates) candidate[id] = true;
  std::vector<std::uint64_t> ids;
  const std::vector<GaussianProcess> models = conditioned_models(ids);
  Eigen::MatrixXd X;
  Eigen::VectorXd y;
  observations(ids, X, y);
  const Eigen::VectorXd mean = mixture_mean(models, X);
  std::optional<std::size_t> pick;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (candidate[ids[i]] && (!pick || mean[static_cast<Eigen::Index>(i)] < mean[static_cast<Eigen::Index>(*pick)])) pick = i;
  return trials_[ids[*pick]];
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
  Eigen::VectorXd y;
  observations(ids, X, y);
  last_warning_.clear();
  try {
    // A value found to be a penalty only now leaves the data: the surrogate refits from scratch.
    const bool extends = ids.size() >= surrogate_ids_.size() && std::equal(surrogate_ids_.begin(), surrogate_ids_.end(), ids.begin());
    if (!extends) surrogate_.forget_data();
    surrogate_.update(X, y, rng_);
    surrogate_ids_ = ids;
    // EI and PI count improvement beyond the incumbent minus the margin xi (UCB has none).
    const double margin = options_.acquisition == AcquisitionKind::UCB ? 0.0 : options_.improvement_margin();
    const bool constrained = !options_.constraints.empty();
    const std::vector<bool> feasible = feasible_flags(ids);  // all true without constraints
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
    if (fm) parts.push_back(fm);
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
      return search_acquisition(acq, space_, avoid, incumbent, rng_, search_).u;
    }
    if (options_.acquisition == AcquisitionKind::Thompson)
      return thompson_search(models[0].model(), space_, avoid, incumbent, rng_, search_, feasibility).u;
    const double beta = gp_ucb_beta(static_cast<std::size_t>(X.rows()) + 1, space_.encoded_dim(), options_.ucb_delta, options_.ucb_scale);
    if (const auto region = escape_region(X, y, feasible, surrogate_.models()[0])) {
      // No margin here: the box already decides where to look, the leader is the value to beat.
      const double target = surrogate_.standardize(region->target);
      const AcquisitionEvaluator acq(std::move(models), options_.acquisition, std::vector<double>(best.size(), target), beta,
                                     feasibility);
      const SearchBox box{region->lower, region->upper};
      return search_acquisition(acq, space_, avoid, region->center, rng_, search_, &box).u;
    }
    const AcquisitionEvaluator acq(std::move(models), options_.acquisition, std::move(best), beta, feasibility);
    return search_acquisition(acq, space_, avoid, incumbent, rng_, search_).u;
  } catch (const std::exception& e) {
    last_warning_ = std::string("model-based suggestion failed, using a random point: ") + e.what();
    return random_point(avoid);
  }
}

}  // namespace gpbo::bo
