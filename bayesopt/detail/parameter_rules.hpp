#pragma once
// The rules of one parameter shared by its definition (parameter.cpp), its checks
// (parameter_checks.cpp) and the space's encoding (space.cpp): the map to the unit interval, the
// grid of a stepped parameter, value comparison and the error text. Internal to bayesopt/.
#include <cstdint>
#include <string>
#include <vector>

#include "gpbo/bayesopt/space.hpp"

namespace gpbo::bo::parameter_detail {

/// A value as JSON writes it: strings quoted, so that "32" and 32 read differently.
std::string quoted(const Value& v);
/// "[a, \"b\", 3]": a list of choices as JSON writes it.
std::string choices_text(const std::vector<Value>& choices);
/// Throws SpaceError "parameter 'who': what".
[[noreturn]] void fail(const std::string& who, const std::string& what);
/// Equal values: the same text, or numbers equal as doubles (2 and 2.0).
bool same_value(const Value& a, const Value& b);

/// Position of x along [low, high] in [0, 1], in log space for a log scale.
double to_unit(const Parameter& p, double x);
/// The inverse of to_unit, with the bounds exactly at the cube's faces.
double from_unit(const Parameter& p, double u);
/// The integer whose encoding is nearest to u.
std::int64_t round_integer(const Parameter& p, double u);
/// x rounded to 15 significant digits (0.30000000000000004 -> 0.3).
double clean_decimal(double x);
/// Number of steps from low to high of a parameter with a step.
std::uint64_t step_count(const Parameter& p);
/// A linear parameter with a step: its values are low + k step.
bool on_grid(const Parameter& p);

/// Throws SpaceError if the parameter's definition (name, bounds, step, choices) is invalid.
void check_definition(const Parameter& p);
/// Throws SpaceError if v is not a value of p.
void check_value(const Parameter& p, const Value& v);
/// Throws SpaceError if a range condition of `child` cannot hold for its parent's values.
void check_range_condition(const std::string& child, const Condition& c, const Parameter& parent);

}  // namespace gpbo::bo::parameter_detail
