#include "gpbo/bayesopt/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

#include "gpbo/bayesopt/design.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/text_list.hpp"

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

// The initial design's rows. With linear constraints, twice as many as Space::draws_for(n) are
// drawn and thinned, in order, to the first n whose points meet them: rejection keeps the
// design's spread over the region that is left. A region too narrow for that takes its
// constrained columns from a walk inside it (Space::draw_in_region).
Eigen::MatrixXd initial_design(const Space& space, DesignKind kind, std::size_t n, Rng& rng) {
  if (space.constraints().empty()) return make_design(kind, n, space.encoded_dim(), rng);
  if (space.narrow_region()) {
    const auto d = static_cast<Eigen::Index>(space.encoded_dim());
    return space.draw_in_region(make_design(kind, n, space.encoded_dim(), rng), rng, Eigen::VectorXd::Zero(d), Eigen::VectorXd::Ones(d),
                                /*spread=*/true);
  }
  const Eigen::MatrixXd all = make_design(kind, space.draws_for(2 * n), space.encoded_dim(), rng);
  std::vector<Eigen::Index> keep;
  for (Eigen::Index i = 0; i < all.rows() && keep.size() < n; ++i)
    if (space.meets_constraints(space.snap_uniform(all.row(i).transpose()))) keep.push_back(i);
  return all(keep, Eigen::all);
}

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
  // The state saves the space's parameters, not a slice's held values: a reloaded optimizer
  // searched the whole space.
  if (!space_.held().empty())
    throw std::invalid_argument("Optimizer: the space is a slice holding " + describe_values(space_.held()) +
                                "; give the whole space and ask(fixed) with those values, or make them fixed parameters");
  design_ = initial_design(space_, options_.initial_design, std::max<std::size_t>(options_.initial_points, 1), rng_);
}

Suggestion Optimizer::ask() {
  if (exhausted())
    throw SpaceExhausted("Optimizer: every point of the search space was already evaluated, is pending or was abandoned");
  Trial t;
  t.id = trials_.size();
  if (!queue_.empty() && queue_.front().partial()) {
    const Point held = std::move(queue_.front().point);
    queue_.pop_front();
    try {
      return ask(held);
    } catch (const SpaceExhausted&) {
      return ask();  // every point with these values was taken meanwhile
    }
  }
  if (!queue_.empty()) {  // user-given points come first, with their exact values
    t.u = queue_.front().u;
    t.point = queue_.front().point;
    queue_.pop_front();
  } else {
    try {
      t.u = next_point();
    } catch (const SpaceExhausted&) {
      used_up_ = true;  // for stop_reason(): a loop on should_stop() spun on empty batches
      throw;
    }
    t.point = space_.decode(t.u);
  }
  trials_.push_back(t);
  return {t.id, t.point};
}

bool Optimizer::exhausted() const {
  return (used_up_ || points_left() == std::optional<std::uint64_t>(0)) &&
         std::all_of(queue_.begin(), queue_.end(), [](const Queued& q) { return q.partial(); });
}

std::size_t Optimizer::batch_room(std::size_t q) const {
  // Evaluations told and pending count against the budget: a batch never asks beyond it.
  const std::size_t budget = options_.stop.max_evaluations;
  if (budget == 0) return q;
  const std::size_t used = evaluations() + pending().size();
  return used >= budget ? 0 : std::min(q, budget - used);
}

std::vector<Suggestion> Optimizer::ask(std::size_t q) {
  q = batch_room(q);
  std::vector<Suggestion> out;
  try {
    for (std::size_t i = 0; i < q; ++i) {
      if (exhausted()) break;
      out.push_back(ask());
    }
  } catch (const SpaceExhausted&) {
    // a partial point's values when the space ran out: the batch is short
  }
  return out;
}

Suggestion Optimizer::ask(const Point& fixed) {
  if (fixed.empty()) return ask();
  return ask_in(space_.slice(fixed));
}

