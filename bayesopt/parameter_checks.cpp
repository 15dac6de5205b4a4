// The checks of a parameter's definition and of the values given for it, with errors that say
// what was expected.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "gpbo/bayesopt/detail/parameter_rules.hpp"
#include "gpbo/core/did_you_mean.hpp"
#include "gpbo/core/json_text.hpp"
#include "gpbo/core/number_text.hpp"

namespace gpbo::bo {
namespace parameter_detail {
namespace {

// Names and texts end up in JSON states, CSV files and command lines: they must be UTF-8.
bool is_utf8(const Value& v) {
  const auto* s = std::get_if<std::string>(&v);
  return !s || valid_utf8(*s) == *s;
}

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

// Whether doubles can tell apart a real range's points that the search keeps apart (1e-7 of the
// range in the unit cube) and read its encodings back.
void check_resolution(const Parameter& p) {
  using K = Parameter::Kind;
  // Subnormal doubles carry fewer digits: a saved state's encodings did not read back, and the
  // width test below underflowed to 0.
  for (const double bound : {p.low, p.high})
    if (bound != 0.0 && std::abs(bound) < std::numeric_limits<double>::min())
      fail(p.name, "bound " + shortest_text(bound) + " is below the smallest full-precision double (2.2e-308): use 0 or larger units");
  // A range a few doubles wide has nothing to search (one of 1 ulp passed, then the run ran out
  // of memory after its first evaluation); below 1e-8 of its values, suggestions the search
  // keeps 1e-7 of the range apart decoded to the same double (5 repeats in 60 asks at 1e-11).
  if (p.kind == K::Real && p.high - p.low < 0.99e-8 * std::max(std::abs(p.low), std::abs(p.high))) {  // 1 + 1e-8 is 1e-8 wide, rounded
    std::ostringstream os;
    os.precision(17);
    os << "range [" << p.low << ", " << p.high << "] is too narrow to search: its width is below 1e-8 of its "
       << "values, where doubles are too coarse (tune the offset from " << shortest_text(p.low)
       << " in smaller units instead; for one value use a fixed parameter)";
    fail(p.name, os.str());
  }
  // On a log scale the encoding holds log(x), whose doubles are coarser than x's far from 1:
  // log(1e-300) is -690.8, so its width must be 1e-8 of that, not of 1 (repeats at 1e-300 (1 + 1e-8)).
  if (p.kind == K::Real && p.scale == Scale::Log &&
      std::log(p.high) - std::log(p.low) < 0.99e-8 * std::max({1.0, std::abs(std::log(p.low)), std::abs(std::log(p.high))})) {
    std::ostringstream os;
    os.precision(17);
    os << "log-scale range [" << p.low << ", " << p.high << "] is too narrow to search: the width of its logs is below 1e-8 of "
       << "their size, where doubles are too coarse (use a linear scale, or scale the values nearer to 1)";
    fail(p.name, os.str());
  }
}

}  // namespace

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
    // Checked before the order: int64 bounds beyond 2^53 may round to one double.
    if (p.kind == K::Integer && (p.low < -kMaxExactInteger || p.high > kMaxExactInteger))
      fail(p.name, "integer bounds must lie within +-2^53 (9007199254740992), where every integer is a double");
    if (!(p.low < p.high)) {
      std::ostringstream os;
      os << "empty or inverted range [" << p.low << ", " << p.high << "] (low must be < high"
         << (p.low == p.high ? "; for a single value use a fixed parameter" : "") << ")";
      fail(p.name, os.str());
    }
    if (p.scale == Scale::Log && p.low <= 0) fail(p.name, "log scale needs low > 0");
    check_resolution(p);
    // The encoding divides by high - low: it must be a finite double.
    if (p.scale == Scale::Linear && !std::isfinite(p.high - p.low))
      fail(p.name, "range too wide: high - low overflows a double (use a log scale or smaller units)");
    if (p.kind == K::Integer && (p.low != std::round(p.low) || p.high != std::round(p.high)))
      fail(p.name, "integer bounds must be integers");
    if (p.step != 0.0) check_step(p);
  } else if (p.step != 0.0) {
    fail(p.name, "only real and integer parameters take a step");
  } else if (p.kind == K::Categorical) {
    if (p.choices.empty()) fail(p.name, "a categorical parameter needs at least one choice");
    // Two lookups, each linear in the choices (a pairwise scan took 97 s for 100,000 of them, at
    // every state load): by value, as same_value compares (numbers as doubles, so 0 and -0.0, or
    // 2^53 and 2^53 + 1, are one value), and by the text a program, a CSV or a log sees.
    const auto value_key = [](const Value& v) {
      if (const auto* text = std::get_if<std::string>(&v)) return "s" + *text;
      const double x = as_double(v) + 0.0;  // -0.0 + 0.0 is +0.0
      std::string key = "n";
      key.append(reinterpret_cast<const char*>(&x), sizeof x);
      return key;
    };
    std::unordered_map<std::string, std::size_t> first_with_value, first_with_text;
    for (std::size_t i = 0; i < p.choices.size(); ++i) {
      if (!std::holds_alternative<std::string>(p.choices[i]) && !std::isfinite(as_double(p.choices[i])))
        fail(p.name, "choices must be finite numbers or strings");
      if (const auto [at, inserted] = first_with_value.emplace(value_key(p.choices[i]), i); !inserted)
        fail(p.name, "choice " + quoted(p.choices[i]) + " is given twice (choices " + std::to_string(at->second) + " and " +
                         std::to_string(i) + ", from 0); keep one");
      // 1 and "1" differ as values but reach a program, a CSV or a log as the same text.
      if (const auto [at, inserted] = first_with_text.emplace(to_string(p.choices[i]), i); !inserted)
        fail(p.name, "choices " + quoted(p.choices[at->second]) + " and " + quoted(p.choices[i]) + " are both written " +
                         to_string(p.choices[i]) + "; keep one");
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
      // An int64 beyond 2^53 rounds to a double at a bound (2^53 + 1 -> 2^53): compare it exactly,
      // in a long double, which holds every int64 and every double (rounding a real's bounds let
      // 0 pass for [0.2, 0.8]).
      const auto* whole = std::get_if<std::int64_t>(&v);
      const bool outside = whole ? (static_cast<long double>(*whole) < static_cast<long double>(p.low) ||
                                    static_cast<long double>(*whole) > static_cast<long double>(p.high))
                                 : (x < p.low || x > p.high);
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

}  // namespace parameter_detail

void check_parameter_value(const Parameter& p, const Value& v) { parameter_detail::check_value(p, v); }

}  // namespace gpbo::bo
