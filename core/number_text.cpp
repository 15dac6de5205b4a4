#include "gpbo/core/number_text.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace gpbo {

std::string shortest_text(double v) {
  if (std::isnan(v)) return "nan";  // not "-nan": a NaN's sign means nothing, and CmdStan writes nan
  char buf[32];  // the longest shortest form, "-2.2250738585072014e-308", has 24 characters
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(v);
}

std::string count_text(std::size_t n, const std::string& noun) { return std::to_string(n) + " " + noun_for(n, noun); }

std::string noun_for(std::size_t n, const std::string& noun) { return n == 1 ? noun : noun + "s"; }

}  // namespace gpbo
