#include "gpbo/bayesopt/space.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

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

void check_definition(const Parameter& p) {
  if (p.name.empty()) throw SpaceError("a parameter has an empty name");
  if (!is_utf8(p.name)) throw SpaceError("parameter name '" + valid_utf8(p.name) + "' is not valid UTF-8 text");
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
    // The encoding divides by high - low: it must be a finite double.
    if (p.scale == Scale::Linear && !std::isfinite(p.high - p.low))
      fail(p.name, "range too wide: high - low overflows a double (use a log scale or smaller units)");
    if (p.kind == K::Integer && (p.low != std::round(p.low) || p.high != std::round(p.high)))
      fail(p.name, "integer bounds must be integers");
    if (p.kind == K::Integer && (p.low < -kMaxExactInteger || p.high > kMaxExactInteger))
      fail(p.name, "integer bounds must lie within +-2^53 (9007199254740992), where every integer is a double");
  } else if (p.kind == K::Categorical) {
    if (p.choices.empty()) fail(p.name, "a categorical parameter needs at least one choice");
    for (std::size_t i = 0; i < p.choices.size(); ++i) {
      if (!std::holds_alternative<std::string>(p.choices[i]) && !std::isfinite(as_double(p.choices[i])))
        fail(p.name, "choices must be finite numbers or strings");
      for (std::size_t j = 0; j < i; ++j) {
        if (same_value(p.choices[i], p.choices[j])) fail(p.name, "duplicate choice " + to_string(p.choices[i]));
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
    case K::Categorical:
      for (const auto& c : p.choices)
        if (same_value(c, v)) return;
      fail(p.name, "value " + quoted(v) + " is not one of the choices " + choices_text(p.choices));
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

std::string describe_conditions(const Parameter& p) {
  std::string out;
  for (const Condition& c : p.conditions)
    out += (out.empty() ? "" : " and ") + c.parent + (c.values.size() == 1 ? " = " + quoted(c.values[0]) : " in " + choices_text(c.values));
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
  conditions.push_back({std::move(parent), std::move(values)});
  return *this;
}

std::size_t Parameter::width() const {
  switch (kind) {
    case Kind::Categorical: return choices.size();
    case Kind::Fixed: return 0;
    default: return 1;
  }
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
    if (parent->kind == Parameter::Kind::Real)
      fail(p.name, "condition on '" + c.parent + "', a real parameter: only categorical, integer and fixed parameters can be parents");
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
  return *this;
}

const Parameter& Space::parameter(const std::string& name) const {
  for (const auto& p : params_)
    if (p.name == name) return p;
  throw SpaceError("unknown parameter '" + name + "'");
}

bool Space::has_discrete() const {
  return std::any_of(params_.begin(), params_.end(), [](const Parameter& p) {
    return p.kind == Parameter::Kind::Integer || p.kind == Parameter::Kind::Categorical;
  });
}

namespace {

// Distinct values of a discrete or fixed parameter (0 for a real one).
std::uint64_t value_count(const Parameter& p) {
  switch (p.kind) {
    case Parameter::Kind::Real: return 0;
    case Parameter::Kind::Integer: return static_cast<std::uint64_t>(std::llround(p.high) - std::llround(p.low)) + 1;
    case Parameter::Kind::Categorical: return p.choices.size();
    case Parameter::Kind::Fixed: return 1;
  }
  return 0;
}

}  // namespace

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
    total *= value_count(params_[i]);
    if (total > (std::uint64_t{1} << 20)) return false;
  }
  for (std::uint64_t index = 0; index < total; ++index) {
    std::vector<std::uint64_t> digit(ps.size());
    for (std::uint64_t k = ps.size(), rest = index; k-- > 0;) {
      digit[k] = rest % value_count(params_[ps[k]]);
      rest /= value_count(params_[ps[k]]);
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
      if (p.kind == Parameter::Kind::Integer) values[p.name] = std::llround(p.low) + static_cast<std::int64_t>(digit[k]);
      else if (p.kind == Parameter::Kind::Categorical) values[p.name] = p.choices[digit[k]];
      else values[p.name] = p.value;
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
    const std::uint64_t c = value_count(params_[i]);
    if (c == 0) return 0;
    if (n > kLimit / c) return std::nullopt;
    n *= c;
  }
  return n;
}

std::optional<std::uint64_t> Space::cardinality() const {
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

Eigen::VectorXd Space::encoded_point(std::uint64_t index) const {
  const auto total = cardinality();
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
      const std::uint64_t count = value_count(p), k = index % count;
      index /= count;
      switch (p.kind) {
        case Parameter::Kind::Integer: point[p.name] = std::llround(p.low) + static_cast<std::int64_t>(k); break;
        case Parameter::Kind::Categorical: point[p.name] = p.choices[k]; break;
        case Parameter::Kind::Fixed: point[p.name] = p.value; break;
        case Parameter::Kind::Real: break;  // not in a finite space
      }
    }
  });
  return encode(point);
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
    if (!v || std::none_of(c.values.begin(), c.values.end(), [&](const Value& w) { return same_value(*v, w); })) return false;
  }
  return true;
}

void Space::validate(const Point& point) const {
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
  validate(point);
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
      case Parameter::Kind::Real: point[p.name] = from_unit(p, u[o]); break;
      case Parameter::Kind::Integer: point[p.name] = round_integer(p, u[o]); break;
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
    if (p.kind != Parameter::Kind::Integer) continue;
    const auto o = static_cast<Eigen::Index>(offsets_[i]);
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
  const Point point = decode(u);
  Eigen::VectorXd s = encode(point);
  // Keep reals exactly as given (clamped): re-encoding through exp/log may move them by an ulp.
  for (std::size_t i = 0; i < params_.size(); ++i)
    if (params_[i].kind == Parameter::Kind::Real && point.count(params_[i].name)) {
      const auto o = static_cast<Eigen::Index>(offsets_[i]);
      s[o] = std::clamp(u[o], 0.0, 1.0);
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
