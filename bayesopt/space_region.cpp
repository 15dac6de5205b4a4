// Points of the region a space's linear constraints leave, for spaces where that region is too
// small a share of the box for rejection (x + y + z <= 10 on [0, 100]^3 keeps 1 point in 6000).
// A feasible point is found by projecting onto the relaxed constraints (SLSQP), and from it a
// hit-and-run walk moves the constrained columns: along a random direction it draws a step
// uniformly on the chord inside [lower, upper] and shrinks the chord towards the current point
// until the step lands in the region (slice sampling's shrinkage), which keeps the uniform
// distribution on the region invariant even where integer rounding makes it non-convex. Every
// other direction is drawn along the thin bands (a sum held between close bounds, by one
// constraint or by two on the same sum), which random directions only cross.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <nlopt.hpp>
#include <optional>
#include <random>
#include <utility>

#include "gpbo/bayesopt/design.hpp"
#include "gpbo/bayesopt/detail/parameter_rules.hpp"
#include "gpbo/bayesopt/space.hpp"

namespace gpbo::bo {

using namespace parameter_detail;

namespace {

// A walk's first states are dropped (the projected start sits on the region's boundary), and
// it takes one step per constrained column between the rows it hands out.
constexpr std::size_t kBurnInSteps = 20, kBurnInStepsPerColumn = 10;
// Shrinkage halves the chord's side at each miss at least as often as chance, so this many
// misses leave a chord below 2^-60 of the box's: the walk then stays put for that step.
constexpr int kMaxShrinks = 200;

struct ProjectionData {
  const Space* space;
  Eigen::VectorXd u;                // the whole encoded point, its region columns overwritten
  const std::vector<Eigen::Index>* columns;
  Eigen::VectorXd target;           // the start's region columns, projected
  std::size_t k = 0;
  bool upper = true;
  double margin = 0.0;
};

// A constraint whose band (Space::band_width()) is under this share of its sum's range over the box is
// thin: a walk along random directions crosses it in steps of its width and barely moves
// (a + b in [1, 1 + 1e-6]: 2000 states spanned 0.0003 of a's range, 1 on a wide band).
constexpr double kThinBand = 0.05;

// An orthonormal basis (over `columns`, the `held` ones left out) of the thin constraints'
// normals at u.
std::vector<Eigen::VectorXd> band_normals(const Space& space, const std::vector<std::size_t>& thin, const Eigen::VectorXd& u,
                                          const std::vector<Eigen::Index>& columns, const std::vector<bool>& held) {
  std::vector<Eigen::VectorXd> basis;
  Eigen::VectorXd gradient(u.size());
  for (const std::size_t k : thin) {
    (void)space.relaxed_constraint(k, true, u.data(), gradient.data());
    Eigen::VectorXd normal(static_cast<Eigen::Index>(columns.size()));
    for (Eigen::Index j = 0; j < normal.size(); ++j)
      normal[j] = held[static_cast<std::size_t>(j)] ? 0.0 : gradient[columns[static_cast<std::size_t>(j)]];
    for (const Eigen::VectorXd& b : basis) normal -= normal.dot(b) * b;  // Gram-Schmidt
    if (const double norm = normal.norm(); norm > 1e-12 * gradient.norm()) basis.push_back(normal / norm);
  }
  return basis;
}

void set_columns(ProjectionData& d, const double* x) {
  for (std::size_t j = 0; j < d.columns->size(); ++j) d.u[(*d.columns)[j]] = x[j];
}

double squared_distance(unsigned n, const double* x, double* grad, void* data) {
  const auto& d = *static_cast<ProjectionData*>(data);
  double s = 0.0;
  for (unsigned j = 0; j < n; ++j) {
    const double diff = x[j] - d.target[j];
    s += diff * diff;
    if (grad) grad[j] = 2.0 * diff;
  }
  return s;
}

// Moves x (the region's columns, inside [lo, hi]) to the nearest point of d.target that meets the
// constraints' relaxed forms, each bound aimed margin[k] inside (SLSQP). A failed search leaves
// x where it stopped: the caller checks it.
void project_onto_constraints(ProjectionData& base, const std::vector<double>& margin, std::vector<double>& x,
                              const std::vector<double>& lo, const std::vector<double>& hi) {
  std::vector<ProjectionData> bounds;
  const std::vector<LinearConstraint>& constraints = base.space->constraints();
  for (std::size_t k = 0; k < constraints.size(); ++k)
    for (const bool upper_bound : {true, false}) {
      if (!(upper_bound ? constraints[k].max : constraints[k].min)) continue;
      ProjectionData d = base;
      d.k = k;
      d.upper = upper_bound;
      d.margin = margin[k];
      bounds.push_back(std::move(d));
    }
  nlopt::opt opt(nlopt::LD_SLSQP, static_cast<unsigned>(x.size()));
  opt.set_lower_bounds(lo);
  opt.set_upper_bounds(hi);
  opt.set_min_objective(squared_distance, &base);
  for (ProjectionData& d : bounds)
    opt.add_inequality_constraint(
        [](unsigned m, const double* v, double* grad, void* data) {
          auto& c = *static_cast<ProjectionData*>(data);
          set_columns(c, v);
          Eigen::VectorXd full_gradient(c.u.size());
          const double g = c.space->relaxed_constraint(c.k, c.upper, c.u.data(), grad ? full_gradient.data() : nullptr);
          if (grad)
            for (unsigned j = 0; j < m; ++j) grad[j] = full_gradient[(*c.columns)[j]];
          return g + c.margin;
        },
        &d, 0.0);
  opt.set_maxeval(500);
  opt.set_xtol_rel(1e-12);
  double f = 0.0;
  try {
    opt.optimize(x, f);
  } catch (const std::exception&) {  // checked by the caller
  }
}

// Relaxed column u of an integer or grid parameter p at its rounded value (what
// relaxed_column_value() reads back as that value).
double rounded_relaxed(const Parameter& p, double u) {
  if (on_grid(p)) {
    const auto steps = static_cast<double>(step_count(p));
    return std::clamp(std::round(u * steps), 0.0, steps) / steps;
  }
  return to_unit(p, std::clamp(std::round(from_unit(p, u)), p.low, p.high));
}

// The relaxed column of the value `by` integers or grid steps from u's rounding; none past p's range.
std::optional<double> stepped_relaxed(const Parameter& p, double u, int by) {
  if (on_grid(p)) {
    const auto steps = static_cast<double>(step_count(p));
    const double k = std::clamp(std::round(u * steps), 0.0, steps) + by;
    return k >= 0.0 && k <= steps ? std::optional(k / steps) : std::nullopt;
  }
  const double v = std::clamp(std::round(from_unit(p, u)), p.low, p.high) + by;
  return v >= p.low && v <= p.high ? std::optional(to_unit(p, v)) : std::nullopt;
}

// In how many of p's steps relaxed columns a and b lie apart.
double steps_apart(const Parameter& p, double a, double b) {
  if (on_grid(p)) return std::abs(a - b) * static_cast<double>(step_count(p));
  return std::abs(from_unit(p, a) - from_unit(p, b));
}

// The cell of snap_uniform()'s map that Space::uniform_cell() centres relaxed column u of the
// integer or grid parameter p in: the columns that read as u's rounded value.
std::pair<double, double> uniform_cell_bounds(const Parameter& p, double u) {
  if (on_grid(p)) {
    const auto steps = static_cast<double>(step_count(p));
    const double k = std::clamp(std::round(u * steps), 0.0, steps);
    return {k / (steps + 1.0), (k + 1.0) / (steps + 1.0)};
  }
  Parameter wide = p;
  wide.low = p.low - 0.5;
  wide.high = p.high + 0.5;
  const double v = std::clamp(std::round(from_unit(p, u)), p.low, p.high);
  return {to_unit(wide, v - 0.5), to_unit(wide, v + 0.5)};
}

// A hit-and-run walk over the region's columns inside [lower, upper]. With thin bands, steps
// cycle through three kinds: across them (any direction), along them, without the components
// along their normals (the steps across alone barely moved), and along them with their integers
// and grid values held (with an integer free, a thin band's steps left it each time). The
// normals are taken where the walk (re)starts, not at each state: directions that depend on the
// state would bias the walk (log scales curve the bands). Each kind keeps the uniform
// distribution, so their cycle does; steps along a curved band stay in it only for short moves.
// It refers to the caller's columns and bounds: a walk lives inside one draw_in_region() call.
class RegionWalk {
 public:
  using Holds = std::function<bool(const Eigen::VectorXd&)>;
  RegionWalk(const Space& space, const std::vector<Eigen::Index>& columns, const Eigen::VectorXd& lower,
             const Eigen::VectorXd& upper, std::vector<std::size_t> thin, std::vector<bool> discrete, Holds holds,
             Eigen::VectorXd start)
      : space_(space), columns_(columns), lower_(lower), upper_(upper), thin_(std::move(thin)),
        discrete_(std::move(discrete)), holds_(std::move(holds)) {
    restart(std::move(start));
  }