std::vector<Suggestion> Optimizer::ask(std::size_t q, const Point& fixed) {
  q = batch_room(q);
  std::vector<Suggestion> out;
  const std::optional<Space> slice = fixed.empty() ? std::nullopt : std::optional<Space>(space_.slice(fixed));
  if (slice && slice->single_point()) q = std::min<std::size_t>(q, 1);
  try {
    for (std::size_t i = 0; i < q; ++i) out.push_back(slice ? ask_in(*slice) : ask());
  } catch (const SpaceExhausted&) {
    // no point with these values is left: the batch is short
  }
  return out;
}

Suggestion Optimizer::ask_in(const Space& slice) {
  Trial t;
  t.id = trials_.size();
  if (slice.single_point()) {
    t.point = space_.complete(slice.held());
    space_.validate(t.point);  // the linear constraints
    t.u = space_.encode(t.point);
  } else {
    if (points_left() == std::optional<std::uint64_t>(0))
      throw SpaceExhausted("Optimizer: every point of the search space was already evaluated, is pending or was abandoned");
    struct Searching {  // the suggestion paths search `slice` while this lives
      const Space*& at;
      ~Searching() { at = nullptr; }
    } searching{slice_ = &slice};
    t.u = next_point();
    t.point = slice.decode(t.u);  // held values as given: their columns may decode an ulp away
  }
  trials_.push_back(t);
  return {t.id, t.point};
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
  const std::string names = join_text(constraints, [](const OutcomeConstraint& c) { return c.name; });
  throw std::invalid_argument("expected " + std::to_string(constraints.size()) + " constraint value(s)" +
                              (names.empty() ? std::string() : " (" + names + ")") + ", got " +
                              std::to_string(constraint_values.size()));
}

}  // namespace

namespace {

// Below 1e100: the model works with the variance in standardized units, sd^2 / scale^2, which
// overflowed for sd = 1e160, and every later fit failed (suggestions random for good).
void check_noise_sd(double sd) {
  if (!Measurement::valid_sd(sd)) {
    std::ostringstream os;
    os << "the sd of a value's noise must be a number >= 0 and below 1e100, got " << sd;
    throw std::invalid_argument(os.str());
  }
}

}  // namespace

void Optimizer::record_result(Trial& t, double value, const std::vector<double>& constraint_values, double noise_sd) {
  check_constraint_count(options_.constraints, value, constraint_values);
  check_noise_sd(noise_sd);
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
  t.noise_sd = noise_sd;
  t.constraint_values = constraint_values;
  // By id, not by arrival: results of a batch told in any order give the same next suggestions.
  ok_order_.insert(std::upper_bound(ok_order_.begin(), ok_order_.end(), t.id), t.id);
}

void Optimizer::tell(std::uint64_t id, double value) { tell(id, value, {}); }

void Optimizer::tell(std::uint64_t id, double value, const std::vector<double>& constraint_values) {
  record_result(pending_trial(id), value, constraint_values);
}

