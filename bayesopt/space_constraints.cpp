// Linear constraints on a space's numeric parameters (Space::add_constraint and the checks that
// keep suggestions inside them). Points are checked in the user's units, after decoding, so an
// integer or grid value that rounding moves across a bound is seen as it will be evaluated.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#include <string>

#include "gpbo/bayesopt/design.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "gpbo/core/number_text.hpp"

namespace gpbo::bo {
namespace {

// "2 x1", "x1", "- 0.5 x2" (the sign written by the caller between terms).
std::string term_text(double coefficient, const std::string& name) {
  const double a = std::abs(coefficient);
  return (a == 1.0 ? std::string() : shortest_text(a) + " ") + name;
}

// Points of a finite box at most this many are listed, so that cardinality() counts the ones
// that meet the constraints exactly.
constexpr std::uint64_t kListedBoxPoints = std::uint64_t{1} << 16;
// Spread points over the box that estimate the share of it that meets the constraints.
constexpr std::size_t kShareProbes = 1024;

using Terms = std::vector<std::pair<std::string, double>>;

// Terms l's coefficients as r times k's (both sorted by name), or 0.
double coefficient_ratio(const Terms& k, const Terms& l) {
  if (k.size() != l.size()) return 0.0;
  double r = 0.0;
  for (std::size_t t = 0; t < k.size(); ++t) {
    if (k[t].first != l[t].first) return 0.0;
    if (r == 0.0) r = l[t].second / k[t].second;
    else if (std::abs(l[t].second - r * k[t].second) > 1e-12 * std::abs(l[t].second)) return 0.0;
  }
  return r;
}

// Per constraint, the width of the band its sum is held in by every constraint on the same sum
// (proportional coefficients of either sign: Ax writes a + b >= 1 as -a - b <= -1), in its own
// units: infinity where nothing bounds one side.
std::vector<double> band_widths(const std::vector<LinearConstraint>& constraints) {
  std::vector<Terms> sorted(constraints.size());  // each pair then compared in one pass
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    sorted[k] = constraints[k].terms;
    std::sort(sorted[k].begin(), sorted[k].end());
  }
  std::vector<double> width(constraints.size());
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (std::size_t k = 0; k < constraints.size(); ++k) {
    double low = -kInf, high = kInf;
    for (std::size_t m = 0; m < constraints.size(); ++m) {
      const LinearConstraint& l = constraints[m];
      const double r = m == k ? 1.0 : coefficient_ratio(sorted[k], sorted[m]);
      if (r == 0.0) continue;
      const std::optional<double> below = r > 0 ? l.min : l.max, above = r > 0 ? l.max : l.min;
      if (below) low = std::max(low, *below / r);
      if (above) high = std::min(high, *above / r);
    }
    width[k] = high - low;
  }
  return width;
}

}  // namespace

std::string LinearConstraint::describe() const {
  std::string sum_text;
  for (const auto& [name, c] : terms) {
    if (sum_text.empty()) sum_text = (c < 0 ? "-" : "") + term_text(c, name);
    else sum_text += (c < 0 ? " - " : " + ") + term_text(c, name);
  }
  std::string out = min ? shortest_text(*min) + " <= " + sum_text : sum_text;
  return max ? out + " <= " + shortest_text(*max) : out;
}

bool LinearConstraint::holds(double s, double slack) const { return (!min || s >= *min - slack) && (!max || s <= *max + slack); }