  void restart(Eigen::VectorXd state) {
    state_ = std::move(state);
    normals_ = band_normals(space_, thin_, state_, columns_, std::vector<bool>(columns_.size(), false));
    held_normals_ = band_normals(space_, thin_, state_, columns_, discrete_);
  }
  [[nodiscard]] const Eigen::VectorXd& state() const { return state_; }

  // One step: a direction, then a point of its chord drawn uniformly, the chord shrunk towards
  // the state at each miss (slice sampling's shrinkage).
  void step(Rng& rng) {
    const Eigen::VectorXd direction = next_direction(rng);
    double t_low = -std::numeric_limits<double>::infinity(), t_high = std::numeric_limits<double>::infinity();
    for (Eigen::Index j = 0; j < direction.size(); ++j) {
      const Eigen::Index c = columns_[static_cast<std::size_t>(j)];
      if (direction[j] == 0.0) continue;
      const double to_lower = (lower_[c] - state_[c]) / direction[j], to_upper = (upper_[c] - state_[c]) / direction[j];
      t_low = std::max(t_low, std::min(to_lower, to_upper));
      t_high = std::min(t_high, std::max(to_lower, to_upper));
    }
    if (!(t_low <= 0.0 && 0.0 <= t_high)) return;  // a start outside [lower, upper]: stay
    Eigen::VectorXd next = state_;
    std::uniform_real_distribution<double> uniform;
    for (int shrink = 0; shrink < kMaxShrinks; ++shrink) {
      const double t = t_low + (t_high - t_low) * uniform(rng);
      for (Eigen::Index j = 0; j < direction.size(); ++j) {
        const Eigen::Index c = columns_[static_cast<std::size_t>(j)];
        next[c] = std::clamp(state_[c] + t * direction[j], lower_[c], upper_[c]);
      }
      if (holds_(next)) {
        state_ = next;
        return;
      }
      (t < 0.0 ? t_low : t_high) = t;
    }
  }

