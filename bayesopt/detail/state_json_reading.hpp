#pragma once
// Reading JSON with errors that name the path and what was expected (StateError), shared by the
// optimizer's state (optimizer_state.cpp) and its options (options_json.cpp). Internal to
// bayesopt/: in detail/, which the install step leaves out (it installs each module's top-level headers).
#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gpbo/bayesopt/optimizer_state.hpp"
#include "gpbo/core/did_you_mean.hpp"

namespace gpbo::bo::state_json {

using nlohmann::json;

[[noreturn]] inline void fail(const std::string& path, const std::string& what) { throw StateError((path.empty() ? "/" : path) + ": " + what); }

inline const json& at(const json& j, const std::string& key, const std::string& path) {
  if (!j.is_object()) fail(path, "expected an object");
  const auto it = j.find(key);
  if (it == j.end()) fail(path, "missing key \"" + key + "\"");
  return *it;
}

inline double number(const json& j, const std::string& path) {
  if (!j.is_number()) fail(path, "expected a number");
  return j.get<double>();
}

// A number > 0 (>= 0 when `zero_allowed`); the message names the value given.
inline double positive_number(const json& j, const std::string& path, bool zero_allowed) {
  const double v = number(j, path);
  if (zero_allowed ? v >= 0.0 : v > 0.0) return v;
  fail(path, std::string("expected a number ") + (zero_allowed ? ">= 0" : "> 0") + ", got " + j.dump());
}

inline std::uint64_t count(const json& j, const std::string& path) {
  if (!j.is_number_unsigned() && !(j.is_number_integer() && j.get<std::int64_t>() >= 0))
    fail(path, "expected a non-negative integer");
  return j.get<std::uint64_t>();
}

// A count that fits the option's type: 2^32 for an int used to become 0 silently.
template <class T>
T count_as(const json& j, const std::string& path) {
  const std::uint64_t n = count(j, path);
  if (n > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
    fail(path, "expected a non-negative integer at most " + std::to_string(std::numeric_limits<T>::max()) + ", got " + j.dump());
  return static_cast<T>(n);
}

// A count >= 1 (sizes and periods, where 0 means nothing sensible); the message names the value.
inline std::uint64_t positive_count(const json& j, const std::string& path) {
  const std::uint64_t n = count(j, path);
  if (n == 0) fail(path, "expected an integer >= 1, got 0");
  return n;
}

inline std::string text(const json& j, const std::string& path) {
  if (!j.is_string()) fail(path, "expected a string");
  return j.get<std::string>();
}

template <class F>
inline auto parsed(const std::string& path, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const StateError&) {
    throw;
  } catch (const std::exception& e) {
    // A reader that names its own paths ("/space/x: empty range") needs no second prefix.
    const std::string what = e.what();
    const bool has_path = what.rfind(path, 0) == 0 && what.size() > path.size() && (what[path.size()] == '/' || what[path.size()] == ':');
    if (has_path) throw StateError(what);
    fail(path, what);
  }
}

inline json vector_json(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }


inline Eigen::VectorXd vector_from(const json& j, const std::string& path) {
  if (!j.is_array()) fail(path, "expected an array of numbers");
  Eigen::VectorXd v(static_cast<Eigen::Index>(j.size()));
  for (std::size_t i = 0; i < j.size(); ++i) v[static_cast<Eigen::Index>(i)] = number(j[i], path + "/" + std::to_string(i));
  return v;
}

inline void check_keys(const json& j, const std::vector<std::string>& allowed, const std::string& path) {
  if (!j.is_object()) fail(path, "expected an object");
  if (const auto unknown = unknown_key(j, allowed)) fail(path + "/" + unknown->first, unknown->second);
}

}  // namespace gpbo::bo::state_json
