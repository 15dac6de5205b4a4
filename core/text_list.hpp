#pragma once
// Lists in messages for people: "lr, layers, dropout" in an error's list of known names, the
// ids of a summary line.
#include <concepts>
#include <ranges>
#include <string>
#include <string_view>
#include <vector>

namespace gpbo {

/// The items joined with `separator` ("" for none).
std::string join_text(const std::vector<std::string>& items, std::string_view separator = ", ");

/// Each item made text by `to_text` (a callable returning something std::string appends), then
/// joined with `separator`.
template <class Range, class ToText>
  requires std::invocable<ToText&, const std::ranges::range_value_t<Range>&>
std::string join_text(const Range& items, ToText&& to_text, std::string_view separator = ", ") {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    out += to_text(item);
    first = false;
  }
  return out;
}

}  // namespace gpbo