 private:
  // A random direction, or, on the steps along the thin bands, its part along them.
  Eigen::VectorXd next_direction(Rng& rng) {
    Eigen::VectorXd direction(static_cast<Eigen::Index>(columns_.size()));
    for (Eigen::Index j = 0; j < direction.size(); ++j) direction[j] = normal_(rng);
    if (thin_.empty() || (kind_ = (kind_ + 1) % 3) == 0) return direction;
    const bool hold_discrete = kind_ == 2;
    Eigen::VectorXd in_bands = direction;
    for (Eigen::Index j = 0; j < in_bands.size(); ++j)
      if (hold_discrete && discrete_[static_cast<std::size_t>(j)]) in_bands[j] = 0.0;
    for (const Eigen::VectorXd& b : hold_discrete ? held_normals_ : normals_) in_bands -= in_bands.dot(b) * b;
    return in_bands.norm() > 0.0 ? in_bands : direction;  // zero when the normals span every column
  }

  const Space& space_;
  const std::vector<Eigen::Index>& columns_;
  const Eigen::VectorXd &lower_, &upper_;
  const std::vector<std::size_t> thin_;
  const std::vector<bool> discrete_;
  const Holds holds_;
  Eigen::VectorXd state_;
  std::vector<Eigen::VectorXd> normals_, held_normals_;
  int kind_ = 0;
  std::normal_distribution<double> normal_;  // one for the walk: it keeps a spare draw between steps
};

}  // namespace

std::vector<Eigen::Index> Space::region_columns() const {
  std::vector<Eigen::Index> columns;
  for (const auto& indices : constraint_params_)
    for (const std::size_t i : indices) {
      const auto column = static_cast<Eigen::Index>(offsets_[i]);
      if (!column_held(column) && std::find(columns.begin(), columns.end(), column) == columns.end()) columns.push_back(column);
    }
  std::sort(columns.begin(), columns.end());
  return columns;
}

std::vector<std::size_t> Space::thin_constraints() const {
  std::vector<std::size_t> thin;
  for (std::size_t k = 0; k < constraints_.size(); ++k)
    if (band_widths_[k] < kThinBand * sum_ranges_[k]) thin.push_back(k);
  return thin;
}

std::vector<bool> Space::discrete_in_bands(const std::vector<std::size_t>& thin, const std::vector<Eigen::Index>& columns) const {
  std::vector<bool> discrete(columns.size(), false);
  for (const std::size_t k : thin)
    for (const std::size_t i : constraint_params_[k]) {
      const Parameter& p = params_[i];
      if (p.kind != Parameter::Kind::Integer && !on_grid(p)) continue;
      if (const auto at = std::find(columns.begin(), columns.end(), static_cast<Eigen::Index>(offsets_[i])); at != columns.end())
        discrete[static_cast<std::size_t>(at - columns.begin())] = true;
    }
  return discrete;
}

// What find_region_point() projects each start with, and its tries. A member of Space, for the
// space's own fields; it lives inside one find_region_point() call.
struct Space::RegionProjection {
  const Space& space;
  std::vector<Eigen::Index> columns;
  std::vector<std::size_t> column_param;  // per column, its parameter
  std::vector<bool> discrete;             // per column, whether it is an integer's or grid value's
  std::vector<double> lo, hi;             // per column, [lower, upper]
  bool any_discrete = false;
  std::vector<double> rounding, inside;   // per constraint: how far rounding moves its sum; the aim inside
  std::size_t projections = 0;            // SLSQP runs so far

