// Space: the parameters together, their conditions, and the encoding of points to the unit cube
// (one column per real or integer, one-hot columns per categorical) and back.
#include "gpbo/bayesopt/space.hpp"

#include <algorithm>
#include <cmath>

#include "gpbo/bayesopt/detail/parameter_rules.hpp"
#include "gpbo/core/did_you_mean.hpp"

namespace gpbo::bo {

using namespace parameter_detail;

namespace {

// The value of a real or integer parameter that an encoded column u stands for: the nearest
// value of its grid, the integer with the nearest encoding, or the real itself.
Value column_point_value(const Parameter& p, double u) {
  if (on_grid(p)) {
    const auto steps = static_cast<double>(step_count(p));
    return p.nth_value(static_cast<std::uint64_t>(std::clamp(std::round(u * steps), 0.0, steps)));
  }
  return p.kind == Parameter::Kind::Real ? Value(from_unit(p, u)) : Value(round_integer(p, u));
}

// "unknown parameter 'lrr'<context> (did you mean 'lr'?)".
SpaceError unknown_parameter(const std::vector<Parameter>& params, const std::string& name, const std::string& context) {
  std::vector<std::string> names;
  for (const auto& p : params) names.push_back(p.name);
  const std::string hint = did_you_mean(name, names);
  return SpaceError("unknown parameter '" + name + "'" + context + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
}

}  // namespace

double Space::column_value(std::size_t i, double u) const { return as_double(column_point_value(params_.at(i), u)); }

double Space::relaxed_column_value(std::size_t i, double u, double& slope) const {
  const Parameter& p = params_.at(i);
  const double x = from_unit(p, u);
  slope = p.scale == Scale::Log ? x * (std::log(p.high) - std::log(p.low)) : p.high - p.low;
  return x;
}

Space::Space(std::vector<Parameter> params) {
  for (auto& p : params) add(std::move(p));
}

Space& Space::add(Parameter p) {
  check_definition(p);
  for (const auto& q : params_)
    if (q.name == p.name) fail(p.name, "duplicate parameter name");
  for (std::size_t k = 0; k < p.conditions.size(); ++k) {
    Condition& c = p.conditions[k];
    for (std::size_t l = 0; l < k; ++l)
      if (p.conditions[l].parent == c.parent) fail(p.name, "two conditions on '" + c.parent + "': list its values in one");
    const auto parent = std::find_if(params_.begin(), params_.end(), [&](const Parameter& q) { return q.name == c.parent; });
    if (parent == params_.end())
      fail(p.name, c.parent == p.name ? "a parameter cannot depend on itself"
                                      : "condition on '" + c.parent + "', which is not in the space (add it before '" + p.name + "')");
    if (c.is_range()) {
      check_range_condition(p.name, c, *parent);
      continue;
    }
    if (parent->kind == Parameter::Kind::Real)
      fail(p.name, "condition on '" + c.parent + "', a real parameter: give it a range ({\"min\": ..., \"max\": ...}) instead of values");
    if (c.values.empty()) fail(p.name, "condition on '" + c.parent + "' lists no values");
    for (Value& v : c.values) {
      v = as_parameter_value(*parent, v);
      try {
        check_value(*parent, v);
      } catch (const SpaceError& e) {
        fail(p.name, "condition on " + std::string(e.what()));
      }
      for (const Value& choice : parent->choices)
        if (same_value(choice, v)) v = choice;  // the parent's own spelling: 2 for 2.0
    }
  }
  offsets_.push_back(dim_);
  dim_ += p.width();
  params_.push_back(std::move(p));
  if (!constraints_.empty()) list_feasible_points();  // the box grew
  return *this;
}

const Parameter& Space::parameter(const std::string& name) const {
  for (const auto& p : params_)
    if (p.name == name) return p;
  throw unknown_parameter(params_, name, "");
}

bool Space::has_discrete() const {
  return std::any_of(params_.begin(), params_.end(), [](const Parameter& p) {
    return p.kind == Parameter::Kind::Integer || p.kind == Parameter::Kind::Categorical || on_grid(p);
  });
}

bool Space::conditional() const {
  return std::any_of(params_.begin(), params_.end(), [](const Parameter& p) { return !p.conditions.empty(); });
}

bool Space::active(std::size_t i, const Point& point) const {
  if (i >= params_.size()) throw SpaceError("active: no parameter " + std::to_string(i) + " in a space of " + std::to_string(params_.size()));
  for (const Condition& c : params_[i].conditions) {
    std::size_t j = 0;
    while (params_[j].name != c.parent) ++j;  // add() checked that the parent comes before
    if (!active(j, point)) return false;
    const auto it = point.find(c.parent);
    const Value* v = it != point.end() ? &it->second : params_[j].kind == Parameter::Kind::Fixed ? &params_[j].value : nullptr;
    if (!v || !c.holds(*v)) return false;
  }
  return true;
}

bool Space::active(const std::string& name, const Point& point) const {
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (params_[i].name == name) return active(i, point);
  static_cast<void>(parameter(name));  // throws, with a suggestion
  return false;
}

void Space::validate(const Point& point) const {
  validate_box(point);
  check_constraints(point);
}

void Space::validate_box(const Point& point) const {
  for (const auto& [name, v] : point) {
    (void)v;
    if (std::none_of(params_.begin(), params_.end(), [&](const Parameter& p) { return p.name == name; }))
      throw unknown_parameter(params_, name, " in point");
  }
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& p = params_[i];
    const auto it = point.find(p.name);
    if (!active(i, point)) {
      // A fixed one too: its value would be kept with the point, and results.csv would write
      // it where the warm start reads an inactive parameter's empty cell.
      if (it != point.end()) fail(p.name, "inactive here (it needs " + describe_conditions(p) + "), so it must be left out");
      continue;
    }
    if (it == point.end()) {
      if (p.kind == Parameter::Kind::Fixed) continue;
      fail(p.name, "missing from point" + (p.conditions.empty() ? std::string() : " (active where " + describe_conditions(p) + ")"));
    }
    check_value(p, it->second);
  }
}

Eigen::VectorXd Space::encode(const Point& point) const {
  validate_box(point);
  Eigen::VectorXd u = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(dim_));
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const auto& p = params_[i];
    const auto o = static_cast<Eigen::Index>(offsets_[i]);
    if (!p.conditions.empty() && !active(i, point)) {
      if (p.kind == Parameter::Kind::Categorical)
        u.segment(o, static_cast<Eigen::Index>(p.choices.size())).setConstant(1.0 / static_cast<double>(p.choices.size()));
      else if (p.kind != Parameter::Kind::Fixed)
        u[o] = kInactiveEncoding;
      continue;
    }
    if (p.kind == Parameter::Kind::Real || p.kind == Parameter::Kind::Integer) {
      u[o] = std::clamp(to_unit(p, as_double(point.at(p.name))), 0.0, 1.0);
    } else if (p.kind == Parameter::Kind::Categorical) {
      const Value& v = point.at(p.name);
      for (std::size_t c = 0; c < p.choices.size(); ++c)
        if (same_value(p.choices[c], v)) u[o + static_cast<Eigen::Index>(c)] = 1.0;
    }
  }
  return u;
}

