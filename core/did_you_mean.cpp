#include "gpbo/core/did_you_mean.hpp"

#include <algorithm>
#include <cctype>

namespace gpbo {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  // Three rows of the dynamic programme: i - 2, i - 1 and i.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {
std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}
}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.empty()) return "";  // any name of two letters is two edits from nothing
  std::string best;
  std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    // Rewriting every character of a longer name is no near miss ("id" is two edits from "x2"
    // too); one letter for another ("m" for "n") may be a slip, and case does not count ("EI").
    if (word.size() > 1 && d >= std::max(word.size(), c.size()) && edit_distance(lower(word), lower(c)) >= d) continue;
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  if (!best.empty() || word.size() < 3) return best;
  // An abbreviation ("max" for "maximize") is many edits away; take it when it names one candidate.
  std::string only;
  for (const auto& c : candidates) {
    if (c.size() <= word.size() || c.compare(0, word.size(), word) != 0) continue;
    if (!only.empty()) return "";
    only = c;
  }
  return only;
}

std::optional<std::pair<std::string, std::string>> unknown_key(const nlohmann::json& obj,
                                                               const std::vector<std::string>& known) {
  if (!obj.is_object()) return std::nullopt;
  for (const auto& [key, value] : obj.items()) {
    (void)value;
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    const std::string hint = did_you_mean(key, known);
    return std::pair{key, "unknown key \"" + key + "\"" + (hint.empty() ? "" : " (did you mean \"" + hint + "\"?)")};
  }
  return std::nullopt;
}

}  // namespace gpbo