  RegionProjection(const Space& s, const Eigen::VectorXd& lower, const Eigen::VectorXd& upper);
  [[nodiscard]] ProjectionData data_for(const Eigen::VectorXd& start) const;
  void project(ProjectionData& base, const std::vector<double>& margin, std::vector<double>& x, const std::vector<double>& l,
               const std::vector<double>& h);
  [[nodiscard]] std::optional<double> cell_in_box(std::size_t j, double u) const;
  [[nodiscard]] bool holds(ProjectionData& base, std::vector<double>& x) const;
  [[nodiscard]] bool reals_reach(Eigen::VectorXd u) const;
  [[nodiscard]] std::optional<Eigen::VectorXd> first_tries(const Eigen::VectorXd& start, std::vector<double>& plain);
  [[nodiscard]] std::optional<Eigen::VectorXd> held_try(ProjectionData& base, const std::vector<double>& held);
  [[nodiscard]] std::optional<Eigen::VectorXd> neighbour_tries(const Eigen::MatrixXd& starts,
                                                               const std::vector<std::vector<double>>& plains);
};

Space::RegionProjection::RegionProjection(const Space& s, const Eigen::VectorXd& lower, const Eigen::VectorXd& upper)
    : space(s), columns(s.region_columns()) {
  const std::size_t n = columns.size();
  column_param.resize(n);
  discrete.resize(n);
  // Per constraint, how far rounding integers and grid values can move its sum: the projection
  // aims that far inside. A held parameter does not move, so it rounds nothing.
  rounding.assign(s.constraints_.size(), 0.0);
  for (std::size_t k = 0; k < s.constraints_.size(); ++k)
    for (std::size_t t = 0; t < s.constraint_params_[k].size(); ++t) {
      const std::size_t i = s.constraint_params_[k][t];
      const Parameter& p = s.params_[i];
      const double c = std::abs(s.constraints_[k].terms[t].second);
      const auto at = std::find(columns.begin(), columns.end(), static_cast<Eigen::Index>(s.offsets_[i]));
      if (at == columns.end()) continue;  // held
      const auto j = static_cast<std::size_t>(at - columns.begin());
      column_param[j] = i;
      discrete[j] = on_grid(p) || p.kind == Parameter::Kind::Integer;
      if (on_grid(p)) rounding[k] += 0.5 * c * (p.high - p.low) / static_cast<double>(step_count(p));
      else if (p.kind == Parameter::Kind::Integer) rounding[k] += 0.5 * c;
    }
  inside.resize(s.constraints_.size());
  for (std::size_t k = 0; k < s.constraints_.size(); ++k)  // 1e-9 of the range missed bands narrower than twice that
    inside[k] = std::min(1e-9 * s.sum_ranges_[k], 0.25 * s.band_widths_[k]);
  for (std::size_t j = 0; j < n; ++j) {
    lo.push_back(lower[columns[j]]);
    hi.push_back(upper[columns[j]]);
  }
  any_discrete = std::find(discrete.begin(), discrete.end(), true) != discrete.end();
}

// A start's point (held columns written) and its region columns clamped into [lower, upper], the target.
ProjectionData Space::RegionProjection::data_for(const Eigen::VectorXd& start) const {
  ProjectionData base{&space, start, &columns, Eigen::VectorXd(static_cast<Eigen::Index>(columns.size()))};
  space.hold(base.u);
  for (std::size_t j = 0; j < columns.size(); ++j)
    base.target[static_cast<Eigen::Index>(j)] = std::clamp(base.u[columns[j]], lo[j], hi[j]);
  return base;
}

void Space::RegionProjection::project(ProjectionData& base, const std::vector<double>& margin, std::vector<double>& x,
                                      const std::vector<double>& l, const std::vector<double>& h) {
  ++projections;
  project_onto_constraints(base, margin, x, l, h);
}

// Relaxed column u of column j in the coordinates region_holds() reads, inside [lower, upper]:
// an integer or grid value rounded, at the middle of its cell of snap_uniform()'s map (the
// relaxation reads columns unwidened), or, where the box holds only part of the cell, at the
// middle of that part. None where the box holds none of it (or a sliver): a walk cannot start
// outside the box (its steps never land there, and every row was the start).
std::optional<double> Space::RegionProjection::cell_in_box(std::size_t j, double u) const {
  const std::size_t i = column_param[j];
  const double middle = space.uniform_cell(i, u);
  if (middle >= lo[j] && middle <= hi[j]) return middle;
  if (!discrete[j]) return std::nullopt;
  const auto [a, b] = uniform_cell_bounds(space.params_[i], u);
  const double from = std::max(a, lo[j]), to = std::min(b, hi[j]), inside_box = 0.5 * (from + to);
  if (!(to - from > 1e-9 * (b - a)) || space.uniform_column(i, inside_box) != space.uniform_column(i, middle)) return std::nullopt;
  return inside_box;
}

// Moves x into the coordinates region_holds() reads (cell_in_box()) and says whether base.u, x
// written in, meets the constraints: false where a cell lies outside [lower, upper].
bool Space::RegionProjection::holds(ProjectionData& base, std::vector<double>& x) const {
  for (std::size_t j = 0; j < columns.size(); ++j)
    if (const auto c = cell_in_box(j, x[j])) x[j] = *c;
    else return false;
  set_columns(base, x.data());
  return space.region_holds(base.u);
}

// Whether the reals, moving inside [lower, upper] with the integers and grid values as u holds
// them, can reach every constraint's bounds. A relaxed sum is monotone in each column, so a
// bound's least violation has each real at the end its gradient points away from; a hold that
// cannot meet a bound there is not projected (it would fail: the tolerance keeps this exact).
bool Space::RegionProjection::reals_reach(Eigen::VectorXd u) const {
  Eigen::VectorXd gradient(u.size());
  for (std::size_t k = 0; k < space.constraints_.size(); ++k)
    for (const bool upper : {true, false}) {
      if (!(upper ? space.constraints_[k].max : space.constraints_[k].min)) continue;
      (void)space.relaxed_constraint(k, upper, u.data(), gradient.data());
      for (std::size_t j = 0; j < columns.size(); ++j)
        if (!discrete[j]) u[columns[j]] = gradient[columns[j]] > 0.0 ? lo[j] : hi[j];
      if (space.relaxed_constraint(k, upper, u.data(), nullptr) > 1e-9 * space.sum_ranges_[k]) return false;
    }
  return true;
}

// Three tries: the plain projection (kept in `plain`); aiming past rounding's reach; and, for a
// band too thin for that (5.3 <= n + x <= 5.3 + 1e-6), the integers and grid values held at the
// plain projection's rounding while the reals move.
std::optional<Eigen::VectorXd> Space::RegionProjection::first_tries(const Eigen::VectorXd& start, std::vector<double>& plain) {
  const std::size_t n = columns.size();
  ProjectionData base = data_for(start);
  if (n == 0) return space.region_holds(base.u) ? std::optional(base.u) : std::nullopt;
  const std::vector<double> target(base.target.data(), base.target.data() + n);
  for (const int pass : {0, 1}) {
    std::vector<double> x = target, margin = inside;
    if (pass == 1)
      for (std::size_t k = 0; k < margin.size(); ++k) margin[k] += rounding[k];
    project(base, margin, x, lo, hi);
    if (pass == 0) plain = x;
    if (holds(base, x)) return base.u;
  }
  if (!any_discrete) return std::nullopt;
  std::vector<double> nearest = plain;
  for (std::size_t j = 0; j < n; ++j)
    if (discrete[j]) nearest[j] = rounded_relaxed(space.params_[column_param[j]], plain[j]);
  return held_try(base, nearest);
}

// The reals projected with the integers and grid values held at `held`'s; none projected when
// a held value's cell lies outside [lower, upper] or the reals cannot reach a bound.
std::optional<Eigen::VectorXd> Space::RegionProjection::held_try(ProjectionData& base, const std::vector<double>& held) {
  const std::size_t n = columns.size();
  std::vector<double> x(base.target.data(), base.target.data() + n), l = lo, h = hi;
  for (std::size_t j = 0; j < n; ++j)
    if (discrete[j]) {
      x[j] = l[j] = h[j] = held[j];  // [lo, hi] is in other coordinates: its cell meets them
      if (!cell_in_box(j, held[j])) return std::nullopt;
      base.u[columns[j]] = held[j];
    }
  if (!reals_reach(base.u)) return std::nullopt;
  project(base, inside, x, l, h);
  return holds(base, x) ? std::optional(base.u) : std::nullopt;
}

// The second sweep, once no start's three tries gave a point: one integer or grid value held a
// value up or down from the plain projection's rounding, the others at it, while the reals move
// (n = 4 needs x = 1.3 outside [0, 1]; n = 5, x = 0.3). Every start's holds are tried nearest
// its plain projection first, and no more are projected than the three tries could have been.
std::optional<Eigen::VectorXd> Space::RegionProjection::neighbour_tries(const Eigen::MatrixXd& starts,
                                                                        const std::vector<std::vector<double>>& plains) {
  struct Hold {
    double steps;  // from the plain projection
    Eigen::Index row;
    std::size_t column;
    double value;
  };
  std::vector<Hold> holds_tried;
  for (Eigen::Index r = 0; any_discrete && r < starts.rows(); ++r)
    for (std::size_t j = 0; j < columns.size(); ++j) {
      if (!discrete[j]) continue;
      const Parameter& p = space.params_[column_param[j]];
      const double u = plains[static_cast<std::size_t>(r)][j];
      for (const int by : {1, -1})
        if (const auto moved = stepped_relaxed(p, u, by)) holds_tried.push_back({steps_apart(p, u, *moved), r, j, *moved});
    }
  std::stable_sort(holds_tried.begin(), holds_tried.end(), [](const Hold& a, const Hold& b) { return a.steps < b.steps; });
  const std::size_t budget = projections + 3 * static_cast<std::size_t>(starts.rows());
  for (const Hold& t : holds_tried) {
    if (projections >= budget) break;
    std::vector<double> held = plains[static_cast<std::size_t>(t.row)];
    for (std::size_t j = 0; j < columns.size(); ++j)
      if (discrete[j]) held[j] = rounded_relaxed(space.params_[column_param[j]], held[j]);
    held[t.column] = t.value;
    ProjectionData base = data_for(starts.row(t.row).transpose());
    if (auto u = held_try(base, held)) return u;
  }
  return std::nullopt;
}

std::optional<Eigen::VectorXd> Space::find_region_point(const Eigen::MatrixXd& starts, const Eigen::VectorXd& lower,
                                                        const Eigen::VectorXd& upper) const {
  RegionProjection rp(*this, lower, upper);
  std::vector<std::vector<double>> plains(static_cast<std::size_t>(starts.rows()));
  for (Eigen::Index r = 0; r < starts.rows(); ++r)
    if (auto u = rp.first_tries(starts.row(r).transpose(), plains[static_cast<std::size_t>(r)])) return u;
  // The integers' neighbouring values are tried only once no start's nearest ones did: a start
  // that was found before is found still.
  return rp.neighbour_tries(starts, plains);
}

double Space::uniform_cell(std::size_t i, double u) const {
  const Parameter& p = params_[i];
  if (on_grid(p)) {
    const auto steps = static_cast<double>(step_count(p));
    return (std::clamp(std::round(u * steps), 0.0, steps) + 0.5) / (steps + 1.0);
  }
  if (p.kind != Parameter::Kind::Integer) return u;
  Parameter wide = p;
  wide.low = p.low - 0.5;
  wide.high = p.high + 0.5;
  return to_unit(wide, std::clamp(std::round(from_unit(p, u)), p.low, p.high));
}

bool Space::region_empty() const {
  if (feasible_points_) return feasible_points_->empty();
  if (feasible_share_ > 0.0) return false;
  Rng rng = make_rng(0x72656769ULL);  // fixed: whether a space is valid must not vary
  Eigen::MatrixXd starts(8, static_cast<Eigen::Index>(dim_));
  starts.row(0).setConstant(0.5);
  starts.bottomRows(7) = quasi_random_design(7, dim_, rng);
  const Eigen::VectorXd lower = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(dim_)), upper = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(dim_));
  return !find_region_point(starts, lower, upper);
}

