// Counting and listing the points of a finite space (Space::cardinality, Space::encoded_point).
// A conditional space is walked one assignment of its parents at a time: the parameters that
// are not parents multiply out within it, and an inactive parent's other values repeat it.
#include <algorithm>
#include <optional>

#include "gpbo/bayesopt/space.hpp"

namespace gpbo::bo {

std::vector<std::size_t> Space::parents() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (std::any_of(params_.begin(), params_.end(), [&](const Parameter& q) {
          return std::any_of(q.conditions.begin(), q.conditions.end(), [&](const Condition& c) { return c.parent == params_[i].name; });
        }))
      out.push_back(i);
  return out;
}

template <typename F>
bool Space::for_each_parent_assignment(F&& f) const {
  const std::vector<std::size_t> ps = parents();
  std::uint64_t total = 1;
  for (const std::size_t i : ps) {
    const std::uint64_t c = params_[i].distinct_values();
    if (c == 0 || c > (std::uint64_t{1} << 20) / total) return false;  // a continuous parent: infinitely many
    total *= c;
  }
  for (std::uint64_t index = 0; index < total; ++index) {
    std::vector<std::uint64_t> digit(ps.size());
    for (std::uint64_t k = ps.size(), rest = index; k-- > 0;) {
      digit[k] = rest % params_[ps[k]].distinct_values();
      rest /= params_[ps[k]].distinct_values();
    }
    // Parents come before their children, so each parent's activity is known when it is reached.
    Point values;
    bool canonical = true;
    for (std::size_t k = 0; k < ps.size() && canonical; ++k) {
      const Parameter& p = params_[ps[k]];
      if (!active(ps[k], values)) {
        canonical = digit[k] == 0;  // an inactive parent's other digits repeat this assignment
        continue;
      }
      values[p.name] = p.nth_value(digit[k]);
    }
    if (canonical) f(values);
  }
  return true;
}

std::optional<std::uint64_t> Space::completions(const Point& parent_values) const {
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 53;
  std::uint64_t n = 1;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (parent_values.count(params_[i].name) || !active(i, parent_values)) continue;
    const std::uint64_t c = params_[i].distinct_values();
    if (c == 0) return 0;
    if (n > kLimit / c) return std::nullopt;
    n *= c;
  }
  return n;
}

std::optional<std::uint64_t> Space::box_cardinality() const {
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 53;
  std::uint64_t n = 0;
  bool finite = true;
  const bool walked = for_each_parent_assignment([&](const Point& parents) {
    const auto c = completions(parents);
    if (!c || *c == 0 || n > kLimit - *c) finite = false;
    else n += *c;
  });
  if (!walked || !finite) return std::nullopt;
  return n;
}

Eigen::VectorXd Space::box_point(std::uint64_t index) const {
  const auto total = box_cardinality();
  if (!total || index >= *total) throw SpaceError("encoded_point: index outside the finite space");
  // The index-th point: find its parents' assignment, then count in mixed radix over the active
  // parameters that are not parents (the last fastest).
  Point point;
  bool found = false;
  for_each_parent_assignment([&](const Point& parents) {
    if (found) return;
    const std::uint64_t c = *completions(parents);
    if (index >= c) {
      index -= c;
      return;
    }
    found = true;
    point = parents;
    for (std::size_t i = params_.size(); i-- > 0;) {
      const Parameter& p = params_[i];
      if (parents.count(p.name) || !active(i, parents)) continue;
      const std::uint64_t count = p.distinct_values(), k = index % count;
      index /= count;
      point[p.name] = p.nth_value(k);
    }
  });
  return encode(point);
}


std::optional<std::uint64_t> Space::cardinality() const {
  if (!listed()) return box_cardinality();
  if (!feasible_points_) return std::nullopt;
  return feasible_points_->size();
}

Eigen::VectorXd Space::encoded_point(std::uint64_t index) const {
  if (!listed()) return box_point(index);
  if (!feasible_points_ || index >= feasible_points_->size()) throw SpaceError("encoded_point: index outside the finite space");
  return box_point((*feasible_points_)[index]);
}

}  // namespace gpbo::bo
