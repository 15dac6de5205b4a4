#include "gpbo/bayesopt/space.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>

#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"

namespace gpbo::bo {
namespace {

// A value as JSON writes it: strings quoted, so that "32" and 32 read differently.
std::string quoted(const Value& v) {
  return std::holds_alternative<std::string>(v) ? "\"" + std::get<std::string>(v) + "\"" : to_string(v);
}

std::string choices_text(const std::vector<Value>& choices) {
  std::string out = "[";
  for (const auto& c : choices) out += (out.size() > 1 ? ", " : "") + quoted(c);
  return out + "]";
}

[[noreturn]] void fail(const std::string& who, const std::string& what) {
  throw SpaceError("parameter '" + who + "': " + what);
}

bool same_value(const Value& a, const Value& b) {
  const bool sa = std::holds_alternative<std::string>(a), sb = std::holds_alternative<std::string>(b);
  if (sa || sb) return sa && sb && std::get<std::string>(a) == std::get<std::string>(b);
  return as_double(a) == as_double(b);
}

// Position along [low, high] in [0, 1], in log space for log scale.
double to_unit(const Parameter& p, double x) {
  if (p.scale == Scale::Log) return (std::log(x) - std::log(p.low)) / (std::log(p.high) - std::log(p.low));
  return (x - p.low) / (p.high - p.low);
}

// The bounds come back exactly at the cube's faces (exp(log(high)) may be an ulp off high).
double from_unit(const Parameter& p, double u) {
  if (!(u > 0.0)) return p.low;
  if (u >= 1.0) return p.high;
  if (p.scale == Scale::Log) return std::clamp(std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low))), p.low, p.high);
  return std::clamp(p.low + u * (p.high - p.low), p.low, p.high);
}

// The integer whose encoding is nearest to u: on a log scale the boundary between k and k + 1
// is their geometric mean, not k + 1/2.
std::int64_t round_integer(const Parameter& p, double u) {
  const double x = from_unit(p, u);
  double k = std::round(x);
  if (p.scale == Scale::Log) {
    k = std::floor(x);
    if (x * x > k * (k + 1.0)) k += 1.0;
  }
  k = std::clamp(k, p.low, p.high);
  // Beyond 1e12, exp and the linear map are a few integers off (1e15 on a log scale: up to 4):
  // take the neighbour whose encoding is nearest to u, so that decode(encode(k)) encodes as k.
  if (std::abs(k) > 1e12) {
    double best = k, best_gap = std::abs(to_unit(p, k) - u);
    for (double step = -4; step <= 4; ++step) {
      const double c = k + step;
      if (c < p.low || c > p.high) continue;
      const double gap = std::abs(to_unit(p, c) - u);
      if (gap < best_gap || (gap == best_gap && std::abs(c - x) < std::abs(best - x))) best = c, best_gap = gap;
    }
    k = best;
  }
  return static_cast<std::int64_t>(k);
}

// Names and texts end up in JSON states, CSV files and command lines: they must be UTF-8.
bool is_utf8(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return !s || valid_utf8(*s) == *s;
}

// x rounded to 15 significant digits: low + k step carries the rounding of the step's binary
// form (0.1 * 3 = 0.30000000000000004); this is the value the user means (0.3).
double clean_decimal(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", x);
  return std::strtod(text, nullptr);
}

// Number of steps from low to high of a parameter with a step (check_step() made it whole).
std::uint64_t step_count(const Parameter& p) { return static_cast<std::uint64_t>(std::llround((p.high - p.low) / p.step)); }

bool on_grid(const Parameter& p) { return p.step != 0.0 && p.scale == Scale::Linear; }