Eigen::MatrixXd Space::draw_in_region(Eigen::MatrixXd X, Rng& rng, const Eigen::VectorXd& lower, const Eigen::VectorXd& upper,
                                      bool spread) const {
  const std::vector<Eigen::Index> columns = region_columns();
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    Eigen::VectorXd row = X.row(r).transpose();
    hold(row);
    X.row(r) = row.transpose();
  }
  std::optional<Eigen::VectorXd> start;
  for (Eigen::Index r = 0; r < X.rows() && !start; ++r)
    if (region_holds(X.row(r).transpose())) start = X.row(r).transpose();
  if (!start) start = find_region_point(X.topRows(std::min<Eigen::Index>(X.rows(), 8)), lower, upper);
  if (!start) return Eigen::MatrixXd(0, X.cols());
  std::vector<std::size_t> thin = thin_constraints();
  std::vector<bool> discrete = discrete_in_bands(thin, columns);
  RegionWalk walk(*this, columns, lower, upper, std::move(thin), std::move(discrete),
                  [this](const Eigen::VectorXd& u) { return region_holds(u); }, *start);
  const std::size_t burn_in = columns.empty() ? 0 : kBurnInSteps + kBurnInStepsPerColumn * columns.size();
  if (!spread)
    for (std::size_t s = 0; s < burn_in; ++s) walk.step(rng);
  std::vector<Eigen::Index> keep;
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    // A design's rows: one walk's states a step apart clustered (ten rows of a strip 2% of the
    // square wide spanned a tenth of it), so each walks from where its own row projects.
    if (spread) {
      if (const auto own = find_region_point(X.row(r), lower, upper)) walk.restart(*own);
      for (std::size_t s = 0; s < burn_in; ++s) walk.step(rng);
    }
    for (std::size_t s = 0; s < columns.size(); ++s) walk.step(rng);
    for (const Eigen::Index c : columns) X(r, c) = walk.state()[c];
    if (region_holds(X.row(r).transpose()) && meets_constraints(snap_uniform(X.row(r).transpose()))) keep.push_back(r);
  }
  return X(keep, Eigen::all);
}

Eigen::MatrixXd Space::random_points(std::size_t n, Rng& rng) const {
  const auto d = static_cast<Eigen::Index>(dim_);
  Eigen::MatrixXd U = uniform_design(n, dim_, rng);
  if (narrow_region()) U = draw_in_region(std::move(U), rng, Eigen::VectorXd::Zero(d), Eigen::VectorXd::Ones(d));
  for (Eigen::Index i = 0; i < U.rows(); ++i) U.row(i) = snap_uniform(U.row(i).transpose()).transpose();
  return U;
}

std::optional<Eigen::VectorXd> Space::first_random_point(Rng& rng, std::size_t tries,
                                                         const std::function<bool(const Eigen::VectorXd&)>& accept) const {
  if (narrow_region()) {
    const Eigen::MatrixXd walked = random_points(1000, rng);
    for (Eigen::Index t = 0; t < walked.rows(); ++t)
      if (Eigen::VectorXd u = walked.row(t).transpose(); accept(u)) return u;
    return std::nullopt;
  }
  for (std::size_t t = 0; t < tries; ++t)
    if (Eigen::VectorXd u = random_points(1, rng).row(0).transpose(); accept(u)) return u;
  return std::nullopt;
}

}  // namespace gpbo::bo