std::size_t Space::offset(std::size_t i) const {
  if (i >= offsets_.size())
    throw SpaceError("offset: no parameter " + std::to_string(i) + " in a space of " + std::to_string(offsets_.size()));
  return offsets_[i];
}

Point Space::decode(const Eigen::VectorXd& u) const {
  if (static_cast<std::size_t>(u.size()) != dim_)
    throw SpaceError("decode: vector has " + std::to_string(u.size()) + " entries, the space encodes " + std::to_string(dim_));
  for (Eigen::Index i = 0; i < u.size(); ++i)
    if (std::isnan(u[i])) throw SpaceError("decode: entry " + std::to_string(i) + " is not a number");
  Point point;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const auto& p = params_[i];
    const auto o = static_cast<Eigen::Index>(offsets_[i]);
    if (!p.conditions.empty() && !active(i, point)) continue;
    // A slice's held value as given: its column can decode an ulp away (lr held at 0.001 read
    // 0.0010000000000000002, which switched off a child active where lr <= 0.001).
    if (!held_.empty())
      if (const auto held = held_.find(p.name); held != held_.end()) {
        point[p.name] = held->second;
        continue;
      }
    switch (p.kind) {
      case Parameter::Kind::Real:
      case Parameter::Kind::Integer: point[p.name] = column_point_value(p, u[o]); break;
      case Parameter::Kind::Categorical: {
        Eigen::Index best = 0;
        u.segment(o, static_cast<Eigen::Index>(p.choices.size())).maxCoeff(&best);
        point[p.name] = p.choices[static_cast<std::size_t>(best)];
        break;
      }
      case Parameter::Kind::Fixed: point[p.name] = p.value; break;
    }
  }
  return point;
}

