#pragma once
// Numbers as text for files that are read back: the shortest decimal form that parses to the
// same double (std::to_chars), so nothing is lost in CSV or log output.
#include <cstddef>
#include <string>

namespace gpbo {

/// 2^53: every integer up to this magnitude is exactly a double; beyond it doubles skip some.
inline constexpr double kMaxExactInteger = 9007199254740992.0;

/// The shortest text that reads back to exactly `v` ("0.1", "1e+300", "inf", "nan").
std::string shortest_text(double v);

/// A count with its noun for people: "1 evaluation", "0 evaluations", "3 results" (the noun's
/// plural is the noun with an "s").
std::string count_text(std::size_t n, const std::string& noun);
/// The noun as count_text puts it after n, without the count: "line" for 1, "lines" otherwise.
std::string noun_for(std::size_t n, const std::string& noun);

}  // namespace gpbo