void check_step(const Parameter& p) {
  std::ostringstream os;
  if (!std::isfinite(p.step) || !(p.step > 0)) {
    os << "step must be a positive number, got " << p.step;
    fail(p.name, os.str());
  }
  if (p.scale == Scale::Log) fail(p.name, "a step needs a linear scale (on a log scale the grid would not be even)");
  if (p.kind == Parameter::Kind::Integer && p.step != std::round(p.step)) {
    os << "an integer parameter's step must be an integer, got " << p.step;
    fail(p.name, os.str());
  }
  const double steps = (p.high - p.low) / p.step;
  if (!(steps <= kMaxExactInteger)) fail(p.name, "the step is too small for the range: more than 2^53 values");
  // Whether a value lies on the grid is told to 1e-6 of a step; values near M are rounded to
  // ~1e-16 M, so a step below 1e-8 M cannot be told apart from rounding (a step of 1e-12 on
  // [0, 1] passed, then a run failed after all its work on "not on the grid").
  if (const double magnitude = std::max(std::abs(p.low), std::abs(p.high));
      p.kind == Parameter::Kind::Real && p.step < 1e-8 * magnitude) {
    os << "the step " << p.step << " is below what values near " << magnitude << " can resolve (at least "
       << 1e-8 * magnitude << " here); leave the step out for a continuous parameter";
    fail(p.name, os.str());
  }
  if (std::abs(steps - std::round(steps)) > 1e-9 * std::max(1.0, steps)) {
    const double below = clean_decimal(p.low + std::floor(steps) * p.step), above = clean_decimal(p.low + std::ceil(steps) * p.step);
    os << "high - low = " << p.high - p.low << " is not a multiple of the step " << p.step << " (make high "
       << shortest_text(below) << " or " << shortest_text(above) << ")";
    fail(p.name, os.str());
  }
}

void check_definition(const Parameter& p) {
  if (p.name.empty()) throw SpaceError("a parameter has an empty name");
  if (!is_utf8(p.name)) throw SpaceError("parameter name '" + valid_utf8(p.name) + "' is not valid UTF-8 text");
  // A NUL cut messages, CSV cells and program arguments short at it.
  if (p.name.find('\0') != std::string::npos)
    throw SpaceError("parameter name '" + valid_utf8(p.name.substr(0, p.name.find('\0'))) + "\\0...' holds a NUL character");
  const auto has_nul = [](const Value& v) {
    const auto* text = std::get_if<std::string>(&v);
    return text && text->find('\0') != std::string::npos;
  };
  if (has_nul(p.value) || std::any_of(p.choices.begin(), p.choices.end(), has_nul))
    fail(p.name, "a value holds a NUL character, which cannot reach a program, a CSV file or a log");
  if (!is_utf8(p.value)) fail(p.name, "the fixed value is not valid UTF-8 text");
  for (const auto& c : p.choices)
    if (!is_utf8(c)) fail(p.name, "choice '" + valid_utf8(std::get<std::string>(c)) + "' is not valid UTF-8 text");
  using K = Parameter::Kind;
  if (p.kind == K::Real || p.kind == K::Integer) {
    if (!std::isfinite(p.low) || !std::isfinite(p.high)) fail(p.name, "bounds must be finite");
    if (!(p.low < p.high)) {
      std::ostringstream os;
      os << "empty or inverted range [" << p.low << ", " << p.high << "] (low must be < high"
         << (p.low == p.high ? "; for a single value use a fixed parameter" : "") << ")";
      fail(p.name, os.str());
    }
    if (p.scale == Scale::Log && p.low <= 0) fail(p.name, "log scale needs low > 0");
    // A range a few doubles wide has nothing to search (one of 1 ulp passed, then the run ran out
    // of memory after its first evaluation).
    if (p.kind == K::Real && p.high - p.low <= 1e-12 * std::max(std::abs(p.low), std::abs(p.high))) {
      std::ostringstream os;
      os.precision(17);
      os << "range [" << p.low << ", " << p.high << "] is too narrow to search: its width is within 1e-12 of its "
         << "values, where doubles are rounded (for one value use a fixed parameter)";
      fail(p.name, os.str());
    }
    // The encoding divides by high - low: it must be a finite double.
    if (p.scale == Scale::Linear && !std::isfinite(p.high - p.low))
      fail(p.name, "range too wide: high - low overflows a double (use a log scale or smaller units)");
    if (p.kind == K::Integer && (p.low != std::round(p.low) || p.high != std::round(p.high)))
      fail(p.name, "integer bounds must be integers");
    if (p.kind == K::Integer && (p.low < -kMaxExactInteger || p.high > kMaxExactInteger))
      fail(p.name, "integer bounds must lie within +-2^53 (9007199254740992), where every integer is a double");
    if (p.step != 0.0) check_step(p);
  } else if (p.step != 0.0) {
    fail(p.name, "only real and integer parameters take a step");
  } else if (p.kind == K::Categorical) {
    if (p.choices.empty()) fail(p.name, "a categorical parameter needs at least one choice");
    for (std::size_t i = 0; i < p.choices.size(); ++i) {
      if (!std::holds_alternative<std::string>(p.choices[i]) && !std::isfinite(as_double(p.choices[i])))
        fail(p.name, "choices must be finite numbers or strings");
      for (std::size_t j = 0; j < i; ++j) {
        if (same_value(p.choices[i], p.choices[j]))
          fail(p.name, "choice " + quoted(p.choices[i]) + " is given twice (choices " + std::to_string(j) + " and " +
                           std::to_string(i) + ", from 0); keep one");
        // 1 and "1" differ as values but reach a program, a CSV or a log as the same text.
        if (to_string(p.choices[i]) == to_string(p.choices[j]))
          fail(p.name, "choices " + quoted(p.choices[j]) + " and " + quoted(p.choices[i]) + " are both written " +
                           to_string(p.choices[i]) + "; keep one");
      }
    }
  } else if (!std::holds_alternative<std::string>(p.value) && !std::isfinite(as_double(p.value))) {
    fail(p.name, "a fixed value must be finite");
  }
}

