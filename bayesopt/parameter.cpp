// Parameter: its constructors, its values (a grid's, an integer range's, the choices) and the
// map between its values and the unit interval the GP sees.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "gpbo/bayesopt/detail/parameter_rules.hpp"
#include "gpbo/core/number_text.hpp"
#include "gpbo/core/text_list.hpp"

namespace gpbo::bo {
namespace parameter_detail {

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

}  // namespace parameter_detail

using namespace parameter_detail;

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

namespace {

const Value& value_named(const Point& p, const std::string& name) {
  const auto it = p.find(name);
  if (it == p.end()) {
    std::vector<std::string> names;
    for (const auto& [n, v] : p) names.push_back(n);
    fail(name, "not in the point (inactive there, or not a parameter; it has " + (names.empty() ? "none" : join_text(names)) + ")");
  }
  return it->second;
}

std::string described(const Value& v) {
  if (std::holds_alternative<std::string>(v)) return "the text \"" + std::get<std::string>(v) + "\"";
  return (std::holds_alternative<double>(v) ? "the real number " : "the integer ") + to_string(v);
}

}  // namespace

template <>
double value_as<double>(const Point& p, const std::string& name) {
  const Value& v = value_named(p, name);
  if (std::holds_alternative<std::string>(v)) fail(name, "holds " + described(v) + ", not a number");
  return as_double(v);
}

template <>
std::int64_t value_as<std::int64_t>(const Point& p, const std::string& name) {
  const Value& v = value_named(p, name);
  if (!std::holds_alternative<std::int64_t>(v)) fail(name, "holds " + described(v) + ", not an integer");
  return std::get<std::int64_t>(v);
}

template <>
std::string value_as<std::string>(const Point& p, const std::string& name) {
  const Value& v = value_named(p, name);
  if (!std::holds_alternative<std::string>(v)) fail(name, "holds " + described(v) + ", not a text");
  return std::get<std::string>(v);
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
  // Without either bound it would read as a condition listing no values ("give it a range").
  if (!min && !max)
    throw SpaceError("parameter '" + name + "': condition on '" + parent + "': the range needs a min, a max or both");
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

}  // namespace gpbo::bo