Space& Space::add_constraint(LinearConstraint c) {
  const std::string what = "constraint " + (c.terms.empty() ? std::string("(no terms)") : c.describe()) + ": ";
  if (c.terms.empty()) throw SpaceError(what + "expected at least one parameter with its coefficient");
  if (!c.min && !c.max) throw SpaceError(what + "expected a bound, min or max");
  if ((c.min && !std::isfinite(*c.min)) || (c.max && !std::isfinite(*c.max))) throw SpaceError(what + "the bounds must be finite");
  if (c.min && c.max && *c.min > *c.max) throw SpaceError(what + "min is above max");
  std::vector<std::size_t> indices;
  std::set<std::string> names;
  double low = 0.0, high = 0.0;  // the sum's range over the box
  double range = 0.0;            // high - low, summed so: the thin-band test reads it (Space::sum_ranges_)
  for (const auto& [name, coefficient] : c.terms) {
    const auto it = std::find_if(params_.begin(), params_.end(), [&](const Parameter& p) { return p.name == name; });
    if (it == params_.end()) throw SpaceError(what + "'" + name + "' is not a parameter of the space");
    if (!names.insert(name).second) throw SpaceError(what + "'" + name + "' appears twice; add its coefficients up");
    const Parameter& p = *it;
    if (p.kind != Parameter::Kind::Real && p.kind != Parameter::Kind::Integer)
      throw SpaceError(what + "'" + name + "' is " + (p.kind == Parameter::Kind::Fixed ? "fixed (move its share into the bound)" : "categorical") +
                       "; constraints take real and integer parameters");
    if (!p.conditions.empty())
      throw SpaceError(what + "'" + name + "' is conditional (active where " + describe_conditions(p) +
                       "); constraints take parameters that are always active");
    if (!std::isfinite(coefficient) || coefficient == 0.0)
      throw SpaceError(what + "the coefficient of '" + name + "' must be finite and nonzero");
    low += std::min(coefficient * p.low, coefficient * p.high);
    high += std::max(coefficient * p.low, coefficient * p.high);
    range += std::abs(coefficient) * (p.high - p.low);
    indices.push_back(static_cast<std::size_t>(it - params_.begin()));
  }
  // An equality over a continuous real leaves the search no volume: random points never meet
  // it, and every suggestion failed (ask() found the space used up at once). Written as two
  // constraints (-a - b <= -0.5 beside a + b <= 0.5) too.
  std::vector<LinearConstraint> with_c = constraints_;
  with_c.push_back(c);
  std::vector<double> widths = band_widths(with_c);
  if (std::abs(widths.back()) <= 1e-12 * (high - low))  // bounds that differ only by round-off are one
    for (const auto& [name, coefficient] : c.terms)
      if (const Parameter& p = parameter(name); p.kind == Parameter::Kind::Real && p.step == 0.0)
        throw SpaceError(what + (c.min && c.max && *c.min == *c.max ? "" : "with a constraint on the same sum, ") +
                         "an equality with the continuous parameter '" + name + "' leaves no room to search: have "
                         "your program compute one of its parameters from the others (or give the bounds some width)");
  if ((c.max && low > *c.max) || (c.min && high < *c.min))
    throw SpaceError(what + "no point of the space meets it (over the parameters' ranges the sum lies in [" +
                     shortest_text(low) + ", " + shortest_text(high) + "])");
  const bool c_was_equality = c.min && c.max && *c.min == *c.max;
  constraints_.push_back(std::move(c));
  constraint_params_.push_back(std::move(indices));
  band_widths_ = std::move(widths);
  sum_ranges_.push_back(range);
  list_feasible_points();
  if (region_empty()) {
    const std::string text = constraints_.back().describe();
    constraints_.pop_back();
    constraint_params_.pop_back();
    band_widths_ = band_widths(constraints_);
    sum_ranges_.pop_back();
    list_feasible_points();
    throw SpaceError("constraint " + text + ": no point of the space meets it" +
                     (constraints_.empty() ? std::string() : " together with the other constraints") +
                     (feasible_points_ || !c_was_equality ? std::string() : " (an equality needs a parameter fixed or computed by your program)"));
  }
  return *this;
}

template <typename ValueOf>
double Space::constraint_sum(std::size_t k, ValueOf&& value, double* magnitude) const {
  const LinearConstraint& c = constraints_[k];
  double s = 0.0;
  for (std::size_t t = 0; t < c.terms.size(); ++t) {
    const double term = c.terms[t].second * value(constraint_params_[k][t]);
    s += term;
    if (magnitude) *magnitude += std::abs(term);
  }
  return s;
}