// Checks one value against its parameter; returns the encoded columns' content.
void check_value(const Parameter& p, const Value& v) {
  using K = Parameter::Kind;
  switch (p.kind) {
    case K::Real:
    case K::Integer: {
      if (std::holds_alternative<std::string>(v)) fail(p.name, "expected a number, got \"" + std::get<std::string>(v) + "\"");
      const double x = as_double(v);
      if (!std::isfinite(x)) fail(p.name, "value is not finite");
      if (p.kind == K::Integer && x != std::round(x)) fail(p.name, "expected an integer, got " + to_string(v));
      if (on_grid(p)) {
        const double k = (x - p.low) / p.step;
        if (std::abs(k - std::round(k)) > 1e-6 && x >= p.low && x <= p.high)
          fail(p.name, "value " + to_string(v) + " is not on the grid " + to_string(p.nth_value(0)) + ", " +
                           to_string(p.nth_value(1)) + ", ..., " + to_string(p.nth_value(step_count(p))) + " (step " +
                           shortest_text(p.step) + ")");
      }
      // An int64 beyond 2^53 rounds to a double at a bound (2^53 + 1 -> 2^53): compare it exactly.
      const auto* whole = std::get_if<std::int64_t>(&v);
      const bool outside = whole ? (*whole < std::llround(p.low) || *whole > std::llround(p.high)) : (x < p.low || x > p.high);
      if (outside) {
        std::ostringstream os;
        os << "value " << to_string(v) << " is outside [";
        if (p.kind == K::Integer) os << std::llround(p.low) << ", " << std::llround(p.high) << "]";  // 9007199254740992, not 9.0072e+15
        else os << p.low << ", " << p.high << "]";
        fail(p.name, os.str());
      }
      return;
    }
    case K::Categorical: {
      for (const auto& c : p.choices)
        if (same_value(c, v)) return;
      std::vector<std::string> texts;
      for (const auto& c : p.choices)
        if (std::holds_alternative<std::string>(c)) texts.push_back(std::get<std::string>(c));
      const std::string hint = std::holds_alternative<std::string>(v) ? did_you_mean(std::get<std::string>(v), texts) : "";
      fail(p.name, "value " + quoted(v) + " is not one of the choices " + choices_text(p.choices) +
                       (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)"));
    }
    case K::Fixed:
      if (!same_value(p.value, v)) fail(p.name, "value " + quoted(v) + " differs from the fixed value " + quoted(p.value));
      return;
  }
}

}  // namespace