void Optimizer::tell(std::uint64_t id, const Measurement& measurement, const std::vector<double>& constraint_values) {
  record_result(pending_trial(id), measurement.value, constraint_values, measurement.sd);
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
  space_.validate(full);  // SpaceError for a point outside the space or its linear constraints
  t.u = space_.encode(full);
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

std::uint64_t Optimizer::tell(const Point& point, const Measurement& measurement, const std::vector<double>& constraint_values) {
  check_constraint_count(options_.constraints, measurement.value, constraint_values);  // before the trial exists
  check_noise_sd(measurement.sd);
  Trial& t = add_unasked(point);
  record_result(t, measurement.value, constraint_values, measurement.sd);
  return t.id;
}

std::uint64_t Optimizer::tell_failure(const Point& point, const std::string& reason) {
  const std::uint64_t id = add_unasked(point).id;
  tell_failure(id, reason);
  return id;
}

void Optimizer::enqueue(const Point& point) {
  Point full = space_.complete(point);
  if (!space_.is_complete(full)) {
    Point held = space_.slice(point).held();
    for (const auto& queued : queue_)
      if (queued.partial() && queued.point == held) return;
    queue_.push_back({Eigen::VectorXd(), std::move(held)});
    return;
  }
  space_.validate(full);
  Eigen::VectorXd u = space_.encode(full);
  for (const auto& queued : queue_)
    if (!queued.partial() && queued.u == u) return;  // enqueued twice: suggested once
  queue_.push_back({std::move(u), std::move(full)});
}

std::optional<Trial> Optimizer::best() const { return best_except({}); }

std::optional<Trial> Optimizer::best_except(const std::vector<std::uint64_t>& flagged) const {
  std::optional<Trial> b;
  for (auto id : ok_order_)
    if (feasible(trials_[id]) && !std::binary_search(flagged.begin(), flagged.end(), id) &&
        (!b || internal(trials_[id].value) < internal(b->value)))
      b = trials_[id];
  return b;
}

std::optional<Trial> Optimizer::best_unflagged() const { return best_unflagged(outliers()); }

std::optional<Trial> Optimizer::best_unflagged(const std::vector<std::uint64_t>& flagged) const {
  if (options_.surrogate.outliers == OutlierMode::Detect && surrogate_.models().empty()) return std::nullopt;  // not judged yet
  return best_except(flagged);
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
  // The model's flags, conditioned once for both rules (empty unless outliers: detect).
  const std::vector<std::uint64_t> flagged = s.target || s.patience > 0 ? outliers() : std::vector<std::uint64_t>{};
  if (s.target)
    if (const auto t = best_unflagged(flagged); t && internal(t->value) <= internal(*s.target)) return "target";
  if (s.patience > 0 && best()) {
    // Counted from the last improvement (the best value itself when min_improvement is 0) or
    // from the end of the initial design, whichever is later: the space-filling points are not
    // the search failing to improve. Only suggested points count: observations told without
    // asking (a warm start) are not this search's attempts.
    // None when every feasible value is flagged an outlier: then from the design's end (of at
    // least two points, as in_initial_design() runs it).
    const auto last = last_improvement_position(flagged);
    const std::size_t from = std::max({last ? *last + 1 : std::size_t{0}, options_.initial_points, std::size_t{2}});
    std::size_t attempts = 0;
    for (std::size_t i = from; i < ok_order_.size(); ++i) attempts += trials_[ok_order_[i]].asked;
    if (attempts >= s.patience) return "patience";
  }
  if (s.max_seconds > 0 && elapsed_seconds() >= s.max_seconds) return "time";
  // Last: a finite space used up is no reason of the search's own, and a held point (ask with
  // every parameter fixed) is asked past it but not past the rules above.
  if (exhausted()) return "exhausted";
  return std::nullopt;
}

std::optional<std::size_t> Optimizer::last_improvement_position(const std::vector<std::uint64_t>& flagged) const {
  // A value flagged an outlier (a glitch the model does not believe) is no improvement: it would
  // stop a patience run that goes on improving among the values the model takes.
  std::optional<std::size_t> pos;
  std::optional<double> counted;  // the value of the last improvement, internal units
  for (std::size_t i = 0; i < ok_order_.size(); ++i) {
    const Trial& t = trials_[ok_order_[i]];
    if (!feasible(t) || std::binary_search(flagged.begin(), flagged.end(), t.id)) continue;
    if (counted && !(internal(t.value) < *counted - options_.stop.min_improvement)) continue;
    counted = internal(t.value);
    pos = i;
  }
  return pos;
}

std::optional<std::uint64_t> Optimizer::last_improvement() const {
  const auto pos = last_improvement_position(outliers());
  return pos ? std::optional<std::uint64_t>(ok_order_[*pos]) : std::nullopt;
}

}  // namespace gpbo::bo