double Space::uniform_column(std::size_t i, double u) const {
  const Parameter& p = params_[i];
  if (on_grid(p)) {  // K + 1 values, each an equal share of the coordinate
    const auto steps = static_cast<double>(step_count(p));
    return std::min(std::floor(std::clamp(u, 0.0, 1.0) * (steps + 1.0)), steps) / steps;
  }
  if (p.kind != Parameter::Kind::Integer) return u;
  // [low - 1/2, high + 1/2] spread over [0, 1]: every integer's rounding interval equally wide.
  Parameter wide = p;
  wide.low = p.low - 0.5;
  wide.high = p.high + 0.5;
  return to_unit(p, std::clamp(std::round(from_unit(wide, u)), p.low, p.high));
}

Eigen::VectorXd Space::snap_uniform(const Eigen::VectorXd& u) const {
  Eigen::VectorXd v = u;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& p = params_[i];
    if (on_grid(p) || p.kind == Parameter::Kind::Integer) v[offsets_[i]] = uniform_column(i, u[offsets_[i]]);
  }
  return snap(v);
}

Eigen::VectorXd Space::snap(const Eigen::VectorXd& u) const {
  Eigen::VectorXd held = u;
  hold(held);  // a slice's columns first: a held parent decides which children are active
  const Point point = decode(held);
  Eigen::VectorXd s = encode(point);
  // Keep reals exactly as given (clamped): re-encoding through exp/log may move them by an ulp.
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (params_[i].kind == Parameter::Kind::Real && !on_grid(params_[i]) && point.count(params_[i].name)) {
      const auto o = static_cast<Eigen::Index>(offsets_[i]);
      s[o] = std::clamp(held[o], 0.0, 1.0);
    }
  return s;
}

Point Space::complete(const Point& p) const {
  Point out = p;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& q = params_[i];
    const auto it = out.find(q.name);
    if (it == out.end()) {
      // Parents come first, so their values are already in their types here.
      if (q.kind == Parameter::Kind::Fixed && active(i, out)) out[q.name] = q.value;
      continue;
    }
    Value& v = it->second;
    if (std::holds_alternative<std::string>(v)) continue;  // only a category's or a fixed text value
    switch (q.kind) {
      case Parameter::Kind::Real:
        v = as_double(v);
        if (on_grid(q)) {  // the grid's own spelling of the value: 0.3 for 0.30000000000000004
          const double k = std::round((std::get<double>(v) - q.low) / q.step);
          if (k >= 0 && k <= static_cast<double>(step_count(q)) && std::abs(q.low + k * q.step - std::get<double>(v)) <= 1e-6 * q.step)
            v = q.nth_value(static_cast<std::uint64_t>(k));
        }
        break;
      case Parameter::Kind::Integer:
        v = as_parameter_value(q, v);
        break;
      case Parameter::Kind::Categorical:
        for (const auto& c : q.choices)
          if (same_value(c, v)) v = c;
        break;
      case Parameter::Kind::Fixed:
        if (same_value(q.value, v)) v = q.value;
        break;
    }
  }
  return out;
}

}  // namespace gpbo::bo