std::string to_string(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return shortest_text(std::get<double>(v));
}

bool Condition::holds(const Value& v) const {
  if (!is_range()) return std::any_of(values.begin(), values.end(), [&](const Value& w) { return same_value(v, w); });
  if (std::holds_alternative<std::string>(v)) return false;
  const double x = as_double(v);
  return (!min || x >= *min) && (!max || x <= *max);
}

namespace {
// "layers >= 3", "lr <= 0.01", "3 <= layers <= 5", "optimizer = \"sgd\"", "layers in [2, 3]".
std::string describe_condition(const Condition& c) {
  if (c.min && c.max) return shortest_text(*c.min) + " <= " + c.parent + " <= " + shortest_text(*c.max);
  if (c.min) return c.parent + " >= " + shortest_text(*c.min);
  if (c.max) return c.parent + " <= " + shortest_text(*c.max);
  return c.parent + (c.values.size() == 1 ? " = " + quoted(c.values[0]) : " in " + choices_text(c.values));
}
}  // namespace

std::string describe_conditions(const Parameter& p) {
  std::string out;
  for (const Condition& c : p.conditions) out += (out.empty() ? "" : " and ") + describe_condition(c);
  return out;
}

void check_parameter_value(const Parameter& p, const Value& v) { check_value(p, v); }

Value as_parameter_value(const Parameter& p, Value v) {
  if (p.kind == Parameter::Kind::Integer && std::holds_alternative<double>(v)) {
    const double x = std::get<double>(v);
    if (x == std::round(x) && std::abs(x) <= kMaxExactInteger) return static_cast<std::int64_t>(x);
  }
  return v;
}

double as_double(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  throw SpaceError("expected a number, got \"" + std::get<std::string>(v) + "\"");
}

Parameter Parameter::real(std::string name, double low, double high, Scale scale) {
  Parameter p;
  p.name = std::move(name);
  p.kind = Kind::Real;
  p.low = low;
  p.high = high;
  p.scale = scale;
  return p;
}

Parameter Parameter::integer(std::string name, std::int64_t low, std::int64_t high, Scale scale) {
  Parameter p = real(std::move(name), static_cast<double>(low), static_cast<double>(high), scale);
  p.kind = Kind::Integer;
  return p;
}

Parameter Parameter::categorical(std::string name, std::vector<Value> choices) {
  Parameter p;
  p.name = std::move(name);
  p.kind = Kind::Categorical;
  p.choices = std::move(choices);
  return p;
}

Parameter Parameter::fixed(std::string name, Value value) {
  Parameter p;
  p.name = std::move(name);
  p.kind = Kind::Fixed;
  p.value = std::move(value);
  return p;
}

Parameter& Parameter::when(std::string parent, std::vector<Value> values) {
  conditions.push_back({std::move(parent), std::move(values), std::nullopt, std::nullopt});
  return *this;
}

Parameter& Parameter::when_in_range(std::string parent, std::optional<double> min, std::optional<double> max) {
  conditions.push_back({std::move(parent), {}, min, max});
  return *this;
}

Parameter& Parameter::with_step(double s) {
  step = s;
  return *this;
}

std::uint64_t Parameter::distinct_values() const {
  switch (kind) {
    case Kind::Real: return on_grid(*this) ? step_count(*this) + 1 : 0;
    case Kind::Integer:
      return on_grid(*this) ? step_count(*this) + 1 : static_cast<std::uint64_t>(std::llround(high) - std::llround(low)) + 1;
    case Kind::Categorical: return choices.size();
    case Kind::Fixed: return 1;
  }
  return 0;
}

