// Slices of a space (Space::slice): some parameters held at given values, the rest free. The
// optimizer searches a slice when asked for a suggestion with fixed values.
#include <algorithm>
#include <functional>
#include <string>

#include "gpbo/bayesopt/detail/parameter_rules.hpp"
#include "gpbo/bayesopt/space.hpp"
#include "gpbo/core/text_list.hpp"

namespace gpbo::bo {

namespace {

// Why p cannot be held at v, and which ancestors to hold: a parent not among `constant` (the
// parameters the slice fixes), or a fixed parent's own (which the caller may have given already:
// "hold its parents" then named none they could add); failing those, the held ones whose values
// leave it inactive.
SpaceError hold_refusal(const Space& space, const std::vector<std::string>& constant, const Parameter& p, const Value& v) {
  const std::function<void(const Parameter&, std::vector<std::string>&, bool)> ancestors_to_hold =
      [&](const Parameter& q, std::vector<std::string>& names, bool held_too) {
        for (const Condition& c : q.conditions) {
          const Parameter& parent = space.parameter(c.parent);
          const bool is_constant = std::find(constant.begin(), constant.end(), c.parent) != constant.end();
          if (is_constant && !held_too) continue;
          if (parent.kind == Parameter::Kind::Fixed) ancestors_to_hold(parent, names, held_too);
          else if (std::find(names.begin(), names.end(), c.parent) == names.end()) names.push_back(c.parent);
        }
      };
  std::vector<std::string> names;
  ancestors_to_hold(p, names, false);
  const bool free_ones = !names.empty();
  if (!free_ones) ancestors_to_hold(p, names, true);
  const bool direct = std::all_of(names.begin(), names.end(), [&](const std::string& n) {
    return std::any_of(p.conditions.begin(), p.conditions.end(), [&](const Condition& c) { return c.parent == n; });
  });
  return SpaceError("parameter '" + p.name + "' cannot be held at " + to_string(v) + ": it is active only where " +
                    describe_conditions(p) + "; " +
                    (direct ? std::string("hold its parents at such values too")
                            : "hold " + join_text(names) + " at values that make it active" + (free_ones ? " too" : " instead")));
}

}  // namespace

Space Space::slice(const Point& values) const {
  for (const auto& [name, v] : values) {
    (void)v;
    static_cast<void>(parameter(name));  // SpaceError for an unknown name
  }
  Point merged = held_;  // a slice of a slice holds both sets of values
  for (const auto& [name, v] : values) merged[name] = v;
  const Point typed = complete(merged);
  // A point of the space with the held values and the first value of every other active
  // parameter: encode() checks each held value against its parameter, and its columns are the
  // slice's. Parents come first, so each parameter's activity is known when it is reached.
  Point point;
  // Parameters whose value is the same at every point of the slice: held ones, and fixed ones
  // active everywhere in it. A held parameter is active in the whole slice only when its
  // parents are among them: one checked at a free parent's first value alone gave suggestions
  // holding momentum = 0.5 with opt = adam, and a state that did not load again.
  std::vector<std::string> constant;
  const auto parents_constant = [&](const Parameter& p) {
    return std::all_of(p.conditions.begin(), p.conditions.end(),
                       [&](const Condition& c) { return std::find(constant.begin(), constant.end(), c.parent) != constant.end(); });
  };
  Space out = *this;
  out.held_.clear();
  out.held_columns_.clear();
  out.single_point_ = true;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& p = params_[i];
    const auto held = typed.find(p.name);
    // Named by the caller: a fixed parameter too, whose value is then checked whether it is
    // active or not (with a free parent, --fix '{"beta2": 0.5}' passed or failed by the order
    // of the parent's choices).
    const bool is_held = merged.count(p.name) > 0;
    if (is_held && p.kind == Parameter::Kind::Fixed) parameter_detail::check_value(p, held->second);
    if (!active(i, point) || (is_held && !parents_constant(p))) {
      if (!is_held) continue;
      throw hold_refusal(*this, constant, p, held->second);
    }
    if ((held != typed.end() || p.kind == Parameter::Kind::Fixed) && parents_constant(p)) constant.push_back(p.name);
    if (held != typed.end()) {
      point[p.name] = held->second;
      if (p.kind != Parameter::Kind::Fixed) out.held_[p.name] = held->second;
      continue;
    }
    if (p.kind == Parameter::Kind::Fixed) {
      point[p.name] = p.value;
      continue;
    }
    point[p.name] = p.kind == Parameter::Kind::Real ? Value(p.low) : p.nth_value(0);
    out.single_point_ = false;
  }
  const Eigen::VectorXd u = encode(point);  // SpaceError naming a held value outside its parameter
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (out.held_.count(params_[i].name))
      for (std::size_t c = 0; c < params_[i].width(); ++c) {
        const auto column = static_cast<Eigen::Index>(offsets_[i] + c);
        out.held_columns_.emplace_back(column, u[column]);
      }
  out.list_feasible_points();
  if (!constraints_.empty() && out.region_empty()) {
    throw SpaceError("no point with " + describe_values(out.held_) + " meets the linear constraints");
  }
  return out;
}

std::string describe_values(const Point& values) {
  return join_text(values, [](const auto& entry) { return entry.first + " = " + to_string(entry.second); });
}

bool Space::is_complete(const Point& p) const {
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (params_[i].kind != Parameter::Kind::Fixed && active(i, p) && !p.count(params_[i].name)) return false;
  return true;
}

void Space::hold(Eigen::VectorXd& u) const {
  for (const auto& [column, value] : held_columns_) u[column] = value;
}

bool Space::column_held(Eigen::Index column) const {
  return std::any_of(held_columns_.begin(), held_columns_.end(), [column](const auto& h) { return h.first == column; });
}

}  // namespace gpbo::bo