void Space::check_constraints(const Point& point) const {
  for (std::size_t k = 0; k < constraints_.size(); ++k) {
    double magnitude = 0.0;
    const double sum = constraint_sum(k, [&](std::size_t i) { return as_double(point.at(params_[i].name)); }, &magnitude);
    if (!constraints_[k].holds(sum, 1e-12 * magnitude))
      throw SpaceError("point breaks the constraint " + constraints_[k].describe() + " (the sum is " + shortest_text(sum) + ")");
  }
}

bool Space::meets_constraints(const Point& point) const {
  try {
    check_constraints(point);
    return true;
  } catch (const SpaceError&) {
    return false;
  }
}

bool Space::meets_constraints(const Eigen::VectorXd& u) const {
  for (const auto& [column, value] : held_columns_)
    if (u[column] != value) return false;  // outside the slice
  for (std::size_t k = 0; k < constraints_.size(); ++k) {
    const double sum = constraint_sum(k, [&](std::size_t i) { return held_or_column_value(i, u[static_cast<Eigen::Index>(offsets_[i])]); });
    if (!constraints_[k].holds(sum)) return false;
  }
  return true;
}

double Space::held_or_column_value(std::size_t i, double u) const {
  // The value a suggestion carries: a held one as given, not its column decoded (an ulp away:
  // a + b <= 2 with a held at 1.45 let b = 0.5500000000000005 through).
  if (!held_.empty())
    if (const auto held = held_.find(params_[i].name); held != held_.end()) return as_double(held->second);
  return column_value(i, u);
}

bool Space::region_holds(const Eigen::VectorXd& u) const {
  // A slice's held columns hold encoded values already: mapping them again would move a
  // log-scale integer (held 5 on [1, 1000] read as 3).
  const auto value = [&](std::size_t i) {
    const auto column = static_cast<Eigen::Index>(offsets_[i]);
    return held_or_column_value(i, column_held(column) ? u[column] : uniform_column(i, u[column]));
  };
  for (std::size_t k = 0; k < constraints_.size(); ++k) {
    const double sum = constraint_sum(k, value);
    if (!constraints_[k].holds(sum)) return false;
  }
  return true;
}

double Space::relaxed_constraint(std::size_t k, bool upper, const double* u, double* gradient) const {
  const LinearConstraint& c = constraints_.at(k);
  if (gradient) std::fill(gradient, gradient + dim_, 0.0);
  std::size_t t = 0;
  const double s = constraint_sum(k, [&](std::size_t i) {
    double slope = 0.0;
    const double x = relaxed_column_value(i, u[offsets_[i]], slope);
    if (gradient) gradient[offsets_[i]] += (upper ? c.terms[t].second : -c.terms[t].second) * slope;
    ++t;
    return x;
  });
  return upper ? s - *c.max : *c.min - s;
}

std::size_t Space::draws_for(std::size_t n) const {
  if (constraints_.empty()) return n;
  return static_cast<std::size_t>(std::ceil(static_cast<double>(n) / std::max(feasible_share_, 0.05)));
}

void Space::list_feasible_points() {
  feasible_points_.reset();
  feasible_share_ = 1.0;
  if (!listed()) return;
  if (const auto total = box_cardinality(); total && *total <= kListedBoxPoints) {
    feasible_points_.emplace();
    for (std::uint64_t index = 0; index < *total; ++index)
      if (meets_constraints(box_point(index))) feasible_points_->push_back(index);
  }
  Rng rng = make_rng(0x73686172ULL);  // fixed: the estimate is part of the space's definition
  const Eigen::MatrixXd probes = quasi_random_design(kShareProbes, dim_, rng);
  std::size_t inside = 0;
  for (Eigen::Index r = 0; r < probes.rows(); ++r) inside += meets_constraints(snap_uniform(probes.row(r).transpose()));
  feasible_share_ = static_cast<double>(inside) / static_cast<double>(kShareProbes);
}

}  // namespace gpbo::bo