Value Parameter::nth_value(std::uint64_t k) const {
  if (k >= distinct_values()) throw SpaceError("parameter '" + name + "': no value number " + std::to_string(k));
  switch (kind) {
    case Kind::Integer:
      return std::llround(low) + static_cast<std::int64_t>(k) * (on_grid(*this) ? std::llround(step) : std::int64_t{1});
    case Kind::Real: {
      if (k == step_count(*this)) return high;
      return std::clamp(clean_decimal(low + static_cast<double>(k) * step), low, high);
    }
    case Kind::Categorical: return choices[k];
    case Kind::Fixed: return value;
  }
  return value;
}

std::size_t Parameter::width() const {
  switch (kind) {
    case Kind::Categorical: return choices.size();
    case Kind::Fixed: return 0;
    default: return 1;
  }
}

namespace {
// A range condition needs a numeric parent and bounds that some of its values meet.
void check_range_condition(const std::string& child, const Condition& c, const Parameter& parent) {
  const std::string on = "condition on '" + c.parent + "': ";
  if (!c.values.empty()) fail(child, on + "give either values or a range, not both");
  if ((c.min && !std::isfinite(*c.min)) || (c.max && !std::isfinite(*c.max))) fail(child, on + "the range's bounds must be finite numbers");
  if (c.min && c.max && *c.min > *c.max) fail(child, on + "the range's min is above its max");
  if (parent.kind == Parameter::Kind::Categorical)
    fail(child, on + "a categorical parameter: list the choices that make '" + child + "' active instead of a range");
  double low = parent.low, high = parent.high;
  if (parent.kind == Parameter::Kind::Fixed) {
    if (std::holds_alternative<std::string>(parent.value)) fail(child, on + "its value is text, which a range cannot compare");
    low = high = as_double(parent.value);
  }
  if ((c.min && *c.min > high) || (c.max && *c.max < low) ||
      (parent.kind == Parameter::Kind::Integer && c.min && c.max && std::ceil(*c.min) > std::floor(*c.max)))
    fail(child, on + "no value of '" + c.parent + "' lies in the range, so '" + child + "' would never be active");
}

// The value of a real or integer parameter that an encoded column u stands for: the nearest
// value of its grid, the integer with the nearest encoding, or the real itself.
Value column_point_value(const Parameter& p, double u) {
  if (on_grid(p)) {
    const auto steps = static_cast<double>(step_count(p));
    return p.nth_value(static_cast<std::uint64_t>(std::clamp(std::round(u * steps), 0.0, steps)));
  }
  return p.kind == Parameter::Kind::Real ? Value(from_unit(p, u)) : Value(round_integer(p, u));
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
  throw SpaceError("unknown parameter '" + name + "'");
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

void Space::validate(const Point& point) const {
  validate_box(point);
  check_constraints(point);
}

void Space::validate_box(const Point& point) const {
  for (const auto& [name, v] : point) {
    (void)v;
    if (std::none_of(params_.begin(), params_.end(), [&](const Parameter& p) { return p.name == name; }))
      throw SpaceError("unknown parameter '" + name + "' in point");
  }
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& p = params_[i];
    const auto it = point.find(p.name);
    if (!active(i, point)) {
      if (it != point.end() && p.kind != Parameter::Kind::Fixed)
        fail(p.name, "inactive here (it needs " + describe_conditions(p) + "), so it must be left out");
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

Eigen::VectorXd Space::snap_uniform(const Eigen::VectorXd& u) const {
  Eigen::VectorXd v = u;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Parameter& p = params_[i];
    const auto o = static_cast<Eigen::Index>(offsets_[i]);
    if (on_grid(p)) {  // K + 1 values, each an equal share of the coordinate
      const auto steps = static_cast<double>(step_count(p));
      v[o] = std::min(std::floor(std::clamp(u[o], 0.0, 1.0) * (steps + 1.0)), steps) / steps;
      continue;
    }
    if (p.kind != Parameter::Kind::Integer) continue;
    // [low - 1/2, high + 1/2] spread over [0, 1]: every integer's rounding interval equally wide.
    Parameter wide = p;
    wide.low = p.low - 0.5;
    wide.high = p.high + 0.5;
    const double k = std::clamp(std::round(from_unit(wide, u[o])), p.low, p.high);
    v[o] = to_unit(p, k);
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
