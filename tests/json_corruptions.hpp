#pragma once
// Single-point corruptions of a JSON document, for the tests that a loader either accepts a
// damaged file or rejects it with an exception, and never crashes (the suite also runs under
// AddressSanitizer and UndefinedBehaviorSanitizer, which turn a bad index into a failure).
//
// Every value of the document (containers and leaves, the root excluded) is in turn erased or
// replaced by a string, -1, 1e300, 2^64 - 1, an empty array, an empty object and null.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gpbo::test {

namespace detail {
inline void collect_pointers(const nlohmann::json& j, const nlohmann::json::json_pointer& at,
                             std::vector<nlohmann::json::json_pointer>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      out.push_back(at / key);
      collect_pointers(value, at / key, out);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      out.push_back(at / i);
      collect_pointers(j[i], at / i, out);
    }
  }
}
}  // namespace detail

/// Calls visit(corrupted_document, description) for every single-point corruption of `doc`;
/// returns how many there were.
template <class Visit>
std::size_t for_each_corruption(const nlohmann::json& doc, Visit&& visit) {
  using nlohmann::json;
  std::vector<json::json_pointer> pointers;
  detail::collect_pointers(doc, json::json_pointer(), pointers);
  const std::vector<std::pair<std::string, json>> replacements = {
      {"a string", "x"}, {"-1", -1}, {"1e300", 1e300}, {"2^64 - 1", std::uint64_t(18446744073709551615ULL)},
      {"[]", json::array()}, {"{}", json::object()}, {"null", nullptr}};
  std::size_t count = 0;
  for (const auto& p : pointers) {
    json erased = doc;
    json& parent = erased[p.parent_pointer()];
    if (parent.is_object()) parent.erase(p.back());
    else parent.erase(static_cast<std::size_t>(std::stoul(p.back())));
    visit(erased, "erase " + p.to_string());
    ++count;
    for (const auto& [name, value] : replacements) {
      json j = doc;
      j[p] = value;
      visit(j, p.to_string() + " = " + name);
      ++count;
    }
  }
  return count;
}

/// Runs load_and_use(corrupted) for every corruption of doc (it may CHECK what it loaded). An
/// `Error` thrown counts as a rejection and goes to check_error (default: it must say something);
/// anything else thrown fails the test. Most corruptions must be rejected: the checks bite.
template <class Error = std::exception, class Use, class CheckError>
void check_corruptions(const nlohmann::json& doc, Use&& load_and_use, CheckError&& check_error) {
  std::size_t loaded = 0, rejected = 0;
  const std::size_t cases = for_each_corruption(doc, [&](const nlohmann::json& j, const std::string& what) {
    INFO(what);
    try {
      load_and_use(j);
      ++loaded;
    } catch (const Error& e) {
      check_error(e);
      ++rejected;
    }
  });
  INFO(loaded << " of " << cases << " corruptions loaded (values that are in range though wrong)");
  CHECK(loaded + rejected == cases);
  CHECK(rejected > loaded);
}

template <class Use>
void check_corruptions(const nlohmann::json& doc, Use&& load_and_use) {
  check_corruptions<std::exception>(doc, load_and_use,
                                    [](const std::exception& e) { CHECK(std::string(e.what()).size() > 10); });
}

}  // namespace gpbo::test
