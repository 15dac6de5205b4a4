// Linear constraints on a space's numeric parameters (Space::add_constraint and the checks that
// keep suggestions inside them). Points are checked in the user's units, after decoding, so an
// integer or grid value that rounding moves across a bound is seen as it will be evaluated.
#include <algorithm>
#include <cmath>
#include <set>

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

double LinearConstraint::sum(const std::vector<double>& values) const {
  double s = 0.0;
  for (std::size_t k = 0; k < terms.size(); ++k) s += terms[k].second * values.at(k);
  return s;
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
    indices.push_back(static_cast<std::size_t>(it - params_.begin()));
  }
  if ((c.max && low > *c.max) || (c.min && high < *c.min))
    throw SpaceError(what + "no point of the space meets it (over the parameters' ranges the sum lies in [" +
                     shortest_text(low) + ", " + shortest_text(high) + "])");
  constraints_.push_back(std::move(c));
  constraint_params_.push_back(std::move(indices));
  list_feasible_points();
  const bool none = feasible_points_listed_ ? feasible_points_.empty() : feasible_share_ == 0.0;
  if (none) {
    const std::string text = constraints_.back().describe();
    constraints_.pop_back();
    constraint_params_.pop_back();
    list_feasible_points();
    throw SpaceError("constraint " + text + ": no point of the space meets it together with the other constraints" +
                     (feasible_points_listed_ ? std::string() : " (none of " + std::to_string(kShareProbes) + " points spread over the space does; an equality needs a parameter fixed or computed by your program)"));
  }
  return *this;
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
  for (std::size_t k = 0; k < constraints_.size(); ++k) {
    std::vector<double> values;
    for (const std::size_t i : constraint_params_[k]) values.push_back(column_value(i, u[static_cast<Eigen::Index>(offsets_[i])]));
    if (!constraints_[k].holds(constraints_[k].sum(values))) return false;
  }
  return true;
}

double Space::relaxed_constraint(std::size_t k, bool upper, const double* u, double* gradient) const {
  const LinearConstraint& c = constraints_.at(k);
  if (gradient) std::fill(gradient, gradient + dim_, 0.0);
  double s = 0.0;
  for (std::size_t t = 0; t < c.terms.size(); ++t) {
    const std::size_t i = constraint_params_[k][t];
    const Parameter& p = params_[i];
    const double v = std::clamp(u[offsets_[i]], 0.0, 1.0), a = c.terms[t].second;
    double x = 0.0, dx = 0.0;
    if (p.scale == Scale::Log) {
      const double span = std::log(p.high) - std::log(p.low);
      x = std::exp(std::log(p.low) + v * span);
      dx = x * span;
    } else {
      x = p.low + v * (p.high - p.low);
      dx = p.high - p.low;
    }
    s += a * x;
    if (gradient) gradient[offsets_[i]] += (upper ? a : -a) * dx;
  }
  return upper ? s - *c.max : *c.min - s;
}

void Space::list_feasible_points() {
  feasible_points_.clear();
  feasible_points_listed_ = false;
  feasible_share_ = 1.0;
  if (constraints_.empty()) return;
  if (const auto total = box_cardinality(); total && *total <= kListedBoxPoints) {
    for (std::uint64_t index = 0; index < *total; ++index)
      if (meets_constraints(box_point(index))) feasible_points_.push_back(index);
    feasible_points_listed_ = true;
  }
  Rng rng = make_rng(0x73686172ULL);  // fixed: the estimate is part of the space's definition
  const Eigen::MatrixXd probes = quasi_random_design(kShareProbes, dim_, rng);
  std::size_t inside = 0;
  for (Eigen::Index r = 0; r < probes.rows(); ++r) inside += meets_constraints(snap_uniform(probes.row(r).transpose()));
  feasible_share_ = static_cast<double>(inside) / static_cast<double>(kShareProbes);
}

}  // namespace gpbo::bo
